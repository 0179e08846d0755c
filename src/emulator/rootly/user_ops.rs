//! The user endpoints on one organisation's [`Store`]: list, show, the
//! on-call role update and the test seeding (docs/vendors/rootly.md, "Users and
//! the on-call role assignment"). Kept apart from `users.rs` (the types and seeds) so
//! that `store.rs` and the users do not import each other.

use serde_json::{Map, Value};

use super::errors::{ApiError, ApiResult, ErrorItem};
use super::generated::timestamp;
use super::store::Store;
use super::users::*;

impl Store {
    /// Adds the seeded users to a store whose on-call roles are seeded.
    pub(super) fn seed_users(&mut self) {
        for (id, first, last, email, role_slug) in SEEDED_USERS {
            let on_call_role_id = role_slug.and_then(|slug| self.get(slug).ok()).map(|r| r.id);
            self.insert_user(id, first, last, email, on_call_role_id);
        }
    }

    fn insert_user(
        &mut self,
        id: &str,
        first: &str,
        last: &str,
        email: &str,
        on_call_role_id: Option<String>,
    ) -> User {
        let now = timestamp();
        let user = User {
            id: id.to_string(),
            email: email.to_string(),
            first_name: Some(first.to_string()),
            last_name: Some(last.to_string()),
            time_zone: Some("Etc/UTC".into()),
            on_call_role_id,
            role_id: None,
            created_at: now.clone(),
            updated_at: now,
        };
        self.users.insert(user.id.clone(), user.clone());
        self.user_order.push(user.id.clone());
        user
    }

    /// A user invited outside the API (the control route). Emails are
    /// unique (compared case-insensitively).
    pub fn add_user(&mut self, first: &str, last: &str, email: &str) -> Result<User, String> {
        if !email.contains('@') {
            return Err(format!("{email:?} is not an email address"));
        }
        if self.user_by_email(email).is_some() {
            return Err(format!("a user with email {email:?} already exists"));
        }
        let next = self
            .users
            .keys()
            .filter_map(|id| id.parse::<u64>().ok())
            .max()
            .map_or(FIRST_ADDED_USER_ID, |max| {
                (max + 1).max(FIRST_ADDED_USER_ID)
            });
        Ok(self.insert_user(&next.to_string(), first, last, email, None))
    }

    fn user_by_email(&self, email: &str) -> Option<&User> {
        self.users
            .values()
            .find(|u| u.email.eq_ignore_ascii_case(email))
    }

    /// `GET /v1/users/{id}`.
    pub fn user(&self, id: &str) -> ApiResult<User> {
        self.users.get(id).cloned().ok_or_else(ApiError::not_found)
    }

    /// The token's own user (`GET /v1/users/me`): the first seeded user.
    pub fn me(&self) -> ApiResult<User> {
        self.user(SEEDED_USERS[0].0)
    }

    /// `GET /v1/users`: every user matching `filters`, sorted.
    pub fn users(&self, filters: &UserFilters, sort: UserSort) -> Vec<User> {
        let search = filters.search.as_ref().map(|q| q.to_lowercase());
        let mut users: Vec<User> = self
            .user_order
            .iter()
            .filter_map(|id| self.users.get(id))
            .filter(|u| {
                filters
                    .email
                    .as_ref()
                    .is_none_or(|e| u.email.eq_ignore_ascii_case(e))
            })
            .filter(|u| {
                search.as_ref().is_none_or(|q| {
                    u.email.to_lowercase().contains(q)
                        || u.full_name().unwrap_or_default().to_lowercase().contains(q)
                })
            })
            .cloned()
            .collect();
        match sort {
            UserSort::CreatedAt { desc } => {
                if desc {
                    users.reverse();
                }
            }
            UserSort::UpdatedAt { desc } => {
                users.sort_by(|a, b| a.updated_at.cmp(&b.updated_at));
                if desc {
                    users.reverse();
                }
            }
        }
        users
    }

    /// `PUT /v1/users/{id}` with `data.attributes` already extracted: only
    /// the attributes sent change. An `on_call_role_id` that names no
    /// on-call role gets 404, as the spec declares ("returns 404 for
    /// on_call_role_id belonging to another team"); `null` clears the
    /// on-call role (**unverified**: it may reset to a default instead).
    pub fn update_user(&mut self, id: &str, attrs: &Map<String, Value>) -> ApiResult<User> {
        self.user(id)?;
        let mut errors: Vec<ErrorItem> = Vec::new();
        for key in attrs.keys() {
            if !UPDATABLE.contains(&key.as_str()) {
                // additionalProperties: false in update_user; whether the
                // server rejects unknown attributes is **unverified**.
                errors.push(ApiError::invalid(key, "is not a known attribute"));
            }
        }
        for key in UPDATABLE {
            match attrs.get(key) {
                None | Some(Value::Null) | Some(Value::String(_)) => {}
                Some(_) => errors.push(ApiError::invalid(key, "must be a string or null")),
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::unprocessable(errors));
        }
        let text = |key: &str| attrs.get(key).map(|v| v.as_str().map(str::to_string));
        let role = text("on_call_role_id");
        if let Some(Some(role_id)) = &role {
            // By UUID only: the relationship holds IDs, not slugs.
            if !self.roles.contains_key(role_id) {
                return Err(ApiError::not_found());
            }
        }
        let user = self.users.get_mut(id).expect("checked above");
        if let Some(role) = role {
            user.on_call_role_id = role;
        }
        if let Some(base) = text("role_id") {
            user.role_id = base;
        }
        if let Some(first) = text("first_name") {
            user.first_name = first;
        }
        if let Some(last) = text("last_name") {
            user.last_name = last;
        }
        user.updated_at = timestamp();
        Ok(user.clone())
    }

