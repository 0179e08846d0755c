//! The SlashID emulator over real HTTP: headers, envelopes, 204 writes,
//! 404/409/412, the permission-in-use refusal, 408 and stale reads.

use serde_json::{json, Value};
use terraform_provider_rbac::emulator::{
    self, EmulatorConfig, RunningEmulator, DEFAULT_SLASHID_API_KEY, DEFAULT_SLASHID_ORG_ID,
};

use super::common::{client, config};

const ORG: &str = DEFAULT_SLASHID_ORG_ID;

struct Sid {
    emu: RunningEmulator,
    http: reqwest::Client,
}

struct R {
    status: u16,
    etag: Option<String>,
    body: Value,
}

impl R {
    fn message(&self) -> String {
        self.body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

impl Sid {
    async fn start(cfg: EmulatorConfig) -> Sid {
        Sid {
            emu: emulator::start(cfg).await.unwrap(),
            http: client(),
        }
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        extra: &[(&str, &str)],
    ) -> R {
        let url = format!("{}{path}", self.emu.slashid_url());
        let mut req = self
            .http
            .request(method.parse().unwrap(), url)
            .header("SlashID-OrgID", ORG)
            .header("SlashID-API-Key", DEFAULT_SLASHID_API_KEY);
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let etag = res
            .headers()
            .get("etag")
            .map(|v| v.to_str().unwrap().to_string());
        let text = res.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        };
        if status >= 400 {
            assert_eq!(body["errors"][0]["httpcode"], status, "{body}");
        }
        R { status, etag, body }
    }
}

fn role_path(short: &str) -> String {
    format!("/rbac/roles/{ORG}%2F{short}")
}

#[tokio::test]
async fn slashid_emulator_role_and_permission_lifecycle() {
    let s = Sid::start(config()).await;
    let r = s
        .call(
            "POST",
            "/rbac/permissions",
            Some(json!({"name": "billing.read", "description": "d"})),
            &[],
        )
        .await;
    assert_eq!((r.status, &r.body), (204, &Value::Null));
    let r = s
        .call(
            "POST",
            "/rbac/permissions",
            Some(json!({"name": "billing.read"})),
            &[],
        )
        .await;
    assert_eq!(r.status, 409);
    let r = s
        .call("GET", "/rbac/permissions/billing.read", None, &[])
        .await;
    assert_eq!(r.body["result"]["description"], "d");
    assert!(r.body["result"]["created"].as_str().unwrap().ends_with('Z'));

    let name = format!("{ORG}/billing-viewer");
    let r = s
        .call(
            "POST",
            "/rbac/roles",
            Some(json!({"name": name, "permissions": ["billing.read"]})),
            &[("SlashID-Required-Consistency", "all_regions")],
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let r = s.call("GET", &role_path("billing-viewer"), None, &[]).await;
    assert_eq!(r.body["result"]["name"], name);
    assert_eq!(r.body["result"]["permissions"], json!(["billing.read"]));
    let tag = r.etag.expect("role ETag");
    let list = s.call("GET", "/rbac/roles", None, &[]).await;
    assert_eq!(list.body["result"], json!([name]));
    assert!(list.etag.is_some());

    // Permission in use: refused, naming the role.
    let r = s
        .call("DELETE", "/rbac/permissions/billing.read", None, &[])
        .await;
    assert_eq!(r.status, 400);
    assert!(r.message().contains(&name), "{}", r.message());

    // If-Match: stale tag 412, current tag 204.
    let patch = json!({"description": "x", "permissions": []});
    let r = s
        .call(
            "PATCH",
            &role_path("billing-viewer"),
            Some(patch.clone()),
            &[("If-Match", "\"r-0\"")],
        )
        .await;
    assert_eq!(r.status, 412);
    let r = s
        .call(
            "PATCH",
            &role_path("billing-viewer"),
            Some(patch),
            &[("If-Match", &tag)],
        )
        .await;
    assert_eq!(r.status, 204);
    let r = s.call("GET", &role_path("billing-viewer"), None, &[]).await;
    assert_eq!(r.body["result"]["permissions"], json!([]));
    assert_ne!(r.etag.unwrap(), tag);

    // Person roles: replace, read, check, and revoked on role delete.
    let pid = emulator::slashid::SEED_PERSONS[0];
    let r = s
        .call(
            "PUT",
            &format!("/persons/{pid}/roles"),
            Some(json!({"roles": [name]})),
            &[],
        )
        .await;
    assert_eq!(r.status, 204);
    let r = s
        .call("GET", &format!("/persons/{pid}/roles"), None, &[])
        .await;
    assert_eq!(r.body["result"], json!([name]));
    let r = s.call("GET", "/persons/pid:nobody/roles", None, &[]).await;
    assert_eq!(r.status, 404);

    assert_eq!(
        s.call("DELETE", &role_path("billing-viewer"), None, &[])
            .await
            .status,
        204
    );
    assert_eq!(
        s.call("DELETE", &role_path("billing-viewer"), None, &[])
            .await
            .status,
        404
    );
    assert_eq!(
        s.call("GET", &role_path("billing-viewer"), None, &[])
            .await
            .status,
        404
    );
    let r = s
        .call("GET", &format!("/persons/{pid}/roles"), None, &[])
        .await;
    assert_eq!(r.body["result"], json!([]));
    assert_eq!(
        s.call("DELETE", "/rbac/permissions/billing.read", None, &[])
            .await
            .status,
        204
    );
}

#[tokio::test]
async fn slashid_emulator_headers_and_validation() {
    let s = Sid::start(config()).await;
    let url = format!("{}/rbac/roles", s.emu.slashid_url());
    let res = s
        .http
        .get(&url)
        .header("SlashID-OrgID", ORG)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = s
        .http
        .get(&url)
        .header("SlashID-API-Key", DEFAULT_SLASHID_API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let r = s
        .call(
            "POST",
            "/rbac/permissions",
            Some(json!({"name": "ok.name"})),
            &[("SlashID-Required-Consistency", "everywhere")],
        )
        .await;
    assert_eq!(r.status, 400);
    let r = s
        .call(
            "POST",
            "/rbac/permissions",
            Some(json!({"name": "ok.name"})),
            &[("SlashID-Required-Consistency-Timeout", "121")],
        )
        .await;
    assert_eq!(r.status, 400);
    // Unprefixed role, non-ASCII \w, unknown permission.
    for body in [
        json!({"name": "viewer"}),
        json!({"name": format!("{ORG}/vié")}),
        json!({"name": format!("{ORG}/v"), "permissions": ["nope"]}),
    ] {
        assert_eq!(
            s.call("POST", "/rbac/roles", Some(body), &[]).await.status,
            400
        );
    }
    assert_eq!(
        s.call("PATCH", &role_path("missing"), Some(json!({})), &[])
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn slashid_emulator_simulates_408_and_stale_reads() {
    let s = Sid::start(EmulatorConfig {
        slashid_write_timeouts: 1,
        slashid_stale_read_ms: 300,
        ..config()
    })
    .await;
    let r = s
        .call(
            "POST",
            "/rbac/permissions",
            Some(json!({"name": "a.b"})),
            &[],
        )
        .await;
    assert_eq!(r.status, 408, "applied, then 408");
    assert_eq!(
        s.call("GET", "/rbac/permissions/a.b", None, &[])
            .await
            .status,
        404
    );
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(
        s.call("GET", "/rbac/permissions/a.b", None, &[])
            .await
            .status,
        200
    );
    let r = s
        .call(
            "POST",
            "/rbac/permissions",
            Some(json!({"name": "c.d"})),
            &[],
        )
        .await;
    assert_eq!(r.status, 204);
}

#[tokio::test]
async fn slashid_emulator_consistency_control_and_all_regions() {
    let s = Sid::start(config()).await;
    let control = format!("{}/__emulator/slashid", s.emu.url());
    let http = reqwest::Client::new();
    let set: Value = http
        .post(&control)
        .json(&json!({"write_timeouts": 1, "stale_read_ms": 60000}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(set, json!({"write_timeouts": 1, "stale_read_ms": 60000}));
    // Local-region write: applied, 408, then stale 404s.
    let r = s
        .call(
            "POST",
            "/rbac/permissions",
            Some(json!({"name": "l.r"})),
            &[],
        )
        .await;
    assert_eq!(r.status, 408);
    let get = s.call("GET", "/rbac/permissions/l.r", None, &[]).await;
    assert_eq!(get.status, 404);
    // An all_regions write has reached every region when it returns.
    let r = s
        .call(
            "POST",
            "/rbac/permissions",
            Some(json!({"name": "a.r"})),
            &[("SlashID-Required-Consistency", "all_regions")],
        )
        .await;
    assert_eq!(r.status, 204);
    let get = s.call("GET", "/rbac/permissions/a.r", None, &[]).await;
    assert_eq!(get.status, 200);
    let now: Value = http
        .get(&control)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(now["write_timeouts"], 0);
    let bad = http
        .post(&control)
        .json(&json!({"write_timeout": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}
