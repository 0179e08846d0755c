//! ZenML Pro semantics of the emulator (docs/vendors/zenml.md, "Role endpoints"): the token
//! exchange and expiry, roles, FastAPI 422s, IllegalOperationError cases,
//! built-in roles, assignments and 404s.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use terraform_provider_rbac::emulator::zenml::DEFAULT_ORGANIZATION_ID as ORG;
use terraform_provider_rbac::emulator::{EmulatorConfig, DEFAULT_ZENML_API_KEY};

use crate::common::{config, decode, Fd, Resp};

const USER: &str = "7d1c2b3a-1111-4aaa-8bbb-000000000001";
const WS: &str = "7d1c2b3a-3333-4aaa-8bbb-000000000004";

async fn login(fd: &Fd, key: &str) -> Resp {
    let url = format!("{}/auth/login", fd.emu.zenml_url());
    let r = fd
        .http
        .post(url)
        .form(&[("password", key)])
        .send()
        .await
        .unwrap();
    decode(r).await.unwrap()
}

async fn token(fd: &Fd) -> String {
    let r = login(fd, DEFAULT_ZENML_API_KEY).await;
    assert_eq!(r.status, 200, "{:#}", r.body);
    assert_eq!(r.body["token_type"], "bearer");
    r.body["access_token"].as_str().unwrap().to_string()
}

async fn call(fd: &Fd, token: &str, method: Method, path: &str, body: Option<Value>) -> Resp {
    let url = format!("{}{path}", fd.emu.zenml_url());
    let mut req = fd.http.request(method, url).bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    decode(req.send().await.unwrap()).await.unwrap()
}

fn role_body(name: &str, level: &str) -> Value {
    json!({"organization_id": ORG, "level": level, "system_managed": false, "name": name})
}

