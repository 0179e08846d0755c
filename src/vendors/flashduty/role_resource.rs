//! `rbac_flashduty_role`: a custom Flashduty role, its description,
//! permission set and status.

use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{FlashdutyClient, RoleItem, RoleUpsertRequest};
use super::config::FlashdutySettings;
use crate::framework::plan::{
    default_if_null, known_number_set, number_set, use_state_for_unknown,
};
use crate::framework::resource::{
    Deleted, Failure, NewState, Outcome, Planned, Read, Refreshed, Removed, ResourceType, Warnings,
};
use crate::framework::schema::{schema, set_of, string};
use crate::framework::timeouts::{self, has_timeouts, ResourceTimeouts};
use crate::framework::validate::{string_length, string_one_of, whole_ids};
use crate::framework::ValueNumberSet;
use crate::vendors::flashduty::FlashdutyError;
use crate::vendors::lost_create::pending::{
    cannot_settle, is_pending, pending_id, settled, PendingCreate,
};

/// Private state: for a create left pending, what was there before it
/// (see [`crate::vendors::lost_create::settle`]); `None` otherwise.
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
        check_permissions(client, &config.permission_ids).await?;
        Ok((planned(config, prior), vec![]))
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
            Err(err) => return Err(create_failure(client, &body.role_name, err).await),
        };
        tracing::info!(role_id, role_name = %body.role_name, "created Flashduty role");
        let state = finish_write(client, role_id, &planned, Some("enabled")).await?;
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
    /// [`finish_write`]).
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
        let state = finish_write(client, role_id, &planned, current).await?;
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
    /// name (see [`importable_role`]).
    async fn import_with_warnings(
        &self,
        client: &FlashdutyClient,
        key: &str,
        warnings: &mut Warnings,
    ) -> NewState<Self> {
        let role = importable_role(client, key, warnings).await?;
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

/// The planned state: defaults filled in, the ID kept from `prior`. The
/// defaults look at the configuration, not at Terraform's proposal: for an
/// optional+computed attribute removed from the configuration, Terraform
/// proposes the prior value, yet the user asked for the default back.
fn planned(config: RoleState, prior: Option<&RoleState>) -> RoleState {
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
async fn check_permissions(client: Option<&FlashdutyClient>, ids: &ValueNumberSet) -> Result<()> {
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
    let known: std::collections::HashSet<i64> = catalogue.iter().map(|p| p.id as i64).collect();
    let mut unknown: Vec<i64> = wanted
        .into_iter()
        .filter(|id| !known.contains(id))
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    if unknown.is_empty() {
        return Ok(());
    }
    // The first few name the mistake; thousands would bury it.
    const SHOWN: usize = 20;
    let mut list: Vec<String> = unknown.iter().take(SHOWN).map(i64::to_string).collect();
    if unknown.len() > SHOWN {
        list.push(format!("and {} more", unknown.len() - SHOWN));
    }
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

/// Whether the plan asks for an enabled role (the default).
fn wants_enabled(state: &RoleState) -> bool {
    state.status.as_ref_option().map(String::as_str) != Some("disabled")
}

/// Explains a failed create; a duplicate name gets a hint to import.
async fn create_failure(
    client: &FlashdutyClient,
    name: &str,
    err: FlashdutyError,
) -> Failure<RoleState, Private> {
    // A lost create settled as refused (the name was there before it) gets
    // the same advice as a refusal.
    if err.code() == Some("InvalidParameter") || err.taken_before().is_some() {
        if let Ok(Some(existing)) = client.find_role_by_name(name).await {
            // The duplicate-name error code is unverified (docs/vendors/flashduty.md,
            // "Behaviour the provider depends on"),
            // so we confirm by looking the name up. Built-ins are `editable: false`.
            let said = format!("Flashduty said: {err}");
            let detail = if existing.editable {
                crate::vendors::conflict::name_taken(
                    "Flashduty role",
                    name,
                    &existing.role_id.to_string(),
                    &said,
                )
            } else {
                crate::vendors::conflict::name_reserved(
                    "Flashduty role",
                    name,
                    "To give members the built-in role, reference it with the `rbac_flashduty_role` data source.",
                    &said,
                )
            };
            return Failure::attribute(
                AttributePath::new("role_name"),
                format!("A Flashduty role named {name:?} already exists"),
                detail,
            );
        }
    }
    Failure::vendor(err)
}

/// The state after a confirmed write: the plan plus the role ID. Nothing is
/// read back: `/role/upsert` answers only `role_id` and `role_name`, and every
/// other attribute of the state is what was sent (docs/vendors/flashduty.md,
/// "Behaviour the provider depends on"), so a write costs one request. The status changes only
/// through `/role/enable` and `/role/disable`, so that call is made only
/// when the status changes; a new role starts `enabled` (**unverified**, the
/// vendor's presumption: were it wrong, the next refresh shows the drift and
/// the next apply corrects it). The ID is always kept, so a role that exists
/// in Flashduty is never lost from Terraform's state when the status call
/// fails: the state then holds the status the role still has.
async fn finish_write(
    client: &FlashdutyClient,
    role_id: u64,
    planned: &RoleState,
    current_status: Option<&str>,
) -> Result<RoleState> {
    let mut state = RoleState {
        id: Value::Value(role_id.to_string()),
        ..planned.clone()
    };
    let enabled = wants_enabled(planned);
    if current_status == Some(if enabled { "enabled" } else { "disabled" }) {
        return Ok(state);
    }
    match client.set_role_status(role_id, enabled).await {
        Ok(()) => Ok(state),
        Err(err) => {
            state.status = Value::Value(current_status.unwrap_or("enabled").to_string());
            Err(Failure::message(
                format!("Error setting the status of Flashduty role {role_id}"),
                err.to_string(),
            )
            .keep(state))
        }
    }
}

const FORMATS: &str =
    "Import takes a numeric role ID (terraform import rbac_flashduty_role.x 4001) \
     or an exact role name (terraform import rbac_flashduty_role.x \"On-call Manager\").";

/// The custom role `key` names. An all-digit key is tried as an ID first,
/// then as an exact name: a role may be named "12345", or "2" (the built-in
/// Admin's ID); taking the name then adds a warning that says why.
/// Built-in roles are refused: they cannot be modified or deleted.
async fn importable_role(
    client: &FlashdutyClient,
    key: &str,
    warnings: &mut Warnings,
) -> Result<RoleItem> {
    let by_id = match key.parse::<u64>() {
        Ok(role_id) => match client.get_role(role_id).await {
            Ok(role) => Some(role),
            Err(err) if err.is_not_found() => None,
            Err(err) => return Err(Failure::vendor(err)),
        },
        Err(_) => None,
    };
    let by_name = match &by_id {
        Some(role) if role.editable => None,
        _ => client
            .find_role_by_name(key)
            .await
            .map_err(Failure::vendor)?,
    };
    let numeric = key.parse::<u64>().is_ok();
    match (by_id, by_name) {
        (Some(role), _) if role.editable => Ok(role),
        (by_id, Some(named)) if named.editable => {
            if numeric {
                let why = match by_id {
                    None => format!("No role has ID {key}"),
                    Some(b) => format!(
                        "ID {key} is the built-in role {:?}, which cannot be managed",
                        b.role_name
                    ),
                };
                tracing::info!(role_id = named.role_id, name = %key, "imported the role with this exact name");
                warnings.add(
                    format!("Imported the Flashduty role named {key:?}"),
                    format!(
                        "{why}; the role whose name is exactly {key:?} (ID {}) was imported.",
                        named.role_id
                    ),
                );
            }
            Ok(named)
        }
        (Some(role), _) | (None, Some(role)) => Err(Failure::message(
            format!("Cannot import Flashduty role {key:?}: it is a built-in role"),
            format!(
                "{:?} (ID {}) is a built-in Flashduty role: it cannot be modified or deleted, so Terraform \
                 cannot manage it. Reference it with the `rbac_flashduty_role` data source instead.",
                role.role_name, role.role_id
            ),
        )),
        (None, None) => Err(Failure::message(
            format!("Cannot import Flashduty role {key:?}: no such role"),
            format!("No role has this ID or name in the Flashduty account. {FORMATS}"),
        )),
    }
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
