//! Settling a lost create of a ZenML role (see [`crate::vendors::lost_create::settle`]).
//!
//! A role's key is its name (unique per organization and level,
//! ASSUMPTION as in the emulator); `name` is optional (docs/vendors/zenml.md,
//! "RoleCreate / RoleUpdate"), so a role without one is keyed by its content instead:
//! its *twins* are the custom roles of that organization and level
//! without a name, with the same description and type, and their names
//! repeat. What was there before is one listing of the organization's
//! roles at that level per run, taken before the first create there.

use super::api::ZenmlClient;
use super::error::ZenmlError;
use super::schemas::{Role, RoleCreate};
use crate::vendors::lost_create::create::Lookup;
use crate::vendors::lost_create::settle::{settle, Before, Found, Names};

/// The key of a role, or of a create of one: its name, or for a role
/// without one, its description and type.
fn key(name: Option<&str>, description: Option<&str>, role_type: &str) -> String {
    match (name, description) {
        (Some(name), _) => format!("name\n{name}"),
        (None, Some(description)) => format!("nameless\n{role_type}\n+{description}"),
        (None, None) => format!("nameless\n{role_type}\n-"),
    }
}

fn key_of_role(role: &Role) -> String {
    key(
        role.name.as_deref(),
        role.description.as_deref(),
        &role.role_type,
    )
}

fn key_of_create(body: &RoleCreate) -> String {
    key(
        body.name.as_deref(),
        body.description.as_deref(),
        &body.role_type,
    )
}

impl ZenmlClient {
    /// What was there before a create of `body` (see
    /// [`crate::vendors::lost_create::settle`]): one listing of the organization's roles
    /// at that level per run, before the first create there.
    pub async fn before_create(&self, body: &RoleCreate) -> Result<Before, ZenmlError> {
        let scope = format!(
            "{}\n{}",
            body.organization_id.to_ascii_lowercase(),
            body.level
        );
        self.before
            .before(&scope, &key_of_create(body), || async {
                let roles = self
                    .list_roles(&body.organization_id, Some(&body.level), None)
                    .await?;
                Ok(roles
                    .iter()
                    .map(|r| (key_of_role(r), r.id.to_ascii_lowercase()))
                    .collect())
            })
            .await
    }

    /// Whether a create of `body` whose outcome is unknown made a role:
    /// among the roles of its key that were not there before it (`before`)
    /// nor made by another create of this client, a custom one with exactly
    /// the requested description and type (see [`settle`]). Used right
    /// after the create and, when that lookup kept failing, by the next
    /// refresh of the pending role ([`crate::vendors::lost_create::pending`]).
    pub async fn find_created_role(
        &self,
        body: &RoleCreate,
        before: Option<&Before>,
    ) -> Result<Lookup<Role>, ZenmlError> {
        let key = key_of_create(body);
        let found = self
            .list_roles(
                &body.organization_id,
                Some(&body.level),
                body.name.as_deref(),
            )
            .await?
            .into_iter()
            .filter(|r| key_of_role(r) == key && r.level == body.level)
            .map(|role| Found {
                id: role.id.to_ascii_lowercase(),
                // Timestamps are not documented (docs/vendors/zenml.md,
                // "RoleCreate / RoleUpdate"), and whole seconds at best: too
                // coarse to tell a role made just before the create.
                created: None,
                same: !role.system_managed
                    && role
                        .organization_id
                        .eq_ignore_ascii_case(&body.organization_id)
                    && role.description == body.description
                    && role.role_type == body.role_type,
                object: role,
            })
            .collect();
        let names = match body.name {
            Some(_) => Names::Unique,
            None => Names::Repeat,
        };
        Ok(settle(found, before, None, Some(&self.claims), names))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nameless_role_is_keyed_by_its_content() {
        assert_eq!(key(Some("ml"), Some("d"), "normal"), "name\nml");
        assert_ne!(key(None, Some("d"), "normal"), key(None, None, "normal"));
        assert_ne!(key(None, Some(""), "normal"), key(None, None, "normal"));
        assert_ne!(
            key(None, Some("d"), "normal"),
            key(Some("d"), None, "normal")
        );
    }
}
