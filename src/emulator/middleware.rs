//! Middleware shared by every emulated vendor: request IDs, request counting,
//! added latency and fault injection. Auth and rate limits are per vendor
//! (they differ in where the key is and what a refusal looks like) and live
//! in the vendor modules, using [`crate::emulator::Emulator::rate_limit`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rand::Rng;
use tokio::sync::Notify;

use super::{Emulator, FaultKind, VendorSpec, VENDORS};

/// The ID of one request, ULID-like (26 Crockford base32 characters: 48 bits
/// of milliseconds, then 80 random bits), e.g. `01HK8XQE3Z7JM2NTFQ5YJ8P9R4`.
/// The edge middleware puts one in every request's extensions; vendors echo
/// it in their body and their request-id header.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestId(pub String);

impl RequestId {
    /// A fresh, practically unique ID.
    pub fn generate() -> Self {
        const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        let random: u128 = rand::thread_rng().gen::<u128>() & ((1u128 << 80) - 1);
        let mut n = ((millis & ((1u128 << 48) - 1)) << 80) | random;
        let mut out = [0u8; 26];
        for slot in out.iter_mut().rev() {
            *slot = ALPHABET[(n & 31) as usize];
            n >>= 5;
        }
        RequestId(String::from_utf8_lossy(&out).into_owned())
    }

    /// The ID as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lets a handler drop its connection without a response. The accept loop
/// (see `server.rs`) puts one in each request's extensions; the connection
/// task closes the socket (with SO_LINGER 0, so the client sees a reset)
/// once it is triggered.
#[derive(Debug, Clone, Default)]
pub(crate) struct ConnectionKiller(Arc<Notify>);

impl ConnectionKiller {
    pub(crate) fn kill(&self) {
        self.0.notify_one();
    }

    pub(crate) async fn killed(&self) {
        self.0.notified().await;
    }
}

/// The vendor that serves `path`, by prefix.
fn vendor_for(path: &str) -> Option<&'static VendorSpec> {
    VENDORS.iter().find(|v| {
        path.strip_prefix(v.prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Outermost layer: gives every request an ID; for vendor routes, adds
/// latency, injects faults, counts the outcome and sets the vendor's
/// request-id header.
pub(crate) async fn edge(State(emu): State<Emulator>, mut req: Request, next: Next) -> Response {
    let rid = RequestId::generate();
    req.extensions_mut().insert(rid.clone());
    let Some(vendor) = vendor_for(req.uri().path()) else {
        return next.run(req).await;
    };
    let started = Instant::now();
    // The query string stays out: Flashduty's key travels in it.
    let endpoint = format!("{} {}", req.method(), req.uri().path());
    let mut unanswered = Unanswered {
        emu: &emu,
        endpoint: &endpoint,
        answered: false,
    };
    let (fault, settings) = emu.roll_fault(&endpoint);
    if settings.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(settings.latency_ms)).await;
    }
    if let Some(kind) = fault.filter(|k| *k != FaultKind::Pass) {
        emu.stats().fault(kind);
    }
    let killer = req.extensions().get::<ConnectionKiller>().cloned();
    let response = match fault {
        Some(
            kind @ (FaultKind::TooManyRequests
            | FaultKind::InternalError
            | FaultKind::ServiceUnavailable),
        ) => (vendor.fault_response)(kind, &rid),
        Some(FaultKind::Reset) => {
            unanswered.answered = true;
            return drop_connection(&emu, killer, &endpoint, "reset").await;
        }
        Some(FaultKind::Delay) => {
            tokio::time::sleep(Duration::from_millis(settings.delay_ms)).await;
            next.run(req).await
        }
        Some(FaultKind::Lost) => {
            let applied = next.run(req).await;
            tracing::debug!(%endpoint, status = %applied.status(), "lost fault: applied, dropping the response");
            unanswered.answered = true;
            return drop_connection(&emu, killer, &endpoint, "lost").await;
        }
        Some(FaultKind::Html) => html_bad_gateway(),
        Some(FaultKind::Truncated) => cut_body(next.run(req).await, |len| len / 2).await,
        Some(FaultKind::Empty) => cut_body(next.run(req).await, |_| 0).await,
        Some(FaultKind::WrongTypes) => retype_body(next.run(req).await).await,
        Some(FaultKind::Pass) | None => next.run(req).await,
    };
    let mut response = response;
    if !response.headers().contains_key(vendor.request_id_header) {
        if let Ok(v) = HeaderValue::from_str(rid.as_str()) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(vendor.request_id_header), v);
        }
    }
    let status = response.status();
    unanswered.answered = true;
    emu.stats().record(&endpoint, status.as_str());
    tracing::debug!(%endpoint, status = status.as_u16(), request_id = %rid, fault = ?fault,
        elapsed_ms = started.elapsed().as_millis() as u64, "request");
    response
}

