//! The `rbac_role_holders` data source through the real terraform CLI
//! against the emulator: one role's holders in each vendor (through a team
//! for ZenML), what each lookup costs, and its errors.

mod access_people;
mod common;

use access_people::*;
use common::{EmulatorProcess, Workspace, ZENML_ORG};
use serde_json::{json, Value};

/// Applies lookups of `(name, vendor, role_id)` and returns each one's
/// attributes by name.
fn lookups(ws: &Workspace, roles: &[(&str, &str, &str)]) -> Value {
    let mut config = String::from("provider \"rbac\" {}\n");
    for (name, vendor, role_id) in roles {
        config.push_str(&format!(
            "\ndata \"rbac_role_holders\" \"{name}\" {{\n  vendor  = \"{vendor}\"\n  role_id = \"{role_id}\"\n}}\n\
             \noutput \"{name}\" {{\n  value = data.rbac_role_holders.{name}\n}}\n"
        ));
    }
    ws.config(&config);
    ws.apply();
    let run = ws.ok(&["output", "-json"]);
    let all: Value = serde_json::from_str(&run.stdout).unwrap();
    let mut out = serde_json::Map::new();
    for (name, _, _) in roles {
        out.insert(name.to_string(), all[*name]["value"].clone());
    }
    Value::Object(out)
}

fn emails(lookup: &Value) -> Vec<String> {
    let mut out: Vec<String> = lookup["holders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["email"].as_str().unwrap_or("").to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn role_holders_in_every_vendor() {
    let emu = EmulatorProcess::start(&[]);
    seed(&emu);
    // Carol is granted Flashduty Admin by hand.
    let r = emu.flashduty(
        "/member/role/update",
        json!({"member_id": 5_102_993_140_131_u64, "role_ids": [2]}),
    );
    assert!(r.get("error").is_none(), "{r}");
    let ws_admin = emu.zenml_built_in_id("workspace", "Admin");
    let ws = Workspace::new(&emu);
    emu.reset_stats();
    let got = lookups(
        &ws,
        &[
            ("flashduty", "flashduty", "2"),
            ("rootly", "rootly", "admin"),
            ("slashid", "slashid", "auditor"),
            ("zenml", "zenml", &ws_admin),
        ],
    );
    let fd = &got["flashduty"];
    assert_eq!(fd["role_name"], "Admin");
    assert_eq!(fd["built_in"], true);
    assert_eq!(emails(fd), ["bob@example.com", "carol@example.com"]);
    assert_eq!(fd["holders"][0]["account_id"], FLASHDUTY_BOB.to_string());
    assert_eq!(fd["holders"][0]["team_id"], Value::Null);

    let rt = &got["rootly"];
    assert_eq!(rt["role_name"], "Admin");
    assert_eq!(emails(rt), ["ada@example.com"]);
    assert_eq!(rt["holders"][0]["account_id"], "20001");

    let sid = &got["slashid"];
    assert_eq!(sid["role_name"], "auditor");
    assert_eq!(sid["built_in"], false);
    assert_eq!(emails(sid), ["ada@example.com"]);
    assert_eq!(sid["holders"][0]["account_id"], SLASHID_ADA);

    // ZenML: Grace directly, Ada through the Platform team, both in the
    // workspace.
    let zn = &got["zenml"];
    assert_eq!(zn["role_name"], "Admin");
    assert_eq!(zn["built_in"], true);
    let mut holders: Vec<(String, Value, Value)> = zn["holders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            assert_eq!(h["workspace_id"], ZENML_WORKSPACE);
            assert_eq!(h["organization_id"], ZENML_ORG);
            (
                h["account_id"].as_str().unwrap().to_string(),
                h["team_id"].clone(),
                h["team_name"].clone(),
            )
        })
        .collect();
    holders.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        holders,
        [
            (ZENML_ADA.to_string(), json!(ZENML_TEAM), json!("Platform")),
            (ZENML_GRACE.to_string(), Value::Null, Value::Null),
        ]
    );

    // Cost: list pages, except SlashID's one read per person.
    let stats = emu.stats();
    let count = |endpoint: &str| {
        stats["endpoints"][endpoint]
            .as_object()
            .map_or(0, |m| m.values().map(|n| n.as_u64().unwrap()).sum::<u64>())
    };
    assert_eq!(count("POST /flashduty/member/list"), 1, "{stats}");
    assert_eq!(count("GET /rootly/v1/users"), 1, "{stats}");
    assert_eq!(count("GET /slashid/persons"), 1, "{stats}");
    // The 3 seed persons and the 2 with emails: one roles read each.
    assert_eq!(requests(&emu, "GET /slashid/persons/"), 5, "{stats}");
    assert_eq!(
        count(&format!("GET /zenml/roles/{ws_admin}/assignments")),
        1,
        "{stats}"
    );
    assert_eq!(count("GET /zenml/users"), 1, "{stats}");
    assert_eq!(requests(&emu, "GET /zenml/teams/"), 1, "{stats}");
}

/// `terraform plan` of one lookup, which must fail; its output.
fn plan_error(ws: &Workspace, vendor: &str, role_id: &str) -> String {
    ws.config(&format!(
        "provider \"rbac\" {{}}\n\ndata \"rbac_role_holders\" \"x\" {{\n  vendor  = \"{vendor}\"\n  role_id = \"{role_id}\"\n}}\n"
    ));
    let run = ws.run(&["plan", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    run.all()
}

#[test]
fn role_holders_errors_name_the_problem() {
    let emu = EmulatorProcess::start(&[]);
    let mut ws = Workspace::new(&emu);
    let out = plan_error(&ws, "github", "2");
    assert!(
        out.contains("is not a vendor") && out.contains("flashduty, rootly"),
        "{out}"
    );
    let out = plan_error(&ws, "flashduty", "Admin");
    assert!(out.contains("whole number"), "{out}");
    let out = plan_error(&ws, "rootly", "no-such-role");
    assert!(out.contains("rootly has no role \"no-such-role\""), "{out}");
    let out = plan_error(&ws, "slashid", "no-such-role");
    assert!(out.contains("slashid has no role"), "{out}");
    // Asked for by name, an unconfigured vendor is an error, not a skip.
    ws.unset_env("ZENML_PRO_API_KEY");
    let out = plan_error(&ws, "zenml", "7d1c2b3a-aaaa-4aaa-8bbb-000000000009");
    assert!(out.contains("ZENML_PRO_API_KEY"), "{out}");
}
