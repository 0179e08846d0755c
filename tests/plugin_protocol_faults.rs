//! The plugin protocol when things go wrong, spoken directly with a gRPC
//! client: type names the provider does not have, malformed values,
//! StopProvider with work in flight, and the controller's Shutdown.

mod common;
#[path = "common/plugin.rs"]
mod plugin;

use std::time::{Duration, Instant};

use common::EmulatorProcess;
use plugin::{bytes, decode, errors, msgpack, null, object, path, pb, Client, Plugin};
use serde_json::json;

const ROLE: &str = "rbac_flashduty_role";

/// Not MessagePack at all (0xc1 is never used), a truncated map, strings
/// that are not UTF-8, and MessagePack of the wrong shape (a string; a map
/// whose values have the wrong types, for the state and the private state).
fn garbage() -> Vec<Vec<u8>> {
    let wrong_type = json!({"role_name": 7, "sent_ms": "soon"});
    let wrong_type = rmp_serde::to_vec_named(&wrong_type).unwrap();
    let not_utf8 = |key: &str| {
        [
            &[0xa0 | key.len() as u8],
            key.as_bytes(),
            &[0xa2, 0xff, 0xfe],
        ]
        .concat()
    };
    vec![
        vec![0x92, 0xff, 0x00, 0xc1],
        vec![0x85, 0xa9, b'r', b'o'],
        rmp_serde::to_vec("a role").unwrap(),
        wrong_type,
        // {"role_name": <not UTF-8>, "sent_ms": <not UTF-8>}
        [vec![0x82], not_utf8("role_name"), not_utf8("sent_ms")].concat(),
        // Lists nested deep: a decoder that recursed without bound would
        // overflow the stack and abort the process.
        vec![0x91; 1_000_000],
        vec![0x91; 1_000],
        vec![0x91; 31],
    ]
}

/// The error diagnostics of a call's answer (a gRPC error fails the test).
macro_rules! errors_of {
    ($call:expr) => {
        errors(&$call.await.expect("a gRPC answer").into_inner().diagnostics)
    };
}

/// Each call that carries a value, with `bad` in one of its values (or as
/// private state); the error diagnostics of each answer.
async fn calls_with(p: &mut Plugin, bad: &[u8], good: &pb::DynamicValue) -> Vec<Vec<String>> {
    let (bad_bytes, bad, good) = (bad.to_vec(), Some(bytes(bad.to_vec())), Some(good.clone()));
    let c = &mut p.provider;
    let config = |config| pb::ValidateConfigRequest {
        type_name: ROLE.into(),
        config,
    };
    let plan = |prior_state, config: Option<pb::DynamicValue>| pb::PlanResourceChangeRequest {
        type_name: ROLE.into(),
        prior_state,
        proposed_new_state: config.clone(),
        config,
        ..Default::default()
    };
    let apply = |prior_state, planned_state, planned_private| pb::ApplyResourceChangeRequest {
        type_name: ROLE.into(),
        prior_state,
        planned_state,
        planned_private,
        ..Default::default()
    };
    let read = |current_state, private| pb::ReadResourceRequest {
        type_name: ROLE.into(),
        current_state,
        private,
        provider_meta: None,
    };
    let provider_config = pb::ValidateProviderConfigRequest {
        config: bad.clone(),
    };
    let configure = pb::ConfigureProviderRequest {
        terraform_version: "1.9.8".into(),
        config: bad.clone(),
    };
    let (null, none) = (Some(null()), Vec::new);
    vec![
        errors_of!(c.validate_resource_config(config(bad.clone()))),
        errors_of!(c.validate_provider_config(provider_config)),
        errors_of!(c.configure_provider(configure)),
        errors_of!(c.plan_resource_change(plan(null.clone(), bad.clone()))),
        errors_of!(c.plan_resource_change(plan(bad.clone(), good.clone()))),
        errors_of!(c.apply_resource_change(apply(null.clone(), bad.clone(), none()))),
        errors_of!(c.apply_resource_change(apply(bad.clone(), good.clone(), none()))),
        errors_of!(c.apply_resource_change(apply(good.clone(), good.clone(), bad_bytes.clone()))),
        errors_of!(c.apply_resource_change(apply(bad.clone(), null.clone(), none()))),
        errors_of!(c.read_resource(read(bad.clone(), none()))),
        errors_of!(c.read_resource(read(good.clone(), bad_bytes))),
    ]
}

