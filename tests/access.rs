//! The `rbac_access` data source through the real terraform CLI against
//! the emulator: every vendor, people present in some vendors and absent
//! from others, roles held through a ZenML team, vendors left
//! unconfigured, and the requests a review costs.

mod access_people;
mod common;

use access_people::*;
use common::{EmulatorProcess, Workspace, ZENML_ORG};
use serde_json::{json, Value};

/// Applies a review of `emails` and returns the data source's attributes.
fn review(ws: &Workspace, emails: &[&str]) -> Value {
    ws.config(&format!(
        "provider \"rbac\" {{}}\n\ndata \"rbac_access\" \"review\" {{\n  emails = {}\n}}\n\n\
         output \"review\" {{\n  value = data.rbac_access.review\n}}\n",
        json!(emails)
    ));
    ws.apply();
    let run = ws.ok(&["output", "-json", "review"]);
    serde_json::from_str(&run.stdout).expect("output JSON")
}

/// The roles of one account as `(role_name, team_name, workspace_id)`.
fn roles(account: &Value) -> Vec<(String, Value, Value)> {
    account["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["role_name"].as_str().unwrap().to_string(),
                r["team_name"].clone(),
                r["workspace_id"].clone(),
            )
        })
        .collect()
}

#[test]
fn access_reviews_every_vendor_with_people_present_in_some() {
    let emu = EmulatorProcess::start(&[]);
    seed(&emu);
    let ws = Workspace::new(&emu);
    let got = review(
        &ws,
        &[
            "ADA@example.com",
            "bob@example.com",
            "nobody@example.com",
            "ada@example.com",
        ],
    );
    let vendors: Vec<(&str, bool)> = got["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["vendor"].as_str().unwrap(),
                v["configured"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        vendors,
        [
            ("flashduty", true),
            ("rootly", true),
            ("slashid", true),
            ("zenml", true)
        ]
    );
    assert!(got["reviewed_at"].as_str().unwrap().ends_with('Z'), "{got}");
    let people = got["people"].as_array().unwrap();
    // One per email, in the order given; the same address twice is one person.
    let emails: Vec<&str> = people
        .iter()
        .map(|p| p["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        ["ADA@example.com", "bob@example.com", "nobody@example.com"]
    );
    let (ada, bob, nobody) = (&people[0], &people[1], &people[2]);

    // Ada: no Flashduty member; Rootly, SlashID and ZenML accounts.
    assert_eq!(ada["flashduty"], Value::Null, "{ada}");
    assert_eq!(ada["rootly"]["user_id"], "20001");
    assert_eq!(ada["rootly"]["email"], "ada@example.com");
    let on_call = &ada["rootly"]["roles"][0];
    assert_eq!(on_call["role_id"], ada["rootly"]["on_call_role_id"]);
    assert_eq!(on_call["role_name"], "Admin");
    assert_eq!(on_call["built_in"], true);
    let rootly_perms: Vec<&str> = ada["rootly"]["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    // `<family>.<action>`, from the on-call role's permission families.
    assert!(!rootly_perms.is_empty());
    assert!(
        rootly_perms.iter().all(|p| p
            .split_once("_permissions.")
            .is_some_and(|(_, a)| !a.is_empty())),
        "{rootly_perms:?}"
    );
    assert_eq!(ada["slashid"]["person_id"], SLASHID_ADA);
    assert_eq!(ada["slashid"]["roles"][0]["role_name"], "auditor");
    assert_eq!(ada["slashid"]["roles"][0]["built_in"], false);
    assert_eq!(ada["slashid"]["permissions"], json!(["billing.read"]));
    assert_eq!(ada["zenml"]["user_id"], ZENML_ADA);
    assert_eq!(ada["zenml"]["permissions"], Value::Null);
    // Directly the organization Viewer; the workspace Admin through Platform.
    let mut zenml = roles(&ada["zenml"]);
    zenml.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        zenml,
        [
            ("Admin".into(), json!("Platform"), json!(ZENML_WORKSPACE)),
            ("Viewer".into(), Value::Null, Value::Null),
        ]
    );
    let team_grant = ada["zenml"]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role_name"] == "Admin")
        .unwrap();
    assert_eq!(team_grant["team_id"], ZENML_TEAM);
    assert_eq!(team_grant["organization_id"], ZENML_ORG);
    assert_eq!(team_grant["project_id"], Value::Null);

    // Bob: Flashduty Admin and Responder; a SlashID person (handle in
    // another case) without roles; no Rootly or ZenML account.
    assert_eq!(bob["flashduty"]["member_id"], FLASHDUTY_BOB);
    assert_eq!(bob["flashduty"]["role_ids"], json!([2, 6]));
    let names: Vec<(String, Value, Value)> = roles(&bob["flashduty"]);
    assert_eq!(names[0].0, "Admin");
    assert_eq!(names[1].0, "Responder");
    assert_eq!(bob["flashduty"]["roles"][1]["built_in"], true);
    assert!(
        !bob["flashduty"]["permissions"]
            .as_array()
            .unwrap()
            .is_empty(),
        "Responder's catalogue entries: {bob}"
    );
    assert_eq!(bob["rootly"], Value::Null);
    assert_eq!(bob["slashid"]["person_id"], SLASHID_BOB);
    assert_eq!(bob["slashid"]["email"], "BOB@example.com");
    assert_eq!(bob["slashid"]["roles"], json!([]));
    assert_eq!(bob["zenml"], Value::Null);

    // Unknown everywhere: an entry with no accounts, not an error.
    for vendor in ["flashduty", "rootly", "slashid", "zenml"] {
        assert_eq!(nobody[vendor], Value::Null, "{vendor}: {nobody}");
    }

    // The flat rows: one per person, vendor and role.
    let rows: Vec<(String, String, String)> = got["grants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["email"].as_str().unwrap().to_string(),
                g["vendor"].as_str().unwrap().to_string(),
                g["role_name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String, String)> = [
        ("ADA@example.com", "rootly", "Admin"),
        ("ADA@example.com", "slashid", "auditor"),
        ("ADA@example.com", "zenml", "Admin"),
        ("ADA@example.com", "zenml", "Viewer"),
        ("bob@example.com", "flashduty", "Admin"),
        ("bob@example.com", "flashduty", "Responder"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    let mut sorted = rows.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "{rows:?}");
    let bob_admin = got["grants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["vendor"] == "flashduty" && g["role_id"] == "2")
        .unwrap();
    assert_eq!(bob_admin["account_id"], FLASHDUTY_BOB.to_string());
}

#[test]
fn access_skips_unconfigured_vendors_and_says_so() {
    let emu = EmulatorProcess::start(&[]);
    seed(&emu);
    let mut ws = Workspace::new(&emu);
    for var in ["SLASHID_ORG_ID", "SLASHID_API_KEY", "ZENML_PRO_API_KEY"] {
        ws.unset_env(var);
    }
    emu.reset_stats();
    let got = review(&ws, &["ada@example.com"]);
    let vendors = got["vendors"].as_array().unwrap();
    assert_eq!(vendors[0]["configured"], true);
    assert_eq!(vendors[0]["reason"], Value::Null);
    for (i, env) in [(2, "SLASHID_ORG_ID"), (3, "ZENML_PRO_API_KEY")] {
        assert_eq!(vendors[i]["configured"], false, "{vendors:?}");
        let reason = vendors[i]["reason"].as_str().unwrap();
        assert!(reason.contains(env), "{reason}");
    }
    let ada = &got["people"][0];
    assert_eq!(ada["rootly"]["user_id"], "20001");
    assert_eq!(ada["slashid"], Value::Null);
    assert_eq!(ada["zenml"], Value::Null);
    // Skipped vendors are never called.
    assert_eq!(requests(&emu, "GET /slashid"), 0);
    assert_eq!(
        requests(&emu, "GET /zenml") + requests(&emu, "POST /zenml"),
        0
    );
}

#[test]
fn access_costs_list_pages_not_reads_per_person() {
    let emu = EmulatorProcess::start(&[]);
    seed(&emu);
    // 250 more Flashduty members (254 in all: 3 pages of 100) and 150 more
    // Rootly users (154: 2 pages).
    let members: Vec<Value> = (0..250)
        .map(|i| json!({"member_name": format!("M{i}"), "email": format!("m{i}@example.com"), "role_ids": [8]}))
        .collect();
    control(&emu, "flashduty/members", json!({"add": members}));
    for i in 0..150 {
        control(
            &emu,
            "rootly/users",
            json!({"email": format!("m{i}@example.com"), "first_name": "M", "last_name": format!("{i}")}),
        );
    }
    let mut emails: Vec<String> = (0..250).map(|i| format!("m{i}@example.com")).collect();
    emails.extend(["ada@example.com", "bob@example.com"].map(String::from));
    let emails: Vec<&str> = emails.iter().map(String::as_str).collect();
    let ws = Workspace::new(&emu);
    let roles = zenml_role_count(&emu);
    emu.reset_stats();
    let got = review(&ws, &emails);
    assert_eq!(got["people"].as_array().unwrap().len(), 252);
    assert_eq!(got["people"][0]["flashduty"]["member_name"], "M0");
    assert_eq!(got["people"][149]["rootly"]["email"], "m149@example.com");
    let stats = emu.stats();
    let count = |endpoint: &str| {
        stats["endpoints"][endpoint]
            .as_object()
            .map_or(0, |m| m.values().map(|n| n.as_u64().unwrap()).sum::<u64>())
    };
    // Flashduty: 3 member pages, one role list, one catalogue.
    assert_eq!(count("POST /flashduty/member/list"), 3, "{stats}");
    assert_eq!(count("POST /flashduty/role/list"), 1, "{stats}");
    assert_eq!(count("POST /flashduty/role/permission/list"), 1, "{stats}");
    // Rootly: 2 user pages, one on-call role page.
    assert_eq!(count("GET /rootly/v1/users"), 2, "{stats}");
    assert_eq!(count("GET /rootly/v1/on_call_roles"), 1, "{stats}");
    // SlashID: one persons page, then roles and permissions of the 2 found.
    assert_eq!(count("GET /slashid/persons"), 1, "{stats}");
    assert_eq!(requests(&emu, "GET /slashid/persons/"), 4, "{stats}");
    // ZenML: users, organizations, roles, one assignment listing per role,
    // teams, one member listing for the one team holding a role.
    assert_eq!(count("GET /zenml/users"), 1, "{stats}");
    assert_eq!(count("GET /zenml/organizations"), 1, "{stats}");
    assert_eq!(requests(&emu, "GET /zenml/roles/"), roles, "{stats}");
    assert_eq!(requests(&emu, "GET /zenml/teams/"), 1, "{stats}");
}
