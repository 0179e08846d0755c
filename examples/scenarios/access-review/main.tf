# Access review as code: who holds which admin-level role in Flashduty,
# Rootly, SlashID and ZenML Pro, checked against a reviewed list on every
# `terraform plan`.
#
# - `data "rbac_access"` reads what the people in scope hold everywhere
#   (one listing per vendor, not one read per person).
# - `data "rbac_role_holders"` asks "who holds Admin" directly, so an admin
#   missing from the people in scope (a contractor, a leftover account) is
#   found too.
# - `check` blocks turn every difference from the reviewed list into a plan
#   warning naming the person, the vendor and the role. A check never
#   blocks an apply: the warnings are the review's findings.
# - `terraform output -json evidence` is the evidence an auditor keeps: who
#   holds what, where (scope, team), and when it was recorded.
#
# A vendor without credentials is skipped (listed under `vendors` with
# `configured = false`), never an error. The defaults below match the
# bundled emulator.

terraform {
  required_version = ">= 1.5"
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

variable "people" {
  description = "Emails of the people in scope (an HR or IdP export), compared case-insensitively."
  type        = list(string)
  default = [
    "alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com",
    "ada@example.com", "grace@example.com", "alan@example.com", "katherine@example.com",
  ]
}

variable "admin_roles" {
  description = "Per vendor, the names of the roles that count as admin-level."
  type        = map(set(string))
  default = {
    flashduty = ["Admin"]
    rootly    = ["Admin"]
    slashid   = ["admin"]
    zenml     = ["Admin"]
  }
}

variable "reviewed_admins" {
  description = "The reviewed list: per vendor, the emails that may hold an admin-level role."
  type        = map(set(string))
  default = {
    flashduty = ["bob@example.com"]
    rootly    = ["ada@example.com"]
    slashid   = []
    zenml     = []
  }
}

data "rbac_access" "review" {
  emails = var.people
}

locals {
  configured = { for v in data.rbac_access.review.vendors : v.vendor => v.configured }
}

# Who holds the built-in admin roles, whoever they are.
data "rbac_role_holders" "flashduty_admin" {
  count   = local.configured["flashduty"] ? 1 : 0
  vendor  = "flashduty"
  role_id = "2" # the built-in Admin
}

data "rbac_role_holders" "rootly_admin" {
  count   = local.configured["rootly"] ? 1 : 0
  vendor  = "rootly"
  role_id = "admin" # the built-in Admin on-call role, by slug
}

locals {
  # Every admin-level holding found, by both routes, once each.
  from_review = [
    for g in data.rbac_access.review.grants : {
      email     = lower(g.email)
      vendor    = g.vendor
      role_id   = g.role_id
      role_name = g.role_name
      where     = join("", [for k in ["organization_id", "workspace_id", "project_id"] : " ${k} ${g[k]}" if g[k] != null])
      team      = g.team_name == null ? "" : " through team ${g.team_name}"
    } if contains(var.admin_roles[g.vendor], g.role_name)
  ]
  from_holders = [
    for vendor, lookup in { flashduty = data.rbac_role_holders.flashduty_admin, rootly = data.rbac_role_holders.rootly_admin } : [
      for l in lookup : [
        for h in l.holders : {
          email     = lower(coalesce(h.email, h.account_id))
          vendor    = vendor
          role_id   = l.role_id
          role_name = l.role_name
          where     = ""
          team      = ""
        }
      ]
    ]
  ]
  admins = {
    for a in concat(local.from_review, flatten(local.from_holders)) :
    "${a.vendor} ${a.email} ${a.role_id}${a.where}${a.team}" => a...
  }
  holdings = [for k, same in local.admins : same[0]]

  unexpected = [
    for a in local.holdings : a
    if !contains([for e in var.reviewed_admins[a.vendor] : lower(e)], a.email)
  ]
  missing = flatten([
    for vendor, emails in var.reviewed_admins : [
      for e in emails : { vendor = vendor, email = lower(e) }
      if local.configured[vendor] && length([for a in local.holdings : a if a.vendor == vendor && a.email == lower(e)]) == 0
    ]
  ])
}

check "admins_are_reviewed" {
  assert {
    condition = length(local.unexpected) == 0
    error_message = join("\n", [
      for a in local.unexpected :
      "${a.email} holds the ${a.vendor} role ${a.role_name} (${a.role_id})${a.where}${a.team}, but is not in the reviewed list of ${a.vendor} admins."
    ])
  }
}

check "reviewed_admins_hold_an_admin_role" {
  assert {
    condition = length(local.missing) == 0
    error_message = join("\n", [
      for m in local.missing :
      "${m.email} is in the reviewed list of ${m.vendor} admins but holds no admin-level ${m.vendor} role: update the list."
    ])
  }
}

# The evidence, recorded when the review first saw it: replaced (with a new
# time) whenever who holds what changes, so that a plan with nothing new
# says "No changes".
locals {
  evidence = [
    for g in data.rbac_access.review.grants : {
      who          = g.email
      vendor       = g.vendor
      account_id   = g.account_id
      role         = g.role_name
      role_id      = g.role_id
      built_in     = g.built_in
      where        = { organization_id = g.organization_id, workspace_id = g.workspace_id, project_id = g.project_id }
      through_team = g.team_name
    }
  ]
}

resource "terraform_data" "evidence" {
  triggers_replace = {
    grants   = local.evidence
    findings = [for a in local.unexpected : "${a.email} ${a.vendor} ${a.role_name}"]
  }
  input = data.rbac_access.review.reviewed_at

  lifecycle {
    ignore_changes = [input]
  }
}

output "evidence" {
  description = "The access review: `terraform output -json evidence`."
  value = {
    recorded_at = terraform_data.evidence.output
    people      = var.people
    vendors     = data.rbac_access.review.vendors
    grants      = terraform_data.evidence.triggers_replace.grants
    findings    = terraform_data.evidence.triggers_replace.findings
    no_account  = [for p in data.rbac_access.review.people : p.email if alltrue([for v in ["flashduty", "rootly", "slashid", "zenml"] : p[v] == null])]
  }
}
