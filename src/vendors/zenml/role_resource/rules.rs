//! The rules of `rbac_zenml_role` beside its lifecycle: refusals for
//! built-in roles.

use crate::framework::tf::Diagnostics;

use super::{plan, RoleState};
use crate::framework::resource::Failure;

/// ZenML never lets a built-in role be changed or deleted (`what`).
pub(super) fn refuse_built_in(what: &str, prior: &RoleState) -> Failure<RoleState, super::Private> {
    let mut diags = Diagnostics::default();
    plan::system_managed(&mut diags, what, prior);
    Failure::diagnostics(diags)
}