#[tokio::test]
async fn malformed_values_are_error_diagnostics_and_the_server_lives_on() {
    let emu = EmulatorProcess::start(&[]);
    let mut p = plugin::start().await;
    p.configure(&emu, json!({})).await;
    let good = object(&p.block(ROLE).await, json!({"role_name": "ok"}));
    for bad in garbage() {
        for (call, errors) in calls_with(&mut p, &bad, &msgpack(&good))
            .await
            .iter()
            .enumerate()
        {
            assert!(!errors.is_empty(), "call {call} with {bad:x?}: no error");
            assert!(
                errors.iter().any(|e| e.contains("could not decode")),
                "call {call} with {bad:x?}: {errors:?}"
            );
        }
        assert!(p.answers().await, "the server died on {bad:x?}");
    }
    // Stored states in JSON: not JSON, of another shape, nested deep.
    let deep = |n| format!("{}{}", "[".repeat(n), "]".repeat(n)).into_bytes();
    for json in [
        b"{\"id\": ".to_vec(),
        b"[1, 2]".to_vec(),
        deep(100),
        deep(100_000),
    ] {
        let raw = Some(pb::RawState {
            json: json.to_vec(),
            flatmap: Default::default(),
        });
        let upgrade = pb::UpgradeResourceStateRequest {
            type_name: ROLE.into(),
            version: 0,
            raw_state: raw.clone(),
        };
        let answer = p.provider.upgrade_resource_state(upgrade).await.unwrap();
        assert!(errors(&answer.get_ref().diagnostics)[0].contains("could not decode"));
        let moved = pb::MoveResourceStateRequest {
            source_provider_address: "registry.terraform.io/rootlyhq/rootly".into(),
            source_type_name: "rootly_on_call_role".into(),
            source_state: raw,
            target_type_name: "rbac_rootly_on_call_role".into(),
            ..Default::default()
        };
        let answer = p.provider.move_resource_state(moved).await.unwrap();
        assert!(!errors(&answer.get_ref().diagnostics).is_empty());
    }
    assert!(p.child.try_wait().unwrap().is_none(), "the provider exited");
    assert!(emu.flashduty_roles().iter().all(|r| r["role_name"] != "ok"));
}

#[tokio::test]
async fn unknown_type_names_are_error_diagnostics() {
    let mut p = plugin::start().await;
    let unknown = "rbac_flashduty_rolez";
    let c = &mut p.provider;
    let config = || pb::ValidateConfigRequest {
        type_name: unknown.into(),
        config: Some(null()),
    };
    let import = pb::ImportResourceStateRequest {
        type_name: unknown.into(),
        id: "1".into(),
    };
    let type_name = || unknown.to_string();
    let all = vec![
        errors_of!(c.validate_resource_config(config())),
        errors_of!(c.validate_data_resource_config(config())),
        errors_of!(c.plan_resource_change(pb::PlanResourceChangeRequest {
            type_name: type_name(),
            ..Default::default()
        })),
        errors_of!(c.apply_resource_change(pb::ApplyResourceChangeRequest {
            type_name: type_name(),
            ..Default::default()
        })),
        errors_of!(c.read_resource(pb::ReadResourceRequest {
            type_name: type_name(),
            ..Default::default()
        })),
        errors_of!(c.import_resource_state(import)),
        errors_of!(c.read_data_source(pb::ReadDataSourceRequest {
            type_name: type_name(),
            ..Default::default()
        })),
        errors_of!(c.upgrade_resource_state(pb::UpgradeResourceStateRequest {
            type_name: type_name(),
            ..Default::default()
        })),
        errors_of!(c.move_resource_state(pb::MoveResourceStateRequest {
            target_type_name: type_name(),
            ..Default::default()
        })),
    ];
    for (call, errors) in all.iter().enumerate() {
        assert_eq!(errors.len(), 1, "call {call}: {errors:?}");
        let named = errors[0].contains(&format!("no resource type {unknown:?}"))
            || errors[0].contains(&format!("no data source type {unknown:?}"));
        assert!(named, "call {call}: {errors:?}");
    }
}

