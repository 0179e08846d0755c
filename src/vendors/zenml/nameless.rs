//! Settling a lost create of a role without a name.
//!
//! A lost create is otherwise settled by looking the role up by its name
//! (unique per organization and level, ASSUMPTION), but `name` is optional
//! (vendors/zenml.md, "RoleCreate"). So, for a nameless role only, its
//! *twins* — custom roles of that organization and level without a name,
//! with the same description and type — are listed before the create: one
//! more request, which lets a lost create's lookup tell the twin it made
//! from the ones that were already there.

use std::collections::HashSet;

use super::api::ZenmlClient;
use super::error::ZenmlError;
use super::schemas::{Role, RoleCreate};
use crate::vendors::create::Lookup;

impl ZenmlClient {
    /// The twins of `body` (custom, nameless, same organization, level,
    /// description and type), by ID.
    pub(super) async fn nameless_twins(
        &self,
        body: &RoleCreate,
    ) -> Result<HashSet<String>, ZenmlError> {
        Ok(self
            .twins(body)
            .await?
            .into_iter()
            .map(|r| r.id.to_ascii_lowercase())
            .collect())
    }

    /// After a lost create of nameless `body`: the twin that was not among
    /// `before` and that no other create of this process made or took.
    pub(super) async fn find_new_twin(
        &self,
        body: &RoleCreate,
        before: &HashSet<String>,
    ) -> Result<Lookup<Role>, ZenmlError> {
        for role in self.twins(body).await? {
            let id = role.id.to_ascii_lowercase();
            if !before.contains(&id) && self.claims.claim(&id) {
                return Ok(Lookup::Created(role));
            }
        }
        Ok(Lookup::Missing)
    }

    /// The twins of `body` as they are now (one listing).
    async fn twins(&self, body: &RoleCreate) -> Result<Vec<Role>, ZenmlError> {
        let roles = self
            .list_roles(&body.organization_id, Some(&body.level), None)
            .await?;
        Ok(roles.into_iter().filter(|r| is_twin(r, body)).collect())
    }
}

fn is_twin(role: &Role, body: &RoleCreate) -> bool {
    role.name.is_none()
        && !role.system_managed
        && role
            .organization_id
            .eq_ignore_ascii_case(&body.organization_id)
        && role.level == body.level
        && role.description == body.description
        && role.role_type == body.role_type
}
