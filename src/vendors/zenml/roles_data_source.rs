//! `rbac_zenml_roles` data source: an organization's roles, built-in and
//! custom, filtered by the vendor's own `level` and `name` query parameters.

use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{Role, ZenmlClient};
use super::config::ZenmlSettings;
use super::ids::{failure, validate_uuid};
use crate::framework::data_source::DataSourceType;
use crate::framework::resource::Outcome;
use crate::framework::schema::{list_of, object, schema, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};
use crate::framework::validate::string_one_of;

/// Every scope level (docs/vendors/zenml.md, "RoleCreate / RoleUpdate").
pub const LEVELS: [&str; 3] = ["organization", "workspace", "project"];

/// Terraform state of the `rbac_zenml_roles` data source.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RolesState {
    pub organization_id: Value<String>,
    pub level: Value<String>,
    pub name: Value<String>,
    pub ids: Value<Vec<Value<String>>>,
    pub roles: Value<Vec<Value<RoleItem>>>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(RolesState, ReadTimeouts);

/// One role, as exposed in `roles`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleItem {
    pub id: Value<String>,
    pub organization_id: Value<String>,
    pub name: Value<String>,
    pub description: Value<String>,
    pub level: Value<String>,
    #[serde(rename = "type")]
    pub role_type: Value<String>,
    pub system_managed: Value<bool>,
}

impl From<&Role> for RoleItem {
    fn from(r: &Role) -> Self {
        RoleItem {
            id: Value::Value(r.id.clone()),
            organization_id: Value::Value(r.organization_id.clone()),
            name: r.name.clone().into(),
            description: r.description.clone().into(),
            level: Value::Value(r.level.clone()),
            role_type: Value::Value(r.role_type.clone()),
            system_managed: Value::Value(r.system_managed),
        }
    }
}

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct RolesDataSource;

#[async_trait]
impl DataSourceType for RolesDataSource {
    type Vendor = ZenmlSettings;
    type State = RolesState;
    const TYPE_NAME: &'static str = "zenml_roles";
    const KIND: &'static str = "ZenML roles";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        let role = object(&[
            ("id", AttributeType::String),
            ("organization_id", AttributeType::String),
            ("name", AttributeType::String),
            ("description", AttributeType::String),
            ("level", AttributeType::String),
            ("type", AttributeType::String),
            ("system_managed", AttributeType::Bool),
        ]);
        schema(
            "The roles of a ZenML Pro organization, built-in (system-managed Admin, Editor, Viewer) and \
             custom, optionally filtered by level and exact name. Use it to find a built-in role's ID for \
             `rbac_zenml_role_assignment`.",
            vec![
                ("organization_id", string().required().description("UUID of the organization.")),
                ("level", string().optional().description(
                    "Only roles of this level: `organization`, `workspace` or `project`.",
                )),
                ("name", string().optional().description("Only roles with exactly this name, e.g. `Admin`.")),
                ("ids", list_of(AttributeType::String).computed().description(
                    "UUIDs of the matching roles, in the order of `roles`.",
                )),
                ("roles", list_of(role).computed().description(
                    "The matching roles, with the attribute names of `rbac_zenml_role`: `id`, `organization_id`, \
                     `name`, `description` (either may be null), \
                     `level`, `type` and `system_managed`.",
                )),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    fn validate(diags: &mut Diagnostics, config: &RolesState) {
        validate_uuid(diags, "organization_id", &config.organization_id);
        string_one_of(diags, AttributePath::new("level"), &config.level, &LEVELS);
    }

    async fn read(&self, client: &ZenmlClient, config: RolesState) -> Outcome<RolesState, ()> {
        // Required, so known: Terraform reads a data source once its
        // configuration is.
        let org = config
            .organization_id
            .as_ref_option()
            .cloned()
            .unwrap_or_default();
        let level = config.level.as_ref_option().map(String::as_str);
        let name = config.name.as_ref_option().map(String::as_str);
        let roles = client
            .list_roles(&org.to_ascii_lowercase(), level, name)
            .await
            .map_err(|err| {
                failure(
                    format!("listing the roles of ZenML organization {org}"),
                    &err,
                    &[],
                )
            })?;
        // The filters are applied again here, in case the server ignores one.
        let roles: Vec<&Role> = roles
            .iter()
            .filter(|r| level.is_none_or(|l| r.level == l))
            .filter(|r| name.is_none_or(|n| r.name.as_deref() == Some(n)))
            .collect();
        Ok(RolesState {
            ids: Value::Value(roles.iter().map(|r| Value::Value(r.id.clone())).collect()),
            roles: Value::Value(
                roles
                    .iter()
                    .map(|r| Value::Value(RoleItem::from(*r)))
                    .collect(),
            ),
            ..config
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::resource::ResourceType;

    /// Each role carries exactly the attributes of `rbac_zenml_role`, so
    /// `for_each` can pass it straight through.
    #[test]
    fn role_items_have_the_resource_attribute_names() {
        crate::framework::schema::assert_item_matches_resource::<RoleItem>(
            &super::super::role_resource::RoleResource::schema(),
        );
    }
}
