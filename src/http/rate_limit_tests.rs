use super::*;

fn flashduty() -> Arc<RateLimiter> {
    Arc::new(RateLimiter::new(&[
        RateLimit::per_second(50),
        RateLimit::per_minute(1000),
    ]))
}

/// Waits for a place as the HTTP client does (without its deadline and
/// stop handling); the place is held until the permit is dropped.
async fn acquire(limiter: &Arc<RateLimiter>) -> Permit {
    let mut ticket = limiter.ticket();
    loop {
        match ticket.take() {
            Ok(permit) => return permit,
            Err(Wait::Until(at)) => tokio::select! {
                _ = tokio::time::sleep_until(at) => {}
                _ = ticket.woken() => {}
            },
            Err(Wait::ForOthers) => ticket.woken().await,
        }
    }
}

/// Every window of length `window` holds at most `limit` of `times`.
fn assert_windows(times: &[Instant], limit: usize, window: Duration) {
    for (i, &start) in times.iter().enumerate() {
        let inside = times[i..]
            .iter()
            .take_while(|&&t| t < start + window)
            .count();
        assert!(
            inside <= limit,
            "{inside} sends within {window:?} of send {i}"
        );
    }
}

/// Sends `n` requests one after another at Flashduty's limits, each
/// answered at once: when each went, and how long all took.
async fn send_in_turn(n: usize) -> (Vec<Instant>, Duration) {
    let limiter = flashduty();
    let start = Instant::now();
    let mut times = Vec::new();
    for _ in 0..n {
        drop(acquire(&limiter).await);
        times.push(Instant::now());
    }
    (times, start.elapsed())
}

#[tokio::test(start_paused = true)]
async fn bursts_at_the_per_second_limit() {
    let (times, took) = send_in_turn(120).await;
    assert!(took >= Duration::from_secs(2), "{took:?}");
    assert!(took < Duration::from_millis(2010), "{took:?}");
    assert_windows(&times, 50, Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn per_minute_limit_holds_too() {
    let (times, took) = send_in_turn(1100).await;
    assert!(took >= Duration::from_secs(60), "{took:?}");
    assert!(took < Duration::from_secs(62), "{took:?}");
    assert_windows(&times, 50, Duration::from_secs(1));
    assert_windows(&times, 1000, Duration::from_secs(60));
}

#[tokio::test(start_paused = true)]
async fn a_place_frees_one_window_after_the_answer_not_the_send() {
    // Sent at 0, answered at 0.5 s and 0.8 s: the server may have counted
    // them as late as that, so the next two go at 1.5 s and 1.8 s.
    let limiter = Arc::new(RateLimiter::new(&[RateLimit::per_second(2)]));
    let start = Instant::now();
    let (first, second) = (acquire(&limiter).await, acquire(&limiter).await);
    tokio::time::advance(Duration::from_millis(500)).await;
    drop(first);
    tokio::time::advance(Duration::from_millis(300)).await;
    drop(second);
    drop(acquire(&limiter).await);
    assert_eq!(start.elapsed(), Duration::from_millis(1500));
    drop(acquire(&limiter).await);
    assert_eq!(start.elapsed(), Duration::from_millis(1800));
}

#[tokio::test(start_paused = true)]
async fn an_unanswered_request_holds_its_place() {
    let limiter = Arc::new(RateLimiter::new(&[RateLimit::per_second(1)]));
    let first = acquire(&limiter).await;
    tokio::time::advance(Duration::from_secs(3)).await;
    let mut next = limiter.ticket();
    assert_eq!(next.take().unwrap_err(), Wait::ForOthers);
    drop(first);
    let answered = Instant::now();
    assert_eq!(
        next.take().unwrap_err(),
        Wait::Until(answered + Duration::from_secs(1))
    );
}

#[tokio::test(start_paused = true)]
async fn concurrent_waiters_are_served_in_arrival_order() {
    let limiter = Arc::new(RateLimiter::new(&[RateLimit::per_second(2)]));
    let order = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for i in 0..7 {
        let (limiter, order) = (limiter.clone(), order.clone());
        tasks.push(tokio::spawn(async move {
            drop(acquire(&limiter).await);
            order.lock().unwrap().push((i, Instant::now()));
        }));
        // Let the task join the queue before the next one is spawned.
        tokio::task::yield_now().await;
    }
    for t in tasks {
        t.await.unwrap();
    }
    let order = order.lock().unwrap();
    let ids: Vec<_> = order.iter().map(|(i, _)| *i).collect();
    assert_eq!(ids, (0..7).collect::<Vec<_>>());
    let times: Vec<_> = order.iter().map(|(_, t)| *t).collect();
    assert_windows(&times, 2, Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn a_dropped_ticket_leaves_the_queue() {
    let limiter = Arc::new(RateLimiter::new(&[RateLimit::per_second(5)]));
    let first = limiter.ticket();
    let mut second = limiter.ticket();
    assert_eq!(second.take().unwrap_err(), Wait::ForOthers);
    drop(first);
    assert!(second.take().is_ok());
}

#[tokio::test(start_paused = true)]
async fn a_forced_place_counts_like_any_other() {
    let limiter = Arc::new(RateLimiter::new(&[RateLimit::per_second(1)]));
    drop(acquire(&limiter).await);
    drop(limiter.ticket().force());
    let mut next = limiter.ticket();
    assert_eq!(
        next.take().unwrap_err(),
        Wait::Until(Instant::now() + Duration::from_secs(1))
    );
}

#[tokio::test(start_paused = true)]
async fn hold_until_delays_new_places() {
    let limiter = Arc::new(RateLimiter::new(&[RateLimit::per_second(100)]));
    let until = Instant::now() + Duration::from_secs(5);
    limiter.hold_until(until);
    limiter.hold_until(until - Duration::from_secs(1));
    assert_eq!(limiter.ticket().take().unwrap_err(), Wait::Until(until));
}

#[test]
fn registry_shares_per_vendor_and_account() {
    let limits = [RateLimit::per_second(5)];
    let a = shared("test-vendor", "key-a", &limits);
    let a2 = shared("test-vendor", "key-a", &limits);
    let b = shared("test-vendor", "key-b", &limits);
    let other = shared("other-vendor", "key-a", &limits);
    assert!(Arc::ptr_eq(&a, &a2));
    assert!(!Arc::ptr_eq(&a, &b));
    assert!(!Arc::ptr_eq(&a, &other));
    let weak = Arc::downgrade(&b);
    drop(b);
    assert!(
        weak.upgrade().is_none(),
        "the registry holds no strong reference"
    );
}

#[tokio::test(start_paused = true)]
async fn only_the_head_of_the_queue_is_woken() {
    use futures::FutureExt;
    let limiter = Arc::new(RateLimiter::new(&[RateLimit::per_second(1)]));
    let held = acquire(&limiter).await;
    let mut head = limiter.ticket();
    let behind = limiter.ticket();
    assert_eq!(head.take().unwrap_err(), Wait::ForOthers);
    // The answer wakes the head, which now knows when its place frees;
    // the caller behind it sleeps on.
    drop(held);
    assert!(head.woken().now_or_never().is_some());
    assert!(behind.woken().now_or_never().is_none());
    tokio::time::advance(Duration::from_secs(1)).await;
    drop(head.take().unwrap());
    assert!(behind.woken().now_or_never().is_some());
}
