# What these people hold in every configured vendor. A vendor without
# credentials is skipped (see `vendors`); an unknown email is a person
# with no accounts.
data "rbac_access" "review" {
  emails = ["ada@example.com", "bob@example.com", "nobody@example.com"]
}

# One row per person, vendor and role: the review's findings.
output "admins" {
  value = [
    for g in data.rbac_access.review.grants :
    "${g.email}: ${g.vendor} ${g.role_name}${g.team_name == null ? "" : " (through ${g.team_name})"}"
    if g.role_name == "Admin"
  ]
}

# Vendors that were skipped, and why.
output "skipped" {
  value = { for v in data.rbac_access.review.vendors : v.vendor => v.reason if !v.configured }
}

# Bob's Flashduty roles, with the attribute names of
# rbac_flashduty_member_roles (null when he has no member there).
output "bob_flashduty_role_ids" {
  value = try(data.rbac_access.review.people[1].flashduty.role_ids, null)
}
