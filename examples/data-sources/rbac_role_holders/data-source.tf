# Who holds Flashduty's built-in Admin role (ID 2).
data "rbac_role_holders" "flashduty_admins" {
  vendor  = "flashduty"
  role_id = "2"
}

# Rootly's Admin on-call role, by slug.
data "rbac_role_holders" "rootly_admins" {
  vendor  = "rootly"
  role_id = "admin"
}

output "admins" {
  value = {
    flashduty = data.rbac_role_holders.flashduty_admins.holders[*].email
    rootly    = data.rbac_role_holders.rootly_admins.holders[*].email
  }
}
