//! Import of `rbac_flashduty_role` by numeric ID or exact name.

use super::Result;
use crate::framework::resource::{Failure, Warnings};
use crate::vendors::flashduty::api::RoleItem;
use crate::vendors::flashduty::FlashdutyClient;

const FORMATS: &str =
    "Import takes a numeric role ID (terraform import rbac_flashduty_role.x 4001) \
     or an exact role name (terraform import rbac_flashduty_role.x \"On-call Manager\").";

/// The custom role `key` names. An all-digit key is tried as an ID first,
/// then as an exact name: a role may be named "12345", or "2" (the built-in
/// Admin's ID); taking the name then adds a warning that says why.
/// Built-in roles are refused: they cannot be modified or deleted.
pub(super) async fn find(
    client: &FlashdutyClient,
    key: &str,
    warnings: &mut Warnings,
) -> Result<RoleItem> {
    let by_id = match key.parse::<u64>() {
        Ok(role_id) => match client.get_role(role_id).await {
            Ok(role) => Some(role),
            Err(err) if err.is_not_found() => None,
            Err(err) => return Err(Failure::vendor(err)),
        },
        Err(_) => None,
    };
    let by_name = match &by_id {
        Some(role) if role.editable => None,
        _ => client
            .find_role_by_name(key)
            .await
            .map_err(Failure::vendor)?,
    };
    let numeric = key.parse::<u64>().is_ok();
    match (by_id, by_name) {
        (Some(role), _) if role.editable => Ok(role),
        (by_id, Some(named)) if named.editable => {
            if numeric {
                let why = match by_id {
                    None => format!("No role has ID {key}"),
                    Some(b) => format!(
                        "ID {key} is the built-in role {:?}, which cannot be managed",
                        b.role_name
                    ),
                };
                tracing::info!(role_id = named.role_id, name = %key, "imported the role with this exact name");
                warnings.add(
                    format!("Imported the Flashduty role named {key:?}"),
                    format!(
                        "{why}; the role whose name is exactly {key:?} (ID {}) was imported.",
                        named.role_id
                    ),
                );
            }
            Ok(named)
        }
        (Some(role), _) | (None, Some(role)) => Err(Failure::message(
            format!("Cannot import Flashduty role {key:?}: it is a built-in role"),
            format!(
                "{:?} (ID {}) is a built-in Flashduty role: it cannot be modified or deleted, so Terraform \
                 cannot manage it. Reference it with the `rbac_flashduty_role` data source instead.",
                role.role_name, role.role_id
            ),
        )),
        (None, None) => Err(Failure::message(
            format!("Cannot import Flashduty role {key:?}: no such role"),
            format!("No role has this ID or name in the Flashduty account. {FORMATS}"),
        )),
    }
}
