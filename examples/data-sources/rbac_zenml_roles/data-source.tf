# Built-in roles (Admin, Editor, Viewer at each level) are system-managed:
# look them up, then grant them with rbac_zenml_role_assignment.
data "rbac_zenml_roles" "workspace_admin" {
  organization_id = "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30"
  level           = "workspace"
  name            = "Admin"
}

output "workspace_admin_role_id" {
  value = data.rbac_zenml_roles.workspace_admin.ids[0]
}
