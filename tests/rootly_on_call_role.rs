//! `rbac_rootly_on_call_role` and the Rootly data sources through the real
//! terraform CLI against the emulator.

mod common;

use common::{EmulatorProcess, Workspace};
use serde_json::{json, Value};

fn role_config(name: &str, families: &str) -> String {
    format!(
        r#"
provider "rbac" {{
  rootly {{}}
}}

resource "rbac_rootly_on_call_role" "test" {{
  name = "{name}"
{families}
}}
"#
    )
}

fn sorted(v: &Value) -> Vec<String> {
    let mut items: Vec<String> = v
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    items.sort();
    items
}

#[test]
fn rootly_on_call_role_lifecycle() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);

    // Create with several families, including the restricted ones.
    ws.config(&role_config(
        "Acc Lifecycle",
        r#"  alerts_permissions            = ["read", "delete", "create"]
  contacts_permissions          = ["read"]
  schedule_override_permissions = ["update", "create"]
  schedules_permissions         = ["read"]"#,
    ));
    ws.apply();
    let created = ws.resource("rbac_rootly_on_call_role.test").unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 36, "{created}");
    assert_eq!(created["slug"], "acc-lifecycle");
    assert_eq!(created["system_role"], "custom");
    assert_eq!(created["webhooks_permissions"], json!([]));
    let role = emu.rootly_role(&id).expect("role created");
    let attrs = &role["attributes"];
    assert_eq!(
        sorted(&attrs["alerts_permissions"]),
        ["create", "delete", "read"]
    );
    assert_eq!(
        sorted(&attrs["schedule_override_permissions"]),
        ["create", "update"]
    );
    assert_eq!(attrs["contacts_permissions"], json!(["read"]));
    ws.assert_no_changes();

    // Set order does not matter.
    ws.config(&role_config(
        "Acc Lifecycle",
        r#"  alerts_permissions            = ["delete", "create", "read"]
  contacts_permissions          = ["read"]
  schedule_override_permissions = ["create", "update"]
  schedules_permissions         = ["read"]"#,
    ));
    ws.assert_no_changes();

    // Import by UUID and by slug: the imported state equals the created one.
    for import_id in [id.as_str(), "acc-lifecycle"] {
        ws.ok(&["state", "rm", "rbac_rootly_on_call_role.test"]);
        ws.ok(&[
            "import",
            "-no-color",
            "rbac_rootly_on_call_role.test",
            import_id,
        ]);
        assert_eq!(
            ws.resource("rbac_rootly_on_call_role.test").unwrap(),
            created
        );
        ws.assert_no_changes();
    }

    // Update in place: rename, change one family, empty another (by
    // removing it from the configuration), add a new one.
    ws.config(&role_config(
        "Acc Lifecycle Renamed",
        r#"  alerts_permissions            = ["read"]
  schedule_override_permissions = ["create", "update"]
  schedules_permissions         = []
  workflows_permissions         = ["read", "update"]"#,
    ));
    let plan = ws.plan_with_changes();
    assert!(
        plan.stdout.contains("1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    let role = emu.rootly_role(&id).expect("updated in place");
    let attrs = &role["attributes"];
    assert_eq!(attrs["name"], "Acc Lifecycle Renamed");
    assert_eq!(attrs["alerts_permissions"], json!(["read"]));
    assert_eq!(attrs["contacts_permissions"], json!([]));
    assert_eq!(attrs["schedules_permissions"], json!([]));
    assert_eq!(sorted(&attrs["workflows_permissions"]), ["read", "update"]);
    ws.assert_no_changes();

    // Destroy: gone from the emulator.
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(emu.rootly_role(&id).is_none());
}

#[test]
fn rootly_on_call_role_drift_is_recreated() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&role_config(
        "Acc Drift",
        r#"  alerts_permissions = ["read"]"#,
    ));
    ws.apply();
    let old = ws.resource("rbac_rootly_on_call_role.test").unwrap();
    let old_id = old["id"].as_str().unwrap().to_string();

    // Changed behind Terraform's back: the plan puts it back.
    let (status, _) = emu.rootly(
        "PUT",
        &format!("/v1/on_call_roles/{old_id}"),
        Some(json!({"data": {"type": "on_call_roles", "attributes": {"alerts_permissions": ["create"]}}})),
    );
    assert_eq!(status, 200);
    let plan = ws.plan_with_changes();
    assert!(plan.stdout.contains("1 to change"), "{}", plan.stdout);

    // Deleted behind Terraform's back: dropped from state and re-created.
    let (status, _) = emu.rootly("DELETE", &format!("/v1/on_call_roles/{old_id}"), None);
    assert_eq!(status, 200);
    let plan = ws.plan_with_changes();
    assert!(
        plan.stdout
            .contains("rbac_rootly_on_call_role.test will be created"),
        "{}",
        plan.stdout
    );
    ws.apply();
    let new = ws.resource("rbac_rootly_on_call_role.test").unwrap();
    assert_ne!(new["id"], old["id"]);
    assert_eq!(new["alerts_permissions"], json!(["read"]));
    ws.assert_no_changes();
    // A role already gone counts as destroyed.
    let (status, _) = emu.rootly(
        "DELETE",
        &format!("/v1/on_call_roles/{}", new["id"].as_str().unwrap()),
        None,
    );
    assert_eq!(status, 200);
    ws.ok(&["destroy", "-auto-approve", "-no-color", "-refresh=false"]);
}

