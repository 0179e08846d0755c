//! Unreachable or stalled vendor APIs, through the real terraform CLI:
//! a `base_url` at a closed port fails within seconds
//! and names the host and port; a server that accepts connections and never
//! answers is bounded by the `timeouts` block, and the error says which
//! operation timed out, after how long, where, and how to allow more time.
//!
//! Elapsed-time bounds are generous (a busy 2-core machine): what they
//! catch is minutes of retries, as before (Rootly 42 s at a closed port,
//! 124–327 s against a stalled server).

mod common;

use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use common::{EmulatorProcess, Run, Workspace, FLASHDUTY_KEY, ZENML_ORG};

/// One vendor: its provider block, the variable that points it elsewhere,
/// and a data source and a resource that each need one API call.
struct Vendor {
    block: &'static str,
    base_url_env: &'static str,
    prefix: &'static str,
    data_source: &'static str,
    resource: String,
}

fn flashduty() -> Vendor {
    Vendor {
        block: "flashduty",
        base_url_env: "FLASHDUTY_BASE_URL",
        prefix: "/flashduty",
        data_source: r#"data "rbac_flashduty_role" "admin" {
  role_name = "Admin"
  TIMEOUTS
}"#,
        resource: r#"resource "rbac_flashduty_role" "r" {
  role_name = "Stalled"
  TIMEOUTS
}"#
        .into(),
    }
}

fn rootly() -> Vendor {
    Vendor {
        block: "rootly",
        base_url_env: "ROOTLY_BASE_URL",
        prefix: "/rootly",
        data_source: r#"data "rbac_rootly_on_call_roles" "all" {
  TIMEOUTS
}"#,
        resource: r#"resource "rbac_rootly_on_call_role" "r" {
  name = "Stalled"
  TIMEOUTS
}"#
        .into(),
    }
}

fn slashid() -> Vendor {
    Vendor {
        block: "slashid",
        base_url_env: "SLASHID_BASE_URL",
        prefix: "/slashid",
        data_source: r#"data "rbac_slashid_roles" "all" {
  TIMEOUTS
}"#,
        resource: r#"resource "rbac_slashid_permission" "p" {
  name = "stalled.read"
  TIMEOUTS
}"#
        .into(),
    }
}

fn zenml() -> Vendor {
    Vendor {
        block: "zenml",
        base_url_env: "ZENML_PRO_URL",
        prefix: "/zenml",
        data_source: r#"data "rbac_zenml_roles" "all" {
  organization_id = "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30"
  TIMEOUTS
}"#,
        resource: format!(
            r#"resource "rbac_zenml_role" "r" {{
  organization_id = "{ZENML_ORG}"
  name            = "Stalled"
  level           = "workspace"
  TIMEOUTS
}}"#
        ),
    }
}

/// A loopback port where nothing listens.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server that accepts every connection and never answers (nor closes).
/// Its thread and sockets live until the test process ends.
fn stalled_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held: Vec<TcpStream> = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

/// A workspace whose `vendor` points at `127.0.0.1:port`, configured with
/// `body` (its TIMEOUTS placeholder replaced by `timeouts`).
fn workspace(
    emu: &EmulatorProcess,
    vendor: &Vendor,
    port: u16,
    body: &str,
    timeouts: &str,
) -> Workspace {
    let mut ws = Workspace::new(emu);
    ws.env(
        vendor.base_url_env,
        &format!("http://127.0.0.1:{port}{}", vendor.prefix),
    );
    let body = body.replace("TIMEOUTS", timeouts);
    ws.config(&format!(
        "provider \"rbac\" {{\n  {} {{}}\n}}\n\n{body}\n",
        vendor.block
    ));
    ws
}

/// Runs terraform and returns what it printed (whitespace squashed, since
/// terraform wraps diagnostics) and how long it took.
fn timed(ws: &Workspace, args: &[&str]) -> (Run, String, Duration) {
    let start = Instant::now();
    let run = ws.run(args);
    let elapsed = start.elapsed();
    let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    (run, out, elapsed)
}

