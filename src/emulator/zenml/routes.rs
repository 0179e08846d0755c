//! ZenML Pro's role endpoints (docs/vendors/zenml.md, "Role endpoints" and
//! "Assignments") and the token exchange ("Transport and auth").

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{json, Value};

use super::errors::{ApiError, ApiResult, FieldError};
use super::store::{parse_uuid, Assignment, Store, LEVELS};
use super::validation::uuid_error;
use crate::emulator::Emulator;

/// The routes, relative to `/zenml`. Everything but `/auth/login` needs a
/// bearer token (`super::guard`).
pub(super) fn router(emu: &Emulator) -> Router<Emulator> {
    let protected = Router::new()
        .route("/roles", post(create_role).fallback(method_not_allowed))
        .route(
            "/roles/:role_id",
            get(get_role)
                .patch(update_role)
                .delete(delete_role)
                .fallback(method_not_allowed),
        )
        .route(
            "/roles/:role_id/assignments",
            get(list_assignments)
                .post(assign)
                .delete(revoke)
                .fallback(method_not_allowed),
        )
        .route(
            "/organizations/:organization_id/roles",
            get(list_roles).fallback(method_not_allowed),
        )
        .route("/users", get(list_users).fallback(method_not_allowed))
        .route(
            "/organizations",
            get(list_organizations).fallback(method_not_allowed),
        )
        .route(
            "/organizations/:organization_id/teams",
            get(list_teams).fallback(method_not_allowed),
        )
        .route(
            "/teams/:team_id/members",
            get(team_members).fallback(method_not_allowed),
        )
        .route_layer(from_fn_with_state(emu.clone(), super::guard));
    Router::new()
        .route("/auth/login", post(login).fallback(method_not_allowed))
        .merge(protected)
        .fallback(not_found)
}

async fn not_found() -> Response {
    ApiError::plain(StatusCode::NOT_FOUND, "Not Found").into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::plain(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed").into_response()
}

fn reply<T: Serialize>(result: ApiResult<T>) -> Response {
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

fn read<T: Serialize>(emu: &Emulator, f: impl FnOnce(&Store) -> ApiResult<T>) -> Response {
    let result = f(&emu.zenml());
    reply(result)
}

fn write<T: Serialize>(emu: &Emulator, f: impl FnOnce(&mut Store) -> ApiResult<T>) -> Response {
    let result = f(&mut emu.zenml());
    if result.is_ok() {
        emu.persist();
    }
    reply(result)
}

/// A JSON body, or FastAPI's 422 `json_invalid`.
fn json_body(bytes: &Bytes) -> ApiResult<Value> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::validation(vec![FieldError::new(
            &["body", &e.column().to_string()],
            "json_invalid",
            "JSON decode error",
            json!({}),
        )
        .with_ctx(json!({"error": e.to_string()}))])
    })
}

/// A UUID path parameter, or 422.
fn path_uuid(name: &str, raw: &str) -> ApiResult<String> {
    parse_uuid(raw)
        .ok_or_else(|| ApiError::validation(vec![uuid_error(&["path", name], &json!(raw))]))
}

fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// `POST /auth/login`: `password=<API key>` (form) for a bearer token.
/// ZenML's Python client also sends the key as `Authorization: Bearer`;
/// either is accepted.
async fn login(State(emu): State<Emulator>, headers: HeaderMap, body: Bytes) -> Response {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let password = form
        .iter()
        .find(|(k, _)| k == "password")
        .map(|(_, v)| v.clone())
        .or_else(|| {
            headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::to_string)
        });
    let Some(password) = password else {
        return ApiError::validation(vec![FieldError::new(
            &["body", "password"],
            "missing",
            "Field required",
            Value::Null,
        )])
        .into_response();
    };
    if password != emu.config().zenml_api_key {
        return ApiError::unauthorized("Authentication error: invalid API key").into_response();
    }
    let ttl = emu.config().zenml_token_ttl;
    let token = emu.zenml().issue_token(ttl);
    Json(json!({
        "access_token": token,
        "token_type": "bearer",
        "expires_in": ttl.as_secs(),
    }))
    .into_response()
}

async fn create_role(State(emu): State<Emulator>, body: Bytes) -> Response {
    match json_body(&body) {
        Ok(body) => write(&emu, |s| s.create_role(&body)),
        Err(e) => e.into_response(),
    }
}

