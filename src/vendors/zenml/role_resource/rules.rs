//! The rules of `rbac_zenml_role` beside its lifecycle: plan-time checks,
//! the role's ID in state, refusals for built-in roles, and the settling of
//! a create whose outcome is unknown.

use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics};

use super::convert::{create_body, state_from};
use super::{plan, Result, RoleResource, RoleState, CUSTOM_LEVELS, DESCRIPTION_MAX, NAME_MAX};
use crate::framework::resource::{Failure, Read, ResourceType};
use crate::framework::validate::{string_length, string_one_of};
use crate::vendors::pending::settled;
use crate::vendors::zenml::api::ZenmlClient;
use crate::vendors::zenml::ids::validate_uuid;

/// Plan-time checks, mirroring the vendor's documented limits.
pub fn validate_role(diags: &mut Diagnostics, config: &RoleState) {
    validate_uuid(diags, "organization_id", &config.organization_id);
    if config.level.as_ref_option().map(String::as_str) == Some("organization") {
        diags.error(
            "Invalid value for level",
            "level = \"organization\" is not possible for a custom role: ZenML Pro refuses to create \
             organization roles (IllegalOperationError: the role is an organization role). Use \
             \"workspace\" or \"project\"; to grant organization-wide access, assign a built-in \
             organization role (see the rbac_zenml_roles data source) with rbac_zenml_role_assignment.",
            AttributePath::new("level"),
        );
    } else {
        string_one_of(
            diags,
            AttributePath::new("level"),
            &config.level,
            &CUSTOM_LEVELS,
        );
    }
    string_length(
        diags,
        AttributePath::new("name"),
        &config.name,
        1,
        NAME_MAX,
        "ZenML's limit for role names",
    );
    string_length(
        diags,
        AttributePath::new("description"),
        &config.description,
        1,
        DESCRIPTION_MAX,
        "ZenML's limit for role descriptions",
    );
    if matches!(&config.role_type, Value::Value(t) if t.is_empty()) {
        diags.error(
            "Invalid value for type",
            "type must not be empty; leave it unset for \"normal\".",
            AttributePath::new("type"),
        );
    }
}

/// The role's ID (`None` never happens: every stored state has one).
pub(super) fn role_id(state: &RoleState) -> Option<&str> {
    state.id.as_ref_option().map(String::as_str)
}

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
