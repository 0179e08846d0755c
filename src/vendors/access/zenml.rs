//! ZenML Pro's part of an access review (docs/vendors/zenml.md "People and
//! lookups"). No documented call lists a user's roles, so the review goes
//! by role: per organization, one `GET /organizations/{id}/roles`, one
//! `GET /roles/{id}/assignments` per role (R), one
//! `GET /organizations/{id}/teams` and one `GET /teams/{id}/members` per
//! team holding a role (T); plus one `GET /users` (and one
//! `GET /organizations` when no organization is given). O(R + T) calls,
//! whatever the number of people.
//!
//! Assignments to invitations (people who have not logged in yet) are not
//! reviewed: an invitation is not an account.

use std::collections::{HashMap, HashSet};

use futures::stream::{self, StreamExt, TryStreamExt};

use super::model::{grant_list, known, nullable, Grant, Holder, RoleInfo, ZenmlAccount};
use crate::vendors::zenml::api::{Assignment, Role, User};
use crate::vendors::zenml::{ZenmlClient, ZenmlError};

/// Listings in flight at once.
const CONCURRENCY: usize = 8;

/// One team's name and member user IDs.
struct Team {
    name: Option<String>,
    members: HashSet<String>,
}

/// Every assignment of `roles`, with its role, [`CONCURRENCY`] listings at
/// a time; a failed listing fails the whole review.
async fn assignments_of(
    client: &ZenmlClient,
    roles: Vec<Role>,
) -> Result<Vec<(Role, Assignment)>, ZenmlError> {
    let per_role: Vec<(Role, Vec<Assignment>)> = stream::iter(roles)
        .map(|role| async move {
            let listed = client.list_assignments(&role.id).await?;
            Ok::<_, ZenmlError>((role, listed))
        })
        .buffered(CONCURRENCY)
        .try_collect()
        .await?;
    Ok(per_role
        .into_iter()
        .flat_map(|(role, list)| list.into_iter().map(move |a| (role.clone(), a)))
        .collect())
}

/// The teams of `organization_id` named in `assignments`, with members.
async fn teams_of(
    client: &ZenmlClient,
    organization_id: &str,
    assignments: &[(Role, Assignment)],
) -> Result<HashMap<String, Team>, ZenmlError> {
    let holding: HashSet<String> = assignments
        .iter()
        .filter_map(|(_, a)| a.team_id.as_ref().map(|t| t.to_lowercase()))
        .collect();
    if holding.is_empty() {
        return Ok(HashMap::new());
    }
    let names: HashMap<String, Option<String>> = client
        .list_teams(organization_id)
        .await?
        .into_iter()
        .map(|t| (t.id.to_lowercase(), t.name))
        .collect();
    stream::iter(holding)
        .map(|id| {
            let name = names.get(&id).cloned().flatten();
            async move {
                let members = client.list_team_members(&id).await?;
                let members = members.into_iter().map(|u| u.id.to_lowercase()).collect();
                Ok::<_, ZenmlError>((id, Team { name, members }))
            }
        })
        .buffered(CONCURRENCY)
        .try_collect()
        .await
}

/// The grant `a` of `role` gives, through `team` when it is a team's.
fn grant(role: &Role, a: &Assignment, team: Option<(&String, &Team)>) -> Grant {
    Grant {
        organization_id: known(role.organization_id.clone()),
        workspace_id: nullable(a.workspace_id.clone()),
        project_id: nullable(a.project_id.clone()),
        team_id: nullable(team.map(|(id, _)| id.clone())),
        team_name: nullable(team.and_then(|(_, t)| t.name.clone())),
        ..Grant::direct(
            role.id.clone(),
            role.name.clone().unwrap_or_default(),
            role.system_managed,
        )
    }
}

