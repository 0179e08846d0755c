//! examples/scenarios/adopt-existing-account: an account that already has
//! custom roles and assignments in Flashduty, SlashID, Rootly and ZenML Pro
//! is adopted in one apply ("N imported, 0 added, 0 changed"), then
//! re-plans clean.

mod common;

use common::{EmulatorProcess, Workspace, SLASHID_ORG, ZENML_ORG};
use serde_json::{json, Value};

/// The emulator's seeded SlashID persons (the scenario's default input).
const PERSONS: [&str; 3] = [
    "pid:01900000-0000-7000-8000-000000000001",
    "pid:01900000-0000-7000-8000-000000000002",
    "pid:01900000-0000-7000-8000-000000000003",
];
const ZENML_USER: &str = "7d1c2b3a-1111-4aaa-8bbb-000000000001";
const ZENML_TEAM: &str = "7d1c2b3a-2222-4aaa-8bbb-000000000003";
const ZENML_INVITATION: &str = "7d1c2b3a-5555-4aaa-8bbb-000000000006";
const ZENML_WORKSPACE: &str = "7d1c2b3a-3333-4aaa-8bbb-000000000004";
const ZENML_PROJECT: &str = "7d1c2b3a-4444-4aaa-8bbb-000000000005";

/// SlashID: 2 permissions, 2 roles, 2 persons holding roles (the third
/// holds none and is not adopted), all made through SlashID's API.
fn seed_slashid(emu: &EmulatorProcess) {
    let ok = |(status, body): (u16, Value)| assert_eq!(status, 204, "{body}");
    ok(emu.slashid(
        "POST",
        "/rbac/permissions",
        Some(json!({"name": "billing.invoices.list", "description": "pre-existing"})),
    ));
    ok(emu.slashid(
        "POST",
        "/rbac/permissions",
        Some(json!({"name": "billing.invoices.pay"})),
    ));
    let full = |r: &str| format!("{SLASHID_ORG}/{r}");
    ok(emu.slashid(
        "POST",
        "/rbac/roles",
        Some(
            json!({"name": full("legacy-billing"), "description": "pre-existing",
                    "permissions": ["billing.invoices.list", "billing.invoices.pay"]}),
        ),
    ));
    ok(emu.slashid(
        "POST",
        "/rbac/roles",
        Some(json!({"name": full("legacy-viewer"), "permissions": ["billing.invoices.list"]})),
    ));
    ok(emu.slashid(
        "PUT",
        &format!("/persons/{}/roles", PERSONS[0]),
        Some(json!({"roles": [full("legacy-billing")]})),
    ));
    ok(emu.slashid(
        "PUT",
        &format!("/persons/{}/roles", PERSONS[1]),
        Some(json!({"roles": [full("legacy-billing"), full("legacy-viewer")]})),
    ));
}

/// ZenML: 2 custom roles and 4 assignments (2 of custom roles, 2 of
/// built-in ones), all made through ZenML's API.
fn seed_zenml(emu: &EmulatorProcess) {
    let mut custom = Vec::new();
    for (name, level) in [
        ("Legacy ML Engineer", "workspace"),
        ("Legacy Reader", "project"),
    ] {
        let (status, role) = emu.zenml(
            "POST",
            "/roles",
            Some(
                json!({"name": name, "description": "pre-existing", "organization_id": ZENML_ORG,
                        "level": level, "system_managed": false, "type": "normal"}),
            ),
        );
        assert_eq!(status, 200, "{role}");
        custom.push(role["id"].as_str().unwrap().to_string());
    }
    let org_viewer = emu.zenml_built_in("organization", "Viewer")["id"].clone();
    let ws_editor = emu.zenml_built_in("workspace", "Editor")["id"].clone();
    for (role, query) in [
        (
            json!(custom[0]),
            format!("user_id={ZENML_USER}&workspace_id={ZENML_WORKSPACE}"),
        ),
        (
            json!(custom[1]),
            format!(
                "team_id={ZENML_TEAM}&workspace_id={ZENML_WORKSPACE}&project_id={ZENML_PROJECT}"
            ),
        ),
        (org_viewer, format!("user_id={ZENML_USER}")),
        (
            ws_editor,
            format!("invitation_id={ZENML_INVITATION}&workspace_id={ZENML_WORKSPACE}"),
        ),
    ] {
        let role = role.as_str().unwrap();
        let (status, body) = emu.zenml("POST", &format!("/roles/{role}/assignments?{query}"), None);
        assert_eq!(status, 200, "{body}");
    }
}

/// What another client sees of SlashID and ZenML, to compare before and
/// after the adoption.
fn slashid_and_zenml(emu: &EmulatorProcess) -> Value {
    let mut roles = Vec::new();
    for short in ["legacy-billing", "legacy-viewer"] {
        roles.push(emu.slashid_role(short));
    }
    let persons: Vec<Value> = PERSONS
        .iter()
        .map(|p| emu.slashid("GET", &format!("/persons/{p}/roles"), None).1)
        .collect();
    let (_, zenml_roles) = emu.zenml("GET", &format!("/organizations/{ZENML_ORG}/roles"), None);
    let assignments: Vec<Value> = zenml_roles
        .as_array()
        .unwrap()
        .iter()
        .map(|r| json!(emu.zenml_assignments(r["id"].as_str().unwrap())))
        .collect();
    json!({"slashid_roles": roles, "persons": persons, "zenml_roles": zenml_roles, "assignments": assignments})
}

