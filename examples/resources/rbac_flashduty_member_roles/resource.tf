resource "rbac_flashduty_role" "oncall_manager" {
  role_name      = "On-call Manager"
  permission_ids = [501, 502]
}

# Who holds what, reviewed in code, by email: member IDs are never hard-coded.
locals {
  flashduty_roles = {
    "bob@example.com"   = [rbac_flashduty_role.oncall_manager.id, 6] # custom role + Responder
    "carol@example.com" = [6]
  }
}

# Every member of the account, once (every page of /member/list).
data "rbac_flashduty_members" "all" {}

locals {
  flashduty_member_ids = { for m in data.rbac_flashduty_members.all.members : lower(m.email) => m.member_id }
}

# One resource per person who is still a member. Someone who leaves the
# account drops out of for_each: Terraform stops managing their roles
# instead of failing the whole plan (`members[0]` of an empty list is an
# "Invalid index" error).
resource "rbac_flashduty_member_roles" "team" {
  for_each = {
    for email, roles in local.flashduty_roles : email => roles
    if contains(keys(local.flashduty_member_ids), lower(email))
  }
  member_id = local.flashduty_member_ids[lower(each.key)]
  role_ids  = each.value
}
