//! Who holds which role in Flashduty and Rootly, and the plural data
//! sources that let a configuration adopt an existing account
//! (`examples/scenarios/adopt-existing-account/`). Registered by
//! `provider.rs` with one line each for resources and data sources.

use std::sync::Arc;

use tf_provider::{DynamicDataSource, DynamicResource};

use super::{flashduty, rootly};
use crate::provider::ProviderData;

/// `rbac_flashduty_member_roles` and `rbac_rootly_user_on_call_role`,
/// keyed by type name without the `rbac_` prefix.
pub fn resources(data: &Arc<ProviderData>) -> Vec<(String, Box<dyn DynamicResource>)> {
    vec![
        (
            "flashduty_member_roles".into(),
            Box::new(flashduty::member_roles_resource::MemberRolesResource::new(
                data.clone(),
            )),
        ),
        (
            "rootly_user_on_call_role".into(),
            Box::new(rootly::user_on_call_role_resource::UserOnCallRoleResource::new(data.clone())),
        ),
    ]
}

/// `rbac_flashduty_members`, `rbac_flashduty_roles` and `rbac_rootly_users`.
pub fn data_sources(data: &Arc<ProviderData>) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    vec![
        (
            "flashduty_members".into(),
            Box::new(flashduty::members_data_source::MembersDataSource::new(
                data.clone(),
            )),
        ),
        (
            "flashduty_roles".into(),
            Box::new(flashduty::roles_data_source::RolesDataSource::new(
                data.clone(),
            )),
        ),
        (
            "rootly_users".into(),
            Box::new(rootly::users_data_source::UsersDataSource::new(
                data.clone(),
            )),
        ),
    ]
}
