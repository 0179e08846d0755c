//! Flashduty request validation and the error envelope: limits,
//! uniqueness, auth, content type, routing and malformed bodies.

use reqwest::Method;
use serde_json::json;

use crate::common::{Fd, KEY};

#[tokio::test]
async fn flashduty_envelope_request_id_in_body_and_header() {
    let fd = Fd::start().await;
    let ok = fd.post("/role/list", json!({})).await;
    let err = fd.info(999_999).await;
    let mut seen = Vec::new();
    for r in [&ok, &err] {
        let id = r.body["request_id"].as_str().unwrap();
        assert_eq!(r.header("flashcat-request-id"), Some(id));
        assert_eq!(id.len(), 26);
        seen.push(id.to_string());
    }
    assert_ne!(seen[0], seen[1]);
    assert!(ok.data()["items"].is_array());
    err.err(400, "ResourceNotFound");
    // Middleware-made errors carry it too.
    let unauth = fd
        .raw(
            Method::POST,
            "/flashduty/role/list",
            Some("application/json"),
            "{}",
        )
        .await;
    let id = unauth.body["request_id"].as_str().unwrap();
    assert_eq!(unauth.header("flashcat-request-id"), Some(id));
}

#[tokio::test]
async fn flashduty_role_duplicate_name() {
    let fd = Fd::start().await;
    let a = fd.create("Ops", &[]).await;
    let msg = fd
        .post("/role/upsert", json!({"role_name": "Ops"}))
        .await
        .err(400, "InvalidParameter");
    assert!(msg.contains("already exists"), "{msg}");
    // Compared exactly: other casing is another name.
    let b = fd.create("ops", &[]).await;
    fd.post("/role/upsert", json!({"role_id": b, "role_name": "Ops"}))
        .await
        .err(400, "InvalidParameter");
    // Keeping one's own name is fine; preset names are taken.
    fd.post("/role/upsert", json!({"role_id": a, "role_name": "Ops"}))
        .await
        .data();
    fd.post("/role/upsert", json!({"role_name": "Admin"}))
        .await
        .err(400, "InvalidParameter");
}

#[tokio::test]
async fn flashduty_role_length_limits() {
    let fd = Fd::start().await;
    let ok = |name: String, desc: String| json!({"role_name": name, "description": desc});
    fd.post("/role/upsert", ok("n".repeat(39), "d".repeat(499)))
        .await
        .data();
    let msg = fd
        .post("/role/upsert", ok("m".repeat(40), String::new()))
        .await
        .err(400, "InvalidParameter");
    assert!(msg.contains("39"), "{msg}");
    let msg = fd
        .post("/role/upsert", ok("x".into(), "d".repeat(500)))
        .await
        .err(400, "InvalidParameter");
    assert!(msg.contains("499"), "{msg}");
    // Characters, not bytes: 39 CJK characters are 117 bytes.
    fd.post("/role/upsert", ok("角".repeat(39), "説".repeat(499)))
        .await
        .data();
    fd.post("/role/upsert", ok("色".repeat(40), String::new()))
        .await
        .err(400, "InvalidParameter");
    fd.post("/role/upsert", ok(String::new(), String::new()))
        .await
        .err(400, "InvalidParameter");
    let msg = fd
        .post("/role/upsert", json!({}))
        .await
        .err(400, "InvalidParameter");
    assert!(msg.contains("role_name"), "{msg}");
}

#[tokio::test]
async fn flashduty_role_unknown_permission_is_named() {
    let fd = Fd::start().await;
    let msg = fd
        .post(
            "/role/upsert",
            json!({"role_name": "R", "permission_ids": [501, 123456]}),
        )
        .await
        .err(400, "InvalidParameter");
    assert!(msg.contains("123456"), "{msg}");
    assert_eq!(fd.post("/role/list", json!({})).await.data()["total"], 3);
}

#[tokio::test]
async fn flashduty_unauthorized() {
    let fd = Fd::start().await;
    let ct = Some("application/json");
    let missing = fd.raw(Method::POST, "/flashduty/role/list", ct, "{}").await;
    missing.err(401, "Unauthorized");
    let wrong = fd
        .raw(Method::POST, "/flashduty/role/list?app_key=nope", ct, "{}")
        .await;
    wrong.err(401, "Unauthorized");
    let right = fd
        .raw(
            Method::POST,
            &format!("/flashduty/role/list?app_key={KEY}"),
            ct,
            "{}",
        )
        .await;
    right.data();
}

#[tokio::test]
async fn flashduty_content_type_must_be_json() {
    let fd = Fd::start().await;
    let path = format!("/flashduty/role/list?app_key={KEY}");
    fd.raw(Method::POST, &path, Some("text/plain"), "{}")
        .await
        .err(400, "InvalidContentType");
    fd.raw(Method::POST, &path, None, "{}")
        .await
        .err(400, "InvalidContentType");
    fd.raw(
        Method::POST,
        &path,
        Some("application/json; charset=utf-8"),
        "{}",
    )
    .await
    .data();
}

#[tokio::test]
async fn flashduty_unknown_route_and_wrong_method() {
    let fd = Fd::start().await;
    let ct = Some("application/json");
    fd.raw(
        Method::POST,
        &format!("/flashduty/role/nope?app_key={KEY}"),
        ct,
        "{}",
    )
    .await
    .err(404, "RouteNotFound");
    let r = fd
        .raw(
            Method::GET,
            &format!("/flashduty/role/list?app_key={KEY}"),
            None,
            "",
        )
        .await;
    r.err(405, "MethodNotAllowed");
    assert!(r.header("flashcat-request-id").is_some());
}

#[tokio::test]
async fn flashduty_malformed_body_is_invalid_parameter() {
    let fd = Fd::start().await;
    let path = format!("/flashduty/role/upsert?app_key={KEY}");
    let ct = Some("application/json");
    let msg = fd
        .raw(Method::POST, &path, ct, "{")
        .await
        .err(400, "InvalidParameter");
    assert!(msg.contains("invalid request body"), "{msg}");
    fd.raw(Method::POST, &path, ct, "")
        .await
        .err(400, "InvalidParameter");
    let msg = fd
        .post(
            "/role/upsert",
            json!({"role_name": "x", "permission_ids": ["501"]}),
        )
        .await
        .err(400, "InvalidParameter");
    assert!(msg.contains("u64"), "{msg}");
    fd.post("/role/info", json!({"role_id": -1}))
        .await
        .err(400, "InvalidParameter");
}
