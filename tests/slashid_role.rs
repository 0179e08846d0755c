//! `rbac_slashid_role` (with `rbac_slashid_permission`) through the real
//! terraform CLI against the emulator.

mod common;

use common::{EmulatorProcess, Workspace, SLASHID_ORG};
use serde_json::json;

const PROVIDER: &str = "provider \"rbac\" {\n  slashid {}\n}\n";

fn config(role: &str, description: &str, permissions: &str) -> String {
    format!(
        r#"{PROVIDER}
resource "rbac_slashid_permission" "read" {{
  name        = "acc.invoices.read"
  description = "Read invoices"
}}

resource "rbac_slashid_permission" "write" {{
  name = "acc.invoices.write"
}}

resource "rbac_slashid_role" "test" {{
  name        = "{role}"
  description = "{description}"
  permissions = {permissions}
}}
"#
    )
}

#[test]
fn slashid_role_lifecycle() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);

    // The role depends on permissions created in the same apply.
    ws.config(&config(
        "acc-billing",
        "Billing",
        "[rbac_slashid_permission.write.name, rbac_slashid_permission.read.name]",
    ));
    ws.apply();
    let role = emu.slashid_role("acc-billing").expect("role created");
    assert_eq!(role["name"], format!("{SLASHID_ORG}/acc-billing"));
    assert_eq!(role["description"], "Billing");
    assert_eq!(
        role["permissions"],
        json!(["acc.invoices.read", "acc.invoices.write"])
    );
    let created = ws.resource("rbac_slashid_role.test").unwrap();
    assert_eq!(created["name"], "acc-billing");
    assert_eq!(created["full_name"], format!("{SLASHID_ORG}/acc-billing"));
    ws.assert_no_changes();

    // Set order never diffs.
    ws.config(&config(
        "acc-billing",
        "Billing",
        r#"["acc.invoices.read", "acc.invoices.write"]"#,
    ));
    ws.assert_no_changes();

    // Import by short and by full name: the same state, but for
    // `generation`, which is new for every instance Terraform takes on.
    let full = format!("{SLASHID_ORG}/acc-billing");
    let without_generation = |mut v: serde_json::Value| {
        let generation = v["generation"].take();
        assert!(generation.as_str().is_some_and(|g| !g.is_empty()), "{v}");
        v
    };
    let created = without_generation(created);
    for import_id in ["acc-billing", full.as_str()] {
        ws.ok(&["state", "rm", "rbac_slashid_role.test"]);
        ws.ok(&["import", "-no-color", "rbac_slashid_role.test", import_id]);
        let imported = ws.resource("rbac_slashid_role.test").unwrap();
        assert_eq!(without_generation(imported), created);
        ws.assert_no_changes();
    }

    // In place: description and permission set.
    ws.config(&config(
        "acc-billing",
        "Billing, read only",
        r#"["acc.invoices.read"]"#,
    ));
    let plan = ws.plan_with_changes();
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    let role = emu.slashid_role("acc-billing").unwrap();
    assert_eq!(role["description"], "Billing, read only");
    assert_eq!(role["permissions"], json!(["acc.invoices.read"]));
    ws.assert_no_changes();

    // Rename: replaced.
    ws.config(&config(
        "acc-billing-ro",
        "Billing, read only",
        r#"["acc.invoices.read"]"#,
    ));
    let plan = ws.plan_with_changes();
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 1 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    assert!(emu.slashid_role("acc-billing").is_none());
    assert!(emu.slashid_role("acc-billing-ro").is_some());
    ws.assert_no_changes();

    // Destroy: nothing is left. The configuration now names the permissions
    // literally, so Terraform does not order the deletes: a permission
    // delete refused while the role still holds it waits for the role's.
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    let (_, roles) = emu.slashid("GET", "/rbac/roles", None);
    assert_eq!(roles["result"], json!([]));
    let (_, perms) = emu.slashid("GET", "/rbac/permissions", None);
    assert_eq!(perms["result"], json!([]));
}

#[test]
fn slashid_role_drift_is_recreated() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    // A 404 within consistency_timeout of our own create means "not
    // visible yet": shorten the window, and delete after it.
    ws.config(
        "provider \"rbac\" {\n  slashid {\n    consistency_timeout = 1\n  }\n}\n\
         resource \"rbac_slashid_role\" \"test\" {\n  name = \"acc-drift\"\n}\n",
    );
    ws.apply();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (status, _) = emu.slashid(
        "DELETE",
        &format!("/rbac/roles/{SLASHID_ORG}%2Facc-drift"),
        None,
    );
    assert_eq!(status, 204);
    let plan = ws.plan_with_changes();
    assert!(
        plan.stdout
            .contains("rbac_slashid_role.test will be created"),
        "{}",
        plan.stdout
    );
    ws.apply();
    assert!(emu.slashid_role("acc-drift").is_some());
    ws.assert_no_changes();
}

