//! "A lost create is never lost". A create whose answer
//! was lost and whose reconciling lookups then kept failing is recorded in
//! state, tainted and without an ID ("pending"), so that the next plan looks
//! it up by name: never a duplicate (Rootly's names are not unique), never an
//! orphan. Through the real terraform CLI against the emulator, for every
//! vendor whose create can end unsettled.
//!
//! Each apply that fails here spends the lookups' backoff (about 30 s), so
//! the cases are few.

mod common;

use common::{EmulatorProcess, Workspace, SLASHID_ORG, ZENML_ORG};
use serde_json::json;

/// One vendor's resource and how to see its objects in the emulator.
struct Case {
    resource_type: &'static str,
    config: String,
    /// The IDs of the emulator's objects with the configured name.
    objects: fn(&EmulatorProcess) -> Vec<String>,
    /// The ID a pending instance has in state ("" while none is known).
    pending_id: String,
}

const NAME: &str = "acc-pending";

fn flashduty() -> Case {
    Case {
        resource_type: "rbac_flashduty_role",
        config: format!(
            "provider \"rbac\" {{\n  flashduty {{}}\n}}\n\nresource \"rbac_flashduty_role\" \"r\" {{\n  role_name = \"{NAME}\"\n}}\n"
        ),
        objects: |emu| {
            emu.flashduty_roles()
                .into_iter()
                .filter(|r| r["role_name"] == NAME)
                .map(|r| r["role_id"].to_string())
                .collect()
        },
        pending_id: String::new(),
    }
}

fn rootly() -> Case {
    Case {
        resource_type: "rbac_rootly_on_call_role",
        config: format!(
            "provider \"rbac\" {{\n  rootly {{}}\n}}\n\nresource \"rbac_rootly_on_call_role\" \"r\" {{\n  name               = \"{NAME}\"\n  alerts_permissions = [\"read\"]\n}}\n"
        ),
        objects: |emu| {
            emu.rootly_roles()
                .into_iter()
                .filter(|(_, name)| name == NAME)
                .map(|(id, _)| id)
                .collect()
        },
        pending_id: String::new(),
    }
}

fn zenml() -> Case {
    Case {
        resource_type: "rbac_zenml_role",
        config: format!(
            "provider \"rbac\" {{\n  zenml {{}}\n}}\n\nresource \"rbac_zenml_role\" \"r\" {{\n  organization_id = \"{ZENML_ORG}\"\n  level           = \"workspace\"\n  name            = \"{NAME}\"\n}}\n"
        ),
        objects: |emu| {
            emu.zenml_custom_roles()
                .into_iter()
                .filter(|r| r["name"] == NAME)
                .map(|r| r["id"].as_str().unwrap().to_string())
                .collect()
        },
        pending_id: String::new(),
    }
}

fn slashid() -> Case {
    Case {
        resource_type: "rbac_slashid_role",
        config: format!(
            "provider \"rbac\" {{\n  slashid {{}}\n}}\n\nresource \"rbac_slashid_role\" \"r\" {{\n  name        = \"{NAME}\"\n  description = \"Pending\"\n}}\n"
        ),
        objects: |emu| {
            emu.slashid_role_names()
                .into_iter()
                .filter(|n| *n == format!("{SLASHID_ORG}/{NAME}"))
                .collect()
        },
        // SlashID's ID is the name, known from the plan.
        pending_id: format!("{SLASHID_ORG}/{NAME}"),
    }
}

