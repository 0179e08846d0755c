# The roles of persons whose IDs you know: SlashID's RBAC API cannot list
# persons, so the IDs come from your identity source.
data "rbac_slashid_persons" "team" {
  person_ids = [
    "pid:01900000-0000-7000-8000-000000000001",
    "pid:01900000-0000-7000-8000-000000000002",
  ]
}

# Only those who hold a given role (short name, without the org prefix).
data "rbac_slashid_persons" "billing_viewers" {
  person_ids = data.rbac_slashid_persons.team.persons[*].person_id
  role       = "billing-viewer"
}

output "roles_by_person" {
  value = { for p in data.rbac_slashid_persons.team.persons : p.person_id => p.roles }
}