/// Counts a request whose client went away before it was answered (the
/// connection closed during a delay, say: the server drops the request's
/// future), as `abandoned`, so that the stats hold every request that
/// arrived.
struct Unanswered<'a> {
    emu: &'a Emulator,
    endpoint: &'a str,
    answered: bool,
}

impl Drop for Unanswered<'_> {
    fn drop(&mut self) {
        if !self.answered {
            self.emu.stats().record(self.endpoint, "abandoned");
        }
    }
}

/// What a load balancer in front of the vendor answers when the backend is gone.
fn html_bad_gateway() -> Response {
    (
        StatusCode::BAD_GATEWAY,
        [(axum::http::header::CONTENT_TYPE, "text/html")],
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
         <center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
    )
        .into_response()
}

/// `response` with its body cut to `keep(len)` bytes; status and headers
/// (but the length) stay.
async fn cut_body(response: Response, keep: impl FnOnce(usize) -> usize) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let cut = bytes.slice(..keep(bytes.len()).min(bytes.len()));
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(cut))
}

/// `response` with every JSON value in its body of the wrong type; a body
/// that is not JSON stays as it is.
async fn retype_body(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let body = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(json) => serde_json::to_vec(&retype(json)).unwrap_or_default().into(),
        Err(_) => bytes,
    };
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// The same shape with the wrong type at every leaf.
fn retype(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(_) => Value::from(12345),
        Value::Number(n) => Value::from(format!("number {n}")),
        Value::Bool(b) => Value::from(if b { "yes" } else { "no" }),
        Value::Array(items) if items.is_empty() => Value::from("none"),
        Value::Array(items) => Value::Array(items.into_iter().map(retype).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, retype(v))).collect()),
        Value::Null => Value::from(0),
    }
}

/// Counts the outcome, then makes the connection go away with no response.
/// Served in-process (no connection to drop, e.g. `app().oneshot()`), the
/// fault becomes a 502 whose body says why.
async fn drop_connection(
    emu: &Emulator,
    killer: Option<ConnectionKiller>,
    endpoint: &str,
    outcome: &str,
) -> Response {
    emu.stats().record(endpoint, outcome);
    tracing::debug!(%endpoint, fault = outcome, "dropping the connection");
    match killer {
        Some(k) => {
            k.kill();
            // The connection task drops this future together with the socket.
            std::future::pending().await
        }
        None => (
            StatusCode::BAD_GATEWAY,
            Json(serde_json::json!({
                "emulator_fault": outcome,
                "error": "transport faults need a real connection: use emulator::start or serve",
            })),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retyped_json_keeps_its_shape_with_no_value_of_its_type() {
        let original = serde_json::json!({
            "data": {"items": [{"role_id": 7, "role_name": "ops", "editable": true, "tags": []}]},
            "request_id": null
        });
        assert_eq!(
            retype(original),
            serde_json::json!({
                "data": {"items": [{
                    "role_id": "number 7",
                    "role_name": 12345,
                    "editable": "yes",
                    "tags": "none"
                }]},
                "request_id": 0
            })
        );
    }

    #[test]
    fn emulator_request_ids_are_ulid_like_and_unique() {
        let a = RequestId::generate();
        let b = RequestId::generate();
        assert_eq!(a.as_str().len(), 26);
        assert_ne!(a, b);
        assert!(a.as_str().starts_with('0'), "{a}");
    }

    #[test]
    fn emulator_vendor_prefix_match() {
        assert_eq!(
            vendor_for("/flashduty/role/info").unwrap().prefix,
            "/flashduty"
        );
        assert!(vendor_for("/flashduty").is_some());
        assert!(vendor_for("/flashdutyx/role").is_none());
        assert!(vendor_for("/__emulator/stats").is_none());
    }
}
