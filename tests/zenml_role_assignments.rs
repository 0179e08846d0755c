//! The `rbac_zenml_role_assignments` data source (and the `organization_id`
//! of `rbac_zenml_roles`' objects) through the real terraform CLI against
//! the emulator.

mod common;

use common::{EmulatorProcess, Workspace, ZENML_ORG};
use serde_json::{json, Value};

const USER_A: &str = "7d1c2b3a-1111-4aaa-8bbb-000000000001";
const USER_B: &str = "7d1c2b3a-1111-4aaa-8bbb-000000000002";
const TEAM: &str = "7d1c2b3a-2222-4aaa-8bbb-000000000003";
const INVITATION: &str = "7d1c2b3a-5555-4aaa-8bbb-000000000006";
const WORKSPACE: &str = "7d1c2b3a-3333-4aaa-8bbb-000000000004";
const PROJECT: &str = "7d1c2b3a-4444-4aaa-8bbb-000000000005";

/// A custom role made by another client; its UUID.
fn create_role(emu: &EmulatorProcess, name: &str, level: &str) -> String {
    let (status, role) = emu.zenml(
        "POST",
        "/roles",
        Some(
            json!({"name": name, "organization_id": ZENML_ORG, "level": level,
                    "system_managed": false, "type": "normal"}),
        ),
    );
    assert_eq!(status, 200, "{role}");
    role["id"].as_str().unwrap().to_string()
}

fn assign(emu: &EmulatorProcess, role_id: &str, query: &str) {
    let (status, body) = emu.zenml(
        "POST",
        &format!("/roles/{role_id}/assignments?{query}"),
        None,
    );
    assert_eq!(status, 200, "{body}");
}

/// Assignments listed by ZenML's per-role endpoint since the last reset.
fn assignment_listings(emu: &EmulatorProcess) -> u64 {
    let stats = emu.stats();
    stats["endpoints"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.starts_with("GET /zenml/roles/") && k.ends_with("/assignments"))
        .filter_map(|(_, outcomes)| outcomes["200"].as_u64())
        .sum()
}

#[test]
fn zenml_role_assignments_data_source_lists_every_role_and_filters() {
    let emu = EmulatorProcess::start(&[]);
    let engineer = create_role(&emu, "ml-engineer", "workspace");
    let reader = create_role(&emu, "project-reader", "project");
    let viewer = emu.zenml_built_in("organization", "Viewer")["id"]
        .as_str()
        .unwrap()
        .to_string();
    assign(
        &emu,
        &engineer,
        &format!("user_id={USER_A}&workspace_id={WORKSPACE}"),
    );
    assign(
        &emu,
        &engineer,
        &format!("team_id={TEAM}&workspace_id={WORKSPACE}"),
    );
    assign(
        &emu,
        &reader,
        &format!("invitation_id={INVITATION}&workspace_id={WORKSPACE}&project_id={PROJECT}"),
    );
    assign(&emu, &viewer, &format!("user_id={USER_A}"));
    assign(&emu, &viewer, &format!("user_id={USER_B}"));

    let ws = Workspace::new(&emu);
    ws.config(&format!(
        r#"provider "rbac" {{
  zenml {{}}
}}

data "rbac_zenml_role_assignments" "all" {{
  organization_id = "{org_upper}"
}}

data "rbac_zenml_role_assignments" "engineer" {{
  organization_id = "{ZENML_ORG}"
  role_id         = "{engineer}"
}}

data "rbac_zenml_role_assignments" "user_a" {{
  organization_id = "{ZENML_ORG}"
  user_id         = "{user_a_upper}"
}}

data "rbac_zenml_role_assignments" "team" {{
  organization_id = "{ZENML_ORG}"
  team_id         = "{TEAM}"
}}

data "rbac_zenml_roles" "custom" {{
  organization_id = "{ZENML_ORG}"
  level           = "project"
}}

output "all" {{
  value = data.rbac_zenml_role_assignments.all.assignments
}}

output "engineer" {{
  value = [for a in data.rbac_zenml_role_assignments.engineer.assignments : a.id]
}}

output "user_a" {{
  value = [for a in data.rbac_zenml_role_assignments.user_a.assignments : a.role_id]
}}

output "team" {{
  value = data.rbac_zenml_role_assignments.team.assignments
}}

output "project_roles" {{
  value = {{ for r in data.rbac_zenml_roles.custom.roles : r.name => r.organization_id }}
}}
"#,
        org_upper = ZENML_ORG.to_uppercase(),
        user_a_upper = USER_A.to_uppercase(),
    ));
    emu.reset_stats();
    ws.apply();
    let out: Value = serde_json::from_str(&ws.ok(&["output", "-json"]).stdout).unwrap();

    // Every assignment, sorted by ID, each a full object with the
    // resource's attribute names and its import ID.
    let all = out["all"]["value"].as_array().unwrap();
    assert_eq!(all.len(), 5, "{all:#?}");
    let ids: Vec<&str> = all.iter().map(|a| a["id"].as_str().unwrap()).collect();
    let mut expected = vec![
        format!("{viewer}/user/{USER_A}"),
        format!("{viewer}/user/{USER_B}"),
        format!("{engineer}/user/{USER_A}/{WORKSPACE}"),
        format!("{engineer}/team/{TEAM}/{WORKSPACE}"),
        format!("{reader}/invitation/{INVITATION}/{WORKSPACE}/{PROJECT}"),
    ];
    expected.sort();
    assert_eq!(ids, expected);
    let invitation = all
        .iter()
        .find(|a| a["role_id"] == reader.as_str())
        .unwrap();
    assert_eq!(
        invitation,
        &json!({"id": format!("{reader}/invitation/{INVITATION}/{WORKSPACE}/{PROJECT}"),
                "role_id": reader, "user_id": null, "team_id": null, "invitation_id": INVITATION,
                "workspace_id": WORKSPACE, "project_id": PROJECT})
    );
    let membership = all
        .iter()
        .find(|a| a["role_id"] == viewer.as_str())
        .unwrap();
    assert_eq!(membership["workspace_id"], Value::Null);

    let mut engineer_ids = vec![
        format!("{engineer}/user/{USER_A}/{WORKSPACE}"),
        format!("{engineer}/team/{TEAM}/{WORKSPACE}"),
    ];
    engineer_ids.sort();
    assert_eq!(
        out["engineer"]["value"],
        json!(engineer_ids),
        "role_id filter"
    );
    let mut user_a_roles = vec![viewer.clone(), engineer.clone()];
    user_a_roles.sort();
    assert_eq!(
        out["user_a"]["value"],
        json!(user_a_roles),
        "user_id filter (any letter case)"
    );
    assert_eq!(out["team"]["value"][0]["team_id"], TEAM);
    assert_eq!(out["team"]["value"].as_array().unwrap().len(), 1);
    assert_eq!(
        out["project_roles"]["value"],
        json!({"Admin": ZENML_ORG, "Editor": ZENML_ORG, "Viewer": ZENML_ORG, "project-reader": ZENML_ORG})
    );
    // A read without role_id lists each role's assignments once (9 built-in
    // + 2 custom roles); with role_id, that role's only. The apply read each
    // of the four data sources once.
    assert_eq!(assignment_listings(&emu), 3 * 11 + 1);

    // Revoked outside Terraform: the next read no longer lists it.
    let (status, body) = emu.zenml(
        "DELETE",
        &format!("/roles/{viewer}/assignments?user_id={USER_B}"),
        None,
    );
    assert_eq!(status, 200, "{body}");
    ws.apply();
    let out: Value = serde_json::from_str(&ws.ok(&["output", "-json"]).stdout).unwrap();
    assert_eq!(out["all"]["value"].as_array().unwrap().len(), 4);
}

