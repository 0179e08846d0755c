//! Conversions of `rbac_zenml_role`: ZenML's role to the state, and the
//! state to the RoleCreate and RoleUpdate bodies.

use crate::framework::tf::Value;

use super::RoleState;
use crate::vendors::zenml::api::{Role, RoleCreate, RoleUpdate};
use crate::vendors::zenml::ids::keep_spelling;

/// The state for a role read from ZenML; `prior` supplies the spelling of
/// IDs the user wrote.
pub fn state_from(role: &Role, prior: Option<&RoleState>) -> RoleState {
    let prior_org = prior.map(|p| p.organization_id.clone()).unwrap_or_default();
    RoleState {
        id: Value::Value(role.id.clone()),
        organization_id: keep_spelling(&role.organization_id, &prior_org),
        level: Value::Value(role.level.clone()),
        name: role.name.clone().into(),
        description: role.description.clone().into(),
        role_type: Value::Value(role.role_type.clone()),
        system_managed: Value::Value(role.system_managed),
        timeouts: Default::default(),
    }
}

/// The RoleCreate body for a fully planned state.
pub(super) fn create_body(planned: &RoleState) -> Option<RoleCreate> {
    Some(RoleCreate {
        name: planned.name.as_option_ref_known()?,
        description: planned.description.as_option_ref_known()?,
        organization_id: planned
            .organization_id
            .as_ref_option()?
            .to_ascii_lowercase(),
        level: planned.level.as_ref_option()?.clone(),
        system_managed: false,
        role_type: planned.role_type.as_ref_option()?.clone(),
    })
}

/// The RoleUpdate body: only what changed, `null` to clear.
pub(super) fn update_body(prior: &RoleState, planned: &RoleState) -> RoleUpdate {
    let change = |before: &Value<String>, after: &Value<String>| {
        (before != after).then(|| after.as_ref_option().cloned())
    };
    RoleUpdate {
        name: change(&prior.name, &planned.name),
        description: change(&prior.description, &planned.description),
    }
}

/// Known value or null, as an Option; `None` (outer) while unknown.
trait KnownOption {
    fn as_option_ref_known(&self) -> Option<Option<String>>;
}

impl KnownOption for Value<String> {
    fn as_option_ref_known(&self) -> Option<Option<String>> {
        match self {
            Value::Value(v) => Some(Some(v.clone())),
            Value::Null => Some(None),
            Value::Unknown => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{config, s};
    use super::*;

    #[test]
    fn update_body_sends_changes_and_clears() {
        let prior = RoleState {
            description: s("old"),
            ..config()
        };
        let planned = RoleState {
            name: s("new"),
            ..config()
        };
        let body = update_body(&prior, &planned);
        assert_eq!(body.name, Some(Some("new".into())));
        assert_eq!(body.description, Some(None));
        assert!(update_body(&prior, &prior).is_empty());
    }
}
