//! `moved` blocks from the vendor's own provider (`rootlyhq/rootly`) into
//! `rbac_rootly_on_call_role` and `rbac_rootly_user_on_call_role`, through
//! the real terraform CLI: Terraform calls our MoveResourceState with the
//! state the vendor's provider stored, and the objects change manager
//! without a write to Rootly. The vendor's provider must be present for
//! Terraform to read that state: `rbac-test-rootly-stub` (our server, with
//! the vendor's published schemas) stands in for it through
//! `dev_overrides`.

mod common;

use std::path::PathBuf;

use common::{EmulatorProcess, Workspace};
use serde_json::{json, Value};
use terraform_provider_rbac::vendors::rootly::source_provider::VENDOR_PERMISSION_LISTS;

const ADA: &str = "20001";

/// The stand-in binary: from `RBAC_BIN_DIR` when set, as the others.
fn stub_bin() -> PathBuf {
    match std::env::var_os("RBAC_BIN_DIR") {
        Some(dir) => PathBuf::from(dir).join("rbac-test-rootly-stub"),
        None => PathBuf::from(env!("CARGO_BIN_EXE_rbac-test-rootly-stub")),
    }
}

/// A workspace whose CLI configuration also points `rootlyhq/rootly` at
/// the stand-in (installed as `terraform-provider-rootly`).
fn workspace(emu: &EmulatorProcess) -> Workspace {
    let ws = Workspace::new(emu);
    let stub_dir = ws.path().join("rootly-provider");
    std::fs::create_dir(&stub_dir).unwrap();
    let stub = stub_dir.join("terraform-provider-rootly");
    std::fs::copy(stub_bin(), &stub).expect("copy rbac-test-rootly-stub");
    let rbac_dir = common::provider_bin().parent().unwrap().to_path_buf();
    std::fs::write(
        ws.path().join("terraform.rc"),
        format!(
            "provider_installation {{\n  dev_overrides {{\n    \"rbac-provider/rbac\" = \"{}\"\n    \
             \"rootlyhq/rootly\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
            rbac_dir.display(),
            stub_dir.display()
        ),
    )
    .unwrap();
    ws
}

/// `terraform.tfstate` as the vendor's provider (terraform-plugin-sdk v2)
/// leaves it: the role with all its lists, and Ada's on-call role.
fn vendor_state(role: &Value) -> Value {
    let role_attributes = vendor_role_attributes(role);
    let instance = |attributes: Value| {
        json!({
            "schema_version": 0,
            "attributes": attributes,
            "sensitive_attributes": [],
            // {"schema_version":"0"}, as the SDK writes it.
            "private": "eyJzY2hlbWFfdmVyc2lvbiI6IjAifQ==",
        })
    };
    let resource = |type_name: &str, name: &str, attributes: Value| {
        json!({
            "mode": "managed",
            "type": type_name,
            "name": name,
            "provider": "provider[\"registry.terraform.io/rootlyhq/rootly\"]",
            "instances": [instance(attributes)],
        })
    };
    json!({
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": 3,
        "lineage": "5d3e6f0a-2b1c-4c7e-9a8d-0f1e2d3c4b5a",
        "outputs": {},
        "resources": [
            resource("rootly_on_call_role", "responders", role_attributes),
            resource("rootly_user_on_call_role", "ada", json!({
                "id": ADA,
                "user_id": ADA,
                "on_call_role_id": role["id"],
            })),
        ],
        "check_results": null,
    })
}

/// The attributes the vendor's provider stores for `role` (a JSON:API
/// resource object of the emulator).
fn vendor_role_attributes(role: &Value) -> Value {
    let attributes = &role["attributes"];
    let mut role_attributes = json!({
        "id": role["id"],
        "name": attributes["name"],
        "slug": attributes["slug"],
        "system_role": attributes["system_role"],
    });
    for list in VENDOR_PERMISSION_LISTS {
        role_attributes[list] = attributes.get(list).cloned().unwrap_or(json!([]));
    }
    role_attributes
}

fn write_config(ws: &Workspace, body: &str) {
    let text = format!(
        r#"terraform {{
  required_providers {{
    rbac   = {{ source = "rbac-provider/rbac" }}
    rootly = {{ source = "rootlyhq/rootly" }}
  }}
}}

provider "rbac" {{
  rootly {{}}
}}

{body}
"#
    );
    std::fs::write(ws.path().join("main.tf"), text).unwrap();
}

