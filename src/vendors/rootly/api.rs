//! Typed client for Rootly's on-call roles
//! (<https://docs.rootly.com/api-reference/oncallroles/creates-an-on-call-role>).
//! JSON:API over HTTPS with a Bearer API key (vendors/rootly.md "Transport
//! and auth"): requests are `{"data": {"type": "on_call_roles", "attributes"}}`,
//! answers `{"data": {"id", "type", "attributes"}}` or `{"errors": [...]}`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::{ApiError, ErrorItem, RootlyError};
use super::reconcile::{self, Claims};
use crate::http::{
    encode_path_segment, Auth, HttpClient, HttpConfig, RateLimit, Request, Response, RetryPolicy,
};
use crate::vendors::create::reconcile_create;
use crate::vendors::snapshot::ListSnapshot;

/// The production API base (paths start with `/v1`).
pub const DEFAULT_BASE_URL: &str = "https://api.rootly.com";

/// The JSON:API media type Rootly expects.
pub const MEDIA_TYPE: &str = "application/vnd.api+json";

/// Requests per minute per API key when not configured: the older swagger's
/// 3000 (vendors/rootly.md "Rate limits": the current numbers are
/// **unverified**). The server counts reads and writes separately; one
/// client-side budget for both stays under either.
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 3000;

/// Page size asked for when listing (the server's default and maximum are
/// **unverified**; pages are followed until `meta.next_page` is null, so a
/// smaller server maximum only means more pages).
pub const LIST_PAGE_SIZE: usize = 100;

const CRUD: &[&str] = &["create", "read", "update", "delete"];
const READ_ONLY: &[&str] = &["read"];
const CREATE_UPDATE: &[&str] = &["create", "update"];

/// Every permission array the provider manages, with the values the current
/// spec allows (vendors/rootly.md "Permission arrays"). The seed listed 17;
/// the spec has 24. Arrays the API returns beyond these are ignored.
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

/// Retries: the official provider retries a 429 up to 8 times; the HTTP
/// core waits for `Retry-After`, else `X-RateLimit-Reset`, else backs off.
pub fn retry_policy() -> RetryPolicy {
    RetryPolicy {
        max_retries: 8,
        ..RetryPolicy::default()
    }
}

/// An on-call role as Rootly returns it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnCallRole {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub system_role: String,
    /// Every `*_permissions` array in the answer, known to the provider or
    /// not (the vendor keeps adding families).
    pub permissions: BTreeMap<String, Vec<String>>,
    pub created_at: String,
    pub updated_at: String,
}

impl OnCallRole {
    /// The values of one family (`[]` when the answer lacks it).
    pub fn family(&self, name: &str) -> &[String] {
        self.permissions.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
}

#[derive(Debug, Deserialize)]
struct ResourceObject {
    id: String,
    #[serde(default)]
    attributes: Map<String, Value>,
}

impl From<ResourceObject> for OnCallRole {
    fn from(r: ResourceObject) -> Self {
        let text = |k: &str| {
            r.attributes
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let permissions = r
            .attributes
            .iter()
            .filter(|(k, _)| k.ends_with("_permissions"))
            .filter_map(|(k, v)| {
                let values = match v {
                    Value::Null => Vec::new(),
                    Value::Array(items) => items
                        .iter()
                        .filter_map(|i| i.as_str().map(str::to_string))
                        .collect(),
                    _ => return None,
                };
                Some((k.clone(), values))
            })
            .collect();
        OnCallRole {
            name: text("name"),
            slug: text("slug"),
            system_role: text("system_role"),
            created_at: text("created_at"),
            updated_at: text("updated_at"),
            permissions,
            id: r.id,
        }
    }
}

/// The attributes of a create or update. Unset fields are left out; every
/// permission array given is sent in full (`[]` clears it: vendors/rootly.md
/// "Don't send null or absent lists when you mean empty").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RoleAttributes {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_role: Option<String>,
    #[serde(flatten)]
    pub permissions: BTreeMap<String, Vec<String>>,
}

#[derive(Serialize)]
struct Document<'a> {
    data: DocumentData<'a>,
}

#[derive(Serialize)]
struct DocumentData<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    attributes: &'a RoleAttributes,
}

#[derive(Deserialize)]
struct Single {
    data: ResourceObject,
}

#[derive(Deserialize)]
struct Page {
    data: Vec<ResourceObject>,
    #[serde(default)]
    meta: Option<PageMeta>,
    #[serde(default)]
    links: Option<PageLinks>,
}

#[derive(Deserialize)]
struct PageMeta {
    #[serde(default)]
    next_page: Option<u64>,
}

#[derive(Deserialize)]
struct PageLinks {
    #[serde(default)]
    next: Option<String>,
}

/// Filters of `GET /v1/on_call_roles`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilters {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub search: Option<String>,
}

