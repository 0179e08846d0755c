//! Typed client for the ZenML Pro management API's roles
//! (<https://docs.zenml.io/api-reference/pro-api/pro-api/roles>;
//! docs/vendors/zenml.md, "Role endpoints"). JSON in, JSON out; every call carries a bearer token
//! obtained by exchanging the service-account API key (see `auth.rs`).
//!
//! Much of this API is **unverified** (no OpenAPI document was available);
//! each guess is marked `ASSUMPTION` where it is made.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use tokio::time::Instant;

use super::auth::{CachedToken, TokenResponse};
use super::error::{ApiError, ZenmlError};
use crate::http::{
    encode_path_segment, Auth, HttpClient, HttpConfig, HttpError, Request, Response, RetryPolicy,
};
use crate::vendors::lost_create::create::reconcile_create;
use crate::vendors::lost_create::settle::{Before, BeforeCreates, Claims};
use crate::vendors::snapshot::ListSnapshot;

mod assignments;
mod people;

pub use super::schemas::{Assignment, AssignmentParams, Principal, Role, RoleCreate, RoleUpdate};
use assignments::AssignmentBook;
pub use assignments::{Holding, Managed};
pub use people::{Named, User};

/// Settings for [`ZenmlClient::new`].
#[derive(Clone)]
pub struct ZenmlConfig {
    /// The service-account API key (`ZENPROKEY_…`).
    pub api_key: String,
    /// The control-plane URL, e.g. `https://cloudapi.zenml.io`.
    pub base_url: url::Url,
    pub user_agent: String,
    pub retry: RetryPolicy,
}

/// ZenML documents no rate limit, only that the API "may" answer 429 and
/// that clients should back off (docs/vendors/zenml.md, "Transport and auth"): the core's
/// default backoff, with no client-side pacing.
pub fn retry_policy() -> RetryPolicy {
    RetryPolicy::default()
}

/// Client for one ZenML Pro control plane and API key. Cheap to clone; the
/// clones share the token.
#[derive(Clone)]
pub struct ZenmlClient {
    http: HttpClient,
    api_key: Arc<String>,
    token: Arc<tokio::sync::Mutex<Option<CachedToken>>>,
    /// Per organization: role listings shared by concurrent reads (a refresh).
    snapshots: Arc<std::sync::Mutex<HashMap<String, ListSnapshot<String, Role>>>>,
    /// Roles this client created or adopted ([`super::lost_create`]).
    pub(super) claims: Claims,
    /// Assignment listings and what this process granted and revoked.
    assignments: AssignmentBook,
    /// What was there before this run's creates ([`super::lost_create`]).
    pub(super) before: BeforeCreates,
}

impl ZenmlClient {
    pub fn new(config: ZenmlConfig) -> Result<Self, ZenmlError> {
        let mut http = HttpConfig::new(
            "zenml",
            config.base_url,
            Auth::ExchangedKey(config.api_key.clone()),
        );
        http.retry = config.retry;
        http.user_agent = config.user_agent;
        http.timeout = Duration::from_secs(30);
        Ok(Self {
            http: HttpClient::new(http)?,
            api_key: Arc::new(config.api_key),
            token: Default::default(),
            snapshots: Default::default(),
            claims: Claims::default(),
            assignments: AssignmentBook::default(),
            before: BeforeCreates::default(),
        })
    }

    /// `POST /auth/login` with `password=<API key>`: a fresh token.
    /// Retried like a read: a repeated login only mints another token.
    async fn login(&self) -> Result<CachedToken, ZenmlError> {
        let request = Request::post("/auth/login")
            .form(&[("password", self.api_key.as_str())])
            .idempotent(true)
            // Once Terraform is interrupted, no new session: the operations
            // waiting for a token have sent nothing yet, and each would
            // otherwise log in in turn, a second or more each.
            .preparatory()
            .expect_json::<TokenResponse>();
        let response = self.http.send(request).await?;
        if !response.is_success() {
            return Err(ApiError {
                login: true,
                ..ApiError::from_response(&response)
            }
            .into());
        }
        let token: TokenResponse = response.json()?;
        tracing::debug!(expires_in = ?token.expires_in, "obtained a ZenML Pro access token");
        Ok(CachedToken::new(token, Instant::now()))
    }

    /// The cached token, or a new one when it is about to expire or is
    /// `rejected` (the token a 401 answered).
    async fn token(&self, rejected: Option<&str>) -> Result<String, ZenmlError> {
        let mut cached = self.token.lock().await;
        if let Some(t) = cached.as_ref() {
            if t.is_fresh(Instant::now()) && Some(t.value.as_str()) != rejected {
                return Ok(t.value.clone());
            }
        }
        let fresh = self.login().await?;
        let value = fresh.value.clone();
        *cached = Some(fresh);
        Ok(value)
    }

    /// Sends `request` with the current token; on a 401, renews the token
    /// once and sends it again (the server refused it, so even a create is
    /// safe to repeat).
    async fn send(&self, request: Request) -> Result<Response, ZenmlError> {
        let token = self.token(None).await?;
        let response = self
            .http
            .send(request.clone().bearer(token.as_str()))
            .await?;
        if response.status != 401 {
            return Ok(response);
        }
        tracing::debug!(
            method = %response.method,
            path = %response.path,
            "ZenML Pro refused the access token (401); logging in again once"
        );
        let token = self.token(Some(&token)).await?;
        Ok(self.http.send(request.bearer(token)).await?)
    }

    async fn call<T: DeserializeOwned>(&self, request: Request) -> Result<T, ZenmlError> {
        let response = self.send(request.expect_json::<T>()).await?;
        decode(&response)
    }

