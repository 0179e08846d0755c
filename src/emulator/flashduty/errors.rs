//! Flashduty's response envelope (docs/vendors/flashduty.md,
//! "Transport"): `{"request_id", "data"}` on success, `{"request_id", "error":
//! {"code", "message"}}` on failure, and the request ID again in the
//! `Flashcat-Request-Id` header.

use axum::async_trait;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

use crate::emulator::{FaultKind, RequestId};

/// The response header carrying the request ID.
pub const REQUEST_ID_HEADER: &str = "flashcat-request-id";

/// Largest request body accepted (**unverified**: the vendor documents
/// `EntityTooLarge` but not the size).
const MAX_BODY_BYTES: usize = 1 << 20;

/// The error codes the emulator sends (a subset of the spec's `ErrorCode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ErrorCode {
    /// 400: missing or invalid parameter.
    InvalidParameter,
    /// 400: Content-Type is not JSON.
    InvalidContentType,
    /// 400 (not 404): the referenced entity does not exist.
    ResourceNotFound,
    /// 401: app_key missing or invalid.
    Unauthorized,
    /// 404: unknown path.
    RouteNotFound,
    /// 405: wrong method on a known path.
    MethodNotAllowed,
    /// 413: body too large.
    EntityTooLarge,
    /// 429: rate limited.
    RequestTooFrequently,
    /// 500: server error.
    InternalError,
    /// 503: backend unavailable.
    ServiceUnavailable,
}

impl ErrorCode {
    /// The HTTP status the vendor pairs with the code.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::InvalidParameter
            | ErrorCode::InvalidContentType
            | ErrorCode::ResourceNotFound => StatusCode::BAD_REQUEST,
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::RouteNotFound => StatusCode::NOT_FOUND,
            // The spec says 405; the docs page rate-limits.mdx says 400. We follow the spec.
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::EntityTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::RequestTooFrequently => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// A failed call: code plus human-readable message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The `error.code` field.
    pub code: ErrorCode,
    /// The `error.message` field.
    pub message: String,
}

impl ApiError {
    /// An error with this code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// 400 `InvalidParameter`.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidParameter, message)
    }

    /// 400 `ResourceNotFound`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::ResourceNotFound, message)
    }
}

/// Handler result: `data` or an error.
pub type ApiResult<T> = Result<T, ApiError>;

/// The success envelope.
pub fn success<T: Serialize>(rid: &RequestId, data: T) -> Response {
    Json(json!({"request_id": rid.as_str(), "data": data})).into_response()
}

/// The failure envelope, with the code's HTTP status.
pub fn failure(rid: &RequestId, err: ApiError) -> Response {
    let body = json!({
        "request_id": rid.as_str(),
        "error": {"code": err.code, "message": err.message},
    });
    (err.code.status(), Json(body)).into_response()
}

/// The envelope for a handler result.
pub fn reply<T: Serialize>(rid: &RequestId, result: ApiResult<T>) -> Response {
    match result {
        Ok(data) => success(rid, data),
        Err(e) => failure(rid, e),
    }
}

/// The vendor's answer to an injected 429 / 500 / 503 fault.
pub(crate) fn fault_response(kind: FaultKind, rid: &RequestId) -> Response {
    let (code, message) = match kind {
        FaultKind::TooManyRequests => (
            ErrorCode::RequestTooFrequently,
            "request too frequently, please try again later",
        ),
        FaultKind::ServiceUnavailable => (
            ErrorCode::ServiceUnavailable,
            "service temporarily unavailable, please try again later",
        ),
        _ => (
            ErrorCode::InternalError,
            "internal server error, please contact support with the request_id",
        ),
    };
    let mut response = failure(rid, ApiError::new(code, message));
    if kind == FaultKind::TooManyRequests {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

/// A parsed Flashduty call: the request ID and the JSON body. Rejections
/// are already enveloped: a non-JSON Content-Type gives
/// `InvalidContentType`, a body that does not parse gives `InvalidParameter`.
pub struct ParsedRequest<T> {
    /// This request's ID.
    pub rid: RequestId,
    /// The parsed body.
    pub body: T,
}

#[async_trait]
impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ParsedRequest<T> {
    type Rejection = Response;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let rid = req
            .extensions()
            .get::<RequestId>()
            .cloned()
            .unwrap_or_else(RequestId::generate);
        if !is_json(req.headers().get(header::CONTENT_TYPE)) {
            let err = ApiError::new(
                ErrorCode::InvalidContentType,
                "Content-Type must be application/json",
            );
            return Err(failure(&rid, err));
        }
        let bytes = match axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES).await {
            Ok(b) => b,
            Err(_) => {
                let msg = format!("request body is larger than {MAX_BODY_BYTES} bytes");
                return Err(failure(&rid, ApiError::new(ErrorCode::EntityTooLarge, msg)));
            }
        };
        match serde_json::from_slice(&bytes) {
            Ok(body) => Ok(ParsedRequest { rid, body }),
            Err(_) if bytes.iter().all(u8::is_ascii_whitespace) => {
                let msg = "request body is empty: send a JSON object, e.g. {}";
                Err(failure(&rid, ApiError::invalid(msg)))
            }
            Err(e) => Err(failure(
                &rid,
                ApiError::invalid(format!("invalid request body: {e}")),
            )),
        }
    }
}

/// `application/json`, with or without parameters such as `charset`.
fn is_json(value: Option<&HeaderValue>) -> bool {
    value
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flashduty_content_type_accepts_charset() {
        let ok = HeaderValue::from_static("application/json; charset=utf-8");
        assert!(is_json(Some(&ok)));
        assert!(!is_json(Some(&HeaderValue::from_static("text/plain"))));
        assert!(!is_json(None));
    }
}
