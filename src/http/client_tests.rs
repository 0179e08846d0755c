//! Tests of [`HttpClient`] against loopback servers: retries, the
//! non-idempotent contract, timeouts, redaction, request IDs, User-Agent,
//! rate limiting and cancellation.

use std::time::{Duration, Instant};

use serde_json::json;

use super::test_server::{refused_addr, reply, LogCapture, Scripted, Step};
use super::*;

const SECRET: &str = "SECRET123";

/// A Flashduty-like config with fast retries.
pub(super) fn config(base: url::Url) -> HttpConfig {
    let mut config = HttpConfig::new(
        "flashduty",
        base,
        Auth::QueryParam {
            name: "app_key",
            value: SECRET.into(),
        },
    );
    config.request_id_header = "Flashcat-Request-Id";
    config.retry = RetryPolicy {
        base_delay: Duration::from_millis(5),
        ..RetryPolicy::default()
    };
    config.timeout = Duration::from_secs(5);
    config
}

pub(super) fn client(base: url::Url) -> HttpClient {
    HttpClient::new(config(base)).unwrap()
}

pub(super) fn create() -> Request {
    Request::post_json("/role/upsert", &json!({"role_name": "ops"}))
}

pub(super) fn read() -> Request {
    Request::post_json("/role/info", &json!({"role_id": 7})).idempotent(true)
}

#[tokio::test]
async fn retries_429_honouring_retry_after_even_for_creates() {
    let server = Scripted::start(vec![
        Step::Reply(429, vec![("retry-after", "1".into())], "{}".into()),
        reply(200, r#"{"data":{"role_id":7}}"#),
    ])
    .await;
    let start = Instant::now();
    let response = client(server.base()).send(create()).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(server.count(), 2);
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was not honoured"
    );
}

