//! When to retry, and how long to wait.
//!
//! Flashduty advises exponential backoff from 1 s, at most 3 retries, for
//! 429, 5xx and network errors (docs/vendors/flashduty.md, "Transport"). Rootly
//! and SlashID may send `Retry-After`; it is honoured when present. Without
//! it, a 429 waits for the `X-RateLimit-Reset` / `RateLimit-Reset` time, and
//! a response saying `X-RateLimit-Remaining: 0` holds the client-side limiter
//! until then (Rootly, docs/vendors/rootly.md, "Rate limits").
//!
//! A request that is not idempotent (a create) is retried only when the
//! server cannot have applied it: a 429 (rejected) or a failure to connect
//! (nothing sent). See [`super::HttpClient::send`].
//!
//! A connection that cannot be established (refused, DNS failure, connect
//! timeout) has a small budget of its own: a wrong `base_url` or a host
//! that is down does not come back within seconds, and minutes of retries
//! only delay the error (without that budget a refused connection took 15 s
//! for Flashduty and 42 s over 9 attempts for Rootly; see `timeout_tests.rs`).

use std::time::{Duration, SystemTime};

use rand::Rng;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// Retry settings. The defaults follow the Flashduty advice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 3, so at most 4 attempts).
    pub max_retries: u32,
    /// Backoff before the first retry; doubled for each further retry
    /// (default 1 s).
    pub base_delay: Duration,
    /// Upper bound of the exponential backoff (default 30 s).
    pub max_delay: Duration,
    /// Upper bound on a server's `Retry-After` (default 60 s); a longer
    /// value is cut to this.
    pub max_retry_after: Duration,
    /// Full jitter: wait a uniformly random time between zero and the
    /// backoff, so that clients that failed together do not retry together
    /// (default on). Off, the whole backoff is waited.
    pub jitter: bool,
    /// Retries after a connection could not be established, counted
    /// separately and never more than `max_retries` in all (default 2).
    pub max_connect_retries: u32,
    /// A failed connection is retried only while the call has run for less
    /// than this, waits included (default 8 s), so that an unreachable
    /// server fails the call within about 10 s.
    pub connect_retry_window: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
            max_connect_retries: 2,
            connect_retry_window: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `retry` (1 for the first retry).
    /// A `Retry-After` from the server wins over the backoff, capped at
    /// [`RetryPolicy::max_retry_after`].
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after {
            return after.min(self.max_retry_after);
        }
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self.base_delay.saturating_mul(factor).min(self.max_delay);
        if self.jitter && !ceiling.is_zero() {
            rand::thread_rng().gen_range(Duration::ZERO..=ceiling)
        } else {
            ceiling
        }
    }
}

impl RetryPolicy {
    /// How many attempts the call may make in all, now that `attempts`
    /// were made, the last of which could not connect (`connect`) after
    /// `connect_failures` such failures in this call.
    pub(crate) fn max_attempts(&self, attempts: u32, connect: bool, connect_failures: u32) -> u32 {
        let all = self.max_retries.saturating_add(1);
        if !connect {
            return all;
        }
        let left = self
            .max_connect_retries
            .saturating_sub(connect_failures.saturating_sub(1));
        attempts.saturating_add(left).min(all)
    }
}

/// What one attempt produced, as far as retrying is concerned.
#[derive(Clone, Copy, Debug)]
pub(crate) enum AttemptEnd {
    /// An HTTP response with this status.
    Status(u16),
    /// No response. `connect`: the connection could not be established, so
    /// nothing was sent.
    Transport { connect: bool },
    /// A 2xx answer whose body the caller cannot decode
    /// ([`super::Request::readable`]).
    Unreadable,
    /// The TLS handshake failed (plain HTTP on the port, an untrusted or
    /// mismatched certificate): asking again would fail the same way.
    Tls,
}

/// Why an attempt is retried, for the debug log.
pub(crate) fn retry_reason(outcome: AttemptEnd, idempotent: bool) -> Option<&'static str> {
    match outcome {
        AttemptEnd::Status(429) => Some("rate limited (429)"),
        AttemptEnd::Status(500 | 502 | 503 | 504) if idempotent => Some("server error"),
        AttemptEnd::Status(_) => None,
        AttemptEnd::Transport { connect: true } => Some("connection failed, nothing was sent"),
        AttemptEnd::Transport { connect: false } if idempotent => Some("transport error"),
        AttemptEnd::Transport { connect: false } => None,
        AttemptEnd::Unreadable if idempotent => Some("unreadable answer"),
        AttemptEnd::Unreadable => None,
        AttemptEnd::Tls => None,
    }
}

/// The `Retry-After` header: delay-seconds or an HTTP-date. `None` when
/// absent or unparseable; a date in the past is zero.
pub(crate) fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        if secs.is_finite() && secs >= 0.0 {
            return Some(Duration::from_secs_f64(secs.min(1e9)));
        }
        return None;
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Values of a reset header at or above this are Unix times, below it delays.
const EPOCH_THRESHOLD: u64 = 1_000_000_000;

