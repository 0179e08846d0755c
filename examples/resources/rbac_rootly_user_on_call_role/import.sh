# By user ID
terraform import 'rbac_rootly_user_on_call_role.team["ada@example.com"]' 20001

# By email
terraform import 'rbac_rootly_user_on_call_role.team["ada@example.com"]' ada@example.com
