//! SlashID, emulated from docs/vendors/slashid.md ("RBAC endpoints"): RBAC permissions and roles
//! (name-keyed, roles prefixed with `{org_id}/`), and the roles and direct
//! permissions of a few seeded persons.
//!
//! Served under `/slashid`, so a client's base URL is
//! `http://127.0.0.1:PORT/slashid` instead of `https://api.slashid.com`.
//! Every request needs `SlashID-OrgID` (the emulated organization) and
//! `SlashID-API-Key`.

mod errors;
mod names;
mod persons;
mod rbac;
mod routes;
mod store;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

pub use errors::{ApiError, REQUEST_ID_HEADER};
pub use names::{permission_name_regex, role_name_regex, PERMISSION_NAME_MAX, ROLE_NAME_MAX};
pub use store::{Consistency, Store, SEED_PERSONS};

use super::{Emulator, VendorSpec};

/// The vendor table entry (see `emulator::VENDORS`).
pub(crate) const SPEC: VendorSpec = VendorSpec {
    prefix: "/slashid",
    request_id_header: REQUEST_ID_HEADER,
    fault_response: errors::fault_response,
    router: routes::router,
};

/// Auth, organization and consistency headers, for every known route.
/// SlashID publishes no rate limit (docs/vendors/slashid.md, "Transport"), so
/// none is enforced.
async fn guard(State(emu): State<Emulator>, req: Request, next: Next) -> Response {
    if let Err(e) = check_headers(&emu, &req) {
        return errors::failure(e);
    }
    next.run(req).await
}

fn check_headers(emu: &Emulator, req: &Request) -> Result<(), ApiError> {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let config = emu.config();
    // 401/403 are not declared on RBAC operations; the emulator uses them
    // for a bad key / another organization (**unverified**).
    match header("slashid-api-key") {
        Some(k) if k == config.slashid_api_key => {}
        Some(_) => return Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid API key")),
        None => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "the SlashID-API-Key header is required",
            ))
        }
    }
    match header("slashid-orgid") {
        Some(org) if org == config.slashid_org_id => {}
        Some(org) => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                format!("the API key does not belong to organization {org}"),
            ))
        }
        None => {
            return Err(ApiError::bad_request(
                "the SlashID-OrgID header is required",
            ))
        }
    }
    // Consistency headers are accepted on writes only; GETs ignore them.
    if req.method() != Method::GET {
        if let Some(level) = header("slashid-required-consistency") {
            if level != "local_region" && level != "all_regions" {
                return Err(ApiError::bad_request(format!(
                    "SlashID-Required-Consistency must be local_region or all_regions, not {level:?}"
                )));
            }
        }
        if let Some(timeout) = header("slashid-required-consistency-timeout") {
            if !timeout.parse::<u32>().is_ok_and(|t| (1..=120).contains(&t)) {
                return Err(ApiError::bad_request(format!(
                    "SlashID-Required-Consistency-Timeout must be an integer from 1 to 120, not {timeout:?}"
                )));
            }
        }
    }
    Ok(())
}
