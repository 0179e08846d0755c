//! `rbac_rootly_user_on_call_role`: the one on-call role a Rootly user
//! holds, written with `PUT /v1/users/{id}` carrying only `on_call_role_id`
//! and read from the `on_call_role` relationship of
//! `GET /v1/users/{id}?include=on_call_role` (vendors/rootly.md, "Users and
//! their on-call role").
//!
//! Destroy leaves the user's on-call role as it is, like the vendor's own
//! `rootly_user_on_call_role`: whether `on_call_role_id: null` clears the
//! role or resets it to a default is unverified, and a user without an
//! on-call role may lose on-call access. `DELETE /v1/users/{id}` removes the
//! user from the organization and is never sent (the client refuses it).

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::api::RootlyClient;
use super::config::ProviderData;
use super::users::RootlyUser;
use crate::framework::diag::vendor_error;
use crate::framework::plan::requires_replace;
use crate::framework::schema::{schema, string};

const IMPORT_FORMATS: &str = "Import takes the user ID \
     (terraform import rbac_rootly_user_on_call_role.x 20001) or the user's email \
     (terraform import rbac_rootly_user_on_call_role.x ada@example.com).";

/// Terraform state of `rbac_rootly_user_on_call_role`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserOnCallRoleState {
    pub id: Value<String>,
    pub user_id: Value<String>,
    pub on_call_role_id: Value<String>,
}

/// The resource.
pub struct UserOnCallRoleResource {
    provider: Arc<ProviderData>,
}

impl UserOnCallRoleResource {
    pub fn new(provider: Arc<ProviderData>) -> Self {
        Self { provider }
    }

    /// The schema; its descriptions are the published documentation.
    pub fn schema() -> Schema {
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
                        "UUID of the on-call role the user holds: `rbac_rootly_on_call_role.x.id` or a \
                         built-in role's ID from the `rbac_rootly_on_call_roles` data source.",
                    ),
                ),
            ],
            vec![],
        )
    }

    fn client(&self, diags: &mut Diagnostics) -> Option<RootlyClient> {
        self.provider.client_or_report(diags)
    }
}

/// Plan-time checks: neither ID may be blank.
pub fn validate_user_on_call_role(diags: &mut Diagnostics, config: &UserOnCallRoleState) {
    for (name, value) in [
        ("user_id", &config.user_id),
        ("on_call_role_id", &config.on_call_role_id),
    ] {
        if matches!(value, Value::Value(v) if v.trim().is_empty()) {
            diags.error(
                format!("Invalid value for {name}"),
                format!("{name} must not be empty."),
                AttributePath::new(name),
            );
        }
    }
}

fn state_from(user: &RootlyUser) -> UserOnCallRoleState {
    UserOnCallRoleState {
        id: Value::Value(user.id.clone()),
        user_id: Value::Value(user.id.clone()),
        on_call_role_id: user.on_call_role_id.clone().into(),
    }
}

fn plan(config: UserOnCallRoleState) -> UserOnCallRoleState {
    UserOnCallRoleState {
        id: match &config.user_id {
            Value::Value(id) => Value::Value(id.clone()),
            _ => Value::Unknown,
        },
        ..config
    }
}

/// Sends the role, then checks the answer (or a read-back, when the answer
/// lacks the relationship or the outcome is unknown) holds it.
async fn write(
    diags: &mut Diagnostics,
    client: &RootlyClient,
    planned: &UserOnCallRoleState,
) -> Option<UserOnCallRoleState> {
    let (Some(user_id), Some(role_id)) = (
        planned.user_id.as_ref_option(),
        planned.on_call_role_id.as_ref_option(),
    ) else {
        diags.root_error_short("user_id and on_call_role_id must be known to assign the role");
        return None;
    };
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
            vendor_error(
                diags,
                format!("assigning on-call role {role_id:?} to Rootly user {user_id:?}: {which}"),
                &err,
            );
            return None;
        }
        Err(err) => {
            vendor_error(
                diags,
                format!("assigning on-call role {role_id:?} to Rootly user {user_id:?}"),
                &err,
            );
            return None;
        }
    };
    let user = match answered.filter(|u| u.on_call_role_id.as_deref() == Some(role_id)) {
        Some(user) => user,
        None => match client.get_user(user_id).await {
            Ok(user) => user,
            Err(err) => {
                vendor_error(diags, format!("reading Rootly user {user_id:?}"), &err);
                return None;
            }
        },
    };
    if user.on_call_role_id.as_deref() != Some(role_id) {
        diags.root_error(
            format!("The on-call role of Rootly user {user_id:?} was not updated"),
            format!(
                "Rootly reports on-call role {:?} after the update. Run terraform apply again.",
                user.on_call_role_id
            ),
        );
    }
    Some(state_from(&user))
}

