//! Client-side rate limiting, so that a bulk apply never meets a 429.
//!
//! Flashduty allows 50 req/s and 1,000 req/min per account
//! (vendors/flashduty.md, "Transport, auth, envelope"); both windows hold at
//! once. The limiter keeps a log of the send times it handed out and gives
//! each caller the earliest time at which one more send keeps every window
//! within its limit: a sliding-window log, so that *any* window of the
//! given length holds at most `limit` sends, not just aligned ones.
//!
//! Callers reserve their slot under a short synchronous lock and then sleep
//! outside it, so waiting is FIFO (slots are handed out in call order) and
//! unrelated work is never serialised behind a sleeping caller.
//!
//! A caller that wakes late (a busy machine) sends later than its slot; it
//! then records the time it really sent ([`RateLimiter::sent`]), so that
//! the slots handed out next are counted from when the request left, not
//! from when it was meant to: otherwise a late request and an on-time one a
//! window later would reach the server less than a window apart.
//!
//! One limiter is shared by every client of the process that talks to the
//! same vendor account (see [`shared`]).

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use tokio::time::Instant;

/// At most `limit` requests in any window of length `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// Requests allowed per window; at least 1.
    pub limit: u32,
    /// Length of the sliding window; more than zero.
    pub window: Duration,
}

impl RateLimit {
    /// `limit` requests per `window`.
    pub const fn new(limit: u32, window: Duration) -> Self {
        RateLimit { limit, window }
    }

    /// `limit` requests per second.
    pub const fn per_second(limit: u32) -> Self {
        RateLimit::new(limit, Duration::from_secs(1))
    }

    /// `limit` requests per minute.
    pub const fn per_minute(limit: u32) -> Self {
        RateLimit::new(limit, Duration::from_secs(60))
    }

    /// The window the limiter actually enforces: 0.5% + 15 ms longer than
    /// documented, so that the time between sending a request (recorded by
    /// [`RateLimiter::sent`], however late the caller woke) and its arrival
    /// cannot squeeze `limit + 1` arrivals into one server-side window.
    fn enforced_window(&self) -> Duration {
        self.window + self.window / 200 + Duration::from_millis(15)
    }
}

/// A sliding-window-log limiter over one or more windows.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    /// `(limit, enforced window)` pairs.
    windows: Vec<(usize, Duration)>,
    state: Mutex<State>,
}

/// A reserved send time; [`RateLimiter::sent`] records when it was used.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slot {
    /// When the request may be sent.
    pub(crate) at: Instant,
    seq: u64,
}

#[derive(Debug, Default)]
struct State {
    /// Send times handed out (then moved to when they were really used),
    /// in the order handed out, with their sequence numbers; never longer
    /// than the largest limit (older entries cannot constrain a new slot).
    log: VecDeque<(u64, Instant)>,
    /// The next slot's sequence number.
    next_seq: u64,
    /// No slot before this time (set after a 429 with `Retry-After`).
    not_before: Option<Instant>,
}

impl RateLimiter {
    /// A limiter enforcing every one of `limits` at once.
    pub(crate) fn new(limits: &[RateLimit]) -> Self {
        RateLimiter {
            windows: limits
                .iter()
                .map(|l| (l.limit.max(1) as usize, l.enforced_window()))
                .collect(),
            state: Mutex::new(State::default()),
        }
    }

    /// Reserves the earliest send time that keeps every window within its
    /// limit and is not before any slot already handed out. The caller must
    /// wait until then, and should say when it sent ([`Self::sent`]); a
    /// slot that is not used is simply lost.
    pub(crate) fn reserve(&self) -> Slot {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut at = now;
        if let Some(t) = state.not_before {
            at = at.max(t);
        }
        if let Some(&(_, last)) = state.log.back() {
            at = at.max(last);
        }
        let mut times: Vec<Instant> = state.log.iter().map(|&(_, t)| t).collect();
        for &(limit, window) in &self.windows {
            if times.len() >= limit {
                // The new slot must come a full window after the `limit`-th
                // latest send (times moved by `sent` may be out of order).
                let nth = times.len() - limit;
                let (_, &mut latest, _) = times.select_nth_unstable(nth);
                at = at.max(latest + window);
            }
        }
        let seq = state.next_seq;
        state.next_seq += 1;
        state.log.push_back((seq, at));
        let keep = self.windows.iter().map(|w| w.0).max().unwrap_or(0);
        while state.log.len() > keep {
            state.log.pop_front();
        }
        Slot { at, seq }
    }

    /// Records that the request of `slot` was sent now, when that is later
    /// than its slot (the caller woke late).
    pub(crate) fn sent(&self, slot: Slot) {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = state.log.iter_mut().rev().find(|(seq, _)| *seq == slot.seq) {
            entry.1 = entry.1.max(now);
        }
    }

