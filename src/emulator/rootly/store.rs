//! One Rootly organisation's on-call roles, with the vendor's validation and
//! lookup rules (vendors/rootly.md, "Resource fields" and "Semantics").

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::errors::{ApiError, ApiResult, ErrorItem};

/// The four CRUD verbs, in the order the spec lists them.
const CRUD: &[&str] = &["create", "read", "update", "delete"];
const READ_ONLY: &[&str] = &["read"];
const CREATE_UPDATE: &[&str] = &["create", "update"];

/// Every permission array of the current spec with its allowed values
/// (vendors/rootly.md, "Permission arrays and their allowed values").
pub const PERMISSION_FAMILIES: [(&str, &[&str]); 24] = [
    ("alert_fields_permissions", CRUD),
    ("alert_groups_permissions", CRUD),
    ("alert_routing_rules_permissions", CRUD),
    ("alert_sources_permissions", CRUD),
    ("alert_urgency_permissions", CRUD),
    ("alerts_permissions", CRUD),
    ("api_keys_permissions", CRUD),
    ("audits_permissions", CRUD),
    ("catalogs_permissions", CRUD),
    ("contacts_permissions", READ_ONLY),
    ("escalation_policies_permissions", CRUD),
    ("functionalities_permissions", CRUD),
    ("groups_permissions", CRUD),
    ("heartbeats_permissions", CRUD),
    ("integrations_permissions", CRUD),
    ("invitations_permissions", CRUD),
    ("live_call_routing_permissions", CRUD),
    ("on_call_readiness_report_permissions", READ_ONLY),
    ("on_call_roles_permissions", CRUD),
    ("schedule_override_permissions", CREATE_UPDATE),
    ("schedules_permissions", CRUD),
    ("services_permissions", CRUD),
    ("webhooks_permissions", CRUD),
    ("workflows_permissions", CRUD),
];

/// `system_role` values.
pub const SYSTEM_ROLES: [&str; 5] = ["admin", "user", "custom", "observer", "no_access"];

/// Longest `name` accepted. **Unverified**: the spec documents no limit; 255
/// is the usual Rails string column.
pub const NAME_MAX: usize = 255;

/// An on-call role as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub system_role: String,
    /// Family name → values, in the order they were sent (deduplicated).
    pub permissions: BTreeMap<String, Vec<String>>,
    pub created_at: String,
    pub updated_at: String,
}

impl Role {
    /// The JSON:API resource object (`on_call_role` with id and type).
    pub fn resource(&self) -> Value {
        let mut attrs = Map::new();
        attrs.insert("name".into(), Value::from(self.name.clone()));
        attrs.insert("slug".into(), Value::from(self.slug.clone()));
        attrs.insert("system_role".into(), Value::from(self.system_role.clone()));
        for (family, _) in PERMISSION_FAMILIES {
            let values = self.permissions.get(family).cloned().unwrap_or_default();
            attrs.insert(family.into(), Value::from(values));
        }
        attrs.insert("created_at".into(), Value::from(self.created_at.clone()));
        attrs.insert("updated_at".into(), Value::from(self.updated_at.clone()));
        serde_json::json!({"id": self.id, "type": "on_call_roles", "attributes": attrs})
    }

    /// Only `user` and `custom` roles are editable (the spec's description
    /// of `system_role`).
    fn editable(&self) -> bool {
        self.system_role == "user" || self.system_role == "custom"
    }
}

/// The organisation's state, as persisted in the `--state` file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Store {
    pub(super) roles: BTreeMap<String, Role>,
    /// Insertion order (the default list order: oldest first).
    pub(super) order: Vec<String>,
    /// Users by ID (see `users.rs`).
    #[serde(default)]
    pub(super) users: BTreeMap<String, super::users::User>,
    /// User insertion order.
    #[serde(default)]
    pub(super) user_order: Vec<String>,
}

/// `sort` of the list endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    CreatedAt { desc: bool },
    Name { desc: bool },
}

/// The filters of `GET /v1/on_call_roles`.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub search: Option<String>,
    pub slug: Option<String>,
    pub name: Option<String>,
}

impl Store {
    /// A fresh organisation with the built-in system roles (**unverified**:
    /// the names and slugs of Rootly's built-in on-call roles are not
    /// documented; these follow the `system_role` enum).
    pub fn seeded() -> Self {
        let mut store = Store::default();
        for (name, system_role) in [
            ("Admin", "admin"),
            ("User", "user"),
            ("Observer", "observer"),
            ("No Access", "no_access"),
        ] {
            let mut attrs = Map::new();
            attrs.insert("name".into(), Value::from(name));
            attrs.insert("system_role".into(), Value::from(system_role));
            if system_role != "no_access" {
                attrs.insert("contacts_permissions".into(), serde_json::json!(["read"]));
            }
            store.create(&attrs).expect("seed roles are valid");
        }
        store.seed_users();
        store
    }

