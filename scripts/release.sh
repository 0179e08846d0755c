#!/usr/bin/env bash
# make release: dist/ with the registry's artefacts for every platform we ship:
# terraform-provider-rbac_<version>_<os>_<arch>.zip (each holding
# terraform-provider-rbac_v<version>, .exe on Windows), the manifest and
# SHA256SUMS. Everything is cross-compiled from this Linux machine with zig
# (scripts/cross.sh, docs/guides/release.md); `file` must recognise each binary
# as its platform's. RELEASE_PLATFORMS="darwin_arm64 windows_amd64" builds a
# subset (the SHA256SUMS then lists only those).
set -euo pipefail
source "$(dirname "$0")/platform.sh"
source "$(dirname "$0")/cross.sh"
cross_debian_packages+=(file zip)

# Terraform's platform name, the Rust target (a `.2.17` suffix is the oldest
# glibc the Linux binaries need, which zig links against), and what `file`
# must say about the binary.
declare -A triple=(
  [linux_amd64]=x86_64-unknown-linux-gnu.2.17
  [linux_arm64]=aarch64-unknown-linux-gnu.2.17
  [darwin_amd64]=x86_64-apple-darwin
  [darwin_arm64]=aarch64-apple-darwin
  [windows_amd64]=x86_64-pc-windows-gnu
)
declare -A file_says=(
  [linux_amd64]='ELF 64-bit LSB .*x86-64'
  [linux_arm64]='ELF 64-bit LSB .*ARM aarch64'
  [darwin_amd64]='Mach-O 64-bit x86_64 executable'
  [darwin_arm64]='Mach-O 64-bit arm64 executable'
  [windows_amd64]='PE32\+ executable.*x86-64'
)
platforms=(${RELEASE_PLATFORMS:-linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64})

cross_setup
cd "$root"
targets=()
for p in "${platforms[@]}"; do
  [ -n "${triple[$p]:-}" ] || { echo "release: unknown platform $p" >&2; exit 1; }
  targets+=(--target "${triple[$p]}")
done
# One cargo run for all targets: they share the host's build scripts.
cross_cargo zigbuild --release --locked -Zbuild-std=std,panic_abort \
  --bin terraform-provider-rbac "${targets[@]}"

dist="$root/dist"
name="terraform-provider-rbac_${version}"
rm -rf "$dist" && mkdir -p "$dist/stage"
zips=()
for p in "${platforms[@]}"; do
  exe=""
  [ "${p%%_*}" = windows ] && exe=.exe
  bin="$cross_dir/${triple[$p]%.2.*}/release/terraform-provider-rbac$exe"
  says="$(file -b "$bin")"
  if ! grep -Eq "${file_says[$p]}" <<<"$says"; then
    echo "release: $bin is not a $p binary: file says '$says'" >&2
    exit 1
  fi
  echo "release: $p: $says"
  if [ "$p" = darwin_arm64 ]; then
    # macOS on Apple silicon runs only signed code: zig's linker signs ad hoc,
    # and nothing may change the binary after it. (Intel Macs run unsigned
    # code, and the linker, like Apple's, signs only arm64 by default.)
    python3 "$root/scripts/macho_signature.py" "$bin"
  fi
  if [ "$p" = "$platform" ]; then
    # The one binary this machine can run: it must report Cargo.toml's version.
    reported="$("$bin" --version | awk '{print $2}')"
    if [ "$reported" != "$version" ]; then
      echo "release: Cargo.toml says $version but the binary reports $reported" >&2
      exit 1
    fi
  fi
  rm -f "$dist/stage/"*
  cp "$bin" "$dist/stage/terraform-provider-rbac_v${version}$exe"
  (cd "$dist/stage" && zip -q -X "../${name}_${p}.zip" "terraform-provider-rbac_v${version}$exe")
  zips+=("${name}_${p}.zip")
done
cp "$root/terraform-registry-manifest.json" "$dist/${name}_manifest.json"
rm -rf "$dist/stage"
(cd "$dist" && sha256sum "${zips[@]}" "${name}_manifest.json" >"${name}_SHA256SUMS")
ls -l "$dist"
