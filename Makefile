# terraform-provider-rbac — the commands a user and CI run.
CARGO ?= cargo
export RBAC_BIN_DIR := $(CURDIR)/target/release

.PHONY: build test lint demo docs bench install release clean

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

## release: dist/ zip, manifest and SHA256SUMS for the host platform
release: build
	./scripts/release.sh

## bench: performance figures (not a test; see README "Performance")
bench: build
	python3 scripts/bench.py

clean:
	$(CARGO) clean
