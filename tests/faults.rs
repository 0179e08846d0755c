//! Fault injection through the real terraform CLI: with the
//! emulator failing 10% of requests (429 with Retry-After, 500, 503,
//! connection resets, responses lost after the write was applied, 2 s
//! stalls) under a fixed seed, a 200-role apply per vendor converges with no
//! error surfaced to Terraform, no duplicate role, no role that Terraform
//! does not know of, and a clean re-plan.

mod common;

use std::collections::{BTreeSet, HashMap};

use common::{EmulatorProcess, Workspace, SLASHID_ORG, ZENML_ORG};

const ROLES: usize = 200;

fn faulty_emulator() -> EmulatorProcess {
    EmulatorProcess::start(&[
        "--fault-rate",
        "0.1",
        "--faults",
        "429,500,503,reset,lost,delay",
        "--fault-delay-ms",
        "2000",
        "--seed",
        "20261123",
    ])
}

/// Asserts what a user checks after a bulk apply through faults: the apply
/// succeeded, every emulator role with our prefix is in state exactly once,
/// and the next plan is clean.
fn assert_converged(ws: &Workspace, emulator_roles: &[(String, String)], in_state: &[String]) {
    let mut per_name: HashMap<&str, usize> = HashMap::new();
    for (_, name) in emulator_roles {
        *per_name.entry(name).or_default() += 1;
    }
    let duplicates: Vec<_> = per_name.iter().filter(|(_, n)| **n > 1).collect();
    assert!(duplicates.is_empty(), "duplicate roles: {duplicates:?}");
    assert_eq!(emulator_roles.len(), ROLES, "roles in the emulator");
    let emulator_ids: BTreeSet<&str> = emulator_roles.iter().map(|(id, _)| id.as_str()).collect();
    let state_ids: BTreeSet<&str> = in_state.iter().map(String::as_str).collect();
    assert_eq!(emulator_ids, state_ids, "emulator roles and state differ");
    ws.assert_no_changes();
}

/// `terraform apply` succeeds through the faults and adds `count` objects;
/// then the faults stop, so that checking the emulator gets real answers.
fn apply_through_faults(ws: &Workspace, emu: &EmulatorProcess, count: usize) {
    let run = ws.apply();
    assert!(
        run.stdout.contains(&format!("{count} added")),
        "{}",
        run.stdout
    );
    emu.set_faults(serde_json::json!({"rate": 0}));
}

#[test]
fn flashduty_200_roles_converge_under_faults() {
    let emu = faulty_emulator();
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        r#"provider "rbac" {{
  flashduty {{}}
}}

resource "rbac_flashduty_role" "bulk" {{
  count       = {ROLES}
  role_name   = "Fault ${{count.index}}"
  description = "created through injected faults"
}}
"#
    ));
    apply_through_faults(&ws, &emu, ROLES);
    let roles: Vec<(String, String)> = emu
        .flashduty_roles()
        .into_iter()
        .filter(|r| {
            r["role_name"]
                .as_str()
                .is_some_and(|n| n.starts_with("Fault "))
        })
        .map(|r| {
            (
                r["role_id"].to_string(),
                r["role_name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_converged(&ws, &roles, &ws.instance_ids("rbac_flashduty_role"));
    assert_lost_creates(&emu, "POST /flashduty/role/upsert");
}

/// The run really lost create responses after the server applied them.
fn assert_lost_creates(emu: &EmulatorProcess, endpoint: &str) {
    let stats = emu.stats();
    let lost = stats["endpoints"][endpoint]["lost"].as_u64().unwrap_or(0);
    assert!(lost > 0, "no create lost its response: {stats}");
}

#[test]
fn rootly_200_roles_converge_under_faults() {
    let emu = faulty_emulator();
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        r#"provider "rbac" {{
  rootly {{}}
}}

resource "rbac_rootly_on_call_role" "bulk" {{
  count              = {ROLES}
  name               = "Fault ${{count.index}}"
  alerts_permissions = ["read"]
}}
"#
    ));
    apply_through_faults(&ws, &emu, ROLES);
    let roles: Vec<_> = emu
        .rootly_roles()
        .into_iter()
        .filter(|(_, name)| name.starts_with("Fault "))
        .collect();
    assert_converged(&ws, &roles, &ws.instance_ids("rbac_rootly_on_call_role"));
    assert_lost_creates(&emu, "POST /rootly/v1/on_call_roles");
}

#[test]
fn zenml_200_roles_converge_under_faults() {
    let emu = faulty_emulator();
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        r#"provider "rbac" {{
  zenml {{}}
}}

