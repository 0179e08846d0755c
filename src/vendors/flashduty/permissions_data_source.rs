//! `rbac_flashduty_permissions` data source: the permission catalogue,
//! filtered, so that configurations name permissions instead of using magic
//! numbers.

use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{FlashdutyClient, PermissionItem};
use super::config::FlashdutySettings;
use crate::framework::data_source::DataSourceType;
use crate::framework::plan::number_set;
use crate::framework::resource::{Failure, Outcome};
use crate::framework::schema::{list_of, object, schema, set_of, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};
use crate::framework::validate::string_one_of;
use crate::framework::ValueNumberSet;

/// Terraform state of the `rbac_flashduty_permissions` data source.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PermissionsState {
    pub permission_names: Value<Vec<Value<String>>>,
    pub class: Value<String>,
    pub scope: Value<String>,
    pub permission_type: Value<String>,
    pub status: Value<String>,
    pub ids: ValueNumberSet,
    pub permissions: Value<Vec<Value<Permission>>>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(PermissionsState, ReadTimeouts);

/// One catalogue entry, as exposed in `permissions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Permission {
    pub id: Value<i64>,
    pub permission_name: Value<String>,
    pub permission_type: Value<String>,
    pub description: Value<String>,
    pub class: Value<String>,
    pub scope: Value<String>,
    pub status: Value<String>,
}

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct PermissionsDataSource;

fn matches(filter: &Value<String>, value: &str) -> bool {
    filter.as_ref_option().is_none_or(|f| f == value)
}

#[async_trait]
impl DataSourceType for PermissionsDataSource {
    type Vendor = FlashdutySettings;
    type State = PermissionsState;
    const TYPE_NAME: &'static str = "flashduty_permissions";
    const KIND: &'static str = "Flashduty permissions";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        let permission = object(&[
            ("id", AttributeType::Number),
            ("permission_name", AttributeType::String),
            ("permission_type", AttributeType::String),
            ("description", AttributeType::String),
            ("class", AttributeType::String),
            ("scope", AttributeType::String),
            ("status", AttributeType::String),
        ]);
        schema(
            "The Flashduty permission catalogue, optionally filtered. All filters combine (AND). \
             Use `ids` as a role's `permission_ids`.",
            vec![
                ("permission_names", set_of(AttributeType::String).optional().description(
                    "Only these permissions, by exact name (e.g. `\"Templates Read\"`). Every name must exist: \
                     a misspelt name is an error rather than a silently missing permission.",
                )),
                ("class", string().optional().description("Only permissions of this class, e.g. `On-call`.")),
                ("scope", string().optional().description("Only permissions of this scope, e.g. `on-call`.")),
                ("permission_type", string().optional().description("Only `read` or only `manage` permissions.")),
                ("status", string().optional().description("Only `enabled` or only `disabled` permissions.")),
                ("ids", set_of(AttributeType::Number).computed().description("IDs of the matching permissions.")),
                ("permissions", list_of(permission).computed().description(
                    "The matching permissions, ordered by ID: `id`, `permission_name`, `permission_type` \
                     (`read`/`manage`), `description`, `class`, `scope` and `status`.",
                )),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    fn validate(diags: &mut Diagnostics, config: &PermissionsState) {
        string_one_of(
            diags,
            AttributePath::new("permission_type"),
            &config.permission_type,
            &["read", "manage"],
        );
        string_one_of(
            diags,
            AttributePath::new("status"),
            &config.status,
            &["enabled", "disabled"],
        );
    }

    /// The whole catalogue (one call), filtered here.
    async fn read(
        &self,
        client: &FlashdutyClient,
        config: PermissionsState,
    ) -> Outcome<PermissionsState, ()> {
        let catalogue = client.list_permissions().await.map_err(|err| {
            Failure::message("Error listing Flashduty permissions", err.to_string())
        })?;
        let names: Option<Vec<String>> = config.permission_names.as_ref_option().map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_ref_option().cloned())
                .collect()
        });
        if let Some(names) = &names {
            let missing: Vec<&String> = names
                .iter()
                .filter(|n| !catalogue.iter().any(|p| &p.permission_name == *n))
                .collect();
            if !missing.is_empty() {
                return Err(Failure::attribute(
                    AttributePath::new("permission_names"),
                    "Unknown Flashduty permission names",
                    format!(
                        "These names are not in the permission catalogue: {missing:?}. Names are exact and \
                         case-sensitive; leave `permission_names` unset to list the whole catalogue."
                    ),
                ));
            }
        }
        let mut selected: Vec<&PermissionItem> = catalogue
            .iter()
            .filter(|p| {
                names
                    .as_ref()
                    .is_none_or(|names| names.contains(&p.permission_name))
            })
            .filter(|p| matches(&config.class, &p.class))
            .filter(|p| matches(&config.scope, &p.scope))
            .filter(|p| matches(&config.permission_type, &p.permission_type))
            .filter(|p| matches(&config.status, &p.status))
            .collect();
        selected.sort_by_key(|p| p.id);
        let ids: Vec<i64> = selected.iter().map(|p| p.id as i64).collect();
        Ok(PermissionsState {
            ids: number_set(&ids),
            permissions: Value::Value(
                selected
                    .into_iter()
                    .map(|p| Value::Value(Permission::from_item(p)))
                    .collect(),
            ),
            ..config
        })
    }
}

impl Permission {
    fn from_item(p: &PermissionItem) -> Self {
        Permission {
            id: Value::Value(p.id as i64),
            permission_name: Value::Value(p.permission_name.clone()),
            permission_type: Value::Value(p.permission_type.clone()),
            description: Value::Value(p.description.clone()),
            class: Value::Value(p.class.clone()),
            scope: Value::Value(p.scope.clone()),
            status: Value::Value(p.status.clone()),
        }
    }
}
