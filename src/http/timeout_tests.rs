//! Tests of how [`HttpClient`] fails when a server is unreachable or
//! stalls: fast for refused connections, within the operation's
//! [`Deadline`] for everything else, with the host in every message.

use std::time::{Duration, Instant};

use super::test_server::{refused_addr, reply, LogCapture, Scripted, Step};
use super::*;

fn config(base: url::Url, max_retries: u32) -> HttpConfig {
    let mut config = HttpConfig::new("rootly", base, Auth::Bearer("tok".into()));
    config.retry.max_retries = max_retries;
    config
}

fn read() -> Request {
    Request::get("/v1/on_call_roles")
}

fn deadline(budget: Duration) -> Deadline {
    Deadline::new("read", budget, "Raise timeouts.read.")
}

#[tokio::test]
async fn refused_connections_fail_within_seconds_however_many_retries() {
    let addr = refused_addr().await;
    let base = url::Url::parse(&format!("http://{addr}/rootly")).unwrap();
    // Rootly's policy: 8 retries, 1 s doubling backoff (42 s to fail without the connect budget).
    let client = HttpClient::new(config(base, 8)).unwrap();
    let start = Instant::now();
    let err = client.send(read()).await.unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    let HttpError::Transport { attempts, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*attempts, 3, "{err}");
    let text = err.to_string();
    assert!(
        text.contains(&format!("GET http://{addr}/rootly/v1/on_call_roles"))
            && text.contains(&format!("cannot connect to http://{addr}")),
        "{text}"
    );
}

#[tokio::test]
async fn a_stalled_server_is_bounded_by_the_operation_deadline() {
    let server = Scripted::start(vec![Step::Slow(Duration::from_secs(3600))]).await;
    let client = HttpClient::new(config(server.base(), 5)).unwrap();
    let start = Instant::now();
    let err = deadline(Duration::from_secs(1))
        .scope(client.send(read()))
        .await
        .unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    assert!(err.is_timeout() && !err.is_ambiguous(), "{err:?}");
    assert_eq!(server.count(), 1);
    let text = err.to_string();
    assert!(
        text.contains(&format!("GET http://{}/", server.addr))
            && text.contains("the read timed out after 1s while waiting for an answer")
            && text.ends_with("Raise timeouts.read."),
        "{text}"
    );
    let create = Request::post_json("/v1/on_call_roles", &1);
    let err = deadline(Duration::from_millis(300))
        .scope(client.send(create))
        .await
        .unwrap_err();
    assert!(
        err.is_ambiguous(),
        "a create on the wire may have been applied: {err}"
    );
}

#[tokio::test]
async fn no_retry_is_started_that_would_pass_the_deadline() {
    let server = Scripted::start(vec![Step::Reply(
        503,
        vec![("retry-after", "5".into())],
        "{}".into(),
    )])
    .await;
    let client = HttpClient::new(config(server.base(), 5)).unwrap();
    let start = Instant::now();
    let err = deadline(Duration::from_secs(2))
        .scope(client.send(read()))
        .await
        .unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.count(), 1);
    let text = err.to_string();
    assert!(
        text.contains("a retry in 5s would pass it") && text.contains("HTTP 503"),
        "{text}"
    );
}

#[tokio::test]
async fn a_rate_limit_wait_past_the_deadline_fails_at_once() {
    let server = Scripted::start(vec![reply(200, "{}")]).await;
    let mut config = config(server.base(), 0);
    config.rate_limits = vec![RateLimit::per_minute(1)];
    let client = HttpClient::new(config).unwrap();
    client.send(read()).await.unwrap();
    let start = Instant::now();
    let err = deadline(Duration::from_secs(5))
        .scope(client.send(read()))
        .await
        .unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(1));
    assert!(
        err.to_string()
            .contains("would time out (its timeout is 5s)")
            && err
                .to_string()
                .contains("the client-side rate limit lets it go only in")
            && err.to_string().contains("needs a timeout above 1m"),
        "{err}"
    );
}

#[tokio::test]
async fn retries_are_announced_at_info_with_the_attempt_count() {
    let capture = LogCapture::default();
    let _guard = capture.install();
    let server = Scripted::start(vec![reply(503, "{}"), reply(200, "{}")]).await;
    let mut config = config(server.base(), 3);
    config.retry.base_delay = Duration::from_millis(10);
    config.retry.jitter = false;
    let response = HttpClient::new(config).unwrap().send(read()).await.unwrap();
    assert_eq!(response.status, 200);
    let logs = capture.text();
    let line = logs
        .lines()
        .find(|l| l.contains("retrying in"))
        .unwrap_or_else(|| panic!("{logs}"));
    assert!(
        line.contains("INFO")
            && line.contains("retrying in 10ms (attempt 2 of 4)")
            && line.contains(&format!(
                "GET http://{}/flashduty/v1/on_call_roles",
                server.addr
            )),
        "{line}"
    );
}
