//! Flashduty (Flashcat), emulated from docs/vendors/flashduty.md ("Role endpoints"): custom roles,
//! the permission catalogue, and a few members to assign roles to.
//!
//! Served under `/flashduty`, so a client's base URL is
//! `http://127.0.0.1:PORT/flashduty` instead of `https://api.flashcat.cloud`.

mod catalog;
mod errors;
mod listing;
mod member_ops;
mod members;
mod permissions;
mod routes;
mod store;

use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

pub use errors::{ApiError, ErrorCode, REQUEST_ID_HEADER};
pub use members::{Member, MemberChanges, NewMember};
pub use store::{
    Role, RoleStatus, Store, ADMIN_ROLE_ID, DESCRIPTION_MAX, FIRST_CUSTOM_ROLE_ID,
    RESPONDER_ROLE_ID, ROLE_NAME_MAX, VIEWER_ROLE_ID,
};

use super::{Emulator, RateWindow, RequestId, VendorSpec};

/// The vendor table entry (see `emulator::VENDORS`).
pub(crate) const SPEC: VendorSpec = VendorSpec {
    prefix: "/flashduty",
    request_id_header: REQUEST_ID_HEADER,
    fault_response: errors::fault_response,
    router: routes::router,
};

/// Per account: 50 requests per second and 1,000 per minute
/// (docs/vendors/flashduty.md, "Transport").
pub const RATE_LIMITS: [RateWindow; 2] = [
    RateWindow {
        limit: 50,
        window: Duration::from_secs(1),
    },
    RateWindow {
        limit: 1000,
        window: Duration::from_secs(60),
    },
];

/// The `app_key` query parameter, if any.
fn app_key(query: Option<&str>) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "app_key")
        .map(|(_, v)| v.into_owned())
}

/// Auth, then the rate limit, for every known Flashduty route.
async fn guard(State(emu): State<Emulator>, req: Request, next: Next) -> Response {
    let rid = req
        .extensions()
        .get::<RequestId>()
        .cloned()
        .unwrap_or_else(RequestId::generate);
    let key = match app_key(req.uri().query()) {
        Some(k) if !k.is_empty() => k,
        _ => {
            let err = ApiError::new(ErrorCode::Unauthorized, "app_key is required");
            return errors::failure(&rid, err);
        }
    };
    if key != emu.config().flashduty_app_key {
        let err = ApiError::new(ErrorCode::Unauthorized, "app_key is invalid or expired");
        return errors::failure(&rid, err);
    }
    // A real rate-limit 429 has no Retry-After: the vendor does not document
    // one (unverified), so clients must not rely on it. Injected 429 faults do
    // send `Retry-After: 1`.
    if emu
        .rate_limit(&format!("flashduty:{key}"), &RATE_LIMITS)
        .is_err()
    {
        let err = ApiError::new(
            ErrorCode::RequestTooFrequently,
            "request too frequently: the limit is 50 requests per second and 1000 per minute per account",
        );
        return errors::failure(&rid, err);
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flashduty_app_key_from_query() {
        assert_eq!(app_key(Some("a=1&app_key=k%20y")).as_deref(), Some("k y"));
        assert_eq!(app_key(Some("a=1")), None);
        assert_eq!(app_key(None), None);
    }
}
