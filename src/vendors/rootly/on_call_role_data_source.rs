//! `rbac_rootly_on_call_role` data source: look up one on-call role, built-in
//! or custom, by slug or by exact name.

use crate::framework::tf::Diagnostics;
use crate::framework::tf::Value;
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{ListFilters, OnCallRole, RootlyClient, PERMISSION_FAMILIES};
use super::config::RootlySettings;
use super::families::{family_description, with_permission_families};
use crate::framework::data_source::DataSourceType;
use crate::framework::diag::some_names;
use crate::framework::plan::string_set;
use crate::framework::resource::{Failure, Outcome};
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

/// How many slugs the error for a name shared by several roles lists.
const SLUGS_SHOWN: usize = 10;

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct OnCallRoleDataSource;

#[async_trait]
impl DataSourceType for OnCallRoleDataSource {
    type Vendor = RootlySettings;
    type State = OnCallRoleDataState;
    const TYPE_NAME: &'static str = "rootly_on_call_role";
    const KIND: &'static str = "Rootly on-call role";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
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

    fn validate(diags: &mut Diagnostics, config: &OnCallRoleDataState) {
        exactly_one_of(
            diags,
            &["slug", "name"],
            &[(&config.slug).into(), (&config.name).into()],
        );
    }

    /// The roles Rootly's filter returns, checked again here: exactly one
    /// must match.
    async fn read(
        &self,
        client: &RootlyClient,
        config: OnCallRoleDataState,
    ) -> Outcome<OnCallRoleDataState, ()> {
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
                return Err(Failure::message(
                    "Set exactly one of `slug` and `name`.",
                    "",
                ))
            }
        };
        let roles = client.list_roles(&filters).await.map_err(|err| {
            Failure::message(
                format!("Error looking up the Rootly on-call role with {wanted}"),
                err.to_string(),
            )
        })?;
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
            [role] => Ok(OnCallRoleDataState::from_role(role)),
            [] => Err(Failure::message(
                format!("No Rootly on-call role with {wanted}"),
                "List the roles with the `rbac_rootly_on_call_roles` data source.",
            )),
            several => {
                let slugs: Vec<&str> = several.iter().map(|r| r.slug.as_str()).collect();
                Err(Failure::message(
                    format!("Several Rootly on-call roles have the {wanted}"),
                    format!(
                        "Look one up by slug instead: {}.",
                        some_names(&slugs, SLUGS_SHOWN)
                    ),
                ))
            }
        }
    }
}
