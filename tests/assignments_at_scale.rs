//! Assignment resources at scale, through the real terraform CLI against the
//! emulator: hundreds of holders per resource type, two applies at once,
//! random faults and delays. After every apply the state equals what the
//! vendor holds, nothing is tainted, and a re-plan is clean. Also the cost:
//! a write is one request, and refreshes share their listings.

mod common;

use std::collections::BTreeMap;
use std::process::Stdio;

use common::{http_post, EmulatorProcess, Workspace};
use serde_json::{json, Value};

/// Holders per workspace; two workspaces apply at once.
const PER_WORKSPACE: usize = 100;

/// Faults of every retriable kind, and short stalls; injected at
/// [`FAULT_RATE`] only while the applies run (the checks read the vendor
/// without them).
const FAULTS: &[&str] = &[
    "--faults",
    "429,500,503,reset,lost,delay",
    "--fault-delay-ms",
    "300",
    "--rate-limit",
    "off",
];

/// Share of vendor requests that get a fault during the applies.
const FAULT_RATE: f64 = 0.04;

/// How many requests the emulator saw for `endpoint`, whatever the answer.
fn calls(stats: &Value, endpoint: &str) -> u64 {
    stats["endpoints"][endpoint]
        .as_object()
        .map(|by_status| by_status.values().filter_map(Value::as_u64).sum())
        .unwrap_or(0)
}

/// Sum of [`calls`] over every endpoint whose key starts with `prefix`.
fn calls_matching(stats: &Value, prefix: &str) -> u64 {
    stats["endpoints"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.starts_with(prefix))
        .map(|(k, _)| calls(stats, k))
        .sum()
}