resource "rbac_zenml_role" "bulk" {{
  count           = {ROLES}
  organization_id = "{ZENML_ORG}"
  level           = "workspace"
  name            = "Fault ${{count.index}}"
  description     = "created through injected faults"
}}
"#
    ));
    apply_through_faults(&ws, &emu, ROLES);
    assert_lost_creates(&emu, "POST /zenml/roles");
    let roles: Vec<(String, String)> = emu
        .zenml_custom_roles()
        .into_iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_converged(&ws, &roles, &ws.instance_ids("rbac_zenml_role"));
}

#[test]
fn slashid_200_roles_converge_under_faults() {
    let emu = faulty_emulator();
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        r#"provider "rbac" {{
  slashid {{}}
}}

resource "rbac_slashid_permission" "read" {{
  name = "faults.read"
}}

resource "rbac_slashid_role" "bulk" {{
  count       = {ROLES}
  name        = "fault-${{count.index}}"
  description = "created through injected faults"
  permissions = [rbac_slashid_permission.read.name]
}}
"#
    ));
    apply_through_faults(&ws, &emu, ROLES + 1);
    let prefix = format!("{SLASHID_ORG}/fault-");
    // SlashID lists names only: the name is the role's identity.
    let roles: Vec<(String, String)> = emu
        .slashid_role_names()
        .into_iter()
        .filter(|n| n.starts_with(&prefix))
        .map(|n| (n.clone(), n))
        .collect();
    assert_converged(&ws, &roles, &ws.instance_ids("rbac_slashid_role"));
    assert_lost_creates(&emu, "POST /slashid/rbac/roles");
}

/// Every answer malformed (a proxy's HTML error page, truncated JSON, an
/// empty body), for each vendor: Terraform shows a clear error naming the
/// request and its ID, never a panic or a backtrace. (An HTML page comes
/// with a 502, which is retried with backoff first: Rootly's 8 retries take
/// about a minute.)
/// Per vendor: the provider block, the configuration of one data source,
/// and the part of the request path that its diagnostic must name.
fn reads() -> [(&'static str, String, &'static str); 4] {
    [
        (
            "flashduty {}",
            r#"data "rbac_flashduty_role" "admin" {
  role_name = "Account Admin"
}"#
            .into(),
            "/flashduty/role/",
        ),
        (
            "rootly {}",
            r#"data "rbac_rootly_on_call_roles" "all" {}"#.into(),
            "/rootly/v1/on_call_roles",
        ),
        (
            "zenml {}",
            format!(
                r#"data "rbac_zenml_roles" "all" {{
  organization_id = "{ZENML_ORG}"
}}"#
            ),
            // The token exchange is the first request, and fails first.
            "/zenml/",
        ),
        (
            "slashid {}",
            r#"data "rbac_slashid_roles" "all" {}"#.into(),
            "/slashid/rbac/roles",
        ),
    ]
}

#[test]
fn malformed_answers_are_clear_diagnostics() {
    let reads = reads();
    // Each read retries with backoff before it gives up: run them at once.
    let emulators: Vec<(&str, EmulatorProcess)> = ["html", "truncated", "empty", "types"]
        .into_iter()
        .map(|kind| {
            let emu = EmulatorProcess::start(&[
                "--rate-limit",
                "off",
                "--fault-rate",
                "1",
                "--faults",
                kind,
            ]);
            (kind, emu)
        })
        .collect();
    std::thread::scope(|scope| {
        for (kind, emu) in &emulators {
            for (block, data, path) in &reads {
                scope.spawn(move || {
                    let ws = Workspace::new(emu);
                    ws.config(&format!("provider \"rbac\" {{\n  {block}\n}}\n\n{data}\n"));
                    let run = ws.run(&["plan", "-no-color"]);
                    assert_ne!(run.status, 0, "{kind} {path}: {}", run.all());
                    let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
                    assert!(out.contains(path), "{kind}: {out}");
                    assert!(
                        out.to_lowercase().contains("request id"),
                        "{kind} {path}: {out}"
                    );
                    for bad in ["panicked", "backtrace", "RUST_BACKTRACE"] {
                        assert!(!out.contains(bad), "{kind} {path}: {out}");
                    }
                });
            }
        }
    });
}

