//! `rbac_flashduty_role`: a custom Flashduty role, its description,
//! permission set and status.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::api::{FlashdutyClient, RoleItem, RoleUpsertRequest};
use super::config::ProviderData;
use super::FlashdutyError;
use crate::framework::diag::vendor_error;
use crate::framework::plan::{
    default_if_null, known_number_set, number_set, use_state_for_unknown,
};
use crate::framework::schema::{schema, set_of, string};
use crate::framework::timeouts::{self, has_timeouts, Op, ResourceTimeouts};
use crate::framework::validate::{string_length, string_one_of};
use crate::framework::ValueNumberSet;

/// Documented limits (vendors/flashduty.md "RoleUpsertRequest").
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

/// The resource; it talks to Flashduty only through [`FlashdutyClient`].
pub struct RoleResource {
    provider: Arc<ProviderData>,
}

impl RoleResource {
    pub fn new(provider: Arc<ProviderData>) -> Self {
        Self { provider }
    }

    /// The schema; its descriptions are the published documentation.
    pub fn schema() -> Schema {
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

    fn client(&self, diags: &mut Diagnostics) -> Option<FlashdutyClient> {
        self.provider.client_or_report(diags)
    }
}

/// Plan-time checks, mirroring the vendor's documented limits exactly.
pub fn validate_role(diags: &mut Diagnostics, config: &RoleState) {
    config.timeouts.validate(diags);
    string_length(
        diags,
        AttributePath::new("role_name"),
        &config.role_name,
        1,
        ROLE_NAME_MAX,
        "Flashduty's limit for role names",
    );
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
    if let Value::Value(ids) = &config.permission_ids {
        for id in ids {
            if matches!(id, Value::Value(n) if *n <= 0) {
                diags.error(
                    "Invalid value for permission_ids",
                    "permission_ids must hold positive permission IDs from the `rbac_flashduty_permissions` data source.",
                    AttributePath::new("permission_ids"),
                );
            }
        }
    }
}

/// The planned state: defaults filled in, the ID kept from `prior`. The
/// defaults look at the configuration, not at Terraform's proposal: for an
/// optional+computed attribute removed from the configuration, Terraform
/// proposes the prior value, yet the user asked for the default back.
fn plan(config: RoleState, prior: Option<&RoleState>) -> RoleState {
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
async fn check_permissions(
    diags: &mut Diagnostics,
    client: Option<&FlashdutyClient>,
    ids: &ValueNumberSet,
) -> Option<()> {
    let (Some(client), Value::Value(items)) = (client, ids) else {
        return Some(());
    };
    let wanted: Vec<i64> = items
        .iter()
        .filter_map(|v| v.as_ref_option().copied())
        .collect();
    if wanted.is_empty() {
        return Some(());
    }
    let catalogue = match client.permission_catalogue().await {
        Ok(catalogue) => catalogue,
        Err(err) => {
            tracing::warn!(error = %err, "cannot list the Flashduty permission catalogue; permission_ids are checked at apply");
            return Some(());
        }
    };
    let mut unknown: Vec<i64> = wanted
        .into_iter()
        .filter(|id| !catalogue.iter().any(|p| p.id as i64 == *id))
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    if unknown.is_empty() {
        return Some(());
    }
    let list: Vec<String> = unknown.iter().map(i64::to_string).collect();
    diags.error(
        "Invalid value for permission_ids",
        format!(
            "permission_ids holds {} that {} not in this Flashduty account's permission catalogue: {}. \
             Look permissions up by name with the `rbac_flashduty_permissions` data source.",
            if unknown.len() == 1 { "an ID" } else { "IDs" },
            if unknown.len() == 1 { "is" } else { "are" },
            list.join(", ")
        ),
        AttributePath::new("permission_ids"),
    );
    None
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

fn parse_id(diags: &mut Diagnostics, id: &Value<String>) -> Option<u64> {
    let parsed = id.as_ref_option().and_then(|s| s.parse::<u64>().ok());
    if parsed.is_none() {
        diags.root_error(
            "Invalid Flashduty role ID in state",
            format!("expected a numeric role ID, found {id:?}"),
        );
    }
    parsed
}

fn wants_enabled(state: &RoleState) -> bool {
    state.status.as_ref_option().map(String::as_str) != Some("disabled")
}

/// Explains a failed create; a duplicate name gets a hint to import.
async fn report_create_error(
    diags: &mut Diagnostics,
    client: &FlashdutyClient,
    name: &str,
    err: FlashdutyError,
) {
    if err.code() == Some("InvalidParameter") {
        if let Ok(Some(existing)) = client.find_role_by_name(name).await {
            // vendors/flashduty.md: the duplicate-name error code is unverified,
            // so we confirm by looking the name up. Built-ins are `editable: false`.
            let said = format!("Flashduty said: {err}");
            let detail = if existing.editable {
                crate::vendors::conflict::name_taken(
                    "Flashduty role",
                    name,
                    &format!("terraform import <resource address> {}", existing.role_id),
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
            diags.error(
                format!("A Flashduty role named {name:?} already exists"),
                detail,
                AttributePath::new("role_name"),
            );
            return;
        }
    }
    vendor_error(diags, format!("creating Flashduty role {name:?}"), &err);
}

/// The state after a confirmed write: the plan plus the role ID. Nothing is
/// read back: `/role/upsert` answers only `role_id` and `role_name`, and every
/// other attribute of the state is what was sent (vendors/flashduty.md,
/// "Semantics"), so a write costs one request. The status changes only
/// through `/role/enable` and `/role/disable`, so that call is made only
/// when the status changes; a new role starts `enabled` (**unverified**, the
/// vendor's presumption: were it wrong, the next refresh shows the drift and
/// the next apply corrects it). The ID is always kept, so a role that exists
/// in Flashduty is never lost from Terraform's state when the status call
/// fails: the state then holds the status the role still has.
async fn finish_write(
    diags: &mut Diagnostics,
    client: &FlashdutyClient,
    role_id: u64,
    planned: &RoleState,
    current_status: Option<&str>,
) -> RoleState {
    let mut state = RoleState {
        id: Value::Value(role_id.to_string()),
        ..planned.clone()
    };
    let enabled = wants_enabled(planned);
    if current_status != Some(if enabled { "enabled" } else { "disabled" }) {
        if let Err(err) = client.set_role_status(role_id, enabled).await {
            vendor_error(
                diags,
                format!("setting the status of Flashduty role {role_id}"),
                &err,
            );
            state.status = Value::Value(current_status.unwrap_or("enabled").to_string());
        }
    }
    state
}

#[async_trait]
impl Resource for RoleResource {
    type State<'a> = RoleState;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: RoleState) -> Option<()> {
        validate_role(diags, &config);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: RoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(RoleState, ValueEmpty)> {
        state
            .timeouts
            .clone()
            .run_with_state(Op::Read, diags, async |diags| {
                let role_id = parse_id(diags, &state.id)?;
                let client = match self.client(diags) {
                    Some(client) => client,
                    None => return Some((state, ValueEmpty::default())),
                };
                match client.read_role(role_id).await {
                    Ok(Some(role)) => Some((state_from(&role), ValueEmpty::default())),
                    Ok(None) => {
                        tracing::warn!(role_id, "Flashduty role not found; removing it from state");
                        None
                    }
                    Err(err) => {
                        vendor_error(diags, format!("reading Flashduty role {role_id}"), &err);
                        Some((state, ValueEmpty::default()))
                    }
                }
            })
            .await
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        _proposed: RoleState,
        config: RoleState,
        _meta: ValueEmpty,
    ) -> Option<(RoleState, ValueEmpty)> {
        // Fail at plan, not halfway through an apply, when credentials are missing.
        let client = self.provider.client_at_plan(diags)?;
        // A plan-time listing is a read: bounded by timeouts.read.
        let check = check_permissions(diags, client.as_ref(), &config.permission_ids);
        config.timeouts.deadline(Op::Read).scope(check).await?;
        Some((plan(config, None), ValueEmpty::default()))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: RoleState,
        _proposed: RoleState,
        config: RoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(RoleState, ValueEmpty, Vec<AttributePath>)> {
        let client = self.provider.client_at_plan(diags)?;
        // A plan-time listing is a read: bounded by timeouts.read.
        let check = check_permissions(diags, client.as_ref(), &config.permission_ids);
        config.timeouts.deadline(Op::Read).scope(check).await?;
        Some((plan(config, Some(&prior)), ValueEmpty::default(), vec![]))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: RoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<ValueEmpty> {
        Some(ValueEmpty::default())
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: RoleState,
        _config: RoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(RoleState, ValueEmpty)> {
        planned
            .timeouts
            .clone()
            .run_with_state(Op::Create, diags, async |diags| {
                let client = self.client(diags)?;
                let Some(body) = upsert_body(&planned, None) else {
                    diags.root_error_short(
                        "role_name and permission_ids must be known to create a role",
                    );
                    return None;
                };
                let role_id = match client.create_role(&body).await {
                    Ok(id) => id,
                    Err(err) => {
                        report_create_error(diags, &client, &body.role_name, err).await;
                        return None;
                    }
                };
                tracing::info!(role_id, role_name = %body.role_name, "created Flashduty role");
                let state = finish_write(diags, &client, role_id, &planned, Some("enabled")).await;
                Some((state, ValueEmpty::default()))
            })
            .await
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: RoleState,
        planned: RoleState,
        _config: RoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(RoleState, ValueEmpty)> {
        planned
            .timeouts
            .clone()
            .run_with_state(Op::Update, diags, async |diags| {
                let client = self.client(diags)?;
                let role_id = parse_id(diags, &prior.id)?;
                let Some(body) = upsert_body(&planned, Some(role_id)) else {
                    diags.root_error_short(
                        "role_name and permission_ids must be known to update a role",
                    );
                    return None;
                };
                let content_changed = prior.role_name != planned.role_name
                    || prior.description != planned.description
                    || known_number_set(&prior.permission_ids)
                        != known_number_set(&planned.permission_ids);
                if content_changed {
                    if let Err(err) = client.update_role(&body).await {
                        vendor_error(diags, format!("updating Flashduty role {role_id}"), &err);
                        return None;
                    }
                }
                let state = finish_write(
                    diags,
                    &client,
                    role_id,
                    &planned,
                    prior.status.as_ref_option().map(String::as_str),
                )
                .await;
                Some((state, ValueEmpty::default()))
            })
            .await
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: RoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<()> {
        prior
            .timeouts
            .clone()
            .run(Op::Delete, diags, async |diags| {
                let client = self.client(diags)?;
                let role_id = parse_id(diags, &prior.id)?;
                match client.delete_role(role_id).await {
                    Ok(()) => Some(()),
                    Err(err) if err.is_not_found() => {
                        tracing::info!(role_id, "Flashduty role already deleted");
                        Some(())
                    }
                    Err(err) => {
                        vendor_error(diags, format!("deleting Flashduty role {role_id}"), &err);
                        None
                    }
                }
            })
            .await
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(RoleState, ValueEmpty)> {
        let client = self.client(diags)?;
        let formats = "Import takes a numeric role ID (terraform import rbac_flashduty_role.x 4001) \
                       or an exact role name (terraform import rbac_flashduty_role.x \"On-call Manager\").";
        // An all-digit key is tried as an ID first, then as an exact name:
        // a role may be named "12345", or "2" (the built-in Admin's ID).
        let key = id.trim();
        let report = |diags: &mut Diagnostics, err: &FlashdutyError| {
            vendor_error(diags, format!("importing Flashduty role {key:?}"), err)
        };
        let by_id = match key.parse::<u64>() {
            Ok(role_id) => match client.get_role(role_id).await {
                Ok(role) => Some(role),
                Err(err) if err.is_not_found() => None,
                Err(err) => {
                    report(diags, &err);
                    return None;
                }
            },
            Err(_) => None,
        };
        let by_name = match &by_id {
            Some(role) if role.editable => None,
            _ => match client.find_role_by_name(key).await {
                Ok(found) => found,
                Err(err) => {
                    report(diags, &err);
                    return None;
                }
            },
        };
        let numeric = key.parse::<u64>().is_ok();
        let role = match (by_id, by_name) {
            (Some(role), _) if role.editable => role,
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
                    diags.root_warning(
                        format!("Imported the Flashduty role named {key:?}"),
                        format!(
                            "{why}; the role whose name is exactly {key:?} (ID {}) was imported.",
                            named.role_id
                        ),
                    );
                }
                named
            }
            (Some(role), _) | (None, Some(role)) => {
                diags.root_error(
                    format!("Cannot import Flashduty role {key:?}: it is a built-in role"),
                    format!(
                        "{:?} (ID {}) is a built-in Flashduty role: it cannot be modified or deleted, so Terraform \
                         cannot manage it. Reference it with the `rbac_flashduty_role` data source instead.",
                        role.role_name, role.role_id
                    ),
                );
                return None;
            }
            (None, None) => {
                diags.root_error(
                    format!("Cannot import Flashduty role {key:?}: no such role"),
                    format!("No role has this ID or name in the Flashduty account. {formats}"),
                );
                return None;
            }
        };
        Some((state_from(&role), ValueEmpty::default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::assert_state_matches_schema;

    #[test]
    fn state_matches_schema() {
        assert_state_matches_schema::<RoleState>(&RoleResource::schema());
    }

    #[test]
    fn plan_fills_defaults_and_keeps_the_id() {
        let config = RoleState {
            role_name: Value::Value("ops".into()),
            ..Default::default()
        };
        let planned = plan(config.clone(), None);
        assert!(planned.id.is_unknown());
        assert_eq!(planned.description, Value::Value(String::new()));
        assert_eq!(planned.status, Value::Value("enabled".into()));
        assert_eq!(planned.permission_ids, Value::Value(vec![]));
        let prior = RoleState {
            id: Value::Value("4001".into()),
            ..planned.clone()
        };
        assert_eq!(plan(config, Some(&prior)).id, Value::Value("4001".into()));
    }

    #[test]
    fn validation_names_attributes_and_limits() {
        let mut diags = Diagnostics::default();
        validate_role(
            &mut diags,
            &RoleState {
                role_name: Value::Value("x".repeat(40)),
                description: Value::Value("y".repeat(500)),
                status: Value::Value("on".into()),
                ..Default::default()
            },
        );
        let text: Vec<String> = diags
            .errors
            .iter()
            .map(|d| format!("{} {}", d.summary, d.detail))
            .collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(text[0].contains("role_name") && text[0].contains("39"));
        assert!(text[1].contains("description") && text[1].contains("499"));
        assert!(text[2].contains("status") && text[2].contains("enabled"));
    }
}
