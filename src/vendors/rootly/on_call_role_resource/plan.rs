//! Plan rules of `rbac_rootly_on_call_role`: empty defaults from the
//! configuration, and which computed attributes are kept from the prior
//! state.

use crate::framework::tf::Value;

use super::OnCallRoleState;
use crate::framework::plan::use_state_for_unknown;

/// The planned state. Unset families default to empty sets, taken from the
/// configuration: for a removed optional+computed attribute Terraform
/// proposes the prior value, yet the user asked for the default back.
pub(super) fn planned(
    config: &OnCallRoleState,
    prior: Option<&OnCallRoleState>,
) -> OnCallRoleState {
    let mut planned = config.clone();
    for (_, value) in planned.families_mut() {
        if value.is_null() {
            *value = Value::Value(Vec::new());
        }
    }
    match prior {
        None => {
            planned.id = Value::Unknown;
            planned.slug = Value::Unknown;
            planned.system_role = Value::Unknown;
        }
        Some(prior) => {
            planned.id = use_state_for_unknown(Value::Unknown, prior.id.clone());
            planned.system_role = use_state_for_unknown(Value::Unknown, prior.system_role.clone());
            // Whether a rename regenerates the slug is unverified
            // (docs/vendors/rootly.md, "Attributes"): leave it to the server then.
            planned.slug = if config.name == prior.name {
                prior.slug.clone()
            } else {
                Value::Unknown
            };
        }
    }
    planned
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::plan::string_set;

    #[test]
    fn plan_defaults_families_from_the_config() {
        let config = OnCallRoleState {
            name: Value::Value("ops".into()),
            alerts_permissions: string_set(&["read".into()]),
            ..Default::default()
        };
        let plan = planned(&config, None);
        assert!(plan.id.is_unknown() && plan.slug.is_unknown());
        assert_eq!(plan.webhooks_permissions, Value::Value(vec![]));
        let prior = OnCallRoleState {
            id: Value::Value("u".into()),
            slug: Value::Value("ops".into()),
            system_role: Value::Value("custom".into()),
            ..plan.clone()
        };
        let again = planned(&config, Some(&prior));
        assert_eq!(again.id, prior.id);
        assert_eq!(again.slug, prior.slug);
        let renamed = OnCallRoleState {
            name: Value::Value("ops2".into()),
            ..config
        };
        assert!(planned(&renamed, Some(&prior)).slug.is_unknown());
    }
}
