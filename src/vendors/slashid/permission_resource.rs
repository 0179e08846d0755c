//! `rbac_slashid_permission`: a SlashID RBAC permission (name and description).

use crate::framework::tf::Schema;
use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{Permission, PermissionCreate, PermissionPatch, SlashidClient};
use super::config::SlashidSettings;
use super::names::validate_permission_name;
use super::written::{self, created, write_error, Fetched, Writes, Written};
use super::SlashidError;
use crate::framework::plan::{default_if_null, requires_replace};
use crate::framework::resource::{
    Failure, NewState, Planned, Read, Refreshed, Removed, ResourceType,
};
use crate::framework::schema::{schema, string};
use crate::framework::timeouts::{self, has_timeouts, ResourceTimeouts};

/// GET permission declares no ETag, so updates carry no `If-Match`.
const WRITES: Writes = Writes {
    if_match: false,
    changed_outside:
        "SlashID refused the write because the permission changed since Terraform read it. Refresh \
         (terraform apply -refresh-only) and retry.",
    not_updated:
        "The description read back differs from the one sent; the write may still be replicating. \
         Run terraform apply again.",
};

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
    const KIND: &'static str = "SlashID permission";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        schema(
            "A SlashID RBAC permission, such as `billing.invoices.list`. Roles (`rbac_slashid_role`) grant \
             permissions, and SlashID refuses to delete a permission while a role still includes it. Reference \
             permissions from roles, and give every permission that roles grant \
             `lifecycle { create_before_destroy = true }` from the start: Terraform then updates the roles before \
             it deletes a renamed or removed permission (otherwise it deletes the permission first, and SlashID \
             refuses). Terraform records the setting only when it applies the permission with it, so adding it in \
             the same apply that removes the permission changes nothing; the error then says what to do.",
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

    fn label(state: &PermissionState) -> String {
        written::label(&state.id, &state.name)
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
            .map_err(|err| write_error::<Self>(&name, &err, &WRITES))?;
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
        let Some(name) = state.id.as_ref_option() else {
            return Ok(Read::Gone);
        };
        let answer = client.get_permission(name).await.map(|p| fetched(&p));
        written::refreshed::<Self>(client, name, answer, state, private)
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
        let read_back = async {
            let p = client.read_back_permission(&name).await?;
            let landed = p.description.as_deref().unwrap_or_default() == description;
            Ok((fetched(&p), landed))
        };
        // GET permission declares no ETag, so no If-Match is sent.
        written::update::<Self, _, _>(
            client,
            &name,
            private,
            || client.update_permission(&name, &body, None),
            sent,
            read_back,
            &WRITES,
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
        let delete = || {
            let gone =
                async { matches!(client.get_permission(&name).await, Err(e) if e.is_not_found()) };
            written::delete(client, private, || client.delete_permission(&name), gone)
        };
        let err = match delete().await {
            Ok(deleted) => return Ok(deleted),
            Err(err) => err,
        };
        // Deleting a permission that a role includes is refused (status
        // **unverified**: 400 is declared, a 409 would fit too). That is not
        // transient: it is sent again only when the roles holding it are
        // gone, or were written by this process meanwhile (see
        // `SlashidClient::in_use`); one request, never a polling loop.
        if !matches!(err.status(), Some(400 | 409)) {
            return Err(write_error::<Self>(&name, &err, &WRITES));
        }
        let in_use = client.in_use();
        let holders = in_use.roles_holding(client, &name).await;
        let err = if holders.is_empty() || in_use.written_here(&holders).await {
            // No role holds it any more, or one that did was written
            // meanwhile: the answer may differ now.
            match delete().await {
                Ok(deleted) => return Ok(deleted),
                Err(again) => again,
            }
        } else {
            err
        };
        if holders.is_empty() || !matches!(err.status(), Some(400 | 409)) {
            return Err(write_error::<Self>(&name, &err, &WRITES));
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

/// Why a delete refused because roles hold the permission cannot succeed,
/// and the fix for each situation that leads here. Terraform deletes a
/// permission *before* it updates the roles that reference it, unless
/// `create_before_destroy` is recorded in the permission's state, and it
/// records that only when it applies the permission with the setting in its
/// configuration: a provider cannot change that order.
fn in_use_advice(name: &str, holders: &[String], err: &SlashidError) -> String {
    const LIFECYCLE: &str = "  lifecycle {\n    create_before_destroy = true\n  }\n";
    format!(
        "SlashID refuses to delete a permission that a role includes, and role(s) {} still include \
         {name:?}; it is refused the same way until they no longer do.\n\n\
         - If Terraform is replacing this permission (a new name, or -replace) and those roles reference \
         it: Terraform deletes the old permission before it updates the roles. Add\n{LIFECYCLE}to this \
         rbac_slashid_permission resource and apply again: the new permission is created, the roles are \
         updated, and {name:?} is deleted last, so nobody loses access. (A -replace that keeps the name \
         cannot work that way, since SlashID permission names are unique: give it a new name, or take it \
         out of the roles first.)\n\
         - If it was removed from the configuration (a smaller for_each or count, a deleted block) and \
         those roles reference it: Terraform deletes it before it updates the roles unless \
         create_before_destroy is recorded in its state, and Terraform records that only when it applies \
         the permission with the setting in its configuration, so adding the setting now changes nothing \
         for a permission already removed. Either put the permission back in the configuration, add the \
         lifecycle block above to its rbac_slashid_permission resource, run terraform apply (it changes \
         nothing and records the setting), then remove the permission and apply again; or take it out of \
         those roles' `permissions` first, keeping the permission, apply, then remove the permission and \
         apply again.\n\
         - Otherwise (roles outside this configuration, or that name the permission as a literal string): \
         take it out of those roles' `permissions` (or delete those roles), then apply again.\n\n\
         SlashID said: {err}",
        holders.join(", ")
    )
}

/// A permission as read (SlashID declares no ETag for it).
fn fetched(p: &Permission) -> Fetched<PermissionState> {
    Fetched {
        state: state_from(p),
        created: p.created.clone(),
        etag: None,
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
