//! SlashID's RBAC and person-role endpoints (docs/vendors/slashid.md, "RBAC endpoints").

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::errors::{failure, no_content, result, ApiError, ApiResult, Body};
use super::rbac::{PermissionCreate, PermissionPatch, RoleCreate, RolePatch};
use super::store::Store;
use crate::emulator::Emulator;

/// The routes, relative to `/slashid`. `guard` (auth, org, consistency
/// headers) runs for every known path.
pub(super) fn router(emu: &Emulator) -> Router<Emulator> {
    Router::new()
        .route("/rbac/roles", get(list_roles).post(create_role))
        .route(
            "/rbac/roles/:name",
            get(get_role).patch(patch_role).delete(delete_role),
        )
        .route(
            "/rbac/permissions",
            get(list_permissions).post(create_permission),
        )
        .route(
            "/rbac/permissions/:name",
            get(get_permission)
                .patch(patch_permission)
                .delete(delete_permission),
        )
        .route("/rbac/check", post(check))
        .route("/persons", get(list_persons))
        .route(
            "/persons/:id/roles",
            get(person_roles).put(put_person_roles),
        )
        .route("/persons/:id/permissions", get(person_permissions))
        .route(
            "/persons/:id/additional-permissions",
            get(person_additional).put(put_person_additional),
        )
        .route_layer(from_fn_with_state(emu.clone(), super::guard))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
}

async fn not_found() -> Response {
    failure(ApiError::not_found("no such endpoint"))
}

async fn method_not_allowed() -> Response {
    failure(ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed",
    ))
}

fn if_match(headers: &HeaderMap) -> Option<String> {
    headers
        .get("if-match")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Whether the write asked to wait for every region (`all_regions`).
fn all_regions(headers: &HeaderMap) -> bool {
    headers
        .get("slashid-required-consistency")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == "all_regions")
}

/// Runs a write; 204 on success. With `--slashid-write-timeouts N` (or
/// `POST /__emulator/slashid`), the next N successful writes are applied
/// and then answered with 408, as when the requested consistency is not
/// reached in time ("it may still be handled").
fn write(emu: &Emulator, f: impl FnOnce(&mut Store) -> ApiResult<()>) -> Response {
    let mut store = emu.slashid();
    let outcome = f(&mut store);
    let timed_out = outcome.is_ok() && store.take_write_timeout();
    drop(store);
    match outcome {
        Ok(()) => {
            emu.persist();
            if timed_out {
                failure(ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "the requested consistency level was not achieved within the timeout; \
                     the request may still be handled",
                ))
            } else {
                no_content()
            }
        }
        Err(e) => failure(e),
    }
}

fn read<T: serde::Serialize>(emu: &Emulator, f: impl FnOnce(&Store) -> ApiResult<T>) -> Response {
    match f(&emu.slashid()) {
        Ok(v) => result(v, None),
        Err(e) => failure(e),
    }
}

async fn list_roles(State(emu): State<Emulator>) -> Response {
    let store = emu.slashid();
    result(store.list_roles(), Some(store.list_etag()))
}

async fn create_role(
    State(emu): State<Emulator>,
    headers: HeaderMap,
    Body(req): Body<RoleCreate>,
) -> Response {
    let org = emu.config().slashid_org_id.clone();
    let key = format!("r:{}", req.name.clone().unwrap_or_default());
    write(&emu, |s| {
        s.create_role(&org, req)?;
        if all_regions(&headers) {
            s.settle(&key);
        }
        Ok(())
    })
}

async fn get_role(State(emu): State<Emulator>, Path(name): Path<String>) -> Response {
    let store = emu.slashid();
    if store.is_fresh(&format!("r:{name}")) {
        return failure(ApiError::not_found(format!("role {name:?} not found")));
    }
    match store.get_role(&name) {
        Ok((role, tag)) => result(role, Some(tag)),
        Err(e) => failure(e),
    }
}

async fn patch_role(
    State(emu): State<Emulator>,
    Path(name): Path<String>,
    headers: HeaderMap,
    Body(req): Body<RolePatch>,
) -> Response {
    write(&emu, |s| {
        s.patch_role(&name, req, if_match(&headers).as_deref())
    })
}

async fn delete_role(State(emu): State<Emulator>, Path(name): Path<String>) -> Response {
    write(&emu, |s| s.delete_role(&name))
}

async fn list_permissions(State(emu): State<Emulator>) -> Response {
    let store = emu.slashid();
    result(store.list_permissions(), Some(store.list_etag()))
}

