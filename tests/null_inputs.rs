//! A null is not an empty value: a required attribute set to `null` (by a
//! literal, a variable, or another object's attribute that is null) fails
//! at validate / plan, naming the attribute, for every resource and data
//! source type, and nothing is written. Also: `-generate-config-out` for
//! every assignment resource writes configuration that plans clean.

mod common;

use std::collections::BTreeSet;

use common::{EmulatorProcess, Workspace, ZENML_ORG};
use serde_json::{json, Value};

const PROVIDER: &str = r#"provider "rbac" {
  flashduty {}
  slashid {}
  rootly {}
  zenml {}
}
"#;

const MISSING: &str = "Missing Configuration for Required Attribute";
const BOB: u64 = 5_068_740_052_131;
const ALAN: &str = "20003";

/// (mode, type, attribute path) of every required attribute in the
/// provider's schema, nested blocks' included, as `terraform providers
/// schema -json` reports it: the test covers types added later unchanged.
fn required_attributes(ws: &Workspace) -> Vec<(&'static str, String, Vec<String>)> {
    ws.config(PROVIDER);
    let run = ws.ok(&["providers", "schema", "-json"]);
    let schema: Value = serde_json::from_str(&run.stdout).unwrap();
    let provider = schema["provider_schemas"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap();
    let mut found = Vec::new();
    for (mode, key) in [
        ("resource", "resource_schemas"),
        ("data", "data_source_schemas"),
    ] {
        for (type_name, s) in provider[key].as_object().unwrap() {
            collect(&s["block"], &mut vec![], &mut |path| {
                found.push((mode, type_name.clone(), path))
            });
        }
    }
    found
}

fn collect(block: &Value, at: &mut Vec<String>, found: &mut dyn FnMut(Vec<String>)) {
    for (name, attr) in block["attributes"].as_object().into_iter().flatten() {
        if attr["required"] == true {
            let mut path = at.clone();
            path.push(name.clone());
            found(path);
        }
    }
    for (name, nested) in block["block_types"].as_object().into_iter().flatten() {
        at.push(name.clone());
        collect(&nested["block"], at, found);
        at.pop();
    }
}

/// One `<mode> "<type>" "null"` per type, each required attribute set to
/// `value`, on its own line, which ends with a marker naming it; returns
/// the body and the markers.
fn every_type_with(
    required: &[(&'static str, String, Vec<String>)],
    value: &str,
) -> (String, Vec<String>) {
    let types: BTreeSet<(&str, &str)> = required
        .iter()
        .map(|(mode, t, _)| (*mode, t.as_str()))
        .collect();
    let mut body =
        format!("{PROVIDER}\nvariable \"nothing\" {{\n  type    = any\n  default = null\n}}\n");
    let mut markers = Vec::new();
    for (mode, type_name) in types {
        body.push_str(&format!("\n{mode} \"{type_name}\" \"null\" {{\n"));
        body.push_str(other_settings(type_name));
        for (_, _, path) in required
            .iter()
            .filter(|(m, t, _)| *m == mode && t == type_name)
        {
            let marker = format!("# {mode}.{type_name}.{}", path.join("."));
            let line = match path.as_slice() {
                [attr] => format!("  {attr} = {value} {marker}\n"),
                [block, attr] => {
                    format!("  {block} {{\n    {attr} = {value} {marker}\n  }}\n")
                }
                deeper => panic!("no test config for required attribute {deeper:?}"),
            };
            body.push_str(&line);
            markers.push(marker);
        }
        body.push_str("}\n");
    }
    (body, markers)
}

/// What a type needs besides its required attributes to pass its own
/// checks (an error at validate would stop the plan before the null
/// variables are known).
fn other_settings(type_name: &str) -> &'static str {
    match type_name {
        // Exactly one principal.
        "rbac_zenml_role_assignment" => "  team_id = \"7d1c2b3a-2222-4aaa-8bbb-000000000003\"\n",
        _ => "",
    }
}

/// Each marker's line number in `main.tf`.
fn line_of(ws: &Workspace, marker: &str) -> u64 {
    let text = std::fs::read_to_string(ws.path().join("main.tf")).unwrap();
    let at = text
        .lines()
        .position(|l| l.ends_with(marker))
        .unwrap_or_else(|| panic!("{marker} in main.tf"));
    at as u64 + 1
}

/// Asserts that `diagnostics` hold exactly one "Missing Configuration for
/// Required Attribute" error per marker, on its line and naming its
/// attribute, and no other error.
fn assert_one_error_per_attribute(ws: &Workspace, markers: &[String], diagnostics: &[Value]) {
    let errors: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    for marker in markers {
        let line = line_of(ws, marker);
        let attr = marker.rsplit('.').next().unwrap();
        let hits: Vec<&&Value> = errors
            .iter()
            .filter(|d| d["range"]["start"]["line"] == line)
            .collect();
        assert_eq!(hits.len(), 1, "{marker}: {hits:#?}\nall: {errors:#?}");
        let d = hits[0];
        assert_eq!(d["summary"], MISSING, "{marker}: {d:#}");
        let detail = d["detail"].as_str().unwrap();
        assert!(
            detail.contains(&format!("for the {attr} attribute")) && detail.contains("null"),
            "{marker}: {detail}"
        );
    }
    assert_eq!(errors.len(), markers.len(), "{errors:#?}");
}

#[test]
fn null_required_attributes_fail_at_validate_and_plan_for_every_type() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    let required = required_attributes(&ws);
    // The list is not empty by accident: these are among them.
    for (mode, t, attr) in [
        ("resource", "rbac_flashduty_member_roles", "role_ids"),
        ("resource", "rbac_flashduty_member_roles", "member_id"),
        ("resource", "rbac_flashduty_role", "role_name"),
        (
            "resource",
            "rbac_rootly_user_on_call_role",
            "on_call_role_id",
        ),
        ("resource", "rbac_zenml_role_assignment", "role_id"),
        ("data", "rbac_slashid_persons", "person_ids"),
        ("data", "rbac_zenml_roles", "organization_id"),
    ] {
        assert!(
            required
                .iter()
                .any(|(m, rt, p)| *m == mode && rt == t && p == &[attr.to_string()]),
            "{mode} {t}.{attr} in {required:?}"
        );
    }

    // A literal null: refused by terraform validate.
    let (body, markers) = every_type_with(&required, "null");
    ws.config(&body);
    let run = ws.run(&["validate", "-json", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    let out: Value = serde_json::from_str(&run.stdout).expect("validate -json");
    assert_eq!(out["valid"], false);
    assert_one_error_per_attribute(&ws, &markers, out["diagnostics"].as_array().unwrap());

    // A variable whose value is null: unknown to validate (variables have
    // no value there), refused by plan.
    let (body, markers) = every_type_with(&required, "var.nothing");
    ws.config(&body);
    ws.ok(&["validate", "-no-color"]);
    let run = ws.run(&["plan", "-json", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    let diagnostics: Vec<Value> = run
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|m| m["type"] == "diagnostic")
        .map(|m| m["diagnostic"].clone())
        .collect();
    assert_one_error_per_attribute(&ws, &markers, &diagnostics);
}

/// The member's roles, as another API client sees them.
fn roles_of(emu: &EmulatorProcess, member_id: u64) -> Value {
    let list = emu.flashduty("/member/list", json!({"limit": 100}));
    list["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["member_id"] == member_id)
        .map(|m| m["account_role_ids"].clone())
        .unwrap_or(Value::Null)
}

fn bob_config(roles_default: &str) -> String {
    format!(
        r#"provider "rbac" {{
  flashduty {{}}
}}

variable "bob_roles" {{
  type    = set(number)
  default = {roles_default}
}}

resource "rbac_flashduty_member_roles" "bob" {{
  member_id = {BOB}
  role_ids  = var.bob_roles
}}
"#
    )
}

fn assert_refused(run: &common::Run) {
    assert_ne!(run.status, 0, "{}", run.all());
    let text = run.all();
    assert!(text.contains(MISSING), "{text}");
    assert!(text.contains("role_ids  = var.bob_roles"), "{text}");
    assert!(!text.contains("inconsistent result"), "{text}");
}

/// The instances of `resource_type` in state (none without a state).
fn instances(ws: &Workspace, resource_type: &str) -> Vec<Value> {
    if ws.path().join("terraform.tfstate").exists() {
        ws.instances(resource_type)
    } else {
        Vec::new()
    }
}

#[test]
fn flashduty_member_roles_null_role_ids_leave_the_member_unchanged() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    assert_eq!(roles_of(&emu, BOB), json!([2, 6]), "Bob: Admin + Responder");

    // Create: refused at plan and at apply; Bob is not reset to Viewer.
    ws.config(&bob_config("null"));
    assert_refused(&ws.run(&["plan", "-no-color"]));
    assert_refused(&ws.run(&["apply", "-auto-approve", "-no-color"]));
    assert_eq!(roles_of(&emu, BOB), json!([2, 6]));
    assert!(instances(&ws, "rbac_flashduty_member_roles").is_empty());

    // Update: managed with its roles, then the variable turns null.
    ws.config(&bob_config("[2, 6]"));
    ws.apply();
    ws.assert_no_changes();
    ws.config(&bob_config("null"));
    assert_refused(&ws.run(&["apply", "-auto-approve", "-no-color"]));
    assert_eq!(roles_of(&emu, BOB), json!([2, 6]));
    let instances = ws.instances("rbac_flashduty_member_roles");
    assert_eq!(instances.len(), 1);
    assert!(
        instances[0].get("status").is_none(),
        "not tainted: {instances:?}"
    );
    assert_eq!(instances[0]["attributes"]["role_ids"], json!([2, 6]));
}

#[test]
fn a_null_known_only_at_plan_is_refused_before_any_write() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    // Alan holds no on-call role: the data source's on_call_role_id is null,
    // known only once it is read during plan.
    ws.config(
        r#"provider "rbac" {
  rootly {}
}

data "rbac_rootly_users" "alan" {
  email = "alan@example.com"
}

resource "rbac_rootly_user_on_call_role" "ada" {
  user_id         = "20001"
  on_call_role_id = data.rbac_rootly_users.alan.users[0].on_call_role_id
}

resource "rbac_rootly_user_on_call_role" "alan" {
  user_id         = data.rbac_rootly_users.alan.users[0].id
  on_call_role_id = data.rbac_rootly_users.alan.users[0].on_call_role_id
}
"#,
    );
    ws.ok(&["validate", "-no-color"]);
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    let text = run.all();
    assert_eq!(text.matches(MISSING).count(), 2, "{text}");
    assert!(text.contains("on_call_role_id attribute"), "{text}");
    assert!(!text.contains("must be known"), "{text}");
    assert!(instances(&ws, "rbac_rootly_user_on_call_role").is_empty());
    let (_, ada) = emu.rootly("GET", "/v1/users/20001", None);
    assert!(
        ada["data"]["relationships"]["on_call_role"]["data"]["id"].is_string(),
        "Ada keeps her role: {ada}"
    );
    let (_, alan) = emu.rootly("GET", &format!("/v1/users/{ALAN}"), None);
    assert!(
        alan["data"]["relationships"]["on_call_role"]["data"].is_null(),
        "{alan}"
    );
}

