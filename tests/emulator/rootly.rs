//! Rootly on-call roles (docs/vendors/rootly.md, "On-call role endpoints") over real HTTP.

use reqwest::Method;
use serde_json::{json, Value};
use terraform_provider_rbac::emulator::{self, EmulatorConfig, RunningEmulator};

use crate::common::{client, config, decode, Resp};

const TOKEN: &str = "emulator-rootly-token";

/// A running emulator and an HTTP client speaking Rootly's JSON:API.
pub(crate) struct Rootly {
    pub(crate) emu: RunningEmulator,
    http: reqwest::Client,
}

impl Rootly {
    pub(crate) async fn start(config: EmulatorConfig) -> Self {
        Rootly {
            emu: emulator::start(config).await.unwrap(),
            http: client(),
        }
    }

    pub(crate) async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        self.call_as(TOKEN, method, path, body).await
    }

    pub(crate) async fn call_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Resp {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.emu.rootly_url()))
            .bearer_auth(token);
        if let Some(body) = body {
            req = req
                .header("content-type", "application/vnd.api+json")
                .body(body.to_string());
        }
        decode(req.send().await.unwrap()).await.unwrap()
    }

    /// A PUT with this content type and raw body; answers the status.
    pub(crate) async fn http_put_raw(&self, path: &str, content_type: &str, body: &str) -> u16 {
        let res = self
            .http
            .put(format!("{}{path}", self.emu.rootly_url()))
            .bearer_auth(TOKEN)
            .header("content-type", content_type)
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        res.status().as_u16()
    }

    pub(crate) async fn create(&self, attrs: Value) -> Resp {
        let body = json!({"data": {"type": "on_call_roles", "attributes": attrs}});
        self.call(Method::POST, "/v1/on_call_roles", Some(body))
            .await
    }
}

#[tokio::test]
async fn rootly_on_call_role_lifecycle() {
    let r = Rootly::start(config()).await;
    let created = r
        .create(json!({"name": "Infrastructure", "contacts_permissions": ["read"], "alerts_permissions": ["delete", "read"]}))
        .await;
    assert_eq!(created.status, 201, "{:#}", created.body);
    assert_eq!(
        created.header("content-type"),
        Some("application/vnd.api+json")
    );
    assert!(created.header("x-request-id").is_some());
    let data = &created.body["data"];
    let id = data["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 36);
    assert_eq!(data["type"], "on_call_roles");
    let attrs = &data["attributes"];
    assert_eq!(attrs["slug"], "infrastructure");
    assert_eq!(attrs["system_role"], "custom");
    assert_eq!(attrs["alerts_permissions"], json!(["delete", "read"]));
    assert_eq!(attrs["webhooks_permissions"], json!([]));
    assert!(attrs["created_at"].as_str().unwrap().ends_with("+00:00"));

    // By UUID and by slug.
    for key in [id.as_str(), "infrastructure"] {
        let got = r
            .call(Method::GET, &format!("/v1/on_call_roles/{key}"), None)
            .await;
        assert_eq!(got.status, 200);
        assert_eq!(got.body["data"]["id"], id.as_str());
    }

    // PUT is partial; arrays are replaced wholesale; the slug stays.
    let body = json!({"data": {"type": "on_call_roles", "attributes": {"name": "Infra Team", "alerts_permissions": []}}});
    let updated = r
        .call(Method::PUT, &format!("/v1/on_call_roles/{id}"), Some(body))
        .await;
    assert_eq!(updated.status, 200, "{:#}", updated.body);
    let attrs = &updated.body["data"]["attributes"];
    assert_eq!(attrs["name"], "Infra Team");
    assert_eq!(attrs["slug"], "infrastructure");
    assert_eq!(attrs["alerts_permissions"], json!([]));
    assert_eq!(attrs["contacts_permissions"], json!(["read"]));

    // PATCH is not routed (the spec declares PUT only).
    let patch = r
        .call(
            Method::PATCH,
            &format!("/v1/on_call_roles/{id}"),
            Some(json!({})),
        )
        .await;
    assert_eq!(patch.status, 405);

    let deleted = r
        .call(Method::DELETE, &format!("/v1/on_call_roles/{id}"), None)
        .await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.body["data"]["id"], id.as_str());
    for method in [Method::GET, Method::DELETE] {
        let gone = r
            .call(method, &format!("/v1/on_call_roles/{id}"), None)
            .await;
        assert_eq!(gone.status, 404);
        assert_eq!(gone.body["errors"][0]["status"], "404");
        assert!(gone.body["errors"][0]["title"].is_string());
    }
}

