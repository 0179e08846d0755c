resource "rbac_slashid_permission" "invoices_list" {
  name        = "billing.invoices.list"
  description = "List invoices."

  # A role that grants this permission must drop it before SlashID deletes it:
  # on a rename, create the new permission and update the roles first.
  lifecycle {
    create_before_destroy = true
  }
}
