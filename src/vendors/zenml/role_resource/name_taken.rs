//! The advice of `rbac_zenml_role` when ZenML answers a create with 409:
//! the name belongs to a built-in role, or to a custom role to import.

use crate::vendors::zenml::api::{RoleCreate, ZenmlClient};
use crate::vendors::zenml::error::ZenmlError;

/// Why a create got 409: a built-in's name (ZenML's system-managed roles
/// repeat Admin/Editor/Viewer per level), or a custom role's.
pub(super) async fn detail(client: &ZenmlClient, body: &RoleCreate, err: &ZenmlError) -> String {
    let name = body.name.as_deref().unwrap_or_default();
    let built_in = client
        .list_roles(&body.organization_id, Some(&body.level), Some(name))
        .await
        .is_ok_and(|roles| {
            roles
                .iter()
                .any(|r| r.system_managed && r.name.as_deref() == Some(name))
        });
    let kind = format!("ZenML {} role", body.level);
    if built_in {
        crate::vendors::conflict::name_reserved(
            &kind,
            name,
            "To grant the built-in role, find it with the `rbac_zenml_roles` data source and assign it with \
             `rbac_zenml_role_assignment`.",
            &err.to_string(),
        )
    } else {
        crate::vendors::conflict::name_taken(
            &kind,
            name,
            &format!("{}/{name}", body.organization_id),
            &err.to_string(),
        )
    }
}