    /// A store loaded from a state file, with its order list made consistent.
    pub fn repaired(mut self) -> Self {
        self.order.retain(|id| self.roles.contains_key(id));
        for id in self.roles.keys() {
            if !self.order.contains(id) {
                self.order.push(id.clone());
            }
        }
        self.repair_users();
        self
    }

    /// By UUID or by slug (FriendlyId-style lookup, vendors/rootly.md "Lookup by slug").
    fn find_id(&self, id_or_slug: &str) -> ApiResult<String> {
        if self.roles.contains_key(id_or_slug) {
            return Ok(id_or_slug.to_string());
        }
        self.roles
            .values()
            .find(|r| r.slug == id_or_slug)
            .map(|r| r.id.clone())
            .ok_or_else(ApiError::not_found)
    }

    pub fn get(&self, id_or_slug: &str) -> ApiResult<Role> {
        let id = self.find_id(id_or_slug)?;
        Ok(self.roles[&id].clone())
    }

    /// `POST /v1/on_call_roles`: `name` is required; `system_role` defaults
    /// to `custom`; unset arrays are `[]`.
    pub fn create(&mut self, attrs: &Map<String, Value>) -> ApiResult<Role> {
        let mut errors = Vec::new();
        let name = match attrs.get("name") {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => {
                errors.push(ApiError::invalid("name", "can't be blank"));
                None
            }
        };
        let checked = check_attrs(attrs, &mut errors);
        if !errors.is_empty() {
            return Err(ApiError::unprocessable(errors));
        }
        let name = name.unwrap_or_default();
        let now = timestamp();
        let role = Role {
            id: uuid_v4(),
            slug: self.unique_slug(&name, None),
            name,
            system_role: checked.system_role.unwrap_or_else(|| "custom".into()),
            permissions: checked.permissions,
            created_at: now.clone(),
            updated_at: now,
        };
        self.order.push(role.id.clone());
        self.roles.insert(role.id.clone(), role.clone());
        Ok(role)
    }

    /// `PUT /v1/on_call_roles/{id}`: a partial update; arrays sent replace
    /// the stored ones wholesale, arrays omitted are kept. The slug is kept
    /// on rename (FriendlyId's default; **unverified**).
    pub fn update(&mut self, id_or_slug: &str, attrs: &Map<String, Value>) -> ApiResult<Role> {
        let id = self.find_id(id_or_slug)?;
        let mut errors = Vec::new();
        let name = match attrs.get("name") {
            None => None,
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(_) => {
                errors.push(ApiError::invalid("name", "can't be blank"));
                None
            }
        };
        let checked = check_attrs(attrs, &mut errors);
        if !self.roles[&id].editable() {
            errors.push(ApiError::invalid(
                "system_role",
                "only user and custom roles can be edited",
            ));
        }
        if !errors.is_empty() {
            return Err(ApiError::unprocessable(errors));
        }
        let role = self.roles.get_mut(&id).expect("found above");
        if let Some(name) = name {
            role.name = name;
        }
        if let Some(system_role) = checked.system_role {
            role.system_role = system_role;
        }
        role.permissions.extend(checked.permissions);
        role.updated_at = timestamp();
        Ok(role.clone())
    }

    /// `DELETE /v1/on_call_roles/{id}`: returns the deleted role.
    /// Built-in roles other than `user` cannot be deleted (**unverified**).
    pub fn delete(&mut self, id_or_slug: &str) -> ApiResult<Role> {
        let id = self.find_id(id_or_slug)?;
        if self.roles[&id].system_role != "custom" {
            return Err(ApiError::unprocessable(vec![ApiError::invalid(
                "system_role",
                "built-in roles cannot be deleted",
            )]));
        }
        self.order.retain(|o| *o != id);
        let released = self.release_on_call_role(&id);
        if released > 0 {
            tracing::info!(%id, users = released, "deleted on-call role cleared from its users");
        }
        Ok(self.roles.remove(&id).expect("found above"))
    }

    /// Every role matching `filters`, sorted.
    pub fn list(&self, filters: &Filters, sort: Sort) -> Vec<Role> {
        let mut roles: Vec<Role> = self
            .order
            .iter()
            .filter_map(|id| self.roles.get(id))
            .filter(|r| filters.slug.as_ref().is_none_or(|s| r.slug == *s))
            .filter(|r| filters.name.as_ref().is_none_or(|n| r.name == *n))
            .filter(|r| {
                filters.search.as_ref().is_none_or(|q| {
                    let q = q.to_lowercase();
                    r.name.to_lowercase().contains(&q) || r.slug.contains(&q)
                })
            })
            .cloned()
            .collect();
        match sort {
            Sort::CreatedAt { desc: true } => roles.reverse(),
            Sort::CreatedAt { desc: false } => {}
            Sort::Name { desc } => {
                roles.sort_by(|a, b| a.name.cmp(&b.name));
                if desc {
                    roles.reverse();
                }
            }
        }
        roles
    }

