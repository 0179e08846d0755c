//! Rootly users and the one on-call role each holds (docs/vendors/rootly.md,
//! "Users and the on-call role assignment"): `GET /v1/users`, `GET /v1/users/{id}`
//! and `PUT /v1/users/{id}`.
//!
//! `DELETE /v1/users/{id}` removes the user from the organization, so this
//! client has no method for it, and [`refuse_user_delete`] stops any
//! request that would send it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{page_request, RootlyClient, LIST_PAGE_SIZE, MEDIA_TYPE};
use crate::http::{encode_path_segment, HttpError, Request};
use crate::vendors::rootly::RootlyError;
use reqwest::Method;

/// A user as the provider sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RootlyUser {
    /// Opaque string (the spec gives no format).
    pub id: String,
    pub email: String,
    pub full_name: Option<String>,
    /// The on-call role held, from `relationships.on_call_role.data`.
    pub on_call_role_id: Option<String>,
}

/// Filters of `GET /v1/users`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserFilters {
    /// `filter[email]`.
    pub email: Option<String>,
    /// `filter[search]`.
    pub search: Option<String>,
    /// `include`: `on_call_role` makes the relationship's linkage certain
    /// in every user object (JSON:API "full linkage" of a compound document),
    /// which a refresh from the listing relies on.
    pub include: Option<String>,
}

#[derive(Deserialize)]
struct UserObject {
    id: String,
    #[serde(default)]
    attributes: UserAttributes,
    #[serde(default)]
    relationships: Option<Relationships>,
}

#[derive(Default, Deserialize)]
struct UserAttributes {
    #[serde(default)]
    email: String,
    #[serde(default)]
    full_name: Option<String>,
}

#[derive(Deserialize)]
struct Relationships {
    #[serde(default)]
    on_call_role: Option<Relationship>,
}

#[derive(Deserialize)]
struct Relationship {
    #[serde(default)]
    data: Option<Linkage>,
}

#[derive(Deserialize)]
struct Linkage {
    id: String,
}

impl From<UserObject> for RootlyUser {
    fn from(u: UserObject) -> Self {
        RootlyUser {
            on_call_role_id: u
                .relationships
                .and_then(|r| r.on_call_role)
                .and_then(|r| r.data)
                .map(|d| d.id),
            id: u.id,
            email: u.attributes.email,
            full_name: u.attributes.full_name,
        }
    }
}

#[derive(Deserialize)]
struct SingleUser {
    data: UserObject,
}

#[derive(Deserialize)]
struct UserPage {
    data: Vec<UserObject>,
    #[serde(default)]
    meta: Option<Value>,
}

/// The `update_user` document the provider sends: **only**
/// `on_call_role_id`, so that no other user attribute is touched.
#[derive(Debug, Serialize)]
pub struct UpdateUserOnCallRole<'a> {
    data: UpdateData<'a>,
}

#[derive(Debug, Serialize)]
struct UpdateData<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    attributes: OnCallRoleOnly<'a>,
}

#[derive(Debug, Serialize)]
struct OnCallRoleOnly<'a> {
    on_call_role_id: &'a str,
}

impl<'a> UpdateUserOnCallRole<'a> {
    /// The document assigning on-call role `on_call_role_id`.
    pub fn new(on_call_role_id: &'a str) -> Self {
        UpdateUserOnCallRole {
            data: UpdateData {
                kind: "users",
                attributes: OnCallRoleOnly { on_call_role_id },
            },
        }
    }
}

/// Refuses a `DELETE` of a user (`/v1/users/...`): it would remove the
/// person from the organization, never what undoing an assignment means.
/// Nothing is sent.
pub fn refuse_user_delete(request: &Request) -> Result<(), RootlyError> {
    let path = request.path().trim_end_matches('/');
    if *request.method() == Method::DELETE
        && (path == "/v1/users" || path.starts_with("/v1/users/"))
    {
        return Err(HttpError::Config(format!(
            "refusing to send DELETE {path}: it would remove the user from the Rootly organization"
        ))
        .into());
    }
    Ok(())
}

fn user_path(id: &str) -> String {
    format!("/v1/users/{}", encode_path_segment(id))
}

impl RootlyClient {
    /// `GET /v1/users/{id}?include=on_call_role`: the user and the on-call
    /// role it holds (from the relationship), or an error whose
    /// `is_not_found()` is true.
    pub async fn get_user(&self, id: &str) -> Result<RootlyUser, RootlyError> {
        let request = Request::get(user_path(id)).query("include", "on_call_role");
        let single: SingleUser = self.call(request).await?;
        Ok(single.data.into())
    }

    /// The user `id` for a refresh, `None` when there is no such user.
    /// Reads of many users at once share one walk of `GET /v1/users`
    /// (`include=on_call_role`): a refresh costs the listing's pages, not a
    /// `GET /v1/users/{id}` per assignment.
    pub async fn read_user(&self, id: &str) -> Result<Option<RootlyUser>, RootlyError> {
        self.users
            .get(&id.to_string(), || self.list_users_with_roles())
            .await
    }

