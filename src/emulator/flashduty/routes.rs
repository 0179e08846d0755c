//! Flashduty's role and member endpoints (docs/vendors/flashduty.md, "Role endpoints"):
//! every one is `POST` with a JSON body, even the reads.

use axum::extract::State;
use axum::handler::Handler;
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use axum::routing::{post, MethodRouter};
use axum::Router;
use serde::{Deserialize, Serialize};

use super::catalog::{self, FactorType};
use super::errors::{failure, reply, ApiError, ApiResult, ErrorCode, ParsedRequest};
use super::listing::OrderBy;
use super::members::{MemberListRequest, MemberRoleChange, MemberRoleRequest, RoleGrantRequest};
use super::store::{RoleStatus, RoleUpsertRequest, Store};
use crate::emulator::{Emulator, RequestId};

/// The routes, relative to `/flashduty`. `guard` (auth, rate limit) runs for
/// every known path; unknown paths get `RouteNotFound` directly.
pub(super) fn router(emu: &Emulator) -> Router<Emulator> {
    Router::new()
        .route("/role/upsert", op(upsert))
        .route("/role/info", op(info))
        .route("/role/list", op(list))
        .route("/role/delete", op(delete))
        .route("/role/enable", op(enable))
        .route("/role/disable", op(disable))
        .route("/role/permission/list", op(permission_list))
        .route("/role/permission/factor/list", op(factor_list))
        .route("/role/member/grant", op(role_member_grant))
        .route("/role/member/revoke", op(role_member_revoke))
        .route("/member/list", op(member_list))
        .route("/member/role/grant", op(member_role_grant))
        .route("/member/role/revoke", op(member_role_revoke))
        .route("/member/role/update", op(member_role_update))
        .route_layer(from_fn_with_state(emu.clone(), super::guard))
        .fallback(route_not_found)
}

/// A POST endpoint; other methods get the vendor's `MethodNotAllowed`.
fn op<H, T>(handler: H) -> MethodRouter<Emulator>
where
    H: Handler<T, Emulator>,
    T: 'static,
{
    post(handler).fallback(method_not_allowed)
}

async fn route_not_found(rid: Option<axum::Extension<RequestId>>) -> Response {
    let rid = rid.map(|r| r.0).unwrap_or_else(RequestId::generate);
    failure(
        &rid,
        ApiError::new(ErrorCode::RouteNotFound, "route not found"),
    )
}

async fn method_not_allowed(rid: Option<axum::Extension<RequestId>>) -> Response {
    let rid = rid.map(|r| r.0).unwrap_or_else(RequestId::generate);
    let msg = "method not allowed: every Flashduty endpoint is POST";
    failure(&rid, ApiError::new(ErrorCode::MethodNotAllowed, msg))
}

/// `data: {}` for writes with nothing to return.
#[derive(Serialize)]
struct Empty {}

/// Runs a read against the store.
fn read<T: Serialize>(
    emu: &Emulator,
    rid: &RequestId,
    f: impl FnOnce(&Store) -> ApiResult<T>,
) -> Response {
    let result = f(&emu.flashduty());
    reply(rid, result)
}

/// Runs a write against the store, then saves the state file if it succeeded.
fn write<T: Serialize>(
    emu: &Emulator,
    rid: &RequestId,
    f: impl FnOnce(&mut Store) -> ApiResult<T>,
) -> Response {
    let result = f(&mut emu.flashduty());
    if result.is_ok() {
        emu.persist();
    }
    reply(rid, result)
}

#[derive(Deserialize)]
struct RoleIdRequest {
    #[serde(default)]
    role_id: Option<u64>,
}

impl RoleIdRequest {
    fn role_id(&self) -> ApiResult<u64> {
        self.role_id
            .filter(|id| *id != 0)
            .ok_or_else(|| ApiError::invalid("role_id is required"))
    }
}

async fn upsert(State(emu): State<Emulator>, c: ParsedRequest<RoleUpsertRequest>) -> Response {
    write(&emu, &c.rid, |s| s.upsert(c.body))
}

async fn info(State(emu): State<Emulator>, c: ParsedRequest<RoleIdRequest>) -> Response {
    read(&emu, &c.rid, |s| s.info(c.body.role_id()?))
}

