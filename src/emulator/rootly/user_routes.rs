//! Rootly's user endpoints (docs/vendors/rootly.md, "Users and the on-call
//! role assignment"): list, get (with `include`), the token's own user, PUT and
//! DELETE (which removes the user from the organisation).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::body::{data_object, reply};
use super::errors::{jsonapi, ApiError, ApiResult, ErrorItem};
use super::paging::ListQuery;
use super::users::{User, UserFilters, UserSort};
use crate::emulator::Emulator;

/// Values of `include` the spec lists. Only `on_call_role` adds anything
/// (the emulator models no other related object).
const INCLUDES: [&str; 8] = [
    "email_addresses",
    "phone_numbers",
    "devices",
    "role",
    "on_call_role",
    "teams",
    "schedules",
    "notification_rules",
];

/// Whether `include` (comma-separated) asks for the on-call role; an
/// unknown value is a validation error (JSON:API answers 400 for an
/// unsupported include; Rootly's choice is **unverified**, 422 here like
/// its other parameter errors).
fn wants_on_call_role(include: Option<&str>, errors: &mut Vec<ErrorItem>) -> bool {
    let mut wanted = false;
    for item in include.unwrap_or_default().split(',').map(str::trim) {
        if item.is_empty() {
            continue;
        }
        if !INCLUDES.contains(&item) {
            errors.push(ApiError::invalid(
                "include",
                &format!("{item:?} is not supported; use {}", INCLUDES.join(", ")),
            ));
        }
        wanted |= item == "on_call_role";
    }
    wanted
}

/// The `included` on-call roles of `users` (each once).
fn included(emu: &Emulator, users: &[User]) -> Value {
    let store = emu.rootly();
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for id in users.iter().filter_map(|u| u.on_call_role_id.as_deref()) {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        if let Ok(role) = store.get(id) {
            out.push(role.resource());
        }
    }
    Value::Array(out)
}

fn include_param(query: Option<String>) -> Option<String> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "include")
        .map(|(_, v)| v.into_owned())
}

/// `{"data": user}`, plus `included` when asked for.
fn single(emu: &Emulator, user: ApiResult<User>, query: Option<String>) -> Response {
    let mut errors = Vec::new();
    let include = wants_on_call_role(include_param(query).as_deref(), &mut errors);
    if !errors.is_empty() {
        return ApiError::unprocessable(errors).into();
    }
    let result = user.map(|u| {
        let mut body = json!({"data": u.resource()});
        if include {
            body["included"] = included(emu, std::slice::from_ref(&u));
        }
        body
    });
    reply(StatusCode::OK, result)
}

pub(super) async fn show(
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let user = emu.rootly().user(&id);
    single(&emu, user, query)
}

pub(super) async fn me(State(emu): State<Emulator>, RawQuery(query): RawQuery) -> Response {
    let user = emu.rootly().me();
    single(&emu, user, query)
}

/// `update_user` requires `data.type` ("users") and `data.attributes`
/// (an object); anything else is a 422.
fn user_attributes(headers: &HeaderMap, body: &[u8]) -> ApiResult<Map<String, Value>> {
    let data = data_object(headers, body)?;
    let mut errors = Vec::new();
    if data.get("type").and_then(Value::as_str) != Some("users") {
        errors.push(ApiError::invalid("type", "must be users"));
    }
    let attrs = match data.get("attributes") {
        Some(Value::Object(attrs)) => attrs.clone(),
        _ => {
            errors.push(ApiError::invalid("attributes", "must be an object"));
            Map::new()
        }
    };
    if errors.is_empty() {
        Ok(attrs)
    } else {
        Err(ApiError::unprocessable(errors))
    }
}

pub(super) async fn update(
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // A 404 for the user wins over a bad body (the record is loaded first).
    if let Err(e) = emu.rootly().user(&id) {
        return e.into();
    }
    let result =
        user_attributes(&headers, &body).and_then(|attrs| emu.rootly().update_user(&id, &attrs));
    if result.is_ok() {
        emu.persist();
    }
    reply(
        StatusCode::OK,
        result.map(|u| json!({"data": u.resource()})),
    )
}

pub(super) async fn delete(State(emu): State<Emulator>, Path(id): Path<String>) -> Response {
    let result = emu.rootly().delete_user(&id);
    if result.is_ok() {
        emu.persist();
    }
    reply(
        StatusCode::OK,
        result.map(|u| json!({"data": u.resource()})),
    )
}

pub(super) async fn list(
    State(emu): State<Emulator>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let mut errors = Vec::new();
    let q = ListQuery::parse(query, &mut errors);
    let sort = match q.param("sort").as_deref() {
        None | Some("") | Some("created_at") => UserSort::CreatedAt { desc: false },
        Some("-created_at") => UserSort::CreatedAt { desc: true },
        Some("updated_at") => UserSort::UpdatedAt { desc: false },
        Some("-updated_at") => UserSort::UpdatedAt { desc: true },
        Some(other) => {
            errors.push(ApiError::invalid(
                "sort",
                &format!("{other:?} is not supported; use created_at, -created_at, updated_at or -updated_at"),
            ));
            UserSort::CreatedAt { desc: false }
        }
    };
    let include = wants_on_call_role(q.param("include").as_deref(), &mut errors);
    if !errors.is_empty() {
        return ApiError::unprocessable(errors).into();
    }
    let filters = UserFilters {
        email: q.param("filter[email]"),
        search: q.param("filter[search]"),
    };
    let users = emu.rootly().users(&filters, sort);
    let page = q.page_of(&users);
    let data = page.iter().map(User::resource).collect();
    let mut body = q.page_body(&headers, "/v1/users", users.len(), data);
    if include {
        body["included"] = included(&emu, page);
    }
    jsonapi(StatusCode::OK, body)
}
