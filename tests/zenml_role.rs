//! `rbac_zenml_role` and the `rbac_zenml_roles` data source through the real
//! terraform CLI against the emulator.

mod common;

use common::{EmulatorProcess, Workspace, ZENML_KEY, ZENML_ORG};

fn role_config(name: &str, extra: &str) -> String {
    format!(
        r#"
provider "rbac" {{
  zenml {{}}
}}

resource "rbac_zenml_role" "test" {{
  organization_id = "{ZENML_ORG}"
  name            = "{name}"
{extra}
}}
"#
    )
}

#[test]
fn zenml_role_lifecycle() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);

    // Create.
    ws.config(&role_config(
        "acc-ml",
        r#"  level       = "workspace"
  description = "ML engineers""#,
    ));
    ws.apply();
    let created = ws.resource("rbac_zenml_role.test").unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    let role = emu.zenml_role(&id).expect("role created in ZenML");
    assert_eq!(role["name"], "acc-ml");
    assert_eq!(role["description"], "ML engineers");
    assert_eq!(role["level"], "workspace");
    assert_eq!(role["system_managed"], false);
    assert_eq!(created["type"], "normal");
    assert_eq!(created["system_managed"], false);
    ws.assert_no_changes();

    // Import by UUID and by organization_id/name: the same state as created.
    let by_name = format!("{ZENML_ORG}/acc-ml");
    for import_id in [id.as_str(), by_name.as_str()] {
        ws.ok(&["state", "rm", "rbac_zenml_role.test"]);
        ws.ok(&["import", "-no-color", "rbac_zenml_role.test", import_id]);
        assert_eq!(ws.resource("rbac_zenml_role.test").unwrap(), created);
        ws.assert_no_changes();
    }

    // `-generate-config-out` writes usable configuration for an import block.
    ws.ok(&["state", "rm", "rbac_zenml_role.test"]);
    let cfg = format!(
        "provider \"rbac\" {{\n  zenml {{}}\n}}\n\nimport {{\n  to = rbac_zenml_role.test\n  id = \"{id}\"\n}}\n"
    );
    ws.config(&cfg);
    ws.ok(&["plan", "-no-color", "-generate-config-out=generated.tf"]);
    let generated = std::fs::read_to_string(ws.path().join("generated.tf")).unwrap();
    assert!(generated.contains("\"acc-ml\""), "{generated}");
    ws.apply();
    assert_eq!(ws.resource("rbac_zenml_role.test").unwrap(), created);
    std::fs::remove_file(ws.path().join("generated.tf")).unwrap();

    // Rename in place.
    ws.config(&role_config(
        "acc-ml-renamed",
        r#"  level       = "workspace"
  description = "ML engineers""#,
    ));
    let plan = ws.plan_with_changes();
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    let role = emu.zenml_role(&id).expect("same role, renamed in place");
    assert_eq!(role["name"], "acc-ml-renamed");
    assert_eq!(role["description"], "ML engineers");
    ws.assert_no_changes();

    // Clear the description.
    ws.config(&role_config("acc-ml-renamed", r#"  level = "workspace""#));
    ws.apply();
    let role = emu.zenml_role(&id).unwrap();
    assert!(role["description"].is_null(), "{role}");
    ws.assert_no_changes();

    // A new level replaces the role.
    ws.config(&role_config("acc-ml-renamed", r#"  level = "project""#));
    let plan = ws.plan_with_changes();
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 1 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    let replaced = ws.resource("rbac_zenml_role.test").unwrap();
    let new_id = replaced["id"].as_str().unwrap();
    assert_ne!(new_id, id);
    assert!(emu.zenml_role(&id).is_none(), "the old role is deleted");
    assert_eq!(emu.zenml_role(new_id).unwrap()["level"], "project");
    ws.assert_no_changes();

    // Destroy: no custom role left.
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert_eq!(emu.zenml_custom_roles(), Vec::<serde_json::Value>::new());
}

#[test]
fn zenml_role_drift_is_recreated() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&role_config("acc-drift", r#"  level = "project""#));
    ws.apply();
    let old = ws.resource("rbac_zenml_role.test").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Deleted behind Terraform's back.
    let (status, body) = emu.zenml("DELETE", &format!("/roles/{old}"), None);
    assert_eq!(status, 200, "{body}");
    let plan = ws.plan_with_changes();
    assert!(
        plan.stdout.contains("rbac_zenml_role.test will be created"),
        "{}",
        plan.stdout
    );
    ws.apply();
    let new = ws.resource("rbac_zenml_role.test").unwrap();
    assert_ne!(new["id"], old.as_str());
    assert_eq!(emu.zenml_custom_roles().len(), 1);
    ws.assert_no_changes();
}

#[test]
fn zenml_role_invalid_input_fails_at_validate() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        r#"
resource "rbac_zenml_role" "test" {{
  organization_id = "acme"
  level           = "organization"
  name            = "{}"
  description     = ""
}}
"#,
        "n".repeat(51)
    ));
    let run = ws.run(&["validate", "-no-color"]);
    assert_ne!(run.status, 0);
    // Terraform wraps long messages: compare with single spaces.
    let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(out.contains("Invalid value for organization_id"), "{out}");
    assert!(out.contains("UUID"), "{out}");
    assert!(out.contains("Invalid value for level"), "{out}");
    assert!(
        out.contains("refuses to create organization roles"),
        "{out}"
    );
    assert!(out.contains("Invalid value for name"), "{out}");
    assert!(out.contains("between 1 and 50 characters"), "{out}");
    assert!(out.contains("Invalid value for description"), "{out}");
    assert!(out.contains("between 1 and 256 characters"), "{out}");
    assert_eq!(emu.zenml_custom_roles().len(), 0);
}