/// Client for one Rootly organisation. Cheap to clone.
#[derive(Clone)]
pub struct RootlyClient {
    http: HttpClient,
    /// Listings shared by concurrent reads of single roles (a refresh).
    snapshot: ListSnapshot<String, OnCallRole>,
    /// Roles created or adopted through this client (see [`super::reconcile`]).
    claims: Claims,
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
            claims: Claims::default(),
        })
    }

    pub(super) async fn call<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<T, RootlyError> {
        super::users::refuse_user_delete(&request)?;
        let request = request.header("Accept", MEDIA_TYPE).expect_json::<T>();
        let response = self.http.send(request).await?;
        decode(&response)
    }

    fn with_body(request: Request, attributes: &RoleAttributes) -> Request {
        let doc = Document {
            data: DocumentData {
                kind: "on_call_roles",
                attributes,
            },
        };
        request.json(&doc).header("Content-Type", MEDIA_TYPE)
    }

    /// `POST /v1/on_call_roles` (201, with the full role: nothing is read
    /// back). `system_role` is always `custom`: that is what the web app
    /// creates (vendors/rootly.md, PR #111/#122).
    ///
    /// A create is not idempotent and Rootly does not promise unique names
    /// (unverified). Only when a create's outcome is unknown (connection
    /// lost, 5xx, an unreadable answer) are the roles of that name listed:
    /// one created since the create was sent, with exactly the requested
    /// permissions, is adopted (see [`super::reconcile`]); only if none
    /// appeared is the create sent again.
    pub async fn create_role(
        &self,
        attributes: &RoleAttributes,
    ) -> Result<OnCallRole, RootlyError> {
        let attributes = RoleAttributes {
            system_role: Some("custom".into()),
            ..attributes.clone()
        };
        let name = attributes.name.clone().unwrap_or_default();
        let (attributes, name) = (&attributes, &name);
        reconcile_create(
            name,
            || async move {
                self.snapshot.invalidate();
                let request = Self::with_body(Request::post("/v1/on_call_roles"), attributes);
                let role: OnCallRole = self.call::<Single>(request).await?.data.into();
                self.claims.claim(&role.id);
                Ok(role)
            },
            |sent| async move {
                let (named, server_now) = self.roles_named(name).await?;
                let start = reconcile::window_start(server_now, sent, Instant::now());
                Ok(reconcile::settle(&self.claims, name, named, start, |r| {
                    same_permissions(r, attributes)
                }))
            },
        )
        .await
    }

    /// The roles named `name` (`filter[name]`, every page), and the server's
    /// time of the first answer (its `Date` header).
    async fn roles_named(
        &self,
        name: &str,
    ) -> Result<(Vec<OnCallRole>, Option<SystemTime>), RootlyError> {
        let filters = ListFilters {
            name: Some(name.to_string()),
            ..Default::default()
        };
        let mut all = Vec::new();
        let mut server_now = None;
        for page in 1.. {
            let (roles, more, date) = self.list_page_dated(&filters, page, LIST_PAGE_SIZE).await?;
            server_now = server_now.or(date);
            let empty = roles.is_empty();
            all.extend(roles);
            if !more || empty {
                break;
            }
        }
        Ok((all, server_now))
    }

    /// `PUT /v1/on_call_roles/{id}` (the spec declares PUT, not PATCH). The
    /// update is partial: attributes left out are kept; arrays sent replace
    /// the stored ones.
    pub async fn update_role(
        &self,
        id: &str,
        attributes: &RoleAttributes,
    ) -> Result<OnCallRole, RootlyError> {
        self.snapshot.invalidate();
        let path = format!("/v1/on_call_roles/{}", encode_path_segment(id));
        let request = Self::with_body(Request::put(path), attributes);
        let single: Single = self.call(request).await?;
        Ok(single.data.into())
    }

    /// `GET /v1/on_call_roles/{id}`: `id` is the UUID or the slug.
    pub async fn get_role(&self, id_or_slug: &str) -> Result<OnCallRole, RootlyError> {
        let path = format!("/v1/on_call_roles/{}", encode_path_segment(id_or_slug));
        let single: Single = self.call(Request::get(path)).await?;
        Ok(single.data.into())
    }

    /// `DELETE /v1/on_call_roles/{id}`: answers 200 with the deleted role
    /// (not 204), which is ignored.
    pub async fn delete_role(&self, id: &str) -> Result<(), RootlyError> {
        self.snapshot.invalidate();
        let path = format!("/v1/on_call_roles/{}", encode_path_segment(id));
        self.call::<Value>(Request::delete(path)).await.map(|_| ())
    }

    /// One role for a refresh, by UUID; `None` when it does not exist.
    /// Reads of many roles at once share one walk of the list pages (they
    /// hold full roles) instead of one `GET` each.
    pub async fn read_role(&self, id: &str) -> Result<Option<OnCallRole>, RootlyError> {
        self.snapshot
            .get(&id.to_string(), || async {
                let roles = self.list_roles(&ListFilters::default()).await?;
                Ok(roles.into_iter().map(|r| (r.id.clone(), r)).collect())
            })
            .await
    }

    /// One page of `GET /v1/on_call_roles`; also whether there is a next one.
    pub async fn list_page(
        &self,
        filters: &ListFilters,
        page: u64,
        size: usize,
    ) -> Result<(Vec<OnCallRole>, bool), RootlyError> {
        let (roles, more, _) = self.list_page_dated(filters, page, size).await?;
        Ok((roles, more))
    }

    /// [`Self::list_page`], with the answer's `Date` header.
    async fn list_page_dated(
        &self,
        filters: &ListFilters,
        page: u64,
        size: usize,
    ) -> Result<(Vec<OnCallRole>, bool, Option<SystemTime>), RootlyError> {
        let mut request = Request::get("/v1/on_call_roles")
            .query("page[number]", page.to_string())
            .query("page[size]", size.to_string());
        for (name, value) in [
            ("filter[name]", &filters.name),
            ("filter[slug]", &filters.slug),
            ("filter[search]", &filters.search),
        ] {
            if let Some(value) = value {
                request = request.query(name, value.clone());
            }
        }
        let request = request.header("Accept", MEDIA_TYPE).expect_json::<Page>();
        let response = self.http.send(request).await?;
        let page_body: Page = decode(&response)?;
        let date = response
            .header("date")
            .and_then(|d| httpdate::parse_http_date(d).ok());
        let more = match (&page_body.meta, &page_body.links) {
            (Some(meta), _) => meta.next_page.is_some(),
            (None, Some(links)) => links.next.is_some(),
            (None, None) => false,
        };
        let roles = page_body.data.into_iter().map(OnCallRole::from).collect();
        Ok((roles, more, date))
    }

    /// Every role matching `filters`, walking every page.
    pub async fn list_roles(&self, filters: &ListFilters) -> Result<Vec<OnCallRole>, RootlyError> {
        let mut all = Vec::new();
        let mut page = 1;
        loop {
            let (roles, more) = self.list_page(filters, page, LIST_PAGE_SIZE).await?;
            let empty = roles.is_empty();
            all.extend(roles);
            // An empty page ends the walk even if the server says there is
            // more, so a wrong `next_page` cannot loop forever.
            if !more || empty {
                return Ok(all);
            }
            page += 1;
        }
    }
}

