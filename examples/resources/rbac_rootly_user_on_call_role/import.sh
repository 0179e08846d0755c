# By user ID
terraform import rbac_rootly_user_on_call_role.ada 20001

# By email
terraform import rbac_rootly_user_on_call_role.ada ada@example.com
