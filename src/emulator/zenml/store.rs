//! The ZenML Pro state: organizations, their roles (built-in and custom) and
//! role assignments, users and teams; plus the short-lived access tokens (never persisted).
//! The role calls are in `roles.rs` and the assignment calls in
//! `assignments.rs`; both extend [`Store`], and this file imports neither.
//!
//! Semantics from docs/vendors/zenml.md, "Role endpoints" and "RoleCreate / RoleUpdate". Where the
//! reference says **unverified**, the choice made here is marked
//! `ASSUMPTION` so that it can be checked against the live API.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The organization every fresh emulator has. The provider uses no
/// organization call (docs/vendors/zenml.md, "Role endpoints"), so the
/// emulator seeds this one.
pub const DEFAULT_ORGANIZATION_ID: &str = "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30";

/// Limits of RoleCreate / RoleUpdate (docs/vendors/zenml.md, "RoleCreate / RoleUpdate").
pub const NAME_MAX: usize = 50;
pub const DESCRIPTION_MAX: usize = 256;

/// "Scope levels" (the values come from ZenML's sync script).
pub const LEVELS: [&str; 3] = ["organization", "workspace", "project"];

/// ASSUMPTION (docs/vendors/zenml.md, "RoleCreate / RoleUpdate": other values **unverified**):
/// `normal` is the only role type.
pub const TYPES: [&str; 1] = ["normal"];

/// The built-in role names seeded at every level of every organization
/// (docs/vendors/zenml.md, "Behaviour the provider depends on":
/// Admin/Editor/Viewer, presumably system-managed).
pub const BUILT_IN_NAMES: [&str; 3] = ["Admin", "Editor", "Viewer"];

/// A role as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub organization_id: String,
    pub level: String,
    pub system_managed: bool,
    #[serde(rename = "type")]
    pub role_type: String,
    pub created: String,
    pub updated: String,
}

/// A role assignment (docs/vendors/zenml.md, "Assignments"). ASSUMPTION:
/// the listing returns these objects, with `null` for what is not set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub role_id: String,
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    pub invitation_id: Option<String>,
    pub workspace_id: Option<String>,
    pub project_id: Option<String>,
}

/// A user account (its calls are in `people.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub is_active: bool,
}

/// A team of one organization and its members (user IDs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub organization_id: String,
    #[serde(skip_serializing)]
    pub members: Vec<String>,
}

/// Everything the emulator knows about ZenML Pro.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Store {
    pub(super) organizations: Vec<String>,
    pub(super) roles: BTreeMap<String, Role>,
    #[serde(default)]
    pub(super) assignments: Vec<Assignment>,
    /// Users and teams (`people.rs`).
    #[serde(default)]
    pub(super) users: Vec<User>,
    #[serde(default)]
    pub(super) teams: Vec<Team>,
    /// Access token → expiry. Tokens do not survive a restart.
    #[serde(skip)]
    pub(super) tokens: HashMap<String, Instant>,
}

/// A random (version 4) UUID.
pub fn new_uuid() -> String {
    let b: [u8; 16] = rand::random();
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-4{}-{:x}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        (b[8] & 0x3) | 0x8,
        &hex[17..20],
        &hex[20..32]
    )
}

/// `8-4-4-4-12` hex digits (FastAPI also accepts other spellings; the
/// emulator answers with this canonical lower-case form).
pub fn parse_uuid(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    let ok = parts.len() == 5
        && parts
            .iter()
            .zip(lens)
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()));
    ok.then(|| s.to_ascii_lowercase())
}

/// The current time as ZenML writes it (`2024-05-01T12:00:00`).
pub(super) fn now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    // ISO 8601 without a date library: days since the epoch → civil date.
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}")
}

impl Store {
    /// One organization with its built-in roles.
    pub fn seeded() -> Self {
        Store::default().repaired()
    }

    /// A loaded state with the default organization and every built-in role
    /// present (missing ones are added).
    pub fn repaired(mut self) -> Self {
        if !self
            .organizations
            .iter()
            .any(|o| o == DEFAULT_ORGANIZATION_ID)
        {
            self.organizations.push(DEFAULT_ORGANIZATION_ID.to_string());
        }
        for org in self.organizations.clone() {
            for level in LEVELS {
                for name in BUILT_IN_NAMES {
                    let exists = self.roles.values().any(|r| {
                        r.organization_id == org
                            && r.system_managed
                            && r.level == level
                            && r.name.as_deref() == Some(name)
                    });
                    if !exists {
                        let id = new_uuid();
                        let at = now();
                        self.roles.insert(
                            id.clone(),
                            Role {
                                id,
                                name: Some(name.to_string()),
                                description: Some(format!("Built-in {level} {name} role.")),
                                organization_id: org.clone(),
                                level: level.to_string(),
                                system_managed: true,
                                role_type: "normal".into(),
                                created: at.clone(),
                                updated: at,
                            },
                        );
                    }
                }
            }
        }
        self
    }

    // ----- tokens -------------------------------------------------------

    /// A new access token valid for `ttl`.
    pub(super) fn issue_token(&mut self, ttl: Duration) -> String {
        let now = Instant::now();
        self.tokens.retain(|_, expiry| *expiry > now);
        let token = format!("zenml-emu-{}", new_uuid().replace('-', ""));
        self.tokens.insert(token.clone(), now + ttl);
        token
    }

    /// `Ok` for a live token; the 401 message otherwise.
    pub(super) fn check_token(&self, token: &str) -> Result<(), &'static str> {
        match self.tokens.get(token) {
            Some(expiry) if *expiry > Instant::now() => Ok(()),
            Some(_) => Err("Authentication error: the access token has expired"),
            None => Err("Authentication error: invalid or revoked access token"),
        }
    }

    /// Forgets every token (like a server-side session revocation).
    pub fn revoke_tokens(&mut self) -> usize {
        let n = self.tokens.len();
        self.tokens.clear();
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zenml_uuids_are_v4_and_parse() {
        let id = new_uuid();
        assert_eq!(parse_uuid(&id).as_deref(), Some(id.as_str()));
        assert_eq!(&id[14..15], "4");
        assert!(parse_uuid("not-a-uuid").is_none());
        assert!(parse_uuid(&id.replace('-', "")).is_none());
    }

    #[test]
    fn zenml_timestamps_are_iso() {
        let t = now();
        assert_eq!(t.len(), 19, "{t}");
        assert!(t.starts_with("20"), "{t}");
    }

    #[test]
    fn zenml_seed_has_built_ins_per_level_and_repair_is_idempotent() {
        let s = Store::seeded();
        assert_eq!(s.roles.len(), 9);
        assert!(s.roles.values().all(|r| r.system_managed));
        let again = s.clone().repaired();
        assert_eq!(again.roles, s.roles);
    }
}