#[derive(Deserialize)]
struct RoleListRequest {
    #[serde(default)]
    orderby: Option<OrderBy>,
    #[serde(default)]
    asc: Option<bool>,
}

async fn list(State(emu): State<Emulator>, c: ParsedRequest<RoleListRequest>) -> Response {
    let (orderby, asc) = (
        c.body.orderby.unwrap_or_default(),
        c.body.asc.unwrap_or(false),
    );
    read(&emu, &c.rid, |s| Ok(s.list(orderby, asc)))
}

async fn delete(State(emu): State<Emulator>, c: ParsedRequest<RoleIdRequest>) -> Response {
    write(&emu, &c.rid, |s| {
        s.delete(c.body.role_id()?).map(|()| Empty {})
    })
}

async fn enable(State(emu): State<Emulator>, c: ParsedRequest<RoleIdRequest>) -> Response {
    write(&emu, &c.rid, |s| {
        s.set_status(c.body.role_id()?, RoleStatus::Enabled)
            .map(|()| Empty {})
    })
}

async fn disable(State(emu): State<Emulator>, c: ParsedRequest<RoleIdRequest>) -> Response {
    write(&emu, &c.rid, |s| {
        s.set_status(c.body.role_id()?, RoleStatus::Disabled)
            .map(|()| Empty {})
    })
}

#[derive(Deserialize)]
struct PermissionListRequest {
    #[serde(default)]
    role_ids: Option<Vec<u64>>,
    #[serde(default)]
    with_all: Option<bool>,
}

#[derive(Serialize)]
struct Items<T> {
    items: Vec<T>,
}

async fn permission_list(
    State(emu): State<Emulator>,
    c: ParsedRequest<PermissionListRequest>,
) -> Response {
    let role_ids = c.body.role_ids.unwrap_or_default();
    let with_all = c.body.with_all.unwrap_or(false);
    read(&emu, &c.rid, |s| {
        s.permission_list(&role_ids, with_all)
            .map(|items| Items { items })
    })
}

#[derive(Deserialize)]
struct FactorListRequest {
    #[serde(default)]
    factor_types: Option<Vec<FactorType>>,
}

/// The one endpoint whose `data` is a top-level array, not `{items}`.
async fn factor_list(c: ParsedRequest<FactorListRequest>) -> Response {
    let types = c.body.factor_types.unwrap_or_default();
    let factors: Vec<_> = catalog::factors()
        .into_iter()
        .filter(|f| types.is_empty() || types.contains(&f.factor_type))
        .collect();
    reply(&c.rid, Ok(factors))
}

async fn role_member_grant(
    State(emu): State<Emulator>,
    c: ParsedRequest<RoleGrantRequest>,
) -> Response {
    write(&emu, &c.rid, |s| {
        s.role_members(c.body, true).map(|()| Empty {})
    })
}

async fn role_member_revoke(
    State(emu): State<Emulator>,
    c: ParsedRequest<RoleGrantRequest>,
) -> Response {
    write(&emu, &c.rid, |s| {
        s.role_members(c.body, false).map(|()| Empty {})
    })
}

async fn member_list(State(emu): State<Emulator>, c: ParsedRequest<MemberListRequest>) -> Response {
    read(&emu, &c.rid, |s| s.member_list(c.body))
}

async fn member_role_grant(
    State(emu): State<Emulator>,
    c: ParsedRequest<MemberRoleRequest>,
) -> Response {
    write(&emu, &c.rid, |s| {
        s.member_roles(c.body, MemberRoleChange::Grant)
            .map(|()| Empty {})
    })
}

async fn member_role_revoke(
    State(emu): State<Emulator>,
    c: ParsedRequest<MemberRoleRequest>,
) -> Response {
    write(&emu, &c.rid, |s| {
        s.member_roles(c.body, MemberRoleChange::Revoke)
            .map(|()| Empty {})
    })
}

async fn member_role_update(
    State(emu): State<Emulator>,
    c: ParsedRequest<MemberRoleRequest>,
) -> Response {
    write(&emu, &c.rid, |s| {
        s.member_roles(c.body, MemberRoleChange::Update)
            .map(|()| Empty {})
    })
}