/// Terraform's output with its line wrapping undone.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first apply under `faults`: it fails, says the object may exist and
/// is kept tainted, and the state holds it pending.
///
/// A fault on a listing spares the first one: it is the listing of what was
/// there before the create (see `src/vendors/lost_create/settle.rs`), taken before the
/// create is sent; the lookups after the lost create are the ones that fail.
fn apply_unsettled(case: &Case, faults: &[&str]) -> (EmulatorProcess, Workspace) {
    let mut args = vec!["--rate-limit", "off"];
    let spared: Vec<String> = faults
        .iter()
        .map(|f| f.split_once('=').unwrap().0)
        .filter(|endpoint| endpoint.starts_with("GET ") || endpoint.ends_with("/role/list"))
        .map(|endpoint| format!("{endpoint}=pass"))
        .collect();
    for fault in spared
        .iter()
        .map(String::as_str)
        .chain(faults.iter().copied())
    {
        args.extend(["--fault-script", fault]);
    }
    let emu = EmulatorProcess::start(&args);
    let ws = Workspace::new(&emu);
    ws.config(&case.config);
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    let text = run.all();
    assert_ne!(run.status, 0, "{text}");
    let flat = flat(&text);
    assert!(flat.contains("may exist"), "{text}");
    assert!(
        flat.contains("Terraform keeps it in state as tainted"),
        "{text}"
    );
    assert!(!flat.contains("import it"), "{text}");
    let kept = ws.instances(case.resource_type);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0]["status"], "tainted", "{}", kept[0]);
    assert_eq!(
        kept[0]["attributes"]["id"],
        case.pending_id.as_str(),
        "{}",
        kept[0]
    );
    emu.set_faults(json!({"script": []}));
    (emu, ws)
}

/// After the faults: the next apply leaves exactly one object of that name,
/// recorded in state, and nothing more to do.
fn apply_settles(case: &Case, emu: &EmulatorProcess, ws: &Workspace) -> String {
    ws.apply();
    let objects = (case.objects)(emu);
    assert_eq!(objects.len(), 1, "a duplicate or nothing: {objects:?}");
    assert_eq!(ws.instance_ids(case.resource_type), objects);
    ws.assert_no_changes();
    objects[0].clone()
}

/// A create that landed although its answer was lost, then lookups that
/// keep failing: kept pending, then found and replaced; one object.
fn landed_then_replaced(case: Case, faults: &[&str]) {
    let (emu, ws) = apply_unsettled(&case, faults);
    let landed = (case.objects)(&emu);
    assert_eq!(landed.len(), 1, "the lost create landed: {landed:?}");
    apply_settles(&case, &emu, &ws);
}

#[test]
fn flashduty_lost_create_is_kept_pending_then_settled() {
    landed_then_replaced(
        flashduty(),
        &[
            "POST /flashduty/role/upsert=lost:1",
            "POST /flashduty/role/list=503:200",
        ],
    );
}

#[test]
fn rootly_lost_create_is_kept_pending_never_duplicated() {
    landed_then_replaced(
        rootly(),
        &[
            "POST /rootly/v1/on_call_roles=lost:1",
            "GET /rootly/v1/on_call_roles=503:200",
        ],
    );
}

#[test]
fn zenml_lost_create_is_kept_pending_then_settled() {
    let lookup = format!("GET /zenml/organizations/{ZENML_ORG}/roles=503:200");
    landed_then_replaced(zenml(), &["POST /zenml/roles=lost:1", &lookup]);
}

#[test]
fn slashid_create_unknown_every_time_is_kept_then_settled() {
    // The first send lands, its answer lost; the sends after it get 503s
    // (not applied), so no 409 ever tells that the first one landed.
    landed_then_replaced(
        slashid(),
        &[
            "POST /slashid/rbac/roles=lost:1",
            "POST /slashid/rbac/roles=503:10",
        ],
    );
}

#[test]
fn flashduty_create_that_did_not_land_is_created_once() {
    // A 503 the emulator answers without applying the create.
    let case = flashduty();
    let (emu, ws) = apply_unsettled(
        &case,
        &[
            "POST /flashduty/role/upsert=503:1",
            "POST /flashduty/role/list=503:200",
        ],
    );
    assert!((case.objects)(&emu).is_empty());
    apply_settles(&case, &emu, &ws);
}

