//! `rbac_slashid_permission` through the real terraform CLI against the emulator.

mod common;

use common::{EmulatorProcess, Workspace, SLASHID_ORG};
use serde_json::json;

fn config(name: &str, description: &str) -> String {
    format!(
        r#"provider "rbac" {{
  slashid {{
    consistency_timeout = 1
  }}
}}

resource "rbac_slashid_permission" "test" {{
  name        = "{name}"
  description = "{description}"
}}
"#
    )
}

#[test]
fn slashid_permission_lifecycle() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&config("acc/billing\\\\invoices.list", "List invoices"));
    ws.apply();
    let p = emu
        .slashid_permission("acc%2Fbilling%5Cinvoices.list")
        .expect("created");
    assert_eq!(p["description"], "List invoices");
    let created = ws.resource("rbac_slashid_permission.test").unwrap();
    assert_eq!(created["id"], "acc/billing\\invoices.list");
    ws.assert_no_changes();

    ws.ok(&["state", "rm", "rbac_slashid_permission.test"]);
    ws.ok(&[
        "import",
        "-no-color",
        "rbac_slashid_permission.test",
        "acc/billing\\invoices.list",
    ]);
    assert_eq!(
        ws.resource("rbac_slashid_permission.test").unwrap(),
        created
    );
    ws.assert_no_changes();

    ws.config(&config("acc/billing\\\\invoices.list", "changed"));
    let plan = ws.plan_with_changes();
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    ws.assert_no_changes();

    ws.config(&config("acc.invoices.list", "changed"));
    let plan = ws.plan_with_changes();
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 1 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    assert!(emu
        .slashid_permission("acc%2Fbilling%5Cinvoices.list")
        .is_none());

    // Drift: deleted behind Terraform's back, re-created. (A 404 within
    // consistency_timeout of our own create means "not visible yet": the
    // configuration's window is 1 s, so wait it out.)
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (status, _) = emu.slashid("DELETE", "/rbac/permissions/acc.invoices.list", None);
    assert_eq!(status, 204);
    let plan = ws.plan_with_changes();
    assert!(plan.stdout.contains("will be created"), "{}", plan.stdout);
    ws.apply();
    ws.assert_no_changes();

    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    let (_, perms) = emu.slashid("GET", "/rbac/permissions", None);
    assert_eq!(perms["result"], json!([]));
}

#[test]
fn slashid_permission_validation_names_attribute_and_limit() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&config(&"p".repeat(1025), ""));
    let run = ws.run(&["plan", "-no-color"]);
    assert_ne!(run.status, 0);
    assert!(run.all().contains("between 2 and 1024"), "{}", run.all());
    ws.config(&config("ab_", ""));
    let run = ws.run(&["plan", "-no-color"]);
    assert!(
        run.all().contains("Invalid value for name"),
        "{}",
        run.all()
    );
}

#[test]
fn slashid_permission_in_use_names_the_role() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&config("acc.held", ""));
    ws.apply();
    // A role outside Terraform holds it.
    let role = format!("{SLASHID_ORG}/acc-holder");
    let (status, _) = emu.slashid(
        "POST",
        "/rbac/roles",
        Some(json!({"name": role, "permissions": ["acc.held"]})),
    );
    assert_eq!(status, 204);
    let run = ws.run(&["destroy", "-auto-approve", "-no-color"]);
    assert_ne!(run.status, 0);
    assert!(run.all().contains(&role), "{}", run.all());
    assert!(emu.slashid_permission("acc.held").is_some());
}

#[test]
fn slashid_permission_existing_name_is_not_adopted() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    let (status, _) = emu.slashid(
        "POST",
        "/rbac/permissions",
        Some(json!({"name": "acc.taken", "description": "theirs"})),
    );
    assert_eq!(status, 204);
    ws.config(&config("acc.taken", "ours"));
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(run.status, 0);
    let text = run.all();
    assert!(text.contains("already exists"), "{text}");
    assert!(text.contains("terraform import"), "{text}");
    assert!(ws.resource("rbac_slashid_permission.test").is_none());
    assert_eq!(
        emu.slashid_permission("acc.taken").unwrap()["description"],
        "theirs"
    );
    // Imported, it is managed: the next apply updates the description.
    ws.ok(&[
        "import",
        "-no-color",
        "rbac_slashid_permission.test",
        "acc.taken",
    ]);
    ws.apply();
    assert_eq!(
        emu.slashid_permission("acc.taken").unwrap()["description"],
        "ours"
    );
    ws.assert_no_changes();
}

#[test]
fn slashid_permission_survives_408_on_every_write() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    // Create: applied, answered 408, then a stale 404 for a while.
    emu.slashid_consistency(1, 500);
    ws.config(&config("acc.slow", "one"));
    ws.apply();
    // The emulator's own reads of it are stale for 500 ms too.
    std::thread::sleep(std::time::Duration::from_millis(600));
    assert_eq!(
        emu.slashid_permission("acc.slow").unwrap()["description"],
        "one"
    );
    ws.assert_no_changes();
    // Update: applied, answered 408; the read decides.
    emu.slashid_consistency(1, 0);
    ws.config(&config("acc.slow", "two"));
    ws.apply();
    assert_eq!(
        emu.slashid_permission("acc.slow").unwrap()["description"],
        "two"
    );
    ws.assert_no_changes();
    // Delete: applied, answered 408; the read finds it gone.
    emu.slashid_consistency(1, 0);
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(emu.slashid_permission("acc.slow").is_none());
    assert_eq!(ws.run(&["state", "list"]).stdout.trim(), "");
}
