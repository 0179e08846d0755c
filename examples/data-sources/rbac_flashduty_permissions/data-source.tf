# Every "read" permission of the On-call product.
data "rbac_flashduty_permissions" "oncall_read" {
  class           = "On-call"
  permission_type = "read"
}

output "oncall_read_names" {
  value = data.rbac_flashduty_permissions.oncall_read.permissions[*].permission_name
}
