//! Issue 13, part 2: a garbled answer (a body cut short, an empty body,
//! every value of the wrong type) to an idempotent read or an update is not
//! the vendor's last word. The HTTP core asks again, so a refresh stays
//! clean and an update whose write landed is recorded, for every vendor,
//! through the real terraform CLI against the emulator.

mod common;

use common::{Emulator, Workspace, ZENML_ORG};
use serde_json::{json, Value};

/// One vendor's case: its configuration with a `{description}` hole, the
/// endpoints a refresh reads and the one an update writes.
struct Case {
    config: &'static str,
    reads: &'static [&'static str],
    update: &'static str,
    /// Whether the emulator holds this value of the `{description}` hole.
    holds: fn(&Emulator, &str) -> bool,
}

const KINDS: [&str; 3] = ["truncated", "empty", "types"];

fn script(endpoints: &[&str], kind: &str) -> Value {
    let faults: Vec<Value> = endpoints
        .iter()
        .map(|e| json!({"endpoint": e, "kind": kind, "times": 1}))
        .collect();
    json!({ "script": faults })
}

fn check(case: Case) {
    let emu = Emulator::start(&["--rate-limit", "off"]);
    let ws = Workspace::new(&emu);
    ws.config(&case.config.replace("{description}", "first"));
    ws.apply();
    for kind in KINDS {
        // Refresh: one garbled answer to each read, then the true one.
        emu.set_faults(script(case.reads, kind));
        ws.assert_no_changes();
        // Update: the write's answer is garbled once; the write landed.
        let description = format!("after {kind}");
        ws.config(&case.config.replace("{description}", &description));
        let mut endpoints = case.reads.to_vec();
        endpoints.push(case.update);
        emu.set_faults(script(&endpoints, kind));
        ws.apply();
        emu.set_faults(json!({"script": []}));
        assert!(
            (case.holds)(&emu, &description),
            "{description:?} not written"
        );
        ws.assert_no_changes();
    }
}

#[test]
fn flashduty_garbled_reads_and_updates_are_asked_again() {
    check(Case {
        config: r#"provider "rbac" {
  flashduty {}
}

resource "rbac_flashduty_role" "r" {
  role_name   = "garbled-flashduty"
  description = "{description}"
}
"#,
        reads: &["POST /flashduty/role/list", "POST /flashduty/role/info"],
        update: "POST /flashduty/role/upsert",
        holds: |emu, value| {
            emu.flashduty_role_named("garbled-flashduty")
                .is_some_and(|r| r["description"] == value)
        },
    });
}

#[test]
fn rootly_garbled_reads_and_updates_are_asked_again() {
    check(Case {
        config: r#"provider "rbac" {
  rootly {}
}

# Rootly roles have no description: the update renames the role.
resource "rbac_rootly_on_call_role" "r" {
  name = "garbled {description}"
}
"#,
        reads: &["GET /rootly/v1/on_call_roles"],
        update: "PUT /rootly/v1/on_call_roles/*",
        holds: |emu, value| {
            let names: Vec<_> = (emu.rootly_roles().into_iter())
                .map(|(_, name)| name)
                .filter(|name| name.starts_with("garbled"))
                .collect();
            names == [format!("garbled {value}")]
        },
    });
}

#[test]
fn slashid_garbled_reads_and_updates_are_asked_again() {
    check(Case {
        config: r#"provider "rbac" {
  slashid {}
}

resource "rbac_slashid_role" "r" {
  name        = "garbled-slashid"
  description = "{description}"
}
"#,
        reads: &["GET /slashid/rbac/roles/*"],
        update: "PATCH /slashid/rbac/roles/*",
        holds: |emu, value| {
            emu.slashid_role("garbled-slashid")
                .is_some_and(|r| r["description"] == value)
        },
    });
}

#[test]
fn zenml_garbled_reads_and_updates_are_asked_again() {
    let config = format!(
        r#"provider "rbac" {{
  zenml {{}}
}}

resource "rbac_zenml_role" "r" {{
  organization_id = "{ZENML_ORG}"
  level           = "workspace"
  name            = "garbled-zenml"
  description     = "{{description}}"
}}
"#
    );
    check(Case {
        config: Box::leak(config.into_boxed_str()),
        reads: &["GET /zenml/organizations/*", "GET /zenml/roles/*"],
        update: "PATCH /zenml/roles/*",
        holds: |emu, value| {
            emu.zenml_custom_roles()
                .iter()
                .any(|r| r["name"] == "garbled-zenml" && r["description"] == value)
        },
    });
}
