//! `rbac_zenml_role_assignments` data source: every role assignment of a
//! ZenML Pro organization, built-in and custom roles alike. ZenML lists
//! assignments per role only (`GET /roles/{role_id}/assignments`), so this
//! lists the organization's roles (`GET /organizations/{id}/roles`), then
//! each role's assignments, at most [`CONCURRENCY`] calls in flight.
//!
//! ASSUMPTION (docs/vendors/zenml.md, "Assignments"): the assignment listing
//! is named only by a third party (**unverified**), and neither listing is
//! documented as paginated: one call returns everything (as the client's
//! `list_roles` and `list_assignments` already assume).

use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use futures::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};

use super::api::{Assignment, AssignmentParams, Principal, ZenmlClient};
use super::config::ZenmlSettings;
use super::ids::validate_uuid;
use super::role_assignment_resource::composite_id;
use crate::framework::data_source::DataSourceType;
use crate::framework::resource::{Failure, Outcome};
use crate::framework::schema::{list_of, object, schema, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};

/// Assignment listings in flight at once.
pub const CONCURRENCY: usize = 8;

/// Terraform state of the `rbac_zenml_role_assignments` data source.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AssignmentsState {
    pub organization_id: Value<String>,
    pub role_id: Value<String>,
    pub user_id: Value<String>,
    pub team_id: Value<String>,
    pub assignments: Value<Vec<Value<AssignmentItem>>>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(AssignmentsState, ReadTimeouts);

/// One element of `assignments`: the attributes of
/// `rbac_zenml_role_assignment` (a unit test keeps them equal). Its own
/// struct rather than the resource's State, which may carry more than the
/// vendor's object (e.g. a `timeouts` block).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AssignmentItem {
    pub id: Value<String>,
    pub role_id: Value<String>,
    pub user_id: Value<String>,
    pub team_id: Value<String>,
    pub invitation_id: Value<String>,
    pub workspace_id: Value<String>,
    pub project_id: Value<String>,
}

impl AssignmentItem {
    /// `None` for an entry that names no principal (nothing to adopt).
    fn new(role_id: &str, a: &Assignment) -> Option<Self> {
        let principal = if let Some(id) = &a.user_id {
            Principal::User(id.clone())
        } else if let Some(id) = &a.team_id {
            Principal::Team(id.clone())
        } else {
            Principal::Invitation(a.invitation_id.clone()?)
        };
        let params = AssignmentParams {
            role_id: role_id.to_string(),
            principal,
            workspace_id: a.workspace_id.clone(),
            project_id: a.project_id.clone(),
        };
        Some(AssignmentItem {
            id: Value::Value(composite_id(&params)),
            role_id: Value::Value(role_id.to_string()),
            user_id: a.user_id.clone().into(),
            team_id: a.team_id.clone().into(),
            invitation_id: a.invitation_id.clone().into(),
            workspace_id: a.workspace_id.clone().into(),
            project_id: a.project_id.clone().into(),
        })
    }

    /// Whether the item passes the optional `filter` (case-insensitive, as
    /// ZenML's UUIDs are).
    fn matches(value: &Value<String>, filter: &Value<String>) -> bool {
        match filter.as_ref_option() {
            None => true,
            Some(f) => value
                .as_ref_option()
                .is_some_and(|v| v.eq_ignore_ascii_case(f)),
        }
    }
}

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct RoleAssignmentsDataSource;

