//! `rbac_rootly_on_call_role` data source: look up one on-call role, built-in
//! or custom, by slug or by exact name.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{DataSource, Diagnostics};

use super::api::{ListFilters, OnCallRole, PERMISSION_FAMILIES};
use super::config::ProviderData;
use super::families::{family_description, with_permission_families};
use crate::framework::diag::vendor_error;
use crate::framework::plan::string_set;
use crate::framework::schema::{schema, set_of, string, AttributeBuilder};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};
use crate::framework::validate::exactly_one_of;

with_permission_families! {
    /// One role as the data sources show it (an element of
    /// `rbac_rootly_on_call_roles.roles`).
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    pub struct OnCallRoleItem {
        pub id: Value<String>,
        pub name: Value<String>,
        pub slug: Value<String>,
        pub system_role: Value<String>,
    }
}

with_permission_families! {
    /// Terraform state of the `rbac_rootly_on_call_role` data source: a
    /// role's attributes and the `timeouts` block.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    pub struct OnCallRoleDataState {
        pub id: Value<String>,
        pub name: Value<String>,
        pub slug: Value<String>,
        pub system_role: Value<String>,
        pub timeouts: DataSourceTimeouts,
    }
}
has_timeouts!(OnCallRoleDataState, ReadTimeouts);

impl OnCallRoleItem {
    /// The item for `role`.
    pub fn from_role(role: &OnCallRole) -> Self {
        let mut item = OnCallRoleItem {
            id: Value::Value(role.id.clone()),
            name: Value::Value(role.name.clone()),
            slug: Value::Value(role.slug.clone()),
            system_role: Value::Value(role.system_role.clone()),
            ..Default::default()
        };
        for (family, value) in item.families_mut() {
            *value = string_set(role.family(family));
        }
        item
    }
}

impl OnCallRoleDataState {
    /// The data source's state for `role` (the block is set by the caller).
    fn from_role(role: &OnCallRole) -> Self {
        let item = OnCallRoleItem::from_role(role);
        let mut state = OnCallRoleDataState {
            id: item.id.clone(),
            name: item.name.clone(),
            slug: item.slug.clone(),
            system_role: item.system_role.clone(),
            ..Default::default()
        };
        for ((_, to), (_, from)) in state.families_mut().into_iter().zip(item.families()) {
            *to = from.clone();
        }
        state
    }
}

/// The computed family attributes of a data source schema.
pub fn family_attributes() -> Vec<(&'static str, AttributeBuilder)> {
    PERMISSION_FAMILIES
        .into_iter()
        .map(|(family, allowed)| {
            (
                family,
                set_of(AttributeType::String)
                    .computed()
                    .description(family_description(family, allowed, false)),
            )
        })
        .collect()
}

/// The data source.
pub struct OnCallRoleDataSource {
    provider: Arc<ProviderData>,
}

impl OnCallRoleDataSource {
    pub fn new(provider: Arc<ProviderData>) -> Self {
        Self { provider }
    }

    /// The schema; its descriptions are the published documentation.
    pub fn schema() -> Schema {
        let mut attributes = vec![
            ("id", string().computed().description("The role's UUID.")),
            (
                "name",
                string()
                    .optional_computed()
                    .description("Exact role name (case-sensitive)."),
            ),
            (
                "slug",
                string()
                    .optional_computed()
                    .description("The role's slug, e.g. `infrastructure`."),
            ),
            (
                "system_role",
                string()
                    .computed()
                    .description("`admin`, `user`, `custom`, `observer` or `no_access`."),
            ),
        ];
        attributes.extend(family_attributes());
        schema(
            "Looks up a Rootly on-call role, built-in or custom, by `slug` or by exact `name`. Set exactly \
             one of them. A name shared by several roles is an error: use the slug.",
            attributes,
            vec![timeouts::data_source_block()],
        )
    }
}

#[async_trait]
impl DataSource for OnCallRoleDataSource {
    type State<'a> = OnCallRoleDataState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::schema())
    }

    async fn validate<'a>(
        &self,
        diags: &mut Diagnostics,
        config: OnCallRoleDataState,
    ) -> Option<()> {
        config.timeouts.validate(diags);
        exactly_one_of(
            diags,
            &["slug", "name"],
            &[(&config.slug).into(), (&config.name).into()],
        );
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: OnCallRoleDataState,
        _meta: ValueEmpty,
    ) -> Option<OnCallRoleDataState> {
        config
            .timeouts
            .clone()
            .read(diags, async |diags| {
                let client = self.provider.client_or_report(diags)?;
                let (wanted, filters) = match (&config.slug, &config.name) {
                    (Value::Value(slug), _) => (
                        format!("slug {slug:?}"),
                        ListFilters {
                            slug: Some(slug.clone()),
                            ..Default::default()
                        },
                    ),
                    (_, Value::Value(name)) => (
                        format!("name {name:?}"),
                        ListFilters {
                            name: Some(name.clone()),
                            ..Default::default()
                        },
                    ),
                    _ => {
                        diags.root_error_short("Set exactly one of `slug` and `name`.");
                        return None;
                    }
                };
                let roles = match client.list_roles(&filters).await {
                    Ok(roles) => roles,
                    Err(err) => {
                        vendor_error(
                            diags,
                            format!("looking up the Rootly on-call role with {wanted}"),
                            &err,
                        );
                        return None;
                    }
                };
                // The server filters; checking again keeps a loose filter (e.g. a
                // case-insensitive one) from matching the wrong role.
                let matching: Vec<&OnCallRole> = roles
                    .iter()
                    .filter(|r| match (&filters.slug, &filters.name) {
                        (Some(slug), _) => r.slug == *slug,
                        (_, Some(name)) => r.name == *name,
                        _ => false,
                    })
                    .collect();
                match matching.as_slice() {
                    [role] => Some(OnCallRoleDataState::from_role(role)),
                    [] => {
                        diags.root_error(
                            format!("No Rootly on-call role with {wanted}"),
                            "List the roles with the `rbac_rootly_on_call_roles` data source.",
                        );
                        None
                    }
                    several => {
                        let slugs: Vec<&str> = several.iter().map(|r| r.slug.as_str()).collect();
                        diags.root_error(
                            format!("Several Rootly on-call roles have the {wanted}"),
                            format!("Look one up by slug instead: {}.", slugs.join(", ")),
                        );
                        None
                    }
                }
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_matches_schema() {
        crate::framework::schema::assert_state_matches_schema::<OnCallRoleDataState>(
            &OnCallRoleDataSource::schema(),
        );
    }
}
