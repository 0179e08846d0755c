//! `rbac_rootly_on_call_roles` data source: every on-call role matching
//! Rootly's list filters, across all pages.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{DataSource, Diagnostics};

use super::api::{ListFilters, PERMISSION_FAMILIES};
use super::config::ProviderData;
use super::on_call_role_data_source::OnCallRoleItem;
use crate::framework::diag::vendor_error;
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

/// The data source.
pub struct OnCallRolesDataSource {
    provider: Arc<ProviderData>,
}

impl OnCallRolesDataSource {
    pub fn new(provider: Arc<ProviderData>) -> Self {
        Self { provider }
    }

    /// The schema; its descriptions are the published documentation.
    pub fn schema() -> Schema {
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
}

#[async_trait]
impl DataSource for OnCallRolesDataSource {
    type State<'a> = OnCallRolesState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: OnCallRolesState) -> Option<()> {
        config.timeouts.validate(diags);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: OnCallRolesState,
        _meta: ValueEmpty,
    ) -> Option<OnCallRolesState> {
        config
            .timeouts
            .clone()
            .read(diags, async |diags| {
                let client = self.provider.client_or_report(diags)?;
                let filters = ListFilters {
                    name: config.name.as_ref_option().cloned(),
                    slug: config.slug.as_ref_option().cloned(),
                    search: config.search.as_ref_option().cloned(),
                };
                let roles = match client.list_roles(&filters).await {
                    Ok(roles) => roles,
                    Err(err) => {
                        vendor_error(diags, "listing Rootly on-call roles", &err);
                        return None;
                    }
                };
                Some(OnCallRolesState {
                    ids: Value::Value(roles.iter().map(|r| Value::Value(r.id.clone())).collect()),
                    roles: Value::Value(
                        roles
                            .iter()
                            .map(|r| Value::Value(OnCallRoleItem::from_role(r)))
                            .collect(),
                    ),
                    ..config
                })
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_matches_schema() {
        crate::framework::schema::assert_state_matches_schema::<OnCallRolesState>(
            &OnCallRolesDataSource::schema(),
        );
    }
}
