//! `rbac_slashid_role`: a SlashID RBAC role, its description and permission set.
//!
//! The user writes the short name; SlashID stores `{org_id}/{name}`
//! (docs/vendors/slashid.md, "Names"). The full name is the Terraform ID and
//! the computed `full_name`. The role's ETag is kept in private state and
//! sent as `If-Match` on updates.

use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{Role, RoleCreate, RolePatch, SlashidClient};
use super::config::SlashidSettings;
use super::names::{validate_permission_name, validate_role_name};
use super::written::{self, created, write_error, Fetched, Writes, Written};
use crate::framework::plan::{default_if_null, known_string_set, requires_replace, string_set};
use crate::framework::resource::{
    Failure, NewState, Planned, Read, Refreshed, Removed, ResourceType,
};
use crate::framework::schema::{schema, set_of, string};
use crate::framework::timeouts::{self, has_timeouts, ResourceTimeouts};
use crate::framework::ValueStringSet;

/// Terraform state of `rbac_slashid_role`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleState {
    pub id: Value<String>,
    pub name: Value<String>,
    pub full_name: Value<String>,
    pub description: Value<String>,
    pub permissions: ValueStringSet,
    pub generation: Value<String>,
    pub timeouts: ResourceTimeouts,
}
has_timeouts!(RoleState);

/// The resource; [`crate::framework::resource::Adapter`] serves it to
/// Terraform. Its private state is [`Written`]: the last ETag (sent as
/// `If-Match`) and when this provider created the role (a 404 right after a
/// create is not a deletion). A write costs one request: SlashID's 204
/// carries nothing, and the state is the plan.
pub struct RoleResource;

const GENERATION_DOC: &str =
    "A random value that changes each time Terraform creates this role (a replacement, a re-creation after \
     drift), while `id` and `name` stay the same. SlashID revokes a deleted role from every person, so list \
     it in `rbac_slashid_person_roles.role_generations`: Terraform then grants a replaced role again in the \
     same apply.";

/// Updates carry the role's ETag as `If-Match`.
const WRITES: Writes = Writes {
    if_match: true,
    changed_outside:
        "SlashID refused the write (HTTP 412): the role changed since Terraform last read it. \
         Refresh and retry (terraform apply, without -refresh=false), and review the plan.",
    not_updated:
        "The role read back differs from what was sent; the write may still be replicating. \
         Run terraform apply again.",
};

