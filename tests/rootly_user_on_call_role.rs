//! `rbac_rootly_user_on_call_role` and the `rbac_rootly_users` data source
//! through the real terraform CLI against the emulator.

mod common;

use common::{http_post, EmulatorProcess, Workspace};
use serde_json::{json, Value};

const ALAN: &str = "20003";

fn config(role: &str) -> String {
    format!(
        r#"provider "rbac" {{
  rootly {{}}
}}

resource "rbac_rootly_on_call_role" "responder" {{
  name               = "Acc Responder"
  alerts_permissions = ["read"]
}}

data "rbac_rootly_on_call_role" "observer" {{
  slug = "observer"
}}

data "rbac_rootly_users" "alan" {{
  email = "alan@example.com"
}}

resource "rbac_rootly_user_on_call_role" "alan" {{
  user_id         = data.rbac_rootly_users.alan.users[0].id
  on_call_role_id = {role}
}}
"#
    )
}

/// The user's on-call role ID (null when none), as another client sees it.
fn role_of(emu: &EmulatorProcess, user: &str) -> Value {
    let (status, body) = emu.rootly("GET", &format!("/v1/users/{user}"), None);
    assert_eq!(status, 200, "{body}");
    body["data"]["relationships"]["on_call_role"]["data"]["id"].clone()
}

fn put_role(emu: &EmulatorProcess, user: &str, role: Value) {
    let body = json!({"data": {"type": "users", "attributes": {"on_call_role_id": role}}});
    let (status, answer) = emu.rootly("PUT", &format!("/v1/users/{user}"), Some(body));
    assert_eq!(status, 200, "{answer}");
}

fn user_deletes(emu: &EmulatorProcess) -> u64 {
    let stats = emu.stats().to_string();
    assert!(stats.contains("/rootly/v1/users"), "{stats}");
    u64::from(stats.contains("DELETE /rootly/v1/users"))
}

#[test]
fn rootly_user_on_call_role_lifecycle() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    // The role's UUID is unknown until it is created.
    ws.config(&config("rbac_rootly_on_call_role.responder.id"));
    let plan = ws.plan_with_changes();
    assert!(
        plan.stdout.contains("(known after apply)"),
        "{}",
        plan.stdout
    );
    ws.apply();
    let responder = ws.resource("rbac_rootly_on_call_role.responder").unwrap()["id"].clone();
    assert_eq!(role_of(&emu, ALAN), responder);
    ws.assert_no_changes();
    let created = ws.resource("rbac_rootly_user_on_call_role.alan").unwrap();
    assert_eq!(created["id"], ALAN);

    // Import by user ID and by email: the same state.
    for key in [ALAN, "Alan@Example.com"] {
        ws.ok(&["state", "rm", "rbac_rootly_user_on_call_role.alan"]);
        ws.ok(&[
            "import",
            "-no-color",
            "rbac_rootly_user_on_call_role.alan",
            key,
        ]);
        assert_eq!(
            ws.resource("rbac_rootly_user_on_call_role.alan").unwrap(),
            created
        );
        ws.assert_no_changes();
    }

    // Drift both ways: another role set, then the role cleared outside Terraform.
    let (_, observer) = emu.rootly("GET", "/v1/on_call_roles/observer", None);
    let observer = observer["data"]["id"].clone();
    put_role(&emu, ALAN, observer.clone());
    let plan = ws.plan_with_changes();
    assert!(plan.stdout.contains("1 to change"), "{}", plan.stdout);
    ws.apply();
    assert_eq!(role_of(&emu, ALAN), responder);
    put_role(&emu, ALAN, Value::Null);
    ws.plan_with_changes();
    ws.apply();
    assert_eq!(role_of(&emu, ALAN), responder);
    ws.assert_no_changes();

    // Update in place; no other user attribute is touched.
    ws.config(&config("data.rbac_rootly_on_call_role.observer.id"));
    let plan = ws.plan_with_changes();
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    assert_eq!(role_of(&emu, ALAN), observer);
    let (_, alan) = emu.rootly("GET", &format!("/v1/users/{ALAN}"), None);
    assert_eq!(alan["data"]["attributes"]["full_name"], "Alan Turing");
    assert_eq!(alan["data"]["attributes"]["time_zone"], "Etc/UTC");
    ws.assert_no_changes();

    // Destroy stops managing: the user keeps the role and stays in the
    // organization (DELETE /v1/users/{id} is never sent).
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert_eq!(role_of(&emu, ALAN), observer);
    assert_eq!(user_deletes(&emu), 0);
}

