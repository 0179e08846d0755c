//! One SlashID organization's RBAC data: permissions, roles and the roles
//! and direct permissions of a few persons, with the vendor's name rules,
//! uniqueness, not-found and ETag semantics (vendors/slashid.md).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::errors::{ApiError, ApiResult};

/// Role names: 2–100 characters after the `{org_id}/` prefix.
pub const ROLE_NAME_MAX: usize = 100;
/// Permission names: 2–1024 characters.
pub const PERMISSION_NAME_MAX: usize = 1024;
/// Both kinds of name: at least 2 characters.
pub const NAME_MIN: usize = 2;
/// The persons every fresh organization has (SlashID person IDs are
/// `pid:` + a UUID; the emulator cannot create persons).
pub const SEED_PERSONS: [&str; 3] = [
    "pid:01900000-0000-7000-8000-000000000001",
    "pid:01900000-0000-7000-8000-000000000002",
    "pid:01900000-0000-7000-8000-000000000003",
];

/// The schema's role regex, applied to the part after the prefix. `\w` is
/// ASCII here (`(?-u)`), as in the vendor's (Go/JSON-schema) regex.
pub fn role_name_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?-u)^[A-Za-z0-9]{1}[\w.\-:]*[A-Za-z0-9]$").unwrap())
}

/// The schema's permission regex.
pub fn permission_name_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?-u)^[A-Za-z0-9]{1}[\w./\\\-:]*[A-Za-z0-9]$").unwrap())
}

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

/// A person's RBAC data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
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
/// (vendors/slashid.md, "Eventual consistency"), set by flags at start and
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

