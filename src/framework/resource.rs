//! Our own small typed resource trait, [`ResourceType`], and the one generic
//! [`Adapter`] that turns any of them into tf-provider's `Resource` — like
//! terraform-plugin-framework's `resource.ResourceWithConfigure` and tfe's
//! embedded `resourceWithConfigure`. A resource file then states only what is
//! its own: State, schema, plan rules, calls to its typed client and
//! conversions.
//!
//! The adapter owns what every resource shares:
//! - the configured-client step (one clear error when the vendor's block is
//!   missing, invalid or unknown; see [`super::provider_data`]);
//! - read → [`Read::Found`] / [`Read::Gone`]: gone logs "not found; removing
//!   it from state" and drops the resource (Terraform then plans a create);
//!   an error keeps the prior state and reports;
//! - delete → [`Deleted::Done`] / [`Deleted::AlreadyGone`] (already gone is
//!   success, logged);
//! - error-to-diagnostic mapping: "Error <doing> <what> <which>", then the
//!   vendor's message (code, request ID, host: never a secret);
//! - a create or update whose vendor write was confirmed but whose follow-up
//!   failed still records the state ([`Failure::keep`]), so Terraform taints
//!   the object rather than forgetting it;
//! - `timeouts`: each operation runs under its deadline
//!   ([`super::timeouts`]), plan-time vendor calls under `read`'s, and the
//!   configured block is kept in the planned and returned states.

use std::any::Any;
use std::fmt::Display;
use std::sync::Arc;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tf_provider::schema::Schema;
use tf_provider::value::ValueEmpty;
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::provider_data::{ProviderData, VendorConfig};
use super::timeouts::{CrudTimeouts, HasTimeouts, Op};

/// What a read found.
#[derive(Debug, Clone, PartialEq)]
pub enum Read<T> {
    /// The object exists; this is its state.
    Found(T),
    /// The vendor says it does not exist (deleted outside Terraform).
    Gone,
}

/// What a delete did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    Done,
    /// The vendor said not found: the goal is reached all the same.
    AlreadyGone,
}

/// Why an operation failed, and the state to record if the vendor already
/// made a change.
pub struct Failure<S> {
    kind: FailureKind,
    keep: Option<S>,
    /// The private state to record with `keep`, when it is not the one the
    /// operation started with (a read-back gave a new ETag, say).
    keep_private: Option<Box<dyn Any + Send>>,
}

enum FailureKind {
    /// A vendor or transport error: the adapter says what it was doing.
    Vendor(String),
    /// A message of the resource's own (bad import key, unknown value...).
    Message {
        summary: String,
        detail: String,
        attribute: Option<AttributePath>,
    },
    /// Errors the resource worded itself, possibly several (one per field
    /// the vendor refused, say), added as they are.
    Diagnostics(Diagnostics),
}

impl<S> Failure<S> {
    /// A vendor error; its Display carries code, message and request ID.
    pub fn vendor(err: impl Display) -> Self {
        Failure {
            kind: FailureKind::Vendor(err.to_string()),
            keep: None,
            keep_private: None,
        }
    }

    /// An error of the resource's own, shown as is.
    pub fn message(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Failure {
            kind: FailureKind::Message {
                summary: summary.into(),
                detail: detail.into(),
                attribute: None,
            },
            keep: None,
            keep_private: None,
        }
    }

    /// An error about one attribute.
    pub fn attribute(
        attribute: AttributePath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Failure {
            kind: FailureKind::Message {
                summary: summary.into(),
                detail: detail.into(),
                attribute: Some(attribute),
            },
            keep: None,
            keep_private: None,
        }
    }

    /// Errors the resource already worded, added as they are: for a
    /// failure that is more than one diagnostic.
    pub fn diagnostics(diags: Diagnostics) -> Self {
        Failure {
            kind: FailureKind::Diagnostics(diags),
            keep: None,
            keep_private: None,
        }
    }

