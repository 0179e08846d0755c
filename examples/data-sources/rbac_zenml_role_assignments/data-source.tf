# Every role assignment of the organization (built-in and custom roles).
data "rbac_zenml_role_assignments" "all" {
  organization_id = "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30"
}

# Only one user's assignments.
data "rbac_zenml_role_assignments" "alice" {
  organization_id = "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30"
  user_id         = "7d1c2b3a-1111-4aaa-8bbb-000000000001"
}

output "roles_of_alice" {
  value = data.rbac_zenml_role_assignments.alice.assignments[*].role_id
}