    /// `DELETE /v1/users/{id}`: removes the user from the organisation and
    /// returns it. The provider never calls this.
    pub fn delete_user(&mut self, id: &str) -> ApiResult<User> {
        let user = self.users.remove(id).ok_or_else(ApiError::not_found)?;
        self.user_order.retain(|u| u != id);
        Ok(user)
    }

    /// What deleting on-call role `role_id` does to the users holding it:
    /// their on-call role is cleared (**unverified**: Rootly does not say;
    /// it may refuse the delete instead). Returns how many users lost it.
    pub(super) fn release_on_call_role(&mut self, role_id: &str) -> usize {
        let now = timestamp();
        let mut n = 0;
        for user in self.users.values_mut() {
            if user.on_call_role_id.as_deref() == Some(role_id) {
                user.on_call_role_id = None;
                user.updated_at = now.clone();
                n += 1;
            }
        }
        n
    }

    /// Drops dangling references after loading a state file.
    pub(super) fn repair_users(&mut self) {
        self.user_order.retain(|id| self.users.contains_key(id));
        for id in self.users.keys() {
            if !self.user_order.contains(id) {
                self.user_order.push(id.clone());
            }
        }
        let roles = &self.roles;
        for user in self.users.values_mut() {
            if user
                .on_call_role_id
                .as_ref()
                .is_some_and(|r| !roles.contains_key(r))
            {
                user.on_call_role_id = None;
            }
        }
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
    fn rootly_users_are_seeded_with_on_call_roles() {
        let s = Store::seeded();
        let ada = s.user("20001").unwrap();
        assert_eq!(ada.on_call_role_id, Some(s.get("admin").unwrap().id));
        assert_eq!(s.user("20003").unwrap().on_call_role_id, None);
        assert_eq!(s.me().unwrap().email, "ada@example.com");
        let r = ada.resource();
        assert_eq!(r["attributes"]["full_name"], "Ada Lovelace");
        assert_eq!(
            r["relationships"]["on_call_role"]["data"]["type"],
            "on_call_roles"
        );
    }

    #[test]
    fn rootly_user_update_checks_the_role_and_the_attributes() {
        let mut s = Store::seeded();
        let observer = s.get("observer").unwrap().id;
        let u = s
            .update_user("20003", &attrs(json!({"on_call_role_id": observer})))
            .unwrap();
        assert_eq!(u.on_call_role_id.as_deref(), Some(observer.as_str()));
        assert_eq!(u.first_name.as_deref(), Some("Alan"));
        let missing = s
            .update_user("20003", &attrs(json!({"on_call_role_id": "nope"})))
            .unwrap_err();
        assert_eq!(missing.status.as_u16(), 404);
        let bad = s
            .update_user("20003", &attrs(json!({"email": "x@y", "last_name": 3})))
            .unwrap_err();
        assert_eq!((bad.status.as_u16(), bad.errors.len()), (422, 2));
        let cleared = s
            .update_user("20003", &attrs(json!({"on_call_role_id": null})))
            .unwrap();
        assert_eq!(cleared.on_call_role_id, None);
    }

    #[test]
    fn rootly_deleting_a_held_role_clears_it_from_users() {
        let mut s = Store::seeded();
        let role = s.create(&attrs(json!({"name": "Temp"}))).unwrap();
        s.update_user("20002", &attrs(json!({"on_call_role_id": role.id})))
            .unwrap();
        s.delete(&role.id).unwrap();
        assert_eq!(s.user("20002").unwrap().on_call_role_id, None);
    }

    #[test]
    fn rootly_user_filters() {
        let mut s = Store::seeded();
        s.add_user("Ada", "Byron", "byron@example.com").unwrap();
        assert!(s.add_user("X", "Y", "ADA@example.com").is_err());
        let by_email = UserFilters {
            email: Some("ADA@EXAMPLE.COM".into()),
            ..Default::default()
        };
        let found = s.users(&by_email, UserSort::CreatedAt { desc: false });
        assert_eq!(found.len(), 1);
        let search = UserFilters {
            search: Some("ada".into()),
            ..Default::default()
        };
        assert_eq!(
            s.users(&search, UserSort::CreatedAt { desc: false }).len(),
            2
        );
        assert_eq!(s.user("30001").unwrap().email, "byron@example.com");
    }
}
