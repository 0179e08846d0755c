//! The plugin protocol spoken directly: a gRPC client calls each RPC of the
//! provider binary as Terraform does, against the emulator. Stopping,
//! shutting down and malformed input are in `plugin_protocol_faults.rs`.

mod common;
#[path = "common/plugin.rs"]
mod plugin;

use common::EmulatorProcess;
use plugin::{decode, errors, known, msgpack, null, object, path, pb, Object, Plugin};
use serde_json::json;
use terraform_provider_rbac::framework::tf::Value;

const ROLE: &str = "rbac_flashduty_role";

fn names(types: &[pb::TypeNameMetadata]) -> Vec<String> {
    types.iter().map(|t| t.type_name.clone()).collect()
}

fn attribute<'a>(block: &'a pb::SchemaBlock, name: &str) -> &'a pb::SchemaAttribute {
    let found = block.attributes.iter().find(|a| a.name == name);
    found.unwrap_or_else(|| panic!("no attribute {name}"))
}

const CAPABILITIES: pb::ServerCapabilities = pb::ServerCapabilities {
    plan_destroy: true,
    get_provider_schema_optional: true,
    move_resource_state: true,
};

#[tokio::test]
async fn metadata_lists_every_type_and_the_capabilities() {
    let mut p = plugin::start().await;
    let m = p.provider.get_metadata(pb::Empty {}).await.unwrap();
    let m = m.into_inner();
    let resources = names(&m.resources);
    for t in [
        ROLE,
        "rbac_rootly_on_call_role",
        "rbac_slashid_role",
        "rbac_zenml_role",
    ] {
        assert!(resources.contains(&t.to_string()), "{t} in {resources:?}");
    }
    let data_sources = names(&m.data_sources);
    assert!(data_sources.contains(&"rbac_flashduty_permissions".to_string()));
    assert_eq!(m.server_capabilities, Some(CAPABILITIES));
    assert!(m.diagnostics.is_empty() && m.functions.is_empty());

    // The schemas describe exactly the types listed.
    let s = p.schemas().await;
    let mut with_schema: Vec<_> = s.resource_schemas.keys().cloned().collect();
    with_schema.sort();
    assert_eq!(with_schema, resources);
    assert_eq!(s.data_source_schemas.len(), data_sources.len());
    assert_eq!(s.server_capabilities, Some(CAPABILITIES));
}

