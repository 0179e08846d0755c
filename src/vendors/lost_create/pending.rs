//! A create whose outcome stayed unknown, recorded in state ("pending").
//!
//! When a create's answer is lost and looking the object up afterwards
//! keeps failing ([`super::create::OutcomeUnknown::unsettled`]), the vendor
//! may or may not have made it. Forgetting it would orphan an object the
//! vendor made (and Rootly, whose names are not unique, would get a second
//! one on the next apply); so the resource records the planned state with
//! an empty ID ([`PENDING_ID`]) beside the error, and Terraform marks it
//! tainted. The next refresh settles it with the same lookup the create
//! used: found, it is recorded with its real ID (and, being tainted,
//! replaced unless the user untaints it); not found, it leaves the state and
//! the plan creates it again. No request is ever sent with the empty ID.
//! The framework's adapter does the rest for every resource that says its
//! state is pending ([`crate::framework::resource::ResourceType::pending`]):
//! it refreshes it with the resource's `settle`, refuses an update, and
//! deletes what settling finds.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::framework::tf::Value;
use serde::{Deserialize, Serialize};

use crate::framework::resource::{Failure, Read};
use crate::vendors::lost_create::create::Lookup;
use crate::vendors::lost_create::settle::Before;

/// The ID of a pending instance: empty, since the vendor never said one.
pub const PENDING_ID: &str = "";

/// Whether `id` is a pending instance's ([`PENDING_ID`]).
pub fn is_pending(id: &Value<String>) -> bool {
    matches!(id, Value::Value(id) if id == PENDING_ID)
}

/// The ID a resource records, in place of the unknown one, for an
/// unsettled create.
pub fn pending_id() -> Value<String> {
    Value::Value(PENDING_ID.to_string())
}

/// Private state of a pending instance: what was there before its create
/// (see [`crate::vendors::lost_create::settle`]), so that settling it never adopts an
/// object that was, and when the create was sent. `Option<PendingCreate>`
/// reads the empty private state of older versions as `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCreate {
    /// When the create was first sent: Unix milliseconds, on this
    /// machine's clock.
    #[serde(default)]
    pub sent_ms: u64,
    /// What was there before the create; `None` in the private state of
    /// older versions (then no object found is taken for this create's).
    #[serde(default)]
    pub before: Option<Before>,
}

impl PendingCreate {
    /// A create about to be sent now, after `before` was seen.
    pub fn now(before: Before) -> Self {
        PendingCreate {
            sent_ms: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64),
            before: Some(before),
        }
    }

    /// What was there before the create, if known.
    pub fn before(private: &Option<PendingCreate>) -> Option<&Before> {
        private.as_ref().and_then(|p| p.before.as_ref())
    }

    /// When the create was first sent.
    pub fn sent(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(self.sent_ms)
    }
}

/// The error of settling a pending `what` named `name` without what was
/// there before its create (see [`crate::vendors::lost_create::settle`]): no object of
/// that name can be told to be its own then. Adopting one could take
/// someone else's, and calling it gone would orphan the one the create
/// made. It is in the private state a refresh reads; the destroy half of a
/// tainted replace planned with -refresh=false is not given it by
/// Terraform, nor is it in the state of older versions.
pub fn cannot_settle<S, P>(what: &str, name: &str) -> Failure<S, P> {
    Failure::message(
        format!("Cannot settle the pending {what} {name:?} without a refresh"),
        format!(
            "Its create ended with an unknown outcome. It can only be told from the {what}s of \
             that name that were there before its create, which Terraform passes to a refresh \
             but not to this step (nor did versions before this one record them). Run terraform \
             apply -refresh-only (or plan and apply without -refresh=false): the refresh records \
             the {what} with its ID, or removes it from state if it was not created. If this \
             message repeats, check the {what}s of that name, then terraform state rm <address> \
             and import the one this configuration made, if any."
        ),
    )
}

/// What the refresh of a pending `what` read from its create's lookup:
/// the object it made, as `state` makes it, or gone when the create did not
/// happen, the name is held by what was there before, or the object found
/// cannot be told from someone else's: nothing is recorded (the plan then
/// creates it again, and a name taken by another object gets the "already
/// exists" advice with its import command).
pub fn settled<T, S>(what: &str, found: Lookup<T>, state: impl FnOnce(T) -> S) -> Read<S> {
    match found {
        Lookup::Created(object) => {
            tracing::info!(what, "the pending create had happened; recording it");
            Read::Found(state(object))
        }
        Lookup::Missing => {
            tracing::info!(what, "the pending create had not happened");
            Read::Gone
        }
        Lookup::NotOurs | Lookup::Before(_) => {
            tracing::warn!(
                what,
                "the object of that name is not told to be this create's; not recording it"
            );
            Read::Gone
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_state_of_older_versions_reads_as_none() {
        // tf-provider's empty private state is msgpack nil.
        let none: Option<PendingCreate> = rmp_serde::from_slice(&[0xc0]).unwrap();
        assert_eq!(none, None);
        let p = PendingCreate {
            sent_ms: 1_700_000_000_123,
            before: Some(Before(vec!["7".into()])),
        };
        let back: Option<PendingCreate> =
            rmp_serde::from_slice(&rmp_serde::to_vec_named(&Some(p.clone())).unwrap()).unwrap();
        assert_eq!(back, Some(p.clone()));
        assert_eq!(
            p.sent(),
            UNIX_EPOCH + Duration::from_millis(1_700_000_000_123)
        );
    }

    #[test]
    fn only_an_empty_id_is_pending() {
        assert!(is_pending(&pending_id()));
        assert!(!is_pending(&Value::Value("4001".into())));
        assert!(!is_pending(&Value::Unknown));
        assert!(!is_pending(&Value::Null));
    }
}
