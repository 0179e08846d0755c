//! Typed client for the SlashID RBAC API (<https://developer.slashid.dev/docs/api>).
//! Every call carries `SlashID-OrgID` and `SlashID-API-Key`; reads answer
//! `{"result": ...}`, writes 204 with no body, errors
//! `{"errors": [{"httpcode", "message"}]}` (docs/vendors/slashid.md, "Transport" and "Envelope").
//! Names are the identity: there are no IDs.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::error::{ApiError, SlashidError};
use crate::http::{
    encode_path_segment, Auth, HttpClient, HttpConfig, RateLimit, Request, Response, RetryPolicy,
};
use crate::vendors::error::FailedCall;
use crate::vendors::lost_create::settle::BeforeCreates;

mod in_use;
mod lost_create;
mod models;
mod persons;

pub use in_use::InUse;
use lost_create::read_back;
pub use models::{
    Consistency, Created, Permission, PermissionCreate, PermissionPatch, Role, RoleCreate,
    RolePatch,
};
pub use persons::{Handle, ListedPerson, PERSONS_PAGE_SIZE};

/// The production API base.
pub const DEFAULT_BASE_URL: &str = "https://api.slashid.com";

/// SlashID's default `SlashID-Required-Consistency-Timeout`, in seconds
/// (docs/vendors/slashid.md, "Transport").
pub const DEFAULT_CONSISTENCY_TIMEOUT: u32 = 30;

/// Settings for [`SlashidClient::new`].
#[derive(Clone)]
pub struct SlashidConfig {
    pub org_id: String,
    pub api_key: String,
    pub base_url: url::Url,
    pub user_agent: String,
    pub retry: RetryPolicy,
    /// Sent on writes when set; the vendor default is `local_region`.
    pub consistency: Option<Consistency>,
    /// `SlashID-Required-Consistency-Timeout`, 1–120 s (vendor default 30).
    pub consistency_timeout: Option<u32>,
    /// Client-side pacing; see [`rate_limits`].
    pub rate_limits: Vec<RateLimit>,
}

