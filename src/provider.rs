//! The `rbac` provider: it composes the vendors' configuration blocks (each
//! defined in its vendor's `config.rs`) and their resources and data sources.
//!
//! Resolution of each block (configured value, unknown, environment variable,
//! default) is shared by all vendors in [`crate::framework::provider_data`].

use std::collections::HashMap;
use std::sync::Arc;

use crate::framework::tf::Value;
use crate::framework::tf::{NestedBlock, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::framework::data_source::{DataAdapter, DataSourceType};
use crate::framework::protocol::{
    DataSourceHandler, DynamicValue, ProviderHandler, ResourceHandler,
};
use crate::framework::provider_data::{ProviderData, VendorConfig};
use crate::framework::resource::{Adapter, ResourceType};
use crate::framework::schema::schema;
use crate::framework::tf::{AttributePath, Diagnostics};
use crate::vendors::flashduty::config::{FlashdutyBlock, FlashdutySettings};
use crate::vendors::rootly::config::{RootlyBlock, RootlySettings};
use crate::vendors::slashid::config::{SlashidBlock, SlashidSettings};
use crate::vendors::zenml::config::{ZenmlBlock, ZenmlSettings};
use crate::vendors::{access, flashduty, rootly, slashid, zenml};

pub use crate::framework::PROVIDER_NAME;

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

type Resources = HashMap<String, Box<dyn ResourceHandler>>;
type DataSources = HashMap<String, Box<dyn DataSourceHandler>>;

impl RbacProvider {
    /// The resources, keyed by type name without the `rbac_` prefix.
    pub fn resources(&self) -> Resources {
        use flashduty::{member_roles_resource as fd_members, role_resource as fd_role};
        use rootly::{on_call_role_resource as rt_role, user_on_call_role_resource as rt_user};
        use slashid::{permission_resource as sid_perm, person_roles_resource as sid_person};
        use zenml::{role_assignment_resource as zn_assign, role_resource as zn_role};
        let (fd, sid, rt, zn) = (&self.flashduty, &self.slashid, &self.rootly, &self.zenml);
        by_type_name(vec![
            resource(fd_role::RoleResource, fd),
            resource(fd_members::MemberRolesResource, fd),
            resource(sid_perm::PermissionResource, sid),
            resource(slashid::role_resource::RoleResource, sid),
            resource(sid_person::PersonRolesResource, sid),
            resource(rt_role::OnCallRoleResource, rt),
            resource(rt_user::UserOnCallRoleResource, rt),
            resource(zn_role::RoleResource, zn),
            resource(zn_assign::RoleAssignmentResource, zn),
        ])
    }

    /// The data sources, keyed by type name without the `rbac_` prefix.
    pub fn data_sources(&self) -> DataSources {
        use flashduty::{members_data_source as fd_members, roles_data_source as fd_roles};
        use flashduty::{permissions_data_source as fd_perms, role_data_source as fd_role};
        use rootly::{on_call_role_data_source as rt_role, on_call_roles_data_source as rt_roles};
        use slashid::{permission_data_source as sid_p, permissions_data_source as sid_ps};
        use slashid::{persons_data_source as sid_persons, role_data_source as sid_role};
        use zenml::{role_assignments_data_source as zn_assigns, roles_data_source as zn_roles};
        let (fd, sid, rt, zn) = (&self.flashduty, &self.slashid, &self.rootly, &self.zenml);
        let all = access::Vendors {
            flashduty: fd.clone(),
            rootly: rt.clone(),
            slashid: sid.clone(),
            zenml: zn.clone(),
        };
        by_type_name(vec![
            data_source(
                access::access_data_source::AccessDataSource(all.clone()),
                &access::across_vendors(),
            ),
            data_source(
                access::role_holders_data_source::RoleHoldersDataSource(all),
                &access::across_vendors(),
            ),
            data_source(fd_role::RoleDataSource, fd),
            data_source(fd_perms::PermissionsDataSource, fd),
            data_source(fd_roles::RolesDataSource, fd),
            data_source(fd_members::MembersDataSource, fd),
            data_source(slashid::roles_data_source::RolesDataSource, sid),
            data_source(sid_role::RoleDataSource, sid),
            data_source(sid_ps::PermissionsDataSource, sid),
            data_source(sid_p::PermissionDataSource, sid),
            data_source(sid_persons::PersonsDataSource, sid),
            data_source(rt_role::OnCallRoleDataSource, rt),
            data_source(rt_roles::OnCallRolesDataSource, rt),
            data_source(rootly::users_data_source::UsersDataSource, rt),
            data_source(zn_roles::RolesDataSource, zn),
            data_source(zn_assigns::RoleAssignmentsDataSource, zn),
        ])
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

/// The list as a map; a type name given twice is a programming error.
fn by_type_name<T>(list: Vec<(String, T)>) -> HashMap<String, T> {
    let listed = list.len();
    let map: HashMap<String, T> = list.into_iter().collect();
    assert_eq!(map.len(), listed, "a type name is registered twice");
    map
}

/// `resource` under its type name, served by the one generic adapter with
/// its vendor's configuration.
fn resource<R: ResourceType>(
    resource: R,
    vendor: &Arc<ProviderData<R::Vendor>>,
) -> (String, Box<dyn ResourceHandler>) {
    // Every registered type's State is checked against its schema once, here.
    #[cfg(test)]
    crate::framework::schema::assert_state_matches_schema::<R::State>(&R::schema());
    let adapter = Adapter::new(resource, vendor.clone());
    (R::TYPE_NAME.to_string(), Box::new(adapter))
}

/// `data_source` under its type name, served by the one generic adapter
/// with its vendor's configuration.
fn data_source<D: DataSourceType>(
    data_source: D,
    vendor: &Arc<ProviderData<D::Vendor>>,
) -> (String, Box<dyn DataSourceHandler>) {
    #[cfg(test)]
    crate::framework::schema::assert_state_matches_schema::<D::State>(&D::schema());
    let adapter = DataAdapter::new(data_source, vendor.clone());
    (D::TYPE_NAME.to_string(), Box::new(adapter))
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
impl ProviderHandler for RbacProvider {
    fn schema(&self) -> Schema {
        Self::provider_schema()
    }

    async fn validate(&self, diags: &mut Diagnostics, config: DynamicValue) {
        let Some(config) = config.decode::<ProviderConfig>(diags, "provider configuration") else {
            return;
        };
        validate_vendor::<FlashdutySettings>(diags, &config.flashduty);
        validate_vendor::<SlashidSettings>(diags, &config.slashid);
        validate_vendor::<RootlySettings>(diags, &config.rootly);
        validate_vendor::<ZenmlSettings>(diags, &config.zenml);
    }

    /// Never fails on a vendor's block: one that is unknown or incomplete
    /// only fails the operations that need its client, so the other
    /// vendors keep working.
    async fn configure(
        &self,
        diags: &mut Diagnostics,
        terraform_version: String,
        config: DynamicValue,
    ) {
        let Some(config) = config.decode::<ProviderConfig>(diags, "provider configuration") else {
            return;
        };
        let user_agent = crate::http::user_agent(Some(&terraform_version));
        self.flashduty
            .configure(config.flashduty, user_agent.clone());
        self.slashid.configure(config.slashid, user_agent.clone());
        self.rootly.configure(config.rootly, user_agent.clone());
        self.zenml.configure(config.zenml, user_agent);
    }

    fn resources(&self) -> Resources {
        RbacProvider::resources(self)
    }

    fn data_sources(&self) -> DataSources {
        RbacProvider::data_sources(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Registering checks each type's name and its State against its
    /// schema ([`resource`], [`data_source`]).
    #[test]
    fn every_type_is_registered_once_with_a_state_matching_its_schema() {
        let provider = RbacProvider::default();
        assert!(provider.resources().contains_key("flashduty_role"));
        assert!(provider
            .data_sources()
            .contains_key("zenml_role_assignments"));
    }

    #[test]
    fn provider_config_matches_schema() {
        crate::framework::schema::assert_state_matches_schema::<ProviderConfig>(
            &RbacProvider::provider_schema(),
        );
    }
}
