//! Settling a write whose outcome SlashID may leave unknown: a create sent
//! again until it is confirmed or refused for certain, and a read right
//! after a write repeated while it answers 404 (vendors/slashid.md,
//! "Eventual consistency").

use std::future::Future;
use std::time::Duration;

use super::{Created, SlashidError};
use crate::http::stop::MAX_WAIT_WHEN_STOPPING;
use crate::vendors::create::{CREATE_ATTEMPTS, LOOKUP_BACKOFF};

/// How often a read right after a write is repeated while it answers 404:
/// reads carry no consistency header and may be served by a region that has
/// not seen the write yet (vendors/slashid.md, "Eventual consistency").
const READ_BACK_ATTEMPTS: u32 = 6;
const READ_BACK_FIRST_DELAY: Duration = Duration::from_millis(100);

/// Sends a create until SlashID confirms it or refuses it for certain.
/// Nothing is read back: the 204 carries nothing, and the state comes from
/// the plan. A create's outcome can be unknown (a lost answer, a 5xx, or a
/// 408 "the request may still be handled"), and sending it again is safe
/// because names are unique: a 409 on a later attempt means an earlier one
/// landed, while a 409 on the first means the name was taken before (the
/// caller reports it). At most [`CREATE_ATTEMPTS`] sends, after the waits
/// of [`LOOKUP_BACKOFF`] (about 15 s in all, cut short when Terraform asks
/// the provider to stop, as is a send again in flight then), so that a
/// network blip of a second does not end the create unsettled.
pub(super) async fn create_settled<C, CFut>(create: C) -> Result<Created, SlashidError>
where
    C: Fn() -> CFut,
    CFut: Future<Output = Result<(), SlashidError>>,
{
    let mut waits = LOOKUP_BACKOFF.iter();
    let stop = crate::http::StopSignal::process();
    let mut attempt = 1;
    let mut outcome = create().await;
    loop {
        let err = match outcome {
            Ok(()) => return Ok(Created::Done),
            Err(err) if err.is_conflict() && attempt == 1 => return Ok(Created::Conflict(err)),
            Err(err) if err.is_conflict() => {
                tracing::info!(error = %err, attempt, "409 after a create with an unknown outcome: that one landed");
                return Ok(Created::Done);
            }
            Err(err) if err.is_ambiguous() && attempt < CREATE_ATTEMPTS => err,
            Err(err) => return Err(err),
        };
        let wait = *waits.next().unwrap_or(&LOOKUP_BACKOFF[0]);
        tracing::warn!(error = %err, attempt, ?wait, "create outcome unknown; sending it again (a 409 will mean it landed)");
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            // Stopping: the outcome stays unknown (the caller keeps the
            // object, pending) rather than a send refused for the stop.
            _ = stop.stopped() => return Err(err),
        }
        attempt += 1;
        // A send again only settles an outcome that is unknown already, so
        // once the provider is stopping it is treated like a read (see
        // `crate::http::stop`): its answer is awaited at most
        // `MAX_WAIT_WHEN_STOPPING` (a stalled server would hold it for the
        // whole attempt timeout), and a send refused for the stop leaves the
        // outcome as unknown as before; the caller keeps the object pending.
        outcome = tokio::select! {
            outcome = create() => outcome,
            _ = stop.stopped_for(MAX_WAIT_WHEN_STOPPING) => return Err(err),
        };
        if stop.is_stopped()
            && matches!(&outcome, Err(e) if e.answer().is_none() && !e.is_ambiguous())
        {
            return Err(err);
        }
    }
}

pub(super) async fn read_back<T, F, Fut>(read: F) -> Result<T, SlashidError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, SlashidError>>,
{
    let mut delay = READ_BACK_FIRST_DELAY;
    let mut attempt = 1;
    loop {
        match read().await {
            Err(err) if err.is_not_found() && attempt < READ_BACK_ATTEMPTS => {
                tracing::debug!(attempt, ?delay, "404 right after a write; reading again");
                tokio::time::sleep(delay).await;
                delay *= 2;
                attempt += 1;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::http::HttpError;
    use crate::vendors::error::Call;
    use crate::vendors::slashid::error::ApiError;

    fn lost() -> SlashidError {
        HttpError::Transport {
            method: "POST".into(),
            path: "https://api.slashid.com:443/rbac/roles".into(),
            message: "connection reset".into(),
            attempts: 1,
            ambiguous: true,
            timed_out: false,
        }
        .into()
    }

    fn conflict() -> SlashidError {
        SlashidError::Api(Box::new(ApiError {
            message: "exists".into(),
            call: Call {
                method: "POST".into(),
                path: "/rbac/roles".into(),
                status: 409,
                request_id: None,
                attempts: 1,
            },
        }))
    }

    #[tokio::test(start_paused = true)]
    async fn an_unknown_outcome_is_sent_again_after_a_wait_and_a_409_settles_it() {
        let answers = Mutex::new(vec![Err(conflict()), Err(lost()), Err(lost())]);
        let started = tokio::time::Instant::now();
        let created = create_settled(|| {
            let next = answers.lock().unwrap().pop().unwrap();
            async move { next }
        })
        .await;
        assert!(matches!(created, Ok(Created::Done)), "{created:?}");
        // Two waits (0.5 s, then 1 s): a blip of a second does not use up
        // every send.
        assert_eq!(started.elapsed(), LOOKUP_BACKOFF[0] + LOOKUP_BACKOFF[1]);
    }
}