#[test]
fn rootly_pending_role_kept_with_refresh_only_and_untaint() {
    let case = rootly();
    let (emu, ws) = apply_unsettled(
        &case,
        &[
            "POST /rootly/v1/on_call_roles=lost:1",
            "GET /rootly/v1/on_call_roles=503:200",
        ],
    );
    let landed = (case.objects)(&emu);
    assert_eq!(landed.len(), 1, "{landed:?}");
    ws.ok(&["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    ws.ok(&["untaint", "rbac_rootly_on_call_role.r"]);
    ws.assert_no_changes();
    assert_eq!(ws.instance_ids(case.resource_type), landed);
    assert_eq!((case.objects)(&emu), landed, "the role was kept as it is");
}

#[test]
fn a_create_past_its_timeout_is_not_sent_again() {
    // Each create's answer comes after 8 s; the create's timeout is 5 s.
    // The lookup after the lost answer finds no role, but the operation's
    // time is up: the create is not sent again (it was sent six times,
    // for 30 s, under a 5 s timeout), and state matches the emulator.
    let emu = EmulatorProcess::start(&[
        "--rate-limit",
        "off",
        "--fault-delay-ms",
        "8000",
        "--fault-script",
        "POST /flashduty/role/upsert=delay:20",
    ]);
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  flashduty {}\n}\n\nresource \"rbac_flashduty_role\" \"slow\" {\n  role_name = \"Slow Create\"\n  timeouts {\n    create = \"5s\"\n  }\n}\n",
    );
    let started = std::time::Instant::now();
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    let elapsed = started.elapsed();
    assert_ne!(run.status, 0, "{}", run.all());
    let stats = emu.stats();
    // One create sent, whose answer nobody waited for.
    assert_eq!(
        stats["faults_injected"]["delay"],
        1,
        "{stats}\n{}",
        run.all()
    );
    assert_eq!(
        stats["endpoints"]["POST /flashduty/role/upsert"]["abandoned"], 1,
        "{stats}"
    );
    assert!(
        elapsed < std::time::Duration::from_secs(25),
        "{elapsed:?}: {}",
        run.all()
    );
    let in_emulator = emu.flashduty_role_named("Slow Create").is_some();
    let in_state = !ws.instance_ids("rbac_flashduty_role").is_empty();
    assert_eq!(in_emulator, in_state, "{}", run.all());
    // The error says what the lookup found, not only the HTTP core's "may
    // have applied".
    let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        in_emulator
            || out.contains(
                "looked up after its answer was lost, \"Slow Create\" was not found, and the \
                 create was not sent again"
            ),
        "{out}"
    );
}

/// The pending instance replaced by `apply -refresh=false` (the destroy
/// half of a tainted replace gets no private state from Terraform): never
/// an orphan or a duplicate. Either the replace goes through, deleting the
/// role the lost create made, or it stops, keeping it pending; the next
/// apply then leaves exactly one role, in state.
fn replaced_without_refresh(case: Case, faults: &[&str]) {
    let (emu, ws) = apply_unsettled(&case, faults);
    let run = ws.run(&["apply", "-refresh=false", "-auto-approve", "-no-color"]);
    let objects = (case.objects)(&emu);
    assert!(
        objects.len() <= 1,
        "a duplicate: {objects:?}\n{}",
        run.all()
    );
    if run.status == 0 {
        assert_eq!(
            ws.instance_ids(case.resource_type),
            objects,
            "{}",
            run.all()
        );
    } else {
        assert_eq!(objects.len(), 1, "{}", run.all());
        let kept = ws.instances(case.resource_type);
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(kept[0]["status"], "tainted", "{}", kept[0]);
        assert_eq!(
            kept[0]["attributes"]["id"],
            case.pending_id.as_str(),
            "still pending: {}",
            run.all()
        );
        let out = flat(&run.all());
        assert!(out.contains("terraform apply -refresh-only"), "{out}");
    }
    apply_settles(&case, &emu, &ws);
}

#[test]
fn a_pending_role_replaced_without_refresh_is_never_orphaned() {
    replaced_without_refresh(
        flashduty(),
        &[
            "POST /flashduty/role/upsert=lost:1",
            "POST /flashduty/role/list=503:200",
        ],
    );
    replaced_without_refresh(
        rootly(),
        &[
            "POST /rootly/v1/on_call_roles=lost:1",
            "GET /rootly/v1/on_call_roles=503:200",
        ],
    );
    let lookup = format!("GET /zenml/organizations/{ZENML_ORG}/roles=503:200");
    replaced_without_refresh(zenml(), &["POST /zenml/roles=lost:1", &lookup]);
}
