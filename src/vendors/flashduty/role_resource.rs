//! `rbac_flashduty_role`: a custom Flashduty role, its description,
//! permission set and status. Plan rules live in [`plan`], the write
//! helpers of create and update in [`write`], the import lookup in
//! [`import`].

mod import;
mod plan;
mod write;

use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{FlashdutyClient, RoleItem, RoleUpsertRequest};
use super::config::FlashdutySettings;
use crate::framework::plan::{known_number_set, number_set};
use crate::framework::resource::{
    Deleted, Failure, NewState, Outcome, Planned, Read, Refreshed, Removed, ResourceType, Warnings,
};
use crate::framework::schema::{schema, set_of, string};
use crate::framework::timeouts::{self, has_timeouts, ResourceTimeouts};
use crate::framework::validate::{string_length, string_one_of, whole_ids};
use crate::framework::ValueNumberSet;
use crate::vendors::flashduty::FlashdutyError;
use crate::vendors::pending::{cannot_settle, is_pending, pending_id, settled, PendingCreate};

/// Private state: for a create left pending, what was there before it
/// (see [`crate::vendors::settle`]); `None` otherwise.
type Private = Option<PendingCreate>;

/// Documented limits (docs/vendors/flashduty.md, "Schemas").
pub const ROLE_NAME_MAX: usize = 39;
pub const DESCRIPTION_MAX: usize = 499;
pub const STATUSES: [&str; 2] = ["enabled", "disabled"];

/// Terraform state of `rbac_flashduty_role`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleState {
    pub id: Value<String>,
    pub role_name: Value<String>,
    pub description: Value<String>,
    pub permission_ids: ValueNumberSet,
    pub status: Value<String>,
    pub timeouts: ResourceTimeouts,
}
has_timeouts!(RoleState);

/// The resource; [`crate::framework::resource::Adapter`] serves it to Terraform.
pub struct RoleResource;

type Result<T> = Outcome<T, RoleState, Private>;

