//! ZenML Pro (the management / control-plane API), emulated from
//! docs/vendors/zenml.md ("Role endpoints" and "Assignments"): the
//! API-key-for-token exchange, roles (built-in system-managed ones per
//! organization, custom workspace and project roles) and role assignments.
//!
//! Served under `/zenml`, so a client's base URL is
//! `http://127.0.0.1:PORT/zenml` instead of `https://cloudapi.zenml.io`.
//! No rate limit: ZenML documents none (docs/vendors/zenml.md, "Transport and auth").

mod assignments;
mod errors;
mod people;
mod roles;
mod routes;
mod store;
mod validation;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub use errors::{ApiError, FieldError, REQUEST_ID_HEADER};
pub use people::{NewPeople, NewTeam, NewUser};
pub use store::{
    Assignment, Role, Store, BUILT_IN_NAMES, DEFAULT_ORGANIZATION_ID, DESCRIPTION_MAX, LEVELS,
    NAME_MAX,
};

use super::{Emulator, VendorSpec};

/// The vendor table entry (see `emulator::VENDORS`).
pub(crate) const SPEC: VendorSpec = VendorSpec {
    prefix: "/zenml",
    request_id_header: REQUEST_ID_HEADER,
    fault_response: errors::fault_response,
    router: routes::router,
};

/// Bearer-token check for every route but `/auth/login`: a token from the
/// exchange that has not expired or been revoked. A missing header gets
/// FastAPI's `Not authenticated`.
async fn guard(State(emu): State<Emulator>, req: Request, next: Next) -> Response {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return ApiError::plain(axum::http::StatusCode::UNAUTHORIZED, "Not authenticated")
            .into_response();
    };
    let checked = emu.zenml().check_token(token);
    if let Err(message) = checked {
        return ApiError::unauthorized(message).into_response();
    }
    next.run(req).await
}
