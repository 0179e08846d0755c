//! `rbac_slashid_permission`: a SlashID RBAC permission (name and description).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use super::api::{Permission, PermissionCreate, PermissionPatch, SlashidClient};
use super::config::SlashidSettings;
use super::names::validate_permission_name;
use super::written::Written;
use super::written_object::{self, created, write_error, WrittenObject};
use super::SlashidError;
use crate::framework::plan::{default_if_null, requires_replace};
use crate::framework::resource::{Failure, NewState, Planned, Refreshed, Removed, ResourceType};
use crate::framework::schema::{schema, string};
use crate::framework::timeouts::{self, has_timeouts, ResourceTimeouts};

type SlashidResult<T> = std::result::Result<T, SlashidError>;

/// Terraform state of `rbac_slashid_permission`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PermissionState {
    pub id: Value<String>,
    pub name: Value<String>,
    pub description: Value<String>,
    pub timeouts: ResourceTimeouts,
}
has_timeouts!(PermissionState);

/// The resource; [`crate::framework::resource::Adapter`] serves it to
/// Terraform, with [`Written`] private state (see [`super::written`]).
pub struct PermissionResource;

#[async_trait]
impl ResourceType for PermissionResource {
    type Vendor = SlashidSettings;
    type State = PermissionState;
    type Private = Written;
    const TYPE_NAME: &'static str = "slashid_permission";
    const WHAT: &'static str = "SlashID permission";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        schema(
            "A SlashID RBAC permission, such as `billing.invoices.list`. Roles (`rbac_slashid_role`) grant \
             permissions; a permission cannot be deleted while a role still includes it, so reference \
             permissions from roles (Terraform then deletes the roles first), and give permissions that roles \
             grant `lifecycle { create_before_destroy = true }` so that a rename creates the new permission and \
             updates the roles before it deletes the old one.",
            vec![
                ("id", string().computed().description("The permission name (SlashID identifies permissions by name).")),
                (
                    "name",
                    string().required().description(
                        "Permission name, 2–1024 characters, unique and case-sensitive within the organization: \
                         letters, digits and `- _ . : / \\`, starting and ending with a letter or digit. Changing \
                         it replaces the permission (SlashID cannot rename).",
                    ),
                ),
                (
                    "description",
                    string().optional_computed().description("Description. Defaults to `\"\"`. Updated in place."),
                ),
            ],
            vec![timeouts::resource_block()],
        )
    }

    /// Plan-time checks.
    fn validate(diags: &mut Diagnostics, config: &PermissionState) {
        validate_permission_name(diags, AttributePath::new("name"), &config.name);
    }

    fn which(state: &PermissionState) -> String {
        written_object::which(&state.id, &state.name)
    }

    async fn plan(
        &self,
        _: Option<&SlashidClient>,
        config: PermissionState,
        prior: Option<&PermissionState>,
    ) -> Planned<Self> {
        // SlashID cannot rename: a new name is a new permission.
        let replace = prior.map_or_else(Vec::new, |prior| {
            requires_replace(&[("name", prior.name != config.name)])
        });
        Ok((plan(config), replace))
    }

    /// One request; the state is the plan (SlashID's 204 carries nothing
    /// to read).
    async fn create(&self, client: &SlashidClient, planned: PermissionState) -> NewState<Self> {
        let name = planned.name.clone().unwrap_or_default();
        let description = planned.description.clone().unwrap_or_default();
        let body = PermissionCreate {
            name: name.clone(),
            description: Some(description.clone()),
        };
        let state = PermissionState {
            id: Value::Value(name.clone()),
            name: Value::Value(name.clone()),
            description: Value::Value(description),
            ..planned
        };
        let before = client
            .before_permission(&name)
            .await
            .map_err(|err| write_error::<Self>(&name, &err))?;
        created::<Self>(
            client.create_permission_settled(&body, &before).await,
            (&name, &name),
            before,
            state,
        )
    }

    async fn read(
        &self,
        client: &SlashidClient,
        state: &PermissionState,
        private: &Written,
    ) -> Refreshed<Self> {
        written_object::read::<Self>(client, state.id.as_ref_option(), state, private).await
    }

    async fn update(
        &self,
        client: &SlashidClient,
        prior: PermissionState,
        planned: PermissionState,
        private: &Written,
    ) -> NewState<Self> {
        let name = prior.id.clone().unwrap_or_default();
        let description = planned.description.clone().unwrap_or_default();
        let body = PermissionPatch {
            description: Some(description.clone()),
        };
        let sent = PermissionState {
            description: Value::Value(description.clone()),
            ..planned
        };
        // GET permission declares no ETag, so no If-Match is sent.
        written_object::update::<Self, _, _>(
            client,
            &name,
            private,
            || client.update_permission(&name, &body, None),
            sent,
            |p| p.description.as_deref().unwrap_or_default() == description,
            &prior,
        )
        .await
    }

    async fn delete(
        &self,
        client: &SlashidClient,
        prior: &PermissionState,
        private: &Written,
    ) -> Removed<Self> {
        let name = prior.id.clone().unwrap_or_default();
        let mut delay = IN_USE_FIRST_DELAY;
        let mut attempt = 1;
        let (err, holders) = loop {
            let deleted = written_object::delete::<Self, _, _>(client, &name, private, || {
                client.delete_permission(&name)
            });
            let err = match deleted.await {
                Ok(deleted) => return Ok(deleted),
                Err(err) => err,
            };
            if !matches!(err.status(), Some(400 | 409)) {
                break (err, Vec::new());
            }
            // Deleting a permission that a role includes is refused (status
            // **unverified**: 400 is declared, a 409 would fit too). The
            // role may be being deleted in this same apply (when the
            // configuration names the permission literally, Terraform does
            // not order the two): wait for it a little, then say which roles
            // still hold the permission.
            let holders = roles_holding(client, &name).await;
            if attempt >= IN_USE_ATTEMPTS {
                break (err, holders);
            }
            if !holders.is_empty() {
                tracing::debug!(%name, ?holders, ?delay, "permission still held; retrying the delete");
                tokio::time::sleep(delay).await;
                delay *= 2;
            } else if attempt > 1 {
                // Refused, yet no role holds it: not an in-use refusal.
                break (err, holders);
            }
            attempt += 1;
        };
        if holders.is_empty() {
            return Err(write_error::<Self>(&name, &err));
        }
        Err(Failure::message(
            format!("Cannot delete SlashID permission {name:?}: a role still holds it"),
            in_use_advice(&name, &holders, &err),
        ))
    }

    async fn import(&self, client: &SlashidClient, name: &str) -> NewState<Self> {
        match client.get_permission(name).await {
            Ok(p) => Ok((state_from(&p), Written::default())),
            Err(err) if err.is_not_found() => Err(Failure::message(
                format!("Cannot import SlashID permission {name:?}: no such permission"),
                "Import takes the exact permission name, e.g. \
                 terraform import rbac_slashid_permission.x billing.invoices.list",
            )),
            Err(err) => Err(Failure::vendor(err)),
        }
    }
}