#[async_trait]
impl ResourceType for RoleResource {
    type Vendor = SlashidSettings;
    type State = RoleState;
    type Private = Written;
    const TYPE_NAME: &'static str = "slashid_role";
    const KIND: &'static str = "SlashID role";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        schema(
            "A SlashID RBAC role: a named set of permissions that can be given to persons (see \
             `rbac_slashid_person_roles`).",
            vec![
                ("id", string().computed().description("The full role name, `<org_id>/<name>`.")),
                (
                    "name",
                    string().required().description(
                        "Role name without the organization prefix: 2–100 characters, letters, digits and \
                         `- _ . :`, starting and ending with a letter or digit; unique and case-sensitive. The \
                         provider adds the `<org_id>/` prefix SlashID requires. Changing it replaces the role \
                         (SlashID cannot rename).",
                    ),
                ),
                ("full_name", string().computed().description("The name as SlashID stores it, `<org_id>/<name>`.")),
                (
                    "description",
                    string().optional_computed().description("Description. Defaults to `\"\"`. Updated in place."),
                ),
                (
                    "permissions",
                    set_of(AttributeType::String).optional_computed().description(
                        "Names of the permissions the role grants; they must exist (reference \
                         `rbac_slashid_permission` resources so they are created first). This is the role's whole \
                         set: permissions not listed are removed. Defaults to none. Updated in place.",
                    ),
                ),
                ("generation", string().computed().description(GENERATION_DOC)),
            ],
            vec![timeouts::resource_block()],
        )
    }

    /// Plan-time checks.
    fn validate(diags: &mut Diagnostics, config: &RoleState) {
        validate_role_name(diags, AttributePath::new("name"), &config.name);
        if let Value::Value(items) = &config.permissions {
            for item in items {
                validate_permission_name(diags, AttributePath::new("permissions"), item);
            }
        }
    }

    fn label(state: &RoleState) -> String {
        written::label(&state.id, &state.name)
    }

    async fn plan(
        &self,
        client: Option<&SlashidClient>,
        config: RoleState,
        prior: Option<&RoleState>,
    ) -> Planned<Self> {
        // SlashID cannot rename: a new name is a new role.
        let replace = prior.map_or_else(Vec::new, |prior| {
            requires_replace(&[("name", prior.name != config.name)])
        });
        Ok((plan(client, config, prior), replace))
    }

    async fn create(&self, client: &SlashidClient, planned: RoleState) -> NewState<Self> {
        let (short, description, permissions) =
            wanted(&planned).ok_or_else(|| unknown_permissions("create"))?;
        let full = client.full_role_name(&short);
        let body = RoleCreate {
            name: full.clone(),
            description: Some(description.clone()),
            permissions: permissions.clone(),
        };
        let state = RoleState {
            id: Value::Value(full.clone()),
            full_name: Value::Value(full.clone()),
            description: Value::Value(description),
            permissions: string_set(&permissions),
            generation: new_generation(),
            ..planned
        };
        let before = client
            .before_role(&full)
            .await
            .map_err(|err| write_error::<Self>(&full, &err, &WRITES))?;
        created::<Self>(
            client.create_role_settled(&body, &before).await,
            (&full, &short),
            before,
            state,
        )
    }

    async fn read(
        &self,
        client: &SlashidClient,
        state: &RoleState,
        private: &Written,
    ) -> Refreshed<Self> {
        let Some(full) = state.id.as_ref_option() else {
            return Ok(Read::Gone);
        };
        let answer = client.get_role(full).await;
        let answer = answer.map(|(role, etag)| fetched(client, &role, state, etag));
        written::refreshed::<Self>(client, full, answer, state, private)
    }

    async fn update(
        &self,
        client: &SlashidClient,
        prior: RoleState,
        planned: RoleState,
        private: &Written,
    ) -> NewState<Self> {
        let full = prior.id.clone().unwrap_or_default();
        let (_, description, permissions) =
            wanted(&planned).ok_or_else(|| unknown_permissions("update"))?;
        // Always the whole set: PATCH's add-or-replace is unverified.
        let body = RolePatch {
            description: Some(description.clone()),
            permissions: permissions.clone(),
        };
        let sent = RoleState {
            description: Value::Value(description.clone()),
            permissions: string_set(&permissions),
            generation: prior.generation.clone(),
            ..planned
        };
        let etag = private.etag.as_deref();
        // A permission delete refused meanwhile waits for this write to end
        // (see `SlashidClient::in_use`).
        let _writing = client.in_use().role_write(&full);
        let read_back = async {
            let (role, etag) = client.read_back_role(&full).await?;
            let landed = matches(&role, &description, &permissions);
            Ok((fetched(client, &role, &prior, etag), landed))
        };
        written::update::<Self, _, _>(
            client,
            &full,
            private,
            || client.update_role(&full, &body, etag),
            sent,
            read_back,
            &WRITES,
        )
        .await
    }

    async fn delete(
        &self,
        client: &SlashidClient,
        prior: &RoleState,
        private: &Written,
    ) -> Removed<Self> {
        let full = prior.id.clone().unwrap_or_default();
        let _writing = client.in_use().role_write(&full);
        let gone = async { matches!(client.get_role(&full).await, Err(e) if e.is_not_found()) };
        written::delete(client, private, || client.delete_role(&full), gone)
            .await
            .map_err(|err| write_error::<Self>(&full, &err, &WRITES))
    }

    async fn import(&self, client: &SlashidClient, id: &str) -> NewState<Self> {
        let Some(full) = import_full_name(client, id) else {
            return Err(another_organization(client, id));
        };
        match client.get_role(&full).await {
            Ok((role, etag)) => Ok((
                state_from(client, &role),
                Written::default().with_etag(etag),
            )),
            Err(err) if err.is_not_found() => Err(Failure::message(
                format!("Cannot import SlashID role {id:?}: no such role"),
                format!(
                    "No role {full:?} in organization {}. Import takes the short name \
                     (terraform import rbac_slashid_role.x billing-viewer) or the full name \
                     (terraform import rbac_slashid_role.x {}/billing-viewer).",
                    client.org_id(),
                    client.org_id()
                ),
            )),
            Err(err) => Err(Failure::message(
                format!("Error importing SlashID role {full:?}"),
                err.to_string(),
            )),
        }
    }
}

/// A fresh [`RoleState::generation`]: SlashID identifies roles by name
/// only and its `created` has one-second resolution, so a marker of our
/// own tells a re-created role from the one it replaced.
fn new_generation() -> Value<String> {
    Value::Value(format!("{:016x}", rand::random::<u64>()))
}

