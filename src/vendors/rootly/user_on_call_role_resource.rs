//! `rbac_rootly_user_on_call_role`: the one on-call role a Rootly user
//! holds, written with `PUT /v1/users/{id}` carrying only `on_call_role_id`
//! and read from the `on_call_role` relationship of
//! `GET /v1/users/{id}?include=on_call_role` (docs/vendors/rootly.md, "Users and
//! the on-call role assignment").
//!
//! Destroy leaves the user's on-call role as it is, like the vendor's own
//! `rootly_user_on_call_role`: whether `on_call_role_id: null` clears the
//! role or resets it to a default is unverified, and a user without an
//! on-call role may lose on-call access. `DELETE /v1/users/{id}` removes the
//! user from the organization and is never sent (the client refuses it).

use crate::framework::tf::Schema;
use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{Value, ValueEmpty};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::RootlyClient;
use super::api::RootlyUser;
use super::config::RootlySettings;
use crate::framework::plan::requires_replace;
use crate::framework::protocol::MovedFrom;
use crate::framework::resource::{
    Deleted, Failure, NewState, Outcome, Planned, Read, Refreshed, Removed, ResourceType, Warnings,
};
use crate::framework::schema::{schema, string};
use crate::framework::timeouts::{self, has_timeouts, ResourceTimeouts};
use crate::framework::uuid::is_lower_uuid;
use crate::vendors::authoritative::warn_revocations;
use crate::vendors::rootly::source_provider::source;

const IMPORT_FORMATS: &str = "Import takes the user ID \
     (terraform import rbac_rootly_user_on_call_role.x 20001) or the user's email \
     (terraform import rbac_rootly_user_on_call_role.x ada@example.com).";

/// Terraform state of `rbac_rootly_user_on_call_role`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserOnCallRoleState {
    pub id: Value<String>,
    pub user_id: Value<String>,
    pub on_call_role_id: Value<String>,
    pub timeouts: ResourceTimeouts,
}
has_timeouts!(UserOnCallRoleState);

/// The resource; [`crate::framework::resource::Adapter`] serves it to Terraform.
pub struct UserOnCallRoleResource;

type Result<T> = Outcome<T, UserOnCallRoleState>;

