//! Client-side rate limiting, so that a bulk apply never meets a 429.
//!
//! Flashduty allows 50 req/s and 1,000 req/min per account
//! (docs/vendors/flashduty.md, "Transport"); both windows hold at
//! once. A server counts a request when it arrives, which the client cannot
//! see: it only knows that the request arrived after it was sent and before
//! its answer came back. So a request *holds* a place in every window from
//! when it is sent until one window after its answer (or its failure): a
//! semaphore whose permits come back a window late. Any window of the
//! server's then holds at most `limit` arrivals, however late a busy
//! machine sends or however long the network takes, with no safety margin
//! to guess: a request arriving at `a` held its place over `[a, a + window]`,
//! so all the arrivals in one window held theirs at the same instant.
//!
//! Callers queue for their turn (first come, first served); only the
//! caller at the head of the queue may take a place, and only it is woken
//! (when it reaches the head, or when an answer comes): it then learns when
//! a place frees, at a known time once the blocking requests are answered.
//!
//! One limiter is shared by every client of the process that talks to the
//! same vendor account (see [`shared`]).

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::time::Duration;

use tokio::sync::futures::Notified;
use tokio::sync::Notify;
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
}

/// Places in the windows of one account, and the queue of callers waiting
/// for one.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    /// `(limit, window)` pairs.
    windows: Vec<(usize, Duration)>,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Requests sent within the longest window: `None` until answered,
    /// then when the answer (or failure) came.
    holds: VecDeque<(u64, Option<Instant>)>,
    /// Tickets waiting for a place, first come first served, with what
    /// wakes each one.
    queue: VecDeque<(u64, Arc<Notify>)>,
    /// The next ticket's number.
    next: u64,
    /// No request before this time (set after a 429 with `Retry-After`).
    not_before: Option<Instant>,
}

/// A caller's place in the queue; dropping it leaves the queue.
#[derive(Debug)]
pub(crate) struct Ticket {
    limiter: Arc<RateLimiter>,
    id: u64,
    wake: Arc<Notify>,
    taken: bool,
}

/// A request's place in the windows, held from when it is sent. Dropping
/// it says the answer came (or the attempt ended): the place frees one
/// window later.
#[derive(Debug)]
pub(crate) struct Permit {
    limiter: Arc<RateLimiter>,
    id: u64,
}

/// Why a ticket cannot be sent yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Wait {
    /// A place frees at this time, unless something changes first.
    Until(Instant),
    /// Other callers are ahead, or the requests holding the places are
    /// not answered yet: wait for [`Ticket::woken`].
    ForOthers,
}

impl RateLimiter {
    /// A limiter enforcing every one of `limits` at once.
    pub(crate) fn new(limits: &[RateLimit]) -> Self {
        RateLimiter {
            windows: limits
                .iter()
                .map(|l| (l.limit.max(1) as usize, l.window))
                .collect(),
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Joins the queue.
    pub(crate) fn ticket(self: &Arc<Self>) -> Ticket {
        let mut state = self.lock();
        let id = state.next;
        state.next += 1;
        let wake = Arc::new(Notify::new());
        state.queue.push_back((id, wake.clone()));
        Ticket {
            limiter: self.clone(),
            id,
            wake,
            taken: false,
        }
    }

    /// Hands out no place before `until`: the server said to back off.
    pub(crate) fn hold_until(&self, until: Instant) {
        let mut state = self.lock();
        state.not_before = Some(state.not_before.map_or(until, |t| t.max(until)));
    }

    /// When every window has a free place at `now`: `Ok` if now,
    /// otherwise the [`Wait`].
    fn free_at(&self, state: &State, now: Instant) -> Result<(), Wait> {
        let mut at = state.not_before.filter(|&t| t > now);
        for &(limit, window) in &self.windows {
            // The held places of this window, by when each frees (`None`:
            // not answered yet, so not known).
            let mut frees: Vec<Option<Instant>> = state
                .holds
                .iter()
                .map(|&(_, answered)| answered.map(|a| a + window))
                .filter(|f| f.is_none_or(|f| f > now))
                .collect();
            if frees.len() < limit {
                continue;
            }
            // One more request fits once `len - limit + 1` places free.
            let k = frees.len() - limit;
            let (_, &mut nth, _) = frees.select_nth_unstable_by(k, |a, b| match (a, b) {
                (Some(a), Some(b)) => a.cmp(b),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            });
            match nth {
                Some(t) => at = Some(at.map_or(t, |a| a.max(t))),
                None => return Err(Wait::ForOthers),
            }
        }
        match at {
            Some(t) => Err(Wait::Until(t)),
            None => Ok(()),
        }
    }

    /// Forgets places freed more than the longest window ago.
    fn prune(&self, state: &mut State, now: Instant) {
        let longest = self.windows.iter().map(|w| w.1).max().unwrap_or_default();
        state
            .holds
            .retain(|&(_, answered)| answered.is_none_or(|a| a + longest > now));
    }
}

impl Ticket {
    /// Takes a place now, if this ticket is at the head of the queue and
    /// every window has one free; otherwise says what to wait for.
    pub(crate) fn take(&mut self) -> Result<Permit, Wait> {
        let limiter = &self.limiter;
        let now = Instant::now();
        let mut state = limiter.lock();
        if state.queue.front().map(|q| q.0) != Some(self.id) {
            return Err(Wait::ForOthers);
        }
        limiter.prune(&mut state, now);
        limiter.free_at(&state, now)?;
        self.taken = true;
        Ok(enter(limiter, state, self.id))
    }

    /// Takes a place whatever the windows say: the provider is stopping and
    /// this idempotent request has waited long enough (a 429 is then
    /// retried like any other).
    pub(crate) fn force(mut self) -> Permit {
        self.taken = true;
        enter(&self.limiter, self.limiter.lock(), self.id)
    }

    /// Completes when this ticket reaches the head of the queue or, at the
    /// head, when an answer comes; at once if that happened since the last
    /// call (the wake-up is kept until then).
    pub(crate) fn woken(&self) -> Notified<'_> {
        self.wake.notified()
    }
}

/// Wakes the ticket at the head of the queue, if any.
fn wake_head(state: &State) {
    if let Some((_, wake)) = state.queue.front() {
        wake.notify_one();
    }
}

/// Moves ticket `id` from the queue to the holds.
fn enter(limiter: &Arc<RateLimiter>, mut state: MutexGuard<'_, State>, id: u64) -> Permit {
    state.queue.retain(|q| q.0 != id);
    state.holds.push_back((id, None));
    // The next caller is now at the head of the queue.
    wake_head(&state);
    Permit {
        limiter: limiter.clone(),
        id,
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if self.taken {
            return;
        }
        let id = self.id;
        let mut state = self.limiter.lock();
        state.queue.retain(|q| q.0 != id);
        wake_head(&state);
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let now = Instant::now();
        let id = self.id;
        let mut state = self.limiter.lock();
        if let Some(hold) = state.holds.iter_mut().find(|h| h.0 == id) {
            hold.1 = Some(now);
        }
        // The head may have been waiting for this answer.
        wake_head(&state);
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
#[path = "rate_limit_tests.rs"]
mod tests;
