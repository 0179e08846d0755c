//! `rbac_flashduty_role` through the real terraform CLI against the emulator.

mod common;

use common::{EmulatorProcess, Workspace};
use serde_json::json;

fn role_config(name: &str, extra: &str) -> String {
    format!(
        r#"
provider "rbac" {{
  flashduty {{}}
}}

resource "rbac_flashduty_role" "test" {{
  role_name = "{name}"
{extra}
}}
"#
    )
}

#[test]
fn flashduty_role_lifecycle() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);

    // Create, with permissions named through the data source.
    ws.config(&format!(
        r#"
data "rbac_flashduty_permissions" "oncall" {{
  permission_names = ["Templates Read", "Templates Manage"]
}}
{}"#,
        role_config(
            "acc-lifecycle",
            r#"  description    = "Manage on-call templates"
  permission_ids = data.rbac_flashduty_permissions.oncall.ids"#
        )
    ));
    ws.apply();
    let role = emu
        .flashduty_role_named("acc-lifecycle")
        .expect("role created");
    assert_eq!(role["description"], "Manage on-call templates");
    assert_eq!(role["status"], "enabled");
    assert_eq!(role["permission_ids"].as_array().unwrap().len(), 2);
    let created = ws.resource("rbac_flashduty_role.test").unwrap();
    assert_eq!(created["id"], role["role_id"].to_string());
    ws.assert_no_changes();

    // Import by ID and by name: the imported state equals the created one.
    let id = created["id"].as_str().unwrap().to_string();
    for import_id in [id.as_str(), "acc-lifecycle"] {
        ws.ok(&["state", "rm", "rbac_flashduty_role.test"]);
        ws.ok(&["import", "-no-color", "rbac_flashduty_role.test", import_id]);
        assert_eq!(ws.resource("rbac_flashduty_role.test").unwrap(), created);
        ws.assert_no_changes();
    }

    // Update in place: rename, new permission set (order-insensitive), disable.
    ws.config(&role_config(
        "acc-lifecycle-renamed",
        r#"  description    = "changed"
  permission_ids = [504, 501, 503]
  status         = "disabled""#,
    ));
    let plan = ws.plan_with_changes();
    assert!(
        plan.stdout.contains("1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    let role = emu
        .flashduty_role_named("acc-lifecycle-renamed")
        .expect("renamed");
    assert_eq!(role["role_id"].to_string(), id, "updated in place");
    assert_eq!(role["description"], "changed");
    assert_eq!(role["status"], "disabled");
    assert_eq!(role["permission_ids"], json!([501, 503, 504]));
    ws.assert_no_changes();

    // Clear the optionals: description and permissions go back to empty, status to enabled.
    ws.config(&role_config("acc-lifecycle-renamed", ""));
    ws.apply();
    let role = emu.flashduty_role_named("acc-lifecycle-renamed").unwrap();
    assert_eq!(role["description"], "");
    assert_eq!(role["permission_ids"], json!([]));
    assert_eq!(role["status"], "enabled");
    ws.assert_no_changes();

    // Destroy: gone from the emulator.
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(emu.flashduty_role_named("acc-lifecycle-renamed").is_none());
}

#[test]
fn flashduty_role_drift_is_recreated() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&role_config("acc-drift", r#"  permission_ids = [501]"#));
    ws.apply();
    let old = emu.flashduty_role_named("acc-drift").unwrap();

    // Deleted behind Terraform's back.
    emu.flashduty("/role/delete", json!({"role_id": old["role_id"]}));
    let plan = ws.plan_with_changes();
    assert!(
        plan.stdout
            .contains("rbac_flashduty_role.test will be created"),
        "{}",
        plan.stdout
    );
    ws.apply();
    let new = emu.flashduty_role_named("acc-drift").expect("re-created");
    assert_ne!(new["role_id"], old["role_id"]);
    assert_eq!(new["permission_ids"], json!([501]));
    ws.assert_no_changes();
}

#[test]
fn flashduty_role_invalid_input_fails_at_validate() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    let long_name = "n".repeat(40);
    let long_description = "d".repeat(500);
    ws.config(&role_config(
        &long_name,
        &format!("  description = \"{long_description}\"\n  status = \"paused\""),
    ));
    let run = ws.run(&["validate", "-no-color"]);
    assert_ne!(run.status, 0);
    let out = run.all();
    assert!(out.contains("Invalid value for role_name"), "{out}");
    assert!(out.contains("between 1 and 39 characters"), "{out}");
    assert!(out.contains("Invalid value for description"), "{out}");
    assert!(out.contains("at most 499 characters"), "{out}");
    assert!(out.contains("Invalid value for status"), "{out}");
    assert!(out.contains("\"enabled\", \"disabled\""), "{out}");

    // The limits are exact: 39 characters (multi-byte ones too) and 499 are fine.
    ws.config(&role_config(
        &"é".repeat(39),
        &format!("  description = \"{}\"", "d".repeat(499)),
    ));
    ws.ok(&["validate", "-no-color"]);
    ws.apply();
    assert!(emu.flashduty_role_named(&"é".repeat(39)).is_some());
}

