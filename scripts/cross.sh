# Sourced by release.sh and check-platforms.sh: the cross-compiling toolchain
# (docs/guides/release.md). Debian's Rust 1.96 with the standard library's
# sources (`-Zbuild-std` compiles std for each target, so no prebuilt std per
# target is needed), and zig as the C compiler and linker for every target
# through cargo-zigbuild (macOS without an SDK, Windows without MinGW).
# `cross_setup` installs what is missing (apt and pip, both idempotent) and
# sets up the environment; `cross_cargo ARGS...` runs `cargo-zigbuild ARGS...`
# with Debian's cargo and rustc. Our own build (target/release, which the tests
# reuse) is left alone: the cross builds live in target/cross, or in
# $CROSS_TARGET_DIR when set (CI keeps one there across runs).

cross_debian_packages=(rustc-web cargo-web rust-web-src)
cross_pip_packages=(ziglang==0.17.1 cargo-zigbuild==0.24.1)
cross_dir="${CROSS_TARGET_DIR:-$root/target/cross}"

cross_sudo() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

cross_install_debian() {
  local missing=()
  for pkg in "${cross_debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "cross: installing ${missing[*]} (apt)" >&2
  cross_sudo apt-get update -qq
  cross_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The directory holding the cargo-zigbuild script, installing both PyPI
# packages when a pinned version is missing. A Python that refuses global
# installs (PEP 668) gets a virtual environment under ~/.cache instead.
cross_install_pip() {
  local py=python3 wanted=1 spec
  local venv="${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-rbac/zig-venv"
  [ -x "$venv/bin/python3" ] && py="$venv/bin/python3"
  for spec in "${cross_pip_packages[@]}"; do
    [ "$("$py" -m pip show "${spec%%==*}" 2>/dev/null | sed -n 's/^Version: //p')" = "${spec##*==}" ] || wanted=0
  done
  if [ $wanted = 0 ]; then
    echo "cross: installing ${cross_pip_packages[*]} (pip)" >&2
    if ! "$py" -m pip install -q --disable-pip-version-check "${cross_pip_packages[@]}"; then
      python3 -m venv "$venv"
      py="$venv/bin/python3"
      "$py" -m pip install -q --disable-pip-version-check "${cross_pip_packages[@]}"
    fi
  fi
  # cargo-zigbuild runs zig as `python3 -m ziglang` when no `zig` is on PATH:
  # that python3 must be the one holding the package.
  cross_python="$("$py" -c 'import sys; print(sys.executable)')"
  cross_scripts="$("$py" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
}

cross_setup() {
  cross_install_debian
  cross_install_pip
  # Debian's cargo and rustc come first on PATH (ahead of rustup's proxies,
  # whose toolchain has no std sources); python3 is the one with ziglang.
  mkdir -p "$cross_dir/bin"
  ln -sf /usr/bin/cargo /usr/bin/rustc /usr/bin/rustdoc "$cross_dir/bin/"
  ln -sf "$cross_python" "$cross_dir/bin/python3"
  export PATH="$cross_dir/bin:$PATH"
  export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
  unset RUSTUP_TOOLCHAIN RUSTC_WRAPPER
  # -Zbuild-std is unstable: Debian's stable rustc accepts it with this.
  export RUSTC_BOOTSTRAP=1
  export CARGO_TARGET_DIR="$cross_dir"
  # Rust's std for windows-gnu asks the linker for MinGW's libssp and
  # libssp_nonshared, which zig does not ship; the stack-protector functions
  # they hold are in zig's libmingwex, so empty archives satisfy the request.
  mkdir -p "$cross_dir/windows-gnu-lib"
  for lib in ssp ssp_nonshared; do
    printf '!<arch>\n' >"$cross_dir/windows-gnu-lib/lib$lib.a"
  done
  export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-L native=$cross_dir/windows-gnu-lib"
}

cross_cargo() {
  "$cross_scripts/cargo-zigbuild" "$@"
}
