//! `rbac_slashid_permissions` data source: the organization's permissions,
//! optionally by name prefix (`GET /rbac/permissions` gives names only,
//! then each permission is read; see [`super::listing`]).

use crate::framework::tf::Value;
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{Permission, SlashidClient};
use super::config::SlashidSettings;
use super::listing::fetch_all;
use super::permission_data_source::PermissionItem;
use crate::framework::data_source::DataSourceType;
use crate::framework::resource::{Failure, Outcome};
use crate::framework::schema::{list_of, schema, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};

/// State of `rbac_slashid_permissions`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PermissionsState {
    pub name_prefix: Value<String>,
    pub names: Value<Vec<Value<String>>>,
    pub permissions: Value<Vec<Value<PermissionItem>>>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(PermissionsState, ReadTimeouts);

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct PermissionsDataSource;

#[async_trait]
impl DataSourceType for PermissionsDataSource {
    type Vendor = SlashidSettings;
    type State = PermissionsState;
    const TYPE_NAME: &'static str = "slashid_permissions";
    const KIND: &'static str = "SlashID permissions";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        schema(
            "The organization's SlashID permissions, optionally only those whose name starts with `name_prefix`.",
            vec![
                ("name_prefix", string().optional().description("Only permissions whose name starts with this, e.g. `billing.`.")),
                ("names", list_of(AttributeType::String).computed().description("Names of the matching permissions, sorted.")),
                ("permissions", list_of(PermissionItem::object_type()).computed().description(
                    "The matching permissions, sorted by name: `name`, `description`.",
                )),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    async fn read(
        &self,
        client: &SlashidClient,
        config: PermissionsState,
    ) -> Outcome<PermissionsState, ()> {
        let prefix = config.name_prefix.clone().unwrap_or_default();
        let mut names = client.list_permissions().await.map_err(|err| {
            Failure::message("Error listing SlashID permissions", err.to_string())
        })?;
        names.retain(|n| n.starts_with(&prefix));
        names.sort();
        let perms: Vec<Permission> =
            fetch_all(&names, |n| async move { client.get_permission(&n).await })
                .await
                .map_err(Failure::vendor)?;
        Ok(PermissionsState {
            timeouts: Default::default(),
            name_prefix: config.name_prefix,
            names: Value::Value(perms.iter().map(|p| Value::Value(p.name.clone())).collect()),
            permissions: Value::Value(
                perms
                    .iter()
                    .map(|p| Value::Value(PermissionItem::new(p)))
                    .collect(),
            ),
        })
    }
}
