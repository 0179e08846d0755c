//! Flashduty role lifecycle and semantics (docs/vendors/flashduty.md, "Role
//! endpoints" and "Behaviour the provider depends on") over real HTTP.

use serde_json::json;

use crate::common::Fd;

#[tokio::test]
async fn flashduty_role_lifecycle() {
    let fd = Fd::start().await;
    let created = fd
        .post(
            "/role/upsert",
            json!({"role_name": "On-call Manager", "description": "Manage on-call", "permission_ids": [502, 501]}),
        )
        .await;
    assert_eq!(
        created.data(),
        &json!({"role_id": 4001, "role_name": "On-call Manager"})
    );
    let info = fd.info(4001).await;
    let role = info.data();
    assert_eq!(role["status"], "enabled");
    assert_eq!(role["editable"], true);
    assert_eq!(role["description"], "Manage on-call");
    assert_eq!(role["permission_ids"], json!([501, 502]));
    let created_at = role["created_at"].as_i64().unwrap();
    assert!(created_at > 1_700_000_000);

    let updated = fd
        .post(
            "/role/upsert",
            json!({"role_id": 4001, "role_name": "Incident Lead", "description": "", "permission_ids": [514, 513, 501]}),
        )
        .await;
    assert_eq!(updated.data()["role_id"], 4001);
    let role = fd.info(4001).await.data().clone();
    assert_eq!(role["role_name"], "Incident Lead");
    assert_eq!(role["description"], "");
    assert_eq!(role["permission_ids"], json!([501, 513, 514]));
    assert_eq!(role["created_at"].as_i64(), Some(created_at));
    assert!(role["updated_at"].as_i64().unwrap() >= created_at);

    let list = fd.post("/role/list", json!({})).await;
    let data = list.data();
    assert_eq!(data["total"], 4);
    let ids: Vec<u64> = data["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role_id"].as_u64().unwrap())
        .collect();
    assert!(ids.contains(&2) && ids.contains(&6) && ids.contains(&8) && ids.contains(&4001));

    assert_eq!(
        fd.post("/role/delete", json!({"role_id": 4001}))
            .await
            .data(),
        &json!({})
    );
    fd.info(4001).await.err(400, "ResourceNotFound");
    fd.post("/role/delete", json!({"role_id": 4001}))
        .await
        .err(400, "ResourceNotFound");
    assert_eq!(fd.post("/role/list", json!({})).await.data()["total"], 3);
    // IDs are never reused.
    assert_eq!(fd.create("Next", &[]).await, 4002);
}

#[tokio::test]
async fn flashduty_role_not_found_is_400() {
    let fd = Fd::start().await;
    for path in [
        "/role/info",
        "/role/delete",
        "/role/enable",
        "/role/disable",
    ] {
        let msg = fd
            .post(path, json!({"role_id": 4242}))
            .await
            .err(400, "ResourceNotFound");
        assert!(msg.contains("4242"), "{path}: {msg}");
    }
    fd.post("/role/upsert", json!({"role_id": 4242, "role_name": "x"}))
        .await
        .err(400, "ResourceNotFound");
    fd.post("/role/info", json!({}))
        .await
        .err(400, "InvalidParameter");
}

