#!/usr/bin/env bash
# make install: put the release binary into Terraform's implied local mirror,
# ~/.terraform.d/plugins/registry.terraform.io/rbac-provider/rbac/<version>/<os>_<arch>/,
# so that a plain `terraform init` finds it (no dev_overrides needed).
set -euo pipefail
source "$(dirname "$0")/platform.sh"
dest="${HOME}/.terraform.d/plugins/registry.terraform.io/rbac-provider/rbac/${version}/${platform}"
mkdir -p "$dest"
install -m 0755 "${RBAC_PROVIDER_BIN:-$root/target/release/terraform-provider-rbac}" "$dest/terraform-provider-rbac_v${version}"
echo "installed terraform-provider-rbac ${version} into ${dest}"
