//! Ctrl-C in the middle of a bulk apply (issue 7): SIGINT goes to the whole
//! terraform process group, as a terminal sends it. The provider must stay
//! up, Terraform must stop gracefully, every role that exists in the emulator
//! must be in state (not tainted), and a second apply must finish the rest.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Emulator, Workspace};
use serde_json::Value;

const ROLES: usize = 100;
/// SIGINT is sent once this many roles exist in the emulator.
const INTERRUPT_AFTER: usize = 15;

fn config() -> String {
    format!(
        r#"
provider "rbac" {{
  flashduty {{}}
}}

resource "rbac_flashduty_role" "bulk" {{
  count          = {ROLES}
  role_name      = "ctrlc-${{count.index}}"
  description    = "role ${{count.index}} of a bulk apply"
  permission_ids = [501]
}}
"#
    )
}

/// `ctrlc-*` role name -> role ID, as the emulator has them.
fn emulator_roles(emu: &Emulator) -> BTreeMap<String, String> {
    emu.flashduty_roles()
        .into_iter()
        .filter_map(|r| {
            let name = r["role_name"].as_str()?.to_string();
            name.starts_with("ctrlc-")
                .then(|| (name, r["role_id"].to_string()))
        })
        .collect()
}

/// Role name -> ID in Terraform's state; panics on a tainted instance.
fn state_roles(ws: &Workspace) -> BTreeMap<String, String> {
    let run = ws.ok(&["state", "pull"]);
    let state: Value = serde_json::from_str(&run.stdout).expect("state JSON");
    let mut roles = BTreeMap::new();
    for resource in state["resources"].as_array().into_iter().flatten() {
        for instance in resource["instances"].as_array().into_iter().flatten() {
            assert_ne!(
                instance["status"], "tainted",
                "a created role was returned with an error: {instance}"
            );
            let attrs = &instance["attributes"];
            let name = attrs["role_name"].as_str().unwrap().to_string();
            let id = attrs["id"].as_str().unwrap().to_string();
            assert!(
                roles.insert(name.clone(), id).is_none(),
                "{name} twice in state"
            );
        }
    }
    roles
}

#[test]
fn flashduty_role_ctrl_c_mid_apply_keeps_state_and_resumes() {
    // Every request takes 200 ms, so 100 roles take many seconds at
    // Terraform's default parallelism of 10: SIGINT lands mid-apply.
    let emu = Emulator::start(&["--latency-ms", "200"]);
    let ws = Workspace::new(&emu);
    ws.config(&config());

    let mut cmd = ws.command(&["apply", "-auto-approve", "-no-color"]);
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, like a shell job: the provider that
        // terraform starts is in it too, and receives the same SIGINT.
        .process_group(0);
    let mut child = cmd.spawn().expect("start terraform apply");
    let pgid = child.id() as i32;
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).ok();
        s
    });

    // Wait (bounded) until the apply is under way, then press Ctrl-C.
    let deadline = Instant::now() + Duration::from_secs(120);
    while emulator_roles(&emu).len() < INTERRUPT_AFTER {
        assert!(
            Instant::now() < deadline,
            "the apply never got going: {:?}",
            child.try_wait()
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "terraform exited before the interrupt"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: plain kill(2) on the process group we created.
    assert_eq!(unsafe { libc::kill(-pgid, libc::SIGINT) }, 0);

    // Terraform must exit on its own; the bound only keeps a hang from
    // blocking the suite forever.
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            // SAFETY: as above.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
            panic!("terraform did not stop after SIGINT");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (stdout, stderr) = (out.join().unwrap(), err.join().unwrap());
    let all = format!("{stdout}\n{stderr}");
    assert_ne!(
        status.code(),
        Some(0),
        "the apply was not interrupted:\n{all}"
    );
    assert!(
        all.contains("Interrupt received") && all.contains("Gracefully shutting down"),
        "terraform did not shut down gracefully:\n{all}"
    );
    // What Terraform says when the provider's server went away (tf-provider
    // shuts it down on StopProvider: later calls are cancelled), or the
    // provider died.
    for broken in [
        "Request cancelled",
        "Plugin did not respond",
        "plugin exited",
        "rpc error",
        "transport is closing",
        "connection refused",
    ] {
        assert!(!all.contains(broken), "{broken:?} in the output:\n{all}");
    }

    // Every role that exists is in state, with the emulator's ID.
    let created = emulator_roles(&emu);
    assert!(
        created.len() >= INTERRUPT_AFTER && created.len() < ROLES,
        "{} roles created; the interrupt did not land mid-apply:\n{all}",
        created.len()
    );
    assert_eq!(state_roles(&ws), created, "state differs from the emulator");

    // A second apply creates the rest, and nothing else, without errors.
    let second = ws.apply();
    let summary = format!("{} added, 0 changed, 0 destroyed", ROLES - created.len());
    assert!(second.stdout.contains(&summary), "{}", second.stdout);
    let all_roles = emulator_roles(&emu);
    assert_eq!(all_roles.len(), ROLES);
    assert_eq!(state_roles(&ws), all_roles);
    ws.assert_no_changes();
}