#[test]
fn a_read_that_keeps_failing_says_how_often_it_was_tried() {
    // Every request answers 503: each vendor's read is tried 4 to 6 times
    // (per vendor) and then fails with the vendor's answer, saying that it
    // was not a one-off. No more: a user whose vendor is down waits seconds
    // per plan, not minutes.
    let emu = EmulatorProcess::start(&[
        "--rate-limit",
        "off",
        "--fault-rate",
        "1",
        "--faults",
        "503",
    ]);
    let reads = reads();
    std::thread::scope(|scope| {
        for (block, data, path) in &reads {
            let emu = &emu;
            scope.spawn(move || {
                let ws = Workspace::new(emu);
                ws.config(&format!("provider \"rbac\" {{\n  {block}\n}}\n\n{data}\n"));
                let run = ws.run(&["plan", "-no-color"]);
                assert_ne!(run.status, 0, "{path}: {}", run.all());
                let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(out.contains(path), "{out}");
                assert!(out.contains("HTTP 503"), "{path}: {out}");
                let attempts: u32 = out
                    .split_once("after ")
                    .and_then(|(_, rest)| rest.split_once(" attempts)"))
                    .and_then(|(n, _)| n.parse().ok())
                    .unwrap_or_else(|| panic!("{path}: no attempt count: {out}"));
                assert!((2..=6).contains(&attempts), "{path}: {out}");
            });
        }
    });
}

/// A create whose answer is lost, then a lookup that fails
/// several times in a row (a garbled listing), for each vendor: the apply
/// succeeds with exactly one role, in state, and a clean re-plan; no
/// duplicate (a create sent again) and no orphan (a create given up).
fn lost_create_then_failing_lookups(
    resource_type: &str,
    script: &[String],
    config: &str,
    named: impl Fn(&EmulatorProcess) -> Vec<String>,
) {
    let mut flags = vec!["--rate-limit".to_string(), "off".to_string()];
    for spec in script {
        flags.push("--fault-script".into());
        flags.push(spec.clone());
    }
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let emu = EmulatorProcess::start(&flags);
    let ws = Workspace::new(&emu);
    ws.config(config);
    ws.apply();
    emu.set_faults(serde_json::json!({"script": []}));
    let ids = named(&emu);
    assert_eq!(ids.len(), 1, "one role, no duplicate: {ids:?}");
    let state_ids = ws.instance_ids(resource_type);
    assert_eq!(state_ids, ids, "state and emulator differ");
    ws.assert_no_changes();
    let stats = emu.stats();
    let injected: u64 = stats["faults_injected"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert!(
        injected >= 4,
        "the scripted faults were not all hit: {stats}"
    );
}

#[test]
fn flashduty_lost_create_then_failing_lookups_leave_one_role() {
    lost_create_then_failing_lookups(
        "rbac_flashduty_role",
        &[
            "POST /flashduty/role/upsert=lost".into(),
            "POST /flashduty/role/list=truncated:3".into(),
        ],
        "provider \"rbac\" {\n  flashduty {}\n}\nresource \"rbac_flashduty_role\" \"one\" {\n  role_name = \"Lookup Faults\"\n}\n",
        |emu| {
            emu.flashduty_roles()
                .into_iter()
                .filter(|r| r["role_name"] == "Lookup Faults")
                .map(|r| r["role_id"].to_string())
                .collect()
        },
    );
}

#[test]
fn rootly_lost_create_then_failing_lookups_leave_one_role() {
    lost_create_then_failing_lookups(
        "rbac_rootly_on_call_role",
        &[
            "POST /rootly/v1/on_call_roles=lost".into(),
            "GET /rootly/v1/on_call_roles=truncated:3".into(),
        ],
        "provider \"rbac\" {\n  rootly {}\n}\nresource \"rbac_rootly_on_call_role\" \"one\" {\n  name = \"Lookup Faults\"\n  alerts_permissions = [\"read\"]\n}\n",
        |emu| {
            emu.rootly_roles()
                .into_iter()
                .filter(|(_, name)| name == "Lookup Faults")
                .map(|(id, _)| id)
                .collect()
        },
    );
}

#[test]
fn zenml_lost_create_then_failing_lookups_leave_one_role() {
    lost_create_then_failing_lookups(
        "rbac_zenml_role",
        &[
            "POST /zenml/roles=lost".into(),
            format!("GET /zenml/organizations/{ZENML_ORG}/roles=truncated:3"),
        ],
        &format!(
            "provider \"rbac\" {{\n  zenml {{}}\n}}\nresource \"rbac_zenml_role\" \"one\" {{\n  organization_id = \"{ZENML_ORG}\"\n  \
             level = \"workspace\"\n  name = \"Lookup Faults\"\n}}\n"
        ),
        |emu| {
            emu.zenml_custom_roles()
                .into_iter()
                .filter(|r| r["name"] == "Lookup Faults")
                .map(|r| r["id"].as_str().unwrap().to_string())
                .collect()
        },
    );
}

#[test]
fn slashid_lost_create_then_failing_resends_leave_one_role() {
    // SlashID names are unique, so an unconfirmed create is settled by
    // sending it again (a 409 then means the first landed); here the resends
    // fail three times in a row first.
    lost_create_then_failing_lookups(
        "rbac_slashid_role",
        &[
            "POST /slashid/rbac/roles=lost".into(),
            "POST /slashid/rbac/roles=503:3".into(),
        ],
        "provider \"rbac\" {\n  slashid {}\n}\nresource \"rbac_slashid_role\" \"one\" {\n  name = \"lookup-faults\"\n}\n",
        |emu| {
            emu.slashid_role_names()
                .into_iter()
                .filter(|n| n.ends_with("/lookup-faults"))
                .collect()
        },
    );
}

#[test]
fn zenml_lost_create_of_a_nameless_role_adopts_the_new_one() {
    // A role without a name cannot be looked up by it. An older nameless
    // role with the same content (someone else's) exists; our create's
    // answer is lost. The apply must record the role it made — not the
    // older one, not a second one.
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    let content = serde_json::json!({
        "organization_id": ZENML_ORG,
        "level": "workspace",
        "description": "Nameless",
        "system_managed": false,
    });
    let (status, theirs) = emu.zenml("POST", "/roles", Some(content));
    assert_eq!(status, 200, "{theirs}");
    emu.set_faults(serde_json::json!({"script": [
        {"endpoint": "POST /zenml/roles", "kind": "lost"},
    ]}));
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        "provider \"rbac\" {{\n  zenml {{}}\n}}\nresource \"rbac_zenml_role\" \"one\" {{\n  organization_id = \"{ZENML_ORG}\"\n  \
         level = \"workspace\"\n  description = \"Nameless\"\n}}\n"
    ));
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    let nameless: Vec<String> = emu
        .zenml_custom_roles()
        .into_iter()
        .filter(|r| r["name"].is_null() && r["description"] == "Nameless")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        nameless.len(),
        2,
        "theirs and ours, no third: {nameless:?}\n{}",
        run.all()
    );
    assert_eq!(run.status, 0, "{}", run.all());
    let ours: Vec<String> = nameless
        .into_iter()
        .filter(|id| *id != theirs["id"])
        .collect();
    assert_eq!(ws.instance_ids("rbac_zenml_role"), ours);
    ws.assert_no_changes();
}

