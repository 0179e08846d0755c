//! Typed client for Rootly's on-call roles
//! (<https://docs.rootly.com/api-reference/oncallroles/creates-an-on-call-role>).
//! JSON:API over HTTPS with a Bearer API key (docs/vendors/rootly.md,
//! "Transport"): requests are `{"data": {"type": "on_call_roles", "attributes"}}`,
//! answers `{"data": {"id", "type", "attributes"}}` or `{"errors": [...]}`.
//!
//! The client and its error decoding are here; the role endpoints are in
//! [`on_call_roles`], the paged listings in [`paging`], users in
//! [`users`].

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::error::{ApiError, ErrorItem, RootlyError};
use crate::http::{Auth, HttpClient, HttpConfig, RateLimit, Request, Response, RetryPolicy};
use crate::vendors::error::FailedCall;
use crate::vendors::snapshot::{FirstListing, ListSnapshot};

mod on_call_roles;
mod paging;
mod users;

use crate::vendors::lost_create::settle::{BeforeCreates, Claims};
pub use on_call_roles::{OnCallRole, RoleAttributes, PERMISSION_FAMILIES};
pub use paging::ListFilters;
pub use users::{RootlyUser, UserFilters};

/// The production API base (paths start with `/v1`).
pub const DEFAULT_BASE_URL: &str = "https://api.rootly.com";

/// The JSON:API media type Rootly expects.
pub const MEDIA_TYPE: &str = "application/vnd.api+json";

/// Requests per minute per API key when not configured: the older swagger's
/// 3000 (docs/vendors/rootly.md, "Rate limits": the current numbers are
/// **unverified**). The server counts reads and writes separately; one
/// client-side budget for both stays under either.
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 3000;

/// Page size asked for when listing (the server's default and maximum are
/// **unverified**; pages are followed until `meta.next_page` is null, so a
/// smaller server maximum only means more pages).
pub const LIST_PAGE_SIZE: usize = 100;

/// `GET path` for one page of a list, with its filters (`filter[...]`
/// parameters; unset ones are left out).
pub(super) fn page_request(
    path: &str,
    page: u64,
    size: usize,
    filters: &[(&str, &Option<String>)],
) -> Request {
    let mut request = Request::get(path)
        .query("page[number]", page.to_string())
        .query("page[size]", size.to_string());
    for (name, value) in filters {
        if let Some(value) = value {
            request = request.query(*name, value.clone());
        }
    }
    request
}

/// Settings for [`RootlyClient::new`].
#[derive(Clone)]
pub struct RootlyConfig {
    pub api_token: String,
    pub base_url: url::Url,
    pub user_agent: String,
    pub retry: RetryPolicy,
    /// Client-side budget per minute, see [`DEFAULT_REQUESTS_PER_MINUTE`];
    /// 0 turns client-side pacing off.
    pub max_requests_per_minute: u32,
}

/// Retries: 5 after the first attempt (6 attempts), as for Flashduty, so
/// that a Rootly that is down fails a plan in seconds, not minutes. A 429
/// is waited out longer whatever this says (the HTTP core's 90 s of
/// patience covers the official provider's 8 retries of a 429), after
/// `Retry-After`, else `X-RateLimit-Reset`, else backoff.
pub fn retry_policy() -> RetryPolicy {
    RetryPolicy {
        max_retries: 5,
        ..RetryPolicy::default()
    }
}

/// Client for one Rootly organisation. Cheap to clone.
#[derive(Clone)]
pub struct RootlyClient {
    http: HttpClient,
    /// Listings shared by concurrent reads of single roles (a refresh).
    snapshot: ListSnapshot<String, OnCallRole>,
    /// Listings of users shared by concurrent refreshes of assignments.
    users: ListSnapshot<String, RootlyUser>,
    /// The users as this process first listed them (plan-time checks).
    users_before: FirstListing<String, RootlyUser>,
    /// Roles created or adopted through this client (see
    /// [`crate::vendors::lost_create::settle`]).
    claims: Claims,
    /// What was there before this run's creates.
    before: BeforeCreates,
}

impl RootlyClient {
    pub fn new(config: RootlyConfig) -> Result<Self, RootlyError> {
        let http = HttpClient::new(HttpConfig {
            vendor: "rootly",
            base_url: config.base_url,
            auth: Auth::Bearer(config.api_token),
            request_id_header: "X-Request-Id",
            rate_limits: (config.max_requests_per_minute > 0)
                .then(|| RateLimit::new(config.max_requests_per_minute, Duration::from_secs(60)))
                .into_iter()
                .collect(),
            retry: config.retry,
            timeout: Duration::from_secs(30),
            user_agent: config.user_agent,
        })?;
        Ok(Self {
            http,
            snapshot: ListSnapshot::default(),
            users: ListSnapshot::default(),
            users_before: FirstListing::default(),
            claims: Claims::default(),
            before: BeforeCreates::default(),
        })
    }

    pub(super) async fn call<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<T, RootlyError> {
        users::refuse_user_delete(&request)?;
        let request = request.header("Accept", MEDIA_TYPE).expect_json::<T>();
        let response = self.http.send(request).await?;
        decode(&response)
    }
}

/// Decodes a success body, or the error list of a failure.
fn decode<T: DeserializeOwned>(response: &Response) -> Result<T, RootlyError> {
    if (200..300).contains(&response.status) {
        return response.json().map_err(RootlyError::from);
    }
    #[derive(Deserialize)]
    struct Errors {
        #[serde(default)]
        errors: Vec<ErrorItem>,
        /// The rate limit's body is `{"error": "..."}`, not JSON:API.
        #[serde(default)]
        error: Option<String>,
    }
    let parsed: Option<Errors> = response.json().ok();
    let mut errors = Vec::new();
    if let Some(parsed) = parsed {
        errors = parsed.errors;
        if let Some(error) = parsed.error {
            errors.push(ErrorItem {
                title: error,
                detail: None,
                code: None,
            });
        }
    }
    if errors.is_empty() {
        errors.push(ErrorItem {
            title: format!("unexpected answer, {}", response.body_excerpt()),
            detail: None,
            code: None,
        });
    }
    Err(ApiError {
        errors,
        call: FailedCall::of(response),
    }
    .into())
}
