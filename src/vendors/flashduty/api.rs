//! Typed client for the Flashduty roles & permissions API
//! (<https://docs.flashcat.cloud/en/openapi>). Every endpoint is a `POST`
//! with a JSON body, authenticated by the `app_key` query parameter, and
//! answers with `{request_id, data}` or `{request_id, error: {code, message}}`
//! (vendors/flashduty.md "Transport, auth, envelope").

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::{ApiError, FlashdutyError};
use crate::http::{
    Auth, HttpClient, HttpConfig, HttpError, RateLimit, Request, Response, RetryPolicy,
};
use crate::vendors::create::{reconcile_create, Lookup};
use crate::vendors::snapshot::ListSnapshot;

/// The production API base.
pub const DEFAULT_BASE_URL: &str = "https://api.flashcat.cloud";

/// Built-in (preset) role IDs: Admin, Responder, Viewer. They come from the
/// vendor CLI (vendors/flashduty.md "Built-in (preset) roles"); the API also
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
/// (vendors/flashduty.md "Rate limit"), or the user's overrides; a limit of
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
/// (vendors/flashduty.md "Rate limit"). We keep the 1 s start but allow 5
/// retries: a bulk apply of hundreds of roles through a flaky network should
/// converge rather than fail on the fourth transient error in a row.
pub fn retry_policy() -> RetryPolicy {
    RetryPolicy {
        max_retries: 5,
        ..RetryPolicy::default()
    }
}

/// A role as Flashduty returns it (`RoleItem`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleItem {
    pub role_id: u64,
    pub role_name: String,
    #[serde(default)]
    pub description: String,
    pub status: String,
    #[serde(default)]
    pub permission_ids: Vec<u64>,
    pub editable: bool,
    #[serde(default)]
    pub created_at: i64,
    #[serde(default)]
    pub updated_at: i64,
}

/// Body of `/role/upsert`. All three fields are always sent: the call
/// replaces the whole role, and an omitted `permission_ids` clears the
/// permissions (vendors/flashduty.md "Update is effectively full-replace").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleUpsertRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_id: Option<u64>,
    pub role_name: String,
    pub description: String,
    pub permission_ids: Vec<u64>,
}

#[derive(Debug, Deserialize)]
struct RoleUpsertResponse {
    role_id: u64,
}

#[derive(Debug, Deserialize)]
struct RoleListResponse {
    items: Vec<RoleItem>,
}

/// A permission of the catalogue (`PermissionItem`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionItem {
    pub id: u64,
    pub permission_name: String,
    pub permission_type: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub class: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub status: String,
}

#[derive(Debug, Deserialize)]
struct PermissionListResponse {
    items: Vec<PermissionItem>,
}

#[derive(Debug, Serialize)]
struct RoleIdRequest {
    role_id: u64,
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
    snapshot: ListSnapshot<u64, RoleItem>,
    /// The permission catalogue, fetched once per provider process (one
    /// Terraform run): it is fixed per account (vendors/flashduty.md).
    catalogue: Arc<tokio::sync::OnceCell<Arc<Vec<PermissionItem>>>>,
    /// `/member/list` walks shared by concurrent reads of single members.
    pub(super) members: ListSnapshot<u64, super::members::MemberItem>,
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

    fn invalidate(&self) {
        self.snapshot.invalidate();
    }

    /// `POST /role/upsert` without `role_id`: creates a custom role and
    /// returns its ID. A create is not idempotent, so when its outcome is
    /// unknown (connection lost, 5xx) the role is looked up by its unique
    /// name instead of being created twice; only a role with exactly the
    /// requested content is adopted.
    pub async fn create_role(&self, body: &RoleUpsertRequest) -> Result<u64, FlashdutyError> {
        let body = RoleUpsertRequest {
            role_id: None,
            ..body.clone()
        };
        let body = &body;
        reconcile_create(
            &body.role_name,
            || async move {
                self.invalidate();
                self.call::<_, RoleUpsertResponse>("/role/upsert", body, false)
                    .await
                    .map(|created| created.role_id)
            },
            |_since| async move {
                Ok(match self.find_role_by_name(&body.role_name).await? {
                    Some(role)
                        if role.description == body.description
                            && sorted(&role.permission_ids) == sorted(&body.permission_ids) =>
                    {
                        Lookup::Created(role.role_id)
                    }
                    Some(_) => Lookup::NotOurs,
                    None => Lookup::Missing,
                })
            },
        )
        .await
    }

    /// `POST /role/upsert` with `role_id`: replaces the role's name,
    /// description and permission set (idempotent, so it is retried).
    pub async fn update_role(&self, body: &RoleUpsertRequest) -> Result<(), FlashdutyError> {
        self.invalidate();
        self.call::<_, serde_json::Value>("/role/upsert", body, true)
            .await
            .map(|_| ())
    }

