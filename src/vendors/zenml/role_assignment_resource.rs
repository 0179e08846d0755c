//! `rbac_zenml_role_assignment`: one ZenML Pro role granted to a user, team
//! or invitation, optionally scoped to a workspace and project
//! (docs/vendors/zenml.md, "Assignments": the assignment endpoints take
//! query parameters, not a body). Nothing can change in place. Its ID, also
//! the import ID, is the composite
//! `<role_id>/<user|team|invitation>/<principal_id>[/<workspace_id>[/<project_id>]]`.
//!
//! Never taken over: an assignment this run did not make is never recorded
//! as created by it, nor imported where a destroy in the same plan would
//! revoke it. Assigning is idempotent at ZenML and its answer does not say
//! whether the assignment existed, so the resource asks first
//! ([`ZenmlClient::holding`]).

use crate::framework::tf::Schema;
use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{Value, ValueEmpty};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{AssignmentParams, Holding, Managed, Principal, ZenmlClient};
use super::config::ZenmlSettings;
use super::ids::{failure, is_uuid, validate_uuid};
use crate::framework::resource::{
    Deleted, Failure, NewState, Outcome, Planned, Read, Refreshed, Removed, ResourceType, Warnings,
};
use crate::framework::schema::{schema, string};
use crate::framework::timeouts::{self, has_timeouts, ResourceTimeouts};
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

/// The resource; [`crate::framework::resource::Adapter`] serves it to Terraform.
pub struct RoleAssignmentResource;

const IMPORT_FORMAT: &str = "The import ID is `<role_id>/<user|team|invitation>/<principal_id>`, \
     followed by `/<workspace_id>` for a workspace-scoped assignment and `/<workspace_id>/<project_id>` \
     for a project-scoped one; every ID is a UUID.";

#[async_trait]
impl ResourceType for RoleAssignmentResource {
    type Vendor = ZenmlSettings;
    type State = AssignmentState;
    type Private = ValueEmpty;
    const TYPE_NAME: &'static str = "zenml_role_assignment";
    const KIND: &'static str = "ZenML role assignment";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
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

