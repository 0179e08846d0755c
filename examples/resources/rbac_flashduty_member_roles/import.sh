# By member ID
terraform import 'rbac_flashduty_member_roles.team["bob@example.com"]' 5068740052131

# By email
terraform import 'rbac_flashduty_member_roles.team["bob@example.com"]' bob@example.com
