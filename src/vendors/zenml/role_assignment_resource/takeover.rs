//! Never taken over: an assignment this run did not make is never
//! recorded as created by it, nor imported where a destroy in the same
//! plan would revoke it. Assigning is idempotent at ZenML and its answer
//! does not say whether the assignment existed, so the resource asks first
//! ([`ZenmlClient::holding`]).

use super::{composite_id, AssignmentState};
use crate::framework::resource::{Failure, Outcome};
use crate::vendors::zenml::api::{AssignmentParams, Holding, ZenmlClient};
use crate::vendors::zenml::ids::failure;

/// Refuses to record as created an assignment this run did not make: one
/// held before it (granted by hand, by another workspace, or by another
/// resource, whose destroy would then revoke access this one never
/// granted), or one another resource of this run granted.
pub(super) async fn not_taken_over(
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
pub(super) fn twice(p: &AssignmentParams) -> Failure<AssignmentState> {
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
pub(super) fn imported_twice(p: &AssignmentParams) -> Failure<AssignmentState> {
    let id = composite_id(p);
    Failure::message(
        format!("ZenML role assignment {id} is already managed by another resource of this state"),
        "Importing it at a second address while the first one is destroyed would revoke it at apply: \
         the destroy revokes the assignment the import records. If you renamed the resource or its \
         for_each key, replace the import block with a moved block from the old address to the new \
         one; Terraform then keeps the assignment and revokes nothing.",
    )
}
