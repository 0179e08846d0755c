//! `rbac_flashduty_member_roles` and the `rbac_flashduty_members` /
//! `rbac_flashduty_roles` data sources through the real terraform CLI
//! against the emulator.

mod common;

use common::{http_post, EmulatorProcess, Workspace};
use serde_json::{json, Value};

const CAROL: u64 = 5_102_993_140_131;
const ALICE: u64 = 2_476_444_212_131;

fn config(role_ids: &str) -> String {
    format!(
        r#"provider "rbac" {{
  flashduty {{}}
}}

resource "rbac_flashduty_role" "oncall" {{
  role_name = "Acc Member Roles"
}}

data "rbac_flashduty_members" "carol" {{
  email = "CAROL@example.com"
}}

resource "rbac_flashduty_member_roles" "carol" {{
  member_id = data.rbac_flashduty_members.carol.members[0].member_id
  role_ids  = {role_ids}
}}
"#
    )
}

/// The member's roles, as another API client sees them.
fn roles_of(emu: &EmulatorProcess, member_id: u64) -> Value {
    let list = emu.flashduty("/member/list", json!({"limit": 100}));
    list["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["member_id"] == member_id)
        .map(|m| m["account_role_ids"].clone())
        .unwrap_or(Value::Null)
}

fn change(emu: &EmulatorProcess, path: &str, member_id: u64, role_ids: Value) {
    let r = emu.flashduty(path, json!({"member_id": member_id, "role_ids": role_ids}));
    assert!(r.get("error").is_none(), "{r}");
}

fn role_id(ws: &Workspace) -> u64 {
    let role = ws.resource("rbac_flashduty_role.oncall").unwrap();
    role["id"].as_str().unwrap().parse().unwrap()
}

#[test]
fn flashduty_member_roles_lifecycle() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    // The custom role's ID is unknown until it is created.
    ws.config(&config("[rbac_flashduty_role.oncall.id, 6]"));
    let plan = ws.plan_with_changes();
    assert!(
        plan.stdout.contains("(known after apply)"),
        "{}",
        plan.stdout
    );
    ws.apply();
    let custom = role_id(&ws);
    assert_eq!(roles_of(&emu, CAROL), json!([6, custom]));
    ws.assert_no_changes();
    let created = ws.resource("rbac_flashduty_member_roles.carol").unwrap();
    assert_eq!(created["id"], CAROL.to_string());

    // Import by member ID and by email: the same state.
    for key in [CAROL.to_string(), "carol@example.com".to_string()] {
        ws.ok(&["state", "rm", "rbac_flashduty_member_roles.carol"]);
        ws.ok(&[
            "import",
            "-no-color",
            "rbac_flashduty_member_roles.carol",
            &key,
        ]);
        assert_eq!(
            ws.resource("rbac_flashduty_member_roles.carol").unwrap(),
            created
        );
        ws.assert_no_changes();
    }

    // Drift both ways: a role granted, then a role revoked outside Terraform.
    change(&emu, "/member/role/grant", CAROL, json!([2]));
    let plan = ws.plan_with_changes();
    assert!(plan.stdout.contains("1 to change"), "{}", plan.stdout);
    ws.apply();
    assert_eq!(roles_of(&emu, CAROL), json!([6, custom]));
    change(&emu, "/member/role/revoke", CAROL, json!([6]));
    ws.plan_with_changes();
    ws.apply();
    assert_eq!(roles_of(&emu, CAROL), json!([6, custom]));
    ws.assert_no_changes();

    // Update in place.
    ws.config(&config("[rbac_flashduty_role.oncall.id]"));
    let plan = ws.plan_with_changes();
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    assert_eq!(roles_of(&emu, CAROL), json!([custom]));
    ws.assert_no_changes();

    // An empty set: Flashduty resets the member to Viewer (8); the plan stays clean.
    ws.config(&config("[]"));
    ws.apply();
    assert_eq!(roles_of(&emu, CAROL), json!([8]));
    ws.assert_no_changes();
    let state = ws.resource("rbac_flashduty_member_roles.carol").unwrap();
    assert_eq!(state["role_ids"], json!([]));

    // Destroy stops managing: the member keeps its roles.
    ws.config(&config("[rbac_flashduty_role.oncall.id, 2]"));
    ws.apply();
    ws.ok(&[
        "destroy",
        "-auto-approve",
        "-no-color",
        "-target=rbac_flashduty_member_roles.carol",
    ]);
    assert_eq!(roles_of(&emu, CAROL), json!([2, custom]));
    assert!(ws.instance_ids("rbac_flashduty_member_roles").is_empty());
}