#[test]
fn a_spent_rate_limit_is_waited_out_not_failed() {
    // Another process (a previous run, another alias) spent the account's
    // budget: Flashduty answers 429 again and again, more often than the
    // usual retries. A 429 is a refusal, safe to ask again: the read waits
    // within its timeout instead of failing.
    let emu = EmulatorProcess::start(&[
        "--rate-limit",
        "off",
        "--fault-script",
        "POST /flashduty/role/list=429:9",
    ]);
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  flashduty {}\n}\n\ndata \"rbac_flashduty_role\" \"admin\" {\n  role_name = \"Admin\"\n}\n",
    );
    let run = ws.run(&["plan", "-no-color"]);
    assert_eq!(run.status, 0, "{}", run.all());
    let stats = emu.stats();
    assert_eq!(
        stats["endpoints"]["POST /flashduty/role/list"]["429"], 9,
        "{stats}"
    );
}

#[test]
fn a_plan_at_high_parallelism_keeps_the_plugin_up() {
    // 1000 roles planned 300 at a time: hundreds of concurrent gRPC calls,
    // each a few small HTTP/2 DATA frames. With h2's default allowance for
    // small frames the plugin's connection was closed (ENHANCE_YOUR_CALM,
    // "too_many_data_frames") in most such plans: "Plugin did not respond".
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  flashduty {}\n}\n\nresource \"rbac_flashduty_role\" \"r\" {\n  count     = 1000\n  role_name = \"r-${count.index}\"\n}\n",
    );
    for _ in 0..3 {
        let run = ws.run(&["plan", "-parallelism=300", "-no-color"]);
        assert_eq!(run.status, 0, "{}", run.all());
        assert!(run.all().contains("1000 to add"), "{}", run.all());
    }
}

#[test]
fn the_emulator_sends_a_large_answer_whole_before_closing() {
    // A client that asks to close the connection after the answer (as
    // curl and this harness do) gets all of a 150 KiB listing: the
    // emulator resets connections only for an injected fault.
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    for i in 0..950 {
        emu.flashduty(
            "/role/upsert",
            serde_json::json!({"role_name": format!("large-listing-{i}")}),
        );
    }
    assert!(emu.flashduty_roles().len() >= 950);
}
