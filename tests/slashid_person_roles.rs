//! `rbac_slashid_person_roles` and the SlashID data sources through the real
//! terraform CLI against the emulator.

mod common;

use common::{EmulatorProcess, Workspace, SLASHID_ORG};
use serde_json::json;

const PERSON: &str = "pid:01900000-0000-7000-8000-000000000002";

fn config(roles: &str) -> String {
    format!(
        r#"provider "rbac" {{
  slashid {{}}
}}

resource "rbac_slashid_permission" "read" {{
  name = "acc.reports.read"
}}

resource "rbac_slashid_role" "viewer" {{
  name        = "acc-viewer"
  permissions = [rbac_slashid_permission.read.name]
}}

resource "rbac_slashid_role" "auditor" {{
  name = "acc-auditor"
}}

resource "rbac_slashid_person_roles" "p" {{
  person_id = "{PERSON}"
  roles     = {roles}
}}

data "rbac_slashid_roles" "acc" {{
  name_prefix = "acc-"
  depends_on  = [rbac_slashid_role.viewer, rbac_slashid_role.auditor]
}}

data "rbac_slashid_permission" "read" {{
  name = rbac_slashid_permission.read.name
}}

output "role_names" {{
  value = data.rbac_slashid_roles.acc.names
}}

output "viewer_permissions" {{
  value = [for r in data.rbac_slashid_roles.acc.roles : r.permissions if r.name == "acc-viewer"][0]
}}
"#
    )
}

fn person_roles(emu: &EmulatorProcess) -> serde_json::Value {
    let (status, body) = emu.slashid("GET", &format!("/persons/{PERSON}/roles"), None);
    assert_eq!(status, 200, "{body}");
    body["result"].clone()
}

#[test]
fn slashid_person_roles_lifecycle() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&config("[rbac_slashid_role.viewer.name]"));
    ws.apply();
    assert_eq!(
        person_roles(&emu),
        json!([format!("{SLASHID_ORG}/acc-viewer")])
    );
    ws.assert_no_changes();
    let out = ws.ok(&["output", "-json"]);
    let out: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        out["role_names"]["value"],
        json!(["acc-auditor", "acc-viewer"])
    );
    assert_eq!(
        out["viewer_permissions"]["value"],
        json!(["acc.reports.read"])
    );

    // Import by person ID: the same state.
    let created = ws.resource("rbac_slashid_person_roles.p").unwrap();
    ws.ok(&["state", "rm", "rbac_slashid_person_roles.p"]);
    // A person ID that names nobody: "no such person", with what import takes.
    let run = ws.run(&[
        "import",
        "-no-color",
        "rbac_slashid_person_roles.p",
        "pid:nobody",
    ]);
    assert_ne!(run.status, 0, "{}", run.all());
    let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        out.contains("Cannot import SlashID person roles \"pid:nobody\": no such person"),
        "{out}"
    );
    assert!(out.contains("Import takes the person ID"), "{out}");
    ws.ok(&["import", "-no-color", "rbac_slashid_person_roles.p", PERSON]);
    assert_eq!(ws.resource("rbac_slashid_person_roles.p").unwrap(), created);

    // Authoritative: a role granted outside Terraform is a diff, then revoked.
    let (status, _) = emu.slashid(
        "PUT",
        &format!("/persons/{PERSON}/roles"),
        Some(json!({"roles": [format!("{SLASHID_ORG}/acc-viewer"), format!("{SLASHID_ORG}/acc-auditor")]})),
    );
    assert_eq!(status, 204);
    ws.plan_with_changes();
    ws.config(&config(
        "[rbac_slashid_role.auditor.name, rbac_slashid_role.viewer.name]",
    ));
    ws.assert_no_changes();
    // The next write is applied but answered 408: the read decides.
    emu.slashid_consistency(1, 0);
    ws.config(&config("[rbac_slashid_role.auditor.name]"));
    ws.apply();
    assert_eq!(
        person_roles(&emu),
        json!([format!("{SLASHID_ORG}/acc-auditor")])
    );
    ws.assert_no_changes();

    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert_eq!(person_roles(&emu), json!([]));
    let (_, roles) = emu.slashid("GET", "/rbac/roles", None);
    assert_eq!(roles["result"], json!([]));
}
