# By role UUID:
terraform import rbac_zenml_role.ml_engineer 3f6d2c1e-8a4b-4c5d-9e7f-0a1b2c3d4e5f

# Or by organization UUID and exact role name:
terraform import rbac_zenml_role.ml_engineer "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30/ML Engineer"
