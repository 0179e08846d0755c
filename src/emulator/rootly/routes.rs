//! Rootly's on-call role endpoints (docs/vendors/rootly.md, "On-call role endpoints"): list,
//! create (201), get, update (PUT) and delete (200 with the deleted role).
//! `{id}` is a UUID or a slug.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Map, Value};

use super::body::{data_object, reply};
use super::errors::{jsonapi, ApiError, ApiResult};
use super::paging::ListQuery;
use super::store::{Filters, Sort};
use crate::emulator::Emulator;

/// The routes, relative to `/rootly`.
pub(super) fn router(emu: &Emulator) -> Router<Emulator> {
    Router::new()
        .route("/v1/on_call_roles", get(list).post(create))
        .route(
            "/v1/on_call_roles/:id",
            get(show).put(update).delete(delete),
        )
        .route("/v1/users", get(super::user_routes::list))
        .route("/v1/users/me", get(super::user_routes::me))
        .route(
            "/v1/users/:id",
            get(super::user_routes::show)
                .put(super::user_routes::update)
                .delete(super::user_routes::delete),
        )
        .route_layer(from_fn_with_state(emu.clone(), super::guard))
        .fallback(|| async { ApiError::not_found() })
}

/// `data.attributes` of a JSON:API request document.
fn attributes(headers: &HeaderMap, body: &[u8]) -> ApiResult<Map<String, Value>> {
    let data = data_object(headers, body)?;
    if let Some(t) = data.get("type") {
        if t != "on_call_roles" {
            return Err(ApiError::unprocessable(vec![ApiError::invalid(
                "type",
                "must be on_call_roles",
            )]));
        }
    }
    match data.get("attributes") {
        Some(Value::Object(attrs)) => Ok(attrs.clone()),
        None => Ok(Map::new()),
        Some(_) => Err(ApiError::bad_request(
            "data.attributes must be an object".into(),
        )),
    }
}

async fn create(State(emu): State<Emulator>, headers: HeaderMap, body: Bytes) -> Response {
    let result = attributes(&headers, &body).and_then(|attrs| emu.rootly().create(&attrs));
    if result.is_ok() {
        emu.persist();
    }
    reply(
        StatusCode::CREATED,
        result.map(|r| json!({"data": r.resource()})),
    )
}

async fn show(State(emu): State<Emulator>, Path(id): Path<String>) -> Response {
    let result = emu.rootly().get(&id);
    reply(
        StatusCode::OK,
        result.map(|r| json!({"data": r.resource()})),
    )
}

async fn update(
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // A 404 wins over a bad body, as in Rails (the record is loaded first).
    if let Err(e) = emu.rootly().get(&id) {
        return e.into();
    }
    let result = attributes(&headers, &body).and_then(|attrs| emu.rootly().update(&id, &attrs));
    if result.is_ok() {
        emu.persist();
    }
    reply(
        StatusCode::OK,
        result.map(|r| json!({"data": r.resource()})),
    )
}

async fn delete(State(emu): State<Emulator>, Path(id): Path<String>) -> Response {
    let result = emu.rootly().delete(&id);
    if result.is_ok() {
        emu.persist();
    }
    reply(
        StatusCode::OK,
        result.map(|r| json!({"data": r.resource()})),
    )
}

async fn list(
    State(emu): State<Emulator>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let mut errors = Vec::new();
    let q = ListQuery::parse(query, &mut errors);
    let sort = match q.param("sort").as_deref() {
        None | Some("") | Some("created_at") => Sort::CreatedAt { desc: false },
        Some("-created_at") => Sort::CreatedAt { desc: true },
        Some("name") => Sort::Name { desc: false },
        Some("-name") => Sort::Name { desc: true },
        Some(other) => {
            errors.push(ApiError::invalid(
                "sort",
                &format!("{other:?} is not supported; use name, -name, created_at or -created_at"),
            ));
            Sort::CreatedAt { desc: false }
        }
    };
    if !errors.is_empty() {
        return ApiError::unprocessable(errors).into();
    }
    let filters = Filters {
        search: q.param("filter[search]"),
        slug: q.param("filter[slug]"),
        name: q.param("filter[name]"),
    };
    let roles = emu.rootly().list(&filters, sort);
    let data = q.page_of(&roles).iter().map(|r| r.resource()).collect();
    let body = q.page_body(&headers, "/v1/on_call_roles", roles.len(), data);
    jsonapi(StatusCode::OK, body)
}