async fn get_role(State(emu): State<Emulator>, Path(role_id): Path<String>) -> Response {
    match path_uuid("role_id", &role_id) {
        Ok(id) => read(&emu, |s| s.role(&id).cloned()),
        Err(e) => e.into_response(),
    }
}

async fn update_role(
    State(emu): State<Emulator>,
    Path(role_id): Path<String>,
    body: Bytes,
) -> Response {
    let parsed = path_uuid("role_id", &role_id).and_then(|id| Ok((id, json_body(&body)?)));
    match parsed {
        Ok((id, body)) => write(&emu, |s| s.update_role(&id, &body)),
        Err(e) => e.into_response(),
    }
}

/// 200 with a `null` body: the roles page's response schema is `any` and it
/// renders it as "No content".
async fn delete_role(State(emu): State<Emulator>, Path(role_id): Path<String>) -> Response {
    match path_uuid("role_id", &role_id) {
        Ok(id) => write(&emu, |s| s.delete_role(&id).map(|()| Value::Null)),
        Err(e) => e.into_response(),
    }
}

async fn list_roles(
    State(emu): State<Emulator>,
    Path(org): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let org = match path_uuid("organization_id", &org) {
        Ok(org) => org,
        Err(e) => return e.into_response(),
    };
    let pairs = query_pairs(query.as_deref());
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let level = get("level");
    if let Some(l) = level.as_deref().filter(|l| !LEVELS.contains(l)) {
        let err = FieldError::new(
            &["query", "level"],
            "enum",
            "Input should be 'organization', 'workspace' or 'project'",
            json!(l),
        );
        return ApiError::validation(vec![err]).into_response();
    }
    let name = get("name");
    read(&emu, |s| {
        s.list_roles(&org, level.as_deref(), name.as_deref())
    })
}

/// The assignment named by the path and the query parameters.
fn assignment(role_id: &str, query: Option<&str>) -> ApiResult<Assignment> {
    let role_id = path_uuid("role_id", role_id)?;
    let pairs = query_pairs(query);
    let mut errors = Vec::new();
    let mut field = |name: &str| -> Option<String> {
        let raw = pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v)?;
        match parse_uuid(raw) {
            Some(id) => Some(id),
            None => {
                errors.push(uuid_error(&["query", name], &json!(raw)));
                None
            }
        }
    };
    let a = Assignment {
        role_id,
        user_id: field("user_id"),
        team_id: field("team_id"),
        invitation_id: field("invitation_id"),
        workspace_id: field("workspace_id"),
        project_id: field("project_id"),
    };
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    Ok(a)
}

async fn assign(
    State(emu): State<Emulator>,
    Path(role_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    match assignment(&role_id, query.as_deref()) {
        Ok(a) => write(&emu, |s| s.assign(a)),
        Err(e) => e.into_response(),
    }
}

async fn revoke(
    State(emu): State<Emulator>,
    Path(role_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    match assignment(&role_id, query.as_deref()) {
        Ok(a) => write(&emu, |s| s.revoke(&a).map(|()| Value::Null)),
        Err(e) => e.into_response(),
    }
}

async fn list_assignments(State(emu): State<Emulator>, Path(role_id): Path<String>) -> Response {
    match path_uuid("role_id", &role_id) {
        Ok(id) => read(&emu, |s| s.assignments_of(&id)),
        Err(e) => e.into_response(),
    }
}

/// `GET /users?email=` (`people.rs`).
async fn list_users(State(emu): State<Emulator>, RawQuery(query): RawQuery) -> Response {
    let pairs = query_pairs(query.as_deref());
    let email = pairs
        .iter()
        .find(|(k, _)| k == "email")
        .map(|(_, v)| v.as_str());
    read(&emu, |s| Ok(s.list_users(email)))
}

async fn list_organizations(State(emu): State<Emulator>) -> Response {
    read(&emu, |s| Ok(s.list_organizations()))
}

async fn list_teams(State(emu): State<Emulator>, Path(org): Path<String>) -> Response {
    match path_uuid("organization_id", &org) {
        Ok(org) => read(&emu, |s| s.list_teams(&org)),
        Err(e) => e.into_response(),
    }
}

async fn team_members(State(emu): State<Emulator>, Path(team_id): Path<String>) -> Response {
    match path_uuid("team_id", &team_id) {
        Ok(id) => read(&emu, |s| s.team_members(&id)),
        Err(e) => e.into_response(),
    }
}
