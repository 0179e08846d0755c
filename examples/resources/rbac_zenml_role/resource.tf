variable "zenml_organization_id" {
  type    = string
  default = "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30"
}

# A custom workspace role. Permissions are edited in the ZenML Pro dashboard:
# the API documents no permissions field yet.
resource "rbac_zenml_role" "ml_engineer" {
  organization_id = var.zenml_organization_id
  level           = "workspace"
  name            = "ML Engineer"
  description     = "Runs pipelines and manages models in a workspace."
}