#[test]
fn rootly_on_call_role_disallowed_values_fail_at_validate() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&role_config(
        "Acc Invalid",
        r#"  contacts_permissions                 = ["create"]
  on_call_readiness_report_permissions = ["delete"]
  schedule_override_permissions        = ["read"]
  alerts_permissions                   = ["manage"]"#,
    ));
    let run = ws.run(&["validate", "-no-color"]);
    assert_ne!(run.status, 0);
    // Terraform wraps diagnostics to the terminal width: compare words.
    let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    for (attribute, allowed) in [
        ("contacts_permissions", r#"one of "read""#),
        ("on_call_readiness_report_permissions", r#"one of "read""#),
        (
            "schedule_override_permissions",
            r#"one of "create", "update""#,
        ),
        (
            "alerts_permissions",
            r#""create", "read", "update", "delete""#,
        ),
    ] {
        assert!(
            out.contains(&format!("Invalid value for {attribute}")),
            "{out}"
        );
        assert!(out.contains(allowed), "{allowed}: {out}");
    }
    // Nothing was sent to Rootly.
    let (_, list) = emu.rootly("GET", "/v1/on_call_roles?filter[name]=Acc%20Invalid", None);
    assert_eq!(list["meta"]["total_count"], 0);
}

#[test]
fn rootly_on_call_role_generate_config_out_plans_clean() {
    let emu = EmulatorProcess::start(&[]);
    let made = emu.rootly_create(json!({"name": "Acc Generated", "alerts_permissions": ["read", "update"], "contacts_permissions": ["read"]}));
    assert_eq!(made["attributes"]["slug"], "acc-generated");
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  rootly {}\n}\n\nimport {\n  to = rbac_rootly_on_call_role.imported\n  id = \"acc-generated\"\n}\n",
    );
    ws.ok(&["plan", "-no-color", "-generate-config-out=generated.tf"]);
    let generated = std::fs::read_to_string(ws.path().join("generated.tf")).unwrap();
    assert!(generated.contains("Acc Generated"), "{generated}");
    ws.apply();
    ws.assert_no_changes();
}

#[test]
fn rootly_data_sources_look_up_and_list_every_page() {
    let emu = EmulatorProcess::start(&[]);
    // More than one page of the client's 100.
    for i in 0..105 {
        emu.rootly_create(json!({"name": format!("Acc Page {i:03}")}));
    }
    emu.rootly_create(json!({"name": "Acc Lookup", "contacts_permissions": ["read"], "alerts_permissions": ["read"]}));
    let ws = Workspace::new(&emu);
    ws.config(
        r#"
provider "rbac" {
  rootly {}
}

data "rbac_rootly_on_call_roles" "pages" {
  search = "acc page"
}

data "rbac_rootly_on_call_roles" "all" {}

data "rbac_rootly_on_call_role" "by_slug" {
  slug = "acc-lookup"
}

data "rbac_rootly_on_call_role" "by_name" {
  name = "Admin"
}

output "page_count" { value = length(data.rbac_rootly_on_call_roles.pages.ids) }
output "last_name" { value = data.rbac_rootly_on_call_roles.pages.roles[104].name }
output "all_count" { value = length(data.rbac_rootly_on_call_roles.all.roles) }
output "lookup_alerts" { value = data.rbac_rootly_on_call_role.by_slug.alerts_permissions }
output "lookup_id" { value = data.rbac_rootly_on_call_role.by_slug.id }
output "admin_system_role" { value = data.rbac_rootly_on_call_role.by_name.system_role }
"#,
    );
    ws.apply();
    let out = ws.ok(&["output", "-json"]);
    let out: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(out["page_count"]["value"], 105);
    assert_eq!(out["last_name"]["value"], "Acc Page 104");
    // 4 built-in roles + 106 created.
    assert_eq!(out["all_count"]["value"], 110);
    assert_eq!(out["lookup_alerts"]["value"], json!(["read"]));
    assert_eq!(out["lookup_id"]["value"].as_str().unwrap().len(), 36);
    assert_eq!(out["admin_system_role"]["value"], "admin");
}
