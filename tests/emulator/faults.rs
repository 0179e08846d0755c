//! Rate limits, injected faults, latency and the control API.

use std::time::{Duration, Instant};

use serde_json::json;
use terraform_provider_rbac::emulator::{EmulatorConfig, FaultKind, FaultUpdate};

use crate::common::{config, Fd};

fn faulty(kinds: &[FaultKind]) -> FaultUpdate {
    FaultUpdate {
        rate: Some(1.0),
        kinds: Some(kinds.to_vec()),
        ..Default::default()
    }
}

/// Sends 50 requests then a 51st, all within one second (retrying on a
/// machine too loaded for that), and returns the 51st response.
async fn burst_of_51(fd: &Fd) -> crate::common::Resp {
    for _attempt in 0..5 {
        fd.emu.emulator().set_rate_limit(true); // also empties the windows
        let started = Instant::now();
        for i in 0..50 {
            let r = fd.post("/role/list", json!({})).await;
            assert_eq!(r.status, 200, "request {i}");
        }
        let r = fd.post("/role/list", json!({})).await;
        if started.elapsed() < Duration::from_millis(900) {
            return r;
        }
    }
    panic!("machine too slow to send 51 requests within a second");
}

#[tokio::test]
async fn flashduty_rate_limit_51st_request_in_a_second_is_429() {
    let fd = Fd::with(EmulatorConfig {
        rate_limit: true,
        ..config()
    })
    .await;
    let r = burst_of_51(&fd).await;
    r.err(429, "RequestTooFrequently");
    assert!(r.header("flashcat-request-id").is_some());
    // A real rate limit sends no Retry-After (undocumented by the vendor).
    assert!(r.header("retry-after").is_none());
    // The control API is never rate limited.
    fd.control("/reset-stats", json!({})).await;
    // Once the window has slid past, requests pass again.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    fd.post("/role/list", json!({})).await.data();
    let stats = fd.emu.emulator().stats_snapshot();
    assert_eq!(stats.count("POST /flashduty/role/list", "200"), 1);
}

#[tokio::test]
async fn flashduty_rate_limit_off_and_toggle() {
    let fd = Fd::start().await;
    for _ in 0..120 {
        fd.post("/role/list", json!({})).await.data();
    }
    assert_eq!(
        fd.control("/rate-limit", json!({"enabled": true})).await,
        json!({"enabled": true})
    );
    burst_of_51(&fd).await.err(429, "RequestTooFrequently");
    fd.control("/rate-limit", json!({"enabled": false})).await;
    fd.post("/role/list", json!({})).await.data();
}

