//! `rbac_zenml_role_assignment` through the real terraform CLI against the
//! emulator.

mod common;

use common::{EmulatorProcess, Workspace, ZENML_ORG};

const USER_A: &str = "7d1c2b3a-1111-4aaa-8bbb-000000000001";
const USER_B: &str = "7d1c2b3a-1111-4aaa-8bbb-000000000002";
const TEAM: &str = "7d1c2b3a-2222-4aaa-8bbb-000000000003";
const WORKSPACE: &str = "7d1c2b3a-3333-4aaa-8bbb-000000000004";
const PROJECT: &str = "7d1c2b3a-4444-4aaa-8bbb-000000000005";

fn config(user: &str) -> String {
    format!(
        r#"
provider "rbac" {{
  zenml {{}}
}}

resource "rbac_zenml_role" "reviewer" {{
  organization_id = "{ZENML_ORG}"
  level           = "project"
  name            = "acc-reviewer"
}}

resource "rbac_zenml_role_assignment" "reviewer" {{
  role_id      = rbac_zenml_role.reviewer.id
  user_id      = "{user}"
  workspace_id = "{WORKSPACE}"
  project_id   = "{PROJECT}"
}}

data "rbac_zenml_roles" "org_viewer" {{
  organization_id = "{ZENML_ORG}"
  level           = "organization"
  name            = "Viewer"
}}

resource "rbac_zenml_role_assignment" "viewers" {{
  role_id = data.rbac_zenml_roles.org_viewer.ids[0]
  team_id = "{TEAM}"
}}
"#
    )
}

#[test]
fn zenml_role_assignment_lifecycle() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&config(USER_A));
    ws.apply();

    let role = ws.resource("rbac_zenml_role.reviewer").unwrap();
    let role_id = role["id"].as_str().unwrap().to_string();
    let viewer = emu.zenml_built_in("organization", "Viewer");
    let viewer_id = viewer["id"].as_str().unwrap().to_string();
    let granted = emu.zenml_assignments(&role_id);
    assert_eq!(granted.len(), 1, "{granted:?}");
    assert_eq!(granted[0]["user_id"], USER_A);
    assert_eq!(granted[0]["workspace_id"], WORKSPACE);
    assert_eq!(granted[0]["project_id"], PROJECT);
    let team = emu.zenml_assignments(&viewer_id);
    assert_eq!(team.len(), 1);
    assert_eq!(team[0]["team_id"], TEAM);
    assert!(team[0]["workspace_id"].is_null());

    let created = ws.resource("rbac_zenml_role_assignment.reviewer").unwrap();
    assert_eq!(
        created["id"],
        format!("{role_id}/user/{USER_A}/{WORKSPACE}/{PROJECT}")
    );
    ws.assert_no_changes();

    // Import by the documented composite ID.
    for address in [
        "rbac_zenml_role_assignment.reviewer",
        "rbac_zenml_role_assignment.viewers",
    ] {
        let before = ws.resource(address).unwrap();
        ws.ok(&["state", "rm", address]);
        ws.ok(&[
            "import",
            "-no-color",
            address,
            before["id"].as_str().unwrap(),
        ]);
        assert_eq!(ws.resource(address).unwrap(), before);
    }
    ws.assert_no_changes();
    let run = ws.run(&[
        "import",
        "-no-color",
        "rbac_zenml_role_assignment.reviewer",
        &format!("{role_id}/group/{USER_A}"),
    ]);
    assert_ne!(run.status, 0);
    assert!(
        run.all()
            .contains("<role_id>/<user|team|invitation>/<principal_id>"),
        "{}",
        run.all()
    );

    // Another user: the assignment is replaced.
    ws.config(&config(USER_B));
    let plan = ws.plan_with_changes();
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    ws.apply();
    let granted = emu.zenml_assignments(&role_id);
    assert_eq!(granted.len(), 1, "{granted:?}");
    assert_eq!(granted[0]["user_id"], USER_B);
    ws.assert_no_changes();

    // Revoked behind Terraform's back: granted again.
    let (status, body) = emu.zenml(
        "DELETE",
        &format!("/roles/{viewer_id}/assignments?team_id={TEAM}"),
        None,
    );
    assert_eq!(status, 200, "{body}");
    let plan = ws.plan_with_changes();
    assert!(
        plan.stdout
            .contains("rbac_zenml_role_assignment.viewers will be created"),
        "{}",
        plan.stdout
    );
    ws.apply();
    assert_eq!(emu.zenml_assignments(&viewer_id).len(), 1);

    // Destroy: nothing left assigned, the custom role gone, the built-in kept.
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(emu.zenml_assignments(&viewer_id).is_empty());
    assert!(emu.zenml_role(&role_id).is_none());
    assert!(emu.zenml_role(&viewer_id).is_some());
}

