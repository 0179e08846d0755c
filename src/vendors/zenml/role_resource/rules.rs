//! The rules of `rbac_zenml_role` beside its lifecycle: the role's ID in
//! state, refusals for built-in roles, and the settling of a create whose
//! outcome is unknown.

use tf_provider::value::ValueEmpty;
use tf_provider::Diagnostics;

use super::convert::{create_body, state_from};
use super::{plan, Result, RoleResource, RoleState};
use crate::framework::resource::{Failure, Read, ResourceType};
use crate::vendors::pending::settled;
use crate::vendors::zenml::api::ZenmlClient;

/// The role's ID (`None` never happens: every stored state has one).
pub(super) fn role_id(state: &RoleState) -> Option<&str> {
    state.id.as_ref_option().map(String::as_str)
}

/// The error for a state without an ID.
pub(super) fn no_id() -> Failure<RoleState> {
    Failure::message("the ZenML role has no ID in the state", "")
}

/// ZenML never lets a built-in role be changed or deleted (`what`).
pub(super) fn refuse_built_in(what: &str, prior: &RoleState) -> Failure<RoleState> {
    let mut diags = Diagnostics::default();
    plan::system_managed(&mut diags, what, prior);
    Failure::diagnostics(diags)
}
/// The refresh of a pending role: the lookup of its create settles it.
/// Found, it is recorded with its ID; missing, or someone else's role of
/// that name, it leaves the state and the plan creates it again.
pub(super) async fn settle(
    client: &ZenmlClient,
    state: &RoleState,
) -> Result<Read<(RoleState, ValueEmpty)>> {
    let Some(body) = create_body(state) else {
        return Ok(Read::Gone);
    };
    let found = client
        .find_created_role(&body)
        .await
        .map_err(Failure::vendor)?;
    Ok(settled(RoleResource::WHAT, found, |role| {
        (state_from(&role, Some(state)), ValueEmpty::default())
    }))
}
