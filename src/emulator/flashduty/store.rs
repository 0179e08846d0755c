//! One Flashduty account's roles (and members, see `members.rs`), with the
//! vendor's validation and not-found rules (docs/vendors/flashduty.md, "Schemas"
//! and "Behaviour the provider depends on").

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::catalog;
use super::errors::{ApiError, ApiResult};
use super::listing::{now, OrderBy};
use super::members::{seed_members, Member};

/// Built-in role IDs (vendor CLI help: 2=Admin, 6=Responder, 8=Viewer).
pub const ADMIN_ROLE_ID: u64 = 2;
/// The preset Responder.
pub const RESPONDER_ROLE_ID: u64 = 6;
/// The preset Viewer.
pub const VIEWER_ROLE_ID: u64 = 8;
/// First custom role ID; IDs only grow and are never reused.
pub const FIRST_CUSTOM_ROLE_ID: u64 = 4001;
/// `role_name`: 1–39 characters (counted as Unicode scalar values).
pub const ROLE_NAME_MAX: usize = 39;
/// `description`: at most 499 characters.
pub const DESCRIPTION_MAX: usize = 499;
/// Creation time of the built-ins, as in the spec's list example.
const PRESET_TIME: i64 = 1_700_000_000;

/// `status` of a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoleStatus {
    /// Grants its permissions.
    Enabled,
    /// Grants nothing until enabled again.
    Disabled,
}

/// A role; serialises exactly as the spec's `RoleItem`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// Unique ID.
    pub role_id: u64,
    /// Unique per account, compared exactly.
    pub role_name: String,
    /// `""` when empty.
    pub description: String,
    /// Enabled or disabled.
    pub status: RoleStatus,
    /// A set; serialised in ascending order.
    pub permission_ids: BTreeSet<u64>,
    /// `false` for built-ins.
    pub editable: bool,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds; changes on every write.
    pub updated_at: i64,
}

/// The account's state, as persisted in the `--state` file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Store {
    pub(super) next_role_id: u64,
    pub(super) roles: BTreeMap<u64, Role>,
    #[serde(default)]
    pub(super) members: BTreeMap<u64, Member>,
}

/// Body of `/role/upsert` (spec `RoleUpsertRequest`).
#[derive(Debug, Deserialize)]
pub struct RoleUpsertRequest {
    #[serde(default)]
    role_id: Option<u64>,
    #[serde(default)]
    role_name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    permission_ids: Option<Vec<u64>>,
}

#[cfg(test)]
impl RoleUpsertRequest {
    pub(super) fn for_test(
        role_id: Option<u64>,
        name: &str,
        permission_ids: Option<Vec<u64>>,
    ) -> Self {
        RoleUpsertRequest {
            role_id,
            role_name: Some(name.to_string()),
            description: None,
            permission_ids,
        }
    }
}

/// `data` of `/role/upsert`.
#[derive(Debug, Serialize)]
pub struct RoleUpsertResponse {
    /// The created or updated role.
    pub role_id: u64,
    /// Echoed from the request.
    pub role_name: String,
}

/// `data` of `/role/list`.
#[derive(Debug, Serialize)]
pub struct RoleList {
    total: usize,
    items: Vec<Role>,
}

fn preset(role_id: u64, name: &str, permission_ids: Vec<u64>) -> Role {
    Role {
        role_id,
        role_name: name.to_string(),
        description: String::new(),
        status: RoleStatus::Enabled,
        permission_ids: permission_ids.into_iter().collect(),
        editable: false,
        created_at: PRESET_TIME,
        updated_at: PRESET_TIME,
    }
}

fn not_found(role_id: u64) -> ApiError {
    ApiError::not_found(format!("role {role_id} not found"))
}

// Unverified (docs/vendors/flashduty.md, "Behaviour the provider depends on"):
// the error for touching a preset role; we send InvalidParameter.
fn preset_error() -> ApiError {
    ApiError::invalid("preset role can not be modified")
}

impl Store {
    /// A fresh account: the three presets and a few members.
    pub fn seeded() -> Self {
        let roles = [
            // Unverified (docs/vendors/flashduty.md, "Schemas"): the spec example shows the
            // Admin with `permission_ids: []`, although it has all permissions.
            preset(ADMIN_ROLE_ID, "Admin", Vec::new()),
            preset(
                RESPONDER_ROLE_ID,
                "Responder",
                catalog::responder_permissions(),
            ),
            preset(VIEWER_ROLE_ID, "Viewer", catalog::viewer_permissions()),
        ];
        Store {
            next_role_id: FIRST_CUSTOM_ROLE_ID,
            roles: roles.into_iter().map(|r| (r.role_id, r)).collect(),
            members: seed_members(),
        }
    }

    /// A loaded store made consistent: presets present, next ID past every ID.
    pub fn repaired(mut self) -> Self {
        for (id, role) in Store::seeded().roles {
            self.roles.entry(id).or_insert(role);
        }
        let past_max = self.roles.keys().max().map_or(0, |m| m + 1);
        self.next_role_id = self.next_role_id.max(past_max).max(FIRST_CUSTOM_ROLE_ID);
        self
    }

    pub(super) fn role(&self, role_id: u64) -> ApiResult<&Role> {
        self.roles.get(&role_id).ok_or_else(|| not_found(role_id))
    }

    fn editable_role(&mut self, role_id: u64) -> ApiResult<&mut Role> {
        let role = self
            .roles
            .get_mut(&role_id)
            .ok_or_else(|| not_found(role_id))?;
        if !role.editable {
            return Err(preset_error());
        }
        Ok(role)
    }

    pub(super) fn role_exists(&self, role_id: u64) -> bool {
        self.roles.contains_key(&role_id)
    }

