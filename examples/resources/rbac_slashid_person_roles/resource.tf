resource "rbac_slashid_role" "billing_viewer" {
  name = "billing-viewer"
}

# Every role of this person: roles not listed are revoked.
resource "rbac_slashid_person_roles" "alice" {
  person_id = "pid:01900000-0000-7000-8000-000000000001"
  roles     = [rbac_slashid_role.billing_viewer.name]
  # SlashID revokes a deleted role from everyone: when a role is replaced,
  # its generation changes and Alice is granted it again in the same apply.
  role_generations = [rbac_slashid_role.billing_viewer.generation]
}