fn refused_connection_fails_fast_and_names_the_host(vendor: Vendor) {
    let emu = EmulatorProcess::start(&[]);
    let port = closed_port();
    let ws = workspace(&emu, &vendor, port, vendor.data_source, "");
    let (run, out, elapsed) = timed(&ws, &["plan", "-no-color"]);
    assert_ne!(run.status, 0, "{out}");
    assert!(
        out.contains(&format!("cannot connect to http://127.0.0.1:{port}"))
            && out.contains(&format!("http://127.0.0.1:{port}{}/", vendor.prefix)),
        "the error names scheme, host and port: {out}"
    );
    assert!(!out.contains(FLASHDUTY_KEY), "secret in the output: {out}");
    assert!(
        elapsed < Duration::from_secs(12),
        "{}: a closed port took {elapsed:?}",
        vendor.block
    );
}

#[test]
fn flashduty_closed_port_fails_fast_naming_host_and_port() {
    refused_connection_fails_fast_and_names_the_host(flashduty());
}

#[test]
fn rootly_closed_port_fails_fast_naming_host_and_port() {
    refused_connection_fails_fast_and_names_the_host(rootly());
}

#[test]
fn slashid_closed_port_fails_fast_naming_host_and_port() {
    refused_connection_fails_fast_and_names_the_host(slashid());
}

#[test]
fn zenml_closed_port_fails_fast_naming_host_and_port() {
    refused_connection_fails_fast_and_names_the_host(zenml());
}

/// `op` of `body` against a server that never answers, with
/// `timeouts { op = "10s" }`, fails in about 10 s with an error naming the
/// operation, the time, the host and the setting to raise.
fn stalled_server_respects_timeouts(vendor: &Vendor, body: &str, op: &str, args: &[&str]) {
    let emu = EmulatorProcess::start(&[]);
    let port = stalled_server();
    let timeouts = format!("timeouts {{\n    {op} = \"10s\"\n  }}");
    let ws = workspace(&emu, vendor, port, body, &timeouts);
    let (run, out, elapsed) = timed(&ws, args);
    assert_ne!(run.status, 0, "{out}");
    assert!(
        out.contains(&format!("http://127.0.0.1:{port}{}/", vendor.prefix))
            && out.contains(&format!("the {op} timed out after 10s"))
            && out.contains(&format!("timeouts {{ {op} = \"1m\" }}")),
        "{}: {out}",
        vendor.block
    );
    assert!(
        elapsed > Duration::from_secs(9) && elapsed < Duration::from_secs(30),
        "{}: the {op} took {elapsed:?}",
        vendor.block
    );
}

fn stalled_data_source_and_resource(vendor: Vendor) {
    stalled_server_respects_timeouts(&vendor, vendor.data_source, "read", &["plan", "-no-color"]);
    let apply = ["apply", "-auto-approve", "-no-color"];
    stalled_server_respects_timeouts(&vendor, &vendor.resource, "create", &apply);
}

#[test]
fn flashduty_stalled_server_respects_timeouts() {
    stalled_data_source_and_resource(flashduty());
}

#[test]
fn rootly_stalled_server_respects_timeouts() {
    stalled_data_source_and_resource(rootly());
}

#[test]
fn slashid_stalled_server_respects_timeouts() {
    stalled_data_source_and_resource(slashid());
}

#[test]
fn zenml_stalled_server_respects_timeouts() {
    stalled_data_source_and_resource(zenml());
}

