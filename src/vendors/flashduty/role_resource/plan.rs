//! Plan rules of `rbac_flashduty_role`: defaults from the configuration,
//! and permission IDs checked against the account's catalogue.

use crate::framework::tf::AttributePath;
use crate::framework::tf::Value;

use super::{Result, RoleState};
use crate::framework::plan::{default_if_null, use_state_for_unknown};
use crate::framework::resource::Failure;
use crate::framework::ValueNumberSet;
use crate::vendors::flashduty::FlashdutyClient;

/// The planned state: defaults filled in, the ID kept from `prior`. The
/// defaults look at the configuration, not at Terraform's proposal: for an
/// optional+computed attribute removed from the configuration, Terraform
/// proposes the prior value, yet the user asked for the default back.
pub(super) fn planned(config: RoleState, prior: Option<&RoleState>) -> RoleState {
    RoleState {
        id: match prior {
            Some(prior) => use_state_for_unknown(Value::Unknown, prior.id.clone()),
            None => Value::Unknown,
        },
        role_name: config.role_name,
        description: default_if_null(config.description, String::new()),
        permission_ids: default_if_null(config.permission_ids, Vec::new()),
        status: default_if_null(config.status, "enabled".into()),
        timeouts: config.timeouts,
    }
}

/// Plan-time check that every known permission ID is in the account's
/// catalogue (Flashduty refuses an unknown ID with 400 "permission_id ... does
/// not exist" halfway through an apply). One catalogue listing per run; the
/// check is skipped while the provider configuration is unknown (`client` is
/// `None`) or when the listing fails — the apply then reports the vendor's
/// own error.
pub(super) async fn check_permissions(
    client: Option<&FlashdutyClient>,
    ids: &ValueNumberSet,
) -> Result<()> {
    let (Some(client), Value::Value(items)) = (client, ids) else {
        return Ok(());
    };
    let wanted: Vec<i64> = items
        .iter()
        .filter_map(|v| v.as_ref_option().and_then(|n| n.whole()))
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let catalogue = match client.permission_catalogue().await {
        Ok(catalogue) => catalogue,
        Err(err) => {
            tracing::warn!(error = %err, "cannot list the Flashduty permission catalogue; permission_ids are checked at apply");
            return Ok(());
        }
    };
    let mut unknown: Vec<i64> = wanted
        .into_iter()
        .filter(|id| !catalogue.iter().any(|p| p.id as i64 == *id))
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    if unknown.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = unknown.iter().map(i64::to_string).collect();
    Err(Failure::attribute(
        AttributePath::new("permission_ids"),
        "Invalid value for permission_ids",
        format!(
            "permission_ids holds {} that {} not in this Flashduty account's permission catalogue: {}. \
             Look permissions up by name with the `rbac_flashduty_permissions` data source.",
            if unknown.len() == 1 { "an ID" } else { "IDs" },
            if unknown.len() == 1 { "is" } else { "are" },
            list.join(", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_fills_defaults_and_keeps_the_id() {
        let config = RoleState {
            role_name: Value::Value("ops".into()),
            ..Default::default()
        };
        let plan = planned(config.clone(), None);
        assert!(plan.id.is_unknown());
        assert_eq!(plan.description, Value::Value(String::new()));
        assert_eq!(plan.status, Value::Value("enabled".into()));
        assert_eq!(plan.permission_ids, Value::Value(vec![]));
        let prior = RoleState {
            id: Value::Value("4001".into()),
            ..plan.clone()
        };
        assert_eq!(
            planned(config, Some(&prior)).id,
            Value::Value("4001".into())
        );
    }
}
