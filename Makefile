# terraform-provider-rbac — the commands a user and CI run.
CARGO ?= cargo
export RBAC_BIN_DIR := $(CURDIR)/target/release

.PHONY: build test lint demo docs bench install release check-platforms clean

## build: the release provider and emulator binaries (reused by tests and demo)
build:
	$(CARGO) build --release --bins

## test: unit tests plus acceptance tests (real terraform against the emulator)
test: build
	$(CARGO) test --all-targets

## lint: formatting and clippy, as CI runs them
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

## demo: apply examples/quickstart against the emulator and show a clean re-plan
demo: build
	./scripts/demo.sh

## docs: regenerate docs/ from the provider's schema and examples/
docs:
	$(CARGO) run --quiet --bin rbac-docs

## install: the release binary into ~/.terraform.d/plugins (plain `terraform init` then works)
install: build
	./scripts/install.sh

## release: dist/ zips for linux, darwin and windows (amd64, arm64), manifest and
## SHA256SUMS, cross-compiled with zig (docs/guides/release.md; installs its toolchain)
release:
	./scripts/release.sh

## check-platforms: the crate compiles for macOS and Windows (as CI checks it)
check-platforms:
	./scripts/check-platforms.sh

## bench: performance figures (not a test; see bench/README.md)
bench: build
	python3 scripts/bench.py

clean:
	$(CARGO) clean