/// What `terraform plan` printed for one `rbac_zenml_role_assignments`
/// block with these arguments; the plan must fail.
fn plan_error(ws: &Workspace, arguments: &str) -> String {
    ws.config(&format!(
        "provider \"rbac\" {{\n  zenml {{}}\n}}\n\ndata \"rbac_zenml_role_assignments\" \"x\" {{\n{arguments}\n}}\n"
    ));
    let run = ws.run(&["plan", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    run.all()
}

#[test]
fn zenml_role_assignments_data_source_errors_name_the_attribute() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    let text = plan_error(
        &ws,
        &format!("  organization_id = \"{ZENML_ORG}\"\n  user_id = \"alice\""),
    );
    assert!(text.contains("user_id"), "{text}");
    assert!(text.contains("UUID"), "{text}");

    // A role that does not exist: the error names role_id and points to the
    // data source that lists roles.
    let text = plan_error(
        &ws,
        &format!("  organization_id = \"{ZENML_ORG}\"\n  role_id = \"{USER_A}\""),
    );
    assert!(text.contains(&format!("No ZenML role {USER_A}")), "{text}");
    assert!(text.contains("role_id"), "{text}");
    assert!(text.contains("rbac_zenml_roles"), "{text}");

    // An organization ZenML does not know: the vendor's 404, explained.
    let text = plan_error(
        &ws,
        "  organization_id = \"99999999-9999-4999-8999-999999999999\"",
    );
    assert!(
        text.contains("Error reading ZenML role assignments"),
        "{text}"
    );
    assert!(text.contains("404"), "{text}");
}

/// `for_each` over objects: at validate every principal is unknown, which
/// must not read as "three are set" (the adopt scenario's natural shape).
#[test]
fn zenml_role_assignment_for_each_with_unknown_principals_validates() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(
        r#"provider "rbac" {
  zenml {}
}

variable "assignments" {
  type = map(object({
    role_id = string
    user_id = optional(string)
    team_id = optional(string)
  }))
  default = {}
}

resource "rbac_zenml_role_assignment" "a" {
  for_each = var.assignments
  role_id  = each.value.role_id
  user_id  = each.value.user_id
  team_id  = each.value.team_id
}
"#,
    );
    let run = ws.ok(&["validate", "-no-color"]);
    assert!(
        run.all().contains("The configuration is valid"),
        "{}",
        run.all()
    );
}