#[async_trait]
impl ResourceType for UserOnCallRoleResource {
    type Vendor = RootlySettings;
    type State = UserOnCallRoleState;
    type Private = ValueEmpty;
    const TYPE_NAME: &'static str = "rootly_user_on_call_role";
    const KIND: &'static str = "Rootly user on-call role";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        schema(
            "The on-call role one Rootly user holds (a user holds at most one). Only the user's \
             `on_call_role_id` is written; no other user attribute is touched. Destroying the resource \
             stops managing the assignment and leaves the user's on-call role unchanged, as the \
             vendor's own provider does; the user is never removed from the organization.",
            vec![
                ("id", string().computed().description("The user ID.")),
                (
                    "user_id",
                    string().required().description(
                        "ID of the user (see the `rbac_rootly_users` data source). Changing it replaces \
                         the resource.",
                    ),
                ),
                (
                    "on_call_role_id",
                    string().required().description(
                        "UUID of the on-call role the user holds, in lower case as Rootly writes it: \
                         `rbac_rootly_on_call_role.x.id` or a built-in role's ID from the \
                         `rbac_rootly_on_call_roles` data source (a slug does not work here).",
                    ),
                ),
            ],
            vec![timeouts::resource_block()],
        )
    }

    /// Plan-time checks: neither ID may be blank, and the on-call role's is
    /// a UUID as Rootly writes it (docs/vendors/rootly.md, "Transport"): a slug or an
    /// upper-case spelling would never match what Rootly answers.
    fn validate(diags: &mut Diagnostics, config: &UserOnCallRoleState) {
        for (name, value) in [
            ("user_id", &config.user_id),
            ("on_call_role_id", &config.on_call_role_id),
        ] {
            match value {
                Value::Value(v) if v.trim().is_empty() => diags.error(
                    format!("Invalid value for {name}"),
                    format!("{name} must not be empty."),
                    AttributePath::new(name),
                ),
                // Rootly IDs hold no whitespace; " 20002" would reach the API
                // as another, unknown user.
                Value::Value(v) if v.trim() != v => diags.error(
                    format!("Invalid value for {name}"),
                    format!(
                        "{name} must not start or end with whitespace: write {:?}.",
                        v.trim()
                    ),
                    AttributePath::new(name),
                ),
                _ => {}
            }
        }
        if let Value::Value(id) = &config.on_call_role_id {
            if !id.trim().is_empty() && id.trim() == id && !is_lower_uuid(id) {
                diags.error(
                    "Invalid value for on_call_role_id",
                    format!(
                        "on_call_role_id must be an on-call role's lower-case UUID, as Rootly writes \
                         it (e.g. 91b7d512-3c1e-4f0a-9b2d-6e8f7a5c4d3b); got {id:?}. Use \
                         rbac_rootly_on_call_role.<name>.id, or the id of a role from the \
                         rbac_rootly_on_call_roles data source (slugs do not work here)."
                    ),
                    AttributePath::new("on_call_role_id"),
                );
            }
        }
    }

    fn label(state: &UserOnCallRoleState) -> String {
        format!(
            "{:?}",
            state
                .user_id
                .as_ref_option()
                .map(String::as_str)
                .unwrap_or("")
        )
    }

    /// A `moved` block from the vendor's own `rootly_user_on_call_role`:
    /// see [`from_rootly_provider`].
    fn moved_from(from: &MovedFrom) -> Option<std::result::Result<UserOnCallRoleState, String>> {
        from_rootly_provider(from)
    }

    async fn plan(
        &self,
        _: Option<&RootlyClient>,
        config: UserOnCallRoleState,
        prior: Option<&UserOnCallRoleState>,
    ) -> Planned<Self> {
        let replace = prior
            .map(|p| requires_replace(&[("user_id", p.user_id != config.user_id)]))
            .unwrap_or_default();
        let planned = UserOnCallRoleState {
            id: match &config.user_id {
                Value::Value(id) => Value::Value(id.clone()),
                _ => Value::Unknown,
            },
            ..config
        };
        Ok((planned, replace))
    }

    fn holder(state: &UserOnCallRoleState) -> Option<String> {
        let id = state.user_id.as_ref_option()?;
        Some(format!("Rootly user {id:?}"))
    }

    /// A create warns when the user holds another on-call role today: a
    /// user holds one, so the apply replaces it.
    async fn check_plan(
        &self,
        client: &RootlyClient,
        planned: &UserOnCallRoleState,
        prior: Option<&UserOnCallRoleState>,
        _: &[AttributePath],
        warnings: &mut Warnings,
    ) -> Outcome<(), UserOnCallRoleState> {
        let (None, Some(user_id), Some(wanted)) = (
            prior,
            planned.user_id.as_ref_option(),
            planned.on_call_role_id.as_ref_option(),
        ) else {
            return Ok(());
        };
        let before = client.user_before_run(user_id).await;
        let Some(user) = before.map_err(Failure::vendor)? else {
            return Ok(());
        };
        let Some(held) = user.on_call_role_id.filter(|held| held != wanted) else {
            return Ok(());
        };
        let label = match client.read_role(&held).await {
            Ok(Some(role)) => format!("{} ({held})", role.name),
            _ => held,
        };
        let holder = format!("Rootly user {user_id:?} ({})", user.email);
        warn_revocations(
            warnings,
            "rbac_rootly_user_on_call_role",
            &holder,
            "on_call_role_id",
            &[label],
        );
        Ok(())
    }

    async fn create(&self, client: &RootlyClient, planned: UserOnCallRoleState) -> NewState<Self> {
        Ok((write(client, &planned).await?, ValueEmpty::default()))
    }

    async fn read(
        &self,
        client: &RootlyClient,
        state: &UserOnCallRoleState,
        _: &ValueEmpty,
    ) -> Refreshed<Self> {
        let Some(user_id) = state.user_id.as_ref_option() else {
            return Ok(Read::Gone);
        };
        match client.read_user(user_id).await {
            Ok(Some(user)) => Ok(Read::Found((state_from(&user), ValueEmpty::default()))),
            Ok(None) => Ok(Read::Gone),
            Err(err) => Err(Failure::vendor(err)),
        }
    }

    async fn update(
        &self,
        client: &RootlyClient,
        _: UserOnCallRoleState,
        planned: UserOnCallRoleState,
        _: &ValueEmpty,
    ) -> NewState<Self> {
        Ok((write(client, &planned).await?, ValueEmpty::default()))
    }

    /// Stops managing: no request (see the module comment).
    async fn delete(
        &self,
        _: &RootlyClient,
        prior: &UserOnCallRoleState,
        _: &ValueEmpty,
    ) -> Removed<Self> {
        tracing::info!(
            user_id = ?prior.user_id.as_ref_option(),
            "no longer managing this Rootly user's on-call role; it is left unchanged"
        );
        Ok(Deleted::Done)
    }

    async fn import(&self, client: &RootlyClient, key: &str) -> NewState<Self> {
        let found = if key.contains('@') {
            client.find_user_by_email(key).await
        } else {
            match client.get_user(key).await {
                Ok(user) => Ok(Some(user)),
                Err(err) if err.is_not_found() => Ok(None),
                Err(err) => Err(err),
            }
        };
        match found.map_err(Failure::vendor)? {
            Some(user) if user.on_call_role_id.is_none() => Err(no_role_to_import(key, &user)),
            Some(user) => Ok((state_from(&user), ValueEmpty::default())),
            None => Err(Failure::message(
                format!("Cannot import Rootly user {key:?}: no such user"),
                format!("No user of the organization has this ID or email. {IMPORT_FORMATS}"),
            )),
        }
    }
}