    /// Hands out no slot before `until`: the server said to back off.
    pub(crate) fn hold_until(&self, until: Instant) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.not_before = Some(state.not_before.map_or(until, |t| t.max(until)));
    }

    /// Waits for a slot; returns how long it waited.
    #[cfg(test)]
    pub(crate) async fn acquire(&self) -> Duration {
        let slot = self.reserve();
        let start = Instant::now();
        tokio::time::sleep_until(slot.at).await;
        self.sent(slot);
        start.elapsed()
    }
}

type Key = (&'static str, u64, Vec<RateLimit>);

/// The limiter of one vendor account, shared by every client of the
/// process with the same `vendor`, `account` and `limits`.
///
/// `account` identifies the account (credential and server); it is only
/// hashed, with a per-process random key, and never stored.
pub(crate) fn shared(
    vendor: &'static str,
    account: &str,
    limits: &[RateLimit],
) -> Arc<RateLimiter> {
    static REGISTRY: OnceLock<Mutex<HashMap<Key, Weak<RateLimiter>>>> = OnceLock::new();
    static HASHER: OnceLock<RandomState> = OnceLock::new();
    let hash = HASHER.get_or_init(RandomState::new).hash_one(account);
    let key = (vendor, hash, limits.to_vec());
    let mut registry = REGISTRY
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(limiter) = registry.get(&key).and_then(Weak::upgrade) {
        return limiter;
    }
    registry.retain(|_, weak| weak.strong_count() > 0);
    let limiter = Arc::new(RateLimiter::new(limits));
    registry.insert(key, Arc::downgrade(&limiter));
    limiter
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flashduty() -> RateLimiter {
        RateLimiter::new(&[RateLimit::per_second(50), RateLimit::per_minute(1000)])
    }

    /// Every window of length `window` (the documented one, not the
    /// enforced one) holds at most `limit` of `times`.
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

    #[tokio::test(start_paused = true)]
    async fn bursts_at_the_per_second_limit() {
        let limiter = flashduty();
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..120 {
            limiter.acquire().await;
            times.push(Instant::now());
        }
        let took = start.elapsed();
        assert!(took >= Duration::from_secs(2), "{took:?}");
        assert!(took < Duration::from_millis(2200), "{took:?}");
        assert_windows(&times, 50, Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn per_minute_limit_holds_too() {
        let limiter = flashduty();
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..1100 {
            limiter.acquire().await;
            times.push(Instant::now());
        }
        let took = start.elapsed();
        assert!(took >= Duration::from_secs(60), "{took:?}");
        assert!(took < Duration::from_secs(64), "{took:?}");
        assert_windows(&times, 50, Duration::from_secs(1));
        assert_windows(&times, 1000, Duration::from_secs(60));
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_waiters_are_served_in_arrival_order() {
        let limiter = Arc::new(RateLimiter::new(&[RateLimit::per_second(2)]));
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for i in 0..7 {
            let (limiter, order) = (limiter.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                limiter.acquire().await;
                order.lock().unwrap().push((i, Instant::now()));
            }));
            // Let the task reserve before the next one is spawned.
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
    async fn a_sleeping_waiter_does_not_block_reservations() {
        let limiter = Arc::new(RateLimiter::new(&[RateLimit::per_second(1)]));
        let _ = limiter.reserve();
        let sleeper = {
            let limiter = limiter.clone();
            tokio::spawn(async move { limiter.acquire().await })
        };
        tokio::task::yield_now().await;
        // The lock is free while the spawned task sleeps for its slot.
        let third = limiter.reserve().at;
        assert!(third >= Instant::now() + Duration::from_secs(2));
        assert!(sleeper.await.unwrap() >= Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn a_late_send_pushes_the_next_slots_back() {
        let limiter = RateLimiter::new(&[RateLimit::per_second(1)]);
        let first = limiter.reserve();
        // The caller woke 300 ms after its slot (a busy machine).
        tokio::time::advance(Duration::from_millis(300)).await;
        limiter.sent(first);
        let second = limiter.reserve();
        assert!(
            second.at >= first.at + Duration::from_millis(1300),
            "{:?} after the first slot",
            second.at - first.at
        );
    }

    #[tokio::test(start_paused = true)]
    async fn hold_until_delays_new_slots() {
        let limiter = RateLimiter::new(&[RateLimit::per_second(100)]);
        let until = Instant::now() + Duration::from_secs(5);
        limiter.hold_until(until);
        limiter.hold_until(until - Duration::from_secs(1));
        assert_eq!(limiter.reserve().at, until);
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
}
