//! Import of `rbac_zenml_role`, by UUID or by `<organization_id>/<name>`.
//! Only custom roles can be imported: ZenML never lets a built-in role be
//! changed or deleted.

use super::convert::state_from;
use super::RoleState;
use crate::framework::resource::{Failure, Outcome};
use crate::vendors::zenml::api::{Role, ZenmlClient};
use crate::vendors::zenml::ids::is_uuid;

/// Import formats, for error messages.
const IMPORT_FORMATS: &str = "Import takes the role's UUID \
     (terraform import rbac_zenml_role.x 3f0c…) or `<organization_id>/<name>` \
     (terraform import rbac_zenml_role.x 0b5e6a62-…/ml-engineers).";

/// The state of the one custom role `key` names.
pub(super) async fn import(
    client: &ZenmlClient,
    key: &str,
) -> Outcome<RoleState, RoleState, super::Private> {
    let found = if is_uuid(key) {
        match client.get_role(key).await {
            Ok(role) => Ok(vec![role]),
            Err(err) if err.is_not_found() => Ok(vec![]),
            Err(err) => Err(err),
        }
    } else if let Some((org, name)) = key.split_once('/').filter(|(org, _)| is_uuid(org)) {
        client.list_roles(org, None, Some(name)).await.map(|roles| {
            roles
                .into_iter()
                .filter(|r| r.name.as_deref() == Some(name))
                .collect()
        })
    } else {
        return Err(Failure::message(
            format!("Cannot import ZenML role {key:?}: unrecognised ID"),
            IMPORT_FORMATS,
        ));
    };
    let roles: Vec<Role> = found.map_err(Failure::vendor)?;
    let custom: Vec<&Role> = roles.iter().filter(|r| !r.system_managed).collect();
    match (custom.as_slice(), roles.first()) {
        ([role], _) => Ok(state_from(role, None)),
        ([], None) => Err(Failure::message(
            format!("Cannot import ZenML role {key:?}: no such role"),
            format!("No role has this ID or name. {IMPORT_FORMATS}"),
        )),
        ([], Some(role)) => Err(Failure::message(
            format!("Cannot import ZenML role {key:?}: it is a built-in role"),
            format!(
                "Role {} ({} level) is system-managed: ZenML does not let it be changed or deleted, \
                 so Terraform cannot manage it. Refer to it with the rbac_zenml_roles data source.",
                role.id, role.level
            ),
        )),
        (several, _) => {
            let list: Vec<String> = several
                .iter()
                .map(|r| format!("{} ({} level)", r.id, r.level))
                .collect();
            Err(Failure::message(
                format!("Cannot import ZenML role {key:?}: the name is ambiguous"),
                format!(
                    "Several custom roles of the organization have this name: {}. Import one by UUID.",
                    list.join(", ")
                ),
            ))
        }
    }
}