#[test]
fn rootly_user_on_call_role_gone_user_validation_and_unknown_role() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    let base = "provider \"rbac\" {\n  rootly {}\n}\n";
    ws.config(&format!(
        "{base}resource \"rbac_rootly_user_on_call_role\" \"u\" {{\n  user_id         = \" \"\n  on_call_role_id = \"\"\n}}\n"
    ));
    let run = ws.run(&["plan", "-no-color"]);
    assert_ne!(run.status, 0);
    assert!(
        run.all().contains("Invalid value for user_id"),
        "{}",
        run.all()
    );
    assert!(
        run.all().contains("Invalid value for on_call_role_id"),
        "{}",
        run.all()
    );

    // Not a UUID (a slug, a typo), or one in upper case: refused at plan,
    // naming the attribute; Rootly answers with lower-case UUIDs, so
    // anything else would never match the state.
    for bad in [
        "not-a-uuid",
        "responder",
        "91B7D512-0000-4000-8000-000000000000",
    ] {
        ws.config(&format!(
            "{base}resource \"rbac_rootly_user_on_call_role\" \"u\" {{\n  user_id         = \"20004\"\n  on_call_role_id = \"{bad}\"\n}}\n"
        ));
        let run = ws.run(&["validate", "-no-color"]);
        assert_ne!(run.status, 0, "{bad}: {}", run.all());
        let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            out.contains("Invalid value for on_call_role_id"),
            "{bad}: {out}"
        );
        assert!(out.contains("on_call_role_id must be"), "{bad}: {out}");
        assert!(out.contains("lower-case UUID"), "{bad}: {out}");
    }

    // An on-call role that does not exist: Rootly's 404, explained.
    ws.config(&format!(
        "{base}resource \"rbac_rootly_user_on_call_role\" \"u\" {{\n  user_id         = \"20004\"\n  on_call_role_id = \"00000000-0000-4000-8000-000000000000\"\n}}\n"
    ));
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(run.status, 0);
    assert!(run.all().contains("has no on-call role"), "{}", run.all());

    let (_, user_role) = emu.rootly("GET", "/v1/on_call_roles/user", None);
    let user_role = user_role["data"]["id"].as_str().unwrap().to_string();
    ws.config(&format!(
        "{base}resource \"rbac_rootly_user_on_call_role\" \"u\" {{\n  user_id         = \"20004\"\n  on_call_role_id = \"{user_role}\"\n}}\n"
    ));
    ws.apply();
    ws.assert_no_changes();

    // The user is removed from the organization outside Terraform: dropped
    // from state.
    let (status, _) = emu.rootly("DELETE", "/v1/users/20004", None);
    assert_eq!(status, 200);
    ws.ok(&["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    assert!(ws.instance_ids("rbac_rootly_user_on_call_role").is_empty());

    let run = ws.run(&[
        "import",
        "-no-color",
        "rbac_rootly_user_on_call_role.u",
        "nobody@example.com",
    ]);
    assert_ne!(run.status, 0);
    assert!(run.all().contains("no such user"), "{}", run.all());
}

#[test]
fn rootly_users_data_source_walks_every_page() {
    let emu = EmulatorProcess::start(&[]);
    for i in 0..120 {
        let body = json!({"email": format!("u{i:03}@example.com"), "first_name": "Paged", "last_name": format!("{i}")});
        let (status, text) = http_post(&emu.url, "/__emulator/rootly/users", &body.to_string());
        assert_eq!(status, 200, "{text}");
    }
    let ws = Workspace::new(&emu);
    ws.config(
        r#"provider "rbac" {
  rootly {}
}

data "rbac_rootly_users" "all" {}

data "rbac_rootly_users" "grace" {
  email = "grace@example.com"
}

data "rbac_rootly_users" "paged" {
  search = "paged"
}

output "all" {
  value = length(data.rbac_rootly_users.all.users)
}

output "grace" {
  value = data.rbac_rootly_users.grace.users
}

output "paged" {
  value = length(data.rbac_rootly_users.paged.users)
}

output "without_role" {
  value = [for u in data.rbac_rootly_users.all.users : u.email if u.on_call_role_id == null && !startswith(u.email, "u")]
}
"#,
    );
    ws.apply();
    let out = ws.ok(&["output", "-json"]);
    let out: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(out["all"]["value"], 124);
    assert_eq!(out["paged"]["value"], 120);
    let grace = &out["grace"]["value"][0];
    assert_eq!(grace["id"], "20002");
    assert_eq!(grace["full_name"], "Grace Hopper");
    assert!(grace["on_call_role_id"].as_str().unwrap().len() == 36);
    assert_eq!(out["without_role"]["value"], json!(["alan@example.com"]));
}
