#!/usr/bin/env bash
# make release: dist/ with the registry's artefacts for the host platform:
# terraform-provider-rbac_<version>_<os>_<arch>.zip, the manifest and SHA256SUMS.
set -euo pipefail
source "$(dirname "$0")/platform.sh"
bin="$root/target/release/terraform-provider-rbac"
reported="$("$bin" --version | awk '{print $2}')"
if [ "$reported" != "$version" ]; then
  echo "release: Cargo.toml says $version but the binary reports $reported" >&2
  exit 1
fi
dist="$root/dist"
name="terraform-provider-rbac_${version}"
rm -rf "$dist" && mkdir -p "$dist/stage"
cp "$bin" "$dist/stage/terraform-provider-rbac_v${version}"
(cd "$dist/stage" && zip -q -X "../${name}_${platform}.zip" "terraform-provider-rbac_v${version}")
cp "$root/terraform-registry-manifest.json" "$dist/${name}_manifest.json"
rm -rf "$dist/stage"
(cd "$dist" && sha256sum "${name}_${platform}.zip" "${name}_manifest.json" >"${name}_SHA256SUMS")
ls -l "$dist"