    /// Records `state` although the operation failed: the vendor confirmed
    /// the write, so the object exists and must not be forgotten.
    pub fn keep(mut self, state: S) -> Self {
        self.keep = Some(state);
        self
    }

    /// [`Self::keep`], with the private state to record beside it (the
    /// resource's `Private` type; another type is ignored).
    pub fn keep_with<P: Send + 'static>(mut self, state: S, private: P) -> Self {
        self.keep = Some(state);
        self.keep_private = Some(Box::new(private));
        self
    }

    /// Reports the failure; the kept state, if any, with the kept private
    /// state, or else `private`.
    pub(crate) fn report_with<P: 'static>(
        mut self,
        diags: &mut Diagnostics,
        doing: &str,
        private: P,
    ) -> Option<(S, P)> {
        let kept = self
            .keep_private
            .take()
            .and_then(|p| p.downcast::<P>().ok());
        let private = kept.map_or(private, |p| *p);
        self.report(diags, doing).map(|state| (state, private))
    }

    pub(crate) fn report(self, diags: &mut Diagnostics, doing: &str) -> Option<S> {
        match self.kind {
            FailureKind::Vendor(detail) => diags.root_error(format!("Error {doing}"), detail),
            FailureKind::Message {
                summary,
                detail,
                attribute: Some(path),
            } => diags.error(summary, detail, path),
            FailureKind::Message {
                summary, detail, ..
            } => diags.root_error(summary, detail),
            FailureKind::Diagnostics(own) => diags.add_diagnostics(own),
        }
        self.keep
    }
}

/// The result of an operation on a resource.
pub type Outcome<T, S> = Result<T, Failure<S>>;

/// Warnings shown beside an operation's result, whatever its outcome (say,
/// an import key that named another object than it reads as).
#[derive(Debug, Default)]
pub struct Warnings(Vec<(String, String)>);

impl Warnings {
    pub fn add(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.0.push((summary.into(), detail.into()));
    }

    fn report(self, diags: &mut Diagnostics) {
        for (summary, detail) in self.0 {
            diags.root_warning(summary, detail);
        }
    }
}