/// A bad duration fails `terraform validate`, naming the attribute, on a
/// resource and on a data source of every vendor.
#[test]
fn bad_durations_fail_validate_naming_the_attribute() {
    let emu = EmulatorProcess::start(&[]);
    let vendors = [flashduty(), rootly(), slashid(), zenml()];
    let mut body = String::new();
    for v in &vendors {
        body.push_str(
            &v.data_source
                .replace("TIMEOUTS", "timeouts { read = \"10 minutes\" }"),
        );
        body.push('\n');
        body.push_str(
            &v.resource
                .replace("TIMEOUTS", "timeouts { delete = \"5d\" }"),
        );
        body.push('\n');
    }
    // Resources and data sources on the framework's generic adapters too.
    body.push_str(
        r#"resource "rbac_flashduty_member_roles" "m" {
  member_id = 1
  role_ids  = [2]
  timeouts { update = "soon" }
}
data "rbac_rootly_users" "all" {
  timeouts { read = "-1m" }
}
"#,
    );
    let ws = Workspace::new(&emu);
    ws.config(&body);
    let (run, out, _) = timed(&ws, &["validate", "-no-color"]);
    assert_ne!(run.status, 0, "{out}");
    assert_eq!(
        out.matches("Invalid value for timeouts.read").count(),
        vendors.len() + 1,
        "{out}"
    );
    assert!(
        out.contains("Invalid value for timeouts.update")
            && out.contains("\"-1m\" is not a positive duration"),
        "{out}"
    );
    assert_eq!(
        out.matches("Invalid value for timeouts.delete").count(),
        vendors.len(),
        "{out}"
    );
    assert!(
        out.contains("\"10 minutes\" is not a duration") && out.contains("\"1h30m\""),
        "{out}"
    );
}

/// While it waits to retry, the provider says so at INFO: `TF_LOG=info`
/// shows progress instead of silence.
#[test]
fn retries_show_progress_at_info() {
    let emu = EmulatorProcess::start(&["--fault-rate", "1", "--faults", "503"]);
    let mut ws = workspace(
        &emu,
        &flashduty(),
        0,
        flashduty().data_source,
        "timeouts { read = \"4s\" }",
    );
    ws.env("FLASHDUTY_BASE_URL", &emu.flashduty_url());
    ws.env("TF_LOG", "info");
    let (run, out, _) = timed(&ws, &["plan", "-no-color"]);
    assert_ne!(run.status, 0, "{out}");
    let host = emu.url.trim_start_matches("http://");
    let retry = run
        .stderr
        .lines()
        .find(|l| l.contains("retrying in") && l.contains("(attempt 2 of 6)"))
        .unwrap_or_else(|| panic!("no INFO retry line: {}", run.stderr));
    assert!(retry.contains("[INFO]") && retry.contains(host), "{retry}");
}

/// `https://` to a server that speaks plain HTTP (here the emulator): the
/// TLS handshake fails. The error says so, names the host and port, gives
/// advice true for it (not "check that the server is up": it answered) and
/// comes at once (a handshake that failed fails again).
fn tls_failure_is_named_and_not_retried(vendor: Vendor) {
    let emu = EmulatorProcess::start(&[]);
    let port: u16 = emu.url.rsplit(':').next().unwrap().parse().unwrap();
    let mut ws = workspace(&emu, &vendor, port, vendor.data_source, "");
    ws.env(
        vendor.base_url_env,
        &format!("https://127.0.0.1:{port}{}", vendor.prefix),
    );
    let (run, out, elapsed) = timed(&ws, &["plan", "-no-color"]);
    assert_ne!(run.status, 0, "{out}");
    assert!(
        out.contains(&format!(
            "TLS handshake with https://127.0.0.1:{port} failed"
        )),
        "{out}"
    );
    assert!(
        out.contains("scheme") && out.contains("certificate"),
        "{out}"
    );
    assert!(!out.contains("that the server is up"), "{out}");
    assert!(
        !out.contains("attempts"),
        "a TLS failure is not retried: {out}"
    );
    assert!(
        elapsed < Duration::from_secs(8),
        "{}: {elapsed:?}",
        vendor.block
    );
}

#[test]
fn flashduty_tls_failure_is_named_and_not_retried() {
    tls_failure_is_named_and_not_retried(flashduty());
}

#[test]
fn rootly_tls_failure_is_named_and_not_retried() {
    tls_failure_is_named_and_not_retried(rootly());
}

#[test]
fn slashid_tls_failure_is_named_and_not_retried() {
    tls_failure_is_named_and_not_retried(slashid());
}

#[test]
fn zenml_tls_failure_is_named_and_not_retried() {
    tls_failure_is_named_and_not_retried(zenml());
}
