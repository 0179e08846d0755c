//! Authoritative assignments (`rbac_flashduty_member_roles`,
//! `rbac_slashid_person_roles`, `rbac_rootly_user_on_call_role`) through the
//! real terraform CLI: the plan of a first apply warns of every role it will
//! revoke, and two resources for one holder are refused at plan.

mod common;

use common::{EmulatorProcess, Workspace, SLASHID_ORG};
use serde_json::json;

const BOB: u64 = 5_068_740_052_131;
const PERSON: &str = "pid:01900000-0000-7000-8000-000000000002";
/// grace@example.com, seeded with the on-call role "User".
const GRACE: &str = "20002";

fn plan(ws: &Workspace) -> String {
    let run = ws.run(&["plan", "-no-color"]);
    run.all()
}

#[test]
fn flashduty_first_apply_warns_of_the_roles_it_revokes() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        "provider \"rbac\" {{\n  flashduty {{}}\n}}\n\nresource \"rbac_flashduty_member_roles\" \"bob\" {{\n  member_id = {BOB}\n  role_ids  = [6]\n}}\n"
    ));
    let text = plan(&ws);
    assert!(
        text.contains(
            "Flashduty member 5068740052131 (bob@example.com) will lose 1 role: Admin (2)"
        ),
        "{text}"
    );
    assert!(
        text.contains("rbac_flashduty_member_roles is authoritative"),
        "{text}"
    );
    ws.apply();
    // Managed now: no warning, no changes.
    ws.assert_no_changes();
    assert!(!plan(&ws).contains("will lose"));
}

#[test]
fn flashduty_two_resources_for_one_member_are_refused() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        "provider \"rbac\" {{\n  flashduty {{}}\n}}\n\nresource \"rbac_flashduty_member_roles\" \"a\" {{\n  member_id = {BOB}\n  role_ids  = [2, 6]\n}}\n\nresource \"rbac_flashduty_member_roles\" \"b\" {{\n  member_id = {BOB}\n  role_ids  = [8]\n}}\n"
    ));
    let run = ws.run(&["plan", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    assert!(
        run.all()
            .contains("Another rbac_flashduty_member_roles in this configuration manages Flashduty member 5068740052131"),
        "{}",
        run.all()
    );
    let before = emu.flashduty("/member/list", json!({"limit": 100}));
    let bob = before["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["member_id"] == BOB)
        .unwrap()
        .clone();
    assert_eq!(bob["account_role_ids"], json!([2, 6]));
}

#[test]
fn slashid_first_apply_warns_of_the_roles_it_revokes() {
    let emu = EmulatorProcess::start(&[]);
    for role in ["auditor", "operator"] {
        let (status, body) = emu.slashid(
            "POST",
            "/rbac/roles",
            Some(json!({"name": format!("{SLASHID_ORG}/{role}"), "description": "", "permissions": []})),
        );
        assert!((200..300).contains(&status), "{status} {body}");
    }
    let full = |r: &str| format!("{SLASHID_ORG}/{r}");
    let (status, body) = emu.slashid(
        "PUT",
        &format!("/persons/{PERSON}/roles"),
        Some(json!({"roles": [full("auditor"), full("operator")]})),
    );
    assert!((200..300).contains(&status), "{status} {body}");
    let ws = Workspace::new(&emu);
    let config = |name: &str| {
        format!(
            "resource \"rbac_slashid_person_roles\" \"{name}\" {{\n  person_id = \"{PERSON}\"\n  roles     = [\"operator\"]\n}}\n"
        )
    };
    ws.config(&format!(
        "provider \"rbac\" {{\n  slashid {{}}\n}}\n\n{}",
        config("p")
    ));
    let text = plan(&ws);
    assert!(
        text.contains(&format!(
            "SlashID person {PERSON} will lose 1 role: auditor"
        )),
        "{text}"
    );
    ws.config(&format!(
        "provider \"rbac\" {{\n  slashid {{}}\n}}\n\n{}\n{}",
        config("p"),
        config("q")
    ));
    let run = ws.run(&["plan", "-no-color"]);
    assert_ne!(run.status, 0);
    assert!(
        run.all().contains("Another rbac_slashid_person_roles"),
        "{}",
        run.all()
    );
}

#[test]
fn rootly_first_apply_warns_of_the_role_it_replaces() {
    let emu = EmulatorProcess::start(&[]);
    let observer = emu
        .rootly_roles()
        .into_iter()
        .find(|(_, n)| n == "Observer")
        .unwrap()
        .0;
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        "provider \"rbac\" {{\n  rootly {{}}\n}}\n\nresource \"rbac_rootly_user_on_call_role\" \"grace\" {{\n  user_id         = \"{GRACE}\"\n  on_call_role_id = \"{observer}\"\n}}\n"
    ));
    let text = plan(&ws);
    assert!(
        text.contains("Rootly user \"20002\" (grace@example.com) will lose 1 role: User ("),
        "{text}"
    );
    ws.apply();
    assert!(!plan(&ws).contains("will lose"));
}