#[async_trait]
impl Resource for UserOnCallRoleResource {
    type State<'a> = UserOnCallRoleState;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::schema())
    }

    async fn validate<'a>(
        &self,
        diags: &mut Diagnostics,
        config: UserOnCallRoleState,
    ) -> Option<()> {
        validate_user_on_call_role(diags, &config);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: UserOnCallRoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(UserOnCallRoleState, ValueEmpty)> {
        let user_id = state.user_id.as_ref_option()?.clone();
        let Some(client) = self.client(diags) else {
            return Some((state, ValueEmpty::default()));
        };
        match client.get_user(&user_id).await {
            Ok(user) => Some((state_from(&user), ValueEmpty::default())),
            Err(err) if err.is_not_found() => {
                tracing::warn!(%user_id, "Rootly user not found; removing its on-call role from state");
                None
            }
            Err(err) => {
                vendor_error(diags, format!("reading Rootly user {user_id:?}"), &err);
                Some((state, ValueEmpty::default()))
            }
        }
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        _proposed: UserOnCallRoleState,
        config: UserOnCallRoleState,
        _meta: ValueEmpty,
    ) -> Option<(UserOnCallRoleState, ValueEmpty)> {
        self.provider.client_at_plan(diags)?;
        Some((plan(config), ValueEmpty::default()))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: UserOnCallRoleState,
        _proposed: UserOnCallRoleState,
        config: UserOnCallRoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(UserOnCallRoleState, ValueEmpty, Vec<AttributePath>)> {
        self.provider.client_at_plan(diags)?;
        let replace = requires_replace(&[("user_id", prior.user_id != config.user_id)]);
        Some((plan(config), ValueEmpty::default(), replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: UserOnCallRoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<ValueEmpty> {
        Some(ValueEmpty::default())
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: UserOnCallRoleState,
        _config: UserOnCallRoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(UserOnCallRoleState, ValueEmpty)> {
        let client = self.client(diags)?;
        write(diags, &client, &planned)
            .await
            .map(|s| (s, ValueEmpty::default()))
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        _prior: UserOnCallRoleState,
        planned: UserOnCallRoleState,
        _config: UserOnCallRoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(UserOnCallRoleState, ValueEmpty)> {
        let client = self.client(diags)?;
        write(diags, &client, &planned)
            .await
            .map(|s| (s, ValueEmpty::default()))
    }

    /// Stops managing: no request (see the module comment).
    async fn destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        prior: UserOnCallRoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<()> {
        tracing::info!(
            user_id = ?prior.user_id.as_ref_option(),
            "no longer managing this Rootly user's on-call role; it is left unchanged"
        );
        Some(())
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(UserOnCallRoleState, ValueEmpty)> {
        let client = self.client(diags)?;
        let key = id.trim();
        if key.is_empty() {
            diags.root_error("Cannot import an empty Rootly user ID", IMPORT_FORMATS);
            return None;
        }
        let found = if key.contains('@') {
            client.find_user_by_email(key).await
        } else {
            match client.get_user(key).await {
                Ok(user) => Ok(Some(user)),
                Err(err) if err.is_not_found() => Ok(None),
                Err(err) => Err(err),
            }
        };
        match found {
            // A user without an on-call role imports with a null
            // `on_call_role_id`; the next plan assigns the configured one.
            Ok(Some(user)) => Some((state_from(&user), ValueEmpty::default())),
            Ok(None) => {
                diags.root_error(
                    format!("Cannot import Rootly user {id:?}: no such user"),
                    format!("No user of the organization has this ID or email. {IMPORT_FORMATS}"),
                );
                None
            }
            Err(err) => {
                vendor_error(diags, format!("importing Rootly user {id:?}"), &err);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_matches_schema() {
        crate::framework::schema::assert_state_matches_schema::<UserOnCallRoleState>(
            &UserOnCallRoleResource::schema(),
        );
    }

    #[test]
    fn blank_ids_are_refused_at_plan() {
        let mut diags = Diagnostics::default();
        validate_user_on_call_role(
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
}
