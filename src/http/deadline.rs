//! The time budget of one Terraform operation (a resource's create, read,
//! update or delete, a data source's read), shared by every request the
//! operation sends: attempts, retry backoffs and rate-limit waits all count.
//!
//! The provider runs each operation inside [`Deadline::scope`]; the HTTP core
//! reads the current deadline ([`Deadline::current`]) on every wait and every
//! attempt, so no vendor client has to pass it around. A request sent outside
//! any scope gets a budget of [`DEFAULT_OPERATION_TIMEOUT`] of its own.
//!
//! Why a budget per operation and not only per attempt: a server that accepts
//! connections and never answers cost 124–327 s per operation with per-attempt
//! timeouts alone (30 s times up to 9 attempts).

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

/// The budget of an operation whose configuration sets none: 5 minutes.
///
/// The longest waits the vendors document fit in it with room to spare:
/// Flashduty's 1,000 requests per minute window (a bulk apply can wait up
/// to 60 s for a slot) plus its advised backoff (1 s doubling, a few
/// retries: about 31 s), a capped `Retry-After` or `X-RateLimit-Reset` of
/// 60 s (Rootly counts per 60 s window), and a SlashID write that waits for
/// `all_regions` consistency up to its 120 s maximum
/// (`SlashID-Required-Consistency-Timeout`, docs/vendors/slashid.md, "Transport"). Shorter
/// would fail healthy bulk applies; longer would leave a stalled server
/// holding `terraform apply` for many minutes.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(5 * 60);

tokio::task_local! {
    static CURRENT: Deadline;
}

/// When the current operation must be done, and how to describe it in an
/// error. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Deadline {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    operation: String,
    budget: Duration,
    /// Moved later only by [`Deadline::extend`].
    at: std::sync::Mutex<Instant>,
    hint: String,
}

impl Deadline {
    /// A deadline `budget` from now for `operation` (e.g. `"read"`), with
    /// `hint` telling the user how to allow more time (e.g. set
    /// `timeouts { read = "10m" }`). Both appear in the error when it runs
    /// out.
    pub fn new(operation: impl Into<String>, budget: Duration, hint: impl Into<String>) -> Self {
        Deadline {
            inner: Arc::new(Inner {
                operation: operation.into(),
                budget,
                at: std::sync::Mutex::new(Instant::now() + budget),
                hint: hint.into(),
            }),
        }
    }

    /// The deadline of the operation this task is running, if any.
    pub fn current() -> Option<Deadline> {
        CURRENT.try_with(Deadline::clone).ok()
    }

    /// The current deadline, or a fresh [`DEFAULT_OPERATION_TIMEOUT`] one
    /// for a request sent outside any operation.
    pub(crate) fn current_or_default() -> Deadline {
        Deadline::current().unwrap_or_else(|| {
            Deadline::new(
                "request",
                DEFAULT_OPERATION_TIMEOUT,
                "This request was not part of a Terraform operation with a `timeouts` setting.",
            )
        })
    }

    /// Runs `future` with this deadline as the current one: every request
    /// it sends through the HTTP core is bounded by it.
    pub async fn scope<F: Future>(self, future: F) -> F::Output {
        CURRENT.scope(self, future).await
    }

    /// The operation's name, e.g. `"read"`.
    pub fn operation(&self) -> &str {
        &self.inner.operation
    }

    /// The whole budget.
    pub fn budget(&self) -> Duration {
        self.inner.budget
    }

    /// When the budget runs out.
    pub fn at(&self) -> Instant {
        *self.inner.at.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Gives the operation at least `extra` from now, for work that must
    /// not be cut short: settling a create whose answer was lost (the
    /// object may exist; giving up would leave it out of state). Every
    /// clone of this deadline, and the operation's backstop, see it.
    pub fn extend(&self, extra: Duration) {
        let mut at = self.inner.at.lock().unwrap_or_else(|e| e.into_inner());
        let wanted = Instant::now() + extra;
        if wanted > *at {
            tracing::info!(
                operation = %self.inner.operation,
                extra = %human(extra),
                "allowing more time to settle an unconfirmed create"
            );
            *at = wanted;
        }
    }

    /// How to allow more time.
    pub fn hint(&self) -> &str {
        &self.inner.hint
    }

    /// Time left (zero once passed).
    pub fn remaining(&self) -> Duration {
        self.at().saturating_duration_since(Instant::now())
    }

    /// Whether the budget has run out.
    pub fn expired(&self) -> bool {
        self.remaining().is_zero()
    }
}

/// A duration as a person writes it, in Terraform's duration syntax where
/// it is whole: `90ms`, `1.5s`, `42s`, `5m`, `1h30m`.
pub fn human(duration: Duration) -> String {
    Human(duration).to_string()
}

struct Human(Duration);

impl fmt::Display for Human {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d < Duration::from_secs(1) {
            return write!(f, "{}ms", d.as_millis());
        }
        if d < Duration::from_secs(10) && d.subsec_millis() >= 100 {
            return write!(f, "{:.1}s", d.as_secs_f64());
        }
        let secs = d.as_secs() + u64::from(d.subsec_millis() >= 500);
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        let mut out = String::new();
        if h > 0 {
            out.push_str(&format!("{h}h"));
        }
        if m > 0 {
            out.push_str(&format!("{m}m"));
        }
        if s > 0 || out.is_empty() {
            out.push_str(&format!("{s}s"));
        }
        f.write_str(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations_read_like_terraform_ones() {
        let cases = [
            (Duration::from_millis(250), "250ms"),
            (Duration::from_millis(1500), "1.5s"),
            (Duration::from_millis(2040), "2s"),
            (Duration::from_secs(42), "42s"),
            (Duration::from_secs(300), "5m"),
            (Duration::from_secs(5400), "1h30m"),
            (Duration::from_secs(3601), "1h1s"),
        ];
        for (duration, text) in cases {
            assert_eq!(human(duration), text);
        }
    }

    #[tokio::test]
    async fn scope_sets_the_current_deadline() {
        assert!(Deadline::current().is_none());
        let deadline = Deadline::new("read", Duration::from_secs(10), "hint");
        let seen = deadline
            .clone()
            .scope(async { Deadline::current().map(|d| (d.operation().to_owned(), d.budget())) })
            .await;
        assert_eq!(seen, Some(("read".into(), Duration::from_secs(10))));
        assert!(Deadline::current().is_none());
        assert!(!deadline.expired());
        assert_eq!(
            Deadline::current_or_default().budget(),
            DEFAULT_OPERATION_TIMEOUT
        );
    }
}
