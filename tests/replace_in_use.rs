//! Replacing (or renaming) a permission or role that others
//! use converges in one apply and never strips a person's access longer
//! than the vendor forces. Real terraform against the emulator, every vendor.

mod common;

use common::{EmulatorProcess, Workspace, SLASHID_ORG, ZENML_ORG};
use serde_json::{json, Value};

const PERSON: &str = "pid:01900000-0000-7000-8000-000000000003";

/// A permission (named by `var.perm`), a role that grants it and a person
/// who holds the role, written as the docs say; `lifecycle` goes into the
/// permission.
fn slashid_config(lifecycle: &str) -> String {
    format!(
        r#"provider "rbac" {{
  slashid {{}}
}}

variable "perm" {{
  type    = string
  default = "acc.reports.read"
}}

variable "role" {{
  type    = string
  default = "acc-viewer"
}}

resource "rbac_slashid_permission" "read" {{
  name = var.perm
{lifecycle}
}}

resource "rbac_slashid_role" "viewer" {{
  name        = var.role
  permissions = [rbac_slashid_permission.read.name]
}}

resource "rbac_slashid_person_roles" "p" {{
  person_id = "{PERSON}"
  roles     = [rbac_slashid_role.viewer.name]
  # SlashID revokes a deleted role from everyone: re-grant it in the same apply.
  role_generations = [rbac_slashid_role.viewer.generation]
}}
"#
    )
}

const CBD: &str = "  lifecycle {\n    create_before_destroy = true\n  }";

fn slashid_person_roles(emu: &EmulatorProcess) -> Value {
    let (status, body) = emu.slashid("GET", &format!("/persons/{PERSON}/roles"), None);
    assert_eq!(status, 200, "{body}");
    body["result"].clone()
}

fn slashid_person_permissions(emu: &EmulatorProcess) -> Value {
    let (status, body) = emu.slashid("GET", &format!("/persons/{PERSON}/permissions"), None);
    assert_eq!(status, 200, "{body}");
    body["result"].clone()
}

#[test]
fn slashid_permission_rename_in_use_converges() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);

    // Without create_before_destroy, Terraform deletes the old permission
    // before it updates the role; SlashID refuses. The error must name the
    // exact fix, and nothing may be lost.
    ws.config(&slashid_config(""));
    ws.apply();
    assert_eq!(
        slashid_person_permissions(&emu),
        json!(["acc.reports.read"])
    );
    let run = ws.run(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-var",
        "perm=acc.reports.view",
    ]);
    assert_ne!(run.status, 0, "{}", run.all());
    let out = run.all();
    assert!(out.contains("create_before_destroy = true"), "{out}");
    assert!(out.contains("rbac_slashid_permission"), "{out}");
    assert!(
        !out.contains("reference this permission from them"),
        "untrue advice: the role already references it\n{out}"
    );
    assert!(emu.slashid_permission("acc.reports.read").is_some());
    assert_eq!(
        emu.slashid_role("acc-viewer").unwrap()["permissions"],
        json!(["acc.reports.read"])
    );

    // With the fix the error names, the same change converges in one apply,
    // and the person never lacks the permission.
    ws.config(&slashid_config(CBD));
    ws.ok(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-var",
        "perm=acc.reports.view",
    ]);
    assert!(emu.slashid_permission("acc.reports.read").is_none());
    assert_eq!(
        emu.slashid_role("acc-viewer").unwrap()["permissions"],
        json!(["acc.reports.view"])
    );
    assert_eq!(
        slashid_person_permissions(&emu),
        json!(["acc.reports.view"])
    );
    let run = ws.run(&[
        "plan",
        "-detailed-exitcode",
        "-no-color",
        "-var",
        "perm=acc.reports.view",
    ]);
    assert_eq!(run.status, 0, "{}", run.all());
}