#[tokio::test]
async fn a_value_over_4_mib_is_read_as_terraform_sends_it() {
    // Terraform sends messages of up to 256 MiB, the limit of providers
    // built on HashiCorp's terraform-plugin-go.
    let mut p = plugin::start().await;
    let long = "x".repeat(5 << 20);
    let config = json!({"role_name": "big", "description": long});
    let config = object(&p.block(ROLE).await, config);
    let request = pb::ValidateConfigRequest {
        type_name: ROLE.into(),
        config: Some(msgpack(&config)),
    };
    let answer = p.provider.validate_resource_config(request).await;
    let diags = answer
        .expect("a 5 MiB configuration")
        .into_inner()
        .diagnostics;
    assert_eq!(errors(&diags).len(), 1, "{diags:?}");
    assert_eq!(path(&diags[0]), "description");
}

/// ApplyResourceChange creating a role named `name`.
async fn create(
    c: &mut Client,
    role: &pb::SchemaBlock,
    name: &str,
) -> pb::ApplyResourceChangeResponse {
    let config = object(role, json!({ "role_name": name }));
    let plan = pb::PlanResourceChangeRequest {
        type_name: ROLE.into(),
        prior_state: Some(null()),
        proposed_new_state: Some(msgpack(&config)),
        config: Some(msgpack(&config)),
        ..Default::default()
    };
    let planned = c.plan_resource_change(plan).await.unwrap();
    let planned = planned.into_inner();
    assert_eq!(errors(&planned.diagnostics), Vec::<String>::new());
    let apply = pb::ApplyResourceChangeRequest {
        type_name: ROLE.into(),
        prior_state: Some(null()),
        planned_state: planned.planned_state,
        config: Some(msgpack(&config)),
        planned_private: planned.planned_private,
        provider_meta: None,
    };
    c.apply_resource_change(apply).await.unwrap().into_inner()
}

#[tokio::test]
async fn stop_provider_cancels_a_create_in_flight_and_the_server_stays_up() {
    let emu = EmulatorProcess::start(&[]);
    let mut p = plugin::start().await;
    // Two requests a minute: the first create lists the roles and upserts;
    // the second create's upsert waits a minute for a slot before it is sent.
    p.configure(&emu, json!({"max_requests_per_minute": 2}))
        .await;
    let role = p.block(ROLE).await;
    let first = create(&mut p.provider, &role, "before-stop").await;
    assert_eq!(errors(&first.diagnostics), Vec::<String>::new());
    let mut client = p.provider.clone();
    let in_flight = tokio::spawn(async move { create(&mut client, &role, "held-up").await });
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        !in_flight.is_finished(),
        "the rate limit did not hold the create"
    );

    let stopped = Instant::now();
    let stop = p.provider.stop_provider(pb::Empty {}).await.unwrap();
    assert_eq!(stop.into_inner().error, "");
    let answer = tokio::time::timeout(Duration::from_secs(10), in_flight).await;
    let answer = answer
        .expect("the create still waits after StopProvider")
        .unwrap();
    assert!(
        stopped.elapsed() < Duration::from_secs(5),
        "{:?}",
        stopped.elapsed()
    );
    let errors = errors(&answer.diagnostics);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("the provider is stopping"), "{errors:?}");
    let created = answer
        .new_state
        .is_some()
        .then(|| decode(&answer.new_state));
    assert_eq!(created.flatten(), None, "nothing was created");
    assert!(emu.flashduty_role_named("held-up").is_none());
    assert!(emu.flashduty_role_named("before-stop").is_some());
    // StopProvider never takes the server down.
    assert!(p.answers().await, "no answer after StopProvider");
    assert!(p.child.try_wait().unwrap().is_none(), "the provider exited");
}

#[tokio::test]
async fn shutdown_makes_the_provider_exit_within_two_seconds() {
    let mut p = plugin::start().await;
    assert!(p.answers().await);
    p.controller.shutdown(pb::Empty {}).await.unwrap();
    let asked = Instant::now();
    p.hang_up();
    let status = loop {
        if let Some(status) = p.child.try_wait().unwrap() {
            break status;
        }
        assert!(asked.elapsed() < Duration::from_secs(2), "still running");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(status.success(), "{status:?}");
}
