//! Role assignments on one organisation's [`Store`] (docs/vendors/zenml.md,
//! "Assignments"). Kept apart from `store.rs` (roles) to keep each file
//! short; only this file imports the other.

use super::errors::{ApiError, ApiResult};
use super::store::{Assignment, Store};

impl Store {
    /// Checks who and where against the role's level. ASSUMPTION
    /// (docs/vendors/zenml.md, "Assignments": `workspace_id` for workspace
    /// and project roles, `project_id` for project roles): organization roles
    /// take neither, workspace roles need `workspace_id` only, project roles
    /// need both; exactly one of user, team and invitation (400 `ValueError`).
    fn check_assignment(&self, a: &Assignment) -> ApiResult<()> {
        let role = self.role(&a.role_id)?;
        let principals = [&a.user_id, &a.team_id, &a.invitation_id]
            .iter()
            .filter(|p| p.is_some())
            .count();
        if principals != 1 {
            return Err(ApiError::value_error(
                "Exactly one of user_id, team_id or invitation_id must be given.",
            ));
        }
        let (ws, project) = (a.workspace_id.is_some(), a.project_id.is_some());
        let ok = match role.level.as_str() {
            "organization" => !ws && !project,
            "workspace" => ws && !project,
            _ => ws && project,
        };
        if !ok {
            let need = match role.level.as_str() {
                "organization" => "neither workspace_id nor project_id",
                "workspace" => "workspace_id (and no project_id)",
                _ => "both workspace_id and project_id",
            };
            return Err(ApiError::value_error(format!(
                "A {} role assignment needs {need}.",
                role.level
            )));
        }
        Ok(())
    }

    /// `POST /roles/{id}/assignments`; assigning twice is a no-op (ASSUMPTION).
    pub(super) fn assign(&mut self, a: Assignment) -> ApiResult<Assignment> {
        self.check_assignment(&a)?;
        if !self.assignments.contains(&a) {
            self.assignments.push(a.clone());
        }
        Ok(a)
    }

    /// `DELETE /roles/{id}/assignments`; 404 when there is no such assignment.
    pub(super) fn revoke(&mut self, a: &Assignment) -> ApiResult<()> {
        self.role(&a.role_id)?;
        let before = self.assignments.len();
        self.assignments.retain(|x| x != a);
        if self.assignments.len() == before {
            return Err(ApiError::not_found(format!(
                "Unable to find an assignment of role '{}' with these parameters.",
                a.role_id
            )));
        }
        Ok(())
    }

    /// `GET /roles/{id}/assignments` (**unverified** endpoint).
    pub(super) fn assignments_of(&self, role_id: &str) -> ApiResult<Vec<Assignment>> {
        self.role(role_id)?;
        Ok(self
            .assignments
            .iter()
            .filter(|a| a.role_id == role_id)
            .cloned()
            .collect())
    }
}