#[test]
fn flashduty_member_roles_member_gone_validation_and_bad_import() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    let base = "provider \"rbac\" {\n  flashduty {}\n}\n";
    ws.config(&format!(
        "{base}resource \"rbac_flashduty_member_roles\" \"a\" {{\n  member_id = 0\n  role_ids  = [6, -2]\n}}\n"
    ));
    let run = ws.run(&["plan", "-no-color"]);
    assert_ne!(run.status, 0);
    let text = run.all();
    assert!(text.contains("Invalid value for member_id"), "{text}");
    assert!(text.contains("Invalid value for role_ids"), "{text}");

    ws.config(&format!(
        "{base}resource \"rbac_flashduty_member_roles\" \"a\" {{\n  member_id = {ALICE}\n  role_ids  = [6, 999]\n}}\n"
    ));
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(run.status, 0);
    assert!(run.all().contains("ResourceNotFound"), "{}", run.all());
    assert!(
        run.all().contains("one of the roles does not"),
        "{}",
        run.all()
    );

    ws.config(&format!(
        "{base}resource \"rbac_flashduty_member_roles\" \"a\" {{\n  member_id = {ALICE}\n  role_ids  = [2]\n}}\n"
    ));
    ws.apply();
    assert_eq!(roles_of(&emu, ALICE), json!([2]));

    // Removed from the organization: dropped from state, and the plan
    // wants it back.
    let (status, body) = http_post(
        &emu.url,
        "/__emulator/flashduty/members",
        &json!({"remove": [ALICE]}).to_string(),
    );
    assert_eq!(status, 200, "{body}");
    ws.ok(&["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    assert!(ws.instance_ids("rbac_flashduty_member_roles").is_empty());
    let plan = ws.plan_with_changes();
    assert!(plan.stdout.contains("1 to add"), "{}", plan.stdout);

    for bad in ["bob", "12x", "nobody@example.com"] {
        let run = ws.run(&["import", "-no-color", "rbac_flashduty_member_roles.a", bad]);
        assert_ne!(run.status, 0);
        assert!(
            run.all().contains("Import takes the numeric"),
            "{bad}: {}",
            run.all()
        );
    }
}

#[test]
fn flashduty_members_and_roles_data_sources() {
    let emu = EmulatorProcess::start(&[]);
    let invited: Vec<Value> = (0..130)
        .map(|i| json!({"member_name": format!("Member {i}"), "email": format!("m{i:03}@example.com")}))
        .collect();
    let (status, body) = http_post(
        &emu.url,
        "/__emulator/flashduty/members",
        &json!({"add": invited}).to_string(),
    );
    assert_eq!(status, 200, "{body}");
    let ws = Workspace::new(&emu);
    ws.config(
        r#"provider "rbac" {
  flashduty {}
}

resource "rbac_flashduty_role" "custom" {
  role_name      = "Acc Listed"
  description    = "listed"
  permission_ids = [501]
}

data "rbac_flashduty_members" "all" {}

data "rbac_flashduty_members" "bob" {
  name = "Bob"
}

data "rbac_flashduty_roles" "custom" {
  built_in   = false
  depends_on = [rbac_flashduty_role.custom]
}

data "rbac_flashduty_roles" "built_in" {
  built_in = true
}

data "rbac_flashduty_roles" "viewer" {
  role_name = "Viewer"
}

output "member_count" {
  value = length(data.rbac_flashduty_members.all.members)
}

output "bob" {
  value = data.rbac_flashduty_members.bob.members
}

output "custom" {
  value = data.rbac_flashduty_roles.custom.roles
}

output "built_in" {
  value = [for r in data.rbac_flashduty_roles.built_in.roles : r.id]
}

output "viewer" {
  value = data.rbac_flashduty_roles.viewer.roles[0].editable
}
"#,
    );
    ws.apply();
    let out = ws.ok(&["output", "-json"]);
    let out: Value = serde_json::from_str(&out.stdout).unwrap();
    // Every page: 4 seeded members and 130 invited ones.
    assert_eq!(out["member_count"]["value"], 134);
    assert_eq!(
        out["bob"]["value"],
        json!([{"member_id": 5_068_740_052_131_u64, "member_name": "Bob", "email": "bob@example.com", "role_ids": [2, 6]}])
    );
    let custom = &out["custom"]["value"];
    assert_eq!(custom.as_array().unwrap().len(), 1, "{custom}");
    assert_eq!(custom[0]["role_name"], "Acc Listed");
    assert_eq!(custom[0]["description"], "listed");
    assert_eq!(custom[0]["permission_ids"], json!([501]));
    assert_eq!(custom[0]["status"], "enabled");
    assert_eq!(custom[0]["editable"], true);
    assert_eq!(out["built_in"]["value"], json!(["2", "6", "8"]));
    assert_eq!(out["viewer"]["value"], false);
    ws.assert_no_changes();
}
