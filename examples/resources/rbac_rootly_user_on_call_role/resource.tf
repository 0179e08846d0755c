data "rbac_rootly_users" "ada" {
  email = "ada@example.com"
}

resource "rbac_rootly_on_call_role" "responder" {
  name                  = "Responder"
  alerts_permissions    = ["read", "update"]
  schedules_permissions = ["read"]
}

resource "rbac_rootly_user_on_call_role" "ada" {
  user_id         = data.rbac_rootly_users.ada.users[0].id
  on_call_role_id = rbac_rootly_on_call_role.responder.id
}
