# By role ID:
terraform import rbac_flashduty_role.oncall_manager 4001

# Or by exact role name:
terraform import rbac_flashduty_role.oncall_manager "On-call Manager"
