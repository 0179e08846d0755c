//! Typed client for the Flashduty roles & permissions API
//! (<https://docs.flashcat.cloud/en/openapi>). Every endpoint is a `POST`
//! with a JSON body, authenticated by the `app_key` query parameter, and
//! answers with `{request_id, data}` or `{request_id, error: {code, message}}`
//! (docs/vendors/flashduty.md, "Transport").
//!
//! The client and the envelope are here; the role endpoints are in
//! [`roles`], the permission catalogue in [`permissions`], members in
//! [`members`].

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::{ApiError, FlashdutyError};
use crate::http::{
    Auth, HttpClient, HttpConfig, HttpError, RateLimit, Request, Response, RetryPolicy,
};
use crate::vendors::error::FailedCall;
use crate::vendors::lost_create::settle::BeforeCreates;
use crate::vendors::snapshot::{FirstListing, ListSnapshot};

mod members;
mod permissions;
mod roles;

pub use members::{MemberFilter, MemberItem, VIEWER_ROLE_ID};
pub use permissions::PermissionItem;
pub use roles::{RoleItem, RoleUpsertRequest};

/// The production API base.
pub const DEFAULT_BASE_URL: &str = "https://api.flashcat.cloud";

/// Built-in (preset) role IDs: Admin, Responder, Viewer. They come from the
/// vendor CLI (docs/vendors/flashduty.md, "Behaviour the provider depends on"); the API also
/// marks them `editable: false`, which is what the provider checks.
pub const BUILT_IN_ROLE_IDS: [u64; 3] = [2, 6, 8];

/// Settings for [`FlashdutyClient::new`].
#[derive(Clone)]
pub struct FlashdutyConfig {
    pub app_key: String,
    pub base_url: url::Url,
    pub user_agent: String,
    /// Backoff for 429, 5xx and connection errors; see [`retry_policy`].
    pub retry: RetryPolicy,
    /// Client-side pacing; see [`rate_limits`].
    pub rate_limits: Vec<RateLimit>,
}

/// The documented per-account limits, 50 req/s and 1,000 req/min
/// (docs/vendors/flashduty.md, "Transport"), or the user's overrides; a limit of
/// 0 removes that window.
pub fn rate_limits(per_second: Option<i64>, per_minute: Option<i64>) -> Vec<RateLimit> {
    [
        (per_second.unwrap_or(50), Duration::from_secs(1)),
        (per_minute.unwrap_or(1000), Duration::from_secs(60)),
    ]
    .into_iter()
    .filter(|(limit, _)| *limit > 0)
    .map(|(limit, window)| RateLimit::new(limit.min(u32::MAX as i64) as u32, window))
    .collect()
}

/// The vendor advises exponential backoff from 1 s with at most 3 retries
/// (docs/vendors/flashduty.md, "Transport"). We keep the 1 s start but allow 5
/// retries: a bulk apply of hundreds of roles through a flaky network should
/// converge rather than fail on the fourth transient error in a row.
pub fn retry_policy() -> RetryPolicy {
    RetryPolicy {
        max_retries: 5,
        ..RetryPolicy::default()
    }
}

#[derive(Debug, Deserialize)]
struct Envelope {
    request_id: Option<String>,
    data: Option<serde_json::Value>,
    error: Option<EnvelopeError>,
}

#[derive(Debug, Deserialize)]
struct EnvelopeError {
    code: String,
    #[serde(default)]
    message: String,
}

/// Client for one Flashduty account. Cheap to clone.
#[derive(Clone)]
pub struct FlashdutyClient {
    http: HttpClient,
    /// `/role/list` answers shared by concurrent reads of single roles.
    pub(super) snapshot: ListSnapshot<u64, RoleItem>,
    /// The permission catalogue, fetched once per provider process (one
    /// Terraform run): it is the account's own catalogue, not per role
    /// (docs/vendors/flashduty.md, "Schemas").
    catalogue: Arc<tokio::sync::OnceCell<Arc<Vec<PermissionItem>>>>,
    /// `/member/list` walks shared by concurrent reads of single members.
    pub(super) members: ListSnapshot<u64, MemberItem>,
    /// The members as this process first listed them (plan-time checks).
    pub(super) members_before: FirstListing<u64, MemberItem>,
    /// What was there before this run's creates (see
    /// [`crate::vendors::lost_create::settle`]).
    before: BeforeCreates,
}

