//! Reading many SlashID objects by name. SlashID lists return names only
//! (docs/vendors/slashid.md, "Behaviour the provider depends on"), so the list data
//! sources (and the permission delete's "which roles hold it") read each
//! item's details concurrently, at most [`CONCURRENCY`] at a time, through
//! the shared HTTP core.

use futures::stream::{self, StreamExt, TryStreamExt};

use super::SlashidError;

/// Detail reads in flight at once.
pub const CONCURRENCY: usize = 8;

/// Reads every name's details, [`CONCURRENCY`] at a time (each call still
/// passes the HTTP core's rate limiter), in the order of `names`. A name
/// deleted between the list and its read (404) is left out.
pub async fn fetch_all<T, F, Fut>(names: &[String], get: F) -> Result<Vec<T>, SlashidError>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<T, SlashidError>>,
{
    stream::iter(names.iter().cloned().map(get))
        .buffered(CONCURRENCY)
        .filter_map(|r| async move {
            match r {
                Err(e) if e.is_not_found() => None,
                other => Some(other),
            }
        })
        .try_collect()
        .await
}
