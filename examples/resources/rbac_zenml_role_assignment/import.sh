# <role_id>/<user|team|invitation>/<principal_id>[/<workspace_id>[/<project_id>]]
terraform import rbac_zenml_role_assignment.alice \
  3f6d2c1e-8a4b-4c5d-9e7f-0a1b2c3d4e5f/user/7d1c2b3a-1111-4aaa-8bbb-000000000001/7d1c2b3a-3333-4aaa-8bbb-000000000004

terraform import rbac_zenml_role_assignment.auditors \
  9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/team/7d1c2b3a-2222-4aaa-8bbb-000000000003
