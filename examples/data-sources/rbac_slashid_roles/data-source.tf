# Every role whose name starts with "billing-", with its permissions.
data "rbac_slashid_roles" "billing" {
  name_prefix = "billing-"
}

output "billing_roles" {
  value = data.rbac_slashid_roles.billing.names
}
