//! What `rbac_slashid_role` and `rbac_slashid_permission` share: both are
//! name-keyed objects that this provider creates with one request whose 204
//! carries nothing. Each remembers its own writes in Terraform's private
//! state, [`Written`] (never shown in a plan, so it never causes a diff),
//! and both resources call the plain functions here for what their
//! lifecycles have in common: the create outcome with its 409 rule
//! ([`created`]), the read and the writes within the "not visible yet"
//! window ([`refreshed`], [`update`], [`delete`]), the explanation of a
//! refused write ([`write_error`]) and the label.
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

use super::api::{Created, SlashidClient};
use super::SlashidError;
use crate::framework::resource::{Deleted, Failure, NewState, Read, Refreshed, ResourceType};
use crate::framework::tf::{AttributePath, Value};
use crate::vendors::lost_create::create::{pending_advice, CREATE_ATTEMPTS};
use crate::vendors::lost_create::settle::Before;

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
    /// [`crate::vendors::lost_create::settle`]), so that the refresh that settles it
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

/// A SlashID object as a GET answered it: the state it makes, when SlashID
/// created it (its identity beside its name), and its ETag when SlashID
/// declares one.
pub struct Fetched<S> {
    pub state: S,
    pub created: Option<String>,
    pub etag: Option<String>,
}

