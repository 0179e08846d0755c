# Adopt an existing account: bring every custom role and every role
# assignment of Flashduty and Rootly under Terraform in one reviewed apply,
# without writing a single ID by hand.
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

terraform {
  required_version = ">= 1.7"
  required_providers {
    rbac = { source = "rbac-provider/rbac" }
  }
}

provider "rbac" {
  flashduty {}
  rootly {}
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

output "adopted" {
  description = "How many objects of each kind Terraform manages."
  value = {
    flashduty_roles        = length(rbac_flashduty_role.adopted)
    flashduty_member_roles = length(rbac_flashduty_member_roles.adopted)
    rootly_on_call_roles   = length(rbac_rootly_on_call_role.adopted)
    rootly_user_roles      = length(rbac_rootly_user_on_call_role.adopted)
  }
}
