# By slug, or by exact name (set one of them).
data "rbac_rootly_on_call_role" "admin" {
  name = "Admin"
}

output "admin_alerts_permissions" {
  value = data.rbac_rootly_on_call_role.admin.alerts_permissions
}
