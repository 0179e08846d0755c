//! Settling a write whose outcome SlashID may leave unknown: a create sent
//! again until it is confirmed or refused for certain, and a read right
//! after a write repeated while it answers 404 (vendors/slashid.md,
//! "Eventual consistency").

use std::future::Future;
use std::time::Duration;

use super::{Created, SlashidError};
use crate::vendors::create::CREATE_ATTEMPTS;

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
/// caller reports it). At most [`CREATE_ATTEMPTS`] sends.
pub(super) async fn create_settled<C, CFut>(create: C) -> Result<Created, SlashidError>
where
    C: Fn() -> CFut,
    CFut: Future<Output = Result<(), SlashidError>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        match create().await {
            Ok(()) => return Ok(Created::Done),
            Err(err) if err.is_conflict() && attempt == 1 => return Ok(Created::Conflict(err)),
            Err(err) if err.is_conflict() => {
                tracing::info!(error = %err, attempt, "409 after a create with an unknown outcome: that one landed");
                return Ok(Created::Done);
            }
            Err(err) if err.is_ambiguous() && attempt < CREATE_ATTEMPTS => {
                tracing::warn!(error = %err, attempt, "create outcome unknown; sending it again (a 409 will mean it landed)");
            }
            Err(err) => return Err(err),
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