/// Both moves, from the vendor's types into ours.
const MOVES: &str = r#"moved {
  from = rootly_on_call_role.responders
  to   = rbac_rootly_on_call_role.responders
}

moved {
  from = rootly_user_on_call_role.ada
  to   = rbac_rootly_user_on_call_role.ada
}
"#;

const OUR_RESOURCES: &str = r#"resource "rbac_rootly_on_call_role" "responders" {
  name                  = "Responders"
  alerts_permissions    = ["create", "read"]
  schedules_permissions = ["read"]
}

resource "rbac_rootly_user_on_call_role" "ada" {
  user_id         = "20001"
  on_call_role_id = rbac_rootly_on_call_role.responders.id
}
"#;

/// The role and Ada's assignment, made in Rootly as the vendor's provider
/// would have made them; the workspace holds that provider's state.
fn seeded() -> (EmulatorProcess, Workspace, String) {
    let emu = EmulatorProcess::start(&[]);
    let role = emu.rootly_create(json!({
        "name": "Responders",
        "alerts_permissions": ["read", "create"],
        "schedules_permissions": ["read"],
    }));
    let role_id = role["id"].as_str().unwrap().to_string();
    let assign = json!({"data": {"type": "users", "attributes": {"on_call_role_id": role_id}}});
    let (status, body) = emu.rootly("PUT", &format!("/v1/users/{ADA}"), Some(assign));
    assert_eq!(status, 200, "{body}");
    let ws = workspace(&emu);
    std::fs::write(
        ws.path().join("terraform.tfstate"),
        serde_json::to_string_pretty(&vendor_state(&role)).unwrap(),
    )
    .unwrap();
    (emu, ws, role_id)
}

/// Requests other than reads that reached the emulator's Rootly API.
fn rootly_writes(emu: &EmulatorProcess) -> Vec<String> {
    emu.stats()["endpoints"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(endpoint, _)| endpoint.clone())
        .filter(|endpoint| endpoint.contains("/rootly/") && !endpoint.starts_with("GET "))
        .collect()
}

#[test]
fn moved_blocks_take_over_the_vendors_resources_without_a_write() {
    let (emu, ws, role_id) = seeded();
    write_config(
        &ws,
        &format!(
            "{MOVES}
{OUR_RESOURCES}"
        ),
    );
    emu.reset_stats();

    let plan = ws.ok(&["plan", "-no-color"]);
    for moved in [
        "rootly_on_call_role.responders has moved to rbac_rootly_on_call_role.responders",
        "rootly_user_on_call_role.ada has moved to rbac_rootly_user_on_call_role.ada",
    ] {
        assert!(
            plan.stdout.contains(moved),
            "{moved:?} not in:\n{}",
            plan.stdout
        );
    }
    assert!(
        plan.stdout
            .contains("Plan: 0 to add, 0 to change, 0 to destroy."),
        "{}",
        plan.stdout
    );
    for word in [
        "will be created",
        "will be destroyed",
        "will be imported",
        "must be replaced",
    ] {
        assert!(!plan.stdout.contains(word), "{word:?} in:\n{}", plan.stdout);
    }

    ws.apply();
    assert_eq!(rootly_writes(&emu), Vec::<String>::new());
    assert_eq!(
        ws.instance_ids("rbac_rootly_on_call_role"),
        [role_id.as_str()]
    );
    assert_eq!(ws.instance_ids("rbac_rootly_user_on_call_role"), [ADA]);
    assert!(ws.instances("rootly_on_call_role").is_empty());
    assert!(ws.instances("rootly_user_on_call_role").is_empty());
    let role = ws.resource("rbac_rootly_on_call_role.responders").unwrap();
    assert_eq!(role["slug"], "responders", "{role}");
    assert_eq!(
        role["alerts_permissions"],
        json!(["create", "read"]),
        "{role}"
    );
    let ada = ws.resource("rbac_rootly_user_on_call_role.ada").unwrap();
    assert_eq!(ada["on_call_role_id"], role_id.as_str(), "{ada}");

    ws.assert_no_changes();
    assert_eq!(rootly_writes(&emu), Vec::<String>::new());
    // Still in Rootly, unchanged.
    assert!(emu.rootly_role(&role_id).is_some());
}

