//! Plan rules of `rbac_zenml_role`: defaults, the create-only attributes
//! that force a replacement, and ZenML's refusal to touch system-managed
//! roles.

use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};

use super::{RoleState, DEFAULT_TYPE};
use crate::framework::plan::{default_if_null, requires_replace};

/// Create-only attributes: ZenML's RoleUpdate has only `name` and
/// `description` (docs/vendors/zenml.md, "RoleCreate / RoleUpdate").
fn replace_paths(prior: &RoleState, planned: &RoleState) -> Vec<AttributePath> {
    let differs = |a: &Value<String>, b: &Value<String>| match (a, b) {
        (Value::Value(a), Value::Value(b)) => !a.eq_ignore_ascii_case(b),
        (Value::Unknown, _) | (_, Value::Unknown) => true,
        (a, b) => a != b,
    };
    requires_replace(&[
        (
            "organization_id",
            differs(&prior.organization_id, &planned.organization_id),
        ),
        ("level", prior.level != planned.level),
        ("type", prior.role_type != planned.role_type),
    ])
}

/// The planned state: `type` defaults from the configuration (so removing
/// it restores `normal`), computed values kept from `prior` unless the role
/// is replaced.
pub(super) fn plan(
    config: RoleState,
    prior: Option<&RoleState>,
) -> (RoleState, Vec<AttributePath>) {
    let mut planned = RoleState {
        id: Value::Unknown,
        role_type: default_if_null(config.role_type, DEFAULT_TYPE.into()),
        system_managed: Value::Value(false),
        ..config
    };
    let Some(prior) = prior else {
        return (planned, vec![]);
    };
    let replace = replace_paths(prior, &planned);
    if replace.is_empty() {
        planned.id = prior.id.clone();
    }
    (planned, replace)
}

/// Whether a plan from `prior` changes the role: refused for a built-in
/// (system-managed) one.
pub(super) fn changes(prior: &RoleState, planned: &RoleState, replace: &[AttributePath]) -> bool {
    !replace.is_empty() || planned.name != prior.name || planned.description != prior.description
}

/// ZenML never lets a built-in role be changed or deleted (`what`).
pub(super) fn system_managed(diags: &mut Diagnostics, what: &str, state: &RoleState) {
    diags.root_error(
        format!("Cannot {what} a system-managed ZenML role"),
        format!(
            "Role {} is one of ZenML's built-in (system-managed) roles, which cannot be changed or \
             deleted. Stop managing it with `terraform state rm <address>`, and refer to it through \
             the rbac_zenml_roles data source instead.",
            state.id.as_ref_option().map(String::as_str).unwrap_or("?")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::{config, s};
    use super::*;

    #[test]
    fn plan_defaults_type_and_replaces_on_create_only_attributes() {
        let (planned, _) = plan(config(), None);
        assert!(planned.id.is_unknown());
        assert_eq!(planned.role_type, s("normal"));
        assert_eq!(planned.system_managed, Value::Value(false));
        assert!(planned.description.is_null());
        let prior = RoleState {
            id: s("r1"),
            ..planned.clone()
        };
        let renamed = RoleState {
            name: s("ml2"),
            ..config()
        };
        let (p, replace) = plan(renamed, Some(&prior));
        assert!(replace.is_empty());
        assert_eq!(p.id, s("r1"));
        let moved = RoleState {
            level: s("project"),
            ..config()
        };
        let (p, replace) = plan(moved, Some(&prior));
        assert_eq!(replace, vec![AttributePath::new("level")]);
        assert!(p.id.is_unknown());
        let upper = RoleState {
            organization_id: s("0B5E6A62-6F1D-4C3E-9D7A-2F4C8E1A9B30"),
            ..config()
        };
        assert!(plan(upper, Some(&prior)).1.is_empty());
    }
}
