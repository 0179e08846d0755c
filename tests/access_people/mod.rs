//! People for the access-review tests, present in some vendors and absent
//! from others, seeded in the emulator as another client (or an SSO
//! login) would make them:
//!
//! | email              | Flashduty            | Rootly        | SlashID            | ZenML Pro                         |
//! |--------------------|----------------------|---------------|--------------------|-----------------------------------|
//! | ada@example.com    | –                    | 20001, admin  | A1, auditor        | direct org Viewer; team Platform (workspace Admin) |
//! | bob@example.com    | Bob: Admin, Responder| –             | A2 (as BOB@…), none| –                                 |
//! | grace@example.com  | –                    | 20002, user   | –                  | direct workspace Admin            |
//! | nobody@example.com | –                    | –             | –                  | –                                 |
#![allow(dead_code)]

use crate::common::{http_post, EmulatorProcess, SLASHID_ORG, ZENML_ORG};
use serde_json::{json, Value};

pub const SLASHID_ADA: &str = "pid:01900000-0000-7000-8000-0000000000a1";
pub const SLASHID_BOB: &str = "pid:01900000-0000-7000-8000-0000000000a2";
pub const ZENML_ADA: &str = "7d1c2b3a-aaaa-4aaa-8bbb-000000000001";
pub const ZENML_GRACE: &str = "7d1c2b3a-aaaa-4aaa-8bbb-000000000002";
pub const ZENML_EVE: &str = "7d1c2b3a-aaaa-4aaa-8bbb-000000000003";
pub const ZENML_TEAM: &str = "7d1c2b3a-bbbb-4aaa-8bbb-000000000001";
pub const ZENML_WORKSPACE: &str = "7d1c2b3a-cccc-4aaa-8bbb-000000000001";
/// Bob, Flashduty member holding Admin (2) and Responder (6) in every
/// fresh emulator.
pub const FLASHDUTY_BOB: u64 = 5_068_740_052_131;

/// `POST /__emulator/<path>` with `body`, which must succeed.
pub fn control(emu: &EmulatorProcess, path: &str, body: Value) -> Value {
    let (status, text) = http_post(&emu.url, &format!("/__emulator/{path}"), &body.to_string());
    assert_eq!(status, 200, "{path}: {text}");
    serde_json::from_str(&text).unwrap()
}

/// SlashID: persons A1 (ada, role `auditor` with `billing.read`) and A2
/// (bob, email in upper case, no role).
pub fn seed_slashid(emu: &EmulatorProcess) {
    control(
        emu,
        "slashid/persons",
        json!({"add": [{"person_id": SLASHID_ADA, "email": "ada@example.com"},
                       {"person_id": SLASHID_BOB, "email": "BOB@example.com"}]}),
    );
    let ok = |(status, body): (u16, Value)| assert_eq!(status, 204, "{body}");
    ok(emu.slashid(
        "POST",
        "/rbac/permissions",
        Some(json!({"name": "billing.read"})),
    ));
    ok(emu.slashid(
        "POST",
        "/rbac/roles",
        Some(json!({"name": format!("{SLASHID_ORG}/auditor"), "permissions": ["billing.read"]})),
    ));
    ok(emu.slashid(
        "PUT",
        &format!("/persons/{SLASHID_ADA}/roles"),
        Some(json!({"roles": [format!("{SLASHID_ORG}/auditor")]})),
    ));
}

/// Grants `role_id` with the query (`user_id=…&workspace_id=…`).
pub fn zenml_assign(emu: &EmulatorProcess, role_id: &str, query: &str) {
    let (status, body) = emu.zenml(
        "POST",
        &format!("/roles/{role_id}/assignments?{query}"),
        None,
    );
    assert_eq!(status, 200, "{body}");
}

/// ZenML: users ada, grace, eve; team Platform (ada); ada holds the
/// organization Viewer directly and the workspace Admin through Platform;
/// grace holds the workspace Admin directly.
pub fn seed_zenml(emu: &EmulatorProcess) {
    control(
        emu,
        "zenml/people",
        json!({
            "users": [
                {"id": ZENML_ADA, "email": "ada@example.com", "name": "Ada"},
                {"id": ZENML_GRACE, "email": "grace@example.com", "name": "Grace"},
                {"id": ZENML_EVE, "email": "eve@example.com", "name": "Eve"}
            ],
            "teams": [{"id": ZENML_TEAM, "name": "Platform", "members": ["ada@example.com"]}]
        }),
    );
    let viewer = emu.zenml_built_in_id("organization", "Viewer");
    let admin = emu.zenml_built_in_id("workspace", "Admin");
    zenml_assign(emu, &viewer, &format!("user_id={ZENML_ADA}"));
    zenml_assign(
        emu,
        &admin,
        &format!("team_id={ZENML_TEAM}&workspace_id={ZENML_WORKSPACE}"),
    );
    zenml_assign(
        emu,
        &admin,
        &format!("user_id={ZENML_GRACE}&workspace_id={ZENML_WORKSPACE}"),
    );
}

/// Every vendor's people.
pub fn seed(emu: &EmulatorProcess) {
    seed_slashid(emu);
    seed_zenml(emu);
}

/// The number of ZenML roles of the test organization (built-in ones
/// included): one assignment listing each.
pub fn zenml_role_count(emu: &EmulatorProcess) -> u64 {
    let (status, body) = emu.zenml("GET", &format!("/organizations/{ZENML_ORG}/roles"), None);
    assert_eq!(status, 200, "{body}");
    body.as_array().unwrap().len() as u64
}

/// Requests to endpoints starting with `prefix` (`"GET /zenml/roles/"`).
pub fn requests(emu: &EmulatorProcess, prefix: &str) -> u64 {
    emu.stats()["endpoints"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .flat_map(|(_, outcomes)| outcomes.as_object().unwrap().values())
        .map(|n| n.as_u64().unwrap())
        .sum()
}