#[test]
fn a_moved_block_from_a_type_we_do_not_take_over_is_a_clear_error() {
    let (emu, ws, _) = seeded();
    write_config(
        &ws,
        "moved {\n  from = rootly_on_call_role.responders\n  to   = rbac_rootly_user_on_call_role.ada\n}\n\n\
         resource \"rbac_rootly_user_on_call_role\" \"ada\" {\n  user_id         = \"20001\"\n  on_call_role_id = \"91b7d512-7444-4978-8350-7492b18ec2ad\"\n}\n",
    );
    emu.reset_stats();
    let plan = ws.run(&["plan", "-no-color"]);
    assert_ne!(plan.status, 0, "{}", plan.all());
    let text = plan.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains(
            "rbac_rootly_user_on_call_role cannot take over a rootly_on_call_role of \
             registry.terraform.io/rootlyhq/rootly"
        ),
        "{text}"
    );
    assert!(text.contains("Import the object instead"), "{text}");
    assert_eq!(rootly_writes(&emu), Vec::<String>::new());
}

/// A stored state without `id` says nothing about which object it manages:
/// the move is refused, naming the way out, before anything is written.
#[test]
fn a_vendor_state_without_id_is_refused_with_the_way_out() {
    let (emu, ws, role_id) = seeded();
    let path = ws.path().join("terraform.tfstate");
    let mut state: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    state["resources"][0]["instances"][0]["attributes"]["id"] = json!("");
    std::fs::write(&path, state.to_string()).unwrap();
    write_config(
        &ws,
        &format!(
            "{MOVES}
{OUR_RESOURCES}"
        ),
    );
    emu.reset_stats();
    let plan = ws.run(&["plan", "-no-color"]);
    assert_ne!(plan.status, 0, "{}", plan.all());
    let text = plan.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("Cannot move rootly_on_call_role to rbac_rootly_on_call_role"),
        "{text}"
    );
    assert!(
        text.contains("this rootly_on_call_role has no id (it is empty)"),
        "{text}"
    );
    assert!(text.contains("terraform apply -refresh-only"), "{text}");
    assert_eq!(rootly_writes(&emu), Vec::<String>::new());
    assert!(emu.rootly_role(&role_id).is_some());
}

/// Two instance-level moved blocks out of one `for_each` resource of the
/// vendor's provider. Terraform records one provider per resource, so the
/// second move names this provider as its source: it is still the vendor's
/// state, and both instances move without a write.
#[test]
fn instance_level_moves_out_of_one_vendor_resource_all_land() {
    let emu = EmulatorProcess::start(&[]);
    let ws = workspace(&emu);
    let mut instances = Vec::new();
    for (key, name) in [("resp", "Responders"), ("obs", "Observers")] {
        let role = emu.rootly_create(json!({"name": name, "alerts_permissions": ["read"]}));
        instances.push(json!({
            "index_key": key,
            "schema_version": 0,
            "attributes": vendor_role_attributes(&role),
            "sensitive_attributes": [],
            "private": "eyJzY2hlbWFfdmVyc2lvbiI6IjAifQ==",
        }));
    }
    let state = json!({
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": 3,
        "lineage": "7a1c2e3d-4b5f-4a6e-8c9d-0e1f2a3b4c5d",
        "outputs": {},
        "resources": [{
            "mode": "managed",
            "type": "rootly_on_call_role",
            "name": "role",
            "each": "map",
            "provider": "provider[\"registry.terraform.io/rootlyhq/rootly\"]",
            "instances": instances,
        }],
        "check_results": null,
    });
    std::fs::write(
        ws.path().join("terraform.tfstate"),
        serde_json::to_string_pretty(&state).unwrap(),
    )
    .unwrap();
    write_config(
        &ws,
        r#"moved {
  from = rootly_on_call_role.role["resp"]
  to   = rbac_rootly_on_call_role.role["resp"]
}

moved {
  from = rootly_on_call_role.role["obs"]
  to   = rbac_rootly_on_call_role.role["obs"]
}

resource "rbac_rootly_on_call_role" "role" {
  for_each           = { resp = "Responders", obs = "Observers" }
  name               = each.value
  alerts_permissions = ["read"]
}
"#,
    );
    emu.reset_stats();
    let apply = ws.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(
        apply.stdout.contains("0 added, 0 changed, 0 destroyed"),
        "{}",
        apply.all()
    );
    assert_eq!(rootly_writes(&emu), Vec::<String>::new());
    assert_eq!(ws.instance_ids("rbac_rootly_on_call_role").len(), 2);
    let plan = ws.run(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(plan.status, 0, "{}", plan.all());
}