fn plan(config: PermissionState) -> PermissionState {
    PermissionState {
        id: config.name.clone(),
        name: config.name,
        description: default_if_null(config.description, String::new()),
        timeouts: config.timeouts,
    }
}

/// A delete refused because a role holds the permission is tried this many
/// times in all, waiting 250 ms, 0.5 s, 1 s, 2 s between (the holding role may
/// be being deleted by the same apply).
const IN_USE_ATTEMPTS: u32 = 5;
const IN_USE_FIRST_DELAY: std::time::Duration = std::time::Duration::from_millis(250);

/// Finds the roles that hold `permission`, to explain a refused delete.
/// Lists return names only, so the roles are read concurrently.
pub async fn roles_holding(client: &SlashidClient, permission: &str) -> Vec<String> {
    let Ok(names) = client.list_roles().await else {
        return vec![];
    };
    use futures::stream::{self, StreamExt};
    let roles: Vec<_> = stream::iter(names.into_iter().map(|n| {
        let client = client.clone();
        async move { client.get_role(&n).await }
    }))
    .buffered(super::listing::CONCURRENCY)
    .collect()
    .await;
    roles
        .into_iter()
        .filter_map(std::result::Result::ok)
        .filter(|(role, _)| role.permissions.iter().any(|p| p == permission))
        .map(|(role, _)| role.name)
        .collect()
}
/// Why a delete refused because roles hold the permission cannot succeed,
/// and the fix for each situation that leads here. Terraform deletes a
/// replaced permission *before* it updates the roles that reference it
/// (destroy-then-create), and a provider cannot change that order; only
/// `create_before_destroy` on the permission does (issue 14).
fn in_use_advice(name: &str, holders: &[String], err: &SlashidError) -> String {
    format!(
        "SlashID refuses to delete a permission that a role includes, and role(s) {} still include \
         {name:?}.\n\n\
         - If Terraform is replacing this permission (a new name, or -replace) and those roles reference it: \
         Terraform deletes the old permission before it updates the roles. Add\n  lifecycle {{\n    \
         create_before_destroy = true\n  }}\nto this rbac_slashid_permission resource and apply again: the new \
         permission is created, the roles are updated, and {name:?} is deleted last, so nobody loses access. \
         (A -replace that keeps the name cannot work that way, since SlashID permission names are unique: \
         give it a new name, or take it out of the roles first.)\n\
         - Otherwise (the permission is being removed): take it out of those roles' `permissions` (or remove \
         those roles), then apply again.\n\nSlashID said: {err}",
        holders.join(", ")
    )
}

#[async_trait]
impl WrittenObject for PermissionResource {
    type Object = Permission;
    const NOUN: &'static str = "permission";
    const IF_MATCH: bool = false;
    const CHANGED_OUTSIDE: &'static str =
        "SlashID refused the write because the permission changed since Terraform read it. Refresh \
         (terraform apply -refresh-only) and retry.";
    const NOT_UPDATED: &'static str =
        "The description read back differs from the one sent; the write may still be replicating. \
         Run terraform apply again.";

    /// GET permission declares no ETag.
    async fn get(
        client: &SlashidClient,
        name: &str,
    ) -> SlashidResult<(Permission, Option<String>)> {
        Ok((client.get_permission(name).await?, None))
    }

    async fn read_back(
        client: &SlashidClient,
        name: &str,
    ) -> SlashidResult<(Permission, Option<String>)> {
        Ok((client.read_back_permission(name).await?, None))
    }

    fn created(p: &Permission) -> Option<&str> {
        p.created.as_deref()
    }

    fn state(_client: &SlashidClient, p: &Permission, _known: &PermissionState) -> PermissionState {
        state_from(p)
    }
}

/// The state Terraform records for a permission read from SlashID.
pub fn state_from(p: &Permission) -> PermissionState {
    PermissionState {
        id: Value::Value(p.name.clone()),
        name: Value::Value(p.name.clone()),
        description: Value::Value(p.description.clone().unwrap_or_default()),
        timeouts: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slashid_permission_plan_defaults() {
        let planned = plan(PermissionState {
            name: Value::Value("a.b".into()),
            ..Default::default()
        });
        assert_eq!(planned.id, Value::Value("a.b".into()));
        assert_eq!(planned.description, Value::Value(String::new()));
    }
}