    /// The user `id` as it was when this process first listed the users
    /// (before this run's writes), `None` when there is none. One walk of
    /// `GET /v1/users` per run, whatever the number of calls.
    pub async fn user_before_run(&self, id: &str) -> Result<Option<RootlyUser>, RootlyError> {
        self.users_before
            .get(&id.to_string(), || self.list_users_with_roles())
            .await
    }

    /// Every user with the on-call role each holds, keyed by ID.
    async fn list_users_with_roles(&self) -> Result<Vec<(String, RootlyUser)>, RootlyError> {
        let filters = UserFilters {
            include: Some("on_call_role".into()),
            ..UserFilters::default()
        };
        let all = self.list_users(&filters).await?;
        Ok(all.into_iter().map(|u| (u.id.clone(), u)).collect())
    }

    /// `PUT /v1/users/{id}` with only `on_call_role_id` in the body. The
    /// spec answers 404 both for an unknown user and for an on-call role
    /// of another team (or none at all). Reads of users after it answers
    /// list again ([`crate::vendors::snapshot::ListSnapshot::write`]).
    pub async fn set_user_on_call_role(
        &self,
        id: &str,
        on_call_role_id: &str,
    ) -> Result<RootlyUser, RootlyError> {
        let request = Request::put(user_path(id))
            .json(&UpdateUserOnCallRole::new(on_call_role_id))
            .header("Content-Type", MEDIA_TYPE);
        let single: SingleUser = self.users.write(self.call(request)).await?;
        Ok(single.data.into())
    }

    /// One page of `GET /v1/users`; also whether there is a next one.
    pub async fn list_users_page(
        &self,
        filters: &UserFilters,
        page: u64,
        size: usize,
    ) -> Result<(Vec<RootlyUser>, bool), RootlyError> {
        let request = page_request(
            "/v1/users",
            page,
            size,
            &[
                ("filter[email]", &filters.email),
                ("filter[search]", &filters.search),
                ("include", &filters.include),
            ],
        );
        let body: UserPage = self.call(request).await?;
        let more = body
            .meta
            .as_ref()
            .and_then(|m| m.get("next_page"))
            .is_some_and(|n| !n.is_null());
        Ok((body.data.into_iter().map(RootlyUser::from).collect(), more))
    }

    /// Every user matching `filters`, walking every page.
    pub async fn list_users(&self, filters: &UserFilters) -> Result<Vec<RootlyUser>, RootlyError> {
        let mut all: Vec<RootlyUser> = Vec::new();
        for page in 1.. {
            let (users, more) = self.list_users_page(filters, page, LIST_PAGE_SIZE).await?;
            let empty = users.is_empty();
            all.extend(users);
            // An empty page ends the walk whatever `next_page` says.
            if !more || empty {
                break;
            }
        }
        Ok(all)
    }

    /// The user whose email is exactly `email` (case-insensitive), if any.
    pub async fn find_user_by_email(&self, email: &str) -> Result<Option<RootlyUser>, RootlyError> {
        let filters = UserFilters {
            email: Some(email.to_string()),
            ..UserFilters::default()
        };
        Ok(self
            .list_users(&filters)
            .await?
            .into_iter()
            .find(|u| u.email.eq_ignore_ascii_case(email)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rootly_user_update_sends_only_the_on_call_role() {
        let doc = UpdateUserOnCallRole::new("91b7d512-7444-4978-8350-7492b18ec2ad");
        assert_eq!(
            serde_json::to_value(&doc).unwrap(),
            json!({"data": {"type": "users", "attributes": {
                "on_call_role_id": "91b7d512-7444-4978-8350-7492b18ec2ad"
            }}})
        );
    }

    #[test]
    fn rootly_user_delete_is_refused_before_sending() {
        for path in ["/v1/users/20001", "/v1/users", "/v1/users/me/"] {
            let err = refuse_user_delete(&Request::delete(path)).unwrap_err();
            assert!(err.to_string().contains("remove the user"), "{err}");
        }
        assert!(refuse_user_delete(&Request::get("/v1/users/20001")).is_ok());
        assert!(refuse_user_delete(&Request::put("/v1/users/20001")).is_ok());
        assert!(refuse_user_delete(&Request::delete("/v1/on_call_roles/x")).is_ok());
    }

    #[test]
    fn rootly_user_relationship_is_the_on_call_role() {
        let with: UserObject = serde_json::from_value(json!({
            "id": "20001", "type": "users",
            "attributes": {"email": "ada@example.com", "full_name": "Ada Lovelace",
                "created_at": "x", "updated_at": "y"},
            "relationships": {"role": {"data": null},
                "on_call_role": {"data": {"id": "r-1", "type": "on_call_roles"}}}
        }))
        .unwrap();
        let user = RootlyUser::from(with);
        assert_eq!(user.on_call_role_id.as_deref(), Some("r-1"));
        assert_eq!(user.full_name.as_deref(), Some("Ada Lovelace"));
        let without: UserObject = serde_json::from_value(json!({
            "id": "20003", "type": "users",
            "attributes": {"email": "alan@example.com", "full_name": null},
            "relationships": {"on_call_role": {"data": null}}
        }))
        .unwrap();
        assert_eq!(RootlyUser::from(without).on_call_role_id, None);
    }
}
