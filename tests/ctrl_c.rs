//! Ctrl-C in the middle of a bulk apply, for every vendor: SIGINT
//! goes to the whole terraform process group, as a terminal sends it. The
//! provider must stay up, Terraform must stop gracefully, every role that
//! exists in the emulator must be in state (not tainted), and a second apply
//! must finish the rest.

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{EmulatorProcess, Workspace, SLASHID_ORG, ZENML_ORG};

const ROLES: usize = 100;
/// SIGINT is sent once this many roles exist in the emulator.
const INTERRUPT_AFTER: usize = 15;

/// One vendor's bulk of `ctrlc-*` roles.
struct Bulk {
    /// Provider block and `ROLES` resources named `ctrlc-<n>`.
    config: String,
    resource_type: &'static str,
    /// The IDs of the `ctrlc-*` roles in the emulator, as in state.
    in_emulator: fn(&EmulatorProcess) -> Vec<String>,
}

fn flashduty() -> Bulk {
    Bulk {
        config: format!(
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
        ),
        resource_type: "rbac_flashduty_role",
        in_emulator: |emu| {
            emu.flashduty_roles()
                .into_iter()
                .filter(|r| r["role_name"].as_str().unwrap_or("").starts_with("ctrlc-"))
                .map(|r| r["role_id"].to_string())
                .collect()
        },
    }
}

fn rootly() -> Bulk {
    Bulk {
        config: format!(
            r#"
provider "rbac" {{
  rootly {{}}
}}

resource "rbac_rootly_on_call_role" "bulk" {{
  count              = {ROLES}
  name               = "ctrlc-${{count.index}}"
  alerts_permissions = ["read"]
}}
"#
        ),
        resource_type: "rbac_rootly_on_call_role",
        in_emulator: |emu| {
            emu.rootly_roles()
                .into_iter()
                .filter(|(_, name)| name.starts_with("ctrlc-"))
                .map(|(id, _)| id)
                .collect()
        },
    }
}

fn zenml() -> Bulk {
    Bulk {
        config: format!(
            r#"
provider "rbac" {{
  zenml {{}}
}}

resource "rbac_zenml_role" "bulk" {{
  count           = {ROLES}
  organization_id = "{ZENML_ORG}"
  level           = "workspace"
  name            = "ctrlc-${{count.index}}"
}}
"#
        ),
        resource_type: "rbac_zenml_role",
        in_emulator: |emu| {
            emu.zenml_custom_roles()
                .into_iter()
                .filter(|r| r["name"].as_str().unwrap_or("").starts_with("ctrlc-"))
                .map(|r| r["id"].as_str().unwrap().to_string())
                .collect()
        },
    }
}

fn slashid() -> Bulk {
    Bulk {
        config: format!(
            r#"
provider "rbac" {{
  slashid {{}}
}}

resource "rbac_slashid_role" "bulk" {{
  count       = {ROLES}
  name        = "ctrlc-${{count.index}}"
  description = "role ${{count.index}} of a bulk apply"
}}
"#
        ),
        resource_type: "rbac_slashid_role",
        in_emulator: |emu| {
            let prefix = format!("{SLASHID_ORG}/ctrlc-");
            emu.slashid_role_names()
                .into_iter()
                .filter(|n| n.starts_with(&prefix))
                .collect()
        },
    }
}

/// The IDs of `bulk`'s roles in state; panics on a duplicate or a tainted
/// instance.
fn in_state(ws: &Workspace, bulk: &Bulk) -> BTreeSet<String> {
    let ids = ws.instance_ids(bulk.resource_type);
    let set: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(set.len(), ids.len(), "an ID twice in state: {ids:?}");
    set
}

/// The IDs of `bulk`'s roles in the emulator; panics on a duplicate.
fn in_emulator(emu: &EmulatorProcess, bulk: &Bulk) -> BTreeSet<String> {
    let ids = (bulk.in_emulator)(emu);
    let set: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(set.len(), ids.len(), "an ID twice in the emulator: {ids:?}");
    set
}

#[test]
fn flashduty_role_ctrl_c_mid_apply_keeps_state_and_resumes() {
    ctrl_c_mid_apply_keeps_state_and_resumes(flashduty());
}

#[test]
fn rootly_on_call_role_ctrl_c_mid_apply_keeps_state_and_resumes() {
    ctrl_c_mid_apply_keeps_state_and_resumes(rootly());
}

#[test]
fn zenml_role_ctrl_c_mid_apply_keeps_state_and_resumes() {
    ctrl_c_mid_apply_keeps_state_and_resumes(zenml());
}

#[test]
fn slashid_role_ctrl_c_mid_apply_keeps_state_and_resumes() {
    ctrl_c_mid_apply_keeps_state_and_resumes(slashid());
}

