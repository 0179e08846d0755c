//! SlashID's part of an access review (docs/vendors/slashid.md "People and
//! lookups"): every person with handles from the pages of `GET /persons`
//! (up to 1000 a page), then, for each person found, its roles
//! (`GET /persons/{id}/roles`) and effective permissions
//! (`GET /persons/{id}/permissions`).
//!
//! SlashID is the exception to the O(pages) cost: no documented call lists
//! persons with their RBAC roles, nor the persons holding a role (a
//! `roles eq` SCIM filter appears in one capture of the docs only, so it is
//! not relied on). A review costs ⌈persons/1000⌉ + 2 calls per person
//! found; "who holds a role" costs ⌈persons/1000⌉ + 1 call per person of
//! the organization. The reads run [`CONCURRENCY`] at a time.

use std::collections::{HashMap, HashSet};

use super::model::{grant_list, known, permission_set, Grant, Holder, RoleInfo, SlashidAccount};
use crate::vendors::slashid::api::{ListedPerson, SlashidClient};
use crate::vendors::slashid::listing::fetch_all;
use crate::vendors::slashid::SlashidError;

/// A role as shown: short where it carries this organization's prefix.
fn grant(client: &SlashidClient, full: &str) -> Grant {
    let shown = client.short_role_name(full).unwrap_or(full).to_string();
    Grant::direct(shown.clone(), shown, false)
}

/// The accounts of the `wanted` emails (lower case) that have one.
pub async fn accounts(
    client: &SlashidClient,
    wanted: &HashSet<String>,
) -> Result<HashMap<String, SlashidAccount>, SlashidError> {
    let mut found: HashMap<String, (String, String)> = HashMap::new();
    for person in client.list_persons().await? {
        for email in person.emails() {
            let key = email.to_lowercase();
            if wanted.contains(&key) {
                let entry = (person.person_id.clone(), email.to_string());
                found.entry(key).or_insert(entry);
            }
        }
    }
    let ids: Vec<String> = found.values().map(|(id, _)| id.clone()).collect();
    let held = fetch_all(&ids, |id| async move {
        let roles = client.get_person_roles(&id).await?;
        let permissions = client.get_person_permissions(&id).await?;
        Ok((id, roles, permissions))
    })
    .await?;
    let held: HashMap<String, (Vec<String>, Vec<String>)> =
        held.into_iter().map(|(id, r, p)| (id, (r, p))).collect();
    Ok(found
        .into_iter()
        .filter_map(|(key, (id, email))| {
            // Gone between the listing and its reads: no account.
            let (roles, permissions) = held.get(&id)?;
            let account = SlashidAccount {
                person_id: known(id.clone()),
                email: known(email),
                roles: grant_list(roles.iter().map(|r| grant(client, r)).collect()),
                permissions: permission_set(permissions.iter().cloned()),
            };
            Some((key, account))
        })
        .collect())
}

/// The role (short or full name) and the persons holding it. `None` when
/// no such role exists.
pub async fn holders(
    client: &SlashidClient,
    role: &str,
) -> Result<Option<(RoleInfo, Vec<Holder>)>, SlashidError> {
    let full = if role.contains('/') {
        role.to_string()
    } else {
        client.full_role_name(role)
    };
    match client.get_role(&full).await {
        Ok(_) => {}
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e),
    }
    let persons: Vec<ListedPerson> = client.list_persons().await?;
    let ids: Vec<String> = persons.iter().map(|p| p.person_id.clone()).collect();
    let roles = fetch_all(&ids, |id| async move {
        Ok((id.clone(), client.get_person_roles(&id).await?))
    })
    .await?;
    let holding: HashSet<String> = roles
        .into_iter()
        .filter(|(_, roles)| roles.contains(&full))
        .map(|(id, _)| id)
        .collect();
    let holders = persons
        .into_iter()
        .filter(|p| holding.contains(&p.person_id))
        .map(|p| Holder {
            email: crate::vendors::access::model::nullable(p.emails().next().map(str::to_string)),
            ..Holder::direct(p.person_id.clone(), String::new(), None)
        })
        .collect();
    let shown = client.short_role_name(&full).unwrap_or(&full).to_string();
    let info = RoleInfo {
        name: shown,
        built_in: false,
    };
    Ok(Some((info, holders)))
}
