#!/usr/bin/env bash
# make demo: start the emulator, apply examples/quickstart against it with the
# freshly built provider, show that a re-plan is clean, stop the emulator.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/target/release"
terraform="${TF_ACC_TERRAFORM_PATH:-terraform}"
work="$(mktemp -d)"
emu_pid=""
cleanup() {
  [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$bin/rbac-emulator" --listen 127.0.0.1:0 >"$work/emulator.out" 2>"$work/emulator.log" &
emu_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/emulator.out" ] && break
  sleep 0.05
done
url="$(head -n 1 "$work/emulator.out")"
echo "==> emulator listening on $url"

# Install the provider we just built into a throw-away filesystem mirror, so
# that a plain `terraform init` finds it without any network.
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)"
case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac
os="$(uname -s | tr '[:upper:]' '[:lower:]')"
plugin_dir="$work/plugins/registry.terraform.io/rbac-provider/rbac/$version/${os}_$arch"
mkdir -p "$plugin_dir"
cp "$bin/terraform-provider-rbac" "$plugin_dir/terraform-provider-rbac_v$version"
cat >"$work/terraform.rc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$work/plugins"
    include = ["rbac-provider/rbac"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/terraform.rc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export FLASHDUTY_BASE_URL="$url/flashduty" FLASHDUTY_APP_KEY="emulator-flashduty-key"

cp -r "$root/examples/quickstart" "$work/quickstart"
cd "$work/quickstart"
echo "==> terraform init"
"$terraform" init -input=false -no-color >/dev/null
echo "==> terraform apply"
"$terraform" apply -auto-approve -input=false -no-color
echo "==> terraform plan (expect no changes)"
set +e
"$terraform" plan -detailed-exitcode -input=false -no-color
code=$?
set -e
if [ "$code" -ne 0 ]; then
  echo "demo: the re-plan was not clean (exit $code)" >&2
  exit 1
fi
echo "==> demo finished: the re-plan is clean; stopping the emulator"