    /// The listing of one organization's roles that reads share.
    fn snapshot(&self, organization_id: &str) -> ListSnapshot<String, Role> {
        let mut map = self.snapshots.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(organization_id.to_ascii_lowercase())
            .or_default()
            .clone()
    }

    /// Forgets every listing.
    fn invalidate(&self) {
        let map = self.snapshots.lock().unwrap_or_else(|e| e.into_inner());
        map.values().for_each(ListSnapshot::invalidate);
    }

    /// Runs a role write, forgetting every listing before it is sent and
    /// again once it is answered ([`ListSnapshot::write`] says why).
    async fn write<T>(&self, write: impl std::future::Future<Output = T>) -> T {
        self.invalidate();
        let answer = write.await;
        self.invalidate();
        answer
    }

    /// `POST /roles`: creates a custom role. It answers 200 with the role
    /// (docs/vendors/zenml.md, "Role endpoints"), not 201. When the outcome is
    /// unknown (connection lost, 5xx), the role is looked up by its key instead
    /// of being created twice: only one that was not there before the create
    /// (`before`), with exactly the requested content, is adopted; if there is
    /// none the create is sent again ([`super::lost_create`]).
    pub async fn create_role(
        &self,
        body: &RoleCreate,
        before: &Before,
    ) -> Result<Role, ZenmlError> {
        let role: Role = reconcile_create(
            body.name.as_deref().unwrap_or("(without a name)"),
            || async move {
                self.write(self.call(Request::post_json("/roles", body)))
                    .await
            },
            |_since| self.find_created_role(body, Some(before)),
        )
        .await?;
        // So that another lost create never takes it for its own.
        self.claims.claim(&role.id.to_ascii_lowercase());
        Ok(role)
    }

    /// One role for a refresh; `None` when it does not exist. Reads of many
    /// roles of one organization share one listing instead of one `GET`
    /// each; a role the listing lacks is confirmed with a `GET` before it is
    /// called gone, as whether the listing pages is unverified.
    pub async fn read_role(
        &self,
        organization_id: &str,
        role_id: &str,
    ) -> Result<Option<Role>, ZenmlError> {
        let listed = if organization_id.is_empty() {
            None
        } else {
            self.snapshot(organization_id)
                .get(&role_id.to_ascii_lowercase(), || async {
                    let roles = self.list_roles(organization_id, None, None).await?;
                    Ok::<_, ZenmlError>(
                        roles
                            .into_iter()
                            .map(|r| (r.id.to_ascii_lowercase(), r))
                            .collect(),
                    )
                })
                .await?
        };
        if listed.is_some() {
            return Ok(listed);
        }
        match self.get_role(role_id).await {
            Ok(role) => Ok(Some(role)),
            Err(err) if err.is_not_found() => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// `GET /roles/{role_id}`.
    pub async fn get_role(&self, role_id: &str) -> Result<Role, ZenmlError> {
        self.call(Request::get(format!(
            "/roles/{}",
            encode_path_segment(role_id)
        )))
        .await
    }

    /// `PATCH /roles/{role_id}`: only `name` and `description` can change.
    pub async fn update_role(&self, role_id: &str, body: &RoleUpdate) -> Result<Role, ZenmlError> {
        let path = format!("/roles/{}", encode_path_segment(role_id));
        // Sending the same merge twice gives the same role: safe to retry.
        self.write(self.call(Request::patch(path).json(body).idempotent(true)))
            .await
    }

    /// `DELETE /roles/{role_id}`. ZenML answers 200 with a body of any shape
    /// (docs/vendors/zenml.md, "Role endpoints"), which is ignored.
    pub async fn delete_role(&self, role_id: &str) -> Result<(), ZenmlError> {
        let path = format!("/roles/{}", encode_path_segment(role_id));
        let response = self.write(self.send(Request::delete(path))).await?;
        check(&response)
    }

    /// `GET /organizations/{organization_id}/roles?level=&name=`: a bare JSON
    /// array. ASSUMPTION (docs/vendors/zenml.md, "Role endpoints": paging **unverified**; ZenML's
    /// sync script reads a bare list): one call returns every match.
    pub async fn list_roles(
        &self,
        organization_id: &str,
        level: Option<&str>,
        name: Option<&str>,
    ) -> Result<Vec<Role>, ZenmlError> {
        let mut request = Request::get(format!(
            "/organizations/{}/roles",
            encode_path_segment(organization_id)
        ));
        if let Some(level) = level {
            request = request.query("level", level);
        }
        if let Some(name) = name {
            request = request.query("name", name);
        }
        self.call(request).await
    }
}

/// `request` with the assignment's query parameters: the principal, then
/// the scope.
pub(super) fn with_params(params: &AssignmentParams, request: Request) -> Request {
    let (name, value) = params.principal.param();
    let mut request = request.query(name, value);
    if let Some(ws) = &params.workspace_id {
        request = request.query("workspace_id", ws.as_str());
    }
    if let Some(p) = &params.project_id {
        request = request.query("project_id", p.as_str());
    }
    request
}

/// `Ok` for a 2xx, else the decoded error.
pub(super) fn check(response: &Response) -> Result<(), ZenmlError> {
    if response.is_success() {
        Ok(())
    } else {
        Err(ApiError::from_response(response).into())
    }
}

/// A 2xx body as `T`, else the decoded error.
fn decode<T: DeserializeOwned>(response: &Response) -> Result<T, ZenmlError> {
    check(response)?;
    response.json().map_err(|e: HttpError| e.into())
}
