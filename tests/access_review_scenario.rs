//! examples/scenarios/access-review: on a fresh emulator the reviewed list
//! matches and a plan warns of nothing; after Admin is granted by hand
//! (and one reviewed admin loses it), the plan warns naming each person,
//! vendor and role, and `terraform output -json evidence` records who
//! holds what, where and when.

mod access_people;
mod common;

use access_people::control;
use common::{EmulatorProcess, Workspace};
use serde_json::{json, Value};

const CAROL: u64 = 5_102_993_140_131;
const BOB: u64 = 5_068_740_052_131;

fn scenario(emu: &EmulatorProcess) -> Workspace {
    let ws = Workspace::new(emu);
    let main = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/scenarios/access-review/main.tf");
    std::fs::copy(main, ws.path().join("main.tf")).unwrap();
    ws
}

fn evidence(ws: &Workspace) -> Value {
    let run = ws.ok(&["output", "-json", "evidence"]);
    serde_json::from_str(&run.stdout).expect("evidence JSON")
}

#[test]
fn access_review_scenario_warns_of_admins_granted_by_hand() {
    let emu = EmulatorProcess::start(&[]);
    let ws = scenario(&emu);
    let run = ws.apply();
    assert!(
        !run.all().contains("Check block assertion failed"),
        "{}",
        run.all()
    );
    let before = evidence(&ws);
    assert!(
        before["recorded_at"].as_str().unwrap().ends_with('Z'),
        "{before}"
    );
    assert_eq!(before["findings"], json!([]));
    ws.assert_no_changes();

    // Drift: Carol granted Flashduty Admin by hand; Mallory, outside the
    // people in scope, made Rootly Admin; Bob, a reviewed admin, demoted.
    let r = emu.flashduty(
        "/member/role/update",
        json!({"member_id": CAROL, "role_ids": [2, 8]}),
    );
    assert!(r.get("error").is_none(), "{r}");
    let r = emu.flashduty(
        "/member/role/update",
        json!({"member_id": BOB, "role_ids": [6]}),
    );
    assert!(r.get("error").is_none(), "{r}");
    let mallory = control(
        &emu,
        "rootly/users",
        json!({"email": "mallory@example.com", "first_name": "Mallory", "last_name": "M"}),
    );
    let admin = emu.rootly_role("admin").unwrap()["id"].clone();
    let (status, body) = emu.rootly(
        "PUT",
        &format!("/v1/users/{}", mallory["id"].as_str().unwrap()),
        Some(json!({"data": {"type": "users", "attributes": {"on_call_role_id": admin}}})),
    );
    assert_eq!(status, 200, "{body}");

    let run = ws.run(&["plan", "-no-color"]);
    assert_eq!(
        run.status,
        0,
        "a finding warns, never fails:\n{}",
        run.all()
    );
    let out = run.all().replace('\n', " ");
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    for finding in [
        "carol@example.com holds the flashduty role Admin (2), but is not in the reviewed list of flashduty admins.",
        "mallory@example.com holds the rootly role Admin",
        "bob@example.com is in the reviewed list of flashduty admins but holds no admin-level flashduty role",
    ] {
        assert!(out.contains(finding), "missing {finding:?} in:\n{}", run.all());
    }
    assert!(out.contains("Check block assertion failed"), "{out}");

    // The evidence after an apply: who, what, where, when.
    ws.apply();
    let after = evidence(&ws);
    let carol = after["grants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["who"] == "carol@example.com" && g["role"] == "Admin")
        .unwrap_or_else(|| panic!("{after}"));
    assert_eq!(carol["vendor"], "flashduty");
    assert_eq!(carol["role_id"], "2");
    assert_eq!(carol["account_id"], CAROL.to_string());
    assert!(carol["where"].is_object());
    assert!(after["recorded_at"].as_str().is_some());
    assert_eq!(after["findings"].as_array().unwrap().len(), 2, "{after}");
    let configured: Vec<bool> = after["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["configured"].as_bool().unwrap())
        .collect();
    assert_eq!(configured, [true; 4]);
}