/// `terraform apply` in both workspaces at the same time; both must succeed.
fn apply_both(a: &Workspace, b: &Workspace) {
    let spawn = |ws: &Workspace| {
        ws.command(&["apply", "-auto-approve", "-no-color"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start terraform")
    };
    let (ca, cb) = (spawn(a), spawn(b));
    for child in [ca, cb] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "apply failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// `attribute` of every instance of `resource_type` in state, by instance
/// key; panics on a tainted instance.
fn recorded(ws: &Workspace, resource_type: &str, attribute: &str) -> BTreeMap<String, Value> {
    let run = ws.ok(&["state", "pull"]);
    let state: Value = serde_json::from_str(&run.stdout).unwrap();
    let mut out = BTreeMap::new();
    for r in state["resources"].as_array().unwrap() {
        if r["type"] != resource_type {
            continue;
        }
        for i in r["instances"].as_array().unwrap() {
            assert_ne!(i["status"], "tainted", "tainted: {i}");
            out.insert(
                i["index_key"].as_str().unwrap().to_string(),
                sorted(&i["attributes"][attribute]),
            );
        }
    }
    out
}

fn sorted(v: &Value) -> Value {
    match v {
        Value::Array(items) => {
            let mut items: Vec<String> = items.iter().map(|x| x.to_string()).collect();
            items.sort();
            json!(items)
        }
        other => other.clone(),
    }
}

/// Two workspaces of [`PER_WORKSPACE`] holders each, applied together
/// twice (create, then a change for every holder) under random faults,
/// each time checked against `held` (what the vendor holds, by holder),
/// then re-planned.
fn two_at_once(
    emu: &EmulatorProcess,
    resource_type: &str,
    attribute: &str,
    config: &dyn Fn(&[String], &str) -> String,
    holders: &[String],
    values: [&str; 2],
    held: &dyn Fn(&EmulatorProcess) -> BTreeMap<String, Value>,
) {
    let (first, second) = holders.split_at(PER_WORKSPACE);
    let a = Workspace::new(emu);
    let b = Workspace::new(emu);
    for value in values {
        a.config(&config(first, value));
        b.config(&config(second, value));
        emu.set_faults(json!({ "rate": FAULT_RATE }));
        apply_both(&a, &b);
        emu.set_faults(json!({"rate": 0}));
        let vendor = held(emu);
        for ws in [&a, &b] {
            let state = recorded(ws, resource_type, attribute);
            assert_eq!(state.len(), PER_WORKSPACE);
            for (key, recorded) in &state {
                let holds = vendor.get(key).map(sorted).unwrap_or(Value::Null);
                assert_eq!(&holds, recorded, "state and vendor differ for {key}");
            }
        }
    }
    a.assert_no_changes();
    b.assert_no_changes();
}

/// The `for_each` map of holder keys, as HCL.
fn hcl_set(keys: &[String]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("{k:?}")).collect();
    format!("toset([{}])", quoted.join(", "))
}

fn flashduty_members(emu: &EmulatorProcess, n: usize) -> Vec<u64> {
    let add: Vec<Value> = (0..n)
        .map(|i| json!({"member_name": format!("Load {i}"), "email": format!("load{i}@example.com"), "role_ids": [2, 6]}))
        .collect();
    let (status, body) = http_post(
        &emu.url,
        "/__emulator/flashduty/members",
        &json!({ "add": add }).to_string(),
    );
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    v["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["member_id"].as_u64().unwrap())
        .collect()
}

fn flashduty_held(emu: &EmulatorProcess) -> BTreeMap<String, Value> {
    let mut all = BTreeMap::new();
    for p in 1.. {
        let page = emu.flashduty("/member/list", json!({"p": p, "limit": 100}));
        let items = page["data"]["items"].as_array().unwrap().clone();
        for m in &items {
            all.insert(m["member_id"].to_string(), m["account_role_ids"].clone());
        }
        if items.len() < 100 {
            break;
        }
    }
    all
}

fn flashduty_config(keys: &[String], roles: &str) -> String {
    format!(
        r#"provider "rbac" {{
  flashduty {{}}
}}

resource "rbac_flashduty_member_roles" "m" {{
  for_each  = {}
  member_id = tonumber(each.key)
  role_ids  = {roles}
}}
"#,
        hcl_set(keys)
    )
}

/// A role update answered 500 once (then retried
/// and applied) was reported as "not updated", from a member listing taken
/// by another resource's read while the write was in flight, and tainted.
#[test]
fn a_retried_member_write_is_not_failed_or_tainted() {
    let emu =
        EmulatorProcess::start(&["--fault-script", "POST /flashduty/member/role/update=500:1"]);
    let ws = Workspace::new(&emu);
    let keys: Vec<String> = ["2476444212131", "5068740052131", "5102993140131"]
        .map(String::from)
        .to_vec();
    ws.config(&flashduty_config(&keys, "[6]"));
    ws.apply();
    let held = flashduty_held(&emu);
    for (key, roles) in recorded(&ws, "rbac_flashduty_member_roles", "role_ids") {
        assert_eq!(roles, json!(["6"]));
        assert_eq!(held[&key], json!([6]), "{key}");
    }
    ws.assert_no_changes();
}

#[test]
fn flashduty_member_roles_two_applies_at_once_with_faults() {
    let emu = EmulatorProcess::start(FAULTS);
    let ids: Vec<String> = flashduty_members(&emu, 2 * PER_WORKSPACE)
        .iter()
        .map(u64::to_string)
        .collect();
    two_at_once(
        &emu,
        "rbac_flashduty_member_roles",
        "role_ids",
        &flashduty_config,
        &ids,
        ["[6]", "[2, 8]"],
        &|emu| flashduty_held(emu),
    );
}

/// A write is one request; a refresh walks the member pages once, not once
/// per member.
#[test]
fn flashduty_member_roles_cost_one_request_per_write() {
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    let ids: Vec<String> = flashduty_members(&emu, 250)
        .iter()
        .map(u64::to_string)
        .collect();
    let ws = Workspace::new(&emu);
    ws.config(&flashduty_config(&ids, "[6]"));
    emu.reset_stats();
    ws.apply();
    let stats = emu.stats();
    assert_eq!(calls(&stats, "POST /flashduty/member/role/update"), 250);
    // 254 members: 3 pages, walked once by the plan walk's check of what the
    // creates revoke and once by the apply walk's (which plans again): never
    // once per write.
    assert!(calls(&stats, "POST /flashduty/member/list") <= 6, "{stats}");
    // The same for an update: the plan's refresh and the apply walk's.
    ws.config(&flashduty_config(&ids, "[2]"));
    emu.reset_stats();
    ws.apply();
    let stats = emu.stats();
    assert_eq!(calls(&stats, "POST /flashduty/member/role/update"), 250);
    assert!(calls(&stats, "POST /flashduty/member/list") <= 6, "{stats}");
}

fn rootly_users(emu: &EmulatorProcess, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let (status, body) = http_post(
                &emu.url,
                "/__emulator/rootly/users",
                &json!({"email": format!("load{i}@example.com"), "first_name": "Load", "last_name": i.to_string()})
                    .to_string(),
            );
            assert_eq!(status, 200, "{body}");
            let v: Value = serde_json::from_str(&body).unwrap();
            v["id"].as_str().unwrap().to_string()
        })
        .collect()
}

