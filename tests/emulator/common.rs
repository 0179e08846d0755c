//! A tiny Flashduty client for tests: raw HTTP through reqwest, so that the
//! tests see exactly what a provider would.

#![allow(dead_code)] // each test module uses a different part

use std::time::Duration;

use serde_json::Value;
use terraform_provider_rbac::emulator::{self, EmulatorConfig, RunningEmulator};

pub const KEY: &str = "emulator-flashduty-key";

/// One decoded response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Resp {
    /// `data`, after checking this is a success envelope.
    pub fn data(&self) -> &Value {
        assert_eq!(self.status, 200, "expected success, got {:#}", self.body);
        assert!(self.body.get("error").is_none(), "{:#}", self.body);
        &self.body["data"]
    }

    /// Checks a failure envelope and returns its message.
    pub fn err(&self, status: u16, code: &str) -> String {
        assert_eq!(self.status, status, "{:#}", self.body);
        assert_eq!(self.body["error"]["code"], code, "{:#}", self.body);
        assert!(self.body.get("data").is_none(), "{:#}", self.body);
        self.body["error"]["message"].as_str().unwrap().to_string()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A running emulator plus an HTTP client.
pub struct Fd {
    pub emu: RunningEmulator,
    pub http: reqwest::Client,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// Rate limits off unless a test is about them, so parallel tests cannot trip them.
pub fn config() -> EmulatorConfig {
    EmulatorConfig {
        rate_limit: false,
        seed: Some(1),
        ..Default::default()
    }
}

impl Fd {
    pub async fn start() -> Self {
        Self::with(config()).await
    }

    pub async fn with(config: EmulatorConfig) -> Self {
        Fd {
            emu: emulator::start(config).await.unwrap(),
            http: client(),
        }
    }

    /// POST a JSON body with the right key.
    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.try_post(path, body).await.expect("transport error")
    }

    pub async fn try_post(&self, path: &str, body: Value) -> reqwest::Result<Resp> {
        let url = format!("{}{path}?app_key={KEY}", self.emu.flashduty_url());
        decode(self.http.post(url).json(&body).send().await?).await
    }

    /// Any request, verbatim.
    pub async fn raw(
        &self,
        method: reqwest::Method,
        path_and_query: &str,
        content_type: Option<&str>,
        body: &str,
    ) -> Resp {
        let mut req = self
            .http
            .request(method, format!("{}{path_and_query}", self.emu.url()))
            .body(body.to_string());
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        decode(req.send().await.unwrap()).await.unwrap()
    }

    /// Creates a role and returns its ID.
    pub async fn create(&self, name: &str, perms: &[u64]) -> u64 {
        let r = self
            .post(
                "/role/upsert",
                serde_json::json!({"role_name": name, "permission_ids": perms}),
            )
            .await;
        r.data()["role_id"].as_u64().unwrap()
    }

    pub async fn info(&self, id: u64) -> Resp {
        self.post("/role/info", serde_json::json!({"role_id": id}))
            .await
    }

    pub async fn control(&self, path: &str, body: Value) -> Value {
        let url = format!("{}/__emulator{path}", self.emu.url());
        let r = self.http.post(url).json(&body).send().await.unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.json().await.unwrap()
    }
}

pub async fn decode(r: reqwest::Response) -> reqwest::Result<Resp> {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let bytes = r.bytes().await?;
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Ok(Resp {
        status,
        headers,
        body,
    })
}
