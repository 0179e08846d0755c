//! A vendor block whose values are unknown at plan time never falls back to
//! an environment variable or a default: through the real terraform CLI, for
//! every vendor, a second emulator that the environment points at receives
//! zero requests, the error names the attribute and what to do, a fully known
//! vendor in the same configuration keeps working, and the advice given
//! (`-target`) works.

mod common;

use common::{
    EmulatorProcess, Workspace, FLASHDUTY_KEY, ROOTLY_TOKEN, SLASHID_KEY, SLASHID_ORG, ZENML_KEY,
    ZENML_ORG,
};

/// One vendor: its provider block (with `URL` where the emulator's URL goes),
/// a data source and a resource of it, and the emulator path its requests use.
struct Vendor {
    block: String,
    data_source: String,
    resource: String,
    prefix: &'static str,
}

fn flashduty() -> Vendor {
    Vendor {
        block: format!("flashduty {{\n    app_key = \"{FLASHDUTY_KEY}\"\n    base_url = \"URL/flashduty\"\n  }}"),
        data_source: r#"data "rbac_flashduty_role" "d" { role_name = "Admin" }"#.into(),
        resource: r#"resource "rbac_flashduty_role" "r" { role_name = "acc-unknown-config" }"#.into(),
        prefix: "/flashduty/",
    }
}

fn slashid() -> Vendor {
    Vendor {
        block: format!(
            "slashid {{\n    org_id = \"{SLASHID_ORG}\"\n    api_key = \"{SLASHID_KEY}\"\n    base_url = \"URL/slashid\"\n  }}"
        ),
        data_source: r#"data "rbac_slashid_roles" "d" {}"#.into(),
        resource: r#"resource "rbac_slashid_permission" "r" { name = "acc.unknown.config" }"#.into(),
        prefix: "/slashid/",
    }
}

fn rootly() -> Vendor {
    Vendor {
        block: format!(
            "rootly {{\n    api_token = \"{ROOTLY_TOKEN}\"\n    base_url = \"URL/rootly\"\n  }}"
        ),
        data_source: r#"data "rbac_rootly_on_call_roles" "d" {}"#.into(),
        resource: r#"resource "rbac_rootly_on_call_role" "r" { name = "acc unknown config" }"#
            .into(),
        prefix: "/rootly/",
    }
}

fn zenml() -> Vendor {
    Vendor {
        block: format!(
            "zenml {{\n    api_key = \"{ZENML_KEY}\"\n    base_url = \"URL/zenml\"\n  }}"
        ),
        data_source: format!(
            r#"data "rbac_zenml_roles" "d" {{ organization_id = "{ZENML_ORG}" }}"#
        ),
        resource: format!(
            r#"resource "rbac_zenml_role" "r" {{
  organization_id = "{ZENML_ORG}"
  level           = "workspace"
  name            = "acc-unknown-config"
}}"#
        ),
        prefix: "/zenml/",
    }
}

/// Requests `emu` received under `prefix` (e.g. `/rootly/`).
fn requests(emu: &EmulatorProcess, prefix: &str) -> u64 {
    let stats = emu.stats();
    stats["endpoints"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(endpoint, _)| endpoint.split(' ').nth(1).unwrap_or("").starts_with(prefix))
        .flat_map(|(_, outcomes)| outcomes.as_object().unwrap().values())
        .map(|n| n.as_u64().unwrap())
        .sum()
}

/// `vendor`'s block takes its URL from `terraform_data.url` (unknown until
/// applied); the environment (the harness sets every vendor's variables)
/// points at `decoy`. `known` is another vendor with a static block.
fn config(vendor: &Vendor, target: &EmulatorProcess, known: &Vendor, body: &str) -> String {
    format!(
        "resource \"terraform_data\" \"url\" {{\n  input = \"{}\"\n}}\n\nprovider \"rbac\" {{\n  {}\n  {}\n}}\n\n{body}\n",
        target.url,
        vendor.block.replace("URL", "${terraform_data.url.output}"),
        known.block.replace("URL", &target.url),
    )
}

