resource "rbac_slashid_permission" "invoices_list" {
  name        = "billing.invoices.list"
  description = "List invoices."

  # SlashID refuses to delete a permission a role still holds. With this set
  # from the start, Terraform updates the roles before it deletes a renamed or
  # removed permission (it records the setting only when it applies it).
  lifecycle {
    create_before_destroy = true
  }
}