#[test]
fn zenml_role_vendor_errors_and_built_ins() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);

    // A role type ZenML does not know: its 422 names the attribute.
    ws.config(&role_config(
        "acc-typed",
        r#"  level = "workspace"
  type  = "superuser""#,
    ));
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(run.status, 0);
    let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(out.contains("ZenML Pro refused `type`"), "{out}");
    assert!(out.contains("Input should be 'normal'"), "{out}");
    assert!(out.contains("HTTP 422"), "{out}");

    // A built-in role cannot be imported.
    ws.config(&role_config("Admin", r#"  level = "workspace""#));
    let admin = emu.zenml_built_in("workspace", "Admin");
    let run = ws.run(&[
        "import",
        "-no-color",
        "rbac_zenml_role.test",
        admin["id"].as_str().unwrap(),
    ]);
    assert_ne!(run.status, 0);
    let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(out.contains("it is a built-in role"), "{out}");
    let run = ws.run(&["import", "-no-color", "rbac_zenml_role.test", "not-an-id"]);
    assert!(
        run.all().contains("<organization_id>/<name>"),
        "{}",
        run.all()
    );

    // A name that is taken (ZenML's 409) points at `name` and says how to import.
    let (status, _) = emu.zenml(
        "POST",
        "/roles",
        Some(
            serde_json::json!({"organization_id": ZENML_ORG, "level": "workspace",
            "system_managed": false, "name": "acc-taken"}),
        ),
    );
    assert_eq!(status, 200);
    ws.config(&role_config("acc-taken", r#"  level = "workspace""#));
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(run.status, 0);
    let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(out.contains("the name is taken"), "{out}");
    assert!(
        out.contains(&format!(
            "terraform import <resource address> {ZENML_ORG}/acc-taken"
        )),
        "{out}"
    );
}

#[test]
fn zenml_roles_data_source_finds_built_ins() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        r#"
data "rbac_zenml_roles" "admin" {{
  organization_id = "{ZENML_ORG}"
  level           = "workspace"
  name            = "Admin"
}}

data "rbac_zenml_roles" "all" {{
  organization_id = "{ZENML_ORG}"
}}

output "admin_id" {{
  value = data.rbac_zenml_roles.admin.ids[0]
}}

output "admin" {{
  value = data.rbac_zenml_roles.admin.roles[0]
}}

output "count" {{
  value = length(data.rbac_zenml_roles.all.roles)
}}
"#
    ));
    ws.apply();
    let out = ws.ok(&["output", "-json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let admin = emu.zenml_built_in("workspace", "Admin");
    assert_eq!(v["admin_id"]["value"], admin["id"]);
    assert_eq!(v["admin"]["value"]["system_managed"], true);
    assert_eq!(v["admin"]["value"]["level"], "workspace");
    assert_eq!(v["count"]["value"], 9);
}

fn many_roles(count: usize) -> String {
    format!(
        r#"
resource "rbac_zenml_role" "many" {{
  count           = {count}
  organization_id = "{ZENML_ORG}"
  level           = "workspace"
  name            = "acc-token-${{count.index}}"
}}
"#
    )
}

#[test]
fn zenml_token_is_renewed_before_expiry_mid_apply() {
    // Tokens live 2 s; each request takes 150 ms; one at a time.
    let emu = EmulatorProcess::start(&["--zenml-token-ttl", "2", "--latency-ms", "150"]);
    let mut ws = Workspace::new(&emu);
    ws.env("TF_LOG", "trace");
    ws.config(&many_roles(16));
    emu.reset_stats();
    let run = ws.ok(&["apply", "-auto-approve", "-no-color", "-parallelism=1"]);
    assert_eq!(emu.zenml_custom_roles().len(), 16);
    let stats = emu.stats();
    let logins = stats["endpoints"]["POST /zenml/auth/login"]["200"]
        .as_u64()
        .unwrap_or(0);
    // Planning new roles makes no call; applying 16 takes longer than a
    // token lives, so the apply logs in again on the way.
    assert!(logins >= 2, "expected a renewal, stats: {stats:#}");
    let refused: u64 = stats["endpoints"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|outcomes| outcomes.get("401").and_then(|n| n.as_u64()))
        .sum();
    assert_eq!(
        refused, 0,
        "renewed before expiry, so never refused: {stats:#}"
    );
    // Neither the key nor a token shows up in the trace logs.
    assert!(
        run.stderr.contains("obtained a ZenML Pro access token"),
        "no provider logs captured"
    );
    assert!(
        !run.all().contains(ZENML_KEY),
        "the API key leaked into the logs"
    );
    assert!(
        !run.all().contains("zenml-emu-"),
        "an access token leaked into the logs"
    );
    ws.env("TF_LOG", "");
    ws.assert_no_changes();
}

#[test]
fn zenml_token_revoked_mid_apply_is_renewed_on_401() {
    let emu = EmulatorProcess::start(&["--latency-ms", "250"]);
    let ws = Workspace::new(&emu);
    ws.config(&many_roles(10));
    emu.reset_stats();
    let run = std::thread::scope(|s| {
        let apply = s.spawn(|| ws.run(&["apply", "-auto-approve", "-no-color", "-parallelism=1"]));
        // Revoke once the apply is under way (it needs 10 × 250 ms at least).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while emu.stats()["endpoints"]["POST /zenml/roles"]["200"]
            .as_u64()
            .unwrap_or(0)
            < 2
        {
            assert!(
                std::time::Instant::now() < deadline,
                "the apply did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(emu.zenml_revoke_tokens() >= 1);
        apply.join().unwrap()
    });
    assert_eq!(run.status, 0, "{}", run.all());
    assert_eq!(emu.zenml_custom_roles().len(), 10);
    let stats = emu.stats();
    assert!(
        stats["endpoints"]["POST /zenml/roles"]["401"]
            .as_u64()
            .unwrap_or(0)
            >= 1,
        "the revoked token was used once: {stats:#}"
    );
    assert!(
        stats["endpoints"]["POST /zenml/auth/login"]["200"]
            .as_u64()
            .unwrap()
            >= 2,
        "{stats:#}"
    );
    ws.assert_no_changes();
}

#[test]
fn zenml_wrong_key_is_a_clear_error_without_the_key() {
    let emu = EmulatorProcess::start(&[]);
    let mut ws = Workspace::new(&emu);
    ws.env("ZENML_PRO_API_KEY", "ZENPROKEY_wrong-key-9931");
    ws.config(&role_config("acc-denied", r#"  level = "workspace""#));
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(run.status, 0);
    let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(out.contains("could not log in to ZenML Pro"), "{out}");
    assert!(out.contains("ZENML_PRO_API_KEY"), "{out}");
    assert!(!out.contains("wrong-key-9931"), "{out}");

    ws.unset_env("ZENML_PRO_URL");
    let run = ws.run(&["plan", "-no-color"]);
    assert_ne!(run.status, 0);
    assert!(run.all().contains("ZENML_PRO_URL"), "{}", run.all());
}