/// Custom roles and assignments made before Terraform arrives.
fn seed(emu: &EmulatorProcess) {
    let mut flashduty_roles = Vec::new();
    for (name, perms) in [
        ("Legacy Ops", json!([501, 502])),
        ("Legacy Audit", json!([])),
    ] {
        let r = emu.flashduty(
            "/role/upsert",
            json!({"role_name": name, "description": "pre-existing", "permission_ids": perms}),
        );
        flashduty_roles.push(r["data"]["role_id"].clone());
    }
    for (member, roles) in [
        (2_476_444_212_131_u64, json!([6, flashduty_roles[0]])),
        (5_068_740_052_131, json!([2, flashduty_roles[1]])),
        (5_102_993_140_131, json!([])),
    ] {
        let r = emu.flashduty(
            "/member/role/update",
            json!({"member_id": member, "role_ids": roles}),
        );
        assert!(r.get("error").is_none(), "{r}");
    }
    emu.flashduty("/role/disable", json!({"role_id": flashduty_roles[1]}));

    let a = emu.rootly_create(json!({"name": "Legacy Primary", "alerts_permissions": ["read", "update"], "contacts_permissions": ["read"]}));
    let b = emu.rootly_create(
        json!({"name": "Legacy Secondary", "schedule_override_permissions": ["create"]}),
    );
    for (user, role) in [("20003", &a["id"]), ("20002", &b["id"])] {
        let body = json!({"data": {"type": "users", "attributes": {"on_call_role_id": role}}});
        let (status, answer) = emu.rootly("PUT", &format!("/v1/users/{user}"), Some(body));
        assert_eq!(status, 200, "{answer}");
    }
    seed_slashid(emu);
    seed_zenml(emu);
}

#[test]
fn adopt_existing_account_imports_everything_then_replans_clean() {
    let emu = EmulatorProcess::start(&[]);
    seed(&emu);
    let before_roles = emu.flashduty_roles();
    let before_others = slashid_and_zenml(&emu);
    let ws = Workspace::new(&emu);
    let main = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/scenarios/adopt-existing-account/main.tf");
    std::fs::copy(main, ws.path().join("main.tf")).unwrap();

    // Flashduty: 2 custom roles + 4 members; Rootly: 2 custom roles + 4
    // users holding an on-call role (Ada, Grace, Alan, Katherine); SlashID:
    // 2 permissions + 2 roles + 2 persons holding roles; ZenML: 2 custom
    // roles + 4 assignments.
    let plan = ws.run(&["plan", "-no-color"]);
    assert_eq!(plan.status, 0, "{}", plan.all());
    assert!(
        plan.stdout
            .contains("Plan: 24 to import, 0 to add, 0 to change, 0 to destroy."),
        "{}",
        plan.stdout
    );
    let run = ws.apply();
    assert!(
        run.stdout
            .contains("Resources: 24 imported, 0 added, 0 changed, 0 destroyed."),
        "{}",
        run.stdout
    );
    ws.assert_no_changes();
    let out = ws.ok(&["output", "-json"]);
    let out: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        out["adopted"]["value"],
        json!({"flashduty_roles": 2, "flashduty_member_roles": 4, "rootly_on_call_roles": 2, "rootly_user_roles": 4,
               "slashid_permissions": 2, "slashid_roles": 2, "slashid_person_roles": 2,
               "zenml_roles": 2, "zenml_role_assignments": 4})
    );
    // Adopting changed nothing in the account.
    assert_eq!(emu.flashduty_roles(), before_roles);
    assert_eq!(slashid_and_zenml(&emu), before_others);
    let grace = ws
        .resource(&format!(
            "rbac_slashid_person_roles.adopted[\"{}\"]",
            PERSONS[1]
        ))
        .unwrap();
    assert_eq!(grace["roles"], json!(["legacy-billing", "legacy-viewer"]));
    let billing = ws
        .resource("rbac_slashid_role.adopted[\"legacy-billing\"]")
        .unwrap();
    assert_eq!(
        billing["full_name"],
        format!("{SLASHID_ORG}/legacy-billing")
    );
    assert_eq!(
        billing["permissions"],
        json!(["billing.invoices.list", "billing.invoices.pay"])
    );
    let zenml = ws.instance_ids("rbac_zenml_role_assignment");
    assert!(
        zenml.iter().any(|id| id.ends_with(&format!(
            "/team/{ZENML_TEAM}/{ZENML_WORKSPACE}/{ZENML_PROJECT}"
        ))),
        "{zenml:?}"
    );
    let carol = ws
        .resource("rbac_flashduty_member_roles.adopted[\"5102993140131\"]")
        .unwrap();
    assert_eq!(carol["role_ids"], json!([8]));
}
