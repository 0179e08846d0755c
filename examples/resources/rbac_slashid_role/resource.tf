# create_before_destroy, from the start: a renamed or removed permission is
# taken out of the roles before it is deleted (SlashID refuses to delete a
# permission a role holds).
resource "rbac_slashid_permission" "invoices_list" {
  name = "billing.invoices.list"

  lifecycle {
    create_before_destroy = true
  }
}

resource "rbac_slashid_permission" "invoices_pay" {
  name = "billing.invoices.pay"

  lifecycle {
    create_before_destroy = true
  }
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
