//! `rbac_slashid_person_roles`: the authoritative set of roles one SlashID
//! person holds, written with `PUT /persons/{id}/roles` (which replaces the
//! whole set; docs/vendors/slashid.md, "RBAC endpoints").

use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{AttributeType, Schema};
use crate::framework::tf::{Value, ValueEmpty};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::SlashidClient;
use super::config::SlashidSettings;
use super::names::validate_role_name;
use crate::framework::plan::{default_if_null, known_string_set, requires_replace, string_set};
use crate::framework::resource::{
    Deleted, Failure, NewState, Outcome, Planned, Read, Refreshed, Removed, ResourceType, Warnings,
};
use crate::framework::schema::{schema, set_of, string};
use crate::framework::timeouts::{self, has_timeouts, ResourceTimeouts};
use crate::framework::ValueStringSet;
use crate::vendors::authoritative::warn_revocations;

type Result<T> = Outcome<T, PersonRolesState>;

/// Terraform state of `rbac_slashid_person_roles`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonRolesState {
    pub id: Value<String>,
    pub person_id: Value<String>,
    pub roles: ValueStringSet,
    pub role_generations: ValueStringSet,
    pub timeouts: ResourceTimeouts,
}
has_timeouts!(PersonRolesState);

/// The resource; [`crate::framework::resource::Adapter`] serves it to
/// Terraform.
pub struct PersonRolesResource;

#[async_trait]
impl ResourceType for PersonRolesResource {
    type Vendor = SlashidSettings;
    type State = PersonRolesState;
    type Private = ValueEmpty;
    const TYPE_NAME: &'static str = "slashid_person_roles";
    const KIND: &'static str = "SlashID person's roles";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        schema(
            "The roles one SlashID person holds, managed as a whole: roles not listed are revoked, and \
             destroying the resource revokes every role from the person. Use one resource per person.",
            vec![
                ("id", string().computed().description("The person ID.")),
                (
                    "person_id",
                    string().required().description("The person's ID (e.g. `pid:…`). Changing it replaces the resource."),
                ),
                (
                    "roles",
                    set_of(AttributeType::String).optional_computed().description(
                        "Short names (without the `<org_id>/` prefix) of the roles the person holds, e.g. \
                         `rbac_slashid_role.viewer.name`. The roles must exist. Defaults to none.",
                    ),
                ),
                (
                    "role_generations",
                    set_of(AttributeType::String).optional().description(
                        "The `generation` of each role in `roles`, e.g. `[rbac_slashid_role.viewer.generation]`. \
                         Not sent to SlashID: when a role is re-created (`-replace`, a rename), SlashID revokes it \
                         from every person, and its generation changes, so Terraform writes this person's roles \
                         again in the same apply instead of leaving the person without the role until the next one.",
                    ),
                ),
            ],
            vec![timeouts::resource_block()],
        )
    }

    /// Plan-time checks.
    fn validate(diags: &mut Diagnostics, config: &PersonRolesState) {
        if let Value::Value(items) = &config.roles {
            for item in items {
                validate_role_name(diags, AttributePath::new("roles"), item);
            }
        }
        if matches!(&config.person_id, Value::Value(p) if p.trim().is_empty()) {
            diags.error(
                "Invalid value for person_id",
                "person_id must not be empty.",
                AttributePath::new("person_id"),
            );
        }
    }

    fn label(state: &PersonRolesState) -> String {
        format!(
            "{:?}",
            state
                .person_id
                .as_ref_option()
                .map(String::as_str)
                .unwrap_or_default()
        )
    }

    async fn plan(
        &self,
        _: Option<&SlashidClient>,
        config: PersonRolesState,
        prior: Option<&PersonRolesState>,
    ) -> Planned<Self> {
        let replace = prior.map_or_else(Vec::new, |prior| {
            requires_replace(&[("person_id", prior.person_id != config.person_id)])
        });
        Ok((plan(config), replace))
    }

    fn holder(state: &PersonRolesState) -> Option<String> {
        let id = state.person_id.as_ref_option()?;
        Some(format!("SlashID person {id}"))
    }

    /// A create warns of the roles the person holds today that `roles`
    /// leaves out: the apply revokes them.
    async fn check_plan(
        &self,
        client: &SlashidClient,
        planned: &PersonRolesState,
        prior: Option<&PersonRolesState>,
        _: &[AttributePath],
        warnings: &mut Warnings,
    ) -> Outcome<(), PersonRolesState> {
        let (None, Some(person_id), Some(wanted)) = (
            prior,
            planned.person_id.as_ref_option(),
            known_string_set(&planned.roles),
        ) else {
            return Ok(());
        };
        let held = match client.get_person_roles(person_id).await {
            Ok(held) => held,
            // The create says so, with what to do.
            Err(err) if err.is_not_found() => return Ok(()),
            Err(err) => return Err(Failure::vendor(err)),
        };
        let revoked: Vec<String> = client
            .shown_role_names(&held)
            .into_iter()
            .filter(|r| !wanted.contains(r))
            .collect();
        let holder = format!("SlashID person {person_id}");
        warn_revocations(
            warnings,
            "rbac_slashid_person_roles",
            &holder,
            "roles",
            &revoked,
        );
        Ok(())
    }

    async fn create(&self, client: &SlashidClient, planned: PersonRolesState) -> NewState<Self> {
        Ok((put(client, &planned).await?, ValueEmpty::default()))
    }

    async fn read(
        &self,
        client: &SlashidClient,
        state: &PersonRolesState,
        _: &ValueEmpty,
    ) -> Refreshed<Self> {
        let Some(person_id) = state.person_id.as_ref_option() else {
            return Ok(Read::Gone);
        };
        match client.get_person_roles(person_id).await {
            Ok(roles) => Ok(Read::Found((
                PersonRolesState {
                    // Configuration only: SlashID does not know it.
                    role_generations: state.role_generations.clone(),
                    ..state_from(client, person_id, &roles)
                },
                ValueEmpty::default(),
            ))),
            Err(err) if err.is_not_found() => Ok(Read::Gone),
            Err(err) => Err(Failure::message(
                format!("Error reading the roles of SlashID person {person_id:?}"),
                err.to_string(),
            )),
        }
    }

    async fn update(
        &self,
        client: &SlashidClient,
        _: PersonRolesState,
        planned: PersonRolesState,
        _: &ValueEmpty,
    ) -> NewState<Self> {
        Ok((put(client, &planned).await?, ValueEmpty::default()))
    }

    async fn delete(
        &self,
        client: &SlashidClient,
        prior: &PersonRolesState,
        _: &ValueEmpty,
    ) -> Removed<Self> {
        let person_id = prior.person_id.clone().unwrap_or_default();
        match client.set_person_roles(&person_id, &[]).await {
            Ok(()) => Ok(Deleted::Done),
            Err(err) if err.is_not_found() => Ok(Deleted::AlreadyGone),
            Err(err) => Err(Failure::message(
                format!("Error revoking the roles of SlashID person {person_id:?}"),
                err.to_string(),
            )),
        }
    }

    /// The key is the person ID.
    async fn import(&self, client: &SlashidClient, person_id: &str) -> NewState<Self> {
        match client.get_person_roles(person_id).await {
            Ok(roles) => Ok((state_from(client, person_id, &roles), ValueEmpty::default())),
            Err(err) if err.is_not_found() => Err(Failure::message(
                format!("Cannot import SlashID person roles {person_id:?}: no such person"),
                format!(
                    "Import takes the person ID, e.g. terraform import <address> \
                     pid:01900000-0000-7000-8000-000000000001 (the rbac_slashid_persons data source \
                     lists them). SlashID said: {err}"
                ),
            )),
            Err(err) => Err(Failure::message(
                format!(
                    "Error importing the roles of SlashID person {person_id:?} (import takes the person ID)"
                ),
                err.to_string(),
            )),
        }
    }
}