#[async_trait]
impl ResourceType for RoleResource {
    type Vendor = FlashdutySettings;
    type State = RoleState;
    type Private = Private;
    const TYPE_NAME: &'static str = "flashduty_role";
    const KIND: &'static str = "Flashduty role";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        schema(
            "A custom Flashduty role: a named set of permissions that can be granted to members. \
             Built-in roles (Admin, Responder, Viewer) cannot be managed; look them up with the \
             `rbac_flashduty_role` data source.",
            vec![
                (
                    "id",
                    string().computed().description("The role ID assigned by Flashduty (a number, as a string)."),
                ),
                (
                    "role_name",
                    string().required().description(
                        "Display name, 1–39 characters, unique within the account. Renaming updates the role in place.",
                    ),
                ),
                (
                    "description",
                    string().optional_computed().description(
                        "Description, at most 499 characters. Defaults to `\"\"`. Recorded in the account audit log: \
                         do not put secrets here.",
                    ),
                ),
                (
                    "permission_ids",
                    set_of(AttributeType::Number).optional_computed().description(
                        "IDs of the permissions granted by the role (see the `rbac_flashduty_permissions` data \
                         source). This is the role's whole permission set: permissions not listed are revoked. \
                         Defaults to no permissions.",
                    ),
                ),
                (
                    "status",
                    string().optional_computed().description(
                        "`enabled` or `disabled`. Defaults to `enabled`. Disabling a role immediately removes its \
                         permissions from its members.",
                    ),
                ),
            ],
            vec![timeouts::resource_block()],
        )
    }

    /// Plan-time checks, mirroring the vendor's documented limits exactly.
    fn validate(diags: &mut Diagnostics, config: &RoleState) {
        validate_role_name(diags, &config.role_name);
        string_length(
            diags,
            AttributePath::new("description"),
            &config.description,
            0,
            DESCRIPTION_MAX,
            "Flashduty's limit for role descriptions",
        );
        string_one_of(
            diags,
            AttributePath::new("status"),
            &config.status,
            &STATUSES,
        );
        let path = AttributePath::new("permission_ids");
        for id in whole_ids(diags, path.clone(), &config.permission_ids) {
            if id <= 0 {
                diags.error(
                    "Invalid value for permission_ids",
                    "permission_ids must hold positive permission IDs from the `rbac_flashduty_permissions` data source.",
                    path.clone(),
                );
            }
        }
    }

    /// The role ID, or the quoted name before there is one (or while it
    /// is pending).
    fn label(state: &RoleState) -> String {
        crate::framework::resource::id_or_name(&state.id, &state.role_name)
    }

    async fn plan(
        &self,
        client: Option<&FlashdutyClient>,
        config: RoleState,
        prior: Option<&RoleState>,
    ) -> Planned<Self> {
        plan::check_permissions(client, &config.permission_ids).await?;
        Ok((plan::planned(config, prior), vec![]))
    }

    async fn create(&self, client: &FlashdutyClient, planned: RoleState) -> NewState<Self> {
        let Some(body) = upsert_body(&planned, None) else {
            return Err(Failure::message(
                "role_name and permission_ids must be known to create a role",
                "",
            ));
        };
        let before = client
            .before_create(&body.role_name)
            .await
            .map_err(Failure::vendor)?;
        let sent = PendingCreate::now(before.clone());
        let role_id = match client.create_role(&body, &before).await {
            Ok(id) => id,
            // The role may exist: kept pending, settled by the next refresh.
            Err(err @ FlashdutyError::Unsettled { .. }) => {
                let pending = RoleState {
                    id: pending_id(),
                    ..planned
                };
                return Err(Failure::vendor(err).keep_with(pending, Some(sent)));
            }
            Err(err) => return Err(write::create_failure(client, &body.role_name, err).await),
        };
        tracing::info!(role_id, role_name = %body.role_name, "created Flashduty role");
        let state = write::finish_write(client, role_id, &planned, Some("enabled")).await?;
        Ok((state, None))
    }

    async fn read(
        &self,
        client: &FlashdutyClient,
        state: &RoleState,
        _: &Private,
    ) -> Refreshed<Self> {
        let role_id = numeric_id(state).ok_or_else(|| bad_id(state))?;
        match client.read_role(role_id).await.map_err(Failure::vendor)? {
            Some(role) => Ok(Read::Found((state_from(&role), None))),
            None => Ok(Read::Gone),
        }
    }

    fn pending(state: &RoleState) -> bool {
        is_pending(&state.id)
    }

    /// The refresh of a pending role: the lookup of its create settles it.
    /// Found, it is recorded with its ID; missing, or someone else's role of
    /// that name, it leaves the state (the plan then creates it, and a name
    /// taken by another role gets the "already exists" advice).
    async fn settle(
        &self,
        client: &FlashdutyClient,
        state: &RoleState,
        private: &Private,
    ) -> Refreshed<Self> {
        let Some(body) = upsert_body(state, None) else {
            return Ok(Read::Gone);
        };
        let Some(before) = PendingCreate::before(private) else {
            return Err(cannot_settle(Self::KIND, &body.role_name));
        };
        let found = client
            .find_created_role(&body, Some(before))
            .await
            .map_err(Failure::vendor)?;
        Ok(settled(RoleResource::KIND, found, |role| {
            (state_from(&role), None)
        }))
    }

    /// Upserts the content only when it changed, then the status (see
    /// [`write::finish_write`]).
    async fn update(
        &self,
        client: &FlashdutyClient,
        prior: RoleState,
        planned: RoleState,
        _: &Private,
    ) -> NewState<Self> {
        let role_id = numeric_id(&prior).ok_or_else(|| bad_id(&prior))?;
        let Some(body) = upsert_body(&planned, Some(role_id)) else {
            return Err(Failure::message(
                "role_name and permission_ids must be known to update a role",
                "",
            ));
        };
        let content_changed = prior.role_name != planned.role_name
            || prior.description != planned.description
            || known_number_set(&prior.permission_ids) != known_number_set(&planned.permission_ids);
        if content_changed {
            client.update_role(&body).await.map_err(Failure::vendor)?;
        }
        let current = prior.status.as_ref_option().map(String::as_str);
        let state = write::finish_write(client, role_id, &planned, current).await?;
        Ok((state, None))
    }

    async fn delete(
        &self,
        client: &FlashdutyClient,
        prior: &RoleState,
        _: &Private,
    ) -> Removed<Self> {
        let role_id = numeric_id(prior).ok_or_else(|| bad_id(prior))?;
        match client.delete_role(role_id).await {
            Ok(()) => Ok(Deleted::Done),
            Err(err) if err.is_not_found() => Ok(Deleted::AlreadyGone),
            Err(err) => Err(Failure::vendor(err)),
        }
    }

    async fn import(&self, client: &FlashdutyClient, key: &str) -> NewState<Self> {
        self.import_with_warnings(client, key, &mut Warnings::default())
            .await
    }

    /// By ID or exact name; warns when an all-digit key was taken as a
    /// name (see [`import::find`]).
    async fn import_with_warnings(
        &self,
        client: &FlashdutyClient,
        key: &str,
        warnings: &mut Warnings,
    ) -> NewState<Self> {
        let role = import::find(client, key, warnings).await?;
        Ok((state_from(&role), None))
    }
}