/// SlashID publishes no rate limit (docs/vendors/slashid.md, "Transport":
/// **unverified**), so there is none unless the user sets
/// `max_requests_per_second`; 0 or unset means none. A 429 with
/// `Retry-After` is honoured by the HTTP core either way.
pub fn rate_limits(per_second: Option<i64>) -> Vec<RateLimit> {
    match per_second {
        Some(n) if n > 0 => vec![RateLimit::per_second(n.min(u32::MAX as i64) as u32)],
        _ => Vec::new(),
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    result: T,
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    #[serde(default)]
    errors: Vec<ErrorItem>,
}

#[derive(Deserialize)]
struct ErrorItem {
    #[serde(default)]
    message: String,
}

/// Client for one SlashID organization. Cheap to clone.
#[derive(Clone)]
pub struct SlashidClient {
    http: HttpClient,
    org_id: String,
    consistency: Option<Consistency>,
    consistency_timeout: Option<u32>,
    in_use: std::sync::Arc<InUse>,
    /// What was there before this run's creates (see
    /// [`crate::vendors::lost_create::settle`]).
    before: BeforeCreates,
}

impl SlashidClient {
    /// A client for `config.org_id`, paced at `config.rate_limits` (shared
    /// by every client of the same organization in the process).
    pub fn new(config: SlashidConfig) -> Result<Self, SlashidError> {
        let mut http = HttpConfig::new(
            "slashid",
            config.base_url,
            Auth::Header {
                name: "SlashID-API-Key",
                value: config.api_key,
            },
        );
        http.retry = config.retry;
        http.user_agent = config.user_agent;
        http.rate_limits = config.rate_limits;
        if let Some(seconds) = config.consistency_timeout {
            // SlashID holds a write until the consistency it was asked for
            // is reached, for up to `SlashID-Required-Consistency-Timeout`
            // seconds (docs/vendors/slashid.md, "Behaviour the provider depends on"): an
            // attempt must be allowed that long, and a little more for the
            // answer, before it counts as timed out.
            let held = Duration::from_secs(u64::from(seconds) + 10);
            http.timeout = http.timeout.max(held);
        }
        Ok(Self {
            http: HttpClient::new(http)?,
            org_id: config.org_id,
            consistency: config.consistency,
            consistency_timeout: config.consistency_timeout,
            in_use: Default::default(),
            before: BeforeCreates::default(),
        })
    }

    /// Which roles hold a permission, and this process's role writes.
    pub fn in_use(&self) -> &InUse {
        &self.in_use
    }

    /// The organization ID.
    pub fn org_id(&self) -> &str {
        &self.org_id
    }

    /// `{org_id}/{short}`: the name SlashID stores for a role.
    pub fn full_role_name(&self, short: &str) -> String {
        format!("{}/{short}", self.org_id)
    }

    /// The part after this organization's prefix, if `full` has it.
    pub fn short_role_name<'a>(&self, full: &'a str) -> Option<&'a str> {
        full.strip_prefix(&self.org_id)?.strip_prefix('/')
    }

    /// Role names as the provider shows them: short where they carry this
    /// organization's prefix, as SlashID gave them otherwise.
    pub fn shown_role_names(&self, full: &[String]) -> Vec<String> {
        full.iter()
            .map(|r| self.short_role_name(r).unwrap_or(r).to_string())
            .collect()
    }

    fn request(&self, request: Request) -> Request {
        request.header("SlashID-OrgID", self.org_id.clone())
    }

    /// A write: the consistency headers are accepted on writes only.
    fn write_request(&self, request: Request) -> Request {
        let mut request = self.request(request);
        if let Some(c) = self.consistency {
            request = request.header("SlashID-Required-Consistency", c.as_str());
        }
        if let Some(t) = self.consistency_timeout {
            request = request.header("SlashID-Required-Consistency-Timeout", t.to_string());
        }
        request
    }

    async fn read<T: DeserializeOwned>(
        &self,
        path: String,
    ) -> Result<(T, Option<String>), SlashidError> {
        let request = self
            .request(Request::get(path))
            .expect_json::<Envelope<T>>();
        let response = self.http.send(request).await?;
        check(&response)?;
        let envelope: Envelope<T> = response.json()?;
        let etag = response.header("etag").map(str::to_string);
        Ok((envelope.result, etag))
    }

    async fn write(&self, request: Request) -> Result<(), SlashidError> {
        let response = self.http.send(self.write_request(request)).await?;
        check(&response)
    }

    /// `POST /rbac/permissions`. "If it exists already, no action will be
    /// taken" or 409 (which one is **unverified**; the emulator answers 409).
    pub async fn create_permission(&self, body: &PermissionCreate) -> Result<(), SlashidError> {
        self.write(Request::post_json("/rbac/permissions", body))
            .await
    }

    /// `GET /rbac/permissions/{name}`.
    pub async fn get_permission(&self, name: &str) -> Result<Permission, SlashidError> {
        Ok(self.read(permission_path(name)).await?.0)
    }

    /// `GET /rbac/permissions`: names only.
    pub async fn list_permissions(&self) -> Result<Vec<String>, SlashidError> {
        Ok(self.read("/rbac/permissions".into()).await?.0)
    }

    /// `PATCH /rbac/permissions/{name}` (PATCH is not idempotent for the
    /// HTTP core, but this one is: it sets fields to given values).
    pub async fn update_permission(
        &self,
        name: &str,
        body: &PermissionPatch,
        if_match: Option<&str>,
    ) -> Result<(), SlashidError> {
        let mut req = Request::patch(permission_path(name))
            .json(body)
            .idempotent(true);
        if let Some(tag) = if_match {
            req = req.header("If-Match", tag);
        }
        self.write(req).await
    }

    /// `DELETE /rbac/permissions/{name}`; refused while a role includes it.
    pub async fn delete_permission(&self, name: &str) -> Result<(), SlashidError> {
        self.write(Request::delete(permission_path(name))).await
    }

    /// `POST /rbac/roles` (the name is the full, prefixed one).
    pub async fn create_role(&self, body: &RoleCreate) -> Result<(), SlashidError> {
        self.write(Request::post_json("/rbac/roles", body)).await
    }

    /// `GET /rbac/roles/{name}`: the role and its ETag.
    pub async fn get_role(&self, full_name: &str) -> Result<(Role, Option<String>), SlashidError> {
        self.read(role_path(full_name)).await
    }

    /// `GET /rbac/roles`: full names only.
    pub async fn list_roles(&self) -> Result<Vec<String>, SlashidError> {
        Ok(self.read("/rbac/roles".into()).await?.0)
    }

    /// `PATCH /rbac/roles/{name}`, with `If-Match` when an ETag is known
    /// (that a role's own ETag is the one to send is **unverified**).
    pub async fn update_role(
        &self,
        full_name: &str,
        body: &RolePatch,
        if_match: Option<&str>,
    ) -> Result<(), SlashidError> {
        let mut req = Request::patch(role_path(full_name))
            .json(body)
            .idempotent(true);
        if let Some(tag) = if_match {
            req = req.header("If-Match", tag);
        }
        self.write(req).await
    }

    /// `DELETE /rbac/roles/{name}`; revokes the role from every person.
    pub async fn delete_role(&self, full_name: &str) -> Result<(), SlashidError> {
        self.write(Request::delete(role_path(full_name))).await
    }

    /// `GET /persons/{person_id}/roles`.
    pub async fn get_person_roles(&self, person_id: &str) -> Result<Vec<String>, SlashidError> {
        let path = format!("/persons/{}/roles", encode_path_segment(person_id));
        Ok(self.read(path).await?.0)
    }

    /// `PUT /persons/{person_id}/roles`: replaces the person's whole set.
    pub async fn set_person_roles(
        &self,
        person_id: &str,
        roles: &[String],
    ) -> Result<(), SlashidError> {
        let path = format!("/persons/{}/roles", encode_path_segment(person_id));
        let body = serde_json::json!({ "roles": roles });
        self.write(Request::put(path).json(&body)).await
    }

    /// How long after a create of ours a 404 may only mean "not replicated
    /// yet": the consistency timeout SlashID allows a write
    /// (`SlashID-Required-Consistency-Timeout`, default 30 s).
    pub fn visibility_window(&self) -> Duration {
        Duration::from_secs(
            self.consistency_timeout
                .unwrap_or(DEFAULT_CONSISTENCY_TIMEOUT)
                .into(),
        )
    }

    /// A role read right after writing it: a 404 is retried briefly, since
    /// the read may reach a region the write has not replicated to yet.
    pub async fn read_back_role(
        &self,
        full_name: &str,
    ) -> Result<(Role, Option<String>), SlashidError> {
        read_back(|| self.get_role(full_name)).await
    }

    /// A permission read right after writing it (see [`Self::read_back_role`]).
    pub async fn read_back_permission(&self, name: &str) -> Result<Permission, SlashidError> {
        read_back(|| self.get_permission(name)).await
    }
}

