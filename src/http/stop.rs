//! Stopping: what Terraform's `StopProvider` (sent when the user presses
//! Ctrl-C) means for vendor calls in flight.
//!
//! A create already on the wire always finishes and its result goes back to
//! Terraform, so that state records the role. What stops is *waiting*, and
//! waiting for the answer to a request that is safe to repeat:
//! * a non-idempotent request (a create) that has not been sent yet is not
//!   sent: it fails with [`super::HttpError::Cancelled`], and nothing was
//!   applied; nor is a preparatory request (a login for a session token,
//!   [`super::Request::preparatory`]), since what it prepares would not be
//!   sent either;
//! * an idempotent request (a read, the name lookup that settles an
//!   ambiguous create, an update) still goes out, but no wait for a rate
//!   limit slot or a retry backoff lasts longer than [`MAX_WAIT_WHEN_STOPPING`],
//!   so the work left ends within a bounded time; an answer it is waiting
//!   for is given up on after that time too (a stalled server would hold it
//!   for the whole attempt timeout), with [`super::HttpError::Cancelled`].
//!
//! Every client follows the process-wide signal ([`StopSignal::process`])
//! unless built with [`super::HttpClient::with_stop_signal`] (tests).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::Notify;

/// The longest a request waits for a rate limit slot or a retry once the
/// provider is stopping.
pub const MAX_WAIT_WHEN_STOPPING: Duration = Duration::from_secs(1);

/// A one-way "stop" flag that async waits can select on. Cheap to clone;
/// clones share the flag.
#[derive(Clone, Debug, Default)]
pub struct StopSignal {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    stopped: AtomicBool,
    notify: Notify,
}

impl StopSignal {
    /// A new signal, not stopped, shared with nobody.
    pub fn new() -> Self {
        Self::default()
    }

    /// The signal of the whole process, raised by [`stop_all`].
    pub fn process() -> StopSignal {
        static PROCESS: OnceLock<StopSignal> = OnceLock::new();
        PROCESS.get_or_init(StopSignal::new).clone()
    }

    /// Raises the signal, for good.
    pub fn stop(&self) {
        self.inner.stopped.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }

    /// Whether [`StopSignal::stop`] was called.
    pub fn is_stopped(&self) -> bool {
        self.inner.stopped.load(Ordering::SeqCst)
    }

    /// Resolves once the signal is raised (at once if it already was).
    pub async fn stopped(&self) {
        let notified = self.inner.notify.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if self.is_stopped() {
            return;
        }
        notified.await;
    }

    /// Resolves `grace` after the signal is raised.
    pub async fn stopped_for(&self, grace: Duration) {
        self.stopped().await;
        tokio::time::sleep(grace).await;
    }
}

/// Terraform asked the provider to stop: every client of the process winds
/// down (see the module documentation).
pub fn stop_all() {
    tracing::info!("stopping: no new creates are sent, and waits are cut short");
    StopSignal::process().stop();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stopped_resolves_for_waiters_and_late_callers() {
        let signal = StopSignal::new();
        assert!(!signal.is_stopped());
        let waiter = tokio::spawn({
            let signal = signal.clone();
            async move { signal.stopped().await }
        });
        tokio::task::yield_now().await;
        signal.stop();
        waiter.await.unwrap();
        assert!(signal.is_stopped());
        signal.stopped().await;
        assert!(!StopSignal::new().is_stopped(), "signals are independent");
    }
}
