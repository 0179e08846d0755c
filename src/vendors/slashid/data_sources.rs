//! SlashID data sources: `rbac_slashid_roles`, `rbac_slashid_role`,
//! `rbac_slashid_permissions` and `rbac_slashid_permission`.
//!
//! SlashID lists return names only (vendors/slashid.md, "Lists return names
//! only"), so the list data sources read each item's details concurrently
//! (at most [`CONCURRENCY`] at a time, through the shared HTTP core).

use std::sync::Arc;

use async_trait::async_trait;
use futures::stream::{self, StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, DataSource, Diagnostics};

use super::api::{Permission, Role, SlashidClient};
use super::config::ProviderData;
use super::names::{validate_permission_name, validate_role_name};
use super::SlashidError;
use crate::framework::diag::vendor_error;
use crate::framework::plan::string_set;
use crate::framework::schema::{list_of, object, schema, set_of, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};
use crate::framework::ValueStringSet;

/// Detail reads in flight at once.
pub const CONCURRENCY: usize = 8;

/// Reads every name's details, [`CONCURRENCY`] at a time (each call still
/// passes the HTTP core's rate limiter), in the order of `names`. A name
/// deleted between the list and its read (404) is left out.
async fn fetch_all<T, F, Fut>(names: &[String], get: F) -> Result<Vec<T>, SlashidError>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<T, SlashidError>>,
{
    stream::iter(names.iter().cloned().map(get))
        .buffered(CONCURRENCY)
        .filter_map(|r| async move {
            match r {
                Err(e) if e.is_not_found() => None,
                other => Some(other),
            }
        })
        .try_collect()
        .await
}

fn client(provider: &ProviderData, diags: &mut Diagnostics) -> Option<SlashidClient> {
    provider.client_or_report(diags)
}

fn role_object() -> AttributeType {
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

fn permission_object() -> AttributeType {
    object(&[
        ("name", AttributeType::String),
        ("description", AttributeType::String),
    ])
}

/// One role as exposed by the data sources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleItem {
    pub name: Value<String>,
    pub full_name: Value<String>,
    pub description: Value<String>,
    pub permissions: ValueStringSet,
}

fn role_item(client: &SlashidClient, role: &Role) -> RoleItem {
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

/// One permission as exposed by the data sources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PermissionItem {
    pub name: Value<String>,
    pub description: Value<String>,
}

fn permission_item(p: &Permission) -> PermissionItem {
    PermissionItem {
        name: Value::Value(p.name.clone()),
        description: Value::Value(p.description.clone().unwrap_or_default()),
    }
}

// ----- rbac_slashid_roles -----

/// State of `rbac_slashid_roles`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RolesState {
    pub name_prefix: Value<String>,
    pub names: Value<Vec<Value<String>>>,
    pub roles: Value<Vec<Value<RoleItem>>>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(RolesState, ReadTimeouts);

/// `rbac_slashid_roles`.
pub struct RolesDataSource {
    provider: Arc<ProviderData>,
}

impl RolesDataSource {
    pub fn new(provider: Arc<ProviderData>) -> Self {
        Self { provider }
    }

    pub fn schema() -> Schema {
        schema(
            "The organization's SlashID roles, optionally only those whose short name starts with `name_prefix`.",
            vec![
                ("name_prefix", string().optional().description("Only roles whose name (without the `<org_id>/` prefix) starts with this.")),
                ("names", list_of(AttributeType::String).computed().description("Short names of the matching roles, sorted.")),
                ("roles", list_of(role_object()).computed().description(
                    "The matching roles, sorted by name: `name`, `full_name`, `description`, `permissions`.",
                )),
            ],
            vec![timeouts::data_source_block()],
        )
    }
}

