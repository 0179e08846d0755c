//! Settling a write whose outcome SlashID may leave unknown: a create sent
//! again until it is confirmed or refused for certain, and a read right
//! after a write repeated while it answers 404 (docs/vendors/slashid.md,
//! "Behaviour the provider depends on").

use std::future::Future;
use std::time::Duration;

use super::{Created, PermissionCreate, RoleCreate, SlashidClient, SlashidError};
use crate::http::stop::MAX_WAIT_WHEN_STOPPING;
use crate::vendors::lost_create::create::{
    Lookup, OutcomeUnknown, CREATE_ATTEMPTS, LOOKUP_BACKOFF,
};
use crate::vendors::lost_create::settle::{settle, Before, Found, Names};

/// How often a read right after a write is repeated while it answers 404:
/// reads carry no consistency header and may be served by a region that has
/// not seen the write yet (docs/vendors/slashid.md, "Behaviour the provider depends on").
const READ_BACK_ATTEMPTS: u32 = 6;
const READ_BACK_FIRST_DELAY: Duration = Duration::from_millis(100);

/// What the sends of a create came to.
#[derive(Debug)]
enum Sent {
    /// Created, by the last send (the earlier ones did not land, or the
    /// last would have been refused).
    Done,
    /// The first send was refused with 409: the name was taken before.
    Conflict(SlashidError),
    /// A later send was refused with 409, after sends whose outcome stayed
    /// unknown: one of them landed, or the name was taken before the first
    /// (its refusal was the answer lost). Only a lookup tells.
    Taken(SlashidError),
}

impl SlashidClient {
    /// What was there before a create of the role `full` (see
    /// [`crate::vendors::lost_create::settle`]): SlashID's ID is the name, so a role of
    /// that name that was there is told by its `created`. One listing of
    /// the names per run, before the first create, and a `GET` of a name
    /// found there.
    pub async fn before_role(&self, full: &str) -> Result<Before, SlashidError> {
        let listed = self
            .before
            .before("roles", full, || async {
                let names = self.list_roles().await?;
                Ok::<_, SlashidError>(names.into_iter().map(|n| (n.clone(), n)).collect())
            })
            .await?;
        if listed.0.is_empty() {
            return Ok(listed);
        }
        let (role, _) = self.get_role(full).await?;
        Ok(Before(vec![identity(role.created.as_deref())]))
    }

    /// [`Self::before_role`] for the permission `name`.
    pub async fn before_permission(&self, name: &str) -> Result<Before, SlashidError> {
        let listed = self
            .before
            .before("permissions", name, || async {
                let names = self.list_permissions().await?;
                Ok::<_, SlashidError>(names.into_iter().map(|n| (n.clone(), n)).collect())
            })
            .await?;
        if listed.0.is_empty() {
            return Ok(listed);
        }
        let permission = self.get_permission(name).await?;
        Ok(Before(vec![identity(permission.created.as_deref())]))
    }

    /// `POST /rbac/roles`, settled (see [`create_settled`]); a 409 after an
    /// unknown outcome is looked up: the role is ours only if it was not
    /// there before (`before`) and holds what was sent.
    pub async fn create_role_settled(
        &self,
        body: &RoleCreate,
        before: &Before,
    ) -> Result<Created, SlashidError> {
        let taken = match create_settled(|| self.create_role(body)).await? {
            Sent::Done => return Ok(Created::Done),
            Sent::Conflict(err) => return Ok(Created::Conflict(err)),
            Sent::Taken(err) => err,
        };
        let found = match read_visible(self.visibility_window(), || self.get_role(&body.name)).await
        {
            Ok((role, _)) => vec![Found {
                id: identity(role.created.as_deref()),
                created: None,
                same: text(&role.description) == text(&body.description)
                    && sorted(&role.permissions) == sorted(&body.permissions),
                object: (),
            }],
            Err(err) if err.is_not_found() => vec![],
            Err(err) => return Err(err),
        };
        settled(
            &body.name,
            taken,
            settle(found, Some(before), None, None, Names::Unique),
        )
    }

    /// `POST /rbac/permissions`, settled like [`Self::create_role_settled`].
    pub async fn create_permission_settled(
        &self,
        body: &PermissionCreate,
        before: &Before,
    ) -> Result<Created, SlashidError> {
        let taken = match create_settled(|| self.create_permission(body)).await? {
            Sent::Done => return Ok(Created::Done),
            Sent::Conflict(err) => return Ok(Created::Conflict(err)),
            Sent::Taken(err) => err,
        };
        let found = match read_visible(self.visibility_window(), || self.get_permission(&body.name))
            .await
        {
            Ok(permission) => vec![Found {
                id: identity(permission.created.as_deref()),
                created: None,
                same: text(&permission.description) == text(&body.description),
                object: (),
            }],
            Err(err) if err.is_not_found() => vec![],
            Err(err) => return Err(err),
        };
        settled(
            &body.name,
            taken,
            settle(found, Some(before), None, None, Names::Unique),
        )
    }
}