/// `terraform apply` in its own process group, like a shell job (the
/// provider that terraform starts is in it too, and receives the same
/// SIGINT), interrupted once `ready()` holds. Returns the exit status, the
/// output, and how long terraform took to exit after the signal.
fn apply_interrupted(
    ws: &Workspace,
    ready: impl Fn() -> bool,
) -> (std::process::ExitStatus, String, Duration) {
    run_interrupted(ws, &["apply", "-auto-approve", "-no-color"], ready)
}

/// [`apply_interrupted`] for any terraform command.
fn run_interrupted(
    ws: &Workspace,
    args: &[&str],
    ready: impl Fn() -> bool,
) -> (std::process::ExitStatus, String, Duration) {
    let mut cmd = ws.command(args);
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
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
    while !ready() {
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
    let interrupted = Instant::now();

    // Terraform must exit on its own; the bound only keeps a hang from
    // blocking the suite forever.
    let deadline = Instant::now() + Duration::from_secs(300);
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
    let exited_after = interrupted.elapsed();
    let (stdout, stderr) = (out.join().unwrap(), err.join().unwrap());
    (status, format!("{stdout}\n{stderr}"), exited_after)
}

/// Ctrl-C while the lookup that settles a lost create waits on a
/// stalled server. The lookup is a read: abandoning it loses nothing, so
/// terraform exits within seconds (it took 210 s: every lookup attempt ran
/// its full 30 s), and the error says the role may exist: it is kept in
/// state, pending.
#[test]
fn ctrl_c_cuts_short_the_lookups_of_a_lost_create() {
    let emu = EmulatorProcess::start(&[
        "--rate-limit",
        "off",
        "--fault-delay-ms",
        "120000",
        "--fault-script",
        "POST /flashduty/role/upsert=lost:1",
        // The listing of what was there before the create passes; the
        // lookups after the lost create stall.
        "--fault-script",
        "POST /flashduty/role/list=pass",
        "--fault-script",
        "POST /flashduty/role/list=delay:50",
    ]);
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  flashduty {}\n}\n\nresource \"rbac_flashduty_role\" \"r\" {\n  role_name = \"ctrlc-lost\"\n}\n",
    );
    // The emulator counts a request when it answers: the stalled lookup is
    // not counted yet, so give it a few seconds after the lost create.
    let lost_at = std::cell::Cell::new(None::<Instant>);
    let (status, all, exited_after) = apply_interrupted(&ws, || {
        if lost_at.get().is_none()
            && emu.stats()["endpoints"]["POST /flashduty/role/upsert"]["lost"] == 1
        {
            lost_at.set(Some(Instant::now()));
        }
        lost_at
            .get()
            .is_some_and(|at| at.elapsed() > Duration::from_secs(3))
    });
    assert_ne!(status.code(), Some(0), "{all}");
    assert!(
        exited_after < Duration::from_secs(30),
        "terraform took {exited_after:?} to stop:\n{all}"
    );
    let flat = all.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("\"ctrlc-lost\" may exist: Terraform keeps it in state as tainted"),
        "{all}"
    );
    // Kept pending (tests/unsettled_creates.rs): the next plan settles it.
    let kept = ws.instances("rbac_flashduty_role");
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0]["status"], "tainted", "{}", kept[0]);
    assert_eq!(kept[0]["attributes"]["id"], "", "{}", kept[0]);
}

/// Ctrl-C while SlashID settles a lost create against a stalled server.
/// SlashID's create is sent again to learn its outcome (names are unique: a
/// 409 means the first landed), and once the provider stops, that send is
/// not waited for (it took 27 s: the stalled send ran to its 30 s attempt
/// timeout). Terraform exits as quickly as for the other vendors, and the
/// role is kept in state, pending.
#[test]
fn slashid_ctrl_c_cuts_short_the_resend_of_a_lost_create() {
    let emu = EmulatorProcess::start(&[
        "--rate-limit",
        "off",
        "--fault-delay-ms",
        "120000",
        "--fault-script",
        "POST /slashid/rbac/roles=lost:1",
        "--fault-script",
        "POST /slashid/rbac/roles=delay:50",
    ]);
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  slashid {}\n}\n\nresource \"rbac_slashid_role\" \"r\" {\n  name = \"ctrlc-lost\"\n}\n",
    );
    // The send again follows the lost one after half a second; the emulator
    // counts it only when it answers, so give it a few seconds.
    let lost_at = std::cell::Cell::new(None::<Instant>);
    let (status, all, exited_after) = apply_interrupted(&ws, || {
        if lost_at.get().is_none()
            && emu.stats()["endpoints"]["POST /slashid/rbac/roles"]["lost"] == 1
        {
            lost_at.set(Some(Instant::now()));
        }
        lost_at
            .get()
            .is_some_and(|at| at.elapsed() > Duration::from_secs(3))
    });
    assert_ne!(status.code(), Some(0), "{all}");
    assert!(
        exited_after < Duration::from_secs(3),
        "terraform took {exited_after:?} to stop:\n{all}"
    );
    let flat = all.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("stayed unknown"), "{all}");
    let kept = ws.instances("rbac_slashid_role");
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0]["status"], "tainted", "{}", kept[0]);
}

