//! Creating an object when the vendor's answer can be lost.
//!
//! A create is not idempotent: sent twice, it makes two objects (or a
//! conflict). When its outcome is unknown (the connection dropped after the
//! request went out, a 5xx, an unreadable 2xx; see
//! [`crate::http::HttpError::is_ambiguous`]), the object is looked up by
//! what identifies it (its unique name) before anything is sent again, so
//! that a create the server applied is adopted and recorded in state rather
//! than duplicated or orphaned. Which object found is the create's, and
//! never one that was there before it, is decided in [`super::settle`].
//!
//! The lookup can fail too, for the same reasons (a proxy's error page, a
//! garbled listing): a failed lookup is repeated with backoff rather than
//! ending the create, since ending it there would leave an object the vendor
//! made and Terraform does not know of (an orphan), and the next apply would
//! create it a second time.

use std::fmt::Display;
use std::future::Future;
use std::time::{Duration, Instant};

/// How often a create is sent while its outcome stays unknown; each time
/// after the first only because a lookup showed it had not happened.
pub const CREATE_ATTEMPTS: u32 = 6;

/// Waits between lookups whose own answer was unusable (each lookup has
/// already been through the HTTP core's retries): up to seven lookups, so
/// that a burst of faults on the listing does not leave an unconfirmed
/// create unsettled. All of it, the lookups' own retries included, ends
/// within [`SETTLE_LIMIT`].
pub const LOOKUP_BACKOFF: [Duration; 6] = [
    Duration::from_millis(500),
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(4),
    Duration::from_secs(8),
    Duration::from_secs(15),
];

/// The most time settling an unconfirmed create is given past the
/// operation's `timeouts` (it gets its own budget again, up to this): the
/// lookups of [`LOOKUP_BACKOFF`] and their own requests. A create whose
/// answer was lost may have made the object, and only the lookup can put it
/// in state.
pub const RECONCILE_GRACE: Duration = Duration::from_secs(45);

/// The most time the lookups after one lost create may take, their own
/// retries and waits included (and never past the operation's deadline).
/// Past it the create ends unsettled: the object is kept in state, pending,
/// and the next refresh looks it up again (see [`super::pending`]), so
/// waiting longer buys little.
pub const SETTLE_LIMIT: Duration = Duration::from_secs(45);

/// A vendor error that can tell whether a write may have been applied.
pub trait OutcomeUnknown: Display + Sized {
    /// True when the server may or may not have applied the request.
    fn is_ambiguous(&self) -> bool;

    /// The error when a create's answer was lost and looking the object up
    /// kept failing: it must say that the object may exist (see
    /// [`unsettled_message`]).
    fn unsettled(what: &str, create: Self, lookup: Self) -> Self;

    /// The error when a create's answer was lost, looking the object up
    /// found nothing, and the create was not sent again (its attempts or
    /// its time were up): it must not stop at the HTTP core's "may have
    /// applied", since the lookup says more. By default `create` itself.
    fn not_resent(_what: &str, create: Self) -> Self {
        create
    }

    /// The error when a create's answer was lost and the lookup found the
    /// object of that (unique) name, `id`, there before the create: the
    /// vendor refused it (see [`super::settle`]). By default `create`.
    fn taken_before(_what: &str, create: Self, _id: String) -> Self {
        create
    }

    /// The error when a create's answer was lost and the lookup found an
    /// object it cannot tell from someone else's (see [`super::settle`]):
    /// nothing is recorded. By default `create`.
    fn cannot_tell(_what: &str, create: Self) -> Self {
        create
    }
}

/// What an unsettled create tells the user: the object may exist, and what
/// Terraform does about it (see [`super::pending`]): the resource keeps it
/// in state, tainted and without an ID, and the next plan settles it.
pub fn unsettled_message(what: &str, create: &dyn Display, lookup: &dyn Display) -> String {
    format!(
        "the answer to the create of {what:?} was lost ({create}), and looking it up afterwards \
         kept failing ({lookup}). {}",
        pending_advice(what, "without an ID, and the next plan looks it up by name")
    )
}

/// The advice of an unsettled create of `what`, once the resource has kept
/// it in state; `kept` says how it is kept and found again.
pub fn pending_advice(what: &str, kept: &str) -> String {
    format!(
        "{what:?} may exist: Terraform keeps it in state as tainted, {kept}. If it exists it is \
         recorded and, being tainted, replaced (to keep it as it is instead: terraform apply \
         -refresh-only, then terraform untaint <address>); if not, it is created again."
    )
}

/// What looking for an unconfirmed create found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<T> {
    /// The object the create asked for: it had been created.
    Created(T),
    /// Nothing: the create did not happen and may be sent again.
    Missing,
    /// An object with that name that may be someone else's (not what was
    /// asked for, or nothing says it was not there before): not adopted,
    /// and the error says it cannot be told.
    NotOurs,
    /// The object of that unique name, with this ID, was there before the
    /// create: the vendor refused the create (see [`super::settle`]).
    Before(String),
}

