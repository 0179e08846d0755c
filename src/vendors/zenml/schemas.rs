//! The bodies of ZenML Pro's role calls (docs/vendors/zenml.md, "RoleCreate / RoleUpdate"): what
//! [`super::api::ZenmlClient`] sends and decodes. Plain serde structs;
//! unset optionals are left out of requests.

use serde::{Deserialize, Serialize};

/// A role as ZenML returns it. ASSUMPTION (docs/vendors/zenml.md,
/// "RoleCreate / RoleUpdate": the roles page leaves the schema out): these fields, from an
/// experimental provider branch written against the live spec; others are
/// ignored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Role {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub organization_id: String,
    pub level: String,
    #[serde(default)]
    pub system_managed: bool,
    #[serde(rename = "type", default = "normal")]
    pub role_type: String,
}

fn normal() -> String {
    "normal".into()
}

/// Body of `POST /roles` (RoleCreate: docs/vendors/zenml.md, "RoleCreate /
/// RoleUpdate"). Unset optionals are left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleCreate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub organization_id: String,
    pub level: String,
    /// Required by the roles page; the provider only creates custom roles.
    pub system_managed: bool,
    #[serde(rename = "type")]
    pub role_type: String,
}

/// Body of `PATCH /roles/{id}` (RoleUpdate: docs/vendors/zenml.md,
/// "RoleCreate / RoleUpdate"). PATCH merges (ZenML's client sends `exclude_unset`): `None`
/// leaves a field alone, `Some(None)` sends `null`. ASSUMPTION
/// (docs/vendors/zenml.md, "RoleCreate / RoleUpdate": **unverified**): an
/// explicit `null` clears the field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RoleUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Option<String>>,
}

impl RoleUpdate {
    /// Nothing to send.
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.description.is_none()
    }
}

/// Who gets a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    User(String),
    Team(String),
    Invitation(String),
}

impl Principal {
    /// The query parameter naming this principal.
    pub fn param(&self) -> (&'static str, &str) {
        match self {
            Principal::User(id) => ("user_id", id),
            Principal::Team(id) => ("team_id", id),
            Principal::Invitation(id) => ("invitation_id", id),
        }
    }
}

/// One role assignment: the query parameters of
/// `POST`/`DELETE /roles/{role_id}/assignments`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentParams {
    pub role_id: String,
    pub principal: Principal,
    pub workspace_id: Option<String>,
    pub project_id: Option<String>,
}

impl AssignmentParams {
    /// The assignment's identity: role, principal and scope, in lower case
    /// (ZenML's UUIDs in any letter case name the same object).
    pub fn key(&self) -> String {
        let (param, id) = self.principal.param();
        format!(
            "{}/{param}={}/{}/{}",
            self.role_id,
            id,
            self.workspace_id.as_deref().unwrap_or_default(),
            self.project_id.as_deref().unwrap_or_default()
        )
        .to_ascii_lowercase()
    }
}

/// An entry of `GET /roles/{role_id}/assignments`. ASSUMPTION
/// (docs/vendors/zenml.md, "Assignments": this listing is named only by a
/// third party): a bare array of objects with these optional fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Assignment {
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub team_id: Option<String>,
    #[serde(default)]
    pub invitation_id: Option<String>,
    #[serde(default)]
    pub workspace_id: Option<String>,
    #[serde(default)]
    pub project_id: Option<String>,
}

impl Assignment {
    /// Whether this entry is the assignment `params` describes.
    pub fn matches(&self, params: &AssignmentParams) -> bool {
        let eq = |a: &Option<String>, b: Option<&str>| {
            a.as_deref().map(str::to_ascii_lowercase) == b.map(str::to_ascii_lowercase)
        };
        let (user, team, invitation) = match &params.principal {
            Principal::User(id) => (Some(id.as_str()), None, None),
            Principal::Team(id) => (None, Some(id.as_str()), None),
            Principal::Invitation(id) => (None, None, Some(id.as_str())),
        };
        eq(&self.user_id, user)
            && eq(&self.team_id, team)
            && eq(&self.invitation_id, invitation)
            && eq(&self.workspace_id, params.workspace_id.as_deref())
            && eq(&self.project_id, params.project_id.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn role_create_json_leaves_out_unset_optionals() {
        let body = RoleCreate {
            name: Some("ml-engineer".into()),
            description: None,
            organization_id: "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30".into(),
            level: "workspace".into(),
            system_managed: false,
            role_type: "normal".into(),
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"name": "ml-engineer", "organization_id": "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30",
                   "level": "workspace", "system_managed": false, "type": "normal"})
        );
    }

    #[test]
    fn role_update_sends_only_changes_and_null_to_clear() {
        let update = RoleUpdate {
            name: Some(Some("renamed".into())),
            description: Some(None),
        };
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            json!({"name": "renamed", "description": null})
        );
        assert_eq!(
            serde_json::to_value(RoleUpdate::default()).unwrap(),
            json!({})
        );
        assert!(RoleUpdate::default().is_empty());
    }

    #[test]
    fn assignment_matching_ignores_case_and_needs_the_same_scope() {
        let params = AssignmentParams {
            role_id: "r".into(),
            principal: Principal::Team("AB".into()),
            workspace_id: Some("w".into()),
            project_id: None,
        };
        let entry = Assignment {
            team_id: Some("ab".into()),
            workspace_id: Some("w".into()),
            ..Default::default()
        };
        assert!(entry.matches(&params));
        let other = Assignment {
            project_id: Some("p".into()),
            ..entry.clone()
        };
        assert!(!other.matches(&params));
    }
}
