# By short name (the provider adds the organization prefix):
terraform import rbac_slashid_role.billing_admin billing-admin

# Or by full name:
terraform import rbac_slashid_role.billing_admin af5fbd30-7ce7-4548-8b30-4cd59cb2aba1/billing-admin
