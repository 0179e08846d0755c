# Name permissions instead of using their numeric IDs.
data "rbac_flashduty_permissions" "templates" {
  permission_names = ["Templates Read", "Templates Manage"]
}

resource "rbac_flashduty_role" "oncall_manager" {
  role_name      = "On-call Manager"
  description    = "Manage on-call rotations and incidents."
  permission_ids = data.rbac_flashduty_permissions.templates.ids
}