/// A `role_name` of 1 to [`ROLE_NAME_MAX`] characters (also checked by
/// the data sources that look roles up by name).
pub fn validate_role_name(diags: &mut Diagnostics, role_name: &Value<String>) {
    string_length(
        diags,
        AttributePath::new("role_name"),
        role_name,
        1,
        ROLE_NAME_MAX,
        "Flashduty's limit for role names",
    );
}
/// The state Terraform records for a role read from Flashduty.
pub fn state_from(role: &RoleItem) -> RoleState {
    let ids: Vec<i64> = role.permission_ids.iter().map(|id| *id as i64).collect();
    RoleState {
        id: Value::Value(role.role_id.to_string()),
        role_name: Value::Value(role.role_name.clone()),
        description: Value::Value(role.description.clone()),
        permission_ids: number_set(&ids),
        status: Value::Value(role.status.clone()),
        timeouts: Default::default(),
    }
}

/// The upsert body for a fully known planned state.
fn upsert_body(planned: &RoleState, role_id: Option<u64>) -> Option<RoleUpsertRequest> {
    Some(RoleUpsertRequest {
        role_id,
        role_name: planned.role_name.as_ref_option()?.clone(),
        description: planned
            .description
            .as_ref_option()
            .cloned()
            .unwrap_or_default(),
        permission_ids: known_number_set(&planned.permission_ids)?
            .into_iter()
            .map(|id| id as u64)
            .collect(),
    })
}

/// The numeric role ID in `state`; see [`bad_id`].
fn numeric_id(state: &RoleState) -> Option<u64> {
    state.id.as_ref_option().and_then(|s| s.parse::<u64>().ok())
}

fn bad_id(state: &RoleState) -> Failure<RoleState, Private> {
    Failure::message(
        "Invalid Flashduty role ID in state",
        format!("expected a numeric role ID, found {:?}", state.id),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_attributes_and_limits() {
        let mut diags = Diagnostics::default();
        RoleResource::validate(
            &mut diags,
            &RoleState {
                role_name: Value::Value("x".repeat(40)),
                description: Value::Value("y".repeat(500)),
                status: Value::Value("on".into()),
                ..Default::default()
            },
        );
        let text = crate::framework::test_vendor::errors(&diags);
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(text[0].contains("role_name") && text[0].contains("39"));
        assert!(text[1].contains("description") && text[1].contains("499"));
        assert!(text[2].contains("status") && text[2].contains("enabled"));
    }

    #[test]
    fn label_is_the_id_or_the_quoted_name() {
        let planned = RoleState {
            id: Value::Unknown,
            role_name: Value::Value("ops".into()),
            ..Default::default()
        };
        assert_eq!(RoleResource::label(&planned), "\"ops\"");
        let created = RoleState {
            id: Value::Value("4001".into()),
            ..planned
        };
        assert_eq!(RoleResource::label(&created), "4001");
    }
}
