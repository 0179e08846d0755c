//! `rbac_zenml_role_assignment`: one ZenML Pro role granted to a user, team
//! or invitation, optionally scoped to a workspace and project
//! (vendors/zenml.md "Related endpoints": the assignment endpoints take
//! query parameters, not a body). Nothing can change in place.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::api::{AssignmentParams, Principal, ZenmlClient};
use super::config::ProviderData;
use super::ids::{is_uuid, report, validate_uuid};
use crate::framework::schema::{schema, string};
use crate::framework::timeouts::{self, has_timeouts, Op, ResourceTimeouts};
use crate::framework::validate::exactly_one_of;

/// Arguments, all of which force replacement.
const ARGUMENTS: [&str; 6] = [
    "role_id",
    "user_id",
    "team_id",
    "invitation_id",
    "workspace_id",
    "project_id",
];

/// Terraform state of `rbac_zenml_role_assignment`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AssignmentState {
    pub id: Value<String>,
    pub role_id: Value<String>,
    pub user_id: Value<String>,
    pub team_id: Value<String>,
    pub invitation_id: Value<String>,
    pub workspace_id: Value<String>,
    pub project_id: Value<String>,
    pub timeouts: ResourceTimeouts,
}
has_timeouts!(AssignmentState);

impl AssignmentState {
    fn get(&self, name: &str) -> &Value<String> {
        match name {
            "role_id" => &self.role_id,
            "user_id" => &self.user_id,
            "team_id" => &self.team_id,
            "invitation_id" => &self.invitation_id,
            "workspace_id" => &self.workspace_id,
            _ => &self.project_id,
        }
    }
}

/// The resource.
pub struct RoleAssignmentResource {
    provider: Arc<ProviderData>,
}

const IMPORT_FORMAT: &str = "The import ID is `<role_id>/<user|team|invitation>/<principal_id>`, \
     followed by `/<workspace_id>` for a workspace-scoped assignment and `/<workspace_id>/<project_id>` \
     for a project-scoped one; every ID is a UUID.";

impl RoleAssignmentResource {
    pub fn new(provider: Arc<ProviderData>) -> Self {
        Self { provider }
    }

    /// The schema; its descriptions are the published documentation.
    pub fn schema() -> Schema {
        schema(
            "Grants a ZenML Pro role to one user, team or invitation, organization-wide or scoped to a \
             workspace (workspace roles) or a workspace and project (project roles). Every argument \
             forces a new assignment. The `id` (also the import ID) is \
             `<role_id>/<user|team|invitation>/<principal_id>[/<workspace_id>[/<project_id>]]`.",
            vec![
                ("id", string().computed().description(
                    "`<role_id>/<user|team|invitation>/<principal_id>[/<workspace_id>[/<project_id>]]`.",
                )),
                ("role_id", string().required().description(
                    "UUID of the role: a custom `rbac_zenml_role` or a built-in role from the \
                     `rbac_zenml_roles` data source.",
                )),
                ("user_id", string().optional().description("UUID of the user who gets the role. Set exactly one of `user_id`, `team_id` and `invitation_id`.")),
                ("team_id", string().optional().description("UUID of the team that gets the role.")),
                ("invitation_id", string().optional().description("UUID of a pending invitation that gets the role.")),
                ("workspace_id", string().optional().description(
                    "UUID of the workspace the assignment is limited to: needed for workspace and project roles, \
                     left out for organization roles.",
                )),
                ("project_id", string().optional().description(
                    "UUID of the project the assignment is limited to (project roles; needs `workspace_id`).",
                )),
            ],
            vec![timeouts::resource_block()],
        )
    }

    fn client(&self, diags: &mut Diagnostics) -> Option<ZenmlClient> {
        self.provider.client_or_report(diags)
    }
}

/// Plan-time checks.
pub fn validate_assignment(diags: &mut Diagnostics, config: &AssignmentState) {
    for name in ARGUMENTS {
        validate_uuid(diags, name, config.get(name));
    }
    exactly_one_of(
        diags,
        &["user_id", "team_id", "invitation_id"],
        &[
            (&config.user_id).into(),
            (&config.team_id).into(),
            (&config.invitation_id).into(),
        ],
    );
    if !config.project_id.is_null() && config.workspace_id.is_null() {
        diags.error(
            "Missing workspace_id",
            "project_id needs workspace_id too: ZenML scopes a project role assignment by workspace and project.",
            AttributePath::new("workspace_id"),
        );
    }
}

