//! `rbac_rootly_on_call_roles` data source: every on-call role matching
//! Rootly's list filters, across all pages.

use crate::framework::tf::Value;
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{ListFilters, RootlyClient, PERMISSION_FAMILIES};
use super::config::RootlySettings;
use super::on_call_role_data_source::OnCallRoleItem;
use crate::framework::data_source::DataSourceType;
use crate::framework::resource::{Failure, Outcome};
use crate::framework::schema::{list_of, object, schema, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};

/// Terraform state of the `rbac_rootly_on_call_roles` data source.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OnCallRolesState {
    pub name: Value<String>,
    pub slug: Value<String>,
    pub search: Value<String>,
    pub ids: Value<Vec<Value<String>>>,
    pub roles: Value<Vec<Value<OnCallRoleItem>>>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(OnCallRolesState, ReadTimeouts);

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct OnCallRolesDataSource;

#[async_trait]
impl DataSourceType for OnCallRolesDataSource {
    type Vendor = RootlySettings;
    type State = OnCallRolesState;
    const TYPE_NAME: &'static str = "rootly_on_call_roles";
    const KIND: &'static str = "Rootly on-call roles";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        let mut fields: Vec<(&str, AttributeType)> = vec![
            ("id", AttributeType::String),
            ("name", AttributeType::String),
            ("slug", AttributeType::String),
            ("system_role", AttributeType::String),
        ];
        for (family, _) in PERMISSION_FAMILIES {
            fields.push((family, AttributeType::Set(Box::new(AttributeType::String))));
        }
        schema(
            "Every Rootly on-call role matching the filters (all of them when no filter is set), read \
             page by page. Filters combine (AND) and are applied by Rootly.",
            vec![
                ("name", string().optional().description("Only roles with exactly this name (`filter[name]`).")),
                ("slug", string().optional().description("Only the role with this slug (`filter[slug]`).")),
                ("search", string().optional().description("Only roles matching this text (`filter[search]`).")),
                ("ids", list_of(AttributeType::String).computed().description(
                    "UUIDs of the matching roles, in Rootly's order.",
                )),
                ("roles", list_of(object(&fields)).computed().description(
                    "The matching roles, in Rootly's order: `id`, `name`, `slug`, `system_role` and every \
                     `*_permissions` set, as on the `rbac_rootly_on_call_role` data source.",
                )),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    async fn read(
        &self,
        client: &RootlyClient,
        config: OnCallRolesState,
    ) -> Outcome<OnCallRolesState, ()> {
        let filters = ListFilters {
            name: config.name.as_ref_option().cloned(),
            slug: config.slug.as_ref_option().cloned(),
            search: config.search.as_ref_option().cloned(),
        };
        let roles = client.list_roles(&filters).await.map_err(|err| {
            Failure::message("Error listing Rootly on-call roles", err.to_string())
        })?;
        Ok(OnCallRolesState {
            ids: Value::Value(roles.iter().map(|r| Value::Value(r.id.clone())).collect()),
            roles: Value::Value(
                roles
                    .iter()
                    .map(|r| Value::Value(OnCallRoleItem::from_role(r)))
                    .collect(),
            ),
            ..config
        })
    }
}
