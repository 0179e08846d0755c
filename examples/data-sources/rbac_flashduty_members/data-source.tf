# One member, by email (exact, case-insensitive).
data "rbac_flashduty_members" "bob" {
  email = "bob@example.com"
}

# Every member of the account (every page of /member/list).
data "rbac_flashduty_members" "all" {}

# one() is null when Bob has left the account, instead of an "Invalid
# index" error that would fail the whole plan.
output "bob_member_id" {
  value = one(data.rbac_flashduty_members.bob.members[*].member_id)
}

output "admins" {
  value = [for m in data.rbac_flashduty_members.all.members : m.email if contains(m.role_ids, 2)]
}
