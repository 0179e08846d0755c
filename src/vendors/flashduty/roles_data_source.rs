//! `rbac_flashduty_roles` data source: every role of the account, built-in
//! and custom, with all their attributes (one `/role/list` call: it returns
//! every role in full, without pagination; docs/vendors/flashduty.md,
//! "Role endpoints").

use crate::framework::tf::Diagnostics;
use crate::framework::tf::Value;
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::FlashdutyClient;
use super::config::FlashdutySettings;
use super::role_data_source::RoleDataItem;
use super::role_resource::validate_role_name;
use crate::framework::data_source::DataSourceType;
use crate::framework::resource::{Failure, Outcome};
use crate::framework::schema::{bool, list_of, object, schema, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};

/// Terraform state of the `rbac_flashduty_roles` data source.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RolesState {
    pub role_name: Value<String>,
    pub built_in: Value<bool>,
    pub roles: Value<Vec<Value<RoleDataItem>>>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(RolesState, ReadTimeouts);

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct RolesDataSource;

#[async_trait]
impl DataSourceType for RolesDataSource {
    type Vendor = FlashdutySettings;
    type State = RolesState;
    const TYPE_NAME: &'static str = "flashduty_roles";
    const KIND: &'static str = "Flashduty roles";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        let role = object(&[
            ("id", AttributeType::String),
            ("role_name", AttributeType::String),
            ("description", AttributeType::String),
            (
                "permission_ids",
                AttributeType::Set(Box::new(AttributeType::Number)),
            ),
            ("status", AttributeType::String),
            ("editable", AttributeType::Bool),
            ("created_at", AttributeType::Number),
            ("updated_at", AttributeType::Number),
        ]);
        schema(
            "Every Flashduty role of the account, built-in (Admin, Responder, Viewer) and custom, with all \
             its attributes. The attribute names are those of `rbac_flashduty_role`, so that `for_each` and \
             `import` blocks can adopt existing custom roles (filter with `built_in = false`). Filters \
             combine (AND).",
            vec![
                ("role_name", string().optional().description("Only the role with exactly this name (case-sensitive).")),
                ("built_in", bool().optional().description(
                    "`true`: only built-in roles (`editable = false`); `false`: only custom roles. Unset: both.",
                )),
                ("roles", list_of(role).computed().description(
                    "The matching roles, in ascending ID order: `id` (a string, as on `rbac_flashduty_role`), \
                     `role_name`, `description`, `permission_ids`, `status`, `editable` (`false` for built-ins) \
                     and `created_at` / `updated_at` (Unix seconds).",
                )),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    fn validate(diags: &mut Diagnostics, config: &RolesState) {
        validate_role_name(diags, &config.role_name);
    }

    async fn read(&self, client: &FlashdutyClient, config: RolesState) -> Outcome<RolesState, ()> {
        let mut roles = client.list_roles().await.map_err(Failure::vendor)?;
        roles.sort_by_key(|r| r.role_id);
        let name = config.role_name.as_ref_option();
        let built_in = config.built_in.as_option();
        let roles = roles
            .iter()
            .filter(|r| name.is_none_or(|n| r.role_name == *n))
            .filter(|r| built_in.is_none_or(|b| r.editable != b))
            .map(|r| Value::Value(RoleDataItem::from_item(r)))
            .collect();
        Ok(RolesState {
            roles: Value::Value(roles),
            ..config
        })
    }
}
