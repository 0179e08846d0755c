# Quickstart: a read-only auditor role and an on-call manager role in
# Flashduty. `make demo` runs it against the bundled emulator.
terraform {
  required_providers {
    rbac = {
      source = "rbac-provider/rbac"
    }
  }
}

# Credentials come from FLASHDUTY_APP_KEY and FLASHDUTY_BASE_URL.
provider "rbac" {
  flashduty {}
}

data "rbac_flashduty_permissions" "oncall_read" {
  class           = "On-call"
  permission_type = "read"
}

data "rbac_flashduty_permissions" "templates" {
  permission_names = ["Templates Read", "Templates Manage"]
}

resource "rbac_flashduty_role" "auditor" {
  role_name      = "On-call Auditor"
  description    = "Read-only access to everything on-call."
  permission_ids = data.rbac_flashduty_permissions.oncall_read.ids
}

resource "rbac_flashduty_role" "template_manager" {
  role_name      = "Template Manager"
  description    = "Maintains notification templates."
  permission_ids = data.rbac_flashduty_permissions.templates.ids
}

output "role_ids" {
  value = {
    auditor          = rbac_flashduty_role.auditor.id
    template_manager = rbac_flashduty_role.template_manager.id
  }
}
