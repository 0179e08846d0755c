# Families left out are empty sets: the role grants nothing there.
resource "rbac_rootly_on_call_role" "responder" {
  name = "On-call Responder"

  alerts_permissions              = ["read", "update"]
  contacts_permissions            = ["read"] # read only
  escalation_policies_permissions = ["read"]
  schedule_override_permissions   = ["create", "update"] # no read or delete here
  schedules_permissions           = ["read"]
}