/// `terraform plan -generate-config-out` for one import block, then apply
/// and a clean plan; returns the generated configuration.
fn generate_and_import(ws: &Workspace, provider_block: &str, to: &str, id: &str) -> String {
    let _ = std::fs::remove_file(ws.path().join("generated.tf"));
    ws.config(&format!(
        "provider \"rbac\" {{\n  {provider_block} {{}}\n}}\n\nimport {{\n  to = {to}\n  id = \"{id}\"\n}}\n"
    ));
    ws.ok(&["plan", "-no-color", "-generate-config-out=generated.tf"]);
    let generated = std::fs::read_to_string(ws.path().join("generated.tf")).unwrap();
    let run = ws.apply();
    assert!(run.stdout.contains("1 imported"), "{}", run.stdout);
    ws.assert_no_changes();
    generated
}

#[test]
fn generated_config_of_every_assignment_resource_plans_clean() {
    let emu = EmulatorProcess::start(&[]);

    // Flashduty: Bob's Admin + Responder.
    let ws = Workspace::new(&emu);
    let generated = generate_and_import(
        &ws,
        "flashduty",
        "rbac_flashduty_member_roles.bob",
        &BOB.to_string(),
    );
    assert!(generated.contains("role_ids  = [2, 6]"), "{generated}");

    // SlashID: a person holding no role; an empty set is a valid value.
    let ws = Workspace::new(&emu);
    let person = "pid:01900000-0000-7000-8000-000000000003";
    let generated = generate_and_import(&ws, "slashid", "rbac_slashid_person_roles.p", person);
    assert!(generated.contains("roles            = []"), "{generated}");

    // Rootly: a user holding an on-call role.
    let ws = Workspace::new(&emu);
    let generated =
        generate_and_import(&ws, "rootly", "rbac_rootly_user_on_call_role.ada", "20001");
    assert!(!generated.contains("null"), "{generated}");

    // ZenML: an assignment made by another configuration.
    let other = Workspace::new(&emu);
    other.config(&format!(
        r#"provider "rbac" {{
  zenml {{}}
}}

data "rbac_zenml_roles" "viewer" {{
  organization_id = "{ZENML_ORG}"
  level           = "organization"
  name            = "Viewer"
}}

resource "rbac_zenml_role_assignment" "team" {{
  role_id = data.rbac_zenml_roles.viewer.ids[0]
  team_id = "7d1c2b3a-2222-4aaa-8bbb-000000000003"
}}
"#
    ));
    other.apply();
    let id = other.resource("rbac_zenml_role_assignment.team").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let ws = Workspace::new(&emu);
    let generated = generate_and_import(&ws, "zenml", "rbac_zenml_role_assignment.team", &id);
    assert!(
        generated.contains("7d1c2b3a-2222-4aaa-8bbb-000000000003"),
        "{generated}"
    );
}