#[async_trait]
impl DataSourceType for RoleAssignmentsDataSource {
    type Vendor = ZenmlSettings;
    type State = AssignmentsState;
    const TYPE_NAME: &'static str = "zenml_role_assignments";
    const KIND: &'static str = "ZenML role assignments";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        let assignment = object(&[
            ("id", AttributeType::String),
            ("role_id", AttributeType::String),
            ("user_id", AttributeType::String),
            ("team_id", AttributeType::String),
            ("invitation_id", AttributeType::String),
            ("workspace_id", AttributeType::String),
            ("project_id", AttributeType::String),
        ]);
        schema(
            "Every role assignment of a ZenML Pro organization, for built-in and custom roles alike (an \
             organization membership is an assignment of a built-in organization role). ZenML lists \
             assignments per role, so this reads the organization's roles, then each role's assignments. \
             The attribute names are those of `rbac_zenml_role_assignment`, and `id` is its import ID, so \
             that `for_each` and `import` blocks can adopt existing assignments. Filters combine (AND).",
            vec![
                ("organization_id", string().required().description("UUID of the organization.")),
                ("role_id", string().optional().description(
                    "Only the assignments of this role (UUID); one listing call instead of one per role.",
                )),
                ("user_id", string().optional().description("Only the assignments to this user (UUID).")),
                ("team_id", string().optional().description("Only the assignments to this team (UUID).")),
                ("assignments", list_of(assignment).computed().description(
                    "The matching assignments, sorted by `id`: `id` (`<role_id>/<user|team|invitation>/<principal_id>[/<workspace_id>\
                     [/<project_id>]]`), `role_id`, one of `user_id`, `team_id` and `invitation_id`, and \
                     `workspace_id` / `project_id` (null when the assignment is not scoped to one).",
                )),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    fn validate(diags: &mut Diagnostics, config: &AssignmentsState) {
        validate_uuid(diags, "organization_id", &config.organization_id);
        validate_uuid(diags, "role_id", &config.role_id);
        validate_uuid(diags, "user_id", &config.user_id);
        validate_uuid(diags, "team_id", &config.team_id);
    }

    async fn read(
        &self,
        client: &ZenmlClient,
        config: AssignmentsState,
    ) -> Outcome<AssignmentsState, ()> {
        let org = config
            .organization_id
            .as_ref_option()
            .map(|o| o.to_ascii_lowercase())
            .unwrap_or_default();
        let role_ids: Vec<String> = match config.role_id.as_ref_option() {
            Some(id) => vec![id.to_ascii_lowercase()],
            None => client
                .list_roles(&org, None, None)
                .await
                .map_err(Failure::vendor)?
                .into_iter()
                .map(|r| r.id)
                .collect(),
        };
        let listings: Vec<_> = stream::iter(role_ids.into_iter().map(|id| async move {
            let list = client.list_assignments(&id).await;
            (id, list)
        }))
        .buffered(CONCURRENCY)
        .collect()
        .await;
        let mut items = Vec::new();
        for (role_id, list) in listings {
            let list = match list {
                Ok(list) => list,
                Err(err) if err.is_not_found() && config.role_id.is_null() => {
                    // Deleted between the two listings: it has no assignments left.
                    tracing::debug!(%role_id, "ZenML role gone while listing assignments");
                    continue;
                }
                Err(err) if err.is_not_found() => {
                    return Err(Failure::attribute(
                        AttributePath::new("role_id"),
                        format!("No ZenML role {role_id}"),
                        format!(
                            "ZenML answered 404 for role {role_id}; the rbac_zenml_roles data source lists \
                             the organization's roles. {err}"
                        ),
                    ))
                }
                Err(err) => return Err(Failure::vendor(err)),
            };
            items.extend(list.iter().filter_map(|a| AssignmentItem::new(&role_id, a)));
        }
        items.retain(|i| {
            AssignmentItem::matches(&i.user_id, &config.user_id)
                && AssignmentItem::matches(&i.team_id, &config.team_id)
        });
        // A stable order: ZenML orders roles created in the same second by
        // their random UUIDs, so its order alone could shift between reads.
        items.sort_by(|a, b| a.id.as_ref_option().cmp(&b.id.as_ref_option()));
        Ok(AssignmentsState {
            assignments: Value::Value(items.into_iter().map(Value::Value).collect()),
            ..config
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::resource::ResourceType;
    use crate::vendors::zenml::role_assignment_resource::{
        parse_composite_id, RoleAssignmentResource,
    };

    const R: &str = "11111111-1111-4111-8111-111111111111";
    const T: &str = "22222222-2222-4222-8222-222222222222";
    const W: &str = "33333333-3333-4333-8333-333333333333";

    /// The elements carry exactly the attributes of `rbac_zenml_role_assignment`.
    #[test]
    fn items_have_the_resource_attribute_names() {
        crate::framework::schema::assert_item_matches_resource::<AssignmentItem>(
            &RoleAssignmentResource::schema(),
        );
    }

    /// `id` is the resource's import ID: importing it gives the same object.
    #[test]
    fn item_id_is_the_import_id() {
        let entry = Assignment {
            team_id: Some(T.into()),
            workspace_id: Some(W.into()),
            ..Default::default()
        };
        let item = AssignmentItem::new(R, &entry).unwrap();
        assert_eq!(item.id, Value::Value(format!("{R}/team/{T}/{W}")));
        let imported = parse_composite_id(item.id.as_ref_option().unwrap()).unwrap();
        let mut imported = serde_json::to_value(&imported).unwrap();
        // The resource's `timeouts` block is configuration, not part of the object.
        imported.as_object_mut().unwrap().remove("timeouts");
        assert_eq!(imported, serde_json::to_value(&item).unwrap());
        assert!(AssignmentItem::new(R, &Assignment::default()).is_none());
    }
}
