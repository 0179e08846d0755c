//! What `rbac_slashid_role` and `rbac_slashid_permission` share. Both are
//! name-keyed objects that this provider creates with one request whose 204
//! carries nothing, and whose private state is [`Written`]; so their create
//! outcome, their read (with the "not visible yet" window), their update
//! (read back only when the outcome is unknown) and their delete are written
//! once here. Each resource states its client calls and conversions through
//! [`WrittenObject`].

use std::future::Future;

use crate::framework::tf::AttributePath;
use async_trait::async_trait;

use super::api::{Created, SlashidClient};
use super::config::SlashidSettings;
use super::written::Written;
use super::SlashidError;
use crate::framework::resource::{Deleted, Failure, Outcome, Read, ResourceType};
use crate::vendors::create::{pending_advice, CREATE_ATTEMPTS};
use crate::vendors::settle::Before;

/// A SlashID resource whose private state is [`Written`].
#[async_trait]
pub trait WrittenObject: ResourceType<Vendor = SlashidSettings, Private = Written> {
    /// The vendor's object (`Role`, `Permission`).
    type Object: Send + Sync;

    /// The kind of object in messages: `"role"`, `"permission"`.
    const NOUN: &'static str;
    /// Whether updates carry `If-Match`: a 412 may then be our own update
    /// landing (its answer lost, the HTTP core's retry carried the old
    /// tag), so it is read back like an unknown outcome.
    const IF_MATCH: bool;
    /// The detail of the error for a 412, before what SlashID said.
    const CHANGED_OUTSIDE: &'static str;
    /// The detail of the error for an update that a read-back shows did not
    /// land.
    const NOT_UPDATED: &'static str;

    /// `GET` of the object `name`, and its ETag when SlashID declares one.
    async fn get(
        client: &SlashidClient,
        name: &str,
    ) -> Result<(Self::Object, Option<String>), SlashidError>;

    /// [`Self::get`] right after a write (a 404 is retried briefly).
    async fn read_back(
        client: &SlashidClient,
        name: &str,
    ) -> Result<(Self::Object, Option<String>), SlashidError>;

    /// When SlashID made `object` (its identity beside its name).
    fn created(object: &Self::Object) -> Option<&str>;

    /// The state for `object`, keeping what SlashID does not know from
    /// `known` (the role's generation).
    fn state(client: &SlashidClient, object: &Self::Object, known: &Self::State) -> Self::State;
}

/// The outcome of a settled create of `full` (`short` is the name the user
/// writes): `state`, with the time of the create, once it is confirmed. A
/// 409 on the first attempt is a name taken before: Terraform did not create
/// that object, so it does not adopt it silently. When every send's outcome
/// stayed unknown (SlashID's unsettled create: see
/// [`super::api::SlashidClient::create_role_settled`]), the object may exist:
/// `state` is kept (Terraform taints it; its ID, the name, is known), with no
/// create time, so that the next refresh's 404 means "not created" rather
/// than "not visible yet" (see [`crate::vendors::pending`]).
pub fn created<K: WrittenObject>(
    result: Result<Created, SlashidError>,
    (full, short): (&str, &str),
    before: Before,
    state: K::State,
) -> Outcome<(K::State, Written), K::State, Written> {
    match result {
        Ok(Created::Done) => {
            tracing::info!(name = %full, "created {}", K::KIND);
            Ok((state, Written::created_now()))
        }
        Ok(Created::Conflict(err)) => Err(Failure::attribute(
            AttributePath::new("name"),
            format!("A SlashID {} named {full:?} already exists", K::NOUN),
            format!(
                "SlashID refused the create: {err}. Terraform did not create it, so it will not adopt \
                 it silently.\n\n{}",
                crate::vendors::conflict::name_taken(
                    K::KIND,
                    short,
                    short,
                    "",
                )
            ),
        )),
        Err(err) if err.is_ambiguous() => Err(Failure::message(
            format!("Error creating {} {full:?}", K::KIND),
            format!(
                "the outcome of the create of {full:?} stayed unknown after every send (at most \
                 {CREATE_ATTEMPTS}, fewer once Terraform is interrupted; the last: {err}). {}",
                pending_advice(full, "and the next plan reads it by name")
            ),
        )
        .keep_with(state, Written::unsettled(before))),
        Err(err) => Err(Failure::message(
            format!("Error creating {} {full:?}", K::KIND),
            err.to_string(),
        )),
    }
}