async fn create_permission(
    State(emu): State<Emulator>,
    headers: HeaderMap,
    Body(req): Body<PermissionCreate>,
) -> Response {
    let key = format!("p:{}", req.name.clone().unwrap_or_default());
    write(&emu, |s| {
        s.create_permission(req)?;
        if all_regions(&headers) {
            s.settle(&key);
        }
        Ok(())
    })
}

async fn get_permission(State(emu): State<Emulator>, Path(name): Path<String>) -> Response {
    if emu.slashid().is_fresh(&format!("p:{name}")) {
        return failure(ApiError::not_found(format!(
            "permission {name:?} not found"
        )));
    }
    read(&emu, |s| s.get_permission(&name))
}

async fn patch_permission(
    State(emu): State<Emulator>,
    Path(name): Path<String>,
    headers: HeaderMap,
    Body(req): Body<PermissionPatch>,
) -> Response {
    write(&emu, |s| {
        s.patch_permission(&name, req, if_match(&headers).as_deref())
    })
}

async fn delete_permission(State(emu): State<Emulator>, Path(name): Path<String>) -> Response {
    write(&emu, |s| s.delete_permission(&name))
}

#[derive(Deserialize)]
struct CheckRequest {
    person_id: Option<String>,
    permission_name: Option<String>,
}

async fn check(State(emu): State<Emulator>, Body(req): Body<CheckRequest>) -> Response {
    read(&emu, |s| {
        let (Some(person), Some(permission)) = (req.person_id, req.permission_name) else {
            return Err(ApiError::bad_request(
                "person_id and permission_name are required",
            ));
        };
        s.check(&person, &permission)
            .map(|granted| serde_json::json!({ "granted": granted }))
    })
}

/// `GET /persons` (docs/vendors/slashid.md "Listing persons"): `offset`,
/// `limit` (1–1000; ASSUMPTION: 100 when absent, the default is not
/// documented), `handle` (`email_address:<address>` only here) and
/// `fields=handles`. A bare `result` array: where the paging totals come
/// back is **unverified**, so clients walk until a short page.
async fn list_persons(
    State(emu): State<Emulator>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let number = |name: &str, default: usize| match query.get(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .map_err(|_| ApiError::bad_request(format!("{name} must be a whole number"))),
    };
    let (offset, limit) = match (number("offset", 0), number("limit", 100)) {
        (Ok(o), Ok(l)) if (1..=super::persons::PERSONS_LIMIT_MAX).contains(&l) => (o, l),
        (Err(e), _) | (_, Err(e)) => return failure(e),
        _ => return failure(ApiError::bad_request("limit must be between 1 and 1000")),
    };
    let email = match query.get("handle").map(|h| h.split_once(':')) {
        None => None,
        Some(Some(("email_address", address))) => Some(address),
        Some(_) => {
            return failure(ApiError::bad_request(
                "handle must be <type>:<value>; the emulator knows email_address only",
            ))
        }
    };
    let with_handles = query
        .get("fields")
        .is_some_and(|f| f.split(',').any(|f| f.trim() == "handles"));
    read(&emu, |s| {
        Ok(s.list_persons(offset, limit, email, with_handles))
    })
}

async fn person_roles(State(emu): State<Emulator>, Path(id): Path<String>) -> Response {
    read(&emu, |s| s.person_roles(&id))
}

#[derive(Deserialize)]
struct RolesBody {
    roles: Option<Vec<String>>,
}

async fn put_person_roles(
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(req): Body<RolesBody>,
) -> Response {
    let Some(roles) = req.roles else {
        return failure(ApiError::bad_request("roles is required"));
    };
    write(&emu, |s| {
        s.set_person_roles(&id, roles, if_match(&headers).as_deref())
    })
}

async fn person_permissions(State(emu): State<Emulator>, Path(id): Path<String>) -> Response {
    read(&emu, |s| s.person_permissions(&id))
}

async fn person_additional(State(emu): State<Emulator>, Path(id): Path<String>) -> Response {
    read(&emu, |s| s.person_additional_permissions(&id))
}

#[derive(Deserialize)]
struct PermissionsBody {
    permissions: Option<Vec<String>>,
}

async fn put_person_additional(
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(req): Body<PermissionsBody>,
) -> Response {
    let Some(permissions) = req.permissions else {
        return failure(ApiError::bad_request("permissions is required"));
    };
    write(&emu, |s| {
        s.set_person_permissions(&id, permissions, if_match(&headers).as_deref())
    })
}
