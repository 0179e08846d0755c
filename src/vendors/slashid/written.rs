//! What a SlashID resource remembers of its own writes, in Terraform's
//! private state (never shown in a plan, so it never causes a diff).
//!
//! SlashID answers a create with 204 before every region has it: reads carry
//! no consistency header, and one served by a region the create has not
//! reached yet answers 404 (docs/vendors/slashid.md, "Behaviour the provider depends on").
//! So a 404 for an object this provider created less than the configured
//! `consistency_timeout` ago (the time SlashID itself allows a write to
//! replicate; 30 s by default) means "not visible yet", not "deleted": the
//! refresh keeps it, and a write to it waits for it to appear.

use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::SlashidError;
use crate::vendors::settle::Before;

/// The first wait before repeating a write that answered 404 while the
/// object may not be visible yet; doubled each time, at most
/// [`MAX_INVISIBLE_DELAY`].
const FIRST_INVISIBLE_DELAY: Duration = Duration::from_millis(250);
const MAX_INVISIBLE_DELAY: Duration = Duration::from_secs(4);

/// Private state of `rbac_slashid_role` and `rbac_slashid_permission`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Written {
    /// The object's last ETag, sent as `If-Match` (unknown after our own
    /// write: SlashID's 204 carries none; the next refresh reads it).
    pub etag: Option<String>,
    /// When this provider created the object (Unix milliseconds), absent
    /// for an imported object.
    pub created_ms: Option<u64>,
    /// For a create whose outcome stayed unknown: the `created` of the
    /// object of that name that was there before it, if any (see
    /// [`crate::vendors::settle`]), so that the refresh that settles it
    /// never records that object as this create's.
    pub before: Option<Box<Before>>,
}

/// Private state as stored by any version: older ones kept the role's ETag
/// alone (a string), or nothing.
#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Now {
        #[serde(default)]
        etag: Option<String>,
        #[serde(default)]
        created_ms: Option<u64>,
        #[serde(default)]
        before: Option<Box<Before>>,
    },
    EtagOnly(Option<String>),
}

impl<'de> Deserialize<'de> for Written {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Stored::deserialize(d)? {
            Stored::Now {
                etag,
                created_ms,
                before,
            } => Written {
                etag,
                created_ms,
                before,
            },
            Stored::EtagOnly(etag) => Written {
                etag,
                ..Written::default()
            },
        })
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl Written {
    /// An object this provider has just created.
    pub fn created_now() -> Self {
        Written {
            created_ms: Some(now_ms()),
            ..Written::default()
        }
    }

    /// A create whose outcome stayed unknown, after `before` was seen.
    pub fn unsettled(before: Before) -> Self {
        Written {
            before: Some(Box::new(before)),
            ..Written::default()
        }
    }

    /// The same record with the ETag of a read.
    pub fn with_etag(self, etag: Option<String>) -> Self {
        Written { etag, ..self }
    }

    /// The same record after a write of ours changed the object (its old
    /// ETag no longer matches).
    pub fn rewritten(self) -> Self {
        Written { etag: None, ..self }
    }

    /// True while a 404 for this object may only mean that the create has
    /// not reached the region that answered: created by this provider less
    /// than `window` ago.
    pub fn may_be_invisible(&self, window: Duration) -> bool {
        self.created_ms
            .is_some_and(|at| now_ms().saturating_sub(at) < window.as_millis() as u64)
    }

    /// Runs `write` (an update or a delete of this object), repeating it
    /// with backoff while it answers 404 and the object may not be visible
    /// yet; any other outcome, or a 404 after the window, is returned.
    pub async fn until_visible<T, F, Fut>(
        &self,
        window: Duration,
        write: F,
    ) -> Result<T, SlashidError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, SlashidError>>,
    {
        let mut delay = FIRST_INVISIBLE_DELAY;
        loop {
            match write().await {
                Err(err) if err.is_not_found() && self.may_be_invisible(window) => {
                    tracing::info!(?delay, "404 from SlashID for an object created moments ago: not visible yet; trying again");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(MAX_INVISIBLE_DELAY);
                }
                other => return other,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(w: &Written) -> Written {
        rmp_serde::from_slice(&rmp_serde::to_vec_named(w).unwrap()).unwrap()
    }

    #[test]
    fn private_state_of_every_version_reads() {
        let w = Written {
            etag: Some("\"r-3\"".into()),
            created_ms: Some(1_700_000_000_000),
            before: Some(Box::new(Before(vec!["2026-01-01T00:00:00Z".into()]))),
        };
        assert_eq!(roundtrip(&w), w);
        // Before: the role's ETag alone, or nil (tf-provider's empty private state).
        let old: Written =
            rmp_serde::from_slice(&rmp_serde::to_vec(&Some("\"r-1\"")).unwrap()).unwrap();
        assert_eq!(old.etag.as_deref(), Some("\"r-1\""));
        assert_eq!(old.created_ms, None);
        let none: Written = rmp_serde::from_slice(&[0xc0]).unwrap();
        assert_eq!(none, Written::default());
    }

    #[test]
    fn only_a_recent_create_of_ours_may_be_invisible() {
        let window = Duration::from_secs(30);
        assert!(Written::created_now().may_be_invisible(window));
        assert!(!Written::default().may_be_invisible(window));
        let old = Written {
            created_ms: Some(now_ms() - 31_000),
            ..Default::default()
        };
        assert!(!old.may_be_invisible(window));
    }
}