#[tokio::test]
async fn flashduty_role_builtins_are_protected() {
    let fd = Fd::start().await;
    for (id, name) in [(2, "Admin"), (6, "Responder"), (8, "Viewer")] {
        let role = fd.info(id).await.data().clone();
        assert_eq!(role["role_name"], name);
        assert_eq!(role["editable"], false);
        let calls = [
            (
                "/role/upsert",
                json!({"role_id": id, "role_name": "Hacked"}),
            ),
            ("/role/delete", json!({"role_id": id})),
            ("/role/enable", json!({"role_id": id})),
            ("/role/disable", json!({"role_id": id})),
        ];
        for (path, body) in calls {
            let msg = fd.post(path, body).await.err(400, "InvalidParameter");
            assert_eq!(msg, "preset role can not be modified", "{path}");
        }
    }
    assert_eq!(fd.info(2).await.data()["permission_ids"], json!([]));
    assert!(!fd.info(6).await.data()["permission_ids"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn flashduty_role_omitted_fields_clear_on_update() {
    let fd = Fd::start().await;
    let id = fd
        .post(
            "/role/upsert",
            json!({"role_name": "R", "description": "keep?", "permission_ids": [501, 502]}),
        )
        .await
        .data()["role_id"]
        .as_u64()
        .unwrap();
    fd.post("/role/upsert", json!({"role_id": id, "role_name": "R"}))
        .await
        .data();
    let role = fd.info(id).await.data().clone();
    assert_eq!(role["permission_ids"], json!([]));
    assert_eq!(role["description"], "");
}

#[tokio::test]
async fn flashduty_role_enable_disable_idempotent() {
    let fd = Fd::start().await;
    let id = fd.create("Toggle", &[501]).await;
    for (path, status) in [
        ("/role/disable", "disabled"),
        ("/role/disable", "disabled"),
        ("/role/enable", "enabled"),
        ("/role/enable", "enabled"),
    ] {
        assert_eq!(
            fd.post(path, json!({"role_id": id})).await.data(),
            &json!({})
        );
        assert_eq!(fd.info(id).await.data()["status"], status);
    }
    // Upsert keeps the status.
    fd.post("/role/disable", json!({"role_id": id}))
        .await
        .data();
    fd.post(
        "/role/upsert",
        json!({"role_id": id, "role_name": "Toggle"}),
    )
    .await
    .data();
    assert_eq!(fd.info(id).await.data()["status"], "disabled");
}

#[tokio::test]
async fn flashduty_role_list_order() {
    let fd = Fd::start().await;
    fd.create("first", &[]).await;
    fd.create("second", &[]).await;
    let ids = |r: &serde_json::Value| -> Vec<u64> {
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["role_id"].as_u64().unwrap())
            .collect()
    };
    // Default: updated_at descending (ties by ID); presets are oldest.
    let desc = fd.post("/role/list", json!({})).await.data().clone();
    assert_eq!(ids(&desc), vec![4002, 4001, 8, 6, 2]);
    let asc = fd
        .post("/role/list", json!({"orderby": "created_at", "asc": true}))
        .await
        .data()
        .clone();
    assert_eq!(ids(&asc), vec![2, 6, 8, 4001, 4002]);
    fd.post("/role/list", json!({"orderby": "name"}))
        .await
        .err(400, "InvalidParameter");
}

#[tokio::test]
async fn flashduty_permission_list_filters() {
    let fd = Fd::start().await;
    let id = fd.create("Templates", &[501, 502]).await;
    let all = fd.post("/role/permission/list", json!({})).await.data()["items"].clone();
    let all = all.as_array().unwrap();
    assert!((30..=50).contains(&all.len()), "{}", all.len());
    assert!(all.iter().all(|p| p.get("is_granted").is_none()));
    let t = all.iter().find(|p| p["id"] == 501).unwrap();
    assert_eq!(t["permission_name"], "Templates Read");
    assert_eq!(
        (t["class"].as_str(), t["scope"].as_str()),
        (Some("On-call"), Some("on-call"))
    );

    let mine = fd
        .post("/role/permission/list", json!({"role_ids": [id]}))
        .await;
    let names: Vec<&str> = mine.data()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["permission_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Templates Read", "Templates Manage"]);

    let with_all = fd
        .post(
            "/role/permission/list",
            json!({"role_ids": [id], "with_all": true}),
        )
        .await;
    let items = with_all.data()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), all.len());
    let granted: Vec<u64> = items
        .iter()
        .filter(|p| p["is_granted"] == true)
        .map(|p| p["id"].as_u64().unwrap())
        .collect();
    assert_eq!(granted, vec![501, 502]);
    fd.post("/role/permission/list", json!({"role_ids": [777]}))
        .await
        .err(400, "ResourceNotFound");
}

#[tokio::test]
async fn flashduty_factor_list_is_top_level_array() {
    let fd = Fd::start().await;
    let r = fd
        .post(
            "/role/permission/factor/list",
            json!({"factor_types": ["api"]}),
        )
        .await;
    let items = r.data().as_array().expect("data is an array").clone();
    assert!(items.iter().all(|f| f["factor_type"] == "api"));
    assert!(items
        .iter()
        .any(|f| f["factor_name"] == "template:read:info"));
    fd.post(
        "/role/permission/factor/list",
        json!({"factor_types": ["bogus"]}),
    )
    .await
    .err(400, "InvalidParameter");
}