/// The accounts of the `wanted` emails (lower case) that have one, with
/// their roles in `organization_id` (every organization the key sees
/// when `None`).
pub async fn accounts(
    client: &ZenmlClient,
    wanted: &HashSet<String>,
    organization_id: Option<&str>,
) -> Result<HashMap<String, ZenmlAccount>, ZenmlError> {
    let mut users: HashMap<String, User> = HashMap::new();
    for u in client.list_users(None).await? {
        let email = u.email.clone().unwrap_or_default().to_lowercase();
        if wanted.contains(&email) {
            users.entry(u.id.to_lowercase()).or_insert(u);
        }
    }
    let mut grants: HashMap<String, Vec<Grant>> = HashMap::new();
    if !users.is_empty() {
        let organizations = match organization_id {
            Some(id) => vec![id.to_string()],
            None => client
                .list_organizations()
                .await?
                .into_iter()
                .map(|o| o.id)
                .collect(),
        };
        for org in organizations {
            let roles = client.list_roles(&org, None, None).await?;
            let assignments = assignments_of(client, roles).await?;
            let teams = teams_of(client, &org, &assignments).await?;
            for (role, a) in &assignments {
                if let Some(user) = a.user_id.as_ref().map(|u| u.to_lowercase()) {
                    grants.entry(user).or_default().push(grant(role, a, None));
                }
                let team = a.team_id.as_ref().map(|t| t.to_lowercase());
                if let Some((id, team)) = team.as_ref().and_then(|t| teams.get_key_value(t)) {
                    for member in &team.members {
                        let g = grant(role, a, Some((id, team)));
                        grants.entry(member.clone()).or_default().push(g);
                    }
                }
            }
        }
    }
    Ok(users
        .into_iter()
        .map(|(id, u)| {
            let email = u.email.clone().unwrap_or_default();
            let account = ZenmlAccount {
                user_id: known(u.id.clone()),
                name: nullable(u.name.clone()),
                email: known(email.clone()),
                roles: grant_list(grants.remove(&id).unwrap_or_default()),
                permissions: crate::framework::tf::Value::Null,
            };
            (email.to_lowercase(), account)
        })
        .collect())
}

/// The role and the users holding it, directly or through a team: one
/// `GET /roles/{id}`, its assignments, `GET /users`, and the teams'
/// listings when a team holds it. `None` when no such role exists.
pub async fn holders(
    client: &ZenmlClient,
    role_id: &str,
) -> Result<Option<(RoleInfo, Vec<Holder>)>, ZenmlError> {
    let role = match client.get_role(role_id).await {
        Ok(role) => role,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e),
    };
    let org = role.organization_id.clone();
    let assignments = assignments_of(client, vec![role.clone()]).await?;
    let teams = teams_of(client, &org, &assignments).await?;
    let users: HashMap<String, User> = client
        .list_users(None)
        .await?
        .into_iter()
        .map(|u| (u.id.to_lowercase(), u))
        .collect();
    let holder = |user_id: &str, g: Grant| {
        let user = users.get(&user_id.to_lowercase());
        Holder {
            account_id: known(user.map_or_else(|| user_id.to_string(), |u| u.id.clone())),
            email: nullable(user.and_then(|u| u.email.clone())),
            name: nullable(user.and_then(|u| u.name.clone())),
            organization_id: g.organization_id,
            workspace_id: g.workspace_id,
            project_id: g.project_id,
            team_id: g.team_id,
            team_name: g.team_name,
        }
    };
    let mut holders = Vec::new();
    for (role, a) in &assignments {
        if let Some(user) = &a.user_id {
            holders.push(holder(user, grant(role, a, None)));
        }
        let team = a.team_id.as_ref().map(|t| t.to_lowercase());
        if let Some((id, team)) = team.as_ref().and_then(|t| teams.get_key_value(t)) {
            let mut members: Vec<&String> = team.members.iter().collect();
            members.sort();
            for member in members {
                holders.push(holder(member, grant(role, a, Some((id, team)))));
            }
        }
    }
    let info = RoleInfo {
        name: role.name.clone().unwrap_or_default(),
        built_in: role.system_managed,
    };
    Ok(Some((info, holders)))
}