fn plan(config: PersonRolesState) -> PersonRolesState {
    PersonRolesState {
        id: config.person_id.clone(),
        person_id: config.person_id,
        roles: default_if_null(config.roles, Vec::new()),
        role_generations: config.role_generations,
        timeouts: config.timeouts,
    }
}
/// Writes the set: one request. `PUT /persons/{id}/roles` replaces the
/// whole set, so a confirmed write (204) is the state. Only a write whose
/// outcome stayed unknown (a 408 or lost response may still have applied
/// it) is read back: the read decides, and a read-back that differs is an
/// error whose state is recorded.
async fn put(client: &SlashidClient, planned: &PersonRolesState) -> Result<PersonRolesState> {
    let person_id = planned.person_id.clone().unwrap_or_default();
    let Some(short) = known_string_set(&planned.roles) else {
        return Err(Failure::message("roles must be known to assign them", ""));
    };
    let full: Vec<String> = short.iter().map(|s| client.full_role_name(s)).collect();
    match client.set_person_roles(&person_id, &full).await {
        Ok(()) => {
            return Ok(PersonRolesState {
                id: Value::Value(person_id.clone()),
                ..planned.clone()
            })
        }
        Err(err) if !err.is_ambiguous() => {
            return Err(Failure::message(
                format!("Error setting the roles of SlashID person {person_id:?}"),
                err.to_string(),
            ));
        }
        Err(err) => {
            tracing::warn!(%person_id, error = %err, "outcome unknown; reading the roles back")
        }
    }
    match client.get_person_roles(&person_id).await {
        Ok(roles) => {
            let state = PersonRolesState {
                role_generations: planned.role_generations.clone(),
                ..state_from(client, &person_id, &roles)
            };
            if known_string_set(&state.roles) != Some(short) {
                return Err(Failure::message(
                    format!("The roles of SlashID person {person_id:?} were not updated"),
                    "The roles read back differ from those sent; the write may still be replicating. Run terraform apply again.",
                )
                .keep(state));
            }
            Ok(state)
        }
        Err(err) => Err(Failure::message(
            format!("Error reading the roles of SlashID person {person_id:?}"),
            err.to_string(),
        )),
    }
}

fn state_from(client: &SlashidClient, person_id: &str, roles: &[String]) -> PersonRolesState {
    PersonRolesState {
        id: Value::Value(person_id.to_string()),
        person_id: Value::Value(person_id.to_string()),
        roles: string_set(&client.shown_role_names(roles)),
        role_generations: Value::Null,
        timeouts: Default::default(),
    }
}