#[tokio::test]
async fn flashduty_fault_429_500_503_reject_before_handling() {
    let fd = Fd::start().await;
    let cases = [
        (FaultKind::TooManyRequests, 429, "RequestTooFrequently"),
        (FaultKind::InternalError, 500, "InternalError"),
        (FaultKind::ServiceUnavailable, 503, "ServiceUnavailable"),
    ];
    for (kind, status, code) in cases {
        fd.emu.emulator().update_faults(faulty(&[kind])).unwrap();
        let r = fd
            .post(
                "/role/upsert",
                json!({"role_name": format!("never {kind}")}),
            )
            .await;
        r.err(status, code);
        assert_eq!(
            r.header("flashcat-request-id"),
            r.body["request_id"].as_str()
        );
        let retry_after = r.header("retry-after");
        assert_eq!(
            retry_after,
            (kind == FaultKind::TooManyRequests).then_some("1")
        );
    }
    fd.emu
        .emulator()
        .update_faults(FaultUpdate {
            rate: Some(0.0),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(fd.post("/role/list", json!({})).await.data()["total"], 3);
    let stats = fd.emu.emulator().stats_snapshot();
    assert_eq!(stats.count("POST /flashduty/role/upsert", "503"), 1);
    assert_eq!(stats.faults(FaultKind::InternalError), 1);
}

#[tokio::test]
async fn flashduty_fault_reset_is_a_transport_error_and_not_applied() {
    let fd = Fd::start().await;
    fd.control("/faults", json!({"rate": 1.0, "kinds": ["reset"]}))
        .await;
    let err = fd
        .try_post("/role/upsert", json!({"role_name": "reset me"}))
        .await
        .expect_err("a reset must not produce a response");
    assert!(!err.is_timeout(), "{err:?}");
    assert!(err.status().is_none(), "{err:?}");
    fd.control("/faults", json!({"rate": 0.0})).await;
    assert_eq!(fd.post("/role/list", json!({})).await.data()["total"], 3);
    let stats = fd.emu.emulator().stats_snapshot();
    assert_eq!(stats.count("POST /flashduty/role/upsert", "reset"), 1);
    assert_eq!(stats.faults(FaultKind::Reset), 1);
}

#[tokio::test]
async fn flashduty_fault_lost_applies_the_write_but_drops_the_response() {
    let fd = Fd::start().await;
    fd.control("/faults", json!({"rate": 1.0, "kinds": ["lost"]}))
        .await;
    let err = fd
        .try_post("/role/upsert", json!({"role_name": "ghost"}))
        .await
        .expect_err("a lost response must not arrive");
    assert!(!err.is_timeout(), "{err:?}");
    fd.control("/faults", json!({"rate": 0.0})).await;
    let list = fd.post("/role/list", json!({})).await;
    let names: Vec<&str> = list.data()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role_name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"ghost"), "{names:?}");
    let stats: serde_json::Value = fd
        .http
        .get(format!("{}/__emulator/stats", fd.emu.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["endpoints"]["POST /flashduty/role/upsert"]["lost"], 1);
    assert_eq!(stats["faults_injected"]["lost"], 1);
}

#[tokio::test]
async fn flashduty_fault_delay_and_latency() {
    let fd = Fd::start().await;
    fd.control(
        "/faults",
        json!({"rate": 1.0, "kinds": ["delay"], "delay_ms": 300}),
    )
    .await;
    let t = Instant::now();
    fd.post("/role/list", json!({})).await.data();
    assert!(t.elapsed() >= Duration::from_millis(300));
    let settings = fd
        .control("/faults", json!({"rate": 0.0, "latency_ms": 200}))
        .await;
    assert_eq!(settings["latency_ms"], 200);
    let t = Instant::now();
    fd.post("/role/list", json!({})).await.data();
    assert!(t.elapsed() >= Duration::from_millis(200));
    // Control routes get neither.
    let t = Instant::now();
    fd.control("/reset-stats", json!({})).await;
    assert!(t.elapsed() < Duration::from_millis(200));
}

#[tokio::test]
async fn flashduty_faults_replay_with_the_same_seed() {
    async fn run(seed: u64) -> Vec<u16> {
        let fd = Fd::with(EmulatorConfig {
            seed: Some(seed),
            fault_rate: 0.5,
            faults: vec![
                FaultKind::TooManyRequests,
                FaultKind::InternalError,
                FaultKind::ServiceUnavailable,
            ],
            ..config()
        })
        .await;
        assert_eq!(fd.emu.emulator().seed(), seed);
        let mut statuses = Vec::new();
        for _ in 0..40 {
            statuses.push(fd.post("/role/list", json!({})).await.status);
        }
        statuses
    }
    let a = run(42).await;
    assert_eq!(a, run(42).await);
    assert_ne!(a, run(43).await);
    assert!(a.contains(&200) && a.iter().any(|s| *s != 200), "{a:?}");
}

#[tokio::test]
async fn emulator_control_api_validates_and_reports() {
    let fd = Fd::start().await;
    let url = format!("{}/__emulator/faults", fd.emu.url());
    for bad in [
        json!({"rate": 1.5}),
        json!({"kinds": ["teapot"]}),
        json!({"kinds": []}),
        json!({"bogus": 1}),
    ] {
        let r = fd.http.post(&url).json(&bad).send().await.unwrap();
        assert_eq!(r.status(), 400, "{bad}");
    }
    let current: serde_json::Value = fd
        .http
        .get(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(current["rate"], 0.0);
    assert_eq!(current["kinds"].as_array().unwrap().len(), 6);
    fd.post("/role/list", json!({})).await.data();
    let stats = fd.control("/reset-stats", json!({})).await;
    assert_eq!(
        stats,
        json!({"total": 0, "endpoints": {}, "faults_injected": {}})
    );
    let r = fd
        .http
        .get(format!("{}/nowhere", fd.emu.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flashduty_faults_under_concurrency_never_hang() {
    let fd = std::sync::Arc::new(
        Fd::with(EmulatorConfig {
            fault_rate: 0.5,
            faults: vec![FaultKind::Reset, FaultKind::Lost, FaultKind::InternalError],
            ..config()
        })
        .await,
    );
    let started = Instant::now();
    let tasks: Vec<_> = (0..8)
        .map(|w| {
            let fd = fd.clone();
            tokio::spawn(async move {
                let mut outcomes = (0, 0);
                for i in 0..25 {
                    let name = format!("w{w}-{i}");
                    match fd
                        .try_post("/role/upsert", json!({"role_name": name}))
                        .await
                    {
                        Ok(_) => outcomes.0 += 1,
                        Err(e) => {
                            assert!(!e.is_timeout(), "{e:?}");
                            outcomes.1 += 1;
                        }
                    }
                }
                outcomes
            })
        })
        .collect();
    let (mut ok, mut dropped) = (0, 0);
    for t in tasks {
        let (o, d) = t.await.unwrap();
        ok += o;
        dropped += d;
    }
    assert!(started.elapsed() < Duration::from_secs(15));
    let stats = fd.emu.emulator().stats_snapshot();
    assert_eq!(stats.total, 200);
    let transport = stats.faults(FaultKind::Reset) + stats.faults(FaultKind::Lost);
    assert_eq!(dropped, transport);
    assert_eq!(ok + dropped, 200);
    // Exactly the successful and the lost creates exist.
    fd.emu
        .emulator()
        .update_faults(FaultUpdate {
            rate: Some(0.0),
            ..Default::default()
        })
        .unwrap();
    let total = fd.post("/role/list", json!({})).await.data()["total"]
        .as_u64()
        .unwrap();
    let created = stats.count("POST /flashduty/role/upsert", "200") + stats.faults(FaultKind::Lost);
    assert_eq!(total, 3 + created);
}

#[tokio::test]
async fn emulator_fault_endpoint_filter_is_cleared_by_null_or_empty() {
    let fd = Fd::start().await;
    for clear in [json!(null), json!("")] {
        let set = fd
            .control(
                "/faults",
                json!({"rate": 1.0, "kinds": ["500"], "endpoint": "POST /flashduty/role/info"}),
            )
            .await;
        assert_eq!(set["endpoint"], "POST /flashduty/role/info");
        // Other endpoints are spared while the filter holds.
        assert_eq!(fd.post("/role/list", json!({})).await.status, 200);
        let cleared = fd.control("/faults", json!({ "endpoint": clear })).await;
        assert!(cleared.get("endpoint").is_none(), "{clear}: {cleared}");
        // Every endpoint gets faults again.
        assert_eq!(
            fd.post("/role/list", json!({})).await.status,
            500,
            "{clear}"
        );
        fd.control("/faults", json!({"rate": 0.0})).await;
    }
    // An update without the field keeps the filter.
    fd.control("/faults", json!({"endpoint": "POST /flashduty/role/info"}))
        .await;
    let kept = fd.control("/faults", json!({"rate": 1.0})).await;
    assert_eq!(kept["endpoint"], "POST /flashduty/role/info");
}