/// What differs between the two kinds of object in their writes.
pub struct Writes {
    /// Whether updates carry `If-Match`: a 412 may then be our own update
    /// landing (its answer lost, the HTTP core's retry carried the old
    /// tag), so it is read back like an unknown outcome.
    pub if_match: bool,
    /// The detail of the error for a 412, before what SlashID said.
    pub changed_outside: &'static str,
    /// The detail of the error for an update that a read-back shows did not
    /// land.
    pub not_updated: &'static str,
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

/// The outcome of a settled create of `full` (`short` is the name the user
/// writes): `state`, with the time of the create, once it is confirmed. A
/// 409 on the first attempt is a name taken before: Terraform did not create
/// that object, so it does not adopt it silently. When every send's outcome
/// stayed unknown (SlashID's unsettled create: see
/// [`super::api::SlashidClient::create_role_settled`]), the object may exist:
/// `state` is kept (Terraform taints it; its ID, the name, is known), with no
/// create time, so that the next refresh's 404 means "not created" rather
/// than "not visible yet" (see [`crate::vendors::lost_create::pending`]).
pub fn created<R: ResourceType<Private = Written>>(
    result: Result<Created, SlashidError>,
    (full, short): (&str, &str),
    before: Before,
    state: R::State,
) -> NewState<R> {
    match result {
        Ok(Created::Done) => {
            tracing::info!(name = %full, "created {}", R::KIND);
            Ok((state, Written::created_now()))
        }
        Ok(Created::Conflict(err)) => Err(Failure::attribute(
            AttributePath::new("name"),
            format!("A {} named {full:?} already exists", R::KIND),
            format!(
                "SlashID refused the create: {err}. Terraform did not create it, so it will not adopt \
                 it silently.\n\n{}",
                crate::vendors::conflict::name_taken(R::KIND, short, short, "")
            ),
        )),
        Err(err) if err.is_ambiguous() => Err(Failure::message(
            format!("Error creating {} {full:?}", R::KIND),
            format!(
                "the outcome of the create of {full:?} stayed unknown after every send (at most \
                 {CREATE_ATTEMPTS}, fewer once Terraform is interrupted; the last: {err}). {}",
                pending_advice(full, "and the next plan reads it by name")
            ),
        )
        .keep_with(state, Written::unsettled(before))),
        Err(err) => Err(Failure::message(
            format!("Error creating {} {full:?}", R::KIND),
            err.to_string(),
        )),
    }
}

/// The refresh of the object `name` from `answer`, its GET. A 404 for an
/// object this provider created less than the visibility window ago is "not
/// visible yet": `state` is kept.
pub fn refreshed<R: ResourceType<Private = Written>>(
    client: &SlashidClient,
    name: &str,
    answer: Result<Fetched<R::State>, SlashidError>,
    state: &R::State,
    private: &Written,
) -> Refreshed<R> {
    match answer {
        // A create whose outcome stayed unknown, and the object of that
        // name is the one that was there before it: not this create's
        // (nothing is recorded; the plan creates it again, and SlashID's
        // refusal names the import command).
        Ok(found)
            if private
                .before
                .as_ref()
                .is_some_and(|b| b.holds(found.created.as_deref().unwrap_or_default())) =>
        {
            tracing::warn!(%name, "the {} of that name was there before the create; not recording it", R::KIND);
            Ok(Read::Gone)
        }
        Ok(found) => Ok(Read::Found((
            found.state,
            Written {
                before: None,
                ..private.clone().with_etag(found.etag)
            },
        ))),
        Err(err) if err.is_not_found() && private.may_be_invisible(client.visibility_window()) => {
            tracing::info!(%name, "{} created moments ago is not visible yet; keeping it", R::KIND);
            Ok(Read::Found((state.clone(), private.clone())))
        }
        Err(err) if err.is_not_found() => Ok(Read::Gone),
        Err(err) => Err(Failure::vendor(err)),
    }
}

/// Sends an update of `name` (repeated while the object may not be visible
/// yet); `sent` is the state once it landed. Only when the outcome is
/// unknown (a 408, a lost answer, or a 412 with [`Writes::if_match`]) is
/// the object read back (`read_back`, which also tells whether the object
/// holds what was sent).
pub async fn update<R, F, Fut>(
    client: &SlashidClient,
    name: &str,
    private: &Written,
    send: F,
    sent: R::State,
    read_back: impl Future<Output = Result<(Fetched<R::State>, bool), SlashidError>> + Send,
    writes: &Writes,
) -> NewState<R>
where
    R: ResourceType<Private = Written>,
    F: Fn() -> Fut + Send,
    Fut: Future<Output = Result<(), SlashidError>> + Send,
{
    let err = match private
        .until_visible(client.visibility_window(), send)
        .await
    {
        Ok(()) => return Ok((sent, private.clone().rewritten())),
        Err(err) if !(err.is_ambiguous() || writes.if_match && err.is_precondition_failed()) => {
            return Err(write_error::<R>(name, &err, writes))
        }
        Err(err) => err,
    };
    tracing::warn!(%name, error = %err, "update outcome unknown; reading the {} back", R::KIND);
    match read_back.await {
        Ok((found, true)) => Ok((found.state, private.clone().with_etag(found.etag))),
        Ok(_) if err.is_precondition_failed() => Err(write_error::<R>(name, &err, writes)),
        Ok((found, false)) => Err(Failure::message(
            format!("{} {name:?} was not updated", R::KIND),
            writes.not_updated,
        )
        .keep_with(found.state, private.clone().with_etag(found.etag))),
        Err(read_err) => {
            tracing::warn!(%name, error = %read_err, "reading the {} back failed too", R::KIND);
            Err(Failure::vendor(err))
        }
    }
}

/// Sends a delete (repeated while the object may not be visible yet). Not
/// found is success; an unknown outcome is settled by `gone`, a GET that
/// answers whether the object is not found.
pub async fn delete<F, Fut>(
    client: &SlashidClient,
    private: &Written,
    send: F,
    gone: impl Future<Output = bool> + Send,
) -> Result<Deleted, SlashidError>
where
    F: Fn() -> Fut + Send,
    Fut: Future<Output = Result<(), SlashidError>> + Send,
{
    let err = match private
        .until_visible(client.visibility_window(), send)
        .await
    {
        Ok(()) => return Ok(Deleted::Done),
        Err(err) if err.is_not_found() => return Ok(Deleted::AlreadyGone),
        Err(err) => err,
    };
    if err.is_ambiguous() && gone.await {
        Ok(Deleted::Done)
    } else {
        Err(err)
    }
}

/// A refused write: a 412 says the object changed outside Terraform; any
/// other error is the vendor's, which the adapter reports with the
/// operation and the name.
pub fn write_error<R: ResourceType<Private = Written>>(
    name: &str,
    err: &SlashidError,
    writes: &Writes,
) -> Failure<R::State, Written> {
    if err.is_precondition_failed() {
        Failure::message(
            format!("{} {name:?} changed outside Terraform", R::KIND),
            format!("{}\n\nSlashID said: {err}", writes.changed_outside),
        )
    } else {
        Failure::vendor(err)
    }
}

/// The object's name in the adapter's messages, quoted: its ID, or its
/// name before it has one.
pub fn label(id: &Value<String>, name: &Value<String>) -> String {
    format!(
        "{:?}",
        id.as_ref_option()
            .or(name.as_ref_option())
            .map(String::as_str)
            .unwrap_or_default()
    )
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
