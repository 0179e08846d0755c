# Adopt an existing account: bring every custom role and every role
# assignment of Flashduty, SlashID, Rootly and ZenML Pro under Terraform in
# one reviewed apply, without writing a single ID by hand.
#
# The pattern: plural data sources list what exists, `for_each` resources
# take their attributes straight from those lists (the data sources use the
# resources' attribute names), and `import { for_each = ... }` blocks
# (Terraform 1.7+) adopt each object instead of creating it. The first plan
# says "N to import, 0 to add, 0 to change"; after the apply, the next plan
# says "No changes".
#
# `terraform plan -generate-config-out` does not work with `for_each`
# imports: the resources below are the configuration.
#
# The attributes follow the live account while these data sources feed
# them, so a change made outside Terraform is adopted rather than reverted.
# Once adopted, write the roles you want to keep as literal configuration
# (`terraform state show` prints their attributes) if Terraform should hold
# them fixed.
#
# Two inputs remain, because no vendor endpoint can discover them: the IDs
# of the SlashID persons (SlashID's RBAC API lists no persons) and the ZenML
# Pro organization. Their defaults are the emulator's.

terraform {
  required_version = ">= 1.7"
  required_providers {
    rbac = { source = "rbac-provider/rbac" }
  }
}

provider "rbac" {
  flashduty {}
  slashid {}
  rootly {}
  zenml {}
}

variable "slashid_person_ids" {
  description = "IDs of the SlashID persons whose roles to adopt (SlashID's RBAC API cannot list persons)."
  type        = set(string)
  default = [
    "pid:01900000-0000-7000-8000-000000000001",
    "pid:01900000-0000-7000-8000-000000000002",
    "pid:01900000-0000-7000-8000-000000000003",
  ]
}

variable "zenml_organization_id" {
  description = "UUID of the ZenML Pro organization (the default is the emulator's)."
  type        = string
  default     = "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30"
}

# ---------------------------------------------------------------- Flashduty

# Every custom role (built-ins cannot be managed, only granted).
data "rbac_flashduty_roles" "custom" {
  built_in = false
}

# Every member of the account, with the roles each holds.
data "rbac_flashduty_members" "all" {}

locals {
  flashduty_roles   = { for r in data.rbac_flashduty_roles.custom.roles : r.id => r }
  flashduty_members = { for m in data.rbac_flashduty_members.all.members : tostring(m.member_id) => m }
}

import {
  for_each = local.flashduty_roles
  to       = rbac_flashduty_role.adopted[each.key]
  id       = each.key
}

resource "rbac_flashduty_role" "adopted" {
  for_each = local.flashduty_roles

  role_name      = each.value.role_name
  description    = each.value.description
  permission_ids = each.value.permission_ids
  status         = each.value.status
}

import {
  for_each = local.flashduty_members
  to       = rbac_flashduty_member_roles.adopted[each.key]
  id       = each.key
}

# Authoritative per member. Destroying it later leaves the member's roles as
# they are.
resource "rbac_flashduty_member_roles" "adopted" {
  for_each = local.flashduty_members

  member_id = each.value.member_id
  role_ids  = each.value.role_ids
}

# ------------------------------------------------------------------- Rootly

# Every on-call role; only custom ones can be managed.
data "rbac_rootly_on_call_roles" "all" {}

# Every user, with the on-call role each holds (null when none).
data "rbac_rootly_users" "all" {}

locals {
  rootly_roles = { for r in data.rbac_rootly_on_call_roles.all.roles : r.id => r if r.system_role == "custom" }
  rootly_users = { for u in data.rbac_rootly_users.all.users : u.id => u if u.on_call_role_id != null }
}

import {
  for_each = local.rootly_roles
  to       = rbac_rootly_on_call_role.adopted[each.key]
  id       = each.key
}

resource "rbac_rootly_on_call_role" "adopted" {
  for_each = local.rootly_roles

  name                                 = each.value.name
  alert_fields_permissions             = each.value.alert_fields_permissions
  alert_groups_permissions             = each.value.alert_groups_permissions
  alert_routing_rules_permissions      = each.value.alert_routing_rules_permissions
  alert_sources_permissions            = each.value.alert_sources_permissions
  alert_urgency_permissions            = each.value.alert_urgency_permissions
  alerts_permissions                   = each.value.alerts_permissions
  api_keys_permissions                 = each.value.api_keys_permissions
  audits_permissions                   = each.value.audits_permissions
  catalogs_permissions                 = each.value.catalogs_permissions
  contacts_permissions                 = each.value.contacts_permissions
  escalation_policies_permissions      = each.value.escalation_policies_permissions
  functionalities_permissions          = each.value.functionalities_permissions
  groups_permissions                   = each.value.groups_permissions
  heartbeats_permissions               = each.value.heartbeats_permissions
  integrations_permissions             = each.value.integrations_permissions
  invitations_permissions              = each.value.invitations_permissions
  live_call_routing_permissions        = each.value.live_call_routing_permissions
  on_call_readiness_report_permissions = each.value.on_call_readiness_report_permissions
  on_call_roles_permissions            = each.value.on_call_roles_permissions
  schedule_override_permissions        = each.value.schedule_override_permissions
  schedules_permissions                = each.value.schedules_permissions
  services_permissions                 = each.value.services_permissions
  webhooks_permissions                 = each.value.webhooks_permissions
  workflows_permissions                = each.value.workflows_permissions
}

import {
  for_each = local.rootly_users
  to       = rbac_rootly_user_on_call_role.adopted[each.key]
  id       = each.key
}