impl FlashdutyClient {
    /// A client paced at `config.rate_limits`, shared by every client of the
    /// same account in the process.
    pub fn new(config: FlashdutyConfig) -> Result<Self, FlashdutyError> {
        let http = HttpClient::new(HttpConfig {
            vendor: "flashduty",
            base_url: config.base_url,
            auth: Auth::QueryParam {
                name: "app_key",
                value: config.app_key,
            },
            request_id_header: "Flashcat-Request-Id",
            rate_limits: config.rate_limits,
            retry: config.retry,
            timeout: Duration::from_secs(30),
            user_agent: config.user_agent,
        })?;
        Ok(Self {
            http,
            snapshot: ListSnapshot::default(),
            catalogue: Default::default(),
            members: ListSnapshot::default(),
            members_before: FirstListing::default(),
            before: BeforeCreates::default(),
        })
    }

    pub(super) async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        idempotent: bool,
    ) -> Result<T, FlashdutyError> {
        let request = Request::post_json(path, body)
            .idempotent(idempotent)
            .readable(readable::<T>);
        let response = self.http.send(request).await?;
        decode(response)
    }
}

/// Whether a 2xx body is an envelope [`decode`] reads as the vendor's
/// answer: an error, or `data` of type `T`. Anything else was garbled on
/// the way, and an idempotent call is asked again ([`Request::readable`]).
fn readable<T: DeserializeOwned>(body: &[u8]) -> bool {
    match serde_json::from_slice::<Envelope>(body) {
        Ok(Envelope { error: Some(_), .. }) => true,
        Ok(Envelope {
            data: Some(data), ..
        }) => T::deserialize(data).is_ok(),
        _ => false,
    }
}

/// Decodes the envelope. `error.code` is authoritative and the HTTP status
/// only informational (docs/vendors/flashduty.md, "Errors").
fn decode<T: DeserializeOwned>(response: Response) -> Result<T, FlashdutyError> {
    let envelope: Envelope = response.json()?;
    let request_id = envelope.request_id.or_else(|| response.request_id.clone());
    match (envelope.error, envelope.data) {
        (Some(error), _) => Err(ApiError {
            code: error.code,
            message: error.message,
            call: FailedCall {
                request_id,
                ..FailedCall::of(&response)
            },
        }
        .into()),
        (None, Some(data)) if (200..300).contains(&response.status) => T::deserialize(data)
            .map_err(|e| {
                HttpError::Decode {
                    method: response.method.clone(),
                    path: response.path.clone(),
                    status: response.status,
                    request_id: request_id.clone(),
                    message: format!("unexpected `data`: {e}"),
                    excerpt: response.body_excerpt(),
                    attempts: response.attempts,
                }
                .into()
            }),
        (None, _) => Err(ApiError {
            code: if response.status >= 500 {
                "InternalError".into()
            } else {
                "UnexpectedResponse".into()
            },
            message: "the response has neither `data` nor `error`".into(),
            call: FailedCall {
                request_id,
                ..FailedCall::of(&response)
            },
        }
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_default_to_the_documented_ones_and_zero_turns_one_off() {
        let windows = |l: Vec<RateLimit>| -> Vec<(u32, u64)> {
            l.iter().map(|r| (r.limit, r.window.as_secs())).collect()
        };
        assert_eq!(windows(rate_limits(None, None)), vec![(50, 1), (1000, 60)]);
        assert_eq!(windows(rate_limits(Some(0), Some(600))), vec![(600, 60)]);
        assert!(rate_limits(Some(0), Some(0)).is_empty());
    }
}
