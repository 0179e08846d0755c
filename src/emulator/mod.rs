//! A local, stateful emulator of the vendors' role and permission APIs.
//!
//! It is written from `docs/vendors/*.md` (the vendor references), never from the
//! provider's client code, so that the two cannot share a misunderstanding.
//! Each vendor is served under its own path prefix (`/flashduty`, `/slashid`,
//! `/rootly`, `/zenml`).
//!
//! Vendor requests pass through, in order: request ID, added latency, fault
//! injection, request counting (`middleware.rs`), then the vendor's own auth
//! and rate limit, body checks and handler.
//!
//! Control API for tests (no faults, auth or rate limits):
//!
//! | route | body | effect |
//! |---|---|---|
//! | `GET /__emulator/stats` | | request counts, see [`StatsSnapshot`] |
//! | `POST /__emulator/reset-stats` | | zero the counts |
//! | `GET`/`POST /__emulator/faults` | [`FaultUpdate`], e.g. `{"rate": 0.1, "kinds": ["500"], "delay_ms": 2000, "latency_ms": 0}` | show/change fault settings (absent fields are kept; `"endpoint": null` or `""` lifts an endpoint filter); answers [`FaultSettings`] |
//! | `GET`/`POST /__emulator/rate-limit` | `{"enabled": false}` | show/toggle vendor rate limits |
//! | `GET`/`POST /__emulator/slashid` | [`slashid::Consistency`], e.g. `{"write_timeouts": 1, "stale_read_ms": 500}` | show/set SlashID's simulated 408s and stale reads |
//! | `POST /__emulator/zenml/revoke-tokens` | | invalidate every ZenML access token (their next use gets 401); answers `{"revoked": N}` |
//! | `POST /__emulator/flashduty/members` | `{"add": [{"member_name": "Erin", "email": "erin@example.com", "role_ids": [6]}], "remove": [5068740052131]}` | invite members (default role Viewer) or remove them (status `deleted`, no roles); answers `{"added": [MemberItem...]}` |
//! | `POST /__emulator/rootly/users` | `{"email": "erin@example.com", "first_name": "Erin", "last_name": "Ng"}` | add a Rootly user (no on-call role); answers its resource object |
//!
//! Invalid control bodies get HTTP 400 `{"error": "..."}`.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use terraform_provider_rbac::emulator::{self, EmulatorConfig};
//! let running = emulator::start(EmulatorConfig::default()).await?;
//! let base = running.flashduty_url(); // http://127.0.0.1:PORT/flashduty
//! # Ok(()) }
//! ```

mod config;
mod control;
mod faults;
pub mod flashduty;
mod middleware;
mod persist;
mod ratelimit;
pub mod rootly;
mod server;
pub mod slashid;
mod state;
mod stats;
pub mod zenml;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};

pub use config::{
    check_loopback, EmulatorConfig, DEFAULT_FLASHDUTY_APP_KEY, DEFAULT_ROOTLY_API_TOKEN,
    DEFAULT_ROOTLY_RATE_LIMIT, DEFAULT_SLASHID_API_KEY, DEFAULT_SLASHID_ORG_ID,
};
pub use config::{DEFAULT_ZENML_API_KEY, DEFAULT_ZENML_TOKEN_TTL_SECS};
pub use faults::{FaultKind, FaultSettings, FaultUpdate, ScriptedFault};
pub use middleware::RequestId;
pub use ratelimit::RateWindow;
pub use server::{serve, serve_with_shutdown, start, RunningEmulator};
pub use state::Emulator;
pub use stats::StatsSnapshot;

/// What the shared middleware needs to know about one emulated vendor.
pub(crate) struct VendorSpec {
    /// Path prefix, e.g. `/flashduty`.
    pub(crate) prefix: &'static str,
    /// Response header carrying the request ID (lowercase).
    pub(crate) request_id_header: &'static str,
    /// The vendor's response for an injected 429 / 500 / 503 fault.
    pub(crate) fault_response: fn(FaultKind, &RequestId) -> Response,
    /// The vendor's routes, relative to `prefix`.
    pub(crate) router: fn(&Emulator) -> Router<Emulator>,
}

/// Every emulated vendor. To add one: write `src/emulator/<vendor>/` with a
/// `SPEC` like [`flashduty::SPEC`], add it here and a key to `persist.rs`.
pub(crate) const VENDORS: &[VendorSpec] =
    &[flashduty::SPEC, slashid::SPEC, rootly::SPEC, zenml::SPEC];

/// The whole HTTP app: every vendor under its prefix, plus `/__emulator`.
/// Call it in-process with `tower::ServiceExt::oneshot`, or serve it with
/// [`serve`] / [`start`] (needed for `reset` and `lost` faults).
pub fn app(state: Emulator) -> Router {
    let mut router = Router::new().nest("/__emulator", control::router());
    for vendor in VENDORS {
        router = router.nest(vendor.prefix, (vendor.router)(&state));
    }
    router
        .fallback(no_such_vendor)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::edge,
        ))
        .with_state(state)
}

async fn no_such_vendor(req: Request) -> Response {
    let prefixes: Vec<&str> = VENDORS.iter().map(|v| v.prefix).collect();
    (
        StatusCode::NOT_FOUND,
        Json(serde_json::json!({
            "error": format!(
                "no emulated API at {}: vendor prefixes are {}, control routes are under /__emulator",
                req.uri().path(),
                prefixes.join(", ")
            )
        })),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use axum::body::{to_bytes, Body};
    use axum::http::Request;
    use tower::ServiceExt;

    use super::*;

    async fn call(app: &Router, path: &str) -> (StatusCode, Option<String>, serde_json::Value) {
        let req = Request::post(path)
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        let rid = res
            .headers()
            .get("flashcat-request-id")
            .map(|v| v.to_str().unwrap().to_string());
        let status = res.status();
        let body = to_bytes(res.into_body(), 1 << 20).await.unwrap();
        (status, rid, serde_json::from_slice(&body).unwrap())
    }

    #[tokio::test]
    async fn emulator_app_in_process() {
        let emu = Emulator::new(EmulatorConfig::default()).unwrap();
        let app = app(emu.clone());
        let path = "/flashduty/role/list?app_key=emulator-flashduty-key";
        let (status, rid, body) = call(&app, path).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(rid.as_deref(), body["request_id"].as_str());
        assert_eq!(body["data"]["total"], 3);
        // Without a connection, transport faults become an explanatory 502.
        emu.update_faults(FaultUpdate {
            rate: Some(1.0),
            kinds: Some(vec![FaultKind::Reset]),
            ..Default::default()
        })
        .unwrap();
        let (status, _, body) = call(&app, path).await;
        assert_eq!(status, StatusCode::BAD_GATEWAY);
        assert_eq!(body["emulator_fault"], "reset");
        assert_eq!(
            emu.stats_snapshot()
                .count("POST /flashduty/role/list", "reset"),
            1
        );
        let (status, _, _) = call(&app, "/elsewhere").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}
