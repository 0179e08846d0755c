//! The `rbac_slashid_persons` data source through the real terraform CLI
//! against the emulator.

mod common;

use common::{EmulatorProcess, Workspace, SLASHID_ORG};
use serde_json::{json, Value};

const ADA: &str = "pid:01900000-0000-7000-8000-000000000001";
const GRACE: &str = "pid:01900000-0000-7000-8000-000000000002";
const ALAN: &str = "pid:01900000-0000-7000-8000-000000000003";

/// Roles and assignments made by another client.
fn seed(emu: &EmulatorProcess) {
    let ok = |(status, body): (u16, Value)| assert_eq!(status, 204, "{body}");
    ok(emu.slashid(
        "POST",
        "/rbac/permissions",
        Some(json!({"name": "billing.read"})),
    ));
    for role in ["billing-viewer", "auditor"] {
        ok(emu.slashid(
            "POST",
            "/rbac/roles",
            Some(json!({"name": format!("{SLASHID_ORG}/{role}"), "permissions": ["billing.read"]})),
        ));
    }
    let full = |r: &str| format!("{SLASHID_ORG}/{r}");
    ok(emu.slashid(
        "PUT",
        &format!("/persons/{ADA}/roles"),
        Some(json!({"roles": [full("billing-viewer"), full("auditor")]})),
    ));
    ok(emu.slashid(
        "PUT",
        &format!("/persons/{GRACE}/roles"),
        Some(json!({"roles": [full("auditor")]})),
    ));
}

#[test]
fn slashid_persons_data_source_reads_each_person_and_filters() {
    let emu = EmulatorProcess::start(&[]);
    seed(&emu);
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        r#"provider "rbac" {{
  slashid {{}}
}}

data "rbac_slashid_persons" "all" {{
  person_ids = ["{GRACE}", "{ALAN}", "{ADA}"]
}}

data "rbac_slashid_persons" "billing" {{
  person_ids = ["{GRACE}", "{ALAN}", "{ADA}"]
  role       = "billing-viewer"
}}

output "all" {{
  value = data.rbac_slashid_persons.all.persons
}}

output "billing" {{
  value = [for p in data.rbac_slashid_persons.billing.persons : p.person_id]
}}
"#
    ));
    ws.apply();
    let out: Value = serde_json::from_str(&ws.ok(&["output", "-json"]).stdout).unwrap();
    // Sorted by ID, short role names, the resource's attribute names; a
    // person without roles is listed with an empty set.
    assert_eq!(
        out["all"]["value"],
        json!([
            {"id": ADA, "person_id": ADA, "roles": ["auditor", "billing-viewer"]},
            {"id": GRACE, "person_id": GRACE, "roles": ["auditor"]},
            {"id": ALAN, "person_id": ALAN, "roles": []},
        ])
    );
    assert_eq!(out["billing"]["value"], json!([ADA]));
    // One GET per person and data source, nothing else (the provider
    // percent-encodes the `:` of the person ID in the path).
    let stats = emu.stats();
    let reads: u64 = [ADA, GRACE, ALAN]
        .iter()
        .map(|p| {
            let path = format!("GET /slashid/persons/{}/roles", p.replace(':', "%3A"));
            stats["endpoints"][path]["200"].as_u64().unwrap_or(0)
        })
        .sum();
    assert_eq!(reads, 6, "{stats:#}");

    // A role granted outside Terraform shows in the next read.
    let (status, body) = emu.slashid(
        "PUT",
        &format!("/persons/{ALAN}/roles"),
        Some(json!({"roles": [format!("{SLASHID_ORG}/billing-viewer")]})),
    );
    assert_eq!(status, 204, "{body}");
    ws.apply();
    let out: Value = serde_json::from_str(&ws.ok(&["output", "-json"]).stdout).unwrap();
    assert_eq!(out["billing"]["value"], json!([ADA, ALAN]));
}

#[test]
fn slashid_persons_data_source_errors_name_the_attribute() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(
        r#"provider "rbac" {
  slashid {}
}

data "rbac_slashid_persons" "bad" {
  person_ids = [" "]
  role       = "-bad-"
}
"#,
    );
    let run = ws.run(&["plan", "-no-color"]);
    assert_ne!(run.status, 0);
    let text = run.all();
    assert!(
        text.contains("person_ids must not contain an empty ID"),
        "{text}"
    );
    assert!(text.contains("role"), "{text}");
    assert!(text.contains("letters, digits"), "{text}");

    // A person SlashID does not know: an error naming the ID and person_ids.
    let unknown = "pid:01900000-0000-7000-8000-0000000000ff";
    ws.config(&format!(
        r#"provider "rbac" {{
  slashid {{}}
}}

data "rbac_slashid_persons" "gone" {{
  person_ids = ["{ADA}", "{unknown}"]
}}
"#
    ));
    let run = ws.run(&["plan", "-no-color"]);
    assert_ne!(run.status, 0);
    let text = run.all();
    assert!(
        text.contains(&format!("No SlashID person \"{unknown}\"")),
        "{text}"
    );
    assert!(text.contains("person_ids"), "{text}");
}