#[test]
fn slashid_role_replace_keeps_person_roles() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&slashid_config(CBD));
    ws.apply();
    let full = json!([format!("{SLASHID_ORG}/acc-viewer")]);
    assert_eq!(slashid_person_roles(&emu), full);
    ws.assert_no_changes();

    // -replace: SlashID revokes a deleted role from everyone; the person is
    // given the new role in the same apply.
    let run = ws.ok(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-replace=rbac_slashid_role.viewer",
    ]);
    assert!(
        run.stdout
            .contains("rbac_slashid_person_roles.p: Modifying"),
        "{}",
        run.stdout
    );
    assert_eq!(slashid_person_roles(&emu), full);
    ws.assert_no_changes();

    // A rename through a variable converges in one apply too.
    let run = ws.ok(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-var",
        "role=acc-reader",
    ]);
    assert!(run.stdout.contains("1 changed"), "{}", run.stdout);
    assert_eq!(
        slashid_person_roles(&emu),
        json!([format!("{SLASHID_ORG}/acc-reader")])
    );
    let run = ws.run(&[
        "plan",
        "-detailed-exitcode",
        "-no-color",
        "-var",
        "role=acc-reader",
    ]);
    assert_eq!(run.status, 0, "{}", run.all());
}

#[test]
fn zenml_role_replace_keeps_assignment() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    let user = "7d1c2b3a-1111-4aaa-8bbb-0000000000aa";
    let workspace = "7d1c2b3a-3333-4aaa-8bbb-000000000004";
    ws.config(&format!(
        r#"provider "rbac" {{
  zenml {{}}
}}

resource "rbac_zenml_role" "eng" {{
  organization_id = "{ZENML_ORG}"
  level           = "workspace"
  name            = "acc-replace-eng"
}}

resource "rbac_zenml_role_assignment" "eng" {{
  role_id      = rbac_zenml_role.eng.id
  user_id      = "{user}"
  workspace_id = "{workspace}"
}}
"#
    ));
    ws.apply();
    let old = ws.resource("rbac_zenml_role.eng").unwrap()["id"].clone();
    ws.ok(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-replace=rbac_zenml_role.eng",
    ]);
    let new = ws.resource("rbac_zenml_role.eng").unwrap()["id"].clone();
    assert_ne!(old, new);
    let granted = emu.zenml_assignments(new.as_str().unwrap());
    assert_eq!(granted.len(), 1, "{granted:?}");
    assert_eq!(granted[0]["user_id"], user);
    ws.assert_no_changes();
}

#[test]
fn flashduty_role_replace_keeps_member_roles() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(
        r#"provider "rbac" {
  flashduty {}
}

resource "rbac_flashduty_role" "oncall" {
  role_name = "Acc Replace In Use"
}

data "rbac_flashduty_members" "carol" {
  email = "carol@example.com"
}

resource "rbac_flashduty_member_roles" "carol" {
  member_id = data.rbac_flashduty_members.carol.members[0].member_id
  role_ids  = [rbac_flashduty_role.oncall.id]
}
"#,
    );
    ws.apply();
    let member = ws.resource("rbac_flashduty_member_roles.carol").unwrap()["member_id"].clone();
    ws.ok(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-replace=rbac_flashduty_role.oncall",
    ]);
    let new: u64 = ws.resource("rbac_flashduty_role.oncall").unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let list = emu.flashduty("/member/list", json!({"limit": 100}));
    let held = list["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["member_id"] == member)
        .map(|m| m["account_role_ids"].clone())
        .unwrap();
    assert_eq!(held, json!([new]));
    ws.assert_no_changes();
}

#[test]
fn rootly_role_replace_keeps_user_role() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(
        r#"provider "rbac" {
  rootly {}
}

resource "rbac_rootly_on_call_role" "responder" {
  name               = "Acc Replace Responder"
  alerts_permissions = ["read"]
}

data "rbac_rootly_users" "alan" {
  email = "alan@example.com"
}

resource "rbac_rootly_user_on_call_role" "alan" {
  user_id         = data.rbac_rootly_users.alan.users[0].id
  on_call_role_id = rbac_rootly_on_call_role.responder.id
}
"#,
    );
    ws.apply();
    ws.ok(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-replace=rbac_rootly_on_call_role.responder",
    ]);
    let new = ws.resource("rbac_rootly_on_call_role.responder").unwrap()["id"].clone();
    let (status, body) = emu.rootly("GET", "/v1/users/20003", None);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["relationships"]["on_call_role"]["data"]["id"],
        new
    );
    ws.assert_no_changes();
}
