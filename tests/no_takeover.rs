//! A create whose answer is lost never takes over an object that was there
//! before the apply. The other party's object of the same name is made
//! through the emulator's vendor API first; then the create's answer is
//! lost (the emulator applies the request and drops the answer). Where
//! names are unique (Flashduty, SlashID, ZenML) the vendor refused the
//! create, and the apply must fail naming the import command, recording
//! nothing; Rootly's names are not unique, so its create made a second role,
//! and that one (not the older one) is recorded. Whatever the content of the
//! other party's object: the same as ours, or not.

mod common;

use common::{EmulatorProcess, Workspace, SLASHID_ORG, ZENML_ORG};
use serde_json::json;

/// Terraform's output with its line wrapping undone.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Loses the answer of the next create on `endpoint` (set after the other
/// party's object is made through the same endpoint).
fn lose_next(emu: &EmulatorProcess, endpoint: &str) {
    emu.set_faults(json!({"script": [{"endpoint": endpoint, "kind": "lost"}]}));
}

/// Applies `config`: it must fail, name `import` (the command for the
/// object that was there) and record no `resource_type` in state.
fn apply_refused(ws: &Workspace, resource_type: &str, import: &str) {
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    let text = run.all();
    assert_ne!(
        run.status, 0,
        "the object that was there was adopted:\n{text}"
    );
    let flat = flat(&text).to_lowercase();
    assert!(flat.contains("names are unique"), "{text}");
    assert!(
        flat.contains(&import.to_lowercase()),
        "no {import:?} in:\n{text}"
    );
    assert!(!flat.contains("may exist"), "{text}");
    assert_eq!(
        ws.instance_ids(resource_type),
        Vec::<String>::new(),
        "{text}"
    );
}

#[test]
fn flashduty_role_lost_create_of_a_taken_name_is_not_adopted() {
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    // The same content as the configuration: only its age tells it apart.
    let theirs = emu.flashduty(
        "/role/upsert",
        json!({"role_name": "Pre FD", "description": "", "permission_ids": []}),
    );
    let id = theirs["data"]["role_id"].to_string();
    lose_next(&emu, "POST /flashduty/role/upsert");
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  flashduty {}\n}\n\nresource \"rbac_flashduty_role\" \"r\" {\n  role_name = \"Pre FD\"\n}\n",
    );
    apply_refused(
        &ws,
        "rbac_flashduty_role",
        &format!("terraform import <resource address> {id}"),
    );
    let named: Vec<_> = emu
        .flashduty_roles()
        .into_iter()
        .filter(|r| r["role_name"] == "Pre FD")
        .collect();
    assert_eq!(named.len(), 1, "{named:?}");
    assert_eq!(named[0]["role_id"].to_string(), id);
}

#[test]
fn slashid_role_lost_create_of_a_taken_name_is_not_adopted() {
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    let full = format!("{SLASHID_ORG}/pre-sid");
    let theirs = json!({"name": full, "description": "theirs", "permissions": []});
    assert_eq!(emu.slashid("POST", "/rbac/roles", Some(theirs)).0, 204);
    lose_next(&emu, "POST /slashid/rbac/roles");
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  slashid {}\n}\n\nresource \"rbac_slashid_role\" \"r\" {\n  name        = \"pre-sid\"\n  description = \"ours\"\n}\n",
    );
    apply_refused(
        &ws,
        "rbac_slashid_role",
        "terraform import <resource address> pre-sid",
    );
    // A later apply refuses again: it neither overwrites nor deletes theirs.
    apply_refused(
        &ws,
        "rbac_slashid_role",
        "terraform import <resource address> pre-sid",
    );
    let role = emu
        .slashid_role("pre-sid")
        .expect("their role is still there");
    assert_eq!(role["description"], "theirs", "{role}");
}