impl<T> Lookup<T> {
    /// The same finding, about `f` of the object.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Lookup<U> {
        match self {
            Lookup::Created(found) => Lookup::Created(f(found)),
            Lookup::Missing => Lookup::Missing,
            Lookup::NotOurs => Lookup::NotOurs,
            Lookup::Before(id) => Lookup::Before(id),
        }
    }
}

/// Sends `create` until it succeeds, fails for certain, or a `lookup` after
/// an unknown outcome settles it (at most [`CREATE_ATTEMPTS`] sends). The
/// lookup is given the instant the first create was sent, so that a vendor
/// whose names are not unique can tell the objects made since from older
/// ones. A lookup that fails with an unusable answer is repeated after the
/// waits of [`LOOKUP_BACKOFF`] (cut short when Terraform asks the provider
/// to stop). When the lookups cannot settle it (they all fail, one fails for
/// certain, or the provider is stopping), the error is
/// [`OutcomeUnknown::unsettled`]: the object may exist.
pub async fn reconcile_create<T, E, C, CFut, L, LFut>(
    what: &str,
    create: C,
    lookup: L,
) -> Result<T, E>
where
    E: OutcomeUnknown,
    C: FnMut() -> CFut,
    CFut: Future<Output = Result<T, E>>,
    L: FnMut(Instant) -> LFut,
    LFut: Future<Output = Result<Lookup<T>, E>>,
{
    reconcile_with(what, &LOOKUP_BACKOFF, SETTLE_LIMIT, create, lookup).await
}

async fn reconcile_with<T, E, C, CFut, L, LFut>(
    what: &str,
    backoff: &[Duration],
    settle_limit: Duration,
    mut create: C,
    mut lookup: L,
) -> Result<T, E>
where
    E: OutcomeUnknown,
    C: FnMut() -> CFut,
    CFut: Future<Output = Result<T, E>>,
    L: FnMut(Instant) -> LFut,
    LFut: Future<Output = Result<Lookup<T>, E>>,
{
    let first_sent = Instant::now();
    // When the operation's own time is up: past it, a create found not to
    // have happened is not sent again (the grace below is for settling
    // what was sent, not for sending more).
    let own_deadline = crate::http::Deadline::current().map(|d| d.at());
    let mut attempt = 0;
    loop {
        attempt += 1;
        let err = match create().await {
            Ok(created) => return Ok(created),
            Err(err) if err.is_ambiguous() => err,
            Err(err) => return Err(err),
        };
        tracing::warn!(what, attempt, error = %err, "create outcome unknown; looking it up by name");
        // The object may exist: settling it must not be cut short by the
        // operation's timeout, or it would be left out of state. It gets
        // its operation's budget again, at most RECONCILE_GRACE, once.
        if let (Some(deadline), 1) = (crate::http::Deadline::current(), attempt) {
            deadline.extend(RECONCILE_GRACE.min(deadline.budget()));
        }
        let mut waits = backoff.iter();
        let stop = crate::http::StopSignal::process();
        // The lookups run under their own deadline: each request of theirs
        // fails at it, retries and rate-limit waits included.
        let limit = crate::http::Deadline::current()
            .map_or(settle_limit, |d| d.remaining())
            .min(settle_limit);
        let settling = crate::http::Deadline::new(
            "lookup after a lost create",
            limit,
            "The object is kept in state, pending; the next plan looks it up again.",
        );
        let found = loop {
            let lookup_err = match settling.clone().scope(lookup(first_sent)).await {
                Ok(found) => break found,
                Err(lookup_err) => lookup_err,
            };
            // Whatever ends the lookups, the create may have happened.
            let wait = match waits.next() {
                Some(wait)
                    if lookup_err.is_ambiguous()
                        && !stop.is_stopped()
                        && tokio::time::Instant::now() + *wait < settling.at() =>
                {
                    *wait
                }
                _ => return Err(E::unsettled(what, err, lookup_err)),
            };
            tracing::warn!(what, attempt, error = %lookup_err, ?wait,
                "looking up an unconfirmed create failed; looking again");
            if !wait.is_zero() {
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = stop.stopped() => return Err(E::unsettled(what, err, lookup_err)),
                }
            }
        };
        match found {
            Lookup::Created(created) => {
                tracing::info!(what, attempt, "the create had succeeded");
                return Ok(created);
            }
            Lookup::Missing
                if attempt < CREATE_ATTEMPTS
                    && own_deadline.is_none_or(|at| tokio::time::Instant::now() < at) =>
            {
                tracing::debug!(what, attempt, "the create did not happen; sending it again");
            }
            Lookup::Missing => return Err(E::not_resent(what, err)),
            Lookup::NotOurs => return Err(E::cannot_tell(what, err)),
            Lookup::Before(id) => return Err(E::taken_before(what, err, id)),
        }
    }
}

#[cfg(test)]
#[path = "create_tests.rs"]
mod tests;
