//! The `rbac` provider: it composes the vendors' configuration blocks (each
//! defined in its vendor's `config.rs`) and their resources and data sources.
//!
//! Resolution of each block (configured value, unknown, environment variable,
//! default) is shared by all vendors in [`crate::framework::provider_data`].

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{NestedBlock, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, DynamicDataSource, DynamicResource, Provider};

use crate::framework::data_source::DataAdapter;
use crate::framework::provider_data::{ProviderData, VendorConfig};
use crate::framework::resource::Adapter;
use crate::framework::schema::schema;
use crate::vendors::flashduty::config::{FlashdutyBlock, FlashdutySettings};
use crate::vendors::rootly::config::{RootlyBlock, RootlySettings};
use crate::vendors::slashid::config::{SlashidBlock, SlashidSettings};
use crate::vendors::zenml::config::{ZenmlBlock, ZenmlSettings};
use crate::vendors::{flashduty, rootly, slashid, zenml};

/// Name of the provider in resource types (`rbac_flashduty_role`).
pub const PROVIDER_NAME: &str = "rbac";

/// Configuration of the provider block: one optional block per vendor.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProviderConfig {
    pub flashduty: Value<Vec<FlashdutyBlock>>,
    pub slashid: Value<Vec<SlashidBlock>>,
    pub rootly: Value<Vec<RootlyBlock>>,
    pub zenml: Value<Vec<ZenmlBlock>>,
}

/// The provider: each vendor's configuration, shared with its resources.
#[derive(Default)]
pub struct RbacProvider {
    flashduty: Arc<ProviderData<FlashdutySettings>>,
    slashid: Arc<ProviderData<SlashidSettings>>,
    rootly: Arc<ProviderData<RootlySettings>>,
    zenml: Arc<ProviderData<ZenmlSettings>>,
}

type Resources = HashMap<String, Box<dyn DynamicResource>>;
type DataSources = HashMap<String, Box<dyn DynamicDataSource>>;

impl RbacProvider {
    /// The resources, keyed by type name without the `rbac_` prefix.
    pub fn resources(&self) -> Resources {
        use flashduty::{member_roles_resource as fd_members, role_resource as fd_role};
        use rootly::{on_call_role_resource as rt_role, user_on_call_role_resource as rt_user};
        use slashid::role_resource as sid_role;
        use slashid::{permission_resource as sid_perm, person_roles_resource as sid_person};
        use zenml::{role_assignment_resource as zn_assign, role_resource as zn_role};
        let (fd, sid, rt, zn) = (&self.flashduty, &self.slashid, &self.rootly, &self.zenml);
        let list: Vec<(&str, Box<dyn DynamicResource>)> = vec![
            (
                "flashduty_role",
                Box::new(Adapter::new(fd_role::RoleResource, fd.clone())),
            ),
            (
                "flashduty_member_roles",
                Box::new(Adapter::new(fd_members::MemberRolesResource, fd.clone())),
            ),
            (
                "slashid_permission",
                Box::new(Adapter::new(sid_perm::PermissionResource, sid.clone())),
            ),
            (
                "slashid_role",
                Box::new(Adapter::new(sid_role::RoleResource, sid.clone())),
            ),
            (
                "slashid_person_roles",
                Box::new(Adapter::new(sid_person::PersonRolesResource, sid.clone())),
            ),
            (
                "rootly_on_call_role",
                Box::new(Adapter::new(rt_role::OnCallRoleResource, rt.clone())),
            ),
            (
                "rootly_user_on_call_role",
                Box::new(Adapter::new(rt_user::UserOnCallRoleResource, rt.clone())),
            ),
            (
                "zenml_role",
                Box::new(Adapter::new(zn_role::RoleResource, zn.clone())),
            ),
            (
                "zenml_role_assignment",
                Box::new(Adapter::new(zn_assign::RoleAssignmentResource, zn.clone())),
            ),
        ];
        list.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }

    /// The data sources, keyed by type name without the `rbac_` prefix.
    pub fn data_sources(&self) -> DataSources {
        use flashduty::{members_data_source as fd_members, roles_data_source as fd_roles};
        use flashduty::{permissions_data_source as fd_perms, role_data_source as fd_role};
        use rootly::users_data_source as rt_users;
        use rootly::{on_call_role_data_source as rt_role, on_call_roles_data_source as rt_roles};
        use slashid::roles_data_source as sid_roles;
        use slashid::{permission_data_source as sid_p, permissions_data_source as sid_ps};
        use slashid::{persons_data_source as sid_persons, role_data_source as sid_role};
        use zenml::{role_assignments_data_source as zn_assigns, roles_data_source as zn_roles};
        let (fd, sid, rt, zn) = (&self.flashduty, &self.slashid, &self.rootly, &self.zenml);
        let list: Vec<(&str, Box<dyn DynamicDataSource>)> = vec![
            (
                "flashduty_role",
                Box::new(DataAdapter::new(fd_role::RoleDataSource, fd.clone())),
            ),
            (
                "flashduty_permissions",
                Box::new(DataAdapter::new(
                    fd_perms::PermissionsDataSource,
                    fd.clone(),
                )),
            ),
            (
                "flashduty_roles",
                Box::new(DataAdapter::new(fd_roles::RolesDataSource, fd.clone())),
            ),
            (
                "flashduty_members",
                Box::new(DataAdapter::new(fd_members::MembersDataSource, fd.clone())),
            ),
            (
                "slashid_roles",
                Box::new(DataAdapter::new(sid_roles::RolesDataSource, sid.clone())),
            ),
            (
                "slashid_role",
                Box::new(DataAdapter::new(sid_role::RoleDataSource, sid.clone())),
            ),
            (
                "slashid_permissions",
                Box::new(DataAdapter::new(sid_ps::PermissionsDataSource, sid.clone())),
            ),
            (
                "slashid_permission",
                Box::new(DataAdapter::new(sid_p::PermissionDataSource, sid.clone())),
            ),
            (
                "slashid_persons",
                Box::new(DataAdapter::new(
                    sid_persons::PersonsDataSource,
                    sid.clone(),
                )),
            ),
            (
                "rootly_on_call_role",
                Box::new(DataAdapter::new(rt_role::OnCallRoleDataSource, rt.clone())),
            ),
            (
                "rootly_on_call_roles",
                Box::new(DataAdapter::new(
                    rt_roles::OnCallRolesDataSource,
                    rt.clone(),
                )),
            ),
            (
                "rootly_users",
                Box::new(DataAdapter::new(rt_users::UsersDataSource, rt.clone())),
            ),
            (
                "zenml_roles",
                Box::new(DataAdapter::new(zn_roles::RolesDataSource, zn.clone())),
            ),
            (
                "zenml_role_assignments",
                Box::new(DataAdapter::new(
                    zn_assigns::RoleAssignmentsDataSource,
                    zn.clone(),
                )),
            ),
        ];
        list.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }

    /// The provider's configuration schema.
    pub fn provider_schema() -> Schema {
        fn vendor<V: VendorConfig>() -> (&'static str, NestedBlock) {
            (V::BLOCK, NestedBlock::Optional(V::schema()))
        }
        schema(
            "Manages roles and permissions in Flashduty, SlashID, Rootly and ZenML Pro. \
             Each vendor has its own optional block; a block (or its environment variables) \
             is only needed when a resource or data source of that vendor is used.",
            vec![],
            vec![
                vendor::<FlashdutySettings>(),
                vendor::<SlashidSettings>(),
                vendor::<RootlySettings>(),
                vendor::<ZenmlSettings>(),
            ],
        )
    }
}

/// Plan-time checks of one vendor's blocks, each error naming its attribute.
fn validate_vendor<V: VendorConfig>(diags: &mut Diagnostics, blocks: &Value<Vec<V::Block>>) {
    if let Value::Value(blocks) = blocks {
        for (i, block) in blocks.iter().enumerate() {
            let at = |a: &'static str| AttributePath::new(V::BLOCK).index(i as i64).attribute(a);
            V::validate(diags, block, &at);
        }
    }
}

#[async_trait]
impl Provider for RbacProvider {
    type Config<'a> = ProviderConfig;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::provider_schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>) -> Option<()> {
        validate_vendor::<FlashdutySettings>(diags, &config.flashduty);
        validate_vendor::<SlashidSettings>(diags, &config.slashid);
        validate_vendor::<RootlySettings>(diags, &config.rootly);
        validate_vendor::<ZenmlSettings>(diags, &config.zenml);
        Some(())
    }

    /// Never fails: a vendor whose block is unknown or incomplete only fails
    /// the operations that need its client, so the other vendors keep working.
    async fn configure<'a>(
        &self,
        _diags: &mut Diagnostics,
        terraform_version: String,
        config: Self::Config<'a>,
    ) -> Option<()> {
        let user_agent = crate::http::user_agent(Some(&terraform_version));
        self.flashduty
            .configure(config.flashduty, user_agent.clone());
        self.slashid.configure(config.slashid, user_agent.clone());
        self.rootly.configure(config.rootly, user_agent.clone());
        self.zenml.configure(config.zenml, user_agent);
        Some(())
    }

    fn get_resources(&self, _diags: &mut Diagnostics) -> Option<Resources> {
        Some(self.resources())
    }

    fn get_data_sources(&self, _diags: &mut Diagnostics) -> Option<DataSources> {
        Some(self.data_sources())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_config_matches_schema() {
        crate::framework::schema::assert_state_matches_schema::<ProviderConfig>(
            &RbacProvider::provider_schema(),
        );
    }
}
