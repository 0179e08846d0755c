//! Flashduty member listing and role assignment.

use serde_json::{json, Value};

use crate::common::Fd;

async fn members_of(fd: &Fd, role_id: u64) -> Vec<u64> {
    let r = fd
        .post("/member/list", json!({"role_id": role_id, "limit": 100}))
        .await;
    let mut ids: Vec<u64> = r.data()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["member_id"].as_u64().unwrap())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn flashduty_members_list_and_paginate() {
    let fd = Fd::start().await;
    let all = fd.post("/member/list", json!({})).await.data().clone();
    assert_eq!(all["p"], 1);
    assert_eq!(all["total"], 4);
    let first: &Value = &all["items"][0];
    assert!(first["member_id"].as_u64().unwrap() > 1_000_000_000_000);
    assert!(first["account_role_ids"].is_array());
    let page2 = fd
        .post("/member/list", json!({"p": 2, "limit": 3}))
        .await
        .data()
        .clone();
    assert_eq!(page2["items"].as_array().unwrap().len(), 1);
    let bob = fd
        .post("/member/list", json!({"query": "BOB"}))
        .await
        .data()
        .clone();
    assert_eq!(bob["items"][0]["member_name"], "Bob");
    fd.post("/member/list", json!({"limit": 101}))
        .await
        .err(400, "InvalidParameter");
}

#[tokio::test]
async fn flashduty_role_member_grant_revoke_and_delete() {
    let fd = Fd::start().await;
    let role = fd.create("Support", &[513]).await;
    let everyone: Vec<u64> = fd.post("/member/list", json!({})).await.data()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["member_id"].as_u64().unwrap())
        .collect();
    let (a, b) = (everyone[0], everyone[1]);
    let grant = json!({"role_id": role, "member_ids": [a, b]});
    fd.post("/role/member/grant", grant.clone()).await.data();
    // Already granted: skipped silently.
    fd.post("/role/member/grant", grant).await.data();
    let mut expect = vec![a, b];
    expect.sort();
    assert_eq!(members_of(&fd, role).await, expect);
    fd.post(
        "/role/member/revoke",
        json!({"role_id": role, "member_ids": [a]}),
    )
    .await
    .data();
    assert_eq!(members_of(&fd, role).await, vec![b]);
    let too_many: Vec<u64> = (0..101).collect();
    fd.post(
        "/role/member/grant",
        json!({"role_id": role, "member_ids": too_many}),
    )
    .await
    .err(400, "InvalidParameter");
    fd.post(
        "/role/member/grant",
        json!({"role_id": role, "member_ids": [1]}),
    )
    .await
    .err(400, "ResourceNotFound");
    // Deleting the role revokes it from everyone.
    fd.post("/role/delete", json!({"role_id": role}))
        .await
        .data();
    fd.post("/member/list", json!({"role_id": role}))
        .await
        .data();
    assert!(members_of(&fd, role).await.is_empty());
}

async fn alice_roles(fd: &Fd) -> Value {
    let r = fd.post("/member/list", json!({"query": "alice"})).await;
    r.data()["items"][0]["account_role_ids"].clone()
}

#[tokio::test]
async fn flashduty_member_role_update_and_reset_to_viewer() {
    let fd = Fd::start().await;
    let role = fd.create("Extra", &[]).await;
    let alice = fd
        .post("/member/list", json!({"query": "alice"}))
        .await
        .data()["items"][0]["member_id"]
        .as_u64()
        .unwrap();
    fd.post(
        "/member/role/grant",
        json!({"member_id": alice, "role_ids": [role, 6]}),
    )
    .await
    .data();
    assert_eq!(alice_roles(&fd).await, json!([6, role]));
    fd.post(
        "/member/role/revoke",
        json!({"member_id": alice, "role_ids": [6]}),
    )
    .await
    .data();
    assert_eq!(alice_roles(&fd).await, json!([role]));
    fd.post(
        "/member/role/update",
        json!({"member_id": alice, "role_ids": [2]}),
    )
    .await
    .data();
    assert_eq!(alice_roles(&fd).await, json!([2]));
    fd.post(
        "/member/role/update",
        json!({"member_id": alice, "role_ids": []}),
    )
    .await
    .data();
    assert_eq!(alice_roles(&fd).await, json!([8]));
    fd.post(
        "/member/role/grant",
        json!({"member_id": alice, "role_ids": [99]}),
    )
    .await
    .err(400, "ResourceNotFound");
    fd.post("/member/role/grant", json!({"member_id": alice}))
        .await
        .err(400, "InvalidParameter");
}

#[tokio::test]
async fn flashduty_members_invited_and_removed_through_the_control_api() {
    let fd = Fd::start().await;
    let added = fd
        .control(
            "/flashduty/members",
            json!({"add": [
                {"member_name": "Erin", "email": "erin@example.com", "role_ids": [6]},
                {"member_name": "Frank", "email": "frank@example.com"}
            ]}),
        )
        .await;
    let erin = added["added"][0]["member_id"].as_u64().unwrap();
    assert_eq!(added["added"][0]["account_role_ids"], json!([6]));
    // Invited without a role: Viewer.
    assert_eq!(added["added"][1]["account_role_ids"], json!([8]));
    let all = fd.post("/member/list", json!({})).await.data().clone();
    assert_eq!(all["total"], 6);

    fd.control("/flashduty/members", json!({"remove": [erin]}))
        .await;
    let listed = fd
        .post("/member/list", json!({"query": "erin"}))
        .await
        .data()
        .clone();
    assert_eq!(listed["items"][0]["status"], "deleted");
    assert_eq!(listed["items"][0]["account_role_ids"], json!([]));
    fd.post(
        "/member/role/update",
        json!({"member_id": erin, "role_ids": [6]}),
    )
    .await
    .err(400, "ResourceNotFound");
}
