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
//! - a required attribute set to null fails validate and plan, naming it,
//!   before any vendor call ([`super::required`]);
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

use crate::framework::tf::Schema;
use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::protocol::MovedFrom;
use super::provider_data::VendorConfig;
use super::timeouts::{CrudTimeouts, HasTimeouts};

mod adapter;

pub use super::failure::{Failure, Outcome, Warnings};
pub use adapter::Adapter;

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

/// What [`ResourceType::plan`] returns for `R`: the planned state and the
/// attributes whose change forces a replacement.
pub type Planned<R> = Outcome<(State<R>, Vec<AttributePath>), State<R>, Private<R>>;
/// What a create, update or import returns for `R`: the new state and
/// private state.
pub type NewState<R> = Outcome<(State<R>, Private<R>), State<R>, Private<R>>;
/// What [`ResourceType::read`] returns for `R`.
pub type Refreshed<R> = Outcome<Read<(State<R>, Private<R>)>, State<R>, Private<R>>;
/// What [`ResourceType::delete`] returns for `R`.
pub type Removed<R> = Outcome<Deleted, State<R>, Private<R>>;
/// The client `R` calls.
pub type ClientOf<R> = <<R as ResourceType>::Vendor as VendorConfig>::Client;
type State<R> = <R as ResourceType>::State;
type Private<R> = <R as ResourceType>::Private;

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
        + Default
        + Clone
        + Send
        + Sync
        + 'static;
    /// Private state kept beside it.
    type Private: Serialize + DeserializeOwned + Default + Send + Sync + 'static;

    /// The Terraform type name without the provider's prefix
    /// (`flashduty_role` for `rbac_flashduty_role`), as the plugin
    /// framework's `Metadata` gives it.
    const TYPE_NAME: &'static str;

    /// The object's kind, a noun for messages and logs (`"Rootly on-call role"`):
    /// "Error creating {KIND} {label}".
    const KIND: &'static str;

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema;

    /// Plan-time checks of the configuration's known values.
    fn validate(_diags: &mut Diagnostics, _config: &Self::State) {}

    /// The object in messages, after [`Self::KIND`]: its ID, or its name
    /// before it has one (`4001`, `"ops"`).
    fn label(state: &Self::State) -> String;

    /// The planned state for a create (`prior` is `None`) or an update,
    /// and the attributes whose change forces a replacement. `client` is
    /// `None` while the provider configuration is unknown: skip checks that
    /// call the vendor.
    async fn plan(
        &self,
        client: Option<&ClientOf<Self>>,
        config: Self::State,
        prior: Option<&Self::State>,
    ) -> Planned<Self>;

    /// For an authoritative resource (one instance owns a holder's whole
    /// set of roles), the holder `state` names, when known (a member ID).
    /// The adapter refuses a second instance for the same holder in one
    /// plan: two authoritative sets for one holder undo each other at every
    /// apply. Default: `None` (not authoritative).
    fn holder(_state: &Self::State) -> Option<String> {
        None
    }

    /// Plan-time checks against the vendor, after [`Self::plan`] and only
    /// when the provider configuration is known: an error stops the plan
    /// (an assignment that exists already and would be taken over), and
    /// warnings are shown beside it (the roles an authoritative set will
    /// revoke). `prior` is `None` for a create; `replace` is what
    /// [`Self::plan`] said forces a replacement. Default: no check.
    async fn check_plan(
        &self,
        _client: &ClientOf<Self>,
        _planned: &Self::State,
        _prior: Option<&Self::State>,
        _replace: &[AttributePath],
        _warnings: &mut Warnings,
    ) -> Outcome<(), Self::State, Self::Private> {
        Ok(())
    }

    /// Plan-time check of a destroy against what this process has seen
    /// (no request needed), when the provider configuration is known: an
    /// error stops the plan, e.g. a destroy that would revoke an assignment
    /// another resource of the same plan imports. Default: no check.
    async fn check_destroy(
        &self,
        _client: &ClientOf<Self>,
        _prior: &Self::State,
    ) -> Outcome<(), Self::State, Self::Private> {
        Ok(())
    }

    /// The state for a `moved` block whose `from` is a resource type of
    /// another provider (Terraform's MoveResourceState), computed from that
    /// state alone: the object exists, only the resource managing it
    /// changes, so no request is sent. `None` when `from` is not a type
    /// this resource takes over; an error message when it is, but its
    /// state cannot be read. Default: `None`.
    fn moved_from(_from: &MovedFrom) -> Option<std::result::Result<Self::State, String>> {
        None
    }

    /// Plan-time check of a destroy (no vendor call): an error stops the
    /// plan, e.g. for an object the vendor never lets be deleted.
    fn plan_destroy(_prior: &Self::State) -> Outcome<(), Self::State, Self::Private> {
        Ok(())
    }

    /// Whether `state` is a create whose outcome stayed unknown, kept in
    /// state without an ID (see `crate::vendors::lost_create::pending`). The adapter
    /// refreshes such a state with [`Self::settle`] instead of
    /// [`Self::read`], refuses to update it (there is no ID to send the
    /// update to), and deletes what settling finds. Default: never.
    fn pending(_state: &Self::State) -> bool {
        false
    }

    /// The refresh of a [`Self::pending`] state: the object its create made
    /// (looked up as the create looked it up), or gone when the create did
    /// not happen. Called only for pending states.
    async fn settle(
        &self,
        _client: &ClientOf<Self>,
        _state: &Self::State,
        _private: &Self::Private,
    ) -> Refreshed<Self> {
        Ok(Read::Gone)
    }

    async fn create(&self, client: &ClientOf<Self>, planned: Self::State) -> NewState<Self>;

    async fn read(
        &self,
        client: &ClientOf<Self>,
        state: &Self::State,
        private: &Self::Private,
    ) -> Refreshed<Self>;

    async fn update(
        &self,
        client: &ClientOf<Self>,
        prior: Self::State,
        planned: Self::State,
        private: &Self::Private,
    ) -> NewState<Self>;

    async fn delete(
        &self,
        client: &ClientOf<Self>,
        prior: &Self::State,
        private: &Self::Private,
    ) -> Removed<Self>;

    /// The state of the object `id` names; the error lists the accepted
    /// formats.
    async fn import(&self, client: &ClientOf<Self>, id: &str) -> NewState<Self>;

    /// [`Self::import`] with warnings to show beside its result; the
    /// adapter calls this one. The default warns of nothing: override it
    /// (and have `import` call it) only for an import that can warn.
    async fn import_with_warnings(
        &self,
        client: &ClientOf<Self>,
        id: &str,
        _warnings: &mut Warnings,
    ) -> NewState<Self> {
        self.import(client, id).await
    }
}

/// The object's ID in a stored state, for a call that names it; an error
/// when there is none (never for a state Terraform stored after a create:
/// a pending one, without an ID, is settled before any such call).
pub fn state_id<R: ResourceType>(
    id: &Value<String>,
) -> std::result::Result<&str, Failure<R::State, R::Private>> {
    match id.as_ref_option().filter(|id| !id.is_empty()) {
        Some(id) => Ok(id),
        None => Err(Failure::message(
            format!("the {} has no ID in state", R::KIND),
            "",
        )),
    }
}

/// [`ResourceType::label`] for an object with an ID and a name: the ID, or
/// the quoted name before there is one (an empty ID is a create that may
/// have happened, still pending).
pub fn id_or_name(id: &Value<String>, name: &Value<String>) -> String {
    match id.as_ref_option().filter(|id| !id.is_empty()) {
        Some(id) => id.clone(),
        None => format!("{:?}", name.as_ref_option().map_or("", String::as_str)),
    }
}
