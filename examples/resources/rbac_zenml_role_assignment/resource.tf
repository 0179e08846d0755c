variable "zenml_organization_id" {
  type    = string
  default = "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30"
}

resource "rbac_zenml_role" "ml_engineer" {
  organization_id = var.zenml_organization_id
  level           = "workspace"
  name            = "ML Engineer"
}

# A workspace role for one user, in one workspace.
resource "rbac_zenml_role_assignment" "alice" {
  role_id      = rbac_zenml_role.ml_engineer.id
  user_id      = "7d1c2b3a-1111-4aaa-8bbb-000000000001"
  workspace_id = "7d1c2b3a-3333-4aaa-8bbb-000000000004"
}

# A built-in organization role for a whole team.
data "rbac_zenml_roles" "org_viewer" {
  organization_id = var.zenml_organization_id
  level           = "organization"
  name            = "Viewer"
}

resource "rbac_zenml_role_assignment" "auditors" {
  role_id = data.rbac_zenml_roles.org_viewer.ids[0]
  team_id = "7d1c2b3a-2222-4aaa-8bbb-000000000003"
}