fn rootly_config(keys: &[String], role: &str) -> String {
    format!(
        r#"provider "rbac" {{
  rootly {{}}
}}

resource "rbac_rootly_user_on_call_role" "u" {{
  for_each        = {}
  user_id         = each.key
  on_call_role_id = {role:?}
}}
"#,
        hcl_set(keys)
    )
}

fn rootly_held(emu: &EmulatorProcess) -> BTreeMap<String, Value> {
    let mut all = BTreeMap::new();
    for page in 1.. {
        let path = format!("/v1/users?page[number]={page}&page[size]=100&include=on_call_role");
        let (status, body) = emu.rootly("GET", &path, None);
        assert_eq!(status, 200, "{body}");
        let users = body["data"].as_array().unwrap().clone();
        for u in &users {
            let role = &u["relationships"]["on_call_role"]["data"]["id"];
            all.insert(u["id"].as_str().unwrap().to_string(), role.clone());
        }
        if users.len() < 100 {
            break;
        }
    }
    all
}

#[test]
fn rootly_user_on_call_roles_two_applies_at_once_with_faults() {
    let emu = EmulatorProcess::start(FAULTS);
    let users = rootly_users(&emu, 2 * PER_WORKSPACE);
    let roles = emu.rootly_roles();
    let role = |name: &str| roles.iter().find(|(_, n)| n == name).unwrap().0.clone();
    let (user, observer) = (role("User"), role("Observer"));
    two_at_once(
        &emu,
        "rbac_rootly_user_on_call_role",
        "on_call_role_id",
        &rootly_config,
        &users,
        [&user, &observer],
        &rootly_held,
    );
}

/// A refresh of many users walks `GET /v1/users` pages, not one
/// `GET /v1/users/{id}` per assignment.
#[test]
fn rootly_refresh_lists_users_once() {
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    let users = rootly_users(&emu, 150);
    let roles = emu.rootly_roles();
    let user = roles.iter().find(|(_, n)| n == "User").unwrap().0.clone();
    let ws = Workspace::new(&emu);
    ws.config(&rootly_config(&users, &user));
    emu.reset_stats();
    ws.apply();
    assert_eq!(calls_matching(&emu.stats(), "PUT /rootly/v1/users/"), 150);
    emu.reset_stats();
    ws.assert_no_changes();
    let stats = emu.stats();
    assert_eq!(
        calls_matching(&stats, "GET /rootly/v1/users/"),
        0,
        "{stats}"
    );
    // 154 users: two pages of 100.
    assert!(calls(&stats, "GET /rootly/v1/users") <= 2, "{stats}");
}

fn slashid_persons(emu: &EmulatorProcess, n: usize) -> Vec<String> {
    let ids: Vec<String> = (0..n)
        .map(|i| format!("pid:01900000-0000-7000-8000-1{i:011}"))
        .collect();
    let add: Vec<Value> = ids.iter().map(|id| json!({ "person_id": id })).collect();
    let (status, body) = http_post(
        &emu.url,
        "/__emulator/slashid/persons",
        &json!({ "add": add }).to_string(),
    );
    assert_eq!(status, 200, "{body}");
    ids
}

fn slashid_config(keys: &[String], roles: &str) -> String {
    format!(
        r#"provider "rbac" {{
  slashid {{}}
}}

