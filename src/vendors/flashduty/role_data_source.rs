//! `rbac_flashduty_role` data source: look up a built-in or existing role by
//! ID or by name.

use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{FlashdutyClient, RoleItem};
use super::config::FlashdutySettings;
use super::role_resource::validate_role_name;
use crate::framework::data_source::DataSourceType;
use crate::framework::diag::{closest_first, some_names};
use crate::framework::plan::number_set;
use crate::framework::resource::{Failure, Outcome};
use crate::framework::schema::{bool, number, schema, set_of, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};
use crate::framework::validate::exactly_one_of;
use crate::framework::ValueNumberSet;

/// How many role names the error for a missing role lists.
const NAMES_SHOWN: usize = 10;

/// Terraform state of the `rbac_flashduty_role` data source.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RoleDataState {
    pub id: Value<String>,
    pub role_name: Value<String>,
    pub description: Value<String>,
    pub permission_ids: ValueNumberSet,
    pub status: Value<String>,
    pub editable: Value<bool>,
    pub created_at: Value<i64>,
    pub updated_at: Value<i64>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(RoleDataState, ReadTimeouts);

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct RoleDataSource;

#[async_trait]
impl DataSourceType for RoleDataSource {
    type Vendor = FlashdutySettings;
    type State = RoleDataState;
    const TYPE_NAME: &'static str = "flashduty_role";
    const KIND: &'static str = "Flashduty role";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        schema(
            "Looks up a Flashduty role, built-in (Admin, Responder, Viewer) or custom, by `id` or by \
             exact `role_name`. Set exactly one of them.",
            vec![
                ("id", string().optional_computed().description("Role ID (a number, as a string), e.g. `\"2\"` for the built-in Admin.")),
                ("role_name", string().optional_computed().description("Exact role name (case-sensitive), 1–39 characters.")),
                ("description", string().computed().description("Role description (`\"\"` when empty).")),
                ("permission_ids", set_of(AttributeType::Number).computed().description("IDs of the permissions the role grants.")),
                ("status", string().computed().description("`enabled` or `disabled`.")),
                ("editable", bool().computed().description("`false` for built-in roles, which cannot be modified or deleted.")),
                ("created_at", number().computed().description("Creation time, Unix seconds.")),
                ("updated_at", number().computed().description("Last update time, Unix seconds.")),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    fn validate(diags: &mut Diagnostics, config: &RoleDataState) {
        exactly_one_of(
            diags,
            &["id", "role_name"],
            &[(&config.id).into(), (&config.role_name).into()],
        );
        if let Value::Value(id) = &config.id {
            if id.parse::<u64>().is_err() {
                diags.error(
                    "Invalid value for id",
                    format!("id must be a numeric Flashduty role ID; got {id:?}."),
                    AttributePath::new("id"),
                );
            }
        }
        validate_role_name(diags, &config.role_name);
    }

    /// One `/role/list` call, then the role with this ID or exact name.
    async fn read(
        &self,
        client: &FlashdutyClient,
        config: RoleDataState,
    ) -> Outcome<RoleDataState, ()> {
        let roles = client
            .list_roles()
            .await
            .map_err(|err| Failure::message("Error listing Flashduty roles", err.to_string()))?;
        let (wanted, role) = match (&config.id, &config.role_name) {
            (Value::Value(id), _) => (
                format!("ID {id}"),
                roles.iter().find(|r| r.role_id.to_string() == *id),
            ),
            (_, Value::Value(name)) => (
                format!("name {name:?}"),
                roles.iter().find(|r| r.role_name == *name),
            ),
            _ => {
                return Err(Failure::message(
                    "Set exactly one of `id` and `role_name`.",
                    "",
                ))
            }
        };
        let Some(role) = role else {
            let names = roles.iter().map(|r| r.role_name.as_str());
            let (names, which) = match &config.role_name {
                Value::Value(name) => (closest_first(name, names), "closest"),
                _ => (names.collect(), "first"),
            };
            return Err(Failure::message(
                format!("No Flashduty role with {wanted}"),
                format!(
                    "The account has {} roles; the {which}: {}. List them all with the \
                     `rbac_flashduty_roles` data source.",
                    roles.len(),
                    some_names(&names, NAMES_SHOWN)
                ),
            ));
        };
        Ok(RoleDataState::from_item(role))
    }
}

/// One role with every attribute, as Flashduty returns it (an element of
/// `rbac_flashduty_roles.roles`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RoleDataItem {
    pub id: Value<String>,
    pub role_name: Value<String>,
    pub description: Value<String>,
    pub permission_ids: ValueNumberSet,
    pub status: Value<String>,
    pub editable: Value<bool>,
    pub created_at: Value<i64>,
    pub updated_at: Value<i64>,
}

impl RoleDataItem {
    /// Every attribute of `role`, as Flashduty returns it.
    pub fn from_item(role: &RoleItem) -> Self {
        let ids: Vec<i64> = role.permission_ids.iter().map(|id| *id as i64).collect();
        RoleDataItem {
            id: Value::Value(role.role_id.to_string()),
            role_name: Value::Value(role.role_name.clone()),
            description: Value::Value(role.description.clone()),
            permission_ids: number_set(&ids),
            status: Value::Value(role.status.clone()),
            editable: Value::Value(role.editable),
            created_at: Value::Value(role.created_at),
            updated_at: Value::Value(role.updated_at),
        }
    }
}

impl RoleDataState {
    /// The data source's state for `role` (the `timeouts` block is set by
    /// the caller).
    fn from_item(role: &RoleItem) -> Self {
        let item = RoleDataItem::from_item(role);
        RoleDataState {
            id: item.id,
            role_name: item.role_name,
            description: item.description,
            permission_ids: item.permission_ids,
            status: item.status,
            editable: item.editable,
            created_at: item.created_at,
            updated_at: item.updated_at,
            timeouts: Default::default(),
        }
    }
}
