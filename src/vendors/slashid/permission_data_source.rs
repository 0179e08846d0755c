//! `rbac_slashid_permission` data source: one existing permission, by name
//! (`GET /rbac/permissions/{name}`), and [`PermissionItem`], a permission
//! as the list data source shows it.

use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{Permission, SlashidClient};
use super::config::SlashidSettings;
use super::names::validate_permission_name;
use crate::framework::data_source::DataSourceType;
use crate::framework::resource::{Failure, Outcome};
use crate::framework::schema::{object, schema, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};

/// State of the `rbac_slashid_permission` data source.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PermissionDataState {
    pub name: Value<String>,
    pub description: Value<String>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(PermissionDataState, ReadTimeouts);

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct PermissionDataSource;

#[async_trait]
impl DataSourceType for PermissionDataSource {
    type Vendor = SlashidSettings;
    type State = PermissionDataState;
    const TYPE_NAME: &'static str = "slashid_permission";
    const KIND: &'static str = "SlashID permission";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        schema(
            "One existing SlashID permission, by name.",
            vec![
                (
                    "name",
                    string()
                        .required()
                        .description("Exact permission name (case-sensitive, 2–1024 characters)."),
                ),
                (
                    "description",
                    string()
                        .computed()
                        .description("Description (`\"\"` when empty)."),
                ),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    fn validate(diags: &mut Diagnostics, config: &PermissionDataState) {
        validate_permission_name(diags, AttributePath::new("name"), &config.name);
    }

    async fn read(
        &self,
        client: &SlashidClient,
        config: PermissionDataState,
    ) -> Outcome<PermissionDataState, ()> {
        let name = config.name.clone().unwrap_or_default();
        match client.get_permission(&name).await {
            Ok(p) => Ok(PermissionDataState {
                name: Value::Value(p.name),
                description: Value::Value(p.description.unwrap_or_default()),
                timeouts: Default::default(),
            }),
            Err(err) if err.is_not_found() => Err(Failure::attribute(
                AttributePath::new("name"),
                format!("No SlashID permission {name:?}"),
                "No permission has this name in the organization (names are case-sensitive).",
            )),
            Err(err) => Err(Failure::message(
                format!("Error reading SlashID permission {name:?}"),
                err.to_string(),
            )),
        }
    }
}

/// One permission as the list data source shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PermissionItem {
    pub name: Value<String>,
    pub description: Value<String>,
}

impl PermissionItem {
    /// The Terraform type of a [`PermissionItem`].
    pub fn object_type() -> AttributeType {
        object(&[
            ("name", AttributeType::String),
            ("description", AttributeType::String),
        ])
    }

    pub fn new(p: &Permission) -> Self {
        PermissionItem {
            name: Value::Value(p.name.clone()),
            description: Value::Value(p.description.clone().unwrap_or_default()),
        }
    }
}
