//! A permission that SlashID refused to delete because roles include it
//! (docs/vendors/slashid.md, "Behaviour the provider depends on": a permission
//! included in a role cannot be deleted). This module finds which roles hold it, and whether one of
//! them is being written by this provider process, which is the only case
//! where sending the delete again can succeed.
//!
//! The refusal is not transient. Terraform runs a permission's delete after
//! the updates of the roles that stop referencing it only when
//! `create_before_destroy` is recorded for the permission. Otherwise nothing
//! the provider could wait for will change SlashID's answer, so the delete
//! is not repeated. The exception is a role deleted or updated in the same
//! apply when the configuration names the permission as a literal string:
//! Terraform then does not order the two writes. Deleting again is worth
//! one request once that role's write is over.
//!
//! Lists return names only, so finding which roles hold a permission means
//! reading every role. One such scan serves every refusal of the next few
//! seconds: an apply with N refused deletes costs N deletes and one scan,
//! not N scans.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use tokio::sync::Notify;

use super::SlashidClient;
use crate::http::StopSignal;

/// How long one scan of every role answers later refusals.
const SCAN_REUSE: Duration = Duration::from_secs(5);

/// How long after this process's first refusal a refused delete waits for a
/// write of a holding role to begin here. Terraform sends the deletes of a
/// role and of a permission it names literally together, so the role's may
/// arrive a moment after the permission's is refused. The window is counted
/// from the first refusal and shared by all later ones, so a failing apply
/// loses this time once, not once per permission.
const WRITE_GRACE: Duration = Duration::from_secs(1);

/// Concurrent role reads in a scan.
const CONCURRENCY: usize = 8;

/// Shared by the clones of one [`SlashidClient`].
#[derive(Default)]
pub struct InUse {
    /// Role writes of this process, by full role name.
    writes: Mutex<HashMap<String, Writes>>,
    /// Raised whenever a role write begins or ends.
    changed: Notify,
    first_refusal: OnceLock<tokio::time::Instant>,
    /// The last scan, and when it started.
    scan: tokio::sync::Mutex<Option<(Instant, Arc<Roles>)>>,
}

/// Every role's full name and permissions.
type Roles = Vec<(String, Vec<String>)>;

#[derive(Default)]
struct Writes {
    in_flight: u32,
    began: bool,
}

/// A role write under way; it ends when this is dropped.
pub struct RoleWrite<'a> {
    in_use: &'a InUse,
    role: String,
}

impl Drop for RoleWrite<'_> {
    fn drop(&mut self) {
        let mut writes = self.in_use.writes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(w) = writes.get_mut(&self.role) {
            w.in_flight = w.in_flight.saturating_sub(1);
        }
        drop(writes);
        self.in_use.changed.notify_waiters();
    }
}

impl InUse {
    /// Marks a write (update or delete) of `full_name` as under way, until
    /// the returned guard is dropped.
    pub fn role_write(&self, full_name: &str) -> RoleWrite<'_> {
        let mut writes = self.writes.lock().unwrap_or_else(|e| e.into_inner());
        let w = writes.entry(full_name.to_string()).or_default();
        w.in_flight += 1;
        w.began = true;
        drop(writes);
        self.changed.notify_waiters();
        RoleWrite {
            in_use: self,
            role: full_name.to_string(),
        }
    }

    /// Whether any of `roles` began a write in this process, and whether
    /// one is still under way.
    fn writes_of(&self, roles: &[String]) -> (bool, bool) {
        let writes = self.writes.lock().unwrap_or_else(|e| e.into_inner());
        roles
            .iter()
            .filter_map(|r| writes.get(r))
            .fold((false, false), |(began, busy), w| {
                (began || w.began, busy || w.in_flight > 0)
            })
    }

    /// After a refused delete: whether one of `roles` (the holders) has
    /// been written by this process, in which case deleting again may
    /// succeed. Waits, without a request, for such writes to end, and for
    /// one to begin within [`WRITE_GRACE`] of the first refusal. False at
    /// once when the provider is stopping.
    pub async fn written_here(&self, roles: &[String]) -> bool {
        let grace_end = *self.first_refusal.get_or_init(tokio::time::Instant::now) + WRITE_GRACE;
        let stop = StopSignal::process();
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let (began, busy) = self.writes_of(roles);
            if began && !busy {
                return true;
            }
            if !began && tokio::time::Instant::now() >= grace_end {
                return false;
            }
            tokio::select! {
                _ = changed => {}
                _ = tokio::time::sleep_until(grace_end), if !began => {}
                _ = stop.stopped() => return false,
            }
        }
    }

    /// The full names of the roles that hold `permission`, from a scan of
    /// every role started at most [`SCAN_REUSE`] ago (one scan at a time;
    /// concurrent callers share it). Empty when the roles cannot be read.
    pub async fn roles_holding(&self, client: &SlashidClient, permission: &str) -> Vec<String> {
        let roles = {
            let mut last = self.scan.lock().await;
            match &*last {
                Some((at, roles)) if at.elapsed() < SCAN_REUSE => roles.clone(),
                _ => {
                    let at = Instant::now();
                    let Some(roles) = scan(client).await else {
                        return Vec::new();
                    };
                    let roles = Arc::new(roles);
                    *last = Some((at, roles.clone()));
                    roles
                }
            }
        };
        roles
            .iter()
            .filter(|(_, permissions)| permissions.iter().any(|p| p == permission))
            .map(|(role, _)| role.clone())
            .collect()
    }
}

/// Every role and its permissions (a role deleted meanwhile is left out).
async fn scan(client: &SlashidClient) -> Option<Roles> {
    let names = client.list_roles().await.ok()?;
    tracing::debug!(
        roles = names.len(),
        "reading every role to find which hold a permission"
    );
    let roles: Vec<_> = stream::iter(names.into_iter().map(|n| {
        let client = client.clone();
        async move { client.get_role(&n).await }
    }))
    .buffered(CONCURRENCY)
    .collect()
    .await;
    Some(
        roles
            .into_iter()
            .filter_map(Result::ok)
            .map(|(role, _)| (role.name, role.permissions))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_holder_written_here_is_waited_for_and_others_are_not() {
        let in_use = InUse::default();
        let roles = vec!["org/r".to_string()];
        // No write of the holder within the grace: not waited for again.
        let started = tokio::time::Instant::now();
        assert!(!in_use.written_here(&roles).await);
        assert_eq!(started.elapsed(), WRITE_GRACE);
        let started = tokio::time::Instant::now();
        assert!(!in_use.written_here(&roles).await);
        assert_eq!(started.elapsed(), Duration::ZERO);
        // A write under way is waited for until it ends.
        let write = in_use.role_write("org/r");
        let waiter = async {
            let written = in_use.written_here(&roles).await;
            (written, started.elapsed())
        };
        let ender = async {
            tokio::time::sleep(Duration::from_secs(3)).await;
            drop(write);
        };
        let ((written, after), ()) = tokio::join!(waiter, ender);
        assert!(written);
        assert_eq!(after, Duration::from_secs(3));
        assert!(!in_use.written_here(&["org/other".to_string()]).await);
    }
}
