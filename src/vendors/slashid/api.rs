//! Typed client for the SlashID RBAC API (<https://developer.slashid.dev/docs/api>).
//! Every call carries `SlashID-OrgID` and `SlashID-API-Key`; reads answer
//! `{"result": ...}`, writes 204 with no body, errors
//! `{"errors": [{"httpcode", "message"}]}` (vendors/slashid.md, "Transport").
//! Names are the identity: there are no IDs.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::{ApiError, SlashidError};
use crate::http::{
    encode_path_segment, Auth, HttpClient, HttpConfig, RateLimit, Request, Response, RetryPolicy,
};
use crate::vendors::create::CREATE_ATTEMPTS;

/// The production API base.
pub const DEFAULT_BASE_URL: &str = "https://api.slashid.com";

/// How often a read right after a write is repeated while it answers 404:
/// reads carry no consistency header and may be served by a region that has
/// not seen the write yet (vendors/slashid.md, "Eventual consistency").
const READ_BACK_ATTEMPTS: u32 = 6;
const READ_BACK_FIRST_DELAY: Duration = Duration::from_millis(100);

/// `SlashID-Required-Consistency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consistency {
    LocalRegion,
    AllRegions,
}

impl Consistency {
    /// The accepted values, as sent.
    pub const NAMES: [&'static str; 2] = ["local_region", "all_regions"];

    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Consistency::LocalRegion => "local_region",
            Consistency::AllRegions => "all_regions",
        }
    }

    /// Parses a header value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "local_region" => Some(Consistency::LocalRegion),
            "all_regions" => Some(Consistency::AllRegions),
            _ => None,
        }
    }
}

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

/// SlashID publishes no rate limit (vendors/slashid.md, "Rate limits":
/// **unverified**), so there is none unless the user sets
/// `max_requests_per_second`; 0 or unset means none. A 429 with
/// `Retry-After` is honoured by the HTTP core either way.
pub fn rate_limits(per_second: Option<i64>) -> Vec<RateLimit> {
    match per_second {
        Some(n) if n > 0 => vec![RateLimit::per_second(n.min(u32::MAX as i64) as u32)],
        _ => Vec::new(),
    }
}

/// What a create came to, once read back.
#[derive(Debug)]
pub enum Created<T> {
    /// The object as read after the create (a create of a name that already
    /// existed may have been a silent no-op: compare its fields).
    Read(T),
    /// SlashID refused the create with 409: the name is taken.
    Conflict(SlashidError),
}

/// A permission (`GET /rbac/permissions/{name}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Permission {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub created: Option<String>,
}

/// A role (`GET /rbac/roles/{name}`); `name` is the full, prefixed name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Role {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub permissions: Vec<String>,
}

/// Body of `POST /rbac/permissions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PermissionCreate {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Body of `PATCH /rbac/permissions/{name}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PermissionPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Body of `POST /rbac/roles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleCreate {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub permissions: Vec<String>,
}

/// Body of `PATCH /rbac/roles/{name}`. The provider always sends the whole
/// permission set: whether PATCH replaces or adds is **unverified**, and
/// replacing is the likely reading (vendors/slashid.md, "PATCH role").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RolePatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub permissions: Vec<String>,
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
        Ok(Self {
            http: HttpClient::new(http)?,
            org_id: config.org_id,
            consistency: config.consistency,
            consistency_timeout: config.consistency_timeout,
        })
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
        let response = self.http.send(self.request(Request::get(path))).await?;
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
    /// taken" or 409: callers read back and compare.
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

    /// `POST /rbac/permissions`, then the permission as read back. A 408 or a
    /// lost response ("it may still be handled") is settled by reading: when
    /// the permission is still missing after the brief 404 window, the create
    /// is sent once more, and a 409 then means the first one landed.
    pub async fn create_permission_and_read(
        &self,
        body: &PermissionCreate,
    ) -> Result<Created<Permission>, SlashidError> {
        create_then_read(
            || self.create_permission(body),
            || self.get_permission(&body.name),
        )
        .await
    }

    /// `POST /rbac/roles`, then the role and its ETag as read back; see
    /// [`Self::create_permission_and_read`].
    pub async fn create_role_and_read(
        &self,
        body: &RoleCreate,
    ) -> Result<Created<(Role, Option<String>)>, SlashidError> {
        create_then_read(|| self.create_role(body), || self.get_role(&body.name)).await
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

/// Creates, then reads the object back (SlashID answers a create before it
/// is readable everywhere, see `consistency`). It follows the policy of
/// [`crate::vendors::create::reconcile_create`] (an unknown outcome is read
/// back; only a missing object is sent again, at most [`CREATE_ATTEMPTS`]
/// times) but keeps its own loop, as a 409 means something else on the
/// first attempt (an object already there, which the caller reports) than on
/// later ones (our earlier create landed).
async fn create_then_read<T, C, CFut, R, RFut>(
    create: C,
    read: R,
) -> Result<Created<T>, SlashidError>
where
    C: Fn() -> CFut,
    CFut: std::future::Future<Output = Result<(), SlashidError>>,
    R: Fn() -> RFut,
    RFut: std::future::Future<Output = Result<T, SlashidError>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        match create().await {
            Ok(()) => break,
            Err(err) if err.is_conflict() && attempt == 1 => return Ok(Created::Conflict(err)),
            // An earlier create landed after all (or another client's did):
            // the caller compares what is read.
            Err(err) if err.is_conflict() => {
                tracing::debug!(error = %err, attempt, "create conflicts with an earlier one; reading back");
                break;
            }
            Err(err) if err.is_ambiguous() => {
                tracing::warn!(error = %err, attempt, "create outcome unknown; reading it back");
                match read_back(&read).await {
                    Ok(found) => return Ok(Created::Read(found)),
                    Err(e) if e.is_not_found() && attempt < CREATE_ATTEMPTS => {
                        tracing::warn!(
                            "still missing after an unconfirmed create; sending it again"
                        );
                    }
                    Err(e) if e.is_not_found() => return Err(err),
                    Err(e) => return Err(e),
                }
            }
            Err(err) => return Err(err),
        }
    }
    read_back(&read).await.map(Created::Read)
}

async fn read_back<T, F, Fut>(read: F) -> Result<T, SlashidError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T, SlashidError>>,
{
    let mut delay = READ_BACK_FIRST_DELAY;
    let mut attempt = 1;
    loop {
        match read().await {
            Err(err) if err.is_not_found() && attempt < READ_BACK_ATTEMPTS => {
                tracing::debug!(attempt, ?delay, "404 right after a write; reading again");
                tokio::time::sleep(delay).await;
                delay *= 2;
                attempt += 1;
            }
            other => return other,
        }
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
        status: response.status,
        message,
        request_id: response.request_id.clone(),
        method: response.method.clone(),
        path: response.path.clone(),
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
