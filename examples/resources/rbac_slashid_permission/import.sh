# By permission name:
terraform import rbac_slashid_permission.invoices_list billing.invoices.list
