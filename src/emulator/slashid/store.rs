//! One SlashID organization's RBAC data: permissions, roles and the roles and
//! direct permissions of a few persons, with the vendor's ETag semantics
//! (docs/vendors/slashid.md, "Behaviour the provider depends on"). The
//! operations live beside it: [`super::rbac`] (permissions and roles) and
//! [`super::persons`]; the name rules in [`super::names`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::errors::{ApiError, ApiResult};

/// The persons every fresh organization has (SlashID person IDs are
/// `pid:` + a UUID; the emulator cannot create persons).
pub const SEED_PERSONS: [&str; 3] = [
    "pid:01900000-0000-7000-8000-000000000001",
    "pid:01900000-0000-7000-8000-000000000002",
    "pid:01900000-0000-7000-8000-000000000003",
];

/// A permission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub created: String,
    #[serde(default)]
    pub version: u64,
}

/// A role; `name` is the full, prefixed name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub created: String,
    pub permissions: BTreeSet<String>,
    #[serde(default)]
    pub version: u64,
}

/// A person's RBAC data, and the email address of its `email_address`
/// handle (docs/vendors/slashid.md "Listing persons"), if it has one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub roles: BTreeSet<String>,
    pub additional_permissions: BTreeSet<String>,
    #[serde(default)]
    pub version: u64,
}

/// The organization's state, as persisted in the `--state` file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Store {
    /// Bumped on every write; object versions and list ETags derive from it.
    pub(super) revision: u64,
    pub(super) permissions: BTreeMap<String, Permission>,
    pub(super) roles: BTreeMap<String, Role>,
    pub(super) persons: BTreeMap<String, Person>,
    /// When each role or permission was created (not persisted), for the
    /// stale-read simulation.
    #[serde(skip)]
    pub(super) created_at: HashMap<String, Instant>,
    /// Consistency simulation (not persisted): see [`Consistency`].
    #[serde(skip)]
    pub(crate) consistency: Consistency,
}

/// The emulator's simulation of SlashID's cross-region replication
/// (docs/vendors/slashid.md, "Behaviour the provider depends on"), set by flags at start and
/// at run time with `POST /__emulator/slashid`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consistency {
    /// The next N successful writes are applied, then answered with 408.
    #[serde(default)]
    pub write_timeouts: u32,
    /// For this many milliseconds after a role or permission is created
    /// (without `SlashID-Required-Consistency: all_regions`), reads of it
    /// answer 404, as from a region the write has not reached yet.
    #[serde(default)]
    pub stale_read_ms: u64,
}

pub(super) fn etag(kind: &str, version: u64) -> String {
    format!("\"{kind}-{version}\"")
}

/// `If-Match`: absent passes; `*` or the current tag (one of a list) passes.
pub(super) fn check_if_match(if_match: Option<&str>, current: &str, what: &str) -> ApiResult<()> {
    match if_match {
        None => Ok(()),
        Some(v) if v.split(',').any(|t| t.trim() == "*" || t.trim() == current) => Ok(()),
        Some(v) => Err(ApiError::precondition_failed(format!(
            "{what} was modified: If-Match {v} does not match the current ETag {current}"
        ))),
    }
}

impl Store {
    /// A fresh organization: no roles or permissions, the seed persons.
    pub fn seeded() -> Self {
        Store {
            persons: SEED_PERSONS
                .iter()
                .map(|p| (p.to_string(), Person::default()))
                .collect(),
            ..Default::default()
        }
    }

    /// Adds a person without roles, with an `email_address` handle when
    /// `email` is given; false when `person_id` exists.
    pub fn add_person(&mut self, person_id: &str, email: Option<&str>) -> bool {
        if self.persons.contains_key(person_id) {
            return false;
        }
        let person = Person {
            email: email.map(str::to_string),
            ..Person::default()
        };
        self.persons.insert(person_id.to_string(), person);
        true
    }

    /// The next revision, for an object version or a list ETag.
    pub(super) fn bump(&mut self) -> u64 {
        self.revision += 1;
        self.revision
    }

    /// Whether `key` (`r:<role>` or `p:<permission>`) was created less than
    /// the stale-read window ago, so that a read of it answers 404.
    pub fn is_fresh(&self, key: &str) -> bool {
        let window = Duration::from_millis(self.consistency.stale_read_ms);
        !window.is_zero()
            && self
                .created_at
                .get(key)
                .is_some_and(|t| t.elapsed() < window)
    }

    /// A write made with `all_regions` consistency has reached every
    /// region when it returns: reads of `key` are never stale.
    pub fn settle(&mut self, key: &str) {
        self.created_at.remove(key);
    }

    /// Takes one pending simulated 408, if any.
    pub fn take_write_timeout(&mut self) -> bool {
        if self.consistency.write_timeouts == 0 {
            return false;
        }
        self.consistency.write_timeouts -= 1;
        true
    }

    /// ETag of the role list and the permission list.
    pub fn list_etag(&self) -> String {
        etag("list", self.revision)
    }

    pub(super) fn check_permissions_exist<'a>(
        &self,
        names: impl IntoIterator<Item = &'a String>,
    ) -> ApiResult<()> {
        for name in names {
            if !self.permissions.contains_key(name) {
                // The status for an unknown permission is **unverified** (likely 400).
                return Err(ApiError::bad_request(format!(
                    "permission {name:?} does not exist"
                )));
            }
        }
        Ok(())
    }
}

/// The current time as RFC 3339 (UTC, seconds).
pub(super) fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    rfc3339(secs)
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (days-to-civil, H. Hinnant).
fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slashid_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }
}
