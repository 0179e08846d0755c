//! Waiting before an attempt is sent: for a place under the client-side
//! rate limit ([`super::super::rate_limit`]) and until a retry's time.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use tokio::time::Instant;

use super::super::deadline::human;
use super::super::log::LoggedRequest;
use super::super::rate_limit::{Permit, RateLimiter, Wait};
use super::super::stop::MAX_WAIT_WHEN_STOPPING;
use super::super::HttpError;
use super::{cancelled, HttpClient};

impl HttpClient {
    /// Queues for a place in the account's rate-limit windows and returns
    /// it; the caller holds the [`Permit`] until the attempt's answer (or
    /// failure) is in.
    ///
    /// Fails with [`HttpError::DeadlineExceeded`] at once when the place
    /// is known to free only after the operation's deadline, or at the
    /// deadline while the requests ahead are not answered; with
    /// [`HttpError::Cancelled`] when the client is cancelled, or when the
    /// provider is stopping and the request is not idempotent. An
    /// idempotent request waits at most [`MAX_WAIT_WHEN_STOPPING`] once
    /// the provider is stopping, and then goes anyway.
    ///
    /// `attempt` is the attempt about to be sent (1-based) and `last` the
    /// previous attempt's failure, for the deadline error.
    pub(super) async fn turn(
        &self,
        limiter: &Arc<RateLimiter>,
        call: &LoggedRequest<'_>,
        attempt: u32,
        last: &Option<String>,
    ) -> Result<Permit, HttpError> {
        let (inner, deadline) = (&*self.inner, call.deadline);
        let cancel = inner.cancel.notified();
        tokio::pin!(cancel);
        cancel.as_mut().enable();
        let timed_out =
            |doing: &str| call.deadline_exceeded(doing, attempt - 1, last.clone(), false);
        let mut ticket = limiter.ticket();
        let (mut announced, mut go_anyway_at) = (false, None);
        loop {
            if inner.cancelled.load(Ordering::SeqCst) {
                return Err(cancelled(call, false));
            }
            if inner.stop.is_stopped() {
                if !call.idempotent {
                    return Err(cancelled(call, false));
                }
                let at =
                    *go_anyway_at.get_or_insert_with(|| Instant::now() + MAX_WAIT_WHEN_STOPPING);
                if Instant::now() >= at {
                    return Ok(ticket.force());
                }
            }
            let until = match ticket.take() {
                Ok(permit) => return Ok(permit),
                Err(Wait::Until(at)) => {
                    let wait = at.saturating_duration_since(Instant::now());
                    if at >= deadline.at() {
                        // What the whole operation would take, for a
                        // `timeouts` value that is enough.
                        let needed =
                            deadline.budget() + at.saturating_duration_since(deadline.at());
                        let doing = format!(
                            "the client-side rate limit lets it go only in {}, so the {} needs a \
                             timeout above {}",
                            human(wait),
                            deadline.operation(),
                            human(needed)
                        );
                        return Err(call.deadline_foreseen(&doing, attempt - 1, last.clone()));
                    }
                    if !announced {
                        call.rate_limited(wait);
                        announced = true;
                    }
                    at
                }
                // Unknown until the requests ahead are sent or answered.
                Err(Wait::ForOthers) => deadline.at(),
            };
            tokio::select! {
                _ = tokio::time::sleep_until(go_anyway_at.map_or(until, |g: Instant| g.min(until))) => {
                    if deadline.expired() {
                        return Err(timed_out("waiting for the client-side rate limit"));
                    }
                }
                _ = ticket.woken() => {}
                _ = cancel.as_mut() => return Err(cancelled(call, false)),
                _ = inner.stop.stopped(), if go_anyway_at.is_none() => {}
            }
        }
    }

    /// Sleeps until `at` before sending an attempt, unless the client is
    /// cancelled first. When the provider is stopping, a request that is not
    /// idempotent gives up instead, and an idempotent one waits at most
    /// [`MAX_WAIT_WHEN_STOPPING`] from then.
    pub(super) async fn sleep_until(
        &self,
        at: Instant,
        idempotent: bool,
        call: &LoggedRequest<'_>,
    ) -> Result<(), HttpError> {
        let notified = self.inner.cancel.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let stop = &self.inner.stop;
        let mut at = at;
        let mut stopping = stop.is_stopped();
        loop {
            if self.inner.cancelled.load(Ordering::SeqCst) || (stopping && !idempotent) {
                return Err(cancelled(call, false));
            }
            if stopping {
                at = at.min(Instant::now() + MAX_WAIT_WHEN_STOPPING);
            }
            tokio::select! {
                _ = tokio::time::sleep_until(at) => return Ok(()),
                _ = notified.as_mut() => return Err(cancelled(call, false)),
                _ = stop.stopped(), if !stopping => stopping = true,
            }
        }
    }
}