    /// `POST /role/info`: the role, or an error whose `is_not_found()` is true.
    pub async fn get_role(&self, role_id: u64) -> Result<RoleItem, FlashdutyError> {
        self.call("/role/info", &RoleIdRequest { role_id }, true)
            .await
    }

    /// `POST /role/list`: every role, built-in and custom (no pagination).
    pub async fn list_roles(&self) -> Result<Vec<RoleItem>, FlashdutyError> {
        let list: RoleListResponse = self
            .call("/role/list", &serde_json::json!({}), true)
            .await?;
        Ok(list.items)
    }

    /// One role for a refresh. Reads of many roles at once share one
    /// `/role/list` call (it returns every role in full) instead of one
    /// `/role/info` each; `None` when the role does not exist.
    pub async fn read_role(&self, role_id: u64) -> Result<Option<RoleItem>, FlashdutyError> {
        self.snapshot
            .get(&role_id, || async {
                let roles = self.list_roles().await?;
                Ok(roles.into_iter().map(|r| (r.role_id, r)).collect())
            })
            .await
    }

    /// The role named exactly `role_name`, if any.
    pub async fn find_role_by_name(
        &self,
        role_name: &str,
    ) -> Result<Option<RoleItem>, FlashdutyError> {
        Ok(self
            .list_roles()
            .await?
            .into_iter()
            .find(|r| r.role_name == role_name))
    }

    /// `POST /role/delete`. Deleting is permanent and revokes the role from
    /// every member.
    pub async fn delete_role(&self, role_id: u64) -> Result<(), FlashdutyError> {
        self.invalidate();
        self.call::<_, serde_json::Value>("/role/delete", &RoleIdRequest { role_id }, true)
            .await
            .map(|_| ())
    }

    /// `POST /role/enable` or `/role/disable`: the status changes only
    /// through these calls, never through upsert.
    pub async fn set_role_status(&self, role_id: u64, enabled: bool) -> Result<(), FlashdutyError> {
        self.invalidate();
        let path = if enabled {
            "/role/enable"
        } else {
            "/role/disable"
        };
        self.call::<_, serde_json::Value>(path, &RoleIdRequest { role_id }, true)
            .await
            .map(|_| ())
    }

    /// `POST /role/permission/list` with no filter: the whole catalogue.
    pub async fn list_permissions(&self) -> Result<Vec<PermissionItem>, FlashdutyError> {
        let list: PermissionListResponse = self
            .call("/role/permission/list", &serde_json::json!({}), true)
            .await?;
        Ok(list.items)
    }

    /// The whole catalogue, listed on first use and then cached for the
    /// life of the client (a failed listing is not cached).
    pub async fn permission_catalogue(&self) -> Result<Arc<Vec<PermissionItem>>, FlashdutyError> {
        self.catalogue
            .get_or_try_init(|| async { self.list_permissions().await.map(Arc::new) })
            .await
            .cloned()
    }
}

fn sorted(ids: &[u64]) -> Vec<u64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
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
/// only informational (vendors/flashduty.md "Error codes").
fn decode<T: DeserializeOwned>(response: Response) -> Result<T, FlashdutyError> {
    let envelope: Envelope = response.json()?;
    let request_id = envelope.request_id.or_else(|| response.request_id.clone());
    match (envelope.error, envelope.data) {
        (Some(error), _) => Err(ApiError {
            status: response.status,
            code: error.code,
            message: error.message,
            request_id,
            method: response.method.clone(),
            path: response.path.clone(),
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
                }
                .into()
            }),
        (None, _) => Err(ApiError {
            status: response.status,
            code: if response.status >= 500 {
                "InternalError".into()
            } else {
                "UnexpectedResponse".into()
            },
            message: "the response has neither `data` nor `error`".into(),
            request_id,
            method: response.method.clone(),
            path: response.path.clone(),
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

    #[test]
    fn upsert_request_json_always_carries_all_fields() {
        let create = RoleUpsertRequest {
            role_id: None,
            role_name: "On-call Manager".into(),
            description: String::new(),
            permission_ids: vec![],
        };
        assert_eq!(
            serde_json::to_value(&create).unwrap(),
            serde_json::json!({"role_name": "On-call Manager", "description": "", "permission_ids": []})
        );
        let update = RoleUpsertRequest {
            role_id: Some(150),
            permission_ids: vec![501, 502],
            ..create
        };
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            serde_json::json!({"role_id": 150, "role_name": "On-call Manager", "description": "", "permission_ids": [501, 502]})
        );
    }
}