#[test]
fn slashid_role_validation_names_attribute_and_limit() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    let long = "a".repeat(101);
    for (name, expect) in [(long.as_str(), "between 2 and 100"), ("rôle", "must match")] {
        ws.config(&format!(
            "{PROVIDER}\nresource \"rbac_slashid_role\" \"test\" {{\n  name = \"{name}\"\n}}\n"
        ));
        let run = ws.run(&["plan", "-no-color"]);
        assert_ne!(run.status, 0);
        let text = run.all();
        assert!(text.contains("Invalid value for name"), "{text}");
        assert!(text.contains(expect), "{text}");
    }
    let (_, roles) = emu.slashid("GET", "/rbac/roles", None);
    assert_eq!(roles["result"], json!([]));
}

#[test]
fn slashid_role_existing_name_is_not_adopted() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    let (status, _) = emu.slashid(
        "POST",
        "/rbac/roles",
        Some(json!({"name": format!("{SLASHID_ORG}/acc-taken"), "description": "theirs"})),
    );
    assert_eq!(status, 204);
    ws.config(&format!(
        "{PROVIDER}\nresource \"rbac_slashid_role\" \"test\" {{\n  name = \"acc-taken\"\n  description = \"ours\"\n}}\n"
    ));
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(run.status, 0);
    let text = run.all();
    assert!(text.contains("already exists"), "{text}");
    assert!(text.contains("terraform import"), "{text}");
    assert_eq!(
        emu.slashid_role("acc-taken").unwrap()["description"],
        "theirs"
    );
}

#[test]
fn slashid_role_changed_outside_terraform_gets_412() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    let role = |d: &str| {
        format!("{PROVIDER}\nresource \"rbac_slashid_role\" \"test\" {{\n  name = \"acc-etag\"\n  description = \"{d}\"\n}}\n")
    };
    ws.config(&role("one"));
    ws.apply();
    // The create's 204 carries no ETag: a refresh stores it.
    ws.ok(&["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    let (status, _) = emu.slashid(
        "PATCH",
        &format!("/rbac/roles/{SLASHID_ORG}%2Facc-etag"),
        Some(json!({"description": "someone else"})),
    );
    assert_eq!(status, 204);
    ws.config(&role("two"));
    // Without a refresh the stored ETag is stale: If-Match fails.
    let run = ws.run(&["apply", "-auto-approve", "-refresh=false", "-no-color"]);
    assert_ne!(run.status, 0);
    let text = run.all();
    assert!(text.contains("changed outside Terraform"), "{text}");
    assert_eq!(
        emu.slashid_role("acc-etag").unwrap()["description"],
        "someone else"
    );
    // A normal apply refreshes (new ETag) and succeeds.
    ws.apply();
    assert_eq!(emu.slashid_role("acc-etag").unwrap()["description"], "two");
    ws.assert_no_changes();
}

#[test]
fn slashid_role_survives_408_and_stale_reads() {
    let emu = EmulatorProcess::start(&[
        "--slashid-write-timeouts",
        "3",
        "--slashid-stale-read-ms",
        "400",
    ]);
    let ws = Workspace::new(&emu);
    ws.config(&config(
        "acc-slow",
        "Slow",
        "[rbac_slashid_permission.read.name]",
    ));
    ws.apply();
    // The emulator's own reads are stale for 400 ms too: its list is not.
    assert!(emu
        .slashid_role_names()
        .contains(&format!("{SLASHID_ORG}/acc-slow")));
    ws.assert_no_changes();
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(emu.slashid_role("acc-slow").is_none());
}

#[test]
fn slashid_role_408_on_update_is_settled_by_reading() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&config(
        "acc-408",
        "one",
        "[rbac_slashid_permission.read.name]",
    ));
    ws.apply();
    emu.slashid_consistency(1, 0);
    ws.config(&config(
        "acc-408",
        "two",
        "[rbac_slashid_permission.read.name, rbac_slashid_permission.write.name]",
    ));
    ws.apply();
    let role = emu.slashid_role("acc-408").unwrap();
    assert_eq!(role["description"], "two");
    assert_eq!(
        role["permissions"],
        json!(["acc.invoices.read", "acc.invoices.write"])
    );
    ws.assert_no_changes();
}

#[test]
fn slashid_role_408_then_long_stale_reads_still_creates_once() {
    // A create answered 408 whose role stays invisible longer than the
    // provider's read-back window looks lost: the provider sends the create
    // again, takes the 409 to mean the first one landed, and reads until
    // the role shows up. One role, in state, and a clean plan.
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        "{PROVIDER}\nresource \"rbac_slashid_role\" \"test\" {{\n  name = \"acc-again\"\n}}\n"
    ));
    emu.slashid_consistency(1, 4000);
    ws.apply();
    // The emulator's own reads are stale for 4 s too: its list is not.
    assert!(emu
        .slashid_role_names()
        .contains(&format!("{SLASHID_ORG}/acc-again")));
    ws.assert_no_changes();
}
