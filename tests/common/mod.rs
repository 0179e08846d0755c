//! Acceptance-test harness: the real `terraform` binary (or
//! `TF_ACC_TERRAFORM_PATH`) drives the provider binary through
//! `dev_overrides`, against a fresh `rbac-emulator` process per test.
//!
//! Binaries: `RBAC_BIN_DIR` (set by `make test` to the one release build),
//! else the ones cargo built for this test run.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

/// App key the emulator accepts in these tests.
pub const FLASHDUTY_KEY: &str = "acc-test-flashduty-key-7f3a";

/// SlashID organization and API key of the emulator in these tests.
pub const SLASHID_ORG: &str = "0d5a1c2e-acc7-4e57-9a11-5a5f1d000001";
pub const SLASHID_KEY: &str = "acc-test-slashid-key-91c2";

/// Rootly API token the emulator accepts in these tests.
pub const ROOTLY_TOKEN: &str = "acc-test-rootly-token-91b7";

/// ZenML Pro service-account API key the emulator accepts in these tests.
pub const ZENML_KEY: &str = "ZENPROKEY_acc-test-zenml-5e2b";

/// The organization every emulator starts with.
pub const ZENML_ORG: &str = "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30";

fn bin(name: &str, cargo_path: &str) -> PathBuf {
    match std::env::var_os("RBAC_BIN_DIR") {
        Some(dir) => PathBuf::from(dir).join(name),
        None => PathBuf::from(cargo_path),
    }
}

/// The provider binary under test.
pub fn provider_bin() -> PathBuf {
    bin(
        "terraform-provider-rbac",
        env!("CARGO_BIN_EXE_terraform-provider-rbac"),
    )
}

/// The emulator binary.
pub fn emulator_bin() -> PathBuf {
    bin("rbac-emulator", env!("CARGO_BIN_EXE_rbac-emulator"))
}

/// The terraform CLI to test with.
pub fn terraform_bin() -> PathBuf {
    std::env::var_os("TF_ACC_TERRAFORM_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/local/bin/terraform"))
}

/// A running emulator process, killed on drop.
pub struct EmulatorProcess {
    child: Child,
    pub url: String,
}

