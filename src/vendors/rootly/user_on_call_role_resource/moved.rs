//! A `moved` block from the vendor's own `rootly_user_on_call_role`
//! (`rootlyhq/rootly`): the same assignment, so the state is mapped and no
//! request is sent. That resource's ID is the user ID, as ours is, and its
//! `user_id` and `on_call_role_id` have the same names here
//! (docs/vendors/rootly.md, "The vendor's Terraform provider").

use crate::framework::protocol::MovedFrom;
use crate::framework::tf::Value;

use super::{UserOnCallRoleState, IMPORT_FORMATS};
use crate::vendors::rootly::source_provider::source;

/// The vendor's type this resource takes over.
pub(super) const SOURCE_TYPE: &str = "rootly_user_on_call_role";

/// Our state for `from`; `None` unless it is the vendor's
/// `rootly_user_on_call_role`.
pub(super) fn from_rootly_provider(
    from: &MovedFrom,
) -> Option<Result<UserOnCallRoleState, String>> {
    let source = source(from, SOURCE_TYPE, "rbac_rootly_user_on_call_role")?;
    Some(source.and_then(|source| {
        // The vendor's provider reads the user by its ID and sets `user_id`
        // from the answer, so the two agree; the ID is what it managed.
        let user = source.id("user", IMPORT_FORMATS)?;
        if let Value::Value(other) = source.string("user_id")? {
            if other != user {
                return Err(format!(
                    "The stored state of this {SOURCE_TYPE} has id {user:?} but user_id {other:?}: \
                     it does not say which user it manages. Remove the moved block and import \
                     the assignment instead: {IMPORT_FORMATS}"
                ));
            }
        }
        Ok(UserOnCallRoleState {
            id: Value::Value(user.clone()),
            user_id: Value::Value(user),
            on_call_role_id: source.string("on_call_role_id")?,
            timeouts: Default::default(),
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value as Json};

    const ROLE: &str = "91b7d512-7444-4978-8350-7492b18ec2ad";

    fn from(type_name: &str, state: Json) -> MovedFrom {
        MovedFrom {
            provider: "registry.terraform.io/rootlyhq/rootly".into(),
            type_name: type_name.into(),
            schema_version: 0,
            state,
        }
    }

    #[test]
    fn the_vendors_state_maps_to_ours() {
        let moved = from(
            SOURCE_TYPE,
            json!({"id": "20001", "user_id": "20001", "on_call_role_id": ROLE}),
        );
        let state = from_rootly_provider(&moved).unwrap().unwrap();
        assert_eq!(state.id, Value::Value("20001".into()));
        assert_eq!(state.user_id, Value::Value("20001".into()));
        assert_eq!(state.on_call_role_id, Value::Value(ROLE.into()));
        // Only the ID is needed: the refresh after the move reads the rest.
        let bare = from_rootly_provider(&from(SOURCE_TYPE, json!({"id": "20002"})))
            .unwrap()
            .unwrap();
        assert_eq!(bare.user_id, Value::Value("20002".into()));
        assert_eq!(bare.on_call_role_id, Value::Null);
    }

    #[test]
    fn a_missing_id_or_another_type_is_refused() {
        let err = from_rootly_provider(&from(SOURCE_TYPE, json!({"user_id": "20001"})))
            .unwrap()
            .unwrap_err();
        assert!(err.contains("rootly_user_on_call_role has no id"), "{err}");
        assert!(
            err.contains("terraform import rbac_rootly_user_on_call_role.x"),
            "{err}"
        );
        let err = from_rootly_provider(&from(
            SOURCE_TYPE,
            json!({"id": "20001", "user_id": "20002"}),
        ))
        .unwrap()
        .unwrap_err();
        assert!(err.contains("user_id \"20002\""), "{err}");
        assert!(from_rootly_provider(&from("rootly_on_call_role", json!({"id": "x"}))).is_none());
    }
}
