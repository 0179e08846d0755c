resource "rbac_slashid_permission" "invoices_list" {
  name = "billing.invoices.list"
}

resource "rbac_slashid_permission" "invoices_pay" {
  name = "billing.invoices.pay"
}

# The provider adds the "<org_id>/" prefix SlashID requires; referencing the
# permissions makes Terraform create them first and delete them last.
resource "rbac_slashid_role" "billing_admin" {
  name        = "billing-admin"
  description = "Read and pay invoices."
  permissions = [
    rbac_slashid_permission.invoices_list.name,
    rbac_slashid_permission.invoices_pay.name,
  ]
}
