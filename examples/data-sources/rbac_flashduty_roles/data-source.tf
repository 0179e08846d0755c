# Every custom role, with all its attributes.
data "rbac_flashduty_roles" "custom" {
  built_in = false
}

output "custom_role_names" {
  value = data.rbac_flashduty_roles.custom.roles[*].role_name
}