#[test]
fn rootly_user_without_an_on_call_role_is_not_importable() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        "provider \"rbac\" {{\n  rootly {{}}\n}}\n\nimport {{\n  to = rbac_rootly_user_on_call_role.alan\n  id = \"{ALAN}\"\n}}\n"
    ));
    let run = ws.run(&["plan", "-no-color", "-generate-config-out=generated.tf"]);
    assert_ne!(run.status, 0, "{}", run.all());
    let text = run.all();
    assert!(text.contains("holds no on-call role"), "{text}");
    assert!(text.contains("Remove the import block"), "{text}");
    let generated = std::fs::read_to_string(ws.path().join("generated.tf")).unwrap_or_default();
    assert!(!generated.contains("on_call_role_id = null"), "{generated}");

    // By email, through terraform import, too.
    ws.config(
        "provider \"rbac\" {\n  rootly {}\n}\n\nresource \"rbac_rootly_user_on_call_role\" \"alan\" {\n  \
         user_id         = \"20003\"\n  on_call_role_id = \"91b7d512-3c1e-4f0a-9b2d-6e8f7a5c4d3b\"\n}\n",
    );
    let run = ws.run(&[
        "import",
        "-no-color",
        "rbac_rootly_user_on_call_role.alan",
        "alan@example.com",
    ]);
    assert_ne!(run.status, 0, "{}", run.all());
    assert!(run.all().contains("holds no on-call role"), "{}", run.all());
    assert!(instances(&ws, "rbac_rootly_user_on_call_role").is_empty());
}