fn ctrl_c_mid_apply_keeps_state_and_resumes(bulk: Bulk) {
    // Every request takes 200 ms, so 100 roles take many seconds at
    // Terraform's default parallelism of 10: SIGINT lands mid-apply.
    let emu = EmulatorProcess::start(&["--latency-ms", "200"]);
    let ws = Workspace::new(&emu);
    ws.config(&bulk.config);

    let (status, all, _) =
        apply_interrupted(&ws, || in_emulator(&emu, &bulk).len() >= INTERRUPT_AFTER);
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
    let created = in_emulator(&emu, &bulk);
    assert!(
        created.len() >= INTERRUPT_AFTER && created.len() < ROLES,
        "{} roles created; the interrupt did not land mid-apply:\n{all}",
        created.len()
    );
    assert_eq!(
        in_state(&ws, &bulk),
        created,
        "state differs from the emulator"
    );

    // A second apply creates the rest, and nothing else, without errors.
    let second = ws.apply();
    let summary = format!("{} added, 0 changed, 0 destroyed", ROLES - created.len());
    assert!(second.stdout.contains(&summary), "{}", second.stdout);
    let all_roles = in_emulator(&emu, &bulk);
    assert_eq!(all_roles.len(), ROLES);
    assert_eq!(in_state(&ws, &bulk), all_roles);
    ws.assert_no_changes();
}

/// Ctrl-C during `terraform plan` while a read is refused with 429 again
/// and again (the account's budget spent elsewhere): 429s are retried for
/// a while, but not once Terraform stops the provider, so it exits at once.
/// (`terraform apply` does not stop the provider while it plans: there the
/// retries end after about 90 s.)
#[test]
fn ctrl_c_during_endless_429s_stops_at_once() {
    let emu = EmulatorProcess::start(&[
        "--rate-limit",
        "off",
        "--fault-script",
        "POST /flashduty/role/list=429:100000",
    ]);
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  flashduty {}\n}\n\ndata \"rbac_flashduty_role\" \"admin\" {\n  role_name = \"Admin\"\n}\n",
    );
    let throttled = || {
        emu.stats()["endpoints"]["POST /flashduty/role/list"]["429"]
            .as_u64()
            .unwrap_or(0)
            >= 3
    };
    let (status, all, exited_after) = run_interrupted(&ws, &["plan", "-no-color"], throttled);
    assert!(!status.success(), "{all}");
    assert!(
        exited_after < Duration::from_secs(10),
        "{exited_after:?}: {all}"
    );
}

/// Ctrl-C while many ZenML creates wait for the session's login, and the
/// login stalls. The creates have sent nothing: once Terraform stops the
/// provider, no new login goes out for them (each used to send its own in
/// turn and wait a second for it: 40 s for 40 creates), and nothing was
/// created.
#[test]
fn ctrl_c_sends_no_login_for_creates_that_wait_for_one() {
    let emu = EmulatorProcess::start(&[
        "--fault-delay-ms",
        "120000",
        "--fault-script",
        "POST /zenml/auth/login=delay:1000",
    ]);
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        r#"
provider "rbac" {{
  zenml {{}}
}}

resource "rbac_zenml_role" "waiting" {{
  count           = 20
  organization_id = "{ZENML_ORG}"
  level           = "workspace"
  name            = "ctrlc-login-${{count.index}}"
}}
"#
    ));
    let logins = || {
        emu.stats()["endpoints"]["POST /zenml/auth/login"]
            .as_object()
            .map(|by_status| by_status.values().filter_map(|n| n.as_u64()).sum::<u64>())
            .unwrap_or(0)
    };
    // The stalled login is counted once abandoned; the apply is under way
    // once the provider has had time to send it.
    let started = Instant::now();
    let (status, all, _) = run_interrupted(
        &ws,
        &["apply", "-auto-approve", "-parallelism=20", "-no-color"],
        || started.elapsed() > Duration::from_secs(5),
    );
    assert!(!status.success(), "{all}");
    std::thread::sleep(Duration::from_millis(500));
    assert!(logins() <= 1, "logins sent: {}\n{all}", emu.stats());
    emu.set_faults(serde_json::json!({"script": []}));
    assert!(emu.zenml_custom_roles().is_empty(), "{all}");
}