fn unknown_config_never_falls_back(vendor: Vendor, known: Vendor) {
    let target = EmulatorProcess::start(&["--rate-limit", "off"]);
    let decoy = EmulatorProcess::start(&["--rate-limit", "off"]);
    let ws = Workspace::new(&decoy);

    // A data source of the unknown vendor cannot be read at plan time: one
    // clear error; the known vendor's data source is read from its account.
    let body = format!("{}\n\n{}", vendor.data_source, known.data_source);
    ws.config(&config(&vendor, &target, &known, &body));
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    let text = run.all();
    assert_ne!(run.status, 0, "{text}");
    let block = vendor.prefix.trim_matches('/');
    assert!(
        text.contains(&format!("`{block}.base_url`")) && text.contains("known only after apply"),
        "{text}"
    );
    assert!(text.contains("-target"), "{text}");
    assert_eq!(requests(&decoy, "/"), 0, "the decoy was called:\n{text}");
    assert_eq!(requests(&target, vendor.prefix), 0, "{text}");
    assert!(
        requests(&target, known.prefix) > 0,
        "the known vendor's data source was not read:\n{text}"
    );

    // The advice works: apply the dependency first, then the rest.
    ws.ok(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-target=terraform_data.url",
    ]);
    ws.apply();
    assert!(requests(&target, vendor.prefix) > 0);
    assert_eq!(requests(&decoy, "/"), 0);

    // A resource needs no client to plan its creation; the apply configures
    // the provider once the URL is known and writes to the right account.
    let ws = Workspace::new(&decoy);
    ws.config(&config(&vendor, &target, &known, &vendor.resource));
    ws.apply();
    ws.assert_no_changes();
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert_eq!(requests(&decoy, "/"), 0, "the decoy was called");
}

#[test]
fn flashduty_unknown_provider_config_never_falls_back() {
    unknown_config_never_falls_back(flashduty(), rootly());
}

#[test]
fn slashid_unknown_provider_config_never_falls_back() {
    unknown_config_never_falls_back(slashid(), flashduty());
}

#[test]
fn rootly_unknown_provider_config_never_falls_back() {
    unknown_config_never_falls_back(rootly(), zenml());
}

#[test]
fn zenml_unknown_provider_config_never_falls_back() {
    unknown_config_never_falls_back(zenml(), slashid());
}

/// An `import` block for `vendor`'s resource while its block is unknown:
/// the error names the resource type and the ID being imported (Terraform
/// does not say which import failed), and no request leaves.
fn import_under_unknown_config_names_what_is_imported(vendor: Vendor, known: Vendor, id: &str) {
    let target = EmulatorProcess::start(&["--rate-limit", "off"]);
    let decoy = EmulatorProcess::start(&["--rate-limit", "off"]);
    let ws = Workspace::new(&decoy);
    let address = vendor
        .resource
        .split('"')
        .skip(1)
        .step_by(2)
        .take(2)
        .collect::<Vec<_>>()
        .join(".");
    let body = format!(
        "{}\n\nimport {{\n  to = {address}\n  id = \"{id}\"\n}}\n",
        vendor.resource
    );
    ws.config(&config(&vendor, &target, &known, &body));
    let run = ws.run(&["plan", "-no-color"]);
    let text = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert_ne!(run.status, 0, "{text}");
    let type_name = address.split('.').next().unwrap();
    assert!(
        text.contains(&format!("Cannot import {type_name} \"{id}\"")),
        "{text}"
    );
    assert!(text.contains("known only after apply"), "{text}");
    assert_eq!(requests(&decoy, "/"), 0, "the decoy was called:\n{text}");
}

#[test]
fn imports_under_unknown_provider_config_name_what_is_imported() {
    std::thread::scope(|scope| {
        scope.spawn(|| {
            import_under_unknown_config_names_what_is_imported(flashduty(), rootly(), "4242")
        });
        scope.spawn(|| {
            import_under_unknown_config_names_what_is_imported(
                slashid(),
                flashduty(),
                "acc.unknown.config",
            )
        });
        scope.spawn(|| {
            import_under_unknown_config_names_what_is_imported(rootly(), flashduty(), "role-1")
        });
        scope.spawn(|| {
            let id = format!("{ZENML_ORG}/acc-unknown-config");
            import_under_unknown_config_names_what_is_imported(zenml(), flashduty(), &id)
        });
    });
}

#[test]
fn fractional_numbers_in_the_provider_block_name_the_attribute() {
    // `2.5` where a whole number is expected: a validation error naming
    // the attribute, not tf-provider's "data did not match any variant".
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    let ws = Workspace::new(&emu);
    for (block, attribute) in [
        (
            "flashduty {\n    max_requests_per_second = 2.5\n  }",
            "flashduty[0].max_requests_per_second",
        ),
        (
            "flashduty {\n    max_requests_per_minute = 99.9\n  }",
            "flashduty[0].max_requests_per_minute",
        ),
        (
            "rootly {\n    max_requests_per_minute = 2.5\n  }",
            "rootly[0].max_requests_per_minute",
        ),
    ] {
        // A data source, so that Terraform configures the provider.
        let data = if block.starts_with("flashduty") {
            r#"data "rbac_flashduty_role" "a" { role_name = "Admin" }"#
        } else {
            r#"data "rbac_rootly_on_call_roles" "a" {}"#
        };
        ws.config(&format!("provider \"rbac\" {{\n  {block}\n}}\n\n{data}\n"));
        let run = ws.run(&["plan", "-no-color"]);
        let text = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
        assert_ne!(run.status, 0, "{text}");
        assert!(
            text.contains(attribute) && text.contains("must be a whole number"),
            "{text}"
        );
    }
}