/// One Terraform resource type, in its own terms. Private state (`Private`)
/// is what Terraform stores beside the state for the provider alone (an
/// ETag, say); `ValueEmpty` when there is none.
#[async_trait]
pub trait ResourceType: Send + Sync + 'static {
    /// The vendor whose client the resource calls.
    type Vendor: VendorConfig;
    /// The Terraform state; a test compares it with [`Self::schema`]. It
    /// holds the `timeouts` block ([`super::timeouts::resource_block`]).
    type State: Serialize
        + DeserializeOwned
        + HasTimeouts<Block = CrudTimeouts>
        + Clone
        + Send
        + Sync
        + 'static;
    /// Private state kept beside it.
    type Private: Serialize + DeserializeOwned + Default + Send + Sync + 'static;

    /// The object's kind in messages and logs (`"Rootly on-call role"`).
    /// The Terraform type name without the provider's prefix
    /// (`flashduty_role` for `rbac_flashduty_role`), as the plugin
    /// framework's `Metadata` gives it.
    const TYPE_NAME: &'static str;

    const WHAT: &'static str;

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema;

    /// Plan-time checks of the configuration's known values.
    fn validate(_diags: &mut Diagnostics, _config: &Self::State) {}

    /// Which object, in messages: its ID, or its name before it has one.
    fn which(state: &Self::State) -> String;

    /// The planned state for a create (`prior` is `None`) or an update,
    /// and the attributes whose change forces a replacement. `client` is
    /// `None` while the provider configuration is unknown: skip checks that
    /// call the vendor.
    async fn plan(
        &self,
        client: Option<&<Self::Vendor as VendorConfig>::Client>,
        config: Self::State,
        prior: Option<&Self::State>,
    ) -> Outcome<(Self::State, Vec<AttributePath>), Self::State>;

    /// Plan-time check of a destroy (no vendor call): an error stops the
    /// plan, e.g. for an object the vendor never lets be deleted.
    fn plan_destroy(_prior: &Self::State) -> Outcome<(), Self::State> {
        Ok(())
    }

    async fn create(
        &self,
        client: &<Self::Vendor as VendorConfig>::Client,
        planned: Self::State,
    ) -> Outcome<(Self::State, Self::Private), Self::State>;

    async fn read(
        &self,
        client: &<Self::Vendor as VendorConfig>::Client,
        state: &Self::State,
        private: &Self::Private,
    ) -> Outcome<Read<(Self::State, Self::Private)>, Self::State>;

    async fn update(
        &self,
        client: &<Self::Vendor as VendorConfig>::Client,
        prior: Self::State,
        planned: Self::State,
        private: &Self::Private,
    ) -> Outcome<(Self::State, Self::Private), Self::State>;

    async fn delete(
        &self,
        client: &<Self::Vendor as VendorConfig>::Client,
        prior: &Self::State,
        private: &Self::Private,
    ) -> Outcome<Deleted, Self::State>;

    /// The state of the object `id` names; the error lists the accepted
    /// formats.
    async fn import(
        &self,
        client: &<Self::Vendor as VendorConfig>::Client,
        id: &str,
    ) -> Outcome<(Self::State, Self::Private), Self::State>;

    /// [`Self::import`] with warnings to show beside its result; the
    /// adapter calls this one. The default warns of nothing: override it
    /// (and have `import` call it) only for an import that can warn.
    async fn import_with_warnings(
        &self,
        client: &<Self::Vendor as VendorConfig>::Client,
        id: &str,
        _warnings: &mut Warnings,
    ) -> Outcome<(Self::State, Self::Private), Self::State> {
        self.import(client, id).await
    }
}

/// tf-provider's `Resource` for any [`ResourceType`], written once.
pub struct Adapter<R: ResourceType> {
    resource: R,
    provider: Arc<ProviderData<R::Vendor>>,
}

impl<R: ResourceType> Adapter<R> {
    pub fn new(resource: R, provider: Arc<ProviderData<R::Vendor>>) -> Self {
        Adapter { resource, provider }
    }
}