#[async_trait]
impl DataSource for RolesDataSource {
    type State<'a> = RolesState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: RolesState) -> Option<()> {
        config.timeouts.validate(diags);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: RolesState,
        _meta: ValueEmpty,
    ) -> Option<RolesState> {
        config
            .timeouts
            .clone()
            .read(diags, async |diags| {
                let client = client(&self.provider, diags)?;
                let prefix = config
                    .name_prefix
                    .as_ref_option()
                    .cloned()
                    .unwrap_or_default();
                let mut names = match client.list_roles().await {
                    Ok(names) => names,
                    Err(err) => {
                        vendor_error(diags, "listing SlashID roles", &err);
                        return None;
                    }
                };
                names.retain(|full| {
                    client
                        .short_role_name(full)
                        .unwrap_or(full)
                        .starts_with(&prefix)
                });
                names.sort();
                let roles: Vec<Role> = match fetch_all(&names, |n| {
                    let client = client.clone();
                    async move { client.get_role(&n).await.map(|(role, _)| role) }
                })
                .await
                {
                    Ok(roles) => roles,
                    Err(err) => {
                        vendor_error(diags, "reading SlashID roles", &err);
                        return None;
                    }
                };
                let items: Vec<RoleItem> = roles.iter().map(|r| role_item(&client, r)).collect();
                Some(RolesState {
                    timeouts: Default::default(),
                    name_prefix: config.name_prefix,
                    names: Value::Value(items.iter().map(|i| i.name.clone()).collect()),
                    roles: Value::Value(items.into_iter().map(Value::Value).collect()),
                })
            })
            .await
    }
}

// ----- rbac_slashid_role -----

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

/// `rbac_slashid_role` data source.
pub struct RoleDataSource {
    provider: Arc<ProviderData>,
}

impl RoleDataSource {
    pub fn new(provider: Arc<ProviderData>) -> Self {
        Self { provider }
    }

    pub fn schema() -> Schema {
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
}

#[async_trait]
impl DataSource for RoleDataSource {
    type State<'a> = RoleDataState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: RoleDataState) -> Option<()> {
        config.timeouts.validate(diags);
        validate_role_name(diags, AttributePath::new("name"), &config.name);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: RoleDataState,
        _meta: ValueEmpty,
    ) -> Option<RoleDataState> {
        config
            .timeouts
            .clone()
            .read(diags, async |diags| {
                let client = client(&self.provider, diags)?;
                let full = client.full_role_name(config.name.as_ref_option()?);
                match client.get_role(&full).await {
                    Ok((role, _)) => {
                        let item = role_item(&client, &role);
                        Some(RoleDataState {
                            timeouts: Default::default(),
                            name: item.name,
                            full_name: item.full_name,
                            description: item.description,
                            permissions: item.permissions,
                        })
                    }
                    Err(err) if err.is_not_found() => {
                        diags.error(
                            format!("No SlashID role {full:?}"),
                            "No role has this name in the organization (names are case-sensitive).",
                            AttributePath::new("name"),
                        );
                        None
                    }
                    Err(err) => {
                        vendor_error(diags, format!("reading SlashID role {full:?}"), &err);
                        None
                    }
                }
            })
            .await
    }
}

// ----- rbac_slashid_permissions -----

/// State of `rbac_slashid_permissions`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PermissionsState {
    pub name_prefix: Value<String>,
    pub names: Value<Vec<Value<String>>>,
    pub permissions: Value<Vec<Value<PermissionItem>>>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(PermissionsState, ReadTimeouts);

/// `rbac_slashid_permissions`.
pub struct PermissionsDataSource {
    provider: Arc<ProviderData>,
}

impl PermissionsDataSource {
    pub fn new(provider: Arc<ProviderData>) -> Self {
        Self { provider }
    }

    pub fn schema() -> Schema {
        schema(
            "The organization's SlashID permissions, optionally only those whose name starts with `name_prefix`.",
            vec![
                ("name_prefix", string().optional().description("Only permissions whose name starts with this, e.g. `billing.`.")),
                ("names", list_of(AttributeType::String).computed().description("Names of the matching permissions, sorted.")),
                ("permissions", list_of(permission_object()).computed().description(
                    "The matching permissions, sorted by name: `name`, `description`.",
                )),
            ],
            vec![timeouts::data_source_block()],
        )
    }
}

