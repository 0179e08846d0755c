//! Malformed vendor answers: a body cut short, an HTML error page
//! from a proxy, an empty body. Each must give a clear error naming the
//! request and the vendor's request ID, never a panic; and a create whose
//! answer cannot be read (the server did create the role) must be
//! reconciled rather than duplicated or orphaned.

use std::time::Duration;

use serde_json::json;
use terraform_provider_rbac::emulator::{self, EmulatorConfig, FaultKind, FaultUpdate};
use terraform_provider_rbac::http::RetryPolicy;
use terraform_provider_rbac::vendors::flashduty::api::{rate_limits, RoleUpsertRequest};
use terraform_provider_rbac::vendors::flashduty::{FlashdutyClient, FlashdutyConfig};
use terraform_provider_rbac::vendors::rootly::api::{ListFilters, RoleAttributes};
use terraform_provider_rbac::vendors::rootly::{RootlyClient, RootlyConfig};

const FLASHDUTY_KEY: &str = "malformed-test-key";
const ROOTLY_TOKEN: &str = "malformed-test-token";

async fn start() -> emulator::RunningEmulator {
    emulator::start(EmulatorConfig {
        flashduty_app_key: FLASHDUTY_KEY.into(),
        rootly_api_token: ROOTLY_TOKEN.into(),
        rate_limit: false,
        ..Default::default()
    })
    .await
    .expect("emulator starts")
}

fn retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        ..RetryPolicy::default()
    }
}

fn flashduty(emu: &emulator::RunningEmulator) -> FlashdutyClient {
    FlashdutyClient::new(FlashdutyConfig {
        app_key: FLASHDUTY_KEY.into(),
        base_url: emu.flashduty_url().parse().unwrap(),
        user_agent: "malformed-test".into(),
        retry: retries(),
        rate_limits: rate_limits(Some(0), Some(0)),
    })
    .unwrap()
}

fn rootly(emu: &emulator::RunningEmulator) -> RootlyClient {
    RootlyClient::new(RootlyConfig {
        api_token: ROOTLY_TOKEN.into(),
        base_url: emu.rootly_url().parse().unwrap(),
        user_agent: "malformed-test".into(),
        retry: retries(),
        max_requests_per_minute: 0,
    })
    .unwrap()
}

/// Every request (to `endpoint`, or any) gets `kind` from now on.
fn fault(emu: &emulator::RunningEmulator, kind: FaultKind, endpoint: &str) {
    emu.emulator()
        .update_faults(FaultUpdate {
            rate: Some(1.0),
            kinds: Some(vec![kind]),
            endpoint: Some(Some(endpoint.into())),
            ..Default::default()
        })
        .unwrap();
}

/// A clear, single-line-ish message: the request, the status, a request ID.
fn assert_clear(message: &str, path: &str) {
    assert!(message.contains(path), "no request path in {message:?}");
    assert!(
        message.to_lowercase().contains("request id"),
        "no request ID in {message:?}"
    );
    assert!(!message.contains("panicked"), "{message}");
}

#[tokio::test]
async fn flashduty_reads_of_malformed_answers_are_clear_errors() {
    let emu = start().await;
    let client = flashduty(&emu);
    for kind in FaultKind::MALFORMED {
        fault(&emu, kind, "");
        let err = client.get_role(2).await.expect_err("malformed answer");
        assert_clear(&err.to_string(), "/flashduty/role/info");
        let err = client.list_roles().await.expect_err("malformed answer");
        assert_clear(&err.to_string(), "/flashduty/role/list");
    }
}

#[tokio::test]
async fn rootly_reads_of_malformed_answers_are_clear_errors() {
    let emu = start().await;
    let client = rootly(&emu);
    for kind in FaultKind::MALFORMED {
        fault(&emu, kind, "");
        let err = client
            .get_role("some-slug")
            .await
            .expect_err("malformed answer");
        assert_clear(&err.to_string(), "/rootly/v1/on_call_roles/some-slug");
        let err = client
            .list_roles(&ListFilters::default())
            .await
            .expect_err("malformed answer");
        assert_clear(&err.to_string(), "/rootly/v1/on_call_roles");
    }
}

/// The server creates the role, but its answer is unreadable: the client
/// must come back with the role's ID, and exactly one role must exist.
#[tokio::test]
async fn flashduty_create_with_unreadable_answer_is_reconciled() {
    let emu = start().await;
    let client = flashduty(&emu);
    for (i, kind) in FaultKind::MALFORMED.into_iter().enumerate() {
        let name = format!("Malformed {i}");
        // Only the create's answer is broken: the lookup that follows reads fine.
        fault(&emu, kind, "POST /flashduty/role/upsert");
        let before = client.before_create(&name).await.unwrap();
        let id = client
            .create_role(
                &RoleUpsertRequest {
                    role_id: None,
                    role_name: name.clone(),
                    description: "d".into(),
                    permission_ids: vec![501],
                },
                &before,
            )
            .await;
        let named: Vec<_> = client
            .list_roles()
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.role_name == name)
            .collect();
        if kind == FaultKind::Html {
            // A proxy's error page every time: never created, and said so.
            assert_clear(
                &id.expect_err("no create").to_string(),
                "/flashduty/role/upsert",
            );
            assert!(named.is_empty(), "{named:?}");
            continue;
        }
        assert_eq!(named.len(), 1, "{kind}: {named:?}");
        assert_eq!(named[0].role_id, id.expect("reconciled create"));
    }
}

#[tokio::test]
async fn rootly_create_with_unreadable_answer_is_reconciled() {
    let emu = start().await;
    let client = rootly(&emu);
    for (i, kind) in FaultKind::MALFORMED.into_iter().enumerate() {
        let name = format!("Malformed {i}");
        let mut attributes = RoleAttributes {
            name: Some(name.clone()),
            ..Default::default()
        };
        attributes
            .permissions
            .insert("alerts_permissions".into(), vec!["read".into()]);
        // Only the create's answer is broken: the lookups read fine.
        fault(&emu, kind, "POST /rootly/v1/on_call_roles");
        let before = client.before_create(&name).await.unwrap();
        let role = client.create_role(&attributes, &before).await;
        let named = client
            .list_roles(&ListFilters {
                name: Some(name.clone()),
                ..Default::default()
            })
            .await
            .unwrap();
        if kind == FaultKind::Html {
            assert_clear(
                &role.expect_err("no create").to_string(),
                "/rootly/v1/on_call_roles",
            );
            assert!(named.is_empty(), "{named:?}");
            continue;
        }
        assert_eq!(named.len(), 1, "{kind}: {named:?}");
        assert_eq!(named[0].id, role.expect("reconciled create").id);
        assert_eq!(
            json!(named[0].family("alerts_permissions")),
            json!(["read"])
        );
    }
}
