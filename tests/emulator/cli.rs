//! The `rbac-emulator` binary and the `--state` file.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::json;
use terraform_provider_rbac::emulator::EmulatorConfig;

use crate::common::{client, config, decode, Fd, KEY};

const BIN: &str = env!("CARGO_BIN_EXE_rbac-emulator");

/// Kills the child on drop, so a failing test leaves no process behind.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn emulator_cli_prints_its_url_first_and_serves() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let mut child = Child(
        Command::new(BIN)
            .args([
                "--listen",
                "127.0.0.1:0",
                "--rate-limit",
                "off",
                "--seed",
                "5",
            ])
            .arg("--state")
            .arg(&state)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let url = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line.trim_end().to_string()
    })
    .await
    .unwrap();
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("first line is not the URL: {url:?}"))
        .parse()
        .unwrap();
    assert_ne!(port, 0);
    let r = client()
        .post(format!("{url}/flashduty/role/upsert?app_key={KEY}"))
        .json(&json!({"role_name": "from the CLI"}))
        .send()
        .await
        .unwrap();
    assert_eq!(decode(r).await.unwrap().data()["role_id"], 4001);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert!(saved["flashduty"]["roles"]["4001"].is_object(), "{saved:#}");
}

#[test]
fn emulator_cli_refuses_non_loopback() {
    let out = Command::new(BIN)
        .args(["--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("loopback"), "{err}");
    let out = Command::new(BIN)
        .args(["--faults", "418"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[tokio::test]
async fn emulator_state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = EmulatorConfig {
        state_file: Some(dir.path().join("nested.json")),
        ..config()
    };
    let fd = Fd::with(cfg.clone()).await;
    let a = fd.create("Persisted", &[501, 502]).await;
    let b = fd.create("Deleted", &[]).await;
    fd.post("/role/disable", json!({"role_id": a})).await.data();
    fd.post("/role/delete", json!({"role_id": b})).await.data();
    let before = fd.info(a).await.data().clone();
    fd.emu.shutdown().await.unwrap();

    let again = Fd::with(cfg).await;
    assert_eq!(again.info(a).await.data(), &before);
    assert_eq!(before["status"], "disabled");
    again.info(b).await.err(400, "ResourceNotFound");
    // Deleted IDs stay used after a restart.
    assert_eq!(again.create("After restart", &[]).await, 4003);
    // Written via a temp file and rename: nothing else is left behind.
    let files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files, vec![std::ffi::OsString::from("nested.json")]);
}

#[tokio::test]
async fn emulator_state_file_that_does_not_parse_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    std::fs::write(&path, "{not json").unwrap();
    let err = terraform_provider_rbac::emulator::start(EmulatorConfig {
        state_file: Some(path),
        ..config()
    })
    .await
    .err()
    .expect("a corrupt state file must not be overwritten");
    assert!(format!("{err:#}").contains("bad.json"), "{err:#}");
}

#[tokio::test]
async fn emulator_state_file_in_a_missing_directory_fails_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let err = terraform_provider_rbac::emulator::start(EmulatorConfig {
        state_file: Some(dir.path().join("missing/state.json")),
        ..config()
    })
    .await
    .err()
    .expect("an unwritable state file must fail at start");
    assert!(format!("{err:#}").contains("state.json"), "{err:#}");
}
