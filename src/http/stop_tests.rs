//! Tests of what stopping (Terraform's Ctrl-C, `StopProvider`) and
//! cancelling do to requests in flight and waiting ([`super::stop`]).

use std::time::{Duration, Instant};

use super::client_tests::{client, config, create, read};
use super::test_server::{reply, Scripted, Step};
use super::*;

#[tokio::test]
async fn cancel_stops_waiting_requests() {
    let server = Scripted::start(vec![Step::Reply(
        429,
        vec![("retry-after", "30".into())],
        "{}".into(),
    )])
    .await;
    let client = client(server.base());
    let canceller = client.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        canceller.cancel();
    });
    let start = Instant::now();
    let err = client.send(read()).await.unwrap_err();
    assert!(matches!(err, HttpError::Cancelled { .. }), "{err:?}");
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(matches!(
        client.send(read()).await,
        Err(HttpError::Cancelled { .. })
    ));
}

/// A client that follows its own stop signal, not the process-wide one.
fn stoppable(base: url::Url) -> (HttpClient, StopSignal) {
    let stop = StopSignal::new();
    let client = HttpClient::with_stop_signal(config(base), stop.clone()).unwrap();
    (client, stop)
}

#[tokio::test]
async fn stopping_lets_a_create_on_the_wire_finish() {
    let server = Scripted::start(vec![Step::Slow(Duration::from_millis(500))]).await;
    let (client, stop) = stoppable(server.base());
    let sending = tokio::spawn({
        let client = client.clone();
        async move { client.send(create()).await }
    });
    while server.count() == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    stop.stop();
    let response = sending
        .await
        .unwrap()
        .expect("the create that was sent finishes");
    assert_eq!(response.status, 200);
    // A create not sent yet is not sent any more; nothing was applied.
    let err = client.send(create()).await.unwrap_err();
    assert!(matches!(err, HttpError::Cancelled { .. }), "{err:?}");
    assert!(err.to_string().contains("stopping"), "{err}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn stopping_gives_up_waiting_for_a_stalled_read() {
    // A read's answer is not worth the attempt timeout (5 s here, 30 s by
    // default) once Terraform asks to stop: asking again later is safe.
    let server = Scripted::start(vec![Step::Slow(Duration::from_secs(4))]).await;
    let (client, stop) = stoppable(server.base());
    let sending = tokio::spawn({
        let client = client.clone();
        async move { client.send(read()).await }
    });
    while server.count() == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let start = Instant::now();
    stop.stop();
    let err = sending.await.unwrap().unwrap_err();
    assert!(matches!(err, HttpError::Cancelled { .. }), "{err:?}");
    // The read was sent: the message must not claim otherwise.
    let text = err.to_string();
    assert!(!text.contains("not sent"), "{text}");
    assert!(
        text.contains("sent, but its answer was not awaited"),
        "{text}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn stopping_cuts_a_retry_wait_of_a_create_short() {
    let server = Scripted::start(vec![Step::Reply(
        429,
        vec![("retry-after", "30".into())],
        "{}".into(),
    )])
    .await;
    let (client, stop) = stoppable(server.base());
    let sending = tokio::spawn({
        let client = client.clone();
        async move { client.send(create()).await }
    });
    while server.count() == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let start = Instant::now();
    stop.stop();
    let err = sending.await.unwrap().unwrap_err();
    assert!(matches!(err, HttpError::Cancelled { .. }), "{err:?}");
    assert!(
        start.elapsed() < Duration::from_secs(25),
        "waited out Retry-After"
    );
    assert_eq!(server.count(), 1, "the rejected create was not sent again");
}

#[tokio::test]
async fn stopping_bounds_the_waits_of_idempotent_requests() {
    // Retry-After 30 s, then success: a read (e.g. the lookup that settles an
    // ambiguous create) still retries, after at most MAX_WAIT_WHEN_STOPPING.
    let server = Scripted::start(vec![
        Step::Reply(429, vec![("retry-after", "30".into())], "{}".into()),
        reply(200, "{}"),
    ])
    .await;
    let (client, stop) = stoppable(server.base());
    let sending = tokio::spawn({
        let client = client.clone();
        async move { client.send(read()).await }
    });
    while server.count() == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let start = Instant::now();
    stop.stop();
    let response = sending.await.unwrap().expect("the read is retried");
    assert_eq!(response.status, 200);
    assert!(
        start.elapsed() < Duration::from_secs(25),
        "waited out Retry-After"
    );
    assert_eq!(server.count(), 2);
    // Later reads are still served.
    assert_eq!(client.send(read()).await.unwrap().status, 200);
}