# Destroying it later leaves the user's on-call role as it is.
resource "rbac_rootly_user_on_call_role" "adopted" {
  for_each = local.rootly_users

  user_id         = each.value.id
  on_call_role_id = each.value.on_call_role_id
}

# ------------------------------------------------------------------ SlashID

# Every permission and every role (SlashID has no built-in ones).
data "rbac_slashid_permissions" "all" {}

data "rbac_slashid_roles" "all" {}

# The roles each listed person holds.
data "rbac_slashid_persons" "listed" {
  person_ids = var.slashid_person_ids
}

locals {
  slashid_permissions = { for p in data.rbac_slashid_permissions.all.permissions : p.name => p }
  slashid_roles       = { for r in data.rbac_slashid_roles.all.roles : r.name => r }
  slashid_persons     = { for p in data.rbac_slashid_persons.listed.persons : p.person_id => p if length(p.roles) > 0 }
}

import {
  for_each = local.slashid_permissions
  to       = rbac_slashid_permission.adopted[each.key]
  id       = each.key
}

resource "rbac_slashid_permission" "adopted" {
  for_each = local.slashid_permissions

  name        = each.value.name
  description = each.value.description
}

import {
  for_each = local.slashid_roles
  to       = rbac_slashid_role.adopted[each.key]
  id       = each.value.full_name
}

resource "rbac_slashid_role" "adopted" {
  for_each = local.slashid_roles

  name        = each.value.name
  description = each.value.description
  permissions = each.value.permissions
}

import {
  for_each = local.slashid_persons
  to       = rbac_slashid_person_roles.adopted[each.key]
  id       = each.key
}

# Authoritative per person. Unlike Flashduty and Rootly, destroying it later
# revokes every role from the person (the resource's documented behaviour):
# a `removed` block with `lifecycle { destroy = false }` stops managing it
# instead.
resource "rbac_slashid_person_roles" "adopted" {
  for_each = local.slashid_persons

  person_id = each.value.person_id
  roles     = each.value.roles
}

# ---------------------------------------------------------------- ZenML Pro

# Every role of the organization; only custom ones can be managed.
data "rbac_zenml_roles" "all" {
  organization_id = var.zenml_organization_id
}

# Every assignment of every role, built-in roles included (an organization
# membership is an assignment of a built-in organization role).
data "rbac_zenml_role_assignments" "all" {
  organization_id = var.zenml_organization_id
}

locals {
  zenml_roles       = { for r in data.rbac_zenml_roles.all.roles : r.id => r if !r.system_managed }
  zenml_assignments = { for a in data.rbac_zenml_role_assignments.all.assignments : a.id => a }
  # One resource block per kind of principal: each sets exactly one of
  # user_id, team_id and invitation_id, which the resource checks before
  # the data source's values are known.
  zenml_user_assignments       = { for k, a in local.zenml_assignments : k => a if a.user_id != null }
  zenml_team_assignments       = { for k, a in local.zenml_assignments : k => a if a.team_id != null }
  zenml_invitation_assignments = { for k, a in local.zenml_assignments : k => a if a.invitation_id != null }
}

import {
  for_each = local.zenml_roles
  to       = rbac_zenml_role.adopted[each.key]
  id       = each.key
}

resource "rbac_zenml_role" "adopted" {
  for_each = local.zenml_roles

  organization_id = each.value.organization_id
  level           = each.value.level
  name            = each.value.name
  description     = each.value.description
  type            = each.value.type
}

# Destroying an assignment later revokes the role (for a built-in
# organization role: the membership); a `removed` block with
# `lifecycle { destroy = false }` stops managing it instead.
import {
  for_each = local.zenml_user_assignments
  to       = rbac_zenml_role_assignment.users[each.key]
  id       = each.key
}

resource "rbac_zenml_role_assignment" "users" {
  for_each = local.zenml_user_assignments

  role_id      = each.value.role_id
  user_id      = each.value.user_id
  workspace_id = each.value.workspace_id
  project_id   = each.value.project_id
}

import {
  for_each = local.zenml_team_assignments
  to       = rbac_zenml_role_assignment.teams[each.key]
  id       = each.key
}

resource "rbac_zenml_role_assignment" "teams" {
  for_each = local.zenml_team_assignments

  role_id      = each.value.role_id
  team_id      = each.value.team_id
  workspace_id = each.value.workspace_id
  project_id   = each.value.project_id
}

import {
  for_each = local.zenml_invitation_assignments
  to       = rbac_zenml_role_assignment.invitations[each.key]
  id       = each.key
}

resource "rbac_zenml_role_assignment" "invitations" {
  for_each = local.zenml_invitation_assignments

  role_id       = each.value.role_id
  invitation_id = each.value.invitation_id
  workspace_id  = each.value.workspace_id
  project_id    = each.value.project_id
}

output "adopted" {
  description = "How many objects of each kind Terraform manages."
  value = {
    flashduty_roles        = length(rbac_flashduty_role.adopted)
    flashduty_member_roles = length(rbac_flashduty_member_roles.adopted)
    rootly_on_call_roles   = length(rbac_rootly_on_call_role.adopted)
    rootly_user_roles      = length(rbac_rootly_user_on_call_role.adopted)
    slashid_permissions    = length(rbac_slashid_permission.adopted)
    slashid_roles          = length(rbac_slashid_role.adopted)
    slashid_person_roles   = length(rbac_slashid_person_roles.adopted)
    zenml_roles            = length(rbac_zenml_role.adopted)
    zenml_role_assignments = length(rbac_zenml_role_assignment.users) + length(rbac_zenml_role_assignment.teams) + length(rbac_zenml_role_assignment.invitations)
  }
}
