//! Rootly's part of an access review (docs/vendors/rootly.md "People and
//! lookups"): every user from the pages of
//! `GET /v1/users?include=on_call_role`, and the on-call roles (names and
//! permission families) from the pages of `GET /v1/on_call_roles`.
//! ⌈users/page⌉ + ⌈roles/page⌉ calls, whatever the number of people.
//!
//! Only the on-call role is read: it is what this provider manages. A
//! user's base (organization) role (`role` relationship, `/v1/roles`) is not
//! in our references' fixture and is left out.

use std::collections::{HashMap, HashSet};

use super::model::RootlyAccount;
use super::model::{grant_list, known, nullable, permission_set, Grant, Holder, RoleInfo};
use crate::vendors::rootly::api::{ListFilters, OnCallRole, RootlyClient, RootlyUser, UserFilters};
use crate::vendors::rootly::RootlyError;

/// `include=on_call_role`: the linkage is then certain in every user
/// object (JSON:API full linkage), see [`UserFilters::include`].
fn every_user() -> UserFilters {
    UserFilters {
        include: Some("on_call_role".into()),
        ..UserFilters::default()
    }
}

fn is_built_in(role: &OnCallRole) -> bool {
    role.system_role != "custom"
}

/// `<family>.<action>` for every permission of the role.
fn permissions(role: &OnCallRole) -> Vec<String> {
    role.permissions
        .iter()
        .flat_map(|(family, actions)| actions.iter().map(move |a| format!("{family}.{a}")))
        .collect()
}

/// The accounts of the `wanted` emails (lower case) that have one.
pub async fn accounts(
    client: &RootlyClient,
    wanted: &HashSet<String>,
) -> Result<HashMap<String, RootlyAccount>, RootlyError> {
    let mut found: HashMap<String, RootlyUser> = HashMap::new();
    for u in client.list_users(&every_user()).await? {
        let email = u.email.to_lowercase();
        if wanted.contains(&email) {
            found.entry(email).or_insert(u);
        }
    }
    let roles = if found.values().any(|u| u.on_call_role_id.is_some()) {
        client.list_roles(&ListFilters::default()).await?
    } else {
        Vec::new()
    };
    Ok(found
        .into_iter()
        .map(|(email, u)| {
            let role = u
                .on_call_role_id
                .as_ref()
                .and_then(|id| roles.iter().find(|r| r.id == *id));
            let grants = match (&u.on_call_role_id, role) {
                (Some(_), Some(r)) => {
                    vec![Grant::direct(r.id.clone(), r.name.clone(), is_built_in(r))]
                }
                // Linked but not listed (deleted meanwhile): the ID alone.
                (Some(id), None) => vec![Grant {
                    built_in: crate::framework::tf::Value::Null,
                    ..Grant::direct(id.clone(), id.clone(), false)
                }],
                (None, _) => Vec::new(),
            };
            let account = RootlyAccount {
                user_id: known(u.id.clone()),
                full_name: nullable(u.full_name.clone()),
                email: known(u.email.clone()),
                on_call_role_id: nullable(u.on_call_role_id.clone()),
                roles: grant_list(grants),
                permissions: permission_set(role.map(permissions).unwrap_or_default()),
            };
            (email, account)
        })
        .collect())
}

/// The on-call role and the users holding it: one `GET` of the role and
/// the pages of the user listing (Rootly documents no filter by on-call
/// role). `None` when no such role exists.
pub async fn holders(
    client: &RootlyClient,
    role_id: &str,
) -> Result<Option<(RoleInfo, Vec<Holder>)>, RootlyError> {
    let role = match client.get_role(role_id).await {
        Ok(role) => role,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e),
    };
    let holders = client
        .list_users(&every_user())
        .await?
        .into_iter()
        .filter(|u| u.on_call_role_id.as_deref() == Some(role.id.as_str()))
        .map(|u| Holder::direct(u.id, u.email, u.full_name))
        .collect();
    let info = RoleInfo {
        name: role.name.clone(),
        built_in: is_built_in(&role),
    };
    Ok(Some((info, holders)))
}
