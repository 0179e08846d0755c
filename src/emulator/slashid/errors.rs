//! SlashID's envelopes (docs/vendors/slashid.md, "Envelope"): reads answer 200
//! `{"result": ...}`, writes 204 with no body, and errors
//! `{"errors": [{"httpcode", "message"}]}` with no machine code: clients
//! branch on the HTTP status.

use axum::async_trait;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

use crate::emulator::FaultKind;

/// Response header carrying the request ID. SlashID documents none
/// (**unverified**); the emulator uses the common `X-Request-Id`.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Largest request body accepted (**unverified**: not documented).
const MAX_BODY_BYTES: usize = 1 << 20;

/// A failed call: HTTP status and free-text message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status, repeated as `httpcode` in the body.
    pub status: StatusCode,
    /// The `message` field.
    pub message: String,
}

impl ApiError {
    /// An error with this status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// 400 Bad Request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404 Not Found.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 409 Conflict.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    /// 412 Precondition Failed (an `If-Match` that does not match).
    pub fn precondition_failed(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PRECONDITION_FAILED, message)
    }
}

/// Handler result.
pub type ApiResult<T> = Result<T, ApiError>;

/// The error envelope.
pub fn failure(err: ApiError) -> Response {
    let body = json!({
        "errors": [{"httpcode": err.status.as_u16(), "message": err.message}],
    });
    (err.status, Json(body)).into_response()
}

/// 200 `{"result": ...}`, with an `ETag` when given.
pub fn result<T: Serialize>(value: T, etag: Option<String>) -> Response {
    let mut response = Json(json!({ "result": value })).into_response();
    if let Some(tag) = etag.and_then(|t| HeaderValue::from_str(&t).ok()) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// 204 No Content, for every successful write.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// The vendor's answer to an injected 429 / 500 / 503 fault. A 429 with
/// `Retry-After` is assumed, not documented (docs/vendors/slashid.md, "Transport").
pub(crate) fn fault_response(kind: FaultKind, _rid: &crate::emulator::RequestId) -> Response {
    let (status, message) = match kind {
        FaultKind::TooManyRequests => (StatusCode::TOO_MANY_REQUESTS, "too many requests"),
        FaultKind::ServiceUnavailable => (StatusCode::SERVICE_UNAVAILABLE, "service unavailable"),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal server error"),
    };
    let mut response = failure(ApiError::new(status, message));
    if kind == FaultKind::TooManyRequests {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

/// A JSON request body; a body that does not parse gets the 400 envelope.
pub struct Body<T>(pub T);

#[async_trait]
impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Response;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES)
            .await
            .map_err(|_| {
                failure(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("request body is larger than {MAX_BODY_BYTES} bytes"),
                ))
            })?;
        serde_json::from_slice(&bytes)
            .map(Body)
            .map_err(|e| failure(ApiError::bad_request(format!("invalid request body: {e}"))))
    }
}
