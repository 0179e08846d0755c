//! examples/scenarios/adopt-existing-account: an account that already has
//! custom roles and assignments in Flashduty and Rootly is adopted in one
//! apply ("N imported, 0 added, 0 changed"), then re-plans clean.

mod common;

use common::{Emulator, Workspace};
use serde_json::{json, Value};

/// Custom roles and assignments made before Terraform arrives.
fn seed(emu: &Emulator) {
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
}

#[test]
fn adopt_existing_account_imports_everything_then_replans_clean() {
    let emu = Emulator::start(&[]);
    seed(&emu);
    let before_roles = emu.flashduty_roles();
    let ws = Workspace::new(&emu);
    let main = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/scenarios/adopt-existing-account/main.tf");
    std::fs::copy(main, ws.path().join("main.tf")).unwrap();

    // 2 Flashduty custom roles + 4 members, 2 Rootly custom roles + 4 users
    // holding an on-call role (Ada, Grace, Alan, Katherine).
    let plan = ws.run(&["plan", "-no-color"]);
    assert_eq!(plan.status, 0, "{}", plan.all());
    assert!(
        plan.stdout
            .contains("Plan: 12 to import, 0 to add, 0 to change, 0 to destroy."),
        "{}",
        plan.stdout
    );
    let run = ws.apply();
    assert!(
        run.stdout
            .contains("Resources: 12 imported, 0 added, 0 changed, 0 destroyed."),
        "{}",
        run.stdout
    );
    ws.assert_no_changes();
    let out = ws.ok(&["output", "-json"]);
    let out: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        out["adopted"]["value"],
        json!({"flashduty_roles": 2, "flashduty_member_roles": 4, "rootly_on_call_roles": 2, "rootly_user_roles": 4})
    );
    // Adopting changed nothing in the account.
    assert_eq!(emu.flashduty_roles(), before_roles);
    let carol = ws
        .resource("rbac_flashduty_member_roles.adopted[\"5102993140131\"]")
        .unwrap();
    assert_eq!(carol["role_ids"], json!([8]));
}
