# Every user of the organization, with the on-call role each holds.
data "rbac_rootly_users" "all" {}

# One user, by email.
data "rbac_rootly_users" "ada" {
  email = "ada@example.com"
}

output "users_without_on_call_role" {
  value = [for u in data.rbac_rootly_users.all.users : u.email if u.on_call_role_id == null]
}
