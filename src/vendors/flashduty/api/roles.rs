//! Custom and built-in roles: `/role/upsert`, `/role/info`, `/role/list`,
//! `/role/delete`, `/role/enable` and `/role/disable`
//! (docs/vendors/flashduty.md, "Role endpoints").

use serde::{Deserialize, Serialize};

use super::FlashdutyClient;
use crate::vendors::flashduty::FlashdutyError;
use crate::vendors::lost_create::create::{reconcile_create, Lookup};
use crate::vendors::lost_create::settle::{settle, Before, Found, Names};

/// A role as Flashduty returns it (`RoleItem`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleItem {
    pub role_id: u64,
    pub role_name: String,
    #[serde(default)]
    pub description: String,
    pub status: String,
    #[serde(default)]
    pub permission_ids: Vec<u64>,
    pub editable: bool,
    #[serde(default)]
    pub created_at: i64,
    #[serde(default)]
    pub updated_at: i64,
}

/// Body of `/role/upsert`. All three fields are always sent: the call
/// replaces the whole role, and an omitted `permission_ids` clears the
/// permissions (docs/vendors/flashduty.md, "Schemas").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleUpsertRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_id: Option<u64>,
    pub role_name: String,
    pub description: String,
    pub permission_ids: Vec<u64>,
}

#[derive(Debug, Deserialize)]
struct RoleUpsertResponse {
    role_id: u64,
}

#[derive(Debug, Deserialize)]
struct RoleListResponse {
    items: Vec<RoleItem>,
}

#[derive(Debug, Serialize)]
struct RoleIdRequest {
    role_id: u64,
}

impl FlashdutyClient {
    /// What was there before a create of `role_name` (see
    /// [`crate::vendors::lost_create::settle`]): one `/role/list` per run, before the
    /// first create.
    pub async fn before_create(&self, role_name: &str) -> Result<Before, FlashdutyError> {
        self.before
            .before("", role_name, || async {
                let roles = self.list_roles().await?;
                Ok(roles
                    .into_iter()
                    .map(|r| (r.role_name, r.role_id.to_string()))
                    .collect())
            })
            .await
    }

    /// `POST /role/upsert` without `role_id`: creates a custom role and
    /// returns its ID. A create is not idempotent, so when its outcome is
    /// unknown (connection lost, 5xx) the role is looked up by its unique
    /// name instead of being created twice: only a role that was not there
    /// before the create (`before`) and has exactly the requested content
    /// is adopted.
    pub async fn create_role(
        &self,
        body: &RoleUpsertRequest,
        before: &Before,
    ) -> Result<u64, FlashdutyError> {
        let body = RoleUpsertRequest {
            role_id: None,
            ..body.clone()
        };
        let body = &body;
        reconcile_create(
            &body.role_name,
            || async move {
                self.snapshot
                    .write(self.call::<_, RoleUpsertResponse>("/role/upsert", body, false))
                    .await
                    .map(|created| created.role_id)
            },
            |_since| async move {
                Ok(self
                    .find_created_role(body, Some(before))
                    .await?
                    .map(|r| r.role_id))
            },
        )
        .await
    }

    /// Whether a create of `body` whose outcome is unknown made a role:
    /// the role of that (unique) name, if it was not there before the
    /// create (`before`) and has exactly the requested description and
    /// permissions (see [`settle`]). Used right after the create and, when
    /// that lookup kept failing, by the next refresh of the pending role
    /// ([`crate::vendors::lost_create::pending`]).
    pub async fn find_created_role(
        &self,
        body: &RoleUpsertRequest,
        before: Option<&Before>,
    ) -> Result<Lookup<RoleItem>, FlashdutyError> {
        let found = self
            .list_roles()
            .await?
            .into_iter()
            .filter(|r| r.role_name == body.role_name)
            .map(|role| Found {
                id: role.role_id.to_string(),
                // `created_at` counts whole seconds: too coarse to tell a
                // role made just before the create from ours.
                created: None,
                same: role.description == body.description
                    && sorted(&role.permission_ids) == sorted(&body.permission_ids),
                object: role,
            })
            .collect();
        Ok(settle(found, before, None, None, Names::Unique))
    }

    /// `POST /role/upsert` with `role_id`: replaces the role's name,
    /// description and permission set (idempotent, so it is retried).
    pub async fn update_role(&self, body: &RoleUpsertRequest) -> Result<(), FlashdutyError> {
        self.snapshot
            .write(self.call::<_, serde_json::Value>("/role/upsert", body, true))
            .await
            .map(|_| ())
    }

    /// `POST /role/info`: the role, or an error whose `is_not_found()` is true.
    pub async fn get_role(&self, role_id: u64) -> Result<RoleItem, FlashdutyError> {
        self.call("/role/info", &RoleIdRequest { role_id }, true)
            .await
    }

    /// `POST /role/list`: every role, built-in and custom (no pagination).
    pub async fn list_roles(&self) -> Result<Vec<RoleItem>, FlashdutyError> {
        let list: RoleListResponse = self
            .call("/role/list", &serde_json::json!({}), true)
            .await?;
        Ok(list.items)
    }

    /// One role for a refresh. Reads of many roles at once share one
    /// `/role/list` call (it returns every role in full) instead of one
    /// `/role/info` each; `None` when the role does not exist.
    pub async fn read_role(&self, role_id: u64) -> Result<Option<RoleItem>, FlashdutyError> {
        self.snapshot
            .get(&role_id, || async {
                let roles = self.list_roles().await?;
                Ok(roles.into_iter().map(|r| (r.role_id, r)).collect())
            })
            .await
    }

    /// The role named exactly `role_name`, if any.
    pub async fn find_role_by_name(
        &self,
        role_name: &str,
    ) -> Result<Option<RoleItem>, FlashdutyError> {
        Ok(self
            .list_roles()
            .await?
            .into_iter()
            .find(|r| r.role_name == role_name))
    }

    /// `POST /role/delete`. Deleting is permanent and revokes the role from
    /// every member.
    pub async fn delete_role(&self, role_id: u64) -> Result<(), FlashdutyError> {
        let body = RoleIdRequest { role_id };
        let delete = self.call::<_, serde_json::Value>("/role/delete", &body, true);
        self.snapshot.write(delete).await.map(|_| ())
    }

    /// `POST /role/enable` or `/role/disable`: the status changes only
    /// through these calls, never through upsert.
    pub async fn set_role_status(&self, role_id: u64, enabled: bool) -> Result<(), FlashdutyError> {
        let path = if enabled {
            "/role/enable"
        } else {
            "/role/disable"
        };
        let body = RoleIdRequest { role_id };
        let request = self.call::<_, serde_json::Value>(path, &body, true);
        self.snapshot.write(request).await.map(|_| ())
    }
}

fn sorted(ids: &[u64]) -> Vec<u64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upsert_request_json_always_carries_all_fields() {
        let create = RoleUpsertRequest {
            role_id: None,
            role_name: "On-call Manager".into(),
            description: String::new(),
            permission_ids: vec![],
        };
        assert_eq!(
            serde_json::to_value(&create).unwrap(),
            serde_json::json!({"role_name": "On-call Manager", "description": "", "permission_ids": []})
        );
        let update = RoleUpsertRequest {
            role_id: Some(150),
            permission_ids: vec![501, 502],
            ..create
        };
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            serde_json::json!({"role_id": 150, "role_name": "On-call Manager", "description": "", "permission_ids": [501, 502]})
        );
    }
}
