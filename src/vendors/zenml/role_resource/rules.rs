//! The rules of `rbac_zenml_role` beside its lifecycle: the role's ID in
//! state and refusals for built-in roles.

use tf_provider::Diagnostics;

use super::{plan, RoleState};
use crate::framework::resource::Failure;

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