#[async_trait]
impl DataSource for PermissionsDataSource {
    type State<'a> = PermissionsState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: PermissionsState) -> Option<()> {
        config.timeouts.validate(diags);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: PermissionsState,
        _meta: ValueEmpty,
    ) -> Option<PermissionsState> {
        config
            .timeouts
            .clone()
            .read(diags, async |diags| {
                let client = client(&self.provider, diags)?;
                let prefix = config
                    .name_prefix
                    .as_ref_option()
                    .cloned()
                    .unwrap_or_default();
                let mut names = match client.list_permissions().await {
                    Ok(names) => names,
                    Err(err) => {
                        vendor_error(diags, "listing SlashID permissions", &err);
                        return None;
                    }
                };
                names.retain(|n| n.starts_with(&prefix));
                names.sort();
                let perms: Vec<Permission> = match fetch_all(&names, |n| {
                    let client = client.clone();
                    async move { client.get_permission(&n).await }
                })
                .await
                {
                    Ok(perms) => perms,
                    Err(err) => {
                        vendor_error(diags, "reading SlashID permissions", &err);
                        return None;
                    }
                };
                Some(PermissionsState {
                    timeouts: Default::default(),
                    name_prefix: config.name_prefix,
                    names: Value::Value(
                        perms.iter().map(|p| Value::Value(p.name.clone())).collect(),
                    ),
                    permissions: Value::Value(
                        perms
                            .iter()
                            .map(|p| Value::Value(permission_item(p)))
                            .collect(),
                    ),
                })
            })
            .await
    }
}

// ----- rbac_slashid_permission -----

/// State of the `rbac_slashid_permission` data source.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PermissionDataState {
    pub name: Value<String>,
    pub description: Value<String>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(PermissionDataState, ReadTimeouts);

/// `rbac_slashid_permission` data source.
pub struct PermissionDataSource {
    provider: Arc<ProviderData>,
}

impl PermissionDataSource {
    pub fn new(provider: Arc<ProviderData>) -> Self {
        Self { provider }
    }

    pub fn schema() -> Schema {
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
}

#[async_trait]
impl DataSource for PermissionDataSource {
    type State<'a> = PermissionDataState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::schema())
    }

    async fn validate<'a>(
        &self,
        diags: &mut Diagnostics,
        config: PermissionDataState,
    ) -> Option<()> {
        config.timeouts.validate(diags);
        validate_permission_name(diags, AttributePath::new("name"), &config.name);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: PermissionDataState,
        _meta: ValueEmpty,
    ) -> Option<PermissionDataState> {
        config.timeouts.clone().read(diags, async |diags| {
            let client = client(&self.provider, diags)?;
            let name = config.name.as_ref_option()?.clone();
            match client.get_permission(&name).await {
                Ok(p) => Some(PermissionDataState {
                    name: Value::Value(p.name),
                    description: Value::Value(p.description.unwrap_or_default()),
                    timeouts: Default::default(),
                }),
                Err(err) if err.is_not_found() => {
                    diags.error(
                        format!("No SlashID permission {name:?}"),
                        "No permission has this name in the organization (names are case-sensitive).",
                        AttributePath::new("name"),
                    );
                    None
                }
                Err(err) => {
                    vendor_error(diags, format!("reading SlashID permission {name:?}"), &err);
                    None
                }
            }
        }).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::assert_state_matches_schema;

    #[test]
    fn slashid_data_source_states_match_schemas() {
        assert_state_matches_schema::<RolesState>(&RolesDataSource::schema());
        assert_state_matches_schema::<RoleDataState>(&RoleDataSource::schema());
        assert_state_matches_schema::<PermissionsState>(&PermissionsDataSource::schema());
        assert_state_matches_schema::<PermissionDataState>(&PermissionDataSource::schema());
    }
}
