//! `rbac_slashid_roles` data source: the organization's roles, optionally
//! by short-name prefix (`GET /rbac/roles` gives names only, then each
//! role is read; see [`super::listing`]).

use crate::framework::tf::Value;
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{Role, SlashidClient};
use super::config::SlashidSettings;
use super::listing::fetch_all;
use super::role_data_source::RoleItem;
use crate::framework::data_source::DataSourceType;
use crate::framework::resource::{Failure, Outcome};
use crate::framework::schema::{list_of, schema, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};

/// State of `rbac_slashid_roles`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RolesState {
    pub name_prefix: Value<String>,
    pub names: Value<Vec<Value<String>>>,
    pub roles: Value<Vec<Value<RoleItem>>>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(RolesState, ReadTimeouts);

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct RolesDataSource;

#[async_trait]
impl DataSourceType for RolesDataSource {
    type Vendor = SlashidSettings;
    type State = RolesState;
    const TYPE_NAME: &'static str = "slashid_roles";
    const KIND: &'static str = "SlashID roles";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        schema(
            "The organization's SlashID roles, optionally only those whose short name starts with `name_prefix`.",
            vec![
                ("name_prefix", string().optional().description("Only roles whose name (without the `<org_id>/` prefix) starts with this.")),
                ("names", list_of(AttributeType::String).computed().description("Short names of the matching roles, sorted.")),
                ("roles", list_of(RoleItem::object_type()).computed().description(
                    "The matching roles, sorted by name: `name`, `full_name`, `description`, `permissions`.",
                )),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    async fn read(&self, client: &SlashidClient, config: RolesState) -> Outcome<RolesState, ()> {
        let prefix = config.name_prefix.clone().unwrap_or_default();
        let mut names = client
            .list_roles()
            .await
            .map_err(|err| Failure::message("Error listing SlashID roles", err.to_string()))?;
        names.retain(|full| {
            client
                .short_role_name(full)
                .unwrap_or(full)
                .starts_with(&prefix)
        });
        names.sort();
        let roles: Vec<Role> = fetch_all(&names, |n| async move {
            client.get_role(&n).await.map(|(role, _)| role)
        })
        .await
        .map_err(Failure::vendor)?;
        let items: Vec<RoleItem> = roles.iter().map(|r| RoleItem::new(client, r)).collect();
        Ok(RolesState {
            timeouts: Default::default(),
            name_prefix: config.name_prefix,
            names: Value::Value(items.iter().map(|i| i.name.clone()).collect()),
            roles: Value::Value(items.into_iter().map(Value::Value).collect()),
        })
    }
}
