# By user ID
terraform import 'rbac_rootly_user_on_call_role.team["ada@example.com"]' 20001

# By email
terraform import 'rbac_rootly_user_on_call_role.team["ada@example.com"]' ada@example.com

# A user who holds no on-call role has no assignment to import: declare the
# resource with the role to assign instead (the apply assigns it).
