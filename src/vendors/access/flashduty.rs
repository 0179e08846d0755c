//! Flashduty's part of an access review (docs/vendors/flashduty.md
//! "People and lookups"): every member with `account_role_ids` from the
//! pages of `/member/list`, role names from one `/role/list`, permission
//! names from one `/role/permission/list`. ⌈members/100⌉ + 2 calls,
//! whatever the number of people reviewed. The listing's `query` is not
//! used: which fields it searches is unverified, and one query per person
//! would cost N walks.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::model::{grant_list, known, nullable, permission_set, FlashdutyAccount, Grant};
use super::model::{Holder, RoleInfo};
use crate::framework::plan::number_set;
use crate::vendors::flashduty::api::{FlashdutyClient, MemberItem};
use crate::vendors::flashduty::FlashdutyError;

/// The accounts of the `wanted` emails (lower case) that have one.
pub async fn accounts(
    client: &FlashdutyClient,
    wanted: &HashSet<String>,
) -> Result<HashMap<String, FlashdutyAccount>, FlashdutyError> {
    let mut found: HashMap<String, MemberItem> = HashMap::new();
    for m in client.list_members(None).await? {
        let email = m.email.to_lowercase();
        if !m.is_deleted() && wanted.contains(&email) {
            found.entry(email).or_insert(m);
        }
    }
    if found.is_empty() {
        return Ok(HashMap::new());
    }
    let roles = client.list_roles().await?;
    let catalogue = client.permission_catalogue().await?;
    let names: HashMap<u64, &str> = catalogue
        .iter()
        .map(|p| (p.id, p.permission_name.as_str()))
        .collect();
    Ok(found
        .into_iter()
        .map(|(email, m)| {
            let mut grants = Vec::new();
            let mut permissions = BTreeSet::new();
            for id in m.role_ids() {
                let role = roles.iter().find(|r| r.role_id == id);
                let name = role.map_or_else(|| id.to_string(), |r| r.role_name.clone());
                let built_in = role.is_some_and(|r| !r.editable);
                grants.push(Grant::direct(id.to_string(), name, built_in));
                for p in role.map(|r| r.permission_ids.as_slice()).unwrap_or(&[]) {
                    // An ID the catalogue lacks is kept, as its number.
                    permissions.insert(
                        names
                            .get(p)
                            .map_or_else(|| p.to_string(), |n| n.to_string()),
                    );
                }
            }
            let role_ids: Vec<i64> = m.role_ids().into_iter().map(|id| id as i64).collect();
            let account = FlashdutyAccount {
                member_id: known(m.member_id as i64),
                member_name: known(m.member_name.clone()),
                email: known(m.email.clone()),
                status: nullable(Some(m.status.clone()).filter(|s| !s.is_empty())),
                role_ids: number_set(&role_ids),
                roles: grant_list(grants),
                permissions: permission_set(permissions),
            };
            (email, account)
        })
        .collect())
}

/// The role and its holders: one `/role/list` and the pages of
/// `/member/list` filtered by `role_id`. `None` when no such role exists.
pub async fn holders(
    client: &FlashdutyClient,
    role_id: u64,
) -> Result<Option<(RoleInfo, Vec<Holder>)>, FlashdutyError> {
    let Some(role) = client
        .list_roles()
        .await?
        .into_iter()
        .find(|r| r.role_id == role_id)
    else {
        return Ok(None);
    };
    let holders = client
        .list_role_holders(role_id)
        .await?
        .into_iter()
        // The filter is the vendor's; the check is ours too, so that a
        // filter the API ignored can never list a non-holder.
        .filter(|m| !m.is_deleted() && m.role_ids().contains(&role_id))
        .map(|m| {
            let name = Some(m.member_name).filter(|n| !n.is_empty());
            Holder::direct(m.member_id.to_string(), m.email, name)
        })
        .collect();
    let info = RoleInfo {
        name: role.role_name,
        built_in: !role.editable,
    };
    Ok(Some((info, holders)))
}
