# By UUID (list them with the rbac_rootly_on_call_roles data source):
terraform import rbac_rootly_on_call_role.responder 91b7d512-7444-4978-8350-7492b18ec2ad

# Or by slug:
terraform import rbac_rootly_on_call_role.responder on-call-responder
