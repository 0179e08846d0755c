//! The writes of `rbac_flashduty_role` past the upsert itself: the
//! explanation of a failed create, and the status call that follows a
//! create or update.

use crate::framework::tf::AttributePath;
use crate::framework::tf::Value;

use super::{Private, Result, RoleState};
use crate::framework::resource::Failure;
use crate::vendors::flashduty::{FlashdutyClient, FlashdutyError};

fn wants_enabled(state: &RoleState) -> bool {
    state.status.as_ref_option().map(String::as_str) != Some("disabled")
}

/// Explains a failed create; a duplicate name gets a hint to import.
pub(super) async fn create_failure(
    client: &FlashdutyClient,
    name: &str,
    err: FlashdutyError,
) -> Failure<RoleState, Private> {
    // A lost create settled as refused (the name was there before it) gets
    // the same advice as a refusal.
    if err.code() == Some("InvalidParameter") || err.taken_before().is_some() {
        if let Ok(Some(existing)) = client.find_role_by_name(name).await {
            // The duplicate-name error code is unverified (docs/vendors/flashduty.md,
            // "Behaviour the provider depends on"),
            // so we confirm by looking the name up. Built-ins are `editable: false`.
            let said = format!("Flashduty said: {err}");
            let detail = if existing.editable {
                crate::vendors::conflict::name_taken(
                    "Flashduty role",
                    name,
                    &existing.role_id.to_string(),
                    &said,
                )
            } else {
                crate::vendors::conflict::name_reserved(
                    "Flashduty role",
                    name,
                    "To give members the built-in role, reference it with the `rbac_flashduty_role` data source.",
                    &said,
                )
            };
            return Failure::attribute(
                AttributePath::new("role_name"),
                format!("A Flashduty role named {name:?} already exists"),
                detail,
            );
        }
    }
    Failure::vendor(err)
}

/// The state after a confirmed write: the plan plus the role ID. Nothing is
/// read back: `/role/upsert` answers only `role_id` and `role_name`, and every
/// other attribute of the state is what was sent (docs/vendors/flashduty.md,
/// "Behaviour the provider depends on"), so a write costs one request. The status changes only
/// through `/role/enable` and `/role/disable`, so that call is made only
/// when the status changes; a new role starts `enabled` (**unverified**, the
/// vendor's presumption: were it wrong, the next refresh shows the drift and
/// the next apply corrects it). The ID is always kept, so a role that exists
/// in Flashduty is never lost from Terraform's state when the status call
/// fails: the state then holds the status the role still has.
pub(super) async fn finish_write(
    client: &FlashdutyClient,
    role_id: u64,
    planned: &RoleState,
    current_status: Option<&str>,
) -> Result<RoleState> {
    let mut state = RoleState {
        id: Value::Value(role_id.to_string()),
        ..planned.clone()
    };
    let enabled = wants_enabled(planned);
    if current_status == Some(if enabled { "enabled" } else { "disabled" }) {
        return Ok(state);
    }
    match client.set_role_status(role_id, enabled).await {
        Ok(()) => Ok(state),
        Err(err) => {
            state.status = Value::Value(current_status.unwrap_or("enabled").to_string());
            Err(Failure::message(
                format!("Error setting the status of Flashduty role {role_id}"),
                err.to_string(),
            )
            .keep(state))
        }
    }
}
