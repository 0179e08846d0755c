# Look the member up by email rather than hard-coding its ID.
data "rbac_flashduty_members" "bob" {
  email = "bob@example.com"
}

resource "rbac_flashduty_role" "oncall_manager" {
  role_name      = "On-call Manager"
  permission_ids = [501, 502]
}

# Every role Bob holds: the custom role and the built-in Responder (6).
resource "rbac_flashduty_member_roles" "bob" {
  member_id = data.rbac_flashduty_members.bob.members[0].member_id
  role_ids  = [rbac_flashduty_role.oncall_manager.id, 6]
}