fn permission_path(name: &str) -> String {
    format!("/rbac/permissions/{}", encode_path_segment(name))
}

/// Role names hold a `/` (the org prefix): it is sent as `%2F`.
fn role_path(full_name: &str) -> String {
    format!("/rbac/roles/{}", encode_path_segment(full_name))
}

/// A 2xx passes; anything else becomes an [`ApiError`] with the vendor's message.
fn check(response: &Response) -> Result<(), SlashidError> {
    if response.is_success() {
        return Ok(());
    }
    let message = serde_json::from_slice::<ErrorEnvelope>(&response.body)
        .ok()
        .map(|e| {
            e.errors
                .into_iter()
                .map(|i| i.message)
                .collect::<Vec<_>>()
                .join("; ")
        })
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| response.body_excerpt());
    Err(ApiError {
        message,
        call: FailedCall::of(response),
    }
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slashid_request_bodies() {
        let role = RoleCreate {
            name: "org/viewer".into(),
            description: None,
            permissions: vec!["a.b".into()],
        };
        assert_eq!(
            serde_json::to_value(&role).unwrap(),
            serde_json::json!({"name": "org/viewer", "permissions": ["a.b"]})
        );
        let patch = RolePatch {
            description: Some(String::new()),
            permissions: vec![],
        };
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            serde_json::json!({"description": "", "permissions": []})
        );
        assert_eq!(role_path("org/viewer"), "/rbac/roles/org%2Fviewer");
    }

    #[test]
    fn slashid_error_envelope_decodes() {
        let response = Response::from_parts(
            "DELETE",
            "/rbac/permissions/a",
            400,
            Default::default(),
            r#"{"errors":[{"httpcode":400,"message":"used by role org/x"}]}"#,
        );
        let err = check(&response).unwrap_err();
        assert_eq!(err.status(), Some(400));
        assert_eq!(err.message(), Some("used by role org/x"));
    }
}
