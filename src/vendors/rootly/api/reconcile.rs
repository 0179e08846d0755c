//! Which role an unconfirmed create made, when names are not unique.
//!
//! Rootly does not promise unique role names (ASSUMPTION, vendors/rootly.md
//! has no uniqueness rule), so after a create whose answer was lost the
//! roles of that name are not all ours. Listing them before every create
//! would tell old from new, but doubles the cost of every create. Instead,
//! only after an unknown outcome, the roles of that name are listed and
//! those created since the create was sent are ours: the window is measured
//! on the server's own clock (the listing's `Date` header, less the time
//! elapsed since the create was sent), so no clock skew between us and
//! Rootly matters.

use std::time::{Duration, Instant, SystemTime};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::OnCallRole;
pub use crate::vendors::claims::Claims;
use crate::vendors::create::Lookup;

/// Margin on the server-clock window: `Date` counts whole seconds, and the
/// create travelled for a while before the server stamped it.
const DATE_SLACK: Duration = Duration::from_secs(2);

/// Margin when the listing has no `Date` header and our clock stands in for
/// the server's: generous, for an unsynchronised clock.
const SKEW_SLACK: Duration = Duration::from_secs(300);

/// The earliest server time at which a create first sent at `sent` can have
/// been applied, given that the lookup was answered at `server_now` (its
/// `Date` header) and `now` on our monotonic clock.
pub fn window_start(server_now: Option<SystemTime>, sent: Instant, now: Instant) -> SystemTime {
    let elapsed = now.saturating_duration_since(sent);
    let (reference, slack) = match server_now {
        Some(date) => (date, DATE_SLACK),
        None => (SystemTime::now(), SKEW_SLACK),
    };
    reference
        .checked_sub(elapsed + slack)
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The window's start on a later run, for a create left pending that was
/// first sent at `sent` on this machine's clock (recorded in the private
/// state, [`crate::vendors::pending::PendingCreate`]): the server's clock
/// is not known then, so the margin is [`SKEW_SLACK`], for an
/// unsynchronised clock.
pub fn window_start_since(sent: SystemTime) -> SystemTime {
    sent.checked_sub(SKEW_SLACK)
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Settles an unconfirmed create from the roles named `name` (`named`):
/// among those created since `start` and not claimed, the earliest with
/// exactly the requested permissions (`same`) is ours and is claimed. A
/// recent role of that name with other permissions is someone else's: not
/// adopted, and the create is not sent again (it may yet be ours, changed).
/// With no recent role, the create did not happen.
pub fn settle(
    claims: &Claims,
    name: &str,
    named: Vec<OnCallRole>,
    start: SystemTime,
    same: impl Fn(&OnCallRole) -> bool,
) -> Lookup<OnCallRole> {
    let mut recent: Vec<(SystemTime, OnCallRole)> = named
        .into_iter()
        .filter(|r| r.name == name && !claims.is_claimed(&r.id))
        .filter_map(|r| {
            let at = OffsetDateTime::parse(&r.created_at, &Rfc3339).ok()?;
            Some((SystemTime::from(at), r))
        })
        .filter(|(at, _)| *at >= start)
        .collect();
    recent.sort_by_key(|(at, _)| *at);
    let any_recent = !recent.is_empty();
    for (_, role) in recent {
        if same(&role) && claims.claim(&role.id) {
            return Lookup::Created(role);
        }
    }
    if any_recent {
        Lookup::NotOurs
    } else {
        Lookup::Missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(id: &str, name: &str, created_at: &str) -> OnCallRole {
        OnCallRole {
            id: id.into(),
            name: name.into(),
            slug: String::new(),
            system_role: "custom".into(),
            permissions: Default::default(),
            created_at: created_at.into(),
            updated_at: created_at.into(),
        }
    }

    fn at(s: &str) -> SystemTime {
        OffsetDateTime::parse(s, &Rfc3339).unwrap().into()
    }

    #[test]
    fn the_window_is_on_the_server_clock() {
        let sent = Instant::now();
        let now = sent + Duration::from_secs(10);
        let date = at("2026-01-01T00:01:00Z");
        assert_eq!(
            window_start(Some(date), sent, now),
            at("2026-01-01T00:00:48Z")
        );
    }

    #[test]
    fn an_older_role_of_the_same_name_is_not_adopted() {
        let claims = Claims::default();
        let start = at("2026-01-01T00:00:48Z");
        let old = role("old", "Infra", "2025-12-31T16:00:00.000-07:00");
        assert_eq!(
            settle(&claims, "Infra", vec![old.clone()], start, |_| true),
            Lookup::Missing
        );
        let new = role("new", "Infra", "2026-01-01T00:00:49.120+00:00");
        assert_eq!(
            settle(&claims, "Infra", vec![old, new.clone()], start, |_| true),
            Lookup::Created(new)
        );
    }

    #[test]
    fn a_claimed_role_is_not_adopted_twice() {
        let claims = Claims::default();
        let start = at("2026-01-01T00:00:00Z");
        let a = role("a", "Infra", "2026-01-01T00:00:01Z");
        let b = role("b", "Infra", "2026-01-01T00:00:02Z");
        let both = vec![a.clone(), b.clone()];
        assert_eq!(
            settle(&claims, "Infra", both.clone(), start, |_| true),
            Lookup::Created(a)
        );
        assert_eq!(
            settle(&claims, "Infra", both.clone(), start, |_| true),
            Lookup::Created(b)
        );
        // Both are other creates' roles: this create did not land.
        assert_eq!(
            settle(&claims, "Infra", both, start, |_| true),
            Lookup::Missing
        );
    }

    #[test]
    fn a_recent_role_with_other_permissions_is_someone_elses() {
        let claims = Claims::default();
        let start = at("2026-01-01T00:00:00Z");
        let theirs = role("x", "Infra", "2026-01-01T00:00:01Z");
        assert_eq!(
            settle(&claims, "Infra", vec![theirs], start, |_| false),
            Lookup::NotOurs
        );
        assert!(!claims.is_claimed("x"));
    }
}