/// The call parameters of a fully known state.
fn params(state: &AssignmentState) -> Option<AssignmentParams> {
    let known = |v: &Value<String>| v.as_ref_option().cloned();
    let principal = if let Some(id) = known(&state.user_id) {
        Principal::User(id)
    } else if let Some(id) = known(&state.team_id) {
        Principal::Team(id)
    } else {
        Principal::Invitation(known(&state.invitation_id)?)
    };
    Some(AssignmentParams {
        role_id: known(&state.role_id)?,
        principal,
        workspace_id: known(&state.workspace_id),
        project_id: known(&state.project_id),
    })
}

/// `<role_id>/<kind>/<principal_id>[/<workspace_id>[/<project_id>]]`.
pub fn composite_id(p: &AssignmentParams) -> String {
    let (param, id) = p.principal.param();
    let kind = param.trim_end_matches("_id");
    let mut out = format!("{}/{kind}/{id}", p.role_id);
    if let Some(ws) = &p.workspace_id {
        out.push('/');
        out.push_str(ws);
        if let Some(project) = &p.project_id {
            out.push('/');
            out.push_str(project);
        }
    }
    out
}

/// The state an import ID describes, or `None` when it is malformed.
/// Equal, or the same UUID in another letter case.
fn same_uuid(a: &Value<String>, b: &Value<String>) -> bool {
    match (a, b) {
        (Value::Value(a), Value::Value(b)) => a.eq_ignore_ascii_case(b),
        _ => a == b,
    }
}

pub fn parse_composite_id(id: &str) -> Option<AssignmentState> {
    let parts: Vec<&str> = id.trim().split('/').collect();
    if !(3..=5).contains(&parts.len())
        || parts.iter().enumerate().any(|(i, p)| i != 1 && !is_uuid(p))
    {
        return None;
    }
    let some = |s: &str| Value::Value(s.to_string());
    let mut state = AssignmentState {
        id: some(id.trim()),
        role_id: some(parts[0]),
        workspace_id: parts.get(3).map(|s| some(s)).unwrap_or_default(),
        project_id: parts.get(4).map(|s| some(s)).unwrap_or_default(),
        ..Default::default()
    };
    match parts[1] {
        "user" => state.user_id = some(parts[2]),
        "team" => state.team_id = some(parts[2]),
        "invitation" => state.invitation_id = some(parts[2]),
        _ => return None,
    }
    Some(state)
}