#[async_trait]
impl<R: ResourceType> Resource for Adapter<R> {
    type State<'a> = R::State;
    type PrivateState<'a> = R::Private;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(R::schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: R::State) -> Option<()> {
        config.timeouts().validate(diags);
        R::validate(diags, &config);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: R::State,
        private: R::Private,
        _meta: ValueEmpty,
    ) -> Option<(R::State, R::Private)> {
        let timeouts = state.timeouts().clone();
        timeouts
            .run_with_state(Op::Read, diags, async |diags| {
                let which = R::which(&state);
                let Some(client) = self.provider.client_or_report(diags) else {
                    return Some((state, private));
                };
                match self.resource.read(&client, &state, &private).await {
                    Ok(Read::Found(found)) => Some(found),
                    Ok(Read::Gone) => {
                        tracing::warn!(what = R::WHAT, id = %which, "not found; removing it from state");
                        None
                    }
                    Err(failure) => {
                        let doing = format!("reading {} {which}", R::WHAT);
                        failure.report(diags, &doing);
                        // Keep what we had: a failed read is not a deletion.
                        Some((state, private))
                    }
                }
            })
            .await
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        _proposed: R::State,
        config: R::State,
        _meta: ValueEmpty,
    ) -> Option<(R::State, R::Private)> {
        let client = self.provider.client_at_plan(diags)?;
        let which = R::which(&config);
        let timeouts = config.timeouts().clone();
        // Plan-time vendor calls are reads: bounded by timeouts.read.
        let plan = self.resource.plan(client.as_ref(), config, None);
        match timeouts.deadline(Op::Read).scope(plan).await {
            Ok((mut planned, _)) => {
                *planned.timeouts_mut() = timeouts;
                Some((planned, R::Private::default()))
            }
            Err(failure) => {
                failure.report(diags, &format!("planning {} {which}", R::WHAT));
                None
            }
        }
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: R::State,
        _proposed: R::State,
        config: R::State,
        private: R::Private,
        _meta: ValueEmpty,
    ) -> Option<(R::State, R::Private, Vec<AttributePath>)> {
        let client = self.provider.client_at_plan(diags)?;
        let which = R::which(&prior);
        let timeouts = config.timeouts().clone();
        let plan = self.resource.plan(client.as_ref(), config, Some(&prior));
        match timeouts.deadline(Op::Read).scope(plan).await {
            Ok((mut planned, replace)) => {
                *planned.timeouts_mut() = timeouts;
                Some((planned, private, replace))
            }
            Err(failure) => {
                failure.report(diags, &format!("planning {} {which}", R::WHAT));
                None
            }
        }
    }

    async fn plan_destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: R::State,
        private: R::Private,
        _meta: ValueEmpty,
    ) -> Option<R::Private> {
        match R::plan_destroy(&prior) {
            Ok(()) => Some(private),
            Err(failure) => {
                let doing = format!("planning to delete {} {}", R::WHAT, R::which(&prior));
                failure.report(diags, &doing);
                None
            }
        }
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: R::State,
        _config: R::State,
        _private: R::Private,
        _meta: ValueEmpty,
    ) -> Option<(R::State, R::Private)> {
        let timeouts = planned.timeouts().clone();
        timeouts
            .run_with_state(Op::Create, diags, async |diags| {
                let client = self.provider.client_or_report(diags)?;
                let which = R::which(&planned);
                match self.resource.create(&client, planned).await {
                    Ok(created) => Some(created),
                    Err(failure) => failure.report_with(
                        diags,
                        &format!("creating {} {which}", R::WHAT),
                        R::Private::default(),
                    ),
                }
            })
            .await
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: R::State,
        planned: R::State,
        _config: R::State,
        private: R::Private,
        _meta: ValueEmpty,
    ) -> Option<(R::State, R::Private)> {
        let timeouts = planned.timeouts().clone();
        timeouts
            .run_with_state(Op::Update, diags, async |diags| {
                let client = self.provider.client_or_report(diags)?;
                let which = R::which(&prior);
                match self
                    .resource
                    .update(&client, prior, planned, &private)
                    .await
                {
                    Ok(updated) => Some(updated),
                    Err(failure) => failure.report_with(
                        diags,
                        &format!("updating {} {which}", R::WHAT),
                        private,
                    ),
                }
            })
            .await
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: R::State,
        private: R::Private,
        _meta: ValueEmpty,
    ) -> Option<()> {
        let timeouts = prior.timeouts().clone();
        timeouts
            .run(Op::Delete, diags, async |diags| {
                let client = self.provider.client_or_report(diags)?;
                let which = R::which(&prior);
                match self.resource.delete(&client, &prior, &private).await {
                    Ok(Deleted::Done) => Some(()),
                    Ok(Deleted::AlreadyGone) => {
                        tracing::info!(what = R::WHAT, id = %which, "already deleted");
                        Some(())
                    }
                    Err(failure) => {
                        failure.report(diags, &format!("deleting {} {which}", R::WHAT));
                        None
                    }
                }
            })
            .await
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(R::State, R::Private)> {
        let client = self.provider.client_or_report(diags)?;
        let key = id.trim();
        let mut warnings = Warnings::default();
        let imported = self
            .resource
            .import_with_warnings(&client, key, &mut warnings)
            .await;
        warnings.report(diags);
        match imported {
            Ok(imported) => Some(imported),
            Err(failure) => {
                failure.report(diags, &format!("importing {} {key:?}", R::WHAT));
                None
            }
        }
    }
}

#[cfg(test)]
#[path = "resource_tests.rs"]
mod tests;
