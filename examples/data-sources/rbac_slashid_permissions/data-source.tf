data "rbac_slashid_permissions" "billing" {
  name_prefix = "billing."
}

output "billing_permissions" {
  value = data.rbac_slashid_permissions.billing.names
}
