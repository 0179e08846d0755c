//! ZenML Pro users, teams and organizations (docs/vendors/zenml.md "People and
//! lookups"): `GET /users?email=`, `GET /organizations`,
//! `GET /organizations/{id}/teams` and `GET /teams/{id}/members`, and the
//! control call that adds people (the emulator has no SSO login).
//!
//! Every answer is a bare JSON array, as ZenML's sync script reads them.
//! ASSUMPTION (docs/vendors/zenml.md: paging **unverified**): unpaginated. The
//! fields of a user (`id`, `email`, `name`, `is_active`) and of a team
//! (`id`, `name`, `organization_id`) are those the sync script reads.
//! ASSUMPTION (docs/vendors/zenml.md: `GET /teams/{id}/members` **unverified**;
//! only its `POST` and `DELETE` are documented): it answers the team's
//! users, in the shape of `GET /users`.

use serde::Deserialize;

use super::errors::{ApiError, ApiResult};
use super::store::{new_uuid, parse_uuid, Store, Team, User};

/// Body of `POST /__emulator/zenml/people`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPeople {
    #[serde(default)]
    pub users: Vec<NewUser>,
    #[serde(default)]
    pub teams: Vec<NewTeam>,
}

/// A user to add; its ID is made up when absent.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[serde(default)]
    pub id: Option<String>,
    pub email: String,
    #[serde(default)]
    pub name: String,
}

/// A team to add to the default organization (or `organization_id`), with
/// members given by user ID or email.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub organization_id: Option<String>,
    #[serde(default)]
    pub members: Vec<String>,
}

impl Store {
    /// `GET /users?email=`. ASSUMPTION (docs/vendors/zenml.md: match semantics
    /// **unverified**): the email compares exactly, case-insensitively.
    pub(super) fn list_users(&self, email: Option<&str>) -> Vec<User> {
        self.users
            .iter()
            .filter(|u| email.is_none_or(|e| u.email.eq_ignore_ascii_case(e)))
            .cloned()
            .collect()
    }

    /// `GET /organizations`: every organization, as `{id, name}`.
    pub(super) fn list_organizations(&self) -> Vec<serde_json::Value> {
        self.organizations
            .iter()
            .map(|id| serde_json::json!({"id": id, "name": format!("Organization {}", &id[..8])}))
            .collect()
    }

    /// `GET /organizations/{id}/teams`.
    pub(super) fn list_teams(&self, organization_id: &str) -> ApiResult<Vec<Team>> {
        if !self.organizations.iter().any(|o| o == organization_id) {
            return Err(ApiError::not_found(format!(
                "Organization {organization_id} not found."
            )));
        }
        Ok(self
            .teams
            .iter()
            .filter(|t| t.organization_id == organization_id)
            .cloned()
            .collect())
    }

    /// `GET /teams/{id}/members`: the team's users.
    pub(super) fn team_members(&self, team_id: &str) -> ApiResult<Vec<User>> {
        let team = self
            .teams
            .iter()
            .find(|t| t.id == team_id)
            .ok_or_else(|| ApiError::not_found(format!("Team {team_id} not found.")))?;
        Ok(self
            .users
            .iter()
            .filter(|u| team.members.contains(&u.id))
            .cloned()
            .collect())
    }

    /// Adds users, then teams (members by user ID or email); answers what
    /// was added, with IDs.
    pub fn add_people(&mut self, people: NewPeople) -> Result<serde_json::Value, String> {
        let uuid = |id: Option<String>| match id {
            None => Ok(new_uuid()),
            Some(raw) => parse_uuid(&raw).ok_or(format!("{raw:?} is not a UUID")),
        };
        let mut users = Vec::new();
        for u in people.users {
            let user = User {
                id: uuid(u.id)?,
                email: u.email,
                name: u.name,
                is_active: true,
            };
            self.users.push(user.clone());
            users.push(user);
        }
        let mut teams = Vec::new();
        for t in people.teams {
            let mut members = Vec::new();
            for m in &t.members {
                let user = self
                    .users
                    .iter()
                    .find(|u| u.id == *m || u.email.eq_ignore_ascii_case(m))
                    .ok_or(format!("no user {m:?}"))?;
                members.push(user.id.clone());
            }
            let team = Team {
                id: uuid(t.id)?,
                name: t.name,
                organization_id: t
                    .organization_id
                    .unwrap_or_else(|| super::DEFAULT_ORGANIZATION_ID.to_string()),
                members,
            };
            self.teams.push(team.clone());
            teams.push(team);
        }
        Ok(serde_json::json!({"users": users, "teams": teams}))
    }
}