#[async_trait]
impl Resource for RoleAssignmentResource {
    type State<'a> = AssignmentState;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: AssignmentState) -> Option<()> {
        config.timeouts.validate(diags);
        validate_assignment(diags, &config);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: AssignmentState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(AssignmentState, ValueEmpty)> {
        state.timeouts.clone().run_with_state(Op::Read, diags, async |diags| {
            let Some(p) = params(&state) else {
                diags.root_error_short("the ZenML role assignment in the state is incomplete");
                return None;
            };
            let Some(client) = self.client(diags) else {
                return Some((state, ValueEmpty::default()));
            };
            match client.list_assignments(&p.role_id).await {
                Ok(list) if list.iter().any(|a| a.matches(&p)) => Some((state, ValueEmpty::default())),
                Ok(_) => {
                    tracing::warn!(id = %composite_id(&p), "ZenML role assignment not found; removing it from state");
                    None
                }
                Err(err) if err.is_not_found() => {
                    tracing::warn!(role_id = %p.role_id, "ZenML role not found; removing its assignment from state");
                    None
                }
                Err(err) => {
                    report(
                        diags,
                        format!("reading the assignments of ZenML role {}", p.role_id),
                        &err,
                        &[],
                    );
                    Some((state, ValueEmpty::default()))
                }
            }
        }).await
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        _proposed: AssignmentState,
        config: AssignmentState,
        _meta: ValueEmpty,
    ) -> Option<(AssignmentState, ValueEmpty)> {
        self.provider.client_at_plan(diags)?;
        let planned = AssignmentState {
            id: Value::Unknown,
            ..config
        };
        Some((planned, ValueEmpty::default()))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: AssignmentState,
        _proposed: AssignmentState,
        config: AssignmentState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(AssignmentState, ValueEmpty, Vec<AttributePath>)> {
        self.provider.client_at_plan(diags)?;
        let replace: Vec<AttributePath> = ARGUMENTS
            .iter()
            // UUIDs in another letter case are the same object (ZenML
            // answers in lower case): a case-only change is an in-place
            // update that sends nothing, never a revoke and re-grant.
            .filter(|name| !same_uuid(prior.get(name), config.get(name)))
            .map(|name| AttributePath::new(name.to_string()))
            .collect();
        let id = if replace.is_empty() {
            prior.id.clone()
        } else {
            Value::Unknown
        };
        Some((
            AssignmentState { id, ..config },
            ValueEmpty::default(),
            replace,
        ))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: AssignmentState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<ValueEmpty> {
        Some(ValueEmpty::default())
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: AssignmentState,
        _config: AssignmentState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(AssignmentState, ValueEmpty)> {
        planned
            .timeouts
            .clone()
            .run_with_state(Op::Create, diags, async |diags| {
                let client = self.client(diags)?;
                let Some(p) = params(&planned) else {
                    diags.root_error_short("every argument must be known to assign a ZenML role");
                    return None;
                };
                if let Err(err) = client.assign_role(&p).await {
                    report(
                        diags,
                        format!("assigning ZenML role {}", p.role_id),
                        &err,
                        &ARGUMENTS,
                    );
                    return None;
                }
                let id = composite_id(&p);
                tracing::info!(%id, "assigned ZenML role");
                Some((
                    AssignmentState {
                        id: Value::Value(id),
                        ..planned
                    },
                    ValueEmpty::default(),
                ))
            })
            .await
    }

    async fn update<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: AssignmentState,
        planned: AssignmentState,
        _config: AssignmentState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(AssignmentState, ValueEmpty)> {
        // Every argument forces replacement (only `timeouts` can change in
        // place), so there is nothing to send.
        Some((planned, ValueEmpty::default()))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: AssignmentState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<()> {
        prior.timeouts.clone().run(Op::Delete, diags, async |diags| {
            let client = self.client(diags)?;
            let p = params(&prior)?;
            match client.revoke_role(&p).await {
                Ok(()) => Some(()),
                Err(err) if err.is_not_found() => {
                    tracing::info!(id = %composite_id(&p), "ZenML role assignment already gone");
                    Some(())
                }
                Err(err) => {
                    report(
                        diags,
                        format!("revoking ZenML role {}", p.role_id),
                        &err,
                        &[],
                    );
                    None
                }
            }
        }).await
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(AssignmentState, ValueEmpty)> {
        let client = self.client(diags)?;
        let Some(state) = parse_composite_id(&id) else {
            diags.root_error(
                format!("Cannot import ZenML role assignment {id:?}: unrecognised ID"),
                IMPORT_FORMAT,
            );
            return None;
        };
        let p = params(&state)?;
        match client.list_assignments(&p.role_id).await {
            Ok(list) if list.iter().any(|a| a.matches(&p)) => Some((state, ValueEmpty::default())),
            Ok(_) => {
                diags.root_error(
                    format!("Cannot import ZenML role assignment {id:?}: no such assignment"),
                    format!(
                        "Role {} has no assignment with these IDs. {IMPORT_FORMAT}",
                        p.role_id
                    ),
                );
                None
            }
            Err(err) => {
                report(
                    diags,
                    format!("importing ZenML role assignment {id:?}"),
                    &err,
                    &[],
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::assert_state_matches_schema;

    const R: &str = "11111111-1111-4111-8111-111111111111";
    const U: &str = "22222222-2222-4222-8222-222222222222";
    const W: &str = "33333333-3333-4333-8333-333333333333";
    const P: &str = "44444444-4444-4444-8444-444444444444";

    #[test]
    fn state_matches_schema() {
        assert_state_matches_schema::<AssignmentState>(&RoleAssignmentResource::schema());
    }

    #[test]
    fn composite_ids_round_trip() {
        for id in [
            format!("{R}/user/{U}"),
            format!("{R}/team/{U}/{W}"),
            format!("{R}/invitation/{U}/{W}/{P}"),
        ] {
            let state = parse_composite_id(&id).unwrap();
            assert_eq!(composite_id(&params(&state).unwrap()), id);
        }
        assert!(parse_composite_id(&format!("{R}/group/{U}")).is_none());
        assert!(parse_composite_id(&format!("{R}/user")).is_none());
        assert!(parse_composite_id(&format!("{R}/user/not-a-uuid")).is_none());
    }

    #[test]
    fn validation_wants_one_principal_and_a_workspace_for_projects() {
        let mut diags = Diagnostics::default();
        validate_assignment(
            &mut diags,
            &AssignmentState {
                role_id: Value::Value(R.into()),
                project_id: Value::Value(P.into()),
                ..Default::default()
            },
        );
        let text: Vec<String> = diags.errors.iter().map(|d| d.detail.to_string()).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(text[0].contains("Exactly one of `user_id`, `team_id`, `invitation_id`"));
        assert!(text[1].contains("workspace_id"));
    }
}
