//! One Rootly organisation's on-call roles: create, update, delete, lookup and
//! listing (docs/vendors/rootly.md, "Behaviour the provider depends on"). The
//! role and the rules for its attributes are in `roles.rs`, the user operations
//! in `user_ops.rs`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::errors::{ApiError, ApiResult};
use super::generated::{timestamp, uuid_v4};
use super::roles::{check_attrs, slugify, Role};

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

    /// By UUID or by slug (FriendlyId-style lookup, docs/vendors/rootly.md,
    /// "On-call role endpoints").
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
}
