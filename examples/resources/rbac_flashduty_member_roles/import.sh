# By member ID
terraform import rbac_flashduty_member_roles.bob 5068740052131

# By email
terraform import rbac_flashduty_member_roles.bob bob@example.com