/// Whether `role` holds exactly the permissions of `attributes` (families
/// left out count as empty; order does not matter).
fn same_permissions(role: &OnCallRole, attributes: &RoleAttributes) -> bool {
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v.dedup();
        v
    };
    PERMISSION_FAMILIES.iter().all(|(family, _)| {
        let wanted = attributes
            .permissions
            .get(*family)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        sorted(wanted) == sorted(role.family(family))
    })
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
            title: format!("unexpected answer: {}", response.body_excerpt()),
            detail: None,
            code: None,
        });
    }
    Err(ApiError {
        status: response.status,
        errors,
        request_id: response.request_id.clone(),
        method: response.method.clone(),
        path: response.path.clone(),
    }
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rootly_request_documents_are_jsonapi() {
        let mut permissions = BTreeMap::new();
        permissions.insert("alerts_permissions".to_string(), vec!["read".to_string()]);
        permissions.insert("contacts_permissions".to_string(), vec![]);
        let attrs = RoleAttributes {
            name: Some("Infra".into()),
            system_role: None,
            permissions,
        };
        let doc = Document {
            data: DocumentData {
                kind: "on_call_roles",
                attributes: &attrs,
            },
        };
        assert_eq!(
            serde_json::to_value(&doc).unwrap(),
            json!({"data": {"type": "on_call_roles", "attributes": {
                "name": "Infra", "alerts_permissions": ["read"], "contacts_permissions": []
            }}})
        );
    }

    #[test]
    fn rootly_unknown_families_are_kept_but_harmless() {
        let r: ResourceObject = serde_json::from_value(json!({
            "id": "91b7d512-7444-4978-8350-7492b18ec2ad",
            "type": "on_call_roles",
            "attributes": {"name": "Infrastructure", "slug": "infrastructure", "team_id": 317,
                "system_role": "custom", "alerts_permissions": ["read"],
                "brand_new_permissions": ["frobnicate"], "schedules_permissions": null}
        }))
        .unwrap();
        let role = OnCallRole::from(r);
        assert_eq!(role.family("alerts_permissions"), ["read"]);
        assert!(role.family("schedules_permissions").is_empty());
        assert!(role.family("webhooks_permissions").is_empty());
        assert_eq!(role.slug, "infrastructure");
    }
}
