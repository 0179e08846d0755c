# One on-call responder role in every vendor, from one permission list.
#
# `local.responder.access` says, per area, whether responders only read or
# also change things. Each vendor block below translates that list into the
# vendor's own permission model, so a reviewer changes one line to change
# what responders may do everywhere.

terraform {
  required_providers {
    rbac = { source = "rbac-provider/rbac" }
  }
}

# Credentials and base URLs come from the environment (FLASHDUTY_APP_KEY,
# SLASHID_ORG_ID, SLASHID_API_KEY, ROOTLY_API_TOKEN, ZENML_PRO_URL,
# ZENML_PRO_API_KEY, ...).
provider "rbac" {
  flashduty {}
  slashid {}
  rootly {}
  zenml {}
}

variable "zenml_organization_id" {
  description = "UUID of the ZenML Pro organization (the default is the emulator's)."
  type        = string
  default     = "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30"
}

locals {
  responder = {
    name        = "On-call Responder"
    description = "Handles incidents while on call; managed by Terraform"
    access = {
      incidents = "manage"
      schedules = "read"
      channels  = "read"
    }
  }

  # "read" or "manage" in each vendor's words.
  flashduty_names = {
    incidents = "Incidents"
    schedules = "Schedules"
    channels  = "Channels"
  }
  rootly_values = {
    read   = ["read"]
    manage = ["create", "read", "update", "delete"]
  }
}

# Flashduty: permissions are looked up by name, never by magic number.
data "rbac_flashduty_permissions" "responder" {
  permission_names = [
    for area, level in local.responder.access :
    "${local.flashduty_names[area]} ${level == "manage" ? "Manage" : "Read"}"
  ]
}

resource "rbac_flashduty_role" "responder" {
  role_name      = local.responder.name
  description    = local.responder.description
  permission_ids = data.rbac_flashduty_permissions.responder.ids
}

# SlashID: the team names its own permissions; the role grants them. The
# role references the permissions, so they are created first and deleted last;
# create_before_destroy lets a renamed permission replace the old one in one
# apply (SlashID refuses to delete a permission that a role still holds).
resource "rbac_slashid_permission" "responder" {
  for_each    = local.responder.access
  name        = "${each.key}.${each.value}"
  description = "${title(each.value)} ${each.key}"

  lifecycle {
    create_before_destroy = true
  }
}

resource "rbac_slashid_role" "responder" {
  name        = "oncall-responder" # stored as "<org_id>/oncall-responder"
  description = local.responder.description
  permissions = [for p in rbac_slashid_permission.responder : p.name]
}

# Rootly: one permission set per family.
resource "rbac_rootly_on_call_role" "responder" {
  name                  = local.responder.name
  alerts_permissions    = local.rootly_values[local.responder.access.incidents]
  schedules_permissions = local.rootly_values[local.responder.access.schedules]
  contacts_permissions  = ["read"] # Rootly allows only read here
}

# ZenML Pro: custom roles carry a name and description at a level.
resource "rbac_zenml_role" "responder" {
  organization_id = var.zenml_organization_id
  level           = "workspace"
  name            = local.responder.name
  description     = local.responder.description
}

output "responder_roles" {
  value = {
    flashduty = rbac_flashduty_role.responder.id
    slashid   = rbac_slashid_role.responder.full_name
    rootly    = rbac_rootly_on_call_role.responder.slug
    zenml     = rbac_zenml_role.responder.id
  }
}
