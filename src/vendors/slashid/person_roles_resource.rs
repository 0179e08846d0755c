//! `rbac_slashid_person_roles`: the authoritative set of roles one SlashID
//! person holds, written with `PUT /persons/{id}/roles` (which replaces the
//! whole set; vendors/slashid.md, "Endpoints").

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::api::SlashidClient;
use super::config::ProviderData;
use super::names::validate_role_name;
use crate::framework::diag::vendor_error;
use crate::framework::plan::{default_if_null, known_string_set, requires_replace, string_set};
use crate::framework::schema::{schema, set_of, string};
use crate::framework::timeouts::{self, has_timeouts, Op, ResourceTimeouts};
use crate::framework::ValueStringSet;

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

/// The resource.
pub struct PersonRolesResource {
    provider: Arc<ProviderData>,
}

impl PersonRolesResource {
    pub fn new(provider: Arc<ProviderData>) -> Self {
        Self { provider }
    }

    pub fn schema() -> Schema {
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

    fn client(&self, diags: &mut Diagnostics) -> Option<SlashidClient> {
        self.provider.client_or_report(diags)
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

fn state_from(client: &SlashidClient, person_id: &str, roles: &[String]) -> PersonRolesState {
    let short: Vec<String> = roles
        .iter()
        .map(|r| client.short_role_name(r).unwrap_or(r).to_string())
        .collect();
    PersonRolesState {
        id: Value::Value(person_id.to_string()),
        person_id: Value::Value(person_id.to_string()),
        roles: string_set(&short),
        role_generations: Value::Null,
        timeouts: Default::default(),
    }
}

/// Writes the set, then reads it back (a 408 or lost response may still
/// have applied it: the read decides).
async fn put(
    diags: &mut Diagnostics,
    client: &SlashidClient,
    planned: &PersonRolesState,
) -> Option<PersonRolesState> {
    let person_id = planned.person_id.as_ref_option()?.clone();
    let Some(short) = known_string_set(&planned.roles) else {
        diags.root_error_short("roles must be known to assign them");
        return None;
    };
    let full: Vec<String> = short.iter().map(|s| client.full_role_name(s)).collect();
    if let Err(err) = client.set_person_roles(&person_id, &full).await {
        if !err.is_ambiguous() {
            vendor_error(
                diags,
                format!("setting the roles of SlashID person {person_id:?}"),
                &err,
            );
            return None;
        }
        tracing::warn!(%person_id, error = %err, "outcome unknown; reading the roles back");
    }
    match client.get_person_roles(&person_id).await {
        Ok(roles) => {
            let state = PersonRolesState {
                role_generations: planned.role_generations.clone(),
                ..state_from(client, &person_id, &roles)
            };
            if known_string_set(&state.roles) != Some(short) {
                diags.root_error(
                    format!("The roles of SlashID person {person_id:?} were not updated"),
                    "The roles read back differ from those sent; the write may still be replicating. Run terraform apply again.",
                );
            }
            Some(state)
        }
        Err(err) => {
            vendor_error(
                diags,
                format!("reading the roles of SlashID person {person_id:?}"),
                &err,
            );
            None
        }
    }
}

#[async_trait]
impl Resource for PersonRolesResource {
    type State<'a> = PersonRolesState;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: PersonRolesState) -> Option<()> {
        config.timeouts.validate(diags);
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
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: PersonRolesState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(PersonRolesState, ValueEmpty)> {
        state.timeouts.clone().run_with_state(Op::Read, diags, async |diags| {
            let person_id = state.person_id.as_ref_option()?.clone();
            let Some(client) = self.client(diags) else {
                return Some((state, ValueEmpty::default()));
            };
            match client.get_person_roles(&person_id).await {
                Ok(roles) => Some((
                    PersonRolesState {
                        // Configuration only: SlashID does not know it.
                        role_generations: state.role_generations.clone(),
                        ..state_from(&client, &person_id, &roles)
                    },
                    ValueEmpty::default(),
                )),
                Err(err) if err.is_not_found() => {
                    tracing::warn!(%person_id, "SlashID person not found; removing the assignment from state");
                    None
                }
                Err(err) => {
                    vendor_error(
                        diags,
                        format!("reading the roles of SlashID person {person_id:?}"),
                        &err,
                    );
                    Some((state, ValueEmpty::default()))
                }
            }
        }).await
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        _proposed: PersonRolesState,
        config: PersonRolesState,
        _meta: ValueEmpty,
    ) -> Option<(PersonRolesState, ValueEmpty)> {
        self.provider.client_at_plan(diags)?;
        Some((plan(config), ValueEmpty::default()))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: PersonRolesState,
        _proposed: PersonRolesState,
        config: PersonRolesState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(PersonRolesState, ValueEmpty, Vec<AttributePath>)> {
        self.provider.client_at_plan(diags)?;
        let replace = requires_replace(&[("person_id", prior.person_id != config.person_id)]);
        Some((plan(config), ValueEmpty::default(), replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: PersonRolesState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<ValueEmpty> {
        Some(ValueEmpty::default())
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: PersonRolesState,
        _config: PersonRolesState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(PersonRolesState, ValueEmpty)> {
        planned
            .timeouts
            .clone()
            .run_with_state(Op::Create, diags, async |diags| {
                let client = self.client(diags)?;
                put(diags, &client, &planned)
                    .await
                    .map(|s| (s, ValueEmpty::default()))
            })
            .await
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        _prior: PersonRolesState,
        planned: PersonRolesState,
        _config: PersonRolesState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(PersonRolesState, ValueEmpty)> {
        planned
            .timeouts
            .clone()
            .run_with_state(Op::Update, diags, async |diags| {
                let client = self.client(diags)?;
                put(diags, &client, &planned)
                    .await
                    .map(|s| (s, ValueEmpty::default()))
            })
            .await
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: PersonRolesState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<()> {
        prior
            .timeouts
            .clone()
            .run(Op::Delete, diags, async |diags| {
                let client = self.client(diags)?;
                let person_id = prior.person_id.as_ref_option()?.clone();
                match client.set_person_roles(&person_id, &[]).await {
                    Ok(()) => Some(()),
                    Err(err) if err.is_not_found() => Some(()),
                    Err(err) => {
                        vendor_error(
                            diags,
                            format!("revoking the roles of SlashID person {person_id:?}"),
                            &err,
                        );
                        None
                    }
                }
            })
            .await
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(PersonRolesState, ValueEmpty)> {
        let client = self.client(diags)?;
        let person_id = id.trim().to_string();
        match client.get_person_roles(&person_id).await {
            Ok(roles) => Some((
                state_from(&client, &person_id, &roles),
                ValueEmpty::default(),
            )),
            Err(err) => {
                vendor_error(
                    diags,
                    format!("importing the roles of SlashID person {person_id:?} (import takes the person ID)"),
                    &err,
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slashid_person_roles_state_matches_schema() {
        crate::framework::schema::assert_state_matches_schema::<PersonRolesState>(
            &PersonRolesResource::schema(),
        );
    }
}
