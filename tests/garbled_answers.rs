//! A garbled answer (a body cut short, an empty body,
//! every value of the wrong type) to an idempotent read or an update is not
//! the vendor's last word. The HTTP core asks again, so a refresh stays
//! clean and an update whose write landed is recorded, for every vendor,
//! through the real terraform CLI against the emulator.

mod common;

use common::{EmulatorProcess, Workspace, SLASHID_ORG, ZENML_ORG};
use serde_json::{json, Value};

/// One vendor's case: its configuration with a `{description}` hole, the
/// endpoints a refresh reads and the one an update writes.
struct Case {
    config: &'static str,
    reads: &'static [&'static str],
    update: &'static str,
    /// Whether the emulator holds this value of the `{description}` hole.
    holds: fn(&EmulatorProcess, &str) -> bool,
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
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
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

/// How many requests `endpoint` got, by status, from the emulator's stats.
fn answered(emu: &EmulatorProcess, endpoint: &str, status: &str) -> u64 {
    emu.stats()["endpoints"][endpoint][status]
        .as_u64()
        .unwrap_or(0)
}

/// The reported path: a refresh and a `terraform destroy` of many SlashID
/// permissions while two answers in a row to one permission's read are
/// garbled. The read is asked a third time, and the destroy goes through.
#[test]
fn slashid_permission_refresh_and_destroy_ask_garbled_reads_again() {
    const READ: &str = "GET /slashid/rbac/permissions/many.perm.2";
    let mut config = String::from("provider \"rbac\" {\n  slashid {}\n}\n");
    for i in 0..4 {
        config.push_str(&format!(
            "\nresource \"rbac_slashid_permission\" \"p{i}\" {{\n  \
             name        = \"many.perm.{i}\"\n  description = \"permission {i}\"\n}}\n"
        ));
    }
    for kind in KINDS {
        let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
        let ws = Workspace::new(&emu);
        ws.config(&config);
        ws.apply();
        emu.set_faults(script(&[READ, READ], kind));
        ws.assert_no_changes();
        assert_eq!(answered(&emu, READ, "200"), 3, "{kind}: {}", emu.stats());
        emu.set_faults(script(&[READ, READ], kind));
        let run = ws.run(&["destroy", "-auto-approve", "-no-color"]);
        let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(run.status, 0, "{kind}: destroy failed: {out}");
        assert_eq!(answered(&emu, READ, "200"), 6, "{kind}: {}", emu.stats());
        assert_eq!(emu.slashid_permission("many.perm.2"), None, "{kind}");
        assert!(ws.instance_ids("rbac_slashid_permission").is_empty());
    }
}

/// Every data source of every vendor reads through garbled answers: each
/// vendor's next three reads (whichever they are, the ZenML login too) are
/// garbled, and the plan still succeeds, from the vendor's true answers.
#[test]
fn every_data_source_asks_garbled_reads_again() {
    // The vendor, the requests its reads send, its data sources.
    let cases: [(&str, &[&str], &str); 4] = [
        (
            "flashduty",
            &["POST /flashduty/*"],
            r#"data "rbac_flashduty_members" "all" {}
data "rbac_flashduty_permissions" "p" {}
data "rbac_flashduty_role" "viewer" {
  role_name = "Viewer"
}
data "rbac_flashduty_roles" "all" {}"#,
        ),
        (
            "rootly",
            &["GET /rootly/*"],
            r#"data "rbac_rootly_on_call_role" "admin" {
  name = "Admin"
}
data "rbac_rootly_on_call_roles" "all" {}
data "rbac_rootly_users" "all" {}"#,
        ),
        (
            "slashid",
            &["GET /slashid/*"],
            r#"data "rbac_slashid_permission" "p" {
  name = "garbled.read"
}
data "rbac_slashid_permissions" "all" {}
data "rbac_slashid_role" "r" {
  name = "garbled-reader"
}
data "rbac_slashid_roles" "all" {}
data "rbac_slashid_persons" "p" {
  person_ids = ["pid:01900000-0000-7000-8000-000000000001"]
}"#,
        ),
        (
            "zenml",
            &["POST /zenml/*", "GET /zenml/*"],
            r#"data "rbac_zenml_role_assignments" "all" {
  organization_id = "{org}"
}
data "rbac_zenml_roles" "all" {
  organization_id = "{org}"
}"#,
        ),
    ];
    let endpoints: Vec<&str> = cases.iter().flat_map(|c| c.1.iter().copied()).collect();
    // Each read retries with backoff: run everything at once, one
    // emulator per kind of garbling.
    std::thread::scope(|scope| {
        for kind in KINDS {
            let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
            let permission = json!({"name": "garbled.read", "description": "d"});
            assert_eq!(
                emu.slashid("POST", "/rbac/permissions", Some(permission)).0,
                204
            );
            let role = json!({
                "name": format!("{SLASHID_ORG}/garbled-reader"),
                "permissions": ["garbled.read"],
            });
            assert_eq!(emu.slashid("POST", "/rbac/roles", Some(role)).0, 204);
            let endpoints = &endpoints;
            let cases = &cases;
            scope.spawn(move || {
                let faults: Vec<Value> = endpoints
                    .iter()
                    .map(|e| json!({"endpoint": e, "kind": kind, "times": 3}))
                    .collect();
                emu.set_faults(json!({ "script": faults }));
                std::thread::scope(|scope| {
                    for (vendor, _, data) in cases {
                        let emu = &emu;
                        scope.spawn(move || {
                            let ws = Workspace::new(emu);
                            let data = data.replace("{org}", ZENML_ORG);
                            ws.config(&format!(
                                "provider \"rbac\" {{\n  {vendor} {{}}\n}}\n\n{data}\n"
                            ));
                            let run = ws.run(&["plan", "-no-color"]);
                            let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
                            assert_eq!(run.status, 0, "{kind} {vendor}: {out}");
                        });
                    }
                });
                let injected = emu.stats()["faults_injected"][kind].as_u64();
                let expected = 3 * endpoints.len() as u64;
                assert_eq!(injected, Some(expected), "{kind}: {}", emu.stats());
            });
        }
    });
}

/// A read whose every answer is garbled fails, and says it was not a
/// one-off: "after N attempts", as a 5xx that keeps coming does (a user
/// saw only "could not decode" and thought nothing had been retried).
#[test]
fn a_read_garbled_every_time_says_how_often_it_was_tried() {
    const READ: &str = "GET /slashid/rbac/permissions/many.perm.0";
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  slashid {}\n}\n\nresource \"rbac_slashid_permission\" \"p\" {\n  name = \"many.perm.0\"\n}\n",
    );
    ws.apply();
    emu.set_faults(json!({"script": [{"endpoint": READ, "kind": "types", "times": 50}]}));
    let run = ws.run(&["plan", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        out.contains("could not decode the HTTP 200 response"),
        "{out}"
    );
    let tries = answered(&emu, READ, "200");
    assert!(tries > 1, "{}", emu.stats());
    assert!(
        out.contains(&format!("after {tries} attempts)")),
        "{tries} tries: {out}"
    );
}