/// `client` is `None` while the provider configuration (the organization)
/// is unknown: the full name is then known only after apply.
fn plan(client: Option<&SlashidClient>, config: RoleState, prior: Option<&RoleState>) -> RoleState {
    let full_name = match (&config.name, client) {
        (Value::Value(short), Some(client)) => Value::Value(client.full_role_name(short)),
        (Value::Value(_), None) => Value::Unknown,
        (_, _) => prior.map(|p| p.full_name.clone()).unwrap_or(Value::Unknown),
    };
    RoleState {
        id: full_name.clone(),
        full_name,
        name: config.name,
        description: default_if_null(config.description, String::new()),
        permissions: default_if_null(config.permissions, Vec::new()),
        // Unknown on (re-)create, so dependents that reference it re-apply.
        generation: prior.map_or(Value::Unknown, |p| p.generation.clone()),
        timeouts: config.timeouts,
    }
}
/// The full name an import key names: the short name, or the full name in
/// this organization (its ID in any letter case); `None` for another
/// organization's full name (short names hold no `/`: the vendor's regex).
fn import_full_name(client: &SlashidClient, id: &str) -> Option<String> {
    match id.split_once('/') {
        None => Some(client.full_role_name(id)),
        Some(_) if client.short_role_name(id).is_some() => Some(id.to_string()),
        // The organization ID in another letter case: the same
        // organization; SlashID's names carry its canonical spelling.
        Some((org, short)) if org.eq_ignore_ascii_case(client.org_id()) => {
            Some(client.full_role_name(short))
        }
        Some(_) => None,
    }
}

fn another_organization(client: &SlashidClient, id: &str) -> Failure<RoleState, Written> {
    let (org, short) = id.split_once('/').unwrap_or_default();
    Failure::message(
        format!("Cannot import SlashID role {id:?}: it belongs to another organization"),
        format!(
            "The prefix {org:?} is not this provider's organization ({}). Import takes the short \
             name (terraform import rbac_slashid_role.x {short}) or the full name in this \
             organization (terraform import rbac_slashid_role.x {}/{short}); to manage roles of \
             organization {org:?}, configure a provider with that org_id.",
            client.org_id(),
            client.org_id()
        ),
    )
}

/// A role as read: its state, keeping the generation `known` holds (a
/// role read again is the same role).
fn fetched(
    client: &SlashidClient,
    role: &Role,
    known: &RoleState,
    etag: Option<String>,
) -> Fetched<RoleState> {
    let mut state = state_from(client, role);
    if let Value::Value(g) = &known.generation {
        state.generation = Value::Value(g.clone());
    }
    Fetched {
        state,
        created: role.created.clone(),
        etag,
    }
}

/// The state for a role read from SlashID.
pub fn state_from(client: &SlashidClient, role: &Role) -> RoleState {
    let short = client.short_role_name(&role.name).unwrap_or(&role.name);
    RoleState {
        id: Value::Value(role.name.clone()),
        name: Value::Value(short.to_string()),
        full_name: Value::Value(role.name.clone()),
        description: Value::Value(role.description.clone().unwrap_or_default()),
        permissions: string_set(&role.permissions),
        generation: new_generation(),
        timeouts: Default::default(),
    }
}

/// The short name, description and permission set the plan asks for;
/// `None` while the permissions are unknown.
fn wanted(planned: &RoleState) -> Option<(String, String, Vec<String>)> {
    let permissions = known_string_set(&planned.permissions)?;
    let short = planned.name.clone().unwrap_or_default();
    let description = planned.description.clone().unwrap_or_default();
    Some((short, description, permissions))
}

fn unknown_permissions(doing: &str) -> Failure<RoleState, Written> {
    Failure::message(format!("permissions must be known to {doing} a role"), "")
}

/// Whether `role` has the description and permission set asked for.
fn matches(role: &Role, description: &str, permissions: &[String]) -> bool {
    let mut have = role.permissions.clone();
    have.sort_unstable();
    have.dedup();
    role.description.as_deref().unwrap_or_default() == description && have == permissions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slashid_role_validation_names_attribute_and_limit() {
        let mut diags = Diagnostics::default();
        RoleResource::validate(
            &mut diags,
            &RoleState {
                name: Value::Value("org/x".into()),
                permissions: Value::Value(vec![Value::Value("é".into())]),
                ..Default::default()
            },
        );
        assert_eq!(diags.errors.len(), 2, "{:?}", diags.errors);
        assert!(diags.errors[0].summary.contains("name"));
        assert!(diags.errors[1].detail.contains("between 2 and 1024"));
    }
}
