//! Users, teams and organizations, for access reviews (docs/vendors/zenml.md
//! "People and lookups", from ZenML's sync script): `GET /users`,
//! `GET /organizations`, `GET /organizations/{id}/teams` and
//! `GET /teams/{id}/members`.
//!
//! ASSUMPTION (docs/vendors/zenml.md: paging **unverified**): each answer is a
//! bare JSON array holding every match, as the sync script reads them.
//! ASSUMPTION (docs/vendors/zenml.md: **unverified**, only its `POST` and
//! `DELETE` are documented): `GET /teams/{id}/members` answers the team's
//! users in the shape of `GET /users`.

use serde::Deserialize;

use super::{ZenmlClient, ZenmlError};
use crate::http::{encode_path_segment, Request};

/// A user account (the fields the sync script reads).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub is_active: Option<bool>,
}

/// A team, or an organization: an ID and a name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Named {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

impl ZenmlClient {
    /// `GET /users` (with `?email=` when given).
    pub async fn list_users(&self, email: Option<&str>) -> Result<Vec<User>, ZenmlError> {
        let mut request = Request::get("/users");
        if let Some(email) = email {
            request = request.query("email", email);
        }
        self.call(request).await
    }

    /// `GET /organizations`: the organizations the key can see.
    pub async fn list_organizations(&self) -> Result<Vec<Named>, ZenmlError> {
        self.call(Request::get("/organizations")).await
    }

    /// `GET /organizations/{organization_id}/teams`.
    pub async fn list_teams(&self, organization_id: &str) -> Result<Vec<Named>, ZenmlError> {
        let path = format!(
            "/organizations/{}/teams",
            encode_path_segment(organization_id)
        );
        self.call(Request::get(path)).await
    }

    /// `GET /teams/{team_id}/members`: the team's users.
    pub async fn list_team_members(&self, team_id: &str) -> Result<Vec<User>, ZenmlError> {
        let path = format!("/teams/{}/members", encode_path_segment(team_id));
        self.call(Request::get(path)).await
    }
}