/// An object's identity beside its name: when it was created (a role of
/// that name deleted and made again is another one).
fn identity(created: Option<&str>) -> String {
    created.unwrap_or_default().to_string()
}

fn text(description: &Option<String>) -> &str {
    description.as_deref().unwrap_or_default()
}

fn sorted(items: &[String]) -> Vec<String> {
    let mut items = items.to_vec();
    items.sort_unstable();
    items.dedup();
    items
}

/// The outcome of a create of `what` refused with `taken` (409) after
/// sends whose outcome stayed unknown, as the lookup settled it: ours, or
/// the name taken before (reported as the refusal it was), or an object
/// that cannot be told from someone else's.
fn settled(what: &str, taken: SlashidError, found: Lookup<()>) -> Result<Created, SlashidError> {
    match found {
        Lookup::Created(()) => {
            tracing::info!(
                what,
                "409 after a create with an unknown outcome: that one landed"
            );
            Ok(Created::Done)
        }
        Lookup::Before(_) => {
            tracing::info!(
                what,
                "409 after a create with an unknown outcome: the name was taken before it"
            );
            Ok(Created::Conflict(taken))
        }
        Lookup::NotOurs | Lookup::Missing => Err(SlashidError::cannot_tell(what, taken)),
    }
}

/// Sends a create until SlashID confirms it or refuses it for certain.
/// Nothing is read back: the 204 carries nothing, and the state comes from
/// the plan. A create's outcome can be unknown (a lost answer, a 5xx, or a
/// 408 "the request may still be handled"), and sending it again is safe
/// because names are unique: a 409 on the first attempt means the name was
/// taken before (the caller reports it), and a 409 on a later one means an
/// earlier one landed or the name was taken before the first ([`Sent::Taken`]:
/// the caller looks it up). At most [`CREATE_ATTEMPTS`] sends, after the waits
/// of [`LOOKUP_BACKOFF`] (about 15 s in all, cut short when Terraform asks
/// the provider to stop, as is a send again in flight then), so that a
/// network blip of a second does not end the create unsettled.
async fn create_settled<C, CFut>(create: C) -> Result<Sent, SlashidError>
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
            Ok(()) => return Ok(Sent::Done),
            Err(err) if err.is_conflict() && attempt == 1 => return Ok(Sent::Conflict(err)),
            Err(err) if err.is_conflict() => return Ok(Sent::Taken(err)),
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

/// A read of an object SlashID's write path says exists (a 409), repeated
/// while it answers 404 for up to `window` (the time SlashID allows a write
/// to replicate, docs/vendors/slashid.md, "Behaviour the provider depends on"): the region that
/// answers may not have it yet.
async fn read_visible<T, F, Fut>(window: Duration, read: F) -> Result<T, SlashidError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, SlashidError>>,
{
    let started = tokio::time::Instant::now();
    let mut delay = READ_BACK_FIRST_DELAY;
    loop {
        match read().await {
            Err(err) if err.is_not_found() && started.elapsed() + delay < window => {
                tracing::debug!(
                    ?delay,
                    "404 for a name SlashID says is taken; reading again"
                );
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(4));
            }
            other => return other,
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
    use crate::vendors::error::FailedCall;
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
            call: FailedCall {
                method: "POST".into(),
                path: "/rbac/roles".into(),
                status: 409,
                request_id: None,
                attempts: 1,
            },
        }))
    }

    #[tokio::test(start_paused = true)]
    async fn an_unknown_outcome_is_sent_again_after_a_wait_and_a_409_is_looked_up() {
        let answers = Mutex::new(vec![Err(conflict()), Err(lost()), Err(lost())]);
        let started = tokio::time::Instant::now();
        let created = create_settled(|| {
            let next = answers.lock().unwrap().pop().unwrap();
            async move { next }
        })
        .await;
        assert!(matches!(created, Ok(Sent::Taken(_))), "{created:?}");
        // Two waits (0.5 s, then 1 s): a blip of a second does not use up
        // every send.
        assert_eq!(started.elapsed(), LOOKUP_BACKOFF[0] + LOOKUP_BACKOFF[1]);
    }
}
