//! The permission catalogue: `/role/permission/list`
//! (docs/vendors/flashduty.md, "Role endpoints").

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::FlashdutyClient;
use crate::vendors::flashduty::FlashdutyError;

/// A permission of the catalogue (`PermissionItem`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionItem {
    pub id: u64,
    pub permission_name: String,
    pub permission_type: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub class: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub status: String,
}

#[derive(Debug, Deserialize)]
struct PermissionListResponse {
    items: Vec<PermissionItem>,
}

impl FlashdutyClient {
    /// `POST /role/permission/list` with no filter: the whole catalogue.
    pub async fn list_permissions(&self) -> Result<Vec<PermissionItem>, FlashdutyError> {
        let list: PermissionListResponse = self
            .call("/role/permission/list", &serde_json::json!({}), true)
            .await?;
        Ok(list.items)
    }

    /// The whole catalogue, listed on first use and then cached for the
    /// life of the client (a failed listing is not cached).
    pub async fn permission_catalogue(&self) -> Result<Arc<Vec<PermissionItem>>, FlashdutyError> {
        self.catalogue
            .get_or_try_init(|| async { self.list_permissions().await.map(Arc::new) })
            .await
            .cloned()
    }
}
