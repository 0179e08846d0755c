//! Role assignments (docs/vendors/zenml.md, "Assignments"):
//! `POST`/`DELETE /roles/{role_id}/assignments` with query parameters, and
//! the listing `GET /roles/{role_id}/assignments`.
//!
//! Two views of the listing serve two questions:
//! - a refresh asks "is it there now?": one listing per role is shared by
//!   every read issued together ([`ListSnapshot`]), so refreshing N
//!   assignments of one role costs one listing, not N;
//! - a create asks "did it exist before this run?": the first listing of
//!   the role this process took, plus what this process granted and
//!   revoked since. Assigning is idempotent at ZenML (granting twice is one
//!   grant, and the answer does not tell), so this is the only way to never
//!   record a grant made by hand, or by another workspace, as created here.
//!   It costs one listing per role per run, whatever the number of writes.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use super::{check, with_params, ZenmlClient, ZenmlError};
use crate::http::{encode_path_segment, Request};
use crate::vendors::snapshot::{FirstListing, ListSnapshot};
use crate::vendors::zenml::schemas::{Assignment, AssignmentParams};

/// Whether an assignment is held, as a create must know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    /// Not held (or revoked by this process).
    Absent,
    /// Held when this process first listed the role, and not revoked by it
    /// since: made outside this run.
    Before,
    /// Granted by this process (another resource of this run).
    GrantedHere,
}

/// What this process did to one assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Granted,
    Revoked,
}

/// Per role (lower-case ID), a `T`, shared by the clones of a client.
type PerRole<T> = Arc<Mutex<HashMap<String, T>>>;

/// The assignment listings and changes of one client. Cheap to clone.
#[derive(Clone, Default)]
pub(in crate::vendors::zenml) struct AssignmentBook {
    /// Per role (lower-case ID): listings shared by concurrent reads.
    listings: PerRole<ListSnapshot<String, Vec<Assignment>>>,
    /// Per role: the first listing this process took.
    first_seen: PerRole<FirstListing<String, Vec<Assignment>>>,
    /// Per assignment ([`AssignmentParams::key`]): the last change made here.
    changed: Arc<Mutex<HashMap<String, Change>>>,
    /// Assignments a plan of this process has planned to create.
    planned: Arc<Mutex<HashSet<String>>>,
    /// Assignments this process found held by an instance of the state
    /// (a refresh) or imported, and those it plans to destroy.
    managed: Arc<Mutex<HashMap<String, Managed>>>,
}

/// How an instance of the state this process works on holds an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Managed {
    /// Refreshed: an instance of the state holds it.
    InState,
    /// Imported by this plan (an import block or `terraform import`).
    Imported,
    /// An instance holding it is planned for destroy.
    Destroying,
}

impl AssignmentBook {
    fn listing(&self, role_id: &str) -> ListSnapshot<String, Vec<Assignment>> {
        let mut map = self.listings.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(role_id.to_ascii_lowercase()).or_default().clone()
    }

    fn first_seen(&self, role_id: &str) -> FirstListing<String, Vec<Assignment>> {
        let mut map = self.first_seen.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(role_id.to_ascii_lowercase()).or_default().clone()
    }

    fn record(&self, params: &AssignmentParams, change: Change) {
        let mut map = self.changed.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(params.key(), change);
    }

    fn change(&self, params: &AssignmentParams) -> Option<Change> {
        let map = self.changed.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&params.key()).copied()
    }
}

impl ZenmlClient {
    /// `POST /roles/{role_id}/assignments?user_id=…&workspace_id=…`.
    /// Assigning is idempotent (the same grant twice is one grant), so it is
    /// retried like a read. Recorded as granted here once answered 2xx.
    pub async fn assign_role(&self, params: &AssignmentParams) -> Result<(), ZenmlError> {
        let path = format!(
            "/roles/{}/assignments",
            encode_path_segment(&params.role_id)
        );
        let request = with_params(params, Request::post(path)).idempotent(true);
        let listing = self.assignments.listing(&params.role_id);
        let response = listing.write(self.send(request)).await?;
        check(&response)?;
        self.assignments.record(params, Change::Granted);
        Ok(())
    }

