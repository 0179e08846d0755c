# Every on-call role whose name or slug matches "on-call", across all pages.
data "rbac_rootly_on_call_roles" "oncall" {
  search = "on-call"
}

output "oncall_role_slugs" {
  value = data.rbac_rootly_on_call_roles.oncall.roles[*].slug
}
