# By person ID:
terraform import rbac_slashid_person_roles.alice pid:01900000-0000-7000-8000-000000000001
