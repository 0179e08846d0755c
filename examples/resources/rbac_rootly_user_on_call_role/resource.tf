resource "rbac_rootly_on_call_role" "responder" {
  name                  = "Responder"
  alerts_permissions    = ["read", "update"]
  schedules_permissions = ["read"]
}

# Who holds which on-call role, reviewed in code, by email.
locals {
  rootly_on_call = {
    "ada@example.com"   = rbac_rootly_on_call_role.responder.id
    "grace@example.com" = rbac_rootly_on_call_role.responder.id
  }
}

# Every user of the organization, once (every page of GET /v1/users).
data "rbac_rootly_users" "all" {}

locals {
  rootly_user_ids = { for u in data.rbac_rootly_users.all.users : lower(u.email) => u.id }
}

# One resource per person who is still a user. Someone who leaves drops out
# of for_each (Terraform stops managing their on-call role) instead of
# failing the whole plan with "Invalid index" (`users[0]` of an empty list).
resource "rbac_rootly_user_on_call_role" "team" {
  for_each = {
    for email, role in local.rootly_on_call : email => role
    if contains(keys(local.rootly_user_ids), lower(email))
  }
  user_id         = local.rootly_user_ids[lower(each.key)]
  on_call_role_id = each.value
}
