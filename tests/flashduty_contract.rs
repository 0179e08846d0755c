//! The Flashduty client speaks the vendor's contract: every call it makes in
//! a full role lifecycle is a `POST` to a path of the vendor's OpenAPI
//! document with a body that conforms to the declared request schema, and
//! the emulator's answers decode. A recording proxy sits between the client
//! and the emulator.

#[path = "openapi/checker.rs"]
mod checker;

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{Method, StatusCode};
use axum::Router;
use serde_json::Value;
use terraform_provider_rbac::emulator::{self, EmulatorConfig};
use terraform_provider_rbac::vendors::flashduty::api::{
    rate_limits, retry_policy, RoleUpsertRequest,
};
use terraform_provider_rbac::vendors::flashduty::{FlashdutyClient, FlashdutyConfig};

type Log = Arc<Mutex<Vec<(Method, String, Value)>>>;

#[derive(Clone)]
struct Proxy {
    upstream: String,
    log: Log,
}

async fn forward(
    State(proxy): State<Proxy>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> (StatusCode, Bytes) {
    let path = uri.path().to_string();
    let json: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    proxy.log.lock().unwrap().push((method.clone(), path, json));
    let url = format!("{}{}", proxy.upstream, uri);
    let response = reqwest::Client::new()
        .request(method, url)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = StatusCode::from_u16(response.status().as_u16()).unwrap();
    (status, response.bytes().await.unwrap())
}

#[tokio::test]
async fn flashduty_client_requests_conform_to_the_openapi_document() {
    let emu = emulator::start(EmulatorConfig::default()).await.unwrap();
    let log: Log = Default::default();
    let app = Router::new().fallback(forward).with_state(Proxy {
        upstream: emu.url().to_string(),
        log: log.clone(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let client = FlashdutyClient::new(FlashdutyConfig {
        app_key: emulator::DEFAULT_FLASHDUTY_APP_KEY.into(),
        base_url: format!("http://{addr}/flashduty").parse().unwrap(),
        user_agent: "contract-test".into(),
        retry: retry_policy(),
        rate_limits: rate_limits(None, None),
    })
    .unwrap();
    let mut body = RoleUpsertRequest {
        role_id: None,
        role_name: "contract".into(),
        description: "d".into(),
        permission_ids: vec![501, 502],
    };
    let before = client.before_create(&body.role_name).await.unwrap();
    let id = client.create_role(&body, &before).await.unwrap();
    body.role_id = Some(id);
    body.permission_ids = vec![];
    client.update_role(&body).await.unwrap();
    client.set_role_status(id, false).await.unwrap();
    client.set_role_status(id, true).await.unwrap();
    assert_eq!(client.get_role(id).await.unwrap().role_name, "contract");
    assert!(client.read_role(id).await.unwrap().is_some());
    assert!(client
        .find_role_by_name("contract")
        .await
        .unwrap()
        .is_some());
    assert!(!client.list_permissions().await.unwrap().is_empty());
    // Members: every page, lookup by email, read, and the authoritative update.
    let members = client.list_members(None).await.unwrap();
    assert_eq!(members.len(), 4, "{members:?}");
    let bob = client
        .find_member_by_email("BOB@example.com")
        .await
        .unwrap()
        .expect("bob");
    client
        .update_member_roles(bob.member_id, &[6, id])
        .await
        .unwrap();
    let read = client.read_member(bob.member_id).await.unwrap().unwrap();
    assert_eq!(read.role_ids(), vec![6, id]);
    let err = client.update_member_roles(1, &[6]).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(client.read_member(1).await.unwrap().is_none());
    client.delete_role(id).await.unwrap();
    assert!(client.get_role(id).await.unwrap_err().is_not_found());

    let spec = checker::Spec::load();
    let calls = log.lock().unwrap().clone();
    assert!(calls.len() >= 10, "{calls:?}");
    let mut paths: Vec<&str> = Vec::new();
    for (method, path, body) in &calls {
        assert_eq!(method, Method::POST, "{path}");
        let vendor_path = path.strip_prefix("/flashduty").expect("vendor prefix");
        assert!(
            spec.0["paths"][vendor_path]["post"].is_object(),
            "{vendor_path} is not a POST path of the OpenAPI document"
        );
        spec.assert_request_conforms(vendor_path, body);
        paths.push(vendor_path);
    }
    for expected in [
        "/role/upsert",
        "/role/info",
        "/role/list",
        "/role/enable",
        "/role/disable",
        "/role/delete",
        "/role/permission/list",
        "/member/list",
        "/member/role/update",
    ] {
        assert!(paths.contains(&expected), "{expected} not exercised");
    }
}
