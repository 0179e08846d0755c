resource "rbac_slashid_permission" "invoices_list" {
  name        = "billing.invoices.list"
  description = "List invoices."
}