/// `POST /rbac/permissions` body.
#[derive(Debug, Deserialize)]
pub struct PermissionCreate {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// `PATCH /rbac/permissions/{name}` body.
#[derive(Debug, Deserialize)]
pub struct PermissionPatch {
    #[serde(default)]
    pub description: Option<String>,
}

/// `POST /rbac/roles` body.
#[derive(Debug, Deserialize)]
pub struct RoleCreate {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub permissions: Option<Vec<String>>,
}

/// `PATCH /rbac/roles/{name}` body.
#[derive(Debug, Deserialize)]
pub struct RolePatch {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub permissions: Option<Vec<String>>,
}

fn etag(kind: &str, version: u64) -> String {
    format!("\"{kind}-{version}\"")
}

/// `If-Match`: absent passes; `*` or the current tag (one of a list) passes.
fn check_if_match(if_match: Option<&str>, current: &str, what: &str) -> ApiResult<()> {
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

    fn bump(&mut self) -> u64 {
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

    fn check_permission_name(name: &str) -> ApiResult<()> {
        let len = name.chars().count();
        if !(NAME_MIN..=PERMISSION_NAME_MAX).contains(&len)
            || !permission_name_regex().is_match(name)
        {
            return Err(ApiError::bad_request(format!(
                "invalid permission name {name:?}: 2-1024 characters of A-Z a-z 0-9 - _ . : / \\, \
                 starting and ending with a letter or digit"
            )));
        }
        Ok(())
    }

    /// Role names carry the `{org_id}/` prefix; the regex and the 2–100
    /// limit apply after it (vendors/slashid.md, "Name rules"). Whether the
    /// real server refuses an unprefixed name is **unverified**; the
    /// emulator refuses it.
    fn check_role_name(org_id: &str, name: &str) -> ApiResult<()> {
        let Some(short) = name.strip_prefix(&format!("{org_id}/")) else {
            return Err(ApiError::bad_request(format!(
                "invalid role name {name:?}: role names must be prefixed with \"{org_id}/\""
            )));
        };
        let len = short.chars().count();
        if !(NAME_MIN..=ROLE_NAME_MAX).contains(&len) || !role_name_regex().is_match(short) {
            return Err(ApiError::bad_request(format!(
                "invalid role name {name:?}: after the organization prefix, 2-100 characters of \
                 A-Z a-z 0-9 - _ . :, starting and ending with a letter or digit"
            )));
        }
        Ok(())
    }

    fn check_permissions_exist<'a>(
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

    // ----- permissions -----

    pub fn create_permission(&mut self, req: PermissionCreate) -> ApiResult<()> {
        let name = req
            .name
            .ok_or_else(|| ApiError::bad_request("name is required"))?;
        Self::check_permission_name(&name)?;
        if self.permissions.contains_key(&name) {
            // "No action will be taken" vs a declared 409: the emulator
            // answers 409 (vendors/slashid.md, "Create of an existing name").
            return Err(ApiError::conflict(format!(
                "permission {name:?} already exists"
            )));
        }
        let version = self.bump();
        self.created_at.insert(format!("p:{name}"), Instant::now());
        self.permissions.insert(
            name.clone(),
            Permission {
                name,
                description: req.description,
                created: now_rfc3339(),
                version,
            },
        );
        Ok(())
    }

    pub fn list_permissions(&self) -> Vec<String> {
        self.permissions.keys().cloned().collect()
    }

    pub fn get_permission(&self, name: &str) -> ApiResult<Value> {
        let p = self
            .permissions
            .get(name)
            .ok_or_else(|| ApiError::not_found(format!("permission {name:?} not found")))?;
        let mut v = json!({"name": p.name, "created": p.created});
        if let Some(d) = &p.description {
            v["description"] = json!(d);
        }
        Ok(v)
    }

    pub fn patch_permission(
        &mut self,
        name: &str,
        req: PermissionPatch,
        if_match: Option<&str>,
    ) -> ApiResult<()> {
        let version = self.revision + 1;
        let p = self
            .permissions
            .get_mut(name)
            .ok_or_else(|| ApiError::not_found(format!("permission {name:?} not found")))?;
        check_if_match(if_match, &etag("p", p.version), "the permission")?;
        if let Some(d) = req.description {
            p.description = Some(d);
        }
        p.version = version;
        self.revision = version;
        Ok(())
    }

    /// Refused while a role includes the permission; the status is
    /// **unverified** (400 is declared, 409 is not), so 400 naming the role.
    pub fn delete_permission(&mut self, name: &str) -> ApiResult<()> {
        if !self.permissions.contains_key(name) {
            return Err(ApiError::not_found(format!(
                "permission {name:?} not found"
            )));
        }
        let users: Vec<&str> = self
            .roles
            .values()
            .filter(|r| r.permissions.contains(name))
            .map(|r| r.name.as_str())
            .collect();
        if !users.is_empty() {
            return Err(ApiError::bad_request(format!(
                "permission {name:?} is used by role(s) {}: remove it from them first",
                users.join(", ")
            )));
        }
        self.permissions.remove(name);
        self.created_at.remove(&format!("p:{name}"));
        for person in self.persons.values_mut() {
            person.additional_permissions.remove(name);
        }
        self.bump();
        Ok(())
    }

    // ----- roles -----

    pub fn create_role(&mut self, org_id: &str, req: RoleCreate) -> ApiResult<()> {
        let name = req
            .name
            .ok_or_else(|| ApiError::bad_request("name is required"))?;
        Self::check_role_name(org_id, &name)?;
        if self.roles.contains_key(&name) {
            return Err(ApiError::conflict(format!("role {name:?} already exists")));
        }
        let permissions: BTreeSet<String> =
            req.permissions.unwrap_or_default().into_iter().collect();
        self.check_permissions_exist(&permissions)?;
        let version = self.bump();
        self.created_at.insert(format!("r:{name}"), Instant::now());
        self.roles.insert(
            name.clone(),
            Role {
                name,
                description: req.description,
                created: now_rfc3339(),
                permissions,
                version,
            },
        );
        Ok(())
    }

    pub fn list_roles(&self) -> Vec<String> {
        self.roles.keys().cloned().collect()
    }

    /// The role and its ETag.
    pub fn get_role(&self, name: &str) -> ApiResult<(Value, String)> {
        let r = self
            .roles
            .get(name)
            .ok_or_else(|| ApiError::not_found(format!("role {name:?} not found")))?;
        let mut v = json!({"name": r.name, "created": r.created, "permissions": r.permissions});
        if let Some(d) = &r.description {
            v["description"] = json!(d);
        }
        Ok((v, etag("r", r.version)))
    }

    /// PATCH replaces the permission set when `permissions` is present
    /// (**unverified**; the reference's most likely reading); an empty
    /// array clears it. A missing role gets 404 (**unverified**, not declared).
    pub fn patch_role(
        &mut self,
        name: &str,
        req: RolePatch,
        if_match: Option<&str>,
    ) -> ApiResult<()> {
        let current = self
            .roles
            .get(name)
            .ok_or_else(|| ApiError::not_found(format!("role {name:?} not found")))?;
        check_if_match(if_match, &etag("r", current.version), "the role")?;
        if let Some(perms) = &req.permissions {
            self.check_permissions_exist(perms)?;
        }
        let version = self.bump();
        let role = self.roles.get_mut(name).expect("checked above");
        if let Some(d) = req.description {
            role.description = Some(d);
        }
        if let Some(perms) = req.permissions {
            role.permissions = perms.into_iter().collect();
        }
        role.version = version;
        Ok(())
    }

    /// Deleting a role revokes it from every person.
    pub fn delete_role(&mut self, name: &str) -> ApiResult<()> {
        if self.roles.remove(name).is_none() {
            return Err(ApiError::not_found(format!("role {name:?} not found")));
        }
        self.created_at.remove(&format!("r:{name}"));
        for person in self.persons.values_mut() {
            person.roles.remove(name);
        }
        self.bump();
        Ok(())
    }

    // ----- persons -----

    fn person(&self, person_id: &str) -> ApiResult<&Person> {
        self.persons
            .get(person_id)
            .ok_or_else(|| ApiError::not_found(format!("person {person_id:?} not found")))
    }

    pub fn person_roles(&self, person_id: &str) -> ApiResult<Vec<String>> {
        Ok(self.person(person_id)?.roles.iter().cloned().collect())
    }

    pub fn person_additional_permissions(&self, person_id: &str) -> ApiResult<Vec<String>> {
        Ok(self
            .person(person_id)?
            .additional_permissions
            .iter()
            .cloned()
            .collect())
    }

    /// Direct permissions plus those of the person's roles.
    pub fn person_permissions(&self, person_id: &str) -> ApiResult<Vec<String>> {
        let person = self.person(person_id)?;
        let mut all = person.additional_permissions.clone();
        for role in &person.roles {
            if let Some(r) = self.roles.get(role) {
                all.extend(r.permissions.iter().cloned());
            }
        }
        Ok(all.into_iter().collect())
    }

    /// `PUT /persons/{id}/roles`: replaces the set; every role must exist.
    pub fn set_person_roles(
        &mut self,
        person_id: &str,
        roles: Vec<String>,
        if_match: Option<&str>,
    ) -> ApiResult<()> {
        let current = self.person(person_id)?;
        check_if_match(if_match, &etag("pr", current.version), "the person's roles")?;
        for role in &roles {
            if !self.roles.contains_key(role) {
                return Err(ApiError::bad_request(format!(
                    "role {role:?} does not exist"
                )));
            }
        }
        let version = self.bump();
        let person = self.persons.get_mut(person_id).expect("checked above");
        person.roles = roles.into_iter().collect();
        person.version = version;
        Ok(())
    }

    /// `PUT /persons/{id}/additional-permissions`: replaces the set.
    pub fn set_person_permissions(
        &mut self,
        person_id: &str,
        permissions: Vec<String>,
        if_match: Option<&str>,
    ) -> ApiResult<()> {
        let current = self.person(person_id)?;
        check_if_match(
            if_match,
            &etag("pr", current.version),
            "the person's permissions",
        )?;
        self.check_permissions_exist(&permissions)?;
        let version = self.bump();
        let person = self.persons.get_mut(person_id).expect("checked above");
        person.additional_permissions = permissions.into_iter().collect();
        person.version = version;
        Ok(())
    }

    /// `POST /rbac/check`.
    pub fn check(&self, person_id: &str, permission: &str) -> ApiResult<bool> {
        Ok(self
            .person_permissions(person_id)?
            .iter()
            .any(|p| p == permission))
    }
}

/// The current time as RFC 3339 (UTC, seconds).
fn now_rfc3339() -> String {
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

    const ORG: &str = "af5fbd30-7ce7-4548-8b30-4cd59cb2aba1";

    #[test]
    fn slashid_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn slashid_name_rules_are_ascii_and_prefixed() {
        assert!(role_name_regex().is_match("billing-viewer"));
        assert!(!role_name_regex().is_match("bé"));
        assert!(!role_name_regex().is_match("a/b"));
        assert!(permission_name_regex().is_match("billing/invoices\\list"));
        assert!(!permission_name_regex().is_match("a_"));
        let mut s = Store::seeded();
        let role = |name: &str| RoleCreate {
            name: Some(name.into()),
            description: None,
            permissions: None,
        };
        assert_eq!(s.create_role(ORG, role("viewer")).unwrap_err().status, 400);
        s.create_role(ORG, role(&format!("{ORG}/viewer"))).unwrap();
        let dup = s
            .create_role(ORG, role(&format!("{ORG}/viewer")))
            .unwrap_err();
        assert_eq!(dup.status, 409);
        let long = format!("{ORG}/{}", "a".repeat(101));
        assert_eq!(s.create_role(ORG, role(&long)).unwrap_err().status, 400);
    }

    #[test]
    fn slashid_permission_in_use_names_the_role() {
        let mut s = Store::seeded();
        s.create_permission(PermissionCreate {
            name: Some("billing.read".into()),
            description: None,
        })
        .unwrap();
        let name = format!("{ORG}/billing");
        s.create_role(
            ORG,
            RoleCreate {
                name: Some(name.clone()),
                description: None,
                permissions: Some(vec!["billing.read".into()]),
            },
        )
        .unwrap();
        let err = s.delete_permission("billing.read").unwrap_err();
        assert_eq!(err.status, 400);
        assert!(err.message.contains(&name), "{}", err.message);
        let (_, tag) = s.get_role(&name).unwrap();
        let patch = || RolePatch {
            description: Some("x".into()),
            permissions: Some(vec![]),
        };
        assert_eq!(
            s.patch_role(&name, patch(), Some("\"r-999\""))
                .unwrap_err()
                .status,
            412
        );
        s.patch_role(&name, patch(), Some(&tag)).unwrap();
        s.delete_permission("billing.read").unwrap();
    }
}