#[tokio::test]
async fn rootly_on_call_role_validation_and_auth() {
    let r = Rootly::start(config()).await;
    let bad = r
        .create(json!({
            "name": "",
            "contacts_permissions": ["update"],
            "on_call_readiness_report_permissions": ["create"],
            "schedule_override_permissions": ["read"],
            "system_role": "owner",
        }))
        .await;
    assert_eq!(bad.status, 422, "{:#}", bad.body);
    let errors = bad.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 5, "{errors:#?}");
    let details: Vec<&str> = errors
        .iter()
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert!(details.iter().any(|d| d.starts_with("name ")));
    assert!(details
        .iter()
        .any(|d| d.starts_with("schedule_override_permissions ") && d.contains("create, update")));
    assert!(details
        .iter()
        .any(|d| d.starts_with("contacts_permissions ") && d.contains("read")));
    assert!(errors.iter().all(|e| e["status"] == "422"));

    // Same name twice: the slug is made unique.
    let a = r.create(json!({"name": "Dup"})).await;
    let b = r.create(json!({"name": "Dup"})).await;
    assert_eq!(a.body["data"]["attributes"]["slug"], "dup");
    assert_eq!(b.body["data"]["attributes"]["slug"], "dup-2");

    let unauth = r
        .call_as("wrong", Method::GET, "/v1/on_call_roles", None)
        .await;
    assert_eq!(unauth.status, 401);
    assert_eq!(unauth.body["errors"][0]["status"], "401");
}

#[tokio::test]
async fn rootly_on_call_roles_paginate_and_filter() {
    let r = Rootly::start(config()).await;
    for i in 0..7 {
        r.create(json!({"name": format!("Pager {i}")})).await;
    }
    let page = r
        .call(
            Method::GET,
            "/v1/on_call_roles?filter%5Bsearch%5D=pager&page%5Bsize%5D=3&page%5Bnumber%5D=2",
            None,
        )
        .await;
    assert_eq!(page.status, 200);
    let names: Vec<&str> = page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["attributes"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Pager 3", "Pager 4", "Pager 5"]);
    let meta = &page.body["meta"];
    assert_eq!(meta["current_page"], 2);
    assert_eq!(meta["next_page"], 3);
    assert_eq!(meta["prev_page"], 1);
    assert_eq!(meta["total_count"], 7);
    assert_eq!(meta["total_pages"], 3);
    assert!(page.body["links"]["next"]
        .as_str()
        .unwrap()
        .contains("page%5Bnumber%5D=3"));
    let last = r
        .call(
            Method::GET,
            "/v1/on_call_roles?filter[search]=pager&page[size]=3&page[number]=3",
            None,
        )
        .await;
    assert_eq!(last.body["meta"]["next_page"], Value::Null);
    assert_eq!(last.body["links"]["next"], Value::Null);
    assert_eq!(last.body["data"].as_array().unwrap().len(), 1);

    let by_slug = r
        .call(Method::GET, "/v1/on_call_roles?filter[slug]=pager-4", None)
        .await;
    assert_eq!(by_slug.body["meta"]["total_count"], 1);
    let by_name = r
        .call(Method::GET, "/v1/on_call_roles?filter[name]=Admin", None)
        .await;
    assert_eq!(
        by_name.body["data"][0]["attributes"]["system_role"],
        "admin"
    );
}

#[tokio::test]
async fn rootly_rate_limit_headers_and_429() {
    let r = Rootly::start(EmulatorConfig {
        rate_limit: true,
        rootly_rate_limit: 3,
        ..config()
    })
    .await;
    for used in 1..=3 {
        let ok = r.call(Method::GET, "/v1/on_call_roles", None).await;
        assert_eq!(ok.status, 200);
        assert_eq!(ok.header("x-ratelimit-limit"), Some("3, 3;window=60"));
        assert_eq!(
            ok.header("x-ratelimit-used"),
            Some(used.to_string().as_str())
        );
        assert_eq!(
            ok.header("x-ratelimit-remaining"),
            Some((3 - used).to_string().as_str())
        );
    }
    let limited = r.call(Method::GET, "/v1/on_call_roles", None).await;
    assert_eq!(limited.status, 429);
    assert_eq!(
        limited.body,
        json!({"error": "Rate limit exceeded. Try again later."})
    );
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));
    let reset: u64 = limited
        .header("x-ratelimit-reset")
        .unwrap()
        .parse()
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(reset > now && reset <= now + 61, "{reset} vs {now}");
    // Writes are counted separately.
    let write = r.create(json!({"name": "still ok"})).await;
    assert_eq!(write.status, 201);
}

#[tokio::test]
async fn rootly_state_persists() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let cfg = EmulatorConfig {
        state_file: Some(state.clone()),
        ..config()
    };
    let r = Rootly::start(cfg.clone()).await;
    r.create(json!({"name": "Persisted"})).await;
    drop(r);
    let r = Rootly::start(cfg).await;
    let got = r
        .call(Method::GET, "/v1/on_call_roles/persisted", None)
        .await;
    assert_eq!(got.status, 200);
}
