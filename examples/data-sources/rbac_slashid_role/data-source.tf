data "rbac_slashid_role" "viewer" {
  name = "billing-viewer"
}

output "viewer_permissions" {
  value = data.rbac_slashid_role.viewer.permissions
}