#[tokio::test]
async fn zenml_login_needs_the_key_and_tokens_expire() {
    let fd = Fd::with(EmulatorConfig {
        zenml_token_ttl: Duration::from_secs(1),
        ..config()
    })
    .await;
    let bad = login(&fd, "ZENPROKEY_wrong").await;
    assert_eq!(bad.status, 401);
    assert_eq!(bad.body["detail"][0], "AuthorizationException");
    let ok = login(&fd, DEFAULT_ZENML_API_KEY).await;
    assert_eq!(ok.body["expires_in"], 1);
    let t = ok.body["access_token"].as_str().unwrap().to_string();
    let path = format!("/organizations/{ORG}/roles");
    assert_eq!(call(&fd, &t, Method::GET, &path, None).await.status, 200);
    let none = decode(
        fd.http
            .get(format!("{}{path}", fd.emu.zenml_url()))
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(none.status, 401);
    assert_eq!(none.body["detail"], "Not authenticated");
    assert_eq!(none.header("www-authenticate"), Some("Bearer"));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let expired = call(&fd, &t, Method::GET, &path, None).await;
    assert_eq!(expired.status, 401);
    assert!(expired.body["detail"][1]
        .as_str()
        .unwrap()
        .contains("expired"));
    // Revocation (the control API) invalidates live tokens.
    let t = token(&fd).await;
    fd.control("/zenml/revoke-tokens", json!({})).await;
    assert_eq!(call(&fd, &t, Method::GET, &path, None).await.status, 401);
}

#[tokio::test]
async fn zenml_roles_crud_with_merge_patch_and_404s() {
    let fd = Fd::start().await;
    let t = token(&fd).await;
    let created = call(
        &fd,
        &t,
        Method::POST,
        "/roles",
        Some(role_body("ml", "workspace")),
    )
    .await;
    assert_eq!(
        created.status, 200,
        "create answers 200: {:#}",
        created.body
    );
    assert_eq!(created.body["type"], "normal");
    assert_eq!(created.body["system_managed"], false);
    assert!(created.body["description"].is_null());
    let id = created.body["id"].as_str().unwrap().to_string();
    let path = format!("/roles/{id}");

    let patched = call(
        &fd,
        &t,
        Method::PATCH,
        &path,
        Some(json!({"description": "d"})),
    )
    .await;
    assert_eq!(patched.body["name"], "ml", "absent fields are left alone");
    assert_eq!(patched.body["description"], "d");
    let cleared = call(
        &fd,
        &t,
        Method::PATCH,
        &path,
        Some(json!({"description": null})),
    )
    .await;
    assert!(cleared.body["description"].is_null());

    let dup = call(
        &fd,
        &t,
        Method::POST,
        "/roles",
        Some(role_body("ml", "workspace")),
    )
    .await;
    assert_eq!(dup.status, 409);
    assert_eq!(dup.body["detail"][0], "EntityExistsError");
    let other_level = call(
        &fd,
        &t,
        Method::POST,
        "/roles",
        Some(role_body("ml", "project")),
    )
    .await;
    assert_eq!(other_level.status, 200);

    let deleted = call(&fd, &t, Method::DELETE, &path, None).await;
    assert_eq!(deleted.status, 200);
    for method in [Method::GET, Method::DELETE, Method::PATCH] {
        let gone = call(&fd, &t, method, &path, Some(json!({}))).await;
        assert_eq!(gone.status, 404);
        assert_eq!(gone.body["detail"][0], "KeyError");
    }
    let bad_id = call(&fd, &t, Method::GET, "/roles/nope", None).await;
    assert_eq!(bad_id.status, 422);
    assert_eq!(bad_id.body["detail"][0]["loc"], json!(["path", "role_id"]));
}

#[tokio::test]
async fn zenml_validation_uses_fastapi_422_shape() {
    let fd = Fd::start().await;
    let t = token(&fd).await;
    let body = json!({"organization_id": "acme", "level": "team", "name": "x".repeat(51),
                      "description": "", "type": "super"});
    let r = call(&fd, &t, Method::POST, "/roles", Some(body)).await;
    assert_eq!(r.status, 422);
    let detail = r.body["detail"].as_array().unwrap();
    let by_field = |f: &str| {
        detail
            .iter()
            .find(|d| d["loc"] == json!(["body", f]))
            .unwrap_or_else(|| panic!("no error for {f}: {detail:#?}"))
            .clone()
    };
    assert_eq!(by_field("name")["type"], "string_too_long");
    assert_eq!(by_field("name")["ctx"]["max_length"], 50);
    assert_eq!(by_field("description")["type"], "string_too_short");
    assert_eq!(by_field("organization_id")["type"], "uuid_parsing");
    assert_eq!(by_field("level")["type"], "enum");
    assert_eq!(by_field("type")["msg"], "Input should be 'normal'");
    assert_eq!(by_field("system_managed")["type"], "missing");
    let r = call(&fd, &t, Method::POST, "/roles", Some(json!([1]))).await;
    assert_eq!(r.status, 422);
}

#[tokio::test]
async fn zenml_illegal_operations_and_built_in_roles() {
    let fd = Fd::start().await;
    let t = token(&fd).await;
    let org_role = call(
        &fd,
        &t,
        Method::POST,
        "/roles",
        Some(role_body("o", "organization")),
    )
    .await;
    assert_eq!(org_role.status, 403);
    assert_eq!(org_role.body["detail"][0], "IllegalOperationError");
    let mut sm = role_body("s", "workspace");
    sm["system_managed"] = json!(true);
    let r = call(&fd, &t, Method::POST, "/roles", Some(sm)).await;
    assert_eq!(r.status, 403);

    let list = call(
        &fd,
        &t,
        Method::GET,
        &format!("/organizations/{ORG}/roles"),
        None,
    )
    .await;
    let roles = list.body.as_array().unwrap();
    assert_eq!(roles.len(), 9, "Admin, Editor, Viewer at three levels");
    assert!(roles.iter().all(|r| r["system_managed"] == true));
    let admin = call(
        &fd,
        &t,
        Method::GET,
        &format!("/organizations/{ORG}/roles?level=workspace&name=Admin"),
        None,
    )
    .await;
    let admin = admin.body.as_array().unwrap();
    assert_eq!(admin.len(), 1);
    let admin_path = format!("/roles/{}", admin[0]["id"].as_str().unwrap());
    let del = call(&fd, &t, Method::DELETE, &admin_path, None).await;
    assert_eq!(del.status, 403);
    assert_eq!(del.body["detail"][0], "IllegalOperationError");
    let patch = call(
        &fd,
        &t,
        Method::PATCH,
        &admin_path,
        Some(json!({"name": "Boss"})),
    )
    .await;
    assert_eq!(patch.status, 403);

    let bad_level = call(
        &fd,
        &t,
        Method::GET,
        &format!("/organizations/{ORG}/roles?level=team"),
        None,
    )
    .await;
    assert_eq!(bad_level.status, 422);
    let unknown_org = call(
        &fd,
        &t,
        Method::GET,
        "/organizations/7d1c2b3a-9999-4aaa-8bbb-000000000009/roles",
        None,
    )
    .await;
    assert_eq!(unknown_org.status, 404);
}

#[tokio::test]
async fn zenml_assignments_take_query_parameters_and_check_scope() {
    let fd = Fd::start().await;
    let t = token(&fd).await;
    let role = call(
        &fd,
        &t,
        Method::POST,
        "/roles",
        Some(role_body("ws", "workspace")),
    )
    .await;
    let base = format!("/roles/{}/assignments", role.body["id"].as_str().unwrap());
    let no_scope = call(
        &fd,
        &t,
        Method::POST,
        &format!("{base}?user_id={USER}"),
        None,
    )
    .await;
    assert_eq!(no_scope.status, 400);
    assert_eq!(no_scope.body["detail"][0], "ValueError");
    let q = format!("{base}?user_id={USER}&workspace_id={WS}");
    for _ in 0..2 {
        assert_eq!(call(&fd, &t, Method::POST, &q, None).await.status, 200);
    }
    let list = call(&fd, &t, Method::GET, &base, None).await;
    assert_eq!(
        list.body.as_array().unwrap().len(),
        1,
        "assigning twice is one grant"
    );
    assert_eq!(list.body[0]["user_id"], USER);
    assert!(list.body[0]["project_id"].is_null());
    assert_eq!(call(&fd, &t, Method::DELETE, &q, None).await.status, 200);
    assert_eq!(call(&fd, &t, Method::DELETE, &q, None).await.status, 404);
    let bad = call(&fd, &t, Method::POST, &format!("{base}?user_id=bob"), None).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.body["detail"][0]["loc"], json!(["query", "user_id"]));
}
