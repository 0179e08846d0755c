//! A `moved` block from the vendor's own `rootly_on_call_role`
//! (`rootlyhq/rootly`): the same Rootly object under the same UUID, so the
//! state is mapped attribute by attribute and no request is sent. Its
//! `name`, `slug`, `system_role` and `*_permissions` lists (docs/vendors/rootly.md,
//! "The vendor's Terraform provider") have the same names here; the lists
//! become sets. A family that provider version does not store stays null
//! until the refresh that follows the move reads it from Rootly: its docs
//! list 22 of our 24 families, without `catalogs_permissions` and
//! `functionalities_permissions` (whether a later release stores them is
//! unverified).

use crate::framework::protocol::MovedFrom;

use super::{OnCallRoleState, IMPORT_FORMATS};
use crate::vendors::rootly::source_provider::source;

/// The vendor's type this resource takes over.
pub(super) const SOURCE_TYPE: &str = "rootly_on_call_role";

/// Our state for `from`; `None` unless it is the vendor's
/// `rootly_on_call_role`.
pub(super) fn from_rootly_provider(from: &MovedFrom) -> Option<Result<OnCallRoleState, String>> {
    let source = source(from, SOURCE_TYPE, "rbac_rootly_on_call_role")?;
    Some(source.and_then(|source| {
        let mut state = OnCallRoleState {
            id: crate::framework::tf::Value::Value(source.id("on-call role", IMPORT_FORMATS)?),
            name: source.string("name")?,
            slug: source.string("slug")?,
            system_role: source.string("system_role")?,
            ..Default::default()
        };
        for (family, value) in state.families_mut() {
            *value = source.string_set(family)?;
        }
        Ok(state)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::plan::string_set;
    use crate::framework::tf::Value;
    use serde_json::{json, Value as Json};

    const UUID: &str = "91b7d512-7444-4978-8350-7492b18ec2ad";

    fn from(provider: &str, type_name: &str, state: Json) -> MovedFrom {
        MovedFrom {
            provider: provider.into(),
            type_name: type_name.into(),
            schema_version: 0,
            state,
        }
    }

    /// A state as the vendor's provider (terraform-plugin-sdk v2) stores it.
    fn stored() -> Json {
        json!({
            "id": UUID,
            "name": "Responders",
            "slug": "responders",
            "system_role": "custom",
            "alerts_permissions": ["update", "read", "create"],
            "schedules_permissions": ["read"],
            "webhooks_permissions": [],
        })
    }

    #[test]
    fn the_vendors_state_maps_attribute_by_attribute() {
        let moved = from(
            "registry.terraform.io/rootlyhq/rootly",
            SOURCE_TYPE,
            stored(),
        );
        let state = from_rootly_provider(&moved).unwrap().unwrap();
        assert_eq!(state.id, Value::Value(UUID.into()));
        assert_eq!(state.name, Value::Value("Responders".into()));
        assert_eq!(state.slug, Value::Value("responders".into()));
        assert_eq!(state.system_role, Value::Value("custom".into()));
        let set =
            |items: &[&str]| string_set(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(state.alerts_permissions, set(&["create", "read", "update"]));
        assert_eq!(state.schedules_permissions, set(&["read"]));
        assert_eq!(state.webhooks_permissions, set(&[]));
        // Not stored by that provider version: read by the next refresh.
        assert_eq!(state.catalogs_permissions, Value::Null);
    }

    #[test]
    fn other_types_and_providers_are_not_taken() {
        for (provider, type_name) in [
            (
                "registry.terraform.io/rootlyhq/rootly",
                "rootly_user_on_call_role",
            ),
            ("registry.terraform.io/rootlyhq/rootly", "rootly_role"),
            ("registry.terraform.io/other/rootly", SOURCE_TYPE),
        ] {
            assert!(from_rootly_provider(&from(provider, type_name, stored())).is_none());
        }
    }

    #[test]
    fn a_state_without_id_is_refused_with_the_way_out() {
        let mut state = stored();
        state.as_object_mut().unwrap().remove("id");
        let moved = from("registry.terraform.io/rootlyhq/rootly", SOURCE_TYPE, state);
        let err = from_rootly_provider(&moved).unwrap().unwrap_err();
        assert!(err.contains("rootly_on_call_role has no id"), "{err}");
        assert!(
            err.contains("terraform import rbac_rootly_on_call_role.x"),
            "{err}"
        );
        let mut state = stored();
        state["alerts_permissions"] = json!("read");
        let moved = from("registry.terraform.io/rootlyhq/rootly", SOURCE_TYPE, state);
        let err = from_rootly_provider(&moved).unwrap().unwrap_err();
        assert!(err.contains("alerts_permissions is a string"), "{err}");
    }
}