#[tokio::test]
async fn schema_gives_attribute_types_constraints_and_secrets() {
    let mut p = plugin::start().await;
    let role = p.block(ROLE).await;
    let id = attribute(&role, "id");
    assert!(id.computed && !id.optional && !id.required);
    assert_eq!(id.r#type, br#""string""#);
    assert!(attribute(&role, "role_name").required);
    let permissions = attribute(&role, "permission_ids");
    assert_eq!(permissions.r#type, br#"["set","number"]"#);
    assert!(permissions.optional && permissions.computed);
    let timeouts = role.block_types.iter().find(|b| b.type_name == "timeouts");
    let timeouts = timeouts.expect("timeouts block");
    assert_eq!(timeouts.nesting, pb::NestingMode::List as i32);
    assert_eq!(timeouts.max_items, 1);

    let provider = p.block("provider").await;
    let flashduty = provider
        .block_types
        .iter()
        .find(|b| b.type_name == "flashduty");
    let flashduty = flashduty.unwrap().block.as_ref().unwrap();
    assert!(attribute(flashduty, "app_key").sensitive);
    assert!(!attribute(flashduty, "base_url").sensitive);
}

#[tokio::test]
async fn no_functions_and_calling_one_is_an_error() {
    let mut p = plugin::start().await;
    let functions = p.provider.get_functions(pb::Empty {}).await.unwrap();
    assert!(functions.get_ref().functions.is_empty());
    let call = pb::CallFunctionRequest {
        name: "parse_role".into(),
        arguments: vec![],
    };
    let answer = p.provider.call_function(call).await.unwrap().into_inner();
    assert!(answer.result.is_none());
    let error = answer.error.expect("an error").text;
    assert!(error.contains("no function \"parse_role\""), "{error}");
}

async fn validate_role(p: &mut Plugin, config: &Object) -> Vec<pb::Diagnostic> {
    let request = pb::ValidateConfigRequest {
        type_name: ROLE.into(),
        config: Some(msgpack(config)),
    };
    let answer = p.provider.validate_resource_config(request).await.unwrap();
    answer.into_inner().diagnostics
}

#[tokio::test]
async fn validation_errors_name_their_attribute() {
    let emu = EmulatorProcess::start(&[]);
    let mut p = plugin::start().await;
    let role = p.block(ROLE).await;
    let good = object(&role, json!({"role_name": "ops", "status": "enabled"}));
    assert!(validate_role(&mut p, &good).await.is_empty());
    let mut unknown = good.clone();
    unknown.insert("role_name".into(), Value::Unknown);
    assert!(validate_role(&mut p, &unknown).await.is_empty());
    let bad = object(&role, json!({"role_name": "ops", "status": "sleeping"}));
    let diags = validate_role(&mut p, &bad).await;
    assert_eq!(errors(&diags).len(), 1, "{diags:?}");
    assert_eq!(path(&diags[0]), "status");

    // In a nested block of the provider configuration.
    let config = p.flashduty_config(&emu, json!({})).await;
    let request = pb::ValidateProviderConfigRequest {
        config: Some(config),
    };
    let answer = p.provider.validate_provider_config(request).await.unwrap();
    assert_eq!(errors(&answer.get_ref().diagnostics), Vec::<String>::new());
    let bad = json!({"max_requests_per_second": -1});
    let config = Some(p.flashduty_config(&emu, bad).await);
    let request = pb::ValidateProviderConfigRequest { config };
    let answer = p.provider.validate_provider_config(request).await.unwrap();
    let diags = answer.into_inner().diagnostics;
    assert_eq!(errors(&diags).len(), 1, "{diags:?}");
    assert_eq!(path(&diags[0]), "flashduty[0].max_requests_per_second");

    let permissions = p.block("rbac_flashduty_permissions").await;
    let config = object(
        &permissions,
        json!({"permission_names": ["Templates Read"]}),
    );
    let request = pb::ValidateConfigRequest {
        type_name: "rbac_flashduty_permissions".into(),
        config: Some(msgpack(&config)),
    };
    let answer = p.provider.validate_data_resource_config(request).await;
    assert!(answer.unwrap().get_ref().diagnostics.is_empty());
}

fn upgrade(version: i64, json: serde_json::Value) -> pb::UpgradeResourceStateRequest {
    pb::UpgradeResourceStateRequest {
        type_name: ROLE.into(),
        version,
        raw_state: Some(pb::RawState {
            json: json.to_string().into_bytes(),
            flatmap: Default::default(),
        }),
    }
}

#[tokio::test]
async fn upgrade_turns_stored_json_into_messagepack() {
    let mut p = plugin::start().await;
    let stored = json!({"id": "42", "role_name": "ops", "description": "",
        "permission_ids": [501], "status": "enabled", "timeouts": []});
    let answer = p.provider.upgrade_resource_state(upgrade(0, stored)).await;
    let answer = answer.unwrap().into_inner();
    assert_eq!(errors(&answer.diagnostics), Vec::<String>::new());
    let state = decode(&answer.upgraded_state).expect("a state");
    assert_eq!(known(&state, "id"), "42");
    assert_eq!(known(&state, "permission_ids"), json!([501]));
    assert_eq!(known(&state, "timeouts"), json!([]));

    // A state from a later schema version is not guessed at.
    let answer = p.provider.upgrade_resource_state(upgrade(1, json!({})));
    let answer = answer.await.unwrap().into_inner();
    assert!(answer.upgraded_state.is_none());
    let errors = errors(&answer.diagnostics);
    assert!(
        errors[0].contains("written by a newer provider"),
        "{errors:?}"
    );
    assert!(errors[0].contains("schema version 1"), "{errors:?}");
}

/// PlanResourceChange of `ROLE`, with the config as the proposed state.
async fn plan(
    p: &mut Plugin,
    prior: &Option<Object>,
    config: Option<&Object>,
) -> pb::PlanResourceChangeResponse {
    let value = |o: Option<&Object>| Some(o.map_or_else(null, msgpack));
    let request = pb::PlanResourceChangeRequest {
        type_name: ROLE.into(),
        prior_state: value(prior.as_ref()),
        proposed_new_state: value(config),
        config: value(config),
        ..Default::default()
    };
    p.provider
        .plan_resource_change(request)
        .await
        .unwrap()
        .into_inner()
}

/// ApplyResourceChange of a plan; returns the new state and private state.
async fn apply(
    p: &mut Plugin,
    prior: &Option<Object>,
    planned: &pb::PlanResourceChangeResponse,
) -> (Option<Object>, Vec<u8>) {
    assert_eq!(errors(&planned.diagnostics), Vec::<String>::new());
    let request = pb::ApplyResourceChangeRequest {
        type_name: ROLE.into(),
        prior_state: Some(prior.as_ref().map_or_else(null, msgpack)),
        planned_state: planned.planned_state.clone(),
        planned_private: planned.planned_private.clone(),
        ..Default::default()
    };
    let answer = p.provider.apply_resource_change(request).await.unwrap();
    let answer = answer.into_inner();
    assert_eq!(errors(&answer.diagnostics), Vec::<String>::new());
    (decode(&answer.new_state), answer.private)
}

#[tokio::test]
async fn plan_keeps_an_unknown_value_unknown() {
    let emu = EmulatorProcess::start(&[]);
    let mut p = plugin::start().await;
    p.configure(&emu, json!({})).await;
    let role = p.block(ROLE).await;
    let mut config = object(
        &role,
        json!({"role_name": "planned", "permission_ids": [501]}),
    );
    config.insert("description".into(), Value::Unknown);
    let planned = plan(&mut p, &None, Some(&config)).await;
    assert_eq!(errors(&planned.diagnostics), Vec::<String>::new());
    let state = decode(&planned.planned_state).expect("a planned state");
    assert!(state["description"].is_unknown(), "{state:?}");
    assert!(state["id"].is_unknown(), "id is computed: {state:?}");
    assert_eq!(known(&state, "role_name"), "planned");
    assert_eq!(known(&state, "permission_ids"), json!([501]));
    assert!(
        emu.flashduty_role_named("planned").is_none(),
        "a plan wrote"
    );
}

#[tokio::test]
async fn create_read_update_import_and_destroy() {
    let emu = EmulatorProcess::start(&[]);
    let mut p = plugin::start().await;
    p.configure(&emu, json!({})).await;
    let role = p.block(ROLE).await;
    let config = object(
        &role,
        json!({"role_name": "grpc-role", "description": "v1"}),
    );
    let planned = plan(&mut p, &None, Some(&config)).await;
    let (created, private) = apply(&mut p, &None, &planned).await;
    let in_emulator = emu.flashduty_role_named("grpc-role").expect("created");
    assert_eq!(in_emulator["description"], "v1");
    let created = created.expect("a created state");
    assert_eq!(known(&created, "id"), in_emulator["role_id"].to_string());

    let request = pb::ReadResourceRequest {
        type_name: ROLE.into(),
        current_state: Some(msgpack(&created)),
        private,
        provider_meta: None,
    };
    let read = p
        .provider
        .read_resource(request)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(errors(&read.diagnostics), Vec::<String>::new());
    assert_eq!(decode(&read.new_state).as_ref(), Some(&created));

    let prior = Some(created);
    let config = object(
        &role,
        json!({"role_name": "grpc-role", "description": "v2"}),
    );
    let planned = plan(&mut p, &prior, Some(&config)).await;
    assert!(planned.requires_replace.is_empty(), "{planned:?}");
    let (updated, _) = apply(&mut p, &prior, &planned).await;
    let in_emulator = emu.flashduty_role_named("grpc-role").unwrap();
    assert_eq!(in_emulator["description"], "v2");

    let id = known(updated.as_ref().unwrap(), "id");
    let request = pb::ImportResourceStateRequest {
        type_name: ROLE.into(),
        id: id.as_str().unwrap().into(),
    };
    let imported = p.provider.import_resource_state(request).await.unwrap();
    let imported = imported.into_inner().imported_resources;
    assert_eq!(imported.len(), 1);
    assert_eq!(imported[0].type_name, ROLE);
    // No configuration reaches an import: its `timeouts` block is null,
    // as with Terraform's own SDKs; every other attribute is as created.
    let without_timeouts = |state: &Option<Object>| {
        let mut state = state.clone().expect("a state");
        state.remove("timeouts");
        state
    };
    assert_eq!(
        without_timeouts(&decode(&imported[0].state)),
        without_timeouts(&updated)
    );

    let planned = plan(&mut p, &updated, None).await;
    assert_eq!(decode(&planned.planned_state), None, "destroy plans null");
    let (destroyed, _) = apply(&mut p, &updated, &planned).await;
    assert_eq!(destroyed, None);
    assert!(
        emu.flashduty_role_named("grpc-role").is_none(),
        "not deleted"
    );
}

#[tokio::test]
async fn read_data_source_from_the_emulator() {
    let emu = EmulatorProcess::start(&[]);
    let mut p = plugin::start().await;
    p.configure(&emu, json!({})).await;
    let block = p.block("rbac_flashduty_permissions").await;
    let config = object(&block, json!({"permission_names": ["Templates Read"]}));
    let request = pb::ReadDataSourceRequest {
        type_name: "rbac_flashduty_permissions".into(),
        config: Some(msgpack(&config)),
        provider_meta: None,
    };
    let read = p.provider.read_data_source(request).await.unwrap();
    let read = read.into_inner();
    assert_eq!(errors(&read.diagnostics), Vec::<String>::new());
    let state = decode(&read.state).expect("a state");
    assert_eq!(known(&state, "ids").as_array().map(Vec::len), Some(1));
}

/// A MoveResourceState request from `source` (`provider type`).
fn move_request(
    source: &str,
    state: serde_json::Value,
    target: &str,
) -> pb::MoveResourceStateRequest {
    let (provider, type_name) = source.split_once(' ').unwrap();
    pb::MoveResourceStateRequest {
        source_provider_address: format!("registry.terraform.io/{provider}"),
        source_type_name: type_name.into(),
        source_schema_version: 0,
        source_state: Some(pb::RawState {
            json: state.to_string().into_bytes(),
            flatmap: Default::default(),
        }),
        target_type_name: target.into(),
        source_private: vec![],
    }
}

#[tokio::test]
async fn move_takes_over_the_vendors_provider_state_and_nothing_else() {
    let mut p = plugin::start().await;
    let id = "91b7d512-7444-4978-8350-7492b18ec2ad";
    let state = json!({"id": id, "name": "Responders", "slug": "responders"});
    let source = "rootlyhq/rootly rootly_on_call_role";
    let request = move_request(source, state, "rbac_rootly_on_call_role");
    let moved = p.provider.move_resource_state(request).await.unwrap();
    let moved = moved.into_inner();
    assert_eq!(errors(&moved.diagnostics), Vec::<String>::new());
    let state = decode(&moved.target_state).expect("a moved state");
    assert_eq!(
        (known(&state, "id"), known(&state, "name")),
        (json!(id), json!("Responders"))
    );

    let state = json!({"id": "x", "name": "ops"});
    let request = move_request("hashicorp/aws aws_iam_role", state, ROLE);
    let moved = p.provider.move_resource_state(request).await.unwrap();
    let moved = moved.into_inner();
    assert!(moved.target_state.is_none());
    let errors = errors(&moved.diagnostics);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("cannot take over a aws_iam_role"),
        "{errors:?}"
    );
    assert!(p.answers().await);
}