/// How long until the server's rate-limit window resets, from
/// `X-RateLimit-Reset` (Unix seconds, as Rootly and GitHub send it) or
/// `RateLimit-Reset` (seconds from now, the IETF draft). A Unix time gets one
/// second of margin, since it is rounded to whole seconds. `None` when absent
/// or unparseable.
pub(crate) fn parse_rate_limit_reset(headers: &HeaderMap) -> Option<Duration> {
    let value = ["x-ratelimit-reset", "ratelimit-reset"]
        .iter()
        .find_map(|name| headers.get(*name))?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()?;
    if value < EPOCH_THRESHOLD {
        return Some(Duration::from_secs(value));
    }
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(value + 1);
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// `X-RateLimit-Remaining: 0` (or `RateLimit-Remaining: 0`): the next
/// request would be refused until the window resets.
pub(crate) fn rate_limit_exhausted(headers: &HeaderMap) -> bool {
    ["x-ratelimit-remaining", "ratelimit-remaining"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        == Some(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, value.parse().unwrap());
        h
    }

    #[test]
    fn parses_retry_after_seconds_and_dates() {
        assert_eq!(
            parse_retry_after(&headers("7")),
            Some(Duration::from_secs(7))
        );
        assert_eq!(parse_retry_after(&headers(" 0 ")), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after(&headers("1.5")),
            Some(Duration::from_millis(1500))
        );
        let later = SystemTime::now() + Duration::from_secs(120);
        let date = parse_retry_after(&headers(&httpdate::fmt_http_date(later))).unwrap();
        assert!(date > Duration::from_secs(100) && date <= Duration::from_secs(120));
        assert_eq!(
            parse_retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after(&headers("soon")), None);
        assert_eq!(parse_retry_after(&headers("-3")), None);
        assert_eq!(parse_retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn parses_rate_limit_reset_as_epoch_or_delay() {
        let mut h = HeaderMap::new();
        assert_eq!(parse_rate_limit_reset(&h), None);
        h.insert("ratelimit-reset", "12".parse().unwrap());
        assert_eq!(parse_rate_limit_reset(&h), Some(Duration::from_secs(12)));
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        h.insert("x-ratelimit-reset", (now + 30).to_string().parse().unwrap());
        let wait = parse_rate_limit_reset(&h).unwrap();
        assert!(wait > Duration::from_secs(29) && wait <= Duration::from_secs(31));
        h.insert("x-ratelimit-reset", "1000000000".parse().unwrap());
        assert_eq!(parse_rate_limit_reset(&h), Some(Duration::ZERO));
        assert!(!rate_limit_exhausted(&h));
        h.insert("x-ratelimit-remaining", "0".parse().unwrap());
        assert!(rate_limit_exhausted(&h));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_honours_retry_after() {
        let p = RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        };
        assert_eq!(p.delay(1, None), Duration::from_secs(1));
        assert_eq!(p.delay(2, None), Duration::from_secs(2));
        assert_eq!(p.delay(3, None), Duration::from_secs(4));
        assert_eq!(p.delay(40, None), Duration::from_secs(30));
        let after = Some(Duration::from_secs(5));
        assert_eq!(p.delay(3, after), Duration::from_secs(5));
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(3600))),
            Duration::from_secs(60)
        );
    }

    #[test]
    fn connection_failures_have_a_small_budget_of_their_own() {
        let p = RetryPolicy {
            max_retries: 8,
            ..RetryPolicy::default()
        };
        assert_eq!(p.max_attempts(1, false, 0), 9);
        assert_eq!(p.max_attempts(1, true, 1), 3);
        assert_eq!(p.max_attempts(2, true, 2), 3);
        assert_eq!(p.max_attempts(3, true, 3), 3);
        // A 503, then refused connections: two retries for the connections.
        assert_eq!(p.max_attempts(2, true, 1), 4);
        // After a connection failure, a 503 gets the usual retries.
        assert_eq!(p.max_attempts(2, false, 1), 9);
        assert_eq!(RetryPolicy::none().max_attempts(1, true, 1), 1);
    }

    #[test]
    fn full_jitter_stays_within_the_backoff() {
        let p = RetryPolicy::default();
        for retry in 1..6 {
            let ceiling = Duration::from_secs(1 << (retry - 1));
            for _ in 0..50 {
                assert!(p.delay(retry, None) <= ceiling);
            }
        }
    }

    #[test]
    fn non_idempotent_requests_retry_only_when_nothing_was_applied() {
        use AttemptEnd::*;
        for idempotent in [true, false] {
            assert!(retry_reason(Status(429), idempotent).is_some());
            assert!(retry_reason(Transport { connect: true }, idempotent).is_some());
            assert!(retry_reason(Status(400), idempotent).is_none());
            assert!(retry_reason(Status(404), idempotent).is_none());
            assert!(retry_reason(Status(200), idempotent).is_none());
            assert_eq!(retry_reason(Unreadable, idempotent).is_some(), idempotent);
        }
        for status in [500, 502, 503, 504] {
            assert!(retry_reason(Status(status), true).is_some());
            assert!(retry_reason(Status(status), false).is_none());
        }
        assert!(retry_reason(Status(501), true).is_none());
        assert!(retry_reason(Transport { connect: false }, true).is_some());
        assert!(retry_reason(Transport { connect: false }, false).is_none());
    }
}