#[test]
fn flashduty_role_missing_key_is_one_clear_error() {
    let emu = EmulatorProcess::start(&[]);
    let mut ws = Workspace::new(&emu);
    ws.unset_env("FLASHDUTY_APP_KEY");
    // Users with backtraces on still get a message, not a stack trace.
    ws.env("RUST_BACKTRACE", "1");
    ws.config(&role_config("acc-nokey", ""));
    let run = ws.run(&["plan", "-no-color"]);
    assert_ne!(run.status, 0);
    let out = run.all();
    assert!(!out.contains("backtrace") && !out.contains(".rs:"), "{out}");
    assert!(out.contains("`app_key`"), "{out}");
    assert!(out.contains("FLASHDUTY_APP_KEY"), "{out}");
    assert_eq!(
        out.matches("Provider configuration error").count(),
        1,
        "{out}"
    );
}

#[test]
fn flashduty_role_duplicate_name_suggests_import() {
    let emu = EmulatorProcess::start(&[]);
    let existing = emu.flashduty(
        "/role/upsert",
        json!({"role_name": "acc-dup", "description": "made by hand"}),
    );
    let existing_id = existing["data"]["role_id"].to_string();
    let ws = Workspace::new(&emu);
    ws.config(&role_config("acc-dup", ""));
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(run.status, 0);
    let out = run.all();
    assert!(out.contains("already exists"), "{out}");
    assert!(out.contains("terraform import"), "{out}");
    assert!(out.contains(&existing_id), "{out}");
    assert_eq!(
        emu.flashduty_roles()
            .iter()
            .filter(|r| r["role_name"] == "acc-dup")
            .count(),
        1
    );
}

#[test]
fn flashduty_role_built_in_cannot_be_imported() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&role_config("Admin", ""));
    let run = ws.run(&["import", "-no-color", "rbac_flashduty_role.test", "2"]);
    assert_ne!(run.status, 0);
    let out = run.all();
    assert!(out.contains("built-in"), "{out}");
    assert!(out.contains("data source"), "{out}");
}

#[test]
fn flashduty_role_generate_config_out_plans_clean() {
    let emu = EmulatorProcess::start(&[]);
    let made = emu.flashduty(
        "/role/upsert",
        json!({"role_name": "acc-generated", "description": "from the console", "permission_ids": [502, 501]}),
    );
    let id = made["data"]["role_id"].to_string();
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        "provider \"rbac\" {{\n  flashduty {{}}\n}}\n\nimport {{\n  to = rbac_flashduty_role.imported\n  id = \"{id}\"\n}}\n"
    ));
    ws.ok(&["plan", "-no-color", "-generate-config-out=generated.tf"]);
    let generated = std::fs::read_to_string(ws.path().join("generated.tf")).unwrap();
    assert!(generated.contains("acc-generated"), "{generated}");
    ws.apply();
    ws.assert_no_changes();
}

#[test]
fn flashduty_data_sources_look_up_roles_and_permissions() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(
        r#"
provider "rbac" {
  flashduty {}
}

data "rbac_flashduty_role" "admin" {
  role_name = "Admin"
}

data "rbac_flashduty_role" "viewer" {
  id = "8"
}

data "rbac_flashduty_permissions" "manage" {
  permission_type = "manage"
}

output "admin_id" { value = data.rbac_flashduty_role.admin.id }
output "admin_editable" { value = data.rbac_flashduty_role.admin.editable }
output "viewer_name" { value = data.rbac_flashduty_role.viewer.role_name }
output "manage_types" { value = distinct(data.rbac_flashduty_permissions.manage.permissions[*].permission_type) }
"#,
    );
    ws.apply();
    let out = ws.ok(&["output", "-json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["admin_id"]["value"], "2");
    assert_eq!(v["admin_editable"]["value"], false);
    assert_eq!(v["viewer_name"]["value"], "Viewer");
    assert_eq!(v["manage_types"]["value"], json!(["manage"]));

    ws.config(
        r#"
provider "rbac" {
  flashduty {}
}

data "rbac_flashduty_permissions" "typo" {
  permission_names = ["Templates Raed"]
}
"#,
    );
    let run = ws.run(&["plan", "-no-color"]);
    assert_ne!(run.status, 0);
    assert!(run.all().contains("Templates Raed"), "{}", run.all());
}

#[test]
fn flashduty_secrets_never_reach_logs_or_state() {
    let emu = EmulatorProcess::start(&[]);
    let mut ws = Workspace::new(&emu);
    ws.env("TF_LOG", "trace");
    ws.config(&role_config("acc-secret", r#"  permission_ids = [501]"#));
    let run = ws.apply();
    let out = run.all();
    assert!(
        !out.contains(common::FLASHDUTY_KEY),
        "app_key leaked into the logs"
    );
    // Provider logs reach Terraform's log, with the vendor request ID.
    assert!(out.contains("/role/upsert"), "provider debug logs missing");
    assert!(out.contains("request_id"), "request IDs missing from logs");
    let state = std::fs::read_to_string(ws.path().join("terraform.tfstate")).unwrap();
    assert!(!state.contains(common::FLASHDUTY_KEY));
    // A failing call: the error names the request ID but not the key.
    ws.env("FLASHDUTY_APP_KEY", "wrong-key-4b2c");
    let run = ws.run(&["plan", "-no-color", "-refresh=true"]);
    assert!(!run.all().contains("wrong-key-4b2c"));
    assert!(run.all().contains("Unauthorized"), "{}", run.all());
}