resource "rbac_slashid_person_roles" "p" {{
  for_each  = {}
  person_id = each.key
  roles     = {roles}
}}
"#,
        hcl_set(keys)
    )
}

/// The roles (short names) of each of `persons`.
fn slashid_held(emu: &EmulatorProcess, persons: &[String]) -> BTreeMap<String, Value> {
    persons
        .iter()
        .map(|person_id| {
            let (status, body) = emu.slashid("GET", &format!("/persons/{person_id}/roles"), None);
            assert_eq!(status, 200, "{body}");
            let short: Vec<Value> = body["result"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| json!(r.as_str().unwrap().rsplit('/').next().unwrap()))
                .collect();
            (person_id.clone(), json!(short))
        })
        .collect()
}

#[test]
fn slashid_person_roles_two_applies_at_once_with_faults() {
    let emu = EmulatorProcess::start(FAULTS);
    let persons = slashid_persons(&emu, 2 * PER_WORKSPACE);
    for role in ["reader", "writer"] {
        let (status, body) = emu.slashid(
            "POST",
            "/rbac/roles",
            Some(json!({"name": format!("{}/{role}", common::SLASHID_ORG), "description": "", "permissions": []})),
        );
        assert!((200..300).contains(&status), "{status} {body}");
    }
    two_at_once(
        &emu,
        "rbac_slashid_person_roles",
        "roles",
        &slashid_config,
        &persons,
        [r#"["reader"]"#, r#"["reader", "writer"]"#],
        &|emu| slashid_held(emu, &persons),
    );
}

fn zenml_config(keys: &[String], role: &str) -> String {
    format!(
        r#"provider "rbac" {{
  zenml {{}}
}}

resource "rbac_zenml_role_assignment" "a" {{
  for_each = {}
  role_id  = {role:?}
  user_id  = each.key
}}
"#,
        hcl_set(keys)
    )
}

fn zenml_users(n: usize, salt: u32) -> Vec<String> {
    (0..n)
        .map(|i| format!("{salt:08x}-0000-4000-8000-{i:012x}"))
        .collect()
}

#[test]
fn zenml_role_assignments_two_applies_at_once_with_faults() {
    let emu = EmulatorProcess::start(FAULTS);
    let users = zenml_users(2 * PER_WORKSPACE, 0xa11ce);
    let viewer = emu.zenml_built_in_id("organization", "Viewer");
    let editor = emu.zenml_built_in_id("organization", "Editor");
    // Replacing every assignment's role: the old role is revoked and the new
    // one granted, in both workspaces at once.
    two_at_once(
        &emu,
        "rbac_zenml_role_assignment",
        "role_id",
        &zenml_config,
        &users,
        [&viewer, &editor],
        &|emu| {
            let mut held: BTreeMap<String, Value> = BTreeMap::new();
            for role in [&viewer, &editor] {
                for a in emu.zenml_assignments(role) {
                    let user = a["user_id"].as_str().unwrap_or_default().to_string();
                    // Held twice shows as a list, which no state equals.
                    match held.get(&user) {
                        Some(first) => held.insert(user, json!([first, role])),
                        None => held.insert(user, json!(role)),
                    };
                }
            }
            held
        },
    );
}

/// A refresh of many assignments of one role lists the role once.
#[test]
fn zenml_refresh_lists_each_role_once() {
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    let users = zenml_users(120, 0xb0b);
    let viewer = emu.zenml_built_in_id("organization", "Viewer");
    let ws = Workspace::new(&emu);
    ws.config(&zenml_config(&users, &viewer));
    emu.reset_stats();
    ws.apply();
    let stats = emu.stats();
    let role_path = format!("/zenml/roles/{viewer}/assignments");
    assert_eq!(calls(&stats, &format!("POST {role_path}")), 120, "{stats}");
    // The plan's check and the apply's, one listing each.
    assert!(calls(&stats, &format!("GET {role_path}")) <= 2, "{stats}");
    emu.reset_stats();
    ws.assert_no_changes();
    let stats = emu.stats();
    // The refresh and the plan-time check.
    assert!(calls(&stats, &format!("GET {role_path}")) <= 2, "{stats}");
}