#[tokio::test]
async fn retry_after_is_capped() {
    let server = Scripted::start(vec![
        Step::Reply(429, vec![("retry-after", "3600".into())], "{}".into()),
        reply(200, "{}"),
    ])
    .await;
    let mut config = config(server.base());
    config.retry.max_retry_after = Duration::from_millis(50);
    let start = Instant::now();
    let response = HttpClient::new(config).unwrap().send(read()).await.unwrap();
    assert_eq!(response.status, 200);
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn retries_server_errors_then_succeeds() {
    let server = Scripted::start(vec![
        reply(500, "{}"),
        reply(503, "{}"),
        Step::Reply(
            200,
            vec![("Flashcat-Request-Id", "rid-42".into())],
            "{}".into(),
        ),
    ])
    .await;
    let response = client(server.base()).send(read()).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.request_id.as_deref(), Some("rid-42"));
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn garbled_answers_to_idempotent_requests_are_asked_again() {
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Role {
        role_id: u64,
    }
    let good = r#"{"role_id":7}"#;
    let server = Scripted::start(vec![
        reply(200, r#"{"role_id":"#),
        reply(200, ""),
        reply(200, r#"{"role_id":"seven"}"#),
        reply(200, good),
    ])
    .await;
    let response = client(server.base())
        .send(read().expect_json::<Role>())
        .await
        .unwrap();
    assert_eq!(&response.body[..], good.as_bytes());
    assert_eq!(server.count(), 4);
}

#[tokio::test]
async fn a_garbled_answer_to_a_create_is_not_asked_again() {
    let server = Scripted::start(vec![reply(200, r#"{"data":"#), reply(200, "{}")]).await;
    let request = create().expect_json::<serde_json::Value>();
    let response = client(server.base()).send(request).await.unwrap();
    // Resending could create the role twice: the caller reconciles.
    assert_eq!(&response.body[..], br#"{"data":"#);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn exhausted_retries_return_the_last_response() {
    let envelope = r#"{"request_id":"r1","error":{"code":"ServiceUnavailable","message":"down"}}"#;
    let server = Scripted::start(vec![
        reply(502, "<html>bad gateway</html>"),
        reply(503, envelope),
    ])
    .await;
    let mut config = config(server.base());
    config.retry.max_retries = 2;
    let response = HttpClient::new(config).unwrap().send(read()).await.unwrap();
    assert_eq!(response.status, 503);
    assert!(!response.is_success());
    assert_eq!(server.count(), 3);
    let body: serde_json::Value = response.json().unwrap();
    assert_eq!(body["error"]["code"], "ServiceUnavailable");
}

#[tokio::test]
async fn connection_refused_is_retried_even_for_creates() {
    let base = url::Url::parse(&format!("http://{}/", refused_addr().await)).unwrap();
    let mut config = config(base);
    config.retry.max_retries = 2;
    let client = HttpClient::new(config).unwrap();
    for request in [read(), create()] {
        let err = client.send(request).await.unwrap_err();
        match &err {
            HttpError::Transport {
                attempts,
                ambiguous,
                timed_out,
                ..
            } => {
                assert_eq!(*attempts, 3, "{err}");
                assert!(!ambiguous && !timed_out, "{err}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn dropped_connections_are_retried_for_idempotent_requests() {
    let server = Scripted::start(vec![Step::Drop, Step::Drop, reply(200, "{}")]).await;
    let response = client(server.base()).send(read()).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn create_is_not_retried_on_server_error() {
    let server = Scripted::start(vec![reply(500, "{}"), reply(200, "{}")]).await;
    let response = client(server.base()).send(create()).await.unwrap();
    assert_eq!(response.status, 500);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn create_after_a_dropped_connection_is_ambiguous() {
    let server = Scripted::start(vec![Step::Drop, reply(200, "{}")]).await;
    let err = client(server.base()).send(create()).await.unwrap_err();
    assert!(err.is_ambiguous(), "{err:?}");
    assert!(err.to_string().contains("may have applied"), "{err}");
    assert!(matches!(err, HttpError::Transport { attempts: 1, .. }));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn attempts_time_out_with_a_clear_message() {
    let server = Scripted::start(vec![Step::Slow(Duration::from_secs(3))]).await;
    let mut config = config(server.base());
    config.timeout = Duration::from_millis(200);
    config.retry.max_retries = 1;
    let client = HttpClient::new(config).unwrap();

    let err = client.send(read()).await.unwrap_err();
    assert!(err.is_timeout() && !err.is_ambiguous(), "{err:?}");
    assert!(err.to_string().contains("timed out after 200ms"), "{err}");
    assert!(matches!(err, HttpError::Transport { attempts: 2, .. }));

    let err = client.send(create()).await.unwrap_err();
    assert!(err.is_timeout() && err.is_ambiguous(), "{err:?}");
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn the_secret_never_leaves_the_core() {
    let capture = LogCapture::default();
    let _guard = capture.install();
    let server = Scripted::start(vec![
        reply(500, &format!(r#"{{"error":"bad app_key={SECRET}"}}"#)),
        Step::Drop,
        reply(400, &format!("<html>key {SECRET} rejected</html>")),
        Step::Drop,
    ])
    .await;
    let client = client(server.base());
    let mut seen = Vec::new();

    let response = client
        .send(read().query("q", "x").header("X-Trace", "1"))
        .await
        .unwrap();
    assert_eq!(response.status, 400);
    let err = response.json::<serde_json::Value>().unwrap_err();
    seen.push(format!("{response:?} {} {} {:?}", response.path, err, err));
    seen.push(response.body_excerpt());

    let err = client.send(create()).await.unwrap_err();
    assert!(err.is_ambiguous());
    seen.push(format!("{err} {err:?}"));

    let refused = url::Url::parse(&format!("http://{}/p", refused_addr().await)).unwrap();
    let mut cfg = config(refused);
    cfg.retry.max_retries = 0;
    let err = HttpClient::new(cfg)
        .unwrap()
        .send(read())
        .await
        .unwrap_err();
    seen.push(format!("{err} {err:?} {client:?}"));

    let logs = capture.text();
    assert!(
        logs.contains("/flashduty/role/info") && logs.contains("retrying"),
        "{logs}"
    );
    assert!(
        logs.contains("REDACTED"),
        "bodies are logged, redacted: {logs}"
    );
    for text in seen.iter().chain([&logs]) {
        assert!(!text.contains(SECRET), "secret leaked: {text}");
    }
    // The credential did reach the server, in the query.
    let first = server.requests.lock().unwrap()[0].clone();
    assert!(
        first.starts_with(&format!(
            "POST /flashduty/role/info?q=x&app_key={SECRET} HTTP/1.1"
        )),
        "{first}"
    );
}

#[tokio::test]
async fn sends_user_agent_bearer_and_captures_request_id_with_axum() {
    use axum::http::HeaderMap;
    use axum::routing::get;

    let app = axum::Router::new().route(
        "/api/v1/roles",
        get(|headers: HeaderMap| async move {
            let h = |n: &str| headers.get(n).unwrap().to_str().unwrap().to_owned();
            (
                [("x-request-id", "req-7"), ("etag", "\"v1\"")],
                axum::Json(
                    json!({"ua": h("user-agent"), "auth": h("authorization"), "if": h("if-match")}),
                ),
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let base = url::Url::parse(&format!("http://{addr}/api/")).unwrap();
    let mut config = HttpConfig::new("rootly", base, Auth::Bearer("tok-1".into()));
    config.user_agent = build_user_agent(Some("1.11.4"), Some("ci-pipeline/9"));
    let client = HttpClient::new(config).unwrap();
    let response = client
        .send(Request::get("v1/roles").header("If-Match", "\"v0\""))
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some("req-7"));
    assert_eq!(response.header("ETag"), Some("\"v1\""));
    let body: serde_json::Value = response.json().unwrap();
    assert_eq!(body["auth"], "Bearer tok-1");
    assert_eq!(body["if"], "\"v0\"");
    let ua = body["ua"].as_str().unwrap();
    assert!(
        ua.starts_with("Terraform/1.11.4 terraform-provider-rbac/"),
        "{ua}"
    );
    assert!(ua.ends_with(" ci-pipeline/9"), "{ua}");
}

#[tokio::test]
async fn clients_of_one_account_share_the_rate_limit() {
    let server = Scripted::start(vec![reply(200, "{}")]).await;
    let mut config = config(server.base());
    config.auth = Auth::QueryParam {
        name: "app_key",
        value: "shared-limit-key".into(),
    };
    config.rate_limits = vec![RateLimit::new(3, Duration::from_millis(300))];
    let (a, b) = (
        HttpClient::new(config.clone()).unwrap(),
        HttpClient::new(config).unwrap(),
    );
    let start = Instant::now();
    for _ in 0..2 {
        let (ra, rb) = tokio::join!(a.send(read()), b.send(read()));
        assert_eq!(ra.unwrap().status + rb.unwrap().status, 400);
    }
    // Four sends at 3 per 300 ms: the fourth waits a full window.
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn rejects_bad_configuration_and_requests() {
    let base = url::Url::parse("http://127.0.0.1:9/").unwrap();
    let mut bad = config(url::Url::parse("ftp://example.com").unwrap());
    assert!(matches!(
        HttpClient::new(bad.clone()),
        Err(HttpError::Config(_))
    ));
    bad.base_url = url::Url::parse(&format!("http://h/?app_key={SECRET}")).unwrap();
    let err = HttpClient::new(bad.clone()).unwrap_err();
    assert!(!format!("{err} {err:?}").contains(SECRET));
    bad.base_url = url::Url::parse(&format!("http://user:{SECRET}@h/")).unwrap();
    let err = HttpClient::new(bad).unwrap_err();
    assert!(err.to_string().contains("password"), "{err}");
    assert!(!format!("{err} {err:?}").contains(SECRET));
    let mut bad = config(base.clone());
    bad.rate_limits = vec![RateLimit::per_second(0)];
    assert!(matches!(HttpClient::new(bad), Err(HttpError::Config(_))));

    let client = client(base);
    let err = client.send(Request::get("/x?y=1")).await.unwrap_err();
    assert!(matches!(err, HttpError::Config(_)), "{err:?}");
    let err = client
        .send(Request::get("/x").header("bad name", "v"))
        .await
        .unwrap_err();
    assert!(matches!(err, HttpError::Config(_)), "{err:?}");
    let mut map = std::collections::HashMap::new();
    map.insert((1, 2), 3);
    let err = client
        .send(Request::post_json("/x", &map))
        .await
        .unwrap_err();
    assert!(matches!(err, HttpError::Encode { .. }), "{err:?}");
}

#[test]
fn client_is_cheap_to_share() {
    fn assert_send_sync_clone<T: Send + Sync + Clone>() {}
    assert_send_sync_clone::<HttpClient>();
}
