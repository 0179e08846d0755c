//! The HTTP core and the Flashduty client against the emulator's fault
//! injection and rate limits (in-process emulator on a loopback port).

use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use terraform_provider_rbac::emulator::{self, EmulatorConfig, FaultKind};
use terraform_provider_rbac::http::RetryPolicy;
use terraform_provider_rbac::vendors::flashduty::api::{
    rate_limits, retry_policy, RoleUpsertRequest,
};
use terraform_provider_rbac::vendors::flashduty::{FlashdutyClient, FlashdutyConfig};

const KEY: &str = "faults-test-key-91c4";

/// The pacing test measures arrival times at the emulator: it must not
/// share the CPU with the fault tests' hundreds of concurrent requests.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn start(config: EmulatorConfig) -> emulator::RunningEmulator {
    emulator::start(EmulatorConfig {
        flashduty_app_key: KEY.into(),
        ..config
    })
    .await
    .expect("emulator starts")
}

fn client(emu: &emulator::RunningEmulator, retry: RetryPolicy) -> FlashdutyClient {
    FlashdutyClient::new(FlashdutyConfig {
        app_key: KEY.into(),
        base_url: emu.flashduty_url().parse().unwrap(),
        user_agent: "faults-test".into(),
        retry,
        rate_limits: rate_limits(None, None),
    })
    .unwrap()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        ..retry_policy()
    }
}

fn role(name: String) -> RoleUpsertRequest {
    RoleUpsertRequest {
        role_id: None,
        role_name: name,
        description: "fault test".into(),
        permission_ids: vec![501],
    }
}

async fn custom_role_names(client: &FlashdutyClient) -> Vec<String> {
    let mut names: Vec<String> = client
        .list_roles()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.editable)
        .map(|r| r.role_name)
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flashduty_client_converges_under_faults_without_duplicates() {
    let _serial = SERIAL.lock().await;
    let emu = start(EmulatorConfig {
        fault_rate: 0.15,
        faults: FaultKind::ALL.to_vec(),
        fault_delay_ms: 100,
        seed: Some(42),
        ..Default::default()
    })
    .await;
    let client = client(&emu, fast_retries());
    let names: Vec<String> = (0..60).map(|i| format!("fault-role-{i:02}")).collect();
    let results: Vec<_> = stream::iter(names.clone())
        .map(|name| {
            let client = client.clone();
            async move {
                // As the resource does: what was there first, then the create.
                let before = client.before_create(&name).await?;
                client.create_role(&role(name), &before).await
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    for r in &results {
        assert!(r.is_ok(), "a create failed: {}", r.as_ref().unwrap_err());
    }
    emu.emulator()
        .update_faults(emulator::FaultUpdate {
            rate: Some(0.0),
            ..Default::default()
        })
        .unwrap();
    // Exactly one role per name: no duplicate, none missing.
    assert_eq!(custom_role_names(&client).await, names);
    let stats = emu.emulator().stats_snapshot();
    assert!(
        stats.faults(FaultKind::Lost) > 0,
        "the test must exercise lost responses"
    );
    assert!(stats.faults(FaultKind::Reset) > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flashduty_lost_create_is_reconciled_not_duplicated() {
    let _serial = SERIAL.lock().await;
    let emu = start(EmulatorConfig {
        fault_rate: 0.5,
        faults: vec![FaultKind::Lost],
        seed: Some(7),
        ..Default::default()
    })
    .await;
    let client = client(&emu, fast_retries());
    for i in 0..20 {
        let name = format!("lost-{i}");
        let before = client
            .before_create(&name)
            .await
            .expect("listing converges");
        let id = client
            .create_role(&role(name), &before)
            .await
            .expect("create converges");
        assert!(id > 0);
    }
    emu.emulator()
        .update_faults(emulator::FaultUpdate {
            rate: Some(0.0),
            ..Default::default()
        })
        .unwrap();
    let names = custom_role_names(&client).await;
    assert_eq!(names.len(), 20, "{names:?}");
    let lost_upserts = emu
        .emulator()
        .stats_snapshot()
        .count("POST /flashduty/role/upsert", "lost");
    assert!(
        lost_upserts > 0,
        "some creates must have lost their response"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flashduty_client_paces_requests_below_the_rate_limit() {
    let _serial = SERIAL.lock().await;
    let emu = start(EmulatorConfig {
        rate_limit: true,
        ..Default::default()
    })
    .await;
    // A request holds its place in the rate-limit windows until its answer
    // is in, so the server never counts more than the limit in a window,
    // however late a loaded machine sends or answers: not one 429.
    // Unpaced, 32 concurrent callers would see about 70 of them.
    let client = client(&emu, retry_policy());
    let started = Instant::now();
    let results: Vec<_> = stream::iter(0..120)
        .map(|_| {
            let client = client.clone();
            async move { client.get_role(2).await }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    for r in &results {
        assert!(r.is_ok(), "{}", r.as_ref().unwrap_err());
    }
    let stats = emu.emulator().stats_snapshot();
    let throttled = stats.count("POST /flashduty/role/info", "429");
    assert_eq!(throttled, 0, "{throttled} requests were throttled");
    assert_eq!(stats.count("POST /flashduty/role/info", "200"), 120);
    // 120 requests at 50/s need a little over two seconds, no more.
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
}