    /// `name` as a slug, made unique with `-2`, `-3`, ... (FriendlyId
    /// appends a UUID by default; the exact suffix is **unverified**).
    fn unique_slug(&self, name: &str, except: Option<&str>) -> String {
        let base = slugify(name);
        let taken = |s: &str| {
            self.roles
                .values()
                .any(|r| r.slug == s && Some(r.id.as_str()) != except)
        };
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|s| !taken(s))
            .expect("some suffix is free")
    }
}

struct Checked {
    system_role: Option<String>,
    permissions: BTreeMap<String, Vec<String>>,
}

/// Checks `system_role` and every permission array sent. Unknown attributes
/// are ignored (whether the server rejects them is **unverified**).
fn check_attrs(attrs: &Map<String, Value>, errors: &mut Vec<ErrorItem>) -> Checked {
    let mut checked = Checked {
        system_role: None,
        permissions: BTreeMap::new(),
    };
    if let Some(name) = attrs.get("name").and_then(Value::as_str) {
        if name.chars().count() > NAME_MAX {
            errors.push(ApiError::invalid(
                "name",
                &format!("is too long (maximum is {NAME_MAX} characters)"),
            ));
        }
    }
    match attrs.get("system_role") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if SYSTEM_ROLES.contains(&s.as_str()) => {
            checked.system_role = Some(s.clone());
        }
        Some(other) => errors.push(ApiError::invalid(
            "system_role",
            &format!(
                "{other} is not included in the list ({})",
                SYSTEM_ROLES.join(", ")
            ),
        )),
    }
    for (family, allowed) in PERMISSION_FAMILIES {
        let Some(value) = attrs.get(family) else {
            continue;
        };
        let items = match value {
            // Null clears the array (the official provider used to send it).
            Value::Null => Some(Vec::new()),
            Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>(),
            _ => None,
        };
        let Some(items) = items else {
            errors.push(ApiError::invalid(family, "must be an array of strings"));
            continue;
        };
        let mut kept: Vec<String> = Vec::new();
        for item in items {
            if !allowed.contains(&item.as_str()) {
                errors.push(ApiError::invalid(
                    family,
                    &format!(
                        "{item:?} is not a valid value; allowed values are: {}",
                        allowed.join(", ")
                    ),
                ));
            } else if !kept.contains(&item) {
                kept.push(item);
            }
        }
        checked.permissions.insert(family.to_string(), kept);
    }
    checked
}

/// Lowercase ASCII letters and digits, other runs become `-`.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "role".into()
    } else {
        out
    }
}

/// A random (version 4) UUID.
fn uuid_v4() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// ISO-8601 in UTC with milliseconds, e.g. `2025-03-28T23:03:31.877+00:00`.
pub(super) fn timestamp() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        now.subsec_millis()
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attrs(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn rootly_slugs_are_derived_and_unique() {
        assert_eq!(slugify("On-call  Managers!"), "on-call-managers");
        let mut s = Store::default();
        let a = s.create(&attrs(json!({"name": "Infra"}))).unwrap();
        let b = s.create(&attrs(json!({"name": "infra"}))).unwrap();
        assert_eq!((a.slug.as_str(), b.slug.as_str()), ("infra", "infra-2"));
        assert_eq!(s.get("infra-2").unwrap().id, b.id);
        assert_eq!(a.system_role, "custom");
        assert_eq!(a.id.len(), 36);
    }

    #[test]
    fn rootly_values_are_checked_per_family() {
        let mut s = Store::default();
        let err = s
            .create(&attrs(json!({
                "name": "x",
                "contacts_permissions": ["create"],
                "schedule_override_permissions": ["read"],
                "alerts_permissions": ["delete"],
            })))
            .unwrap_err();
        assert_eq!(err.errors.len(), 2, "{err:?}");
        let fields: Vec<_> = err.errors.iter().map(|e| e.field.clone()).collect();
        assert!(fields.contains(&Some("contacts_permissions".into())));
        assert!(fields.contains(&Some("schedule_override_permissions".into())));
    }

    #[test]
    fn rootly_timestamps_are_iso() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_175), (2025, 3, 28));
        assert_eq!(timestamp().len(), "2025-03-28T23:03:31.877+00:00".len());
    }
}
