//! Rootly, emulated from docs/vendors/rootly.md ("On-call role endpoints"):
//! on-call roles and users (with the on-call role each holds) over JSON:API.
//!
//! Served under `/rootly`, so a client's base URL is
//! `http://127.0.0.1:PORT/rootly` instead of `https://api.rootly.com`.

mod body;
mod errors;
mod generated;
mod paging;
mod roles;
mod routes;
mod store;
mod user_ops;
mod user_routes;
mod users;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub use errors::{ApiError, MEDIA_TYPE, REQUEST_ID_HEADER};
pub use paging::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
pub use roles::{slugify, Role, PERMISSION_FAMILIES, SYSTEM_ROLES};
pub use store::Store;
pub use users::{User, SEEDED_USERS};

use super::{Emulator, RateWindow, VendorSpec};

/// The vendor table entry (see `emulator::VENDORS`).
pub(crate) const SPEC: VendorSpec = VendorSpec {
    prefix: "/rootly",
    request_id_header: REQUEST_ID_HEADER,
    fault_response: errors::fault_response,
    router: routes::router,
};

/// The rate-limit window: reads and writes are counted separately, per API
/// key, over 60 seconds (docs/vendors/rootly.md, "Rate limits"; the default of
/// 3000 per window is from the older swagger and **unverified**).
pub const RATE_WINDOW: Duration = Duration::from_secs(60);

/// Bearer auth, then the rate limit, for every known Rootly route. Every
/// answer past auth carries `X-RateLimit-Limit`, `-Remaining`, `-Used` and
/// `-Reset` (UTC epoch seconds). A real 429 sends no `Retry-After` (it is
/// **unverified**); clients wait for `X-RateLimit-Reset`.
async fn guard(State(emu): State<Emulator>, req: Request, next: Next) -> Response {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    if token.is_empty() {
        return ApiError::unauthorized("send Authorization: Bearer <API key>").into_response();
    }
    if token != emu.config().rootly_api_token {
        return ApiError::unauthorized("the API key is invalid or revoked").into_response();
    }
    let class = if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        "read"
    } else {
        "write"
    };
    let window = RateWindow {
        limit: emu.config().rootly_rate_limit,
        window: RATE_WINDOW,
    };
    let account = format!("rootly:{class}:{token}");
    let admitted = emu.rate_limit(&account, &[window]);
    let mut response = match admitted {
        Ok(()) => next.run(req).await,
        Err(_) => errors::rate_limited(),
    };
    let (used, reset_in) = emu.rate_usage(&account, window);
    let reset = SystemTime::now() + reset_in;
    let reset = reset
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
        + u64::from(reset_in.subsec_nanos() > 0);
    let limit = window.limit;
    let headers = [
        (
            "x-ratelimit-limit",
            format!("{limit}, {limit};window={}", RATE_WINDOW.as_secs()),
        ),
        (
            "x-ratelimit-remaining",
            limit.saturating_sub(used).to_string(),
        ),
        ("x-ratelimit-used", used.to_string()),
        ("x-ratelimit-reset", reset.to_string()),
    ];
    for (name, value) in headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, v);
        }
    }
    response
}
