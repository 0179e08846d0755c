# Built-in roles (Admin, Responder, Viewer) can be referenced, not managed.
data "rbac_flashduty_role" "viewer" {
  role_name = "Viewer"
}

output "viewer_permissions" {
  value = data.rbac_flashduty_role.viewer.permission_ids
}