impl EmulatorProcess {
    /// Starts `rbac-emulator` on a free loopback port with the test key and
    /// any extra flags (e.g. `--rate-limit off`).
    pub fn start(extra: &[&str]) -> EmulatorProcess {
        let mut child = Command::new(emulator_bin())
            .args([
                "--listen",
                "127.0.0.1:0",
                "--flashduty-app-key",
                FLASHDUTY_KEY,
                "--slashid-org-id",
                SLASHID_ORG,
                "--slashid-api-key",
                SLASHID_KEY,
                "--rootly-api-token",
                ROOTLY_TOKEN,
            ])
            .args(["--zenml-api-key", ZENML_KEY])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start rbac-emulator");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .expect("emulator prints its URL");
        let url = first.trim().to_string();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "emulator said {url:?}"
        );
        EmulatorProcess { child, url }
    }

    /// `base_url` for the provider's flashduty block.
    pub fn flashduty_url(&self) -> String {
        format!("{}/flashduty", self.url)
    }

    /// Calls a Flashduty endpoint of the emulator, as another API client
    /// would (used to check results and to change things behind Terraform's back).
    pub fn flashduty(&self, path: &str, body: Value) -> Value {
        let (status, body) = http_post(
            &self.url,
            &format!("/flashduty{path}?app_key={FLASHDUTY_KEY}"),
            &body.to_string(),
        );
        let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        assert!(
            status == 200 || v.get("error").is_some(),
            "{path}: {status} {body}"
        );
        v
    }

    /// Every role in the emulator's Flashduty account.
    pub fn flashduty_roles(&self) -> Vec<Value> {
        self.flashduty("/role/list", serde_json::json!({}))["data"]["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Every Rootly on-call role in the emulator: (id, name).
    pub fn rootly_roles(&self) -> Vec<(String, String)> {
        let mut all = Vec::new();
        for page in 1.. {
            let (status, body) = self.rootly(
                "GET",
                &format!("/v1/on_call_roles?page[number]={page}&page[size]=100"),
                None,
            );
            assert_eq!(status, 200, "{body}");
            let data = body["data"].as_array().cloned().unwrap_or_default();
            if data.is_empty() {
                break;
            }
            all.extend(data.iter().map(|r| {
                (
                    r["id"].as_str().unwrap().to_string(),
                    r["attributes"]["name"].as_str().unwrap().to_string(),
                )
            }));
        }
        all
    }

    /// The full names (`<org_id>/<name>`) of every SlashID role.
    pub fn slashid_role_names(&self) -> Vec<String> {
        let (status, body) = self.slashid("GET", "/rbac/roles", None);
        assert_eq!(status, 200, "{body}");
        body["result"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r.as_str().or_else(|| r["name"].as_str()))
            .map(str::to_string)
            .collect()
    }

    /// The custom role named `name`, if it exists.
    pub fn flashduty_role_named(&self, name: &str) -> Option<Value> {
        self.flashduty_roles()
            .into_iter()
            .find(|r| r["role_name"] == name)
    }

    /// `base_url` for the provider's slashid block.
    pub fn slashid_url(&self) -> String {
        format!("{}/slashid", self.url)
    }

    /// Calls a SlashID endpoint of the emulator as another client would:
    /// the status and the decoded body (`Null` for a 204).
    pub fn slashid(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let (status, text) = http_request_with(
            &self.url,
            method,
            &format!("/slashid{path}"),
            &body,
            &[
                ("SlashID-OrgID", SLASHID_ORG),
                ("SlashID-API-Key", SLASHID_KEY),
                ("Content-Type", "application/json"),
            ],
        );
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// The SlashID role `short` (without the org prefix), if it exists.
    pub fn slashid_role(&self, short: &str) -> Option<Value> {
        let (status, body) =
            self.slashid("GET", &format!("/rbac/roles/{SLASHID_ORG}%2F{short}"), None);
        (status == 200).then(|| body["result"].clone())
    }

    /// The SlashID permission `name` (percent-encoded), if it exists.
    pub fn slashid_permission(&self, name: &str) -> Option<Value> {
        let (status, body) = self.slashid("GET", &format!("/rbac/permissions/{name}"), None);
        (status == 200).then(|| body["result"].clone())
    }

    /// Sets SlashID's simulated consistency: the next `write_timeouts`
    /// writes are applied then answered 408, and reads of a role or
    /// permission created less than `stale_read_ms` ago answer 404.
    pub fn slashid_consistency(&self, write_timeouts: u32, stale_read_ms: u64) {
        let body = serde_json::json!({
            "write_timeouts": write_timeouts,
            "stale_read_ms": stale_read_ms,
        });
        let (status, text) = http_post(&self.url, "/__emulator/slashid", &body.to_string());
        assert_eq!(status, 200, "{text}");
    }

    /// `base_url` for the provider's rootly block.
    pub fn rootly_url(&self) -> String {
        format!("{}/rootly", self.url)
    }

    /// Calls a Rootly endpoint of the emulator (`path` starts with `/v1`)
    /// with the test token; returns the status and the decoded body.
    pub fn rootly(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let (status, text) = http_request_with(
            &self.url,
            method,
            &format!("/rootly{path}"),
            &body,
            &[
                ("Authorization", &format!("Bearer {ROOTLY_TOKEN}")),
                ("Content-Type", "application/vnd.api+json"),
            ],
        );
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Creates a Rootly on-call role; returns its resource object.
    pub fn rootly_create(&self, attributes: Value) -> Value {
        let (status, body) = self.rootly(
            "POST",
            "/v1/on_call_roles",
            Some(serde_json::json!({"data": {"type": "on_call_roles", "attributes": attributes}})),
        );
        assert_eq!(status, 201, "{body}");
        body["data"].clone()
    }

    /// The Rootly role with this UUID or slug, if it exists.
    pub fn rootly_role(&self, id_or_slug: &str) -> Option<Value> {
        let (status, body) = self.rootly("GET", &format!("/v1/on_call_roles/{id_or_slug}"), None);
        match status {
            200 => Some(body["data"].clone()),
            404 => None,
            other => panic!("GET role {id_or_slug}: {other} {body}"),
        }
    }

    /// `POST /__emulator/faults` with `update` (e.g. `{"rate": 0}`).
    pub fn set_faults(&self, update: Value) {
        let (status, body) =
            http_request(&self.url, "POST", "/__emulator/faults", &update.to_string());
        assert_eq!(status, 200, "{body}");
    }

    /// `GET /__emulator/stats`.
    pub fn stats(&self) -> Value {
        let (_, body) = http_request(&self.url, "GET", "/__emulator/stats", "");
        serde_json::from_str(&body).expect("stats JSON")
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.1 client (loopback only), so tests need no HTTP crate.
pub fn http_post(base: &str, path: &str, body: &str) -> (u16, String) {
    http_request(base, "POST", path, body)
}

fn http_request(base: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    http_request_with(
        base,
        method,
        path,
        body,
        &[("Content-Type", "application/json")],
    )
}

fn http_request_with(
    base: &str,
    method: &str,
    path: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> (u16, String) {
    let host = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("connect to emulator");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{extra}\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read response");
    let (head, rest) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    (status, body)
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// A Terraform working directory wired to the provider under test.
pub struct Workspace {
    pub dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

/// What one terraform command printed.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout and stderr together, for assertions on messages.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

impl Workspace {
    /// A directory whose CLI config points `rbac-provider/rbac` at our binary,
    /// with the Flashduty credentials of `emulator` in the environment.
    pub fn new(emulator: &EmulatorProcess) -> Workspace {
        let dir = tempfile::tempdir().expect("temp dir");
        let plugin_dir = provider_bin().parent().unwrap().to_path_buf();
        let rc = dir.path().join("terraform.rc");
        std::fs::write(
            &rc,
            format!(
                "provider_installation {{\n  dev_overrides {{\n    \"rbac-provider/rbac\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
                plugin_dir.display()
            ),
        )
        .unwrap();
        let env = vec![
            ("TF_CLI_CONFIG_FILE".into(), rc.display().to_string()),
            ("CHECKPOINT_DISABLE".into(), "1".into()),
            ("TF_IN_AUTOMATION".into(), "1".into()),
            ("TF_INPUT".into(), "0".into()),
            ("NO_COLOR".into(), "1".into()),
            ("FLASHDUTY_APP_KEY".into(), FLASHDUTY_KEY.into()),
            ("FLASHDUTY_BASE_URL".into(), emulator.flashduty_url()),
            ("SLASHID_ORG_ID".into(), SLASHID_ORG.into()),
            ("SLASHID_API_KEY".into(), SLASHID_KEY.into()),
            ("SLASHID_BASE_URL".into(), emulator.slashid_url()),
            ("ROOTLY_API_TOKEN".into(), ROOTLY_TOKEN.into()),
            ("ROOTLY_BASE_URL".into(), emulator.rootly_url()),
            ("ZENML_PRO_URL".into(), emulator.zenml_url()),
            ("ZENML_PRO_API_KEY".into(), ZENML_KEY.into()),
        ];
        Workspace { dir, env }
    }

    /// Sets (or overrides) an environment variable for later commands.
    pub fn env(&mut self, key: &str, value: &str) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.into(), value.into()));
    }

    /// Removes an environment variable for later commands.
    pub fn unset_env(&mut self, key: &str) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.into(), String::new()));
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Replaces `main.tf`, prefixed with the required_providers block.
    pub fn config(&self, body: &str) {
        let text = format!(
            "terraform {{\n  required_providers {{\n    rbac = {{ source = \"rbac-provider/rbac\" }}\n  }}\n}}\n\n{body}\n"
        );
        std::fs::write(self.dir.path().join("main.tf"), text).unwrap();
    }

    /// `terraform <args>` in this workspace, with its environment, not
    /// started yet.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(terraform_bin());
        cmd.args(args).current_dir(self.dir.path());
        for (k, v) in &self.env {
            if v.is_empty() {
                cmd.env_remove(k);
            } else {
                cmd.env(k, v);
            }
        }
        cmd
    }

    /// Runs `terraform <args>` and returns what it printed.
    pub fn run(&self, args: &[&str]) -> Run {
        let out: Output = self.command(args).output().expect("run terraform");
        Run {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs a command that must succeed.
    pub fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(run.status, 0, "terraform {args:?} failed:\n{}", run.all());
        run
    }

    /// `terraform apply -auto-approve`, which must succeed.
    pub fn apply(&self) -> Run {
        self.ok(&["apply", "-auto-approve", "-no-color"])
    }

    /// Asserts that `terraform plan` finds nothing to change.
    pub fn assert_no_changes(&self) {
        let run = self.run(&["plan", "-detailed-exitcode", "-no-color"]);
        assert_eq!(run.status, 0, "expected no changes:\n{}", run.all());
        assert!(run.stdout.contains("No changes."), "{}", run.stdout);
    }

    /// `terraform plan -detailed-exitcode`: the run, which exited 2 (changes).
    pub fn plan_with_changes(&self) -> Run {
        let run = self.run(&["plan", "-detailed-exitcode", "-no-color"]);
        assert_eq!(run.status, 2, "expected changes:\n{}", run.all());
        run
    }

    /// The IDs of every instance of `resource_type` in the state, as
    /// strings; panics if an instance is tainted (a create that returned an
    /// error after the object was made).
    pub fn instance_ids(&self, resource_type: &str) -> Vec<String> {
        let run = self.ok(&["state", "pull"]);
        let state: Value = serde_json::from_str(&run.stdout).expect("state JSON");
        let mut ids = Vec::new();
        for resource in state["resources"].as_array().into_iter().flatten() {
            if resource["type"] != resource_type || resource["mode"] != "managed" {
                continue;
            }
            for instance in resource["instances"].as_array().into_iter().flatten() {
                assert_ne!(
                    instance["status"], "tainted",
                    "a created object was returned with an error: {instance}"
                );
                ids.push(match &instance["attributes"]["id"] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
            }
        }
        ids
    }

    /// The instances of `resource_type` in `terraform state pull`, with
    /// their `status` ("tainted") and attributes.
    pub fn instances(&self, resource_type: &str) -> Vec<Value> {
        let run = self.ok(&["state", "pull"]);
        let state: Value = serde_json::from_str(&run.stdout).expect("state JSON");
        state["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["type"] == resource_type && r["mode"] == "managed")
            .flat_map(|r| r["instances"].as_array().cloned().unwrap_or_default())
            .collect()
    }

    /// The attribute values of `address` in `terraform show -json`.
    pub fn resource(&self, address: &str) -> Option<Value> {
        let run = self.ok(&["show", "-json", "-no-color"]);
        let state: Value = serde_json::from_str(&run.stdout).expect("show -json");
        state["values"]["root_module"]["resources"]
            .as_array()?
            .iter()
            .find(|r| r["address"] == address)
            .map(|r| r["values"].clone())
    }
}

/// ZenML Pro helpers: the emulator as another API client sees it.
impl EmulatorProcess {
    /// `base_url` for the provider's zenml block.
    pub fn zenml_url(&self) -> String {
        format!("{}/zenml", self.url)
    }

    /// A fresh access token from `POST /zenml/auth/login`.
    pub fn zenml_token(&self) -> String {
        let (status, body) = http_request_with(
            &self.url,
            "POST",
            "/zenml/auth/login",
            &format!("password={ZENML_KEY}"),
            &[("Content-Type", "application/x-www-form-urlencoded")],
        );
        assert_eq!(status, 200, "login: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        v["access_token"].as_str().unwrap().to_string()
    }

    /// Calls a ZenML endpoint (`path` without `/zenml`) with a fresh token.
    pub fn zenml(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let token = self.zenml_token();
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let (status, text) = http_request_with(
            &self.url,
            method,
            &format!("/zenml{path}"),
            &body,
            &[
                ("Authorization", &format!("Bearer {token}")),
                ("Content-Type", "application/json"),
            ],
        );
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// The role with this UUID, if it exists.
    pub fn zenml_role(&self, id: &str) -> Option<Value> {
        match self.zenml("GET", &format!("/roles/{id}"), None) {
            (200, role) => Some(role),
            (404, _) => None,
            (status, body) => panic!("GET role {id}: {status} {body}"),
        }
    }

    /// The custom (not system-managed) roles of the test organization.
    pub fn zenml_custom_roles(&self) -> Vec<Value> {
        let (status, body) = self.zenml("GET", &format!("/organizations/{ZENML_ORG}/roles"), None);
        assert_eq!(status, 200, "{body}");
        body.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["system_managed"] == false)
            .cloned()
            .collect()
    }

    /// The built-in role of this level and name.
    pub fn zenml_built_in(&self, level: &str, name: &str) -> Value {
        let (status, body) = self.zenml(
            "GET",
            &format!("/organizations/{ZENML_ORG}/roles?level={level}&name={name}"),
            None,
        );
        assert_eq!(status, 200, "{body}");
        body[0].clone()
    }

    /// The ID of the built-in role of this level and name.
    pub fn zenml_built_in_id(&self, level: &str, name: &str) -> String {
        self.zenml_built_in(level, name)["id"]
            .as_str()
            .expect("built-in role ID")
            .to_string()
    }

    /// The assignments of a role.
    pub fn zenml_assignments(&self, role_id: &str) -> Vec<Value> {
        let (status, body) = self.zenml("GET", &format!("/roles/{role_id}/assignments"), None);
        assert_eq!(status, 200, "{body}");
        body.as_array().unwrap().clone()
    }

    /// Invalidates every ZenML access token (their next use gets 401).
    pub fn zenml_revoke_tokens(&self) -> u64 {
        let (status, body) = http_post(&self.url, "/__emulator/zenml/revoke-tokens", "");
        assert_eq!(status, 200, "{body}");
        serde_json::from_str::<Value>(&body).unwrap()["revoked"]
            .as_u64()
            .unwrap()
    }

    /// `POST /__emulator/reset-stats`.
    pub fn reset_stats(&self) {
        let (status, _) = http_post(&self.url, "/__emulator/reset-stats", "");
        assert_eq!(status, 200);
    }
}