#[test]
fn zenml_role_assignment_errors_are_readable() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    // Two principals and a project without a workspace: caught at validate.
    ws.config(&format!(
        r#"
resource "rbac_zenml_role_assignment" "bad" {{
  role_id    = "{USER_A}"
  user_id    = "{USER_A}"
  team_id    = "{TEAM}"
  project_id = "{PROJECT}"
}}
"#
    ));
    let run = ws.run(&["validate", "-no-color"]);
    assert_ne!(run.status, 0);
    let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        out.contains("Exactly one of `user_id`, `team_id`, `invitation_id`"),
        "{out}"
    );
    assert!(out.contains("project_id needs workspace_id"), "{out}");

    // A workspace role assigned without a workspace: ZenML's ValueError.
    let admin = emu.zenml_built_in("workspace", "Admin");
    ws.config(&format!(
        r#"
resource "rbac_zenml_role_assignment" "bad" {{
  role_id = "{}"
  user_id = "{USER_A}"
}}
"#,
        admin["id"].as_str().unwrap()
    ));
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(run.status, 0);
    let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(out.contains("ValueError"), "{out}");
    assert!(out.contains("workspace_id"), "{out}");
}

fn admins(role_id: &str, users: &[&str]) -> String {
    let keys: Vec<String> = users.iter().map(|u| format!("{u:?}")).collect();
    format!(
        r#"
provider "rbac" {{
  zenml {{}}
}}

resource "rbac_zenml_role_assignment" "admin" {{
  for_each = toset([{}])
  role_id  = "{role_id}"
  user_id  = each.key
}}
"#,
        keys.join(", ")
    )
}

/// A grant made by hand before the apply is never recorded as created by
/// it: the plan fails naming the import command, nothing is sent, and a
/// destroy can therefore never revoke it. Imported, it is managed as usual.
#[test]
fn an_assignment_granted_by_hand_is_not_taken_over() {
    let emu = EmulatorProcess::start(&[]);
    let admin = emu.zenml_built_in_id("organization", "Admin");
    let (status, body) = emu.zenml(
        "POST",
        &format!("/roles/{admin}/assignments?user_id={USER_A}"),
        None,
    );
    assert!((200..300).contains(&status), "{status} {body}");
    let ws = Workspace::new(&emu);
    ws.config(&admins(&admin, &[USER_A]));
    emu.reset_stats();
    let plan = ws.run(&["plan", "-no-color"]);
    assert_ne!(plan.status, 0, "{}", plan.all());
    let text = plan.all();
    assert!(
        text.contains(&format!(
            "ZenML role {admin} is already assigned to user {USER_A}"
        )),
        "{text}"
    );
    let id = format!("{admin}/user/{USER_A}");
    assert!(
        text.contains(&format!("terraform import <resource address> {id}")),
        "{text}"
    );
    assert!(text.contains("moved block"), "{text}");
    // The apply refuses the same way, and sends no grant.
    let apply = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(apply.status, 0, "{}", apply.all());
    let stats = emu.stats();
    assert!(
        stats["endpoints"][format!("POST /zenml/roles/{admin}/assignments")].is_null(),
        "{stats}"
    );
    let listed = ws.run(&["state", "list"]);
    assert!(
        !listed.stdout.contains("rbac_zenml_role_assignment"),
        "{}",
        listed.stdout
    );

    // Imported by its documented ID, it is managed: no changes.
    ws.ok(&[
        "import",
        "-no-color",
        &format!("rbac_zenml_role_assignment.admin[\"{USER_A}\"]"),
        &id,
    ]);
    ws.assert_no_changes();
}

