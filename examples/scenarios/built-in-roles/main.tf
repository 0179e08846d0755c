# Look up built-in roles instead of hard-coding their IDs, and grant them.

terraform {
  required_providers {
    rbac = { source = "rbac-provider/rbac" }
  }
}

provider "rbac" {
  flashduty {}
  rootly {}
  zenml {}
}

variable "zenml_organization_id" {
  description = "UUID of the ZenML Pro organization (the default is the emulator's)."
  type        = string
  default     = "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30"
}

variable "zenml_auditors_team_id" {
  description = "UUID of the ZenML Pro team that gets the built-in organization Viewer role."
  type        = string
  default     = "7d1c2b3a-2222-4aaa-8bbb-000000000003"
}

# Flashduty's built-in Viewer role, by name.
data "rbac_flashduty_role" "viewer" {
  role_name = "Viewer"
}

# A custom Flashduty role that starts from the Viewer's permissions.
resource "rbac_flashduty_role" "viewer_plus_templates" {
  role_name   = "Viewer + Templates"
  description = "Everything the built-in Viewer sees, plus template editing"
  permission_ids = setunion(
    data.rbac_flashduty_role.viewer.permission_ids,
    data.rbac_flashduty_permissions.templates_manage.ids,
  )
}

data "rbac_flashduty_permissions" "templates_manage" {
  permission_names = ["Templates Manage"]
}

# ZenML Pro's built-in roles (system-managed) at the organization level.
data "rbac_zenml_roles" "organization" {
  organization_id = var.zenml_organization_id
  level           = "organization"
}

locals {
  zenml_builtin = {
    for role in data.rbac_zenml_roles.organization.roles :
    role.name => role.id if role.system_managed
  }
}

resource "rbac_zenml_role_assignment" "auditors_view" {
  role_id = local.zenml_builtin["Viewer"]
  team_id = var.zenml_auditors_team_id
}

# Rootly's built-in on-call roles (Admin, User, Observer, No Access) are the
# ones whose system_role is not "custom".
data "rbac_rootly_on_call_roles" "all" {}

locals {
  rootly_builtin = {
    for role in data.rbac_rootly_on_call_roles.all.roles :
    role.name => role.slug if role.system_role != "custom"
  }
}

output "built_in" {
  value = {
    flashduty_viewer_id = data.rbac_flashduty_role.viewer.id
    zenml               = local.zenml_builtin
    rootly              = local.rootly_builtin
  }
}
