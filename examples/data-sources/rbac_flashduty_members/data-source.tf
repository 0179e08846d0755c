# One member, by email (exact, case-insensitive).
data "rbac_flashduty_members" "bob" {
  email = "bob@example.com"
}

# Every member of the account (every page of /member/list).
data "rbac_flashduty_members" "all" {}

output "bob_member_id" {
  value = data.rbac_flashduty_members.bob.members[0].member_id
}

output "admins" {
  value = [for m in data.rbac_flashduty_members.all.members : m.email if contains(m.role_ids, 2)]
}
