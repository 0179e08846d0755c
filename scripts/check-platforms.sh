#!/usr/bin/env bash
# make check-platforms: proves that the crate still compiles for macOS and
# Windows (type-checks it; no linking), so that a Linux-only call cannot land.
# Both targets in one cargo run share the build scripts and proc-macros built
# for the host. Toolchain: scripts/cross.sh (docs/guides/release.md).
set -euo pipefail
source "$(dirname "$0")/platform.sh"
source "$(dirname "$0")/cross.sh"
cross_setup
cd "$root"
# Nothing here is run or debugged: std and the build scripts compile faster
# without debug info.
export CARGO_PROFILE_DEV_DEBUG=false CARGO_INCREMENTAL=0
start=$SECONDS
cross_cargo check -Zbuild-std=std,panic_abort --locked --lib --bins \
  --target aarch64-apple-darwin --target x86_64-pc-windows-gnu
echo "check-platforms: aarch64-apple-darwin and x86_64-pc-windows-gnu compile ($((SECONDS - start)) s)"