/// Reads the object `name`. A 404 for an object this provider created less
/// than the visibility window ago is "not visible yet": the state is kept.
pub async fn read<K: WrittenObject>(
    client: &SlashidClient,
    name: Option<&String>,
    state: &K::State,
    private: &Written,
) -> Outcome<Read<(K::State, Written)>, K::State, Written> {
    let Some(name) = name else {
        return Ok(Read::Gone);
    };
    match K::get(client, name).await {
        // A create whose outcome stayed unknown, and the object of that
        // name is the one that was there before it: not this create's
        // (nothing is recorded; the plan creates it again, and SlashID's
        // refusal names the import command).
        Ok((object, _))
            if private
                .before
                .as_ref()
                .is_some_and(|b| b.holds(K::created(&object).unwrap_or_default())) =>
        {
            tracing::warn!(%name, "the {} of that name was there before the create; not recording it", K::NOUN);
            Ok(Read::Gone)
        }
        Ok((object, etag)) => Ok(Read::Found((
            K::state(client, &object, state),
            Written {
                before: None,
                ..private.clone().with_etag(etag)
            },
        ))),
        Err(err) if err.is_not_found() && private.may_be_invisible(client.visibility_window()) => {
            tracing::info!(%name, "{} created moments ago is not visible yet; keeping it", K::KIND);
            Ok(Read::Found((state.clone(), private.clone())))
        }
        Err(err) if err.is_not_found() => Ok(Read::Gone),
        Err(err) => Err(Failure::vendor(err)),
    }
}

/// Sends an update of `name` (repeated while the object may not be visible
/// yet); `sent` is the state once it landed. Only when the outcome is
/// unknown (a 408, a lost answer, or a 412 for [`WrittenObject::IF_MATCH`])
/// is the object read back, and `landed` tells whether it holds what was
/// sent.
pub async fn update<K, F, Fut>(
    client: &SlashidClient,
    name: &str,
    private: &Written,
    send: F,
    sent: K::State,
    landed: impl Fn(&K::Object) -> bool + Send,
    prior: &K::State,
) -> Outcome<(K::State, Written), K::State, Written>
where
    K: WrittenObject,
    F: Fn() -> Fut + Send,
    Fut: Future<Output = Result<(), SlashidError>> + Send,
{
    let err = match private
        .until_visible(client.visibility_window(), send)
        .await
    {
        Ok(()) => return Ok((sent, private.clone().rewritten())),
        Err(err) if !(err.is_ambiguous() || K::IF_MATCH && err.is_precondition_failed()) => {
            return Err(write_error::<K>(name, &err))
        }
        Err(err) => err,
    };
    tracing::warn!(%name, error = %err, "update outcome unknown; reading the {} back", K::NOUN);
    match K::read_back(client, name).await {
        Ok((object, etag)) if landed(&object) => Ok((
            K::state(client, &object, prior),
            private.clone().with_etag(etag),
        )),
        Ok(_) if err.is_precondition_failed() => Err(write_error::<K>(name, &err)),
        Ok((object, etag)) => Err(Failure::message(
            format!("SlashID {} {name:?} was not updated", K::NOUN),
            K::NOT_UPDATED,
        )
        .keep_with(
            K::state(client, &object, prior),
            private.clone().with_etag(etag),
        )),
        Err(read_err) => {
            tracing::warn!(%name, error = %read_err, "reading the {} back failed too", K::NOUN);
            Err(Failure::vendor(err))
        }
    }
}

/// Sends a delete of `name` (repeated while the object may not be visible
/// yet). Not found is success; an unknown outcome is settled by a read.
pub async fn delete<K, F, Fut>(
    client: &SlashidClient,
    name: &str,
    private: &Written,
    send: F,
) -> Result<Deleted, SlashidError>
where
    K: WrittenObject,
    F: Fn() -> Fut + Send,
    Fut: Future<Output = Result<(), SlashidError>> + Send,
{
    match private
        .until_visible(client.visibility_window(), send)
        .await
    {
        Ok(()) => Ok(Deleted::Done),
        Err(err) if err.is_not_found() => Ok(Deleted::AlreadyGone),
        Err(err)
            if err.is_ambiguous()
                && matches!(K::get(client, name).await, Err(e) if e.is_not_found()) =>
        {
            Ok(Deleted::Done)
        }
        Err(err) => Err(err),
    }
}

/// A refused write: a 412 says the object changed outside Terraform; any
/// other error is the vendor's, which the adapter reports with the
/// operation and the name.
pub fn write_error<K: WrittenObject>(name: &str, err: &SlashidError) -> Failure<K::State, Written> {
    if err.is_precondition_failed() {
        Failure::message(
            format!("SlashID {} {name:?} changed outside Terraform", K::NOUN),
            format!("{}\n\nSlashID said: {err}", K::CHANGED_OUTSIDE),
        )
    } else {
        Failure::vendor(err)
    }
}

/// The object's name in the adapter's messages, quoted as before the
/// adapter: its ID, or its name before it has one.
pub fn label(
    id: &crate::framework::tf::Value<String>,
    name: &crate::framework::tf::Value<String>,
) -> String {
    format!(
        "{:?}",
        id.as_ref_option()
            .or(name.as_ref_option())
            .map(String::as_str)
            .unwrap_or_default()
    )
}