    /// `DELETE /roles/{role_id}/assignments?…`: revokes the role. Recorded
    /// as revoked here once answered 2xx or 404 (not held).
    pub async fn revoke_role(&self, params: &AssignmentParams) -> Result<(), ZenmlError> {
        let path = format!(
            "/roles/{}/assignments",
            encode_path_segment(&params.role_id)
        );
        let request = with_params(params, Request::delete(path));
        let listing = self.assignments.listing(&params.role_id);
        let response = listing.write(self.send(request)).await?;
        let checked = check(&response);
        if checked.is_ok() || checked.as_ref().is_err_and(ZenmlError::is_not_found) {
            self.assignments.record(params, Change::Revoked);
        }
        checked
    }

    /// `GET /roles/{role_id}/assignments` (see [`Assignment`]): one call,
    /// not shared.
    pub async fn list_assignments(&self, role_id: &str) -> Result<Vec<Assignment>, ZenmlError> {
        let path = format!("/roles/{}/assignments", encode_path_segment(role_id));
        self.call(Request::get(path)).await
    }

    /// The assignments of `role_id` for a refresh: one listing serves every
    /// read of the role issued together, and none taken before a write of
    /// this client is used after it.
    pub async fn read_assignments(&self, role_id: &str) -> Result<Vec<Assignment>, ZenmlError> {
        let listing = self.assignments.listing(role_id);
        let found = listing
            .get(&String::new(), || async {
                let all = self.list_assignments(role_id).await?;
                Ok::<_, ZenmlError>(vec![(String::new(), all)])
            })
            .await?;
        Ok(found.unwrap_or_default())
    }

    /// Notes how an instance of the state holds `params` and returns what
    /// was noted before, if anything. A plan that imports an assignment
    /// while destroying another instance holding it (a renamed resource
    /// imported instead of moved) would revoke what it imports: the caller
    /// refuses when the two meet, whichever comes first.
    pub fn note_managed(&self, params: &AssignmentParams, how: Managed) -> Option<Managed> {
        let mut managed = self
            .assignments
            .managed
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let before = managed.get(&params.key()).copied();
        // A destroy or an import outranks a plain refresh.
        if before.is_none() || before == Some(Managed::InState) {
            managed.insert(params.key(), how);
        }
        before
    }

    /// Whether this process has seen an instance of the state hold
    /// `params`: refreshed, imported or planned for destroy (see
    /// [`Self::note_managed`]).
    pub fn is_managed_here(&self, params: &AssignmentParams) -> bool {
        let managed = self
            .assignments
            .managed
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        managed.get(&params.key()).is_some()
    }

    /// Notes that a resource of this run plans to create `params`; false
    /// when another one already does (Terraform plans each resource
    /// instance once per process).
    pub fn plan_to_create(&self, params: &AssignmentParams) -> bool {
        let mut planned = self
            .assignments
            .planned
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        planned.insert(params.key())
    }

    /// Whether `params` was held before this process changed it (see the
    /// module comment). The first call for a role lists it; later calls
    /// for the same role send nothing.
    pub async fn holding(&self, params: &AssignmentParams) -> Result<Holding, ZenmlError> {
        match self.assignments.change(params) {
            Some(Change::Granted) => return Ok(Holding::GrantedHere),
            Some(Change::Revoked) => return Ok(Holding::Absent),
            None => {}
        }
        let first = self.assignments.first_seen(&params.role_id);
        let seen = first
            .get(&String::new(), || async {
                let all = self.list_assignments(&params.role_id).await?;
                Ok::<_, ZenmlError>(vec![(String::new(), all)])
            })
            .await?
            .unwrap_or_default();
        Ok(if seen.iter().any(|a| a.matches(params)) {
            Holding::Before
        } else {
            Holding::Absent
        })
    }
}