    /// Plan-time checks.
    fn validate(diags: &mut Diagnostics, config: &AssignmentState) {
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

    /// The composite ID (empty before the assignment has one).
    fn label(state: &AssignmentState) -> String {
        state.id.as_ref_option().cloned().unwrap_or_default()
    }

    async fn plan(
        &self,
        _: Option<&ZenmlClient>,
        config: AssignmentState,
        prior: Option<&AssignmentState>,
    ) -> Planned<Self> {
        let Some(prior) = prior else {
            let planned = AssignmentState {
                id: Value::Unknown,
                ..config
            };
            return Ok((planned, vec![]));
        };
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
        Ok((AssignmentState { id, ..config }, replace))
    }

    /// A new assignment must not exist yet: see [`not_taken_over`]. An
    /// unknown argument is checked at apply instead. Only plans without a
    /// prior state are checked: Terraform plans a replacement's new half
    /// again with none, so each new assignment is checked once.
    async fn check_plan(
        &self,
        client: &ZenmlClient,
        planned: &AssignmentState,
        prior: Option<&AssignmentState>,
        _: &[AttributePath],
        _: &mut Warnings,
    ) -> Outcome<(), AssignmentState> {
        if prior.is_some() {
            return Ok(());
        }
        let Some(p) = params(planned) else {
            return Ok(());
        };
        not_taken_over(client, &p).await?;
        if !client.plan_to_create(&p) {
            return Err(twice(&p));
        }
        Ok(())
    }

    async fn create(&self, client: &ZenmlClient, planned: AssignmentState) -> NewState<Self> {
        let Some(p) = params(&planned) else {
            return Err(Failure::message(
                "every argument must be known to assign a ZenML role",
                "",
            ));
        };
        not_taken_over(client, &p).await?;
        if let Err(err) = client.assign_role(&p).await {
            let doing = format!("assigning ZenML role {}", p.role_id);
            return Err(failure(doing, &err, &ARGUMENTS));
        }
        let id = composite_id(&p);
        tracing::info!(%id, "assigned ZenML role");
        let state = AssignmentState {
            id: Value::Value(id),
            ..planned
        };
        Ok((state, ValueEmpty::default()))
    }

    async fn read(
        &self,
        client: &ZenmlClient,
        state: &AssignmentState,
        _: &ValueEmpty,
    ) -> Refreshed<Self> {
        let p = params(state).ok_or_else(incomplete)?;
        match client.read_assignments(&p.role_id).await {
            Ok(list) if list.iter().any(|a| a.matches(&p)) => {
                client.note_managed(&p, Managed::InState);
                Ok(Read::Found((state.clone(), ValueEmpty::default())))
            }
            Ok(_) => Ok(Read::Gone),
            // The role is gone, and its assignments with it.
            Err(err) if err.is_not_found() => Ok(Read::Gone),
            Err(err) => Err(failure(
                format!("reading the assignments of ZenML role {}", p.role_id),
                &err,
                &[],
            )),
        }
    }

    /// Every argument forces replacement (only `timeouts` can change in
    /// place), so there is nothing to send.
    async fn update(
        &self,
        _: &ZenmlClient,
        _: AssignmentState,
        planned: AssignmentState,
        _: &ValueEmpty,
    ) -> NewState<Self> {
        Ok((planned, ValueEmpty::default()))
    }

    async fn delete(
        &self,
        client: &ZenmlClient,
        prior: &AssignmentState,
        _: &ValueEmpty,
    ) -> Removed<Self> {
        let p = params(prior).ok_or_else(incomplete)?;
        match client.revoke_role(&p).await {
            Ok(()) => Ok(Deleted::Done),
            Err(err) if err.is_not_found() => Ok(Deleted::AlreadyGone),
            Err(err) => Err(failure(
                format!("revoking ZenML role {}", p.role_id),
                &err,
                &[],
            )),
        }
    }

    async fn import(&self, client: &ZenmlClient, key: &str) -> NewState<Self> {
        let Some(state) = parse_composite_id(key) else {
            return Err(Failure::message(
                format!("Cannot import ZenML role assignment {key:?}: unrecognised ID"),
                IMPORT_FORMAT,
            ));
        };
        let p = params(&state).ok_or_else(incomplete)?;
        let list = client
            .read_assignments(&p.role_id)
            .await
            .map_err(Failure::vendor)?;
        if !list.iter().any(|a| a.matches(&p)) {
            return Err(Failure::message(
                format!("Cannot import ZenML role assignment {key:?}: no such assignment"),
                format!(
                    "Role {} has no assignment with these IDs. {IMPORT_FORMAT}",
                    p.role_id
                ),
            ));
        }
        if let Some(Managed::InState | Managed::Destroying) =
            client.note_managed(&p, Managed::Imported)
        {
            return Err(imported_twice(&p));
        }
        Ok((state, ValueEmpty::default()))
    }

    /// A destroy of an assignment that this plan also imports at another
    /// address (a renamed resource imported instead of moved) would revoke
    /// what the import records: refused, whichever of the two came first.
    async fn check_destroy(
        &self,
        client: &ZenmlClient,
        prior: &AssignmentState,
    ) -> Outcome<(), AssignmentState> {
        let Some(p) = params(prior) else {
            return Ok(());
        };
        match client.note_managed(&p, Managed::Destroying) {
            Some(Managed::Imported) => Err(imported_twice(&p)),
            _ => Ok(()),
        }
    }
}

/// A stored state always names a role and a principal.
fn incomplete() -> Failure<AssignmentState> {
    Failure::message("the ZenML role assignment in the state is incomplete", "")
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

/// Equal, or the same UUID in another letter case.
fn same_uuid(a: &Value<String>, b: &Value<String>) -> bool {
    match (a, b) {
        (Value::Value(a), Value::Value(b)) => a.eq_ignore_ascii_case(b),
        _ => a == b,
    }
}

/// The state an import ID describes, or `None` when it is malformed.
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

/// Refuses to record as created an assignment this run did not make: one
/// held before it (granted by hand, by another workspace, or by another
/// resource, whose destroy would then revoke access this one never
/// granted), or one another resource of this run granted.
async fn not_taken_over(
    client: &ZenmlClient,
    p: &AssignmentParams,
) -> Outcome<(), AssignmentState> {
    let holding = client.holding(p).await.map_err(|err| {
        failure(
            format!("reading the assignments of ZenML role {}", p.role_id),
            &err,
            &[],
        )
    })?;
    let (kind, id) = p.principal.param();
    let kind = kind.trim_end_matches("_id");
    let id_text = composite_id(p);
    let scope = match (&p.workspace_id, &p.project_id) {
        (Some(ws), Some(project)) => format!(" in workspace {ws}, project {project}"),
        (Some(ws), None) => format!(" in workspace {ws}"),
        _ => String::new(),
    };
    match holding {
        Holding::Absent => Ok(()),
        // Seen in this plan: another instance of this state holds it,
        // so importing it too would be wrong advice (the other one's
        // destroy would revoke it).
        Holding::Before if client.is_managed_here(p) => Err(Failure::message(
            format!(
                "ZenML role {} is already assigned to {kind} {id}{scope} by another resource of this state",
                p.role_id
            ),
            "If you renamed this resource (a new for_each key or resource name), add a moved block from \
             the old address to the new one: Terraform then keeps the assignment and revokes nothing. \
             Do not import it at the new address: destroying the old one would revoke it. Otherwise, \
             keep one of the two resources."
                .to_string(),
        )),
        Holding::Before => Err(Failure::message(
            format!("ZenML role {} is already assigned to {kind} {id}{scope}", p.role_id),
            format!(
                "The assignment existed before this run: it was granted by hand, by another workspace, or \
                 by another resource. Creating it here would take it over, and destroying this resource \
                 would then revoke access that Terraform never granted.\n\n\
                 - To manage the existing assignment with this resource, import it:\n  \
                 terraform import <resource address> {id_text}\n  \
                 (or an import block with that id).\n\
                 - If you renamed this resource (a new for_each key or resource name), add a moved block \
                 from the old address to the new one instead; Terraform then keeps the assignment and \
                 revokes nothing."
            ),
        )),
        Holding::GrantedHere => Err(twice(p)),
    }
}

/// The error for a second resource of this run naming the same assignment.
fn twice(p: &AssignmentParams) -> Failure<AssignmentState> {
    let (kind, id) = p.principal.param();
    Failure::message(
        format!(
            "ZenML role {} is assigned to {} {id} by another resource of this configuration",
            p.role_id,
            kind.trim_end_matches("_id")
        ),
        format!(
            "Two rbac_zenml_role_assignment resources name the same assignment ({}). Keep one: \
             destroying either would revoke the role from both.",
            composite_id(p)
        ),
    )
}

/// The error for an assignment imported at one address while another
/// instance of the same state holds it.
fn imported_twice(p: &AssignmentParams) -> Failure<AssignmentState> {
    let id = composite_id(p);
    Failure::message(
        format!("ZenML role assignment {id} is already managed by another resource of this state"),
        "Importing it at a second address while the first one is destroyed would revoke it at apply: \
         the destroy revokes the assignment the import records. If you renamed the resource or its \
         for_each key, replace the import block with a moved block from the old address to the new \
         one; Terraform then keeps the assignment and revokes nothing.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: &str = "11111111-1111-4111-8111-111111111111";
    const U: &str = "22222222-2222-4222-8222-222222222222";
    const W: &str = "33333333-3333-4333-8333-333333333333";
    const P: &str = "44444444-4444-4444-8444-444444444444";

    #[test]
    fn validation_wants_one_principal_and_a_workspace_for_projects() {
        let mut diags = Diagnostics::default();
        RoleAssignmentResource::validate(
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
}
