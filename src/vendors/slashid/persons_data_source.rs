//! `rbac_slashid_persons` data source: the roles each given SlashID person
//! holds (`GET /persons/{person_id}/roles`, one call per person, at most
//! [`CONCURRENCY`] in flight; docs/vendors/slashid.md, "RBAC endpoints").
//!
//! The person IDs are an input, not a listing. Persons found by email
//! (SlashID's Persons API, `GET /persons`; docs/vendors/slashid.md,
//! "Listing persons") are `rbac_access`'s job.

use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use futures::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};

use super::api::SlashidClient;
use super::config::SlashidSettings;
use super::listing::CONCURRENCY;
use super::names::validate_role_name;
use crate::framework::data_source::DataSourceType;
use crate::framework::plan::{known_string_set, string_set};
use crate::framework::resource::{Failure, Outcome};
use crate::framework::schema::{list_of, object, schema, set_of, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};
use crate::framework::ValueStringSet;

/// Terraform state of the `rbac_slashid_persons` data source.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PersonsState {
    pub person_ids: ValueStringSet,
    pub role: Value<String>,
    pub persons: Value<Vec<Value<PersonItem>>>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(PersonsState, ReadTimeouts);

/// One element of `persons`: the attributes of `rbac_slashid_person_roles`
/// (a unit test keeps them equal), in a struct of its own for the same
/// reason as the ZenML assignment items: a resource State may carry more.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonItem {
    pub id: Value<String>,
    pub person_id: Value<String>,
    pub roles: ValueStringSet,
}

impl PersonItem {
    /// `roles` as SlashID returns them (full names), shown short, as on the
    /// resource.
    fn new(client: &SlashidClient, person_id: &str, roles: &[String]) -> Self {
        PersonItem {
            id: Value::Value(person_id.to_string()),
            person_id: Value::Value(person_id.to_string()),
            roles: string_set(&client.shown_role_names(roles)),
        }
    }

    fn holds(&self, role: &str) -> bool {
        matches!(&self.roles, Value::Value(rs) if rs.iter().any(|r| r.as_ref_option().is_some_and(|r| r == role)))
    }
}

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct PersonsDataSource;

#[async_trait]
impl DataSourceType for PersonsDataSource {
    type Vendor = SlashidSettings;
    type State = PersonsState;
    const TYPE_NAME: &'static str = "slashid_persons";
    const KIND: &'static str = "SlashID persons' roles";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        let person = object(&[
            ("id", AttributeType::String),
            ("person_id", AttributeType::String),
            ("roles", AttributeType::Set(Box::new(AttributeType::String))),
        ]);
        schema(
            "The roles each of the given SlashID persons holds. SlashID's RBAC API has no endpoint that \
             lists an organization's persons, so their IDs are an input (from your identity source, or \
             `terraform state`). The attribute names are those of `rbac_slashid_person_roles`, so that \
             `for_each` and `import` blocks can adopt existing assignments (`import` takes the person ID).",
            vec![
                ("person_ids", set_of(AttributeType::String).required().description(
                    "IDs of the persons to read (e.g. `pid:…`). An ID SlashID does not know is an error.",
                )),
                ("role", string().optional().description(
                    "Only persons who hold this role (short name, without the `<org_id>/` prefix).",
                )),
                ("persons", list_of(person).computed().description(
                    "The persons, sorted by ID: `id` and `person_id` (both the person ID) and `roles` (short \
                     role names; empty when the person holds none).",
                )),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    fn validate(diags: &mut Diagnostics, config: &PersonsState) {
        if let Value::Value(ids) = &config.person_ids {
            if ids
                .iter()
                .any(|id| matches!(id, Value::Value(s) if s.trim().is_empty()))
            {
                diags.error(
                    "Invalid value for person_ids",
                    "person_ids must not contain an empty ID.",
                    AttributePath::new("person_ids"),
                );
            }
        }
        validate_role_name(diags, AttributePath::new("role"), &config.role);
    }

    async fn read(
        &self,
        client: &SlashidClient,
        config: PersonsState,
    ) -> Outcome<PersonsState, ()> {
        let ids = known_string_set(&config.person_ids).unwrap_or_default();
        let results: Vec<_> = stream::iter(ids.into_iter().map(|id| async move {
            let roles = client.get_person_roles(&id).await;
            (id, roles)
        }))
        .buffered(CONCURRENCY)
        .collect()
        .await;
        let mut persons = Vec::with_capacity(results.len());
        for (id, roles) in results {
            match roles {
                Ok(roles) => persons.push(PersonItem::new(client, &id, &roles)),
                Err(err) if err.is_not_found() => {
                    return Err(Failure::attribute(
                        AttributePath::new("person_ids"),
                        format!("No SlashID person {id:?}"),
                        format!(
                            "SlashID answered 404 for person {id:?} in organization {}: remove the ID from \
                             person_ids (person IDs look like pid:01900000-0000-7000-8000-000000000001). {err}",
                            client.org_id()
                        ),
                    ))
                }
                Err(err) => return Err(Failure::vendor(err)),
            }
        }
        if let Some(role) = config.role.as_ref_option() {
            persons.retain(|p| p.holds(role));
        }
        Ok(PersonsState {
            persons: Value::Value(persons.into_iter().map(Value::Value).collect()),
            ..config
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::resource::ResourceType;

    /// The elements carry exactly the attributes of `rbac_slashid_person_roles`.
    #[test]
    fn person_items_have_the_resource_attribute_names() {
        // `role_generations` is configuration only (it references the roles'
        // `generation` so that a replaced role is granted again); SlashID
        // knows nothing of it, so a listing cannot return it.
        let mut schema = super::super::person_roles_resource::PersonRolesResource::schema();
        schema.block.attributes.remove("role_generations");
        crate::framework::schema::assert_item_matches_resource::<PersonItem>(&schema);
    }
}
