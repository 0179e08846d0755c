//! `rbac_slashid_role` data source: one existing role, by short name
//! (`GET /rbac/roles/{org_id}/{name}`), and [`RoleItem`], a role as every
//! SlashID data source shows it.

use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{Role, SlashidClient};
use super::config::SlashidSettings;
use super::names::validate_role_name;
use crate::framework::data_source::DataSourceType;
use crate::framework::plan::string_set;
use crate::framework::resource::{Failure, Outcome};
use crate::framework::schema::{object, schema, set_of, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};
use crate::framework::ValueStringSet;

/// State of `rbac_slashid_role` (data source).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RoleDataState {
    pub name: Value<String>,
    pub full_name: Value<String>,
    pub description: Value<String>,
    pub permissions: ValueStringSet,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(RoleDataState, ReadTimeouts);

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct RoleDataSource;

#[async_trait]
impl DataSourceType for RoleDataSource {
    type Vendor = SlashidSettings;
    type State = RoleDataState;
    const TYPE_NAME: &'static str = "slashid_role";
    const KIND: &'static str = "SlashID role";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        schema(
            "One existing SlashID role, by name.",
            vec![
                (
                    "name",
                    string().required().description(
                        "Role name without the `<org_id>/` prefix (2–100 characters).",
                    ),
                ),
                (
                    "full_name",
                    string()
                        .computed()
                        .description("The name as SlashID stores it, `<org_id>/<name>`."),
                ),
                (
                    "description",
                    string()
                        .computed()
                        .description("Description (`\"\"` when empty)."),
                ),
                (
                    "permissions",
                    set_of(AttributeType::String)
                        .computed()
                        .description("Names of the permissions the role grants."),
                ),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    fn validate(diags: &mut Diagnostics, config: &RoleDataState) {
        validate_role_name(diags, AttributePath::new("name"), &config.name);
    }

    async fn read(
        &self,
        client: &SlashidClient,
        config: RoleDataState,
    ) -> Outcome<RoleDataState, ()> {
        let short = config.name.clone().unwrap_or_default();
        let full = client.full_role_name(&short);
        match client.get_role(&full).await {
            Ok((role, _)) => {
                let item = RoleItem::new(client, &role);
                Ok(RoleDataState {
                    timeouts: Default::default(),
                    name: item.name,
                    full_name: item.full_name,
                    description: item.description,
                    permissions: item.permissions,
                })
            }
            Err(err) if err.is_not_found() => Err(Failure::attribute(
                AttributePath::new("name"),
                format!("No SlashID role {full:?}"),
                "No role has this name in the organization (names are case-sensitive).",
            )),
            Err(err) => Err(Failure::message(
                format!("Error reading SlashID role {full:?}"),
                err.to_string(),
            )),
        }
    }
}

/// One role as the data sources show it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleItem {
    pub name: Value<String>,
    pub full_name: Value<String>,
    pub description: Value<String>,
    pub permissions: ValueStringSet,
}

impl RoleItem {
    /// The Terraform type of a [`RoleItem`].
    pub fn object_type() -> AttributeType {
        object(&[
            ("name", AttributeType::String),
            ("full_name", AttributeType::String),
            ("description", AttributeType::String),
            (
                "permissions",
                AttributeType::Set(Box::new(AttributeType::String)),
            ),
        ])
    }

    /// `role` with its short name.
    pub fn new(client: &SlashidClient, role: &Role) -> Self {
        RoleItem {
            name: Value::Value(
                client
                    .short_role_name(&role.name)
                    .unwrap_or(&role.name)
                    .to_string(),
            ),
            full_name: Value::Value(role.name.clone()),
            description: Value::Value(role.description.clone().unwrap_or_default()),
            permissions: string_set(&role.permissions),
        }
    }
}