/// Renaming `for_each` keys plans a create of an assignment that exists
/// (the old key's): the plan fails and says to add a `moved` block, instead
/// of revoking and granting the same pairs in parallel (which left users
/// without the role). With the moved blocks, nothing changes at all.
#[test]
fn renamed_keys_need_moved_blocks_and_never_lose_the_role() {
    let emu = EmulatorProcess::start(&[]);
    let admin = emu.zenml_built_in_id("organization", "Admin");
    let ws = Workspace::new(&emu);
    let named = |prefix: &str| {
        format!(
            r#"
provider "rbac" {{
  zenml {{}}
}}

resource "rbac_zenml_role_assignment" "admin" {{
  for_each = {{ "{prefix}a" = "{USER_A}", "{prefix}b" = "{USER_B}" }}
  role_id  = "{admin}"
  user_id  = each.value
}}
"#
        )
    };
    ws.config(&named("old-"));
    ws.apply();
    ws.config(&named("new-"));
    let plan = ws.run(&["plan", "-no-color"]);
    assert_ne!(plan.status, 0, "{}", plan.all());
    assert!(plan.all().contains("moved block"), "{}", plan.all());
    let apply = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(apply.status, 0, "{}", apply.all());
    let held = |user: &str| {
        emu.zenml_assignments(&admin)
            .iter()
            .any(|a| a["user_id"].as_str() == Some(user))
    };
    assert!(held(USER_A) && held(USER_B), "a user lost the role");

    // Importing at the new keys instead (the first advice a user may try)
    // would import and then revoke (the old keys' destroy): refused.
    let imports = format!(
        "{}\nimport {{\n  to = rbac_zenml_role_assignment.admin[\"new-a\"]\n  id = \"{admin}/user/{USER_A}\"\n}}\nimport {{\n  to = rbac_zenml_role_assignment.admin[\"new-b\"]\n  id = \"{admin}/user/{USER_B}\"\n}}\n",
        named("new-")
    );
    ws.config(&imports);
    let apply = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(apply.status, 0, "{}", apply.all());
    assert!(
        apply
            .all()
            .contains("is already managed by another resource of this state"),
        "{}",
        apply.all()
    );
    assert!(held(USER_A) && held(USER_B), "an import revoked the role");

    let moved = format!(
        "{}\nmoved {{\n  from = rbac_zenml_role_assignment.admin[\"old-a\"]\n  to   = rbac_zenml_role_assignment.admin[\"new-a\"]\n}}\nmoved {{\n  from = rbac_zenml_role_assignment.admin[\"old-b\"]\n  to   = rbac_zenml_role_assignment.admin[\"new-b\"]\n}}\n",
        named("new-")
    );
    ws.config(&moved);
    ws.apply();
    ws.assert_no_changes();
    assert!(held(USER_A) && held(USER_B));
}

/// Two resources of one configuration for the same assignment: the second
/// plan is refused (destroying either would revoke the role from both).
#[test]
fn two_resources_for_one_assignment_are_refused() {
    let emu = EmulatorProcess::start(&[]);
    let admin = emu.zenml_built_in_id("organization", "Admin");
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        "{}\nresource \"rbac_zenml_role_assignment\" \"twin\" {{\n  role_id = \"{admin}\"\n  user_id = \"{USER_A}\"\n}}\n",
        admins(&admin, &[USER_A])
    ));
    let apply = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(apply.status, 0, "{}", apply.all());
    assert!(
        apply
            .all()
            .contains("by another resource of this configuration"),
        "{}",
        apply.all()
    );
}