#[test]
fn slashid_permission_lost_create_of_a_taken_name_is_not_adopted() {
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    let theirs = json!({"name": "pre.sid.read", "description": "theirs"});
    assert_eq!(
        emu.slashid("POST", "/rbac/permissions", Some(theirs)).0,
        204
    );
    lose_next(&emu, "POST /slashid/rbac/permissions");
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  slashid {}\n}\n\nresource \"rbac_slashid_permission\" \"p\" {\n  name        = \"pre.sid.read\"\n  description = \"theirs\"\n}\n",
    );
    apply_refused(
        &ws,
        "rbac_slashid_permission",
        "terraform import <resource address> pre.sid.read",
    );
    let permission = emu.slashid_permission("pre.sid.read").expect("still there");
    assert_eq!(permission["description"], "theirs", "{permission}");
}

#[test]
fn zenml_role_lost_create_of_a_taken_name_is_not_adopted() {
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    let content = json!({
        "organization_id": ZENML_ORG,
        "level": "workspace",
        "name": "pre-zen",
        "system_managed": false,
    });
    let (status, theirs) = emu.zenml("POST", "/roles", Some(content));
    assert_eq!(status, 200, "{theirs}");
    lose_next(&emu, "POST /zenml/roles");
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        "provider \"rbac\" {{\n  zenml {{}}\n}}\n\nresource \"rbac_zenml_role\" \"r\" {{\n  organization_id = \"{ZENML_ORG}\"\n  level           = \"workspace\"\n  name            = \"pre-zen\"\n}}\n"
    ));
    apply_refused(
        &ws,
        "rbac_zenml_role",
        &format!("terraform import <resource address> {ZENML_ORG}/pre-zen"),
    );
    let named: Vec<_> = emu
        .zenml_custom_roles()
        .into_iter()
        .filter(|r| r["name"] == "pre-zen")
        .collect();
    assert_eq!(named.len(), 1, "{named:?}");
    assert_eq!(named[0]["id"], theirs["id"]);
}

#[test]
fn rootly_on_call_role_lost_create_records_the_new_role_not_the_older_one() {
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    // Made moments before the apply, with the same content.
    let theirs = emu.rootly_create(json!({"name": "Pre Rootly", "alerts_permissions": ["read"]}));
    let theirs = theirs["id"].as_str().unwrap().to_string();
    lose_next(&emu, "POST /rootly/v1/on_call_roles");
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  rootly {}\n}\n\nresource \"rbac_rootly_on_call_role\" \"r\" {\n  name               = \"Pre Rootly\"\n  alerts_permissions = [\"read\"]\n}\n",
    );
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.status, 0, "{}", run.all());
    let named: Vec<String> = emu
        .rootly_roles()
        .into_iter()
        .filter(|(_, name)| name == "Pre Rootly")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(named.len(), 2, "theirs and ours, no third: {named:?}");
    let ours: Vec<String> = named.into_iter().filter(|id| *id != theirs).collect();
    assert_eq!(ws.instance_ids("rbac_rootly_on_call_role"), ours);
    // Destroying ours leaves theirs.
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(emu.rootly_role(&theirs).is_some());
}

#[test]
fn slashid_role_create_unknown_every_time_is_not_settled_onto_the_older_role() {
    // The first send is refused (the name is taken) and its answer lost;
    // every later send gets a 503, so no 409 tells anything: the role is
    // kept pending. Its refresh must not record the role that was there.
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    let full = format!("{SLASHID_ORG}/pre-sid-pending");
    let theirs = json!({"name": full, "description": "theirs", "permissions": []});
    assert_eq!(emu.slashid("POST", "/rbac/roles", Some(theirs)).0, 204);
    emu.set_faults(json!({"script": [
        {"endpoint": "POST /slashid/rbac/roles", "kind": "lost"},
        {"endpoint": "POST /slashid/rbac/roles", "kind": "503", "times": 10},
    ]}));
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  slashid {}\n}\n\nresource \"rbac_slashid_role\" \"r\" {\n  name        = \"pre-sid-pending\"\n  description = \"ours\"\n}\n",
    );
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    assert!(flat(&run.all()).contains("may exist"), "{}", run.all());
    emu.set_faults(json!({"script": []}));
    // The next apply's refresh settles it: not ours, so nothing recorded,
    // and the create is refused naming the import command.
    apply_refused(
        &ws,
        "rbac_slashid_role",
        "terraform import <resource address> pre-sid-pending",
    );
    let role = emu.slashid_role("pre-sid-pending").expect("still there");
    assert_eq!(role["description"], "theirs", "{role}");
}