/// The refusal to import a user who holds no on-call role: there is no
/// assignment to adopt, and its state would hold a null `on_call_role_id`,
/// which `-generate-config-out` would write as `on_call_role_id = null`
/// (refused: the attribute is required).
fn no_role_to_import(key: &str, user: &RootlyUser) -> Failure<UserOnCallRoleState, ValueEmpty> {
    Failure::message(
        format!(
            "Cannot import Rootly user on-call role {key:?}: user {:?} holds no on-call role",
            user.id
        ),
        format!(
            "There is no assignment to import. Remove the import block (or skip terraform import)              and declare the resource with the role the user should hold:              rbac_rootly_user_on_call_role with user_id = {:?} and on_call_role_id set to an              on-call role's ID. The apply assigns it. To import users in bulk, filter out the              ones without a role (on_call_role_id != null in the rbac_rootly_users data source).",
            user.id
        ),
    )
}

fn state_from(user: &RootlyUser) -> UserOnCallRoleState {
    UserOnCallRoleState {
        id: Value::Value(user.id.clone()),
        user_id: Value::Value(user.id.clone()),
        on_call_role_id: user.on_call_role_id.clone().into(),
        timeouts: Default::default(),
    }
}

/// Sends the role, then checks the answer (or a read-back, when the answer
/// lacks the relationship or the outcome is unknown) holds it.
async fn write(
    client: &RootlyClient,
    planned: &UserOnCallRoleState,
) -> Result<UserOnCallRoleState> {
    let (Some(user_id), Some(role_id)) = (
        planned.user_id.as_ref_option(),
        planned.on_call_role_id.as_ref_option(),
    ) else {
        return Err(Failure::message(
            "user_id and on_call_role_id must be known to assign the role",
            "",
        ));
    };
    let doing = format!("Error assigning on-call role {role_id:?} to Rootly user {user_id:?}");
    let answered = match client.set_user_on_call_role(user_id, role_id).await {
        Ok(user) => Some(user),
        Err(err) if err.is_ambiguous() => {
            tracing::warn!(%user_id, error = %err, "outcome unknown; reading the user back");
            None
        }
        Err(err) if err.is_not_found() => {
            // The spec answers 404 for an unknown user and for an on-call role
            // of another team: say which one it is.
            let which = match client.get_user(user_id).await {
                Err(e) if e.is_not_found() => format!("Rootly user {user_id:?} does not exist"),
                _ => {
                    format!("Rootly has no on-call role {role_id:?} that this user's team can hold")
                }
            };
            return Err(Failure::message(
                format!("{doing}: {which}"),
                err.to_string(),
            ));
        }
        Err(err) => return Err(Failure::message(doing, err.to_string())),
    };
    let user = match answered.filter(|u| u.on_call_role_id.as_deref() == Some(role_id)) {
        Some(user) => user,
        None => client.get_user(user_id).await.map_err(|err| {
            Failure::message(
                format!("Error reading Rootly user {user_id:?}"),
                err.to_string(),
            )
        })?,
    };
    if user.on_call_role_id.as_deref() != Some(role_id) {
        return Err(Failure::message(
            format!("The on-call role of Rootly user {user_id:?} was not updated"),
            format!(
                "Rootly reports on-call role {:?} after the update. Run terraform apply again.",
                user.on_call_role_id
            ),
        )
        .keep(state_from(&user)));
    }
    Ok(state_from(&user))
}

/// The vendor's type this resource takes over.
const SOURCE_TYPE: &str = "rootly_user_on_call_role";

/// Our state for a `moved` block from the vendor's own
/// `rootly_user_on_call_role` (`rootlyhq/rootly`; read by [`source`]);
/// `None` for any other type. It is the same assignment, so the state is
/// mapped and no request is sent. That resource's ID is the user ID, as ours
/// is, and its `user_id` and `on_call_role_id` have the same names here
/// (docs/vendors/rootly.md, "The vendor's Terraform provider").
fn from_rootly_provider(
    from: &MovedFrom,
) -> Option<std::result::Result<UserOnCallRoleState, String>> {
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
    use crate::vendors::rootly::source_provider::moved;
    use serde_json::{json, Value as Json};

    #[test]
    fn blank_ids_are_refused_at_plan() {
        let mut diags = Diagnostics::default();
        UserOnCallRoleResource::validate(
            &mut diags,
            &UserOnCallRoleState {
                user_id: Value::Value(" ".into()),
                on_call_role_id: Value::Unknown,
                ..Default::default()
            },
        );
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0].summary.contains("user_id"));
    }

    const ROLE: &str = "91b7d512-7444-4978-8350-7492b18ec2ad";

    /// A `moved` block from the vendor's `type_name`.
    fn from(type_name: &str, state: Json) -> MovedFrom {
        moved("registry.terraform.io/rootlyhq/rootly", type_name, state)
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
