//! `/role/permission/list`: the catalogue, filtered by the permissions of
//! some roles (docs/vendors/flashduty.md, "Schemas", PermissionItem).

use std::collections::BTreeSet;

use serde::Serialize;

use super::catalog::{self, CATALOG};
use super::errors::ApiResult;
use super::store::Store;

/// A spec `PermissionItem`.
#[derive(Debug, Serialize)]
pub struct PermissionItem {
    id: u64,
    permission_name: &'static str,
    permission_type: catalog::PermissionType,
    description: &'static str,
    class: &'static str,
    scope: &'static str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_granted: Option<bool>,
}

impl Store {
    /// `/role/permission/list`: `role_ids` alone → the permissions granted to
    /// those roles; `with_all` → the whole catalogue with `is_granted`;
    /// neither → the whole catalogue.
    // Unverified (docs/vendors/flashduty.md, "Behaviour the provider depends
    // on"): an unknown role ID in role_ids gives ResourceNotFound.
    pub fn permission_list(
        &self,
        role_ids: &[u64],
        with_all: bool,
    ) -> ApiResult<Vec<PermissionItem>> {
        let mut granted = BTreeSet::new();
        for id in role_ids {
            granted.extend(self.role(*id)?.permission_ids.iter().copied());
        }
        let filter = !role_ids.is_empty() && !with_all;
        Ok(CATALOG
            .iter()
            .filter(|p| !filter || granted.contains(&p.id))
            .map(|p| {
                let (class, scope) = p.module.class_scope();
                PermissionItem {
                    id: p.id,
                    permission_name: p.name,
                    permission_type: p.kind,
                    description: p.description,
                    class,
                    scope,
                    status: "enabled",
                    is_granted: with_all.then(|| granted.contains(&p.id)),
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::super::store::RoleUpsertRequest;
    use super::*;

    #[test]
    fn flashduty_store_permission_filters() {
        let mut s = Store::seeded();
        let id = s
            .upsert(RoleUpsertRequest::for_test(
                None,
                "r",
                Some(vec![502, 501, 502]),
            ))
            .unwrap()
            .role_id;
        assert_eq!(s.info(id).unwrap().permission_ids.len(), 2);
        let only = s.permission_list(&[id], false).unwrap();
        assert_eq!(
            only.iter().map(|p| p.id).collect::<Vec<_>>(),
            vec![501, 502]
        );
        let all = s.permission_list(&[id], true).unwrap();
        assert_eq!(all.len(), CATALOG.len());
        assert_eq!(all.iter().filter(|p| p.is_granted == Some(true)).count(), 2);
        assert!(s
            .permission_list(&[], false)
            .unwrap()
            .iter()
            .all(|p| p.is_granted.is_none()));
        assert!(s.permission_list(&[9999], false).is_err());
    }
}