    /// `/role/upsert`: `role_id` absent or 0 creates, otherwise updates.
    pub fn upsert(&mut self, req: RoleUpsertRequest) -> ApiResult<RoleUpsertResponse> {
        let name = req.role_name.unwrap_or_default();
        let name_len = name.chars().count();
        // Unverified (docs/vendors/flashduty.md, "Behaviour the provider
        // depends on"): limits are counted in bytes or characters; we count
        // Unicode scalar values.
        if name_len == 0 {
            return Err(ApiError::invalid(
                "role_name is required (1 to 39 characters)",
            ));
        }
        if name_len > ROLE_NAME_MAX {
            return Err(ApiError::invalid(format!(
                "role_name must be 1 to {ROLE_NAME_MAX} characters, got {name_len}"
            )));
        }
        // Unverified (docs/vendors/flashduty.md, "Behaviour the provider
        // depends on"): an omitted description on update resets it to "".
        let description = req.description.unwrap_or_default();
        let desc_len = description.chars().count();
        if desc_len > DESCRIPTION_MAX {
            return Err(ApiError::invalid(format!(
                "description must be at most {DESCRIPTION_MAX} characters, got {desc_len}"
            )));
        }
        let role_id = req.role_id.filter(|id| *id != 0);
        if let Some(id) = role_id {
            self.editable_role(id)?;
        }
        // Omitted permission_ids clears them on update (vendor CLI,
        // flashcatcloud/flashduty-cli `skills/flashduty/reference/role.md`;
        // docs/vendors/flashduty.md, "Behaviour the provider depends on").
        // Stored as sent: whether Manage also grants its Read ID in /role/info
        // is unverified, so we don't add it.
        let permission_ids: BTreeSet<u64> =
            req.permission_ids.unwrap_or_default().into_iter().collect();
        if let Some(bad) = permission_ids
            .iter()
            .find(|id| catalog::permission(**id).is_none())
        {
            return Err(ApiError::invalid(format!(
                "permission_id {bad} does not exist"
            )));
        }
        // Unverified (docs/vendors/flashduty.md, "Behaviour the provider
        // depends on"): duplicate names are compared exactly
        // (case-sensitively), presets included, and refused with
        // InvalidParameter.
        if self
            .roles
            .values()
            .any(|r| r.role_name == name && Some(r.role_id) != role_id)
        {
            return Err(ApiError::invalid(format!(
                "role name {name:?} already exists"
            )));
        }
        let now = now();
        let role_id = match role_id {
            Some(id) => {
                let role = self.editable_role(id)?;
                role.role_name = name.clone();
                role.description = description;
                role.permission_ids = permission_ids;
                role.updated_at = now;
                id
            }
            None => {
                let id = self.next_role_id;
                self.next_role_id += 1;
                let role = Role {
                    role_id: id,
                    role_name: name.clone(),
                    description,
                    // Unverified (docs/vendors/flashduty.md, "Behaviour the provider depends on"):
                    // a new role starts enabled.
                    status: RoleStatus::Enabled,
                    permission_ids,
                    editable: true,
                    created_at: now,
                    updated_at: now,
                };
                self.roles.insert(id, role);
                id
            }
        };
        Ok(RoleUpsertResponse {
            role_id,
            role_name: name,
        })
    }

    /// `/role/info`: a missing role is 400 `ResourceNotFound`, not 404.
    pub fn info(&self, role_id: u64) -> ApiResult<Role> {
        self.role(role_id).cloned()
    }

    /// `/role/list`: every role, presets included, no pagination. Ties are
    /// broken by role ID in the same direction.
    pub fn list(&self, orderby: OrderBy, asc: bool) -> RoleList {
        let mut items: Vec<Role> = self.roles.values().cloned().collect();
        items.sort_by_key(|r| match orderby {
            OrderBy::CreatedAt => (r.created_at, r.role_id),
            OrderBy::UpdatedAt => (r.updated_at, r.role_id),
        });
        if !asc {
            items.reverse();
        }
        RoleList {
            total: items.len(),
            items,
        }
    }

    /// `/role/delete`: permanent, and revokes the role from every member.
    // Unverified (docs/vendors/flashduty.md, "Behaviour the provider depends
    // on"): deleting a missing ID gives ResourceNotFound (not success).
    pub fn delete(&mut self, role_id: u64) -> ApiResult<()> {
        self.editable_role(role_id)?;
        self.roles.remove(&role_id);
        let now = now();
        for m in self.members.values_mut() {
            if m.account_role_ids.remove(&role_id) {
                m.updated_at = now;
            }
        }
        Ok(())
    }

    /// `/role/enable` and `/role/disable`.
    // Unverified (docs/vendors/flashduty.md, "Behaviour the provider depends
    // on"): both are idempotent (no error when the role already has that
    // status); updated_at changes either way.
    pub fn set_status(&mut self, role_id: u64, status: RoleStatus) -> ApiResult<()> {
        let role = self.editable_role(role_id)?;
        role.status = status;
        role.updated_at = now();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upsert(id: Option<u64>, name: &str, perms: Option<Vec<u64>>) -> RoleUpsertRequest {
        RoleUpsertRequest::for_test(id, name, perms)
    }

    #[test]
    fn flashduty_store_ids_grow_and_are_not_reused() {
        let mut s = Store::seeded();
        let a = s.upsert(upsert(None, "a", None)).unwrap().role_id;
        let b = s.upsert(upsert(Some(0), "b", None)).unwrap().role_id;
        assert_eq!((a, b), (4001, 4002));
        s.delete(b).unwrap();
        let c = s.upsert(upsert(None, "c", None)).unwrap().role_id;
        assert_eq!(c, 4003);
        let s = s.repaired();
        assert_eq!(s.next_role_id, 4004);
    }
}
