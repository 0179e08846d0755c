//! ZenML's error bodies (docs/vendors/zenml.md, "Errors", **inferred**: the Pro
//! API's error shapes are not documented):
//!
//! * ZenML exceptions: `{"detail": ["<ExceptionClassName>", "<message>"]}`,
//!   with the open-source server's status map (403 `IllegalOperationError`,
//!   404 `KeyError`, 409 `EntityExistsError`, 401 `AuthorizationException`,
//!   400 `ValueError`);
//! * FastAPI request validation: 422 `{"detail": [{"type", "loc", "msg",
//!   "input", "ctx"?}]}` (pydantic v2 wording);
//! * FastAPI's own: `{"detail": "Not Found"}` and friends.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::emulator::{FaultKind, RequestId};

/// The response header carrying the request ID (**unverified**: ZenML
/// documents none; this is the common `X-Request-Id`).
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// A failed call: status and the whole JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: Value,
}

/// Handler result.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// A ZenML exception: `{"detail": [exception, message]}`.
    pub fn exception(status: StatusCode, exception: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: json!({"detail": [exception, message.into()]}),
        }
    }

    /// 403 `IllegalOperationError`.
    pub fn illegal(message: impl Into<String>) -> Self {
        Self::exception(StatusCode::FORBIDDEN, "IllegalOperationError", message)
    }

    /// 404 `KeyError`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::exception(StatusCode::NOT_FOUND, "KeyError", message)
    }

    /// 409 `EntityExistsError`.
    pub fn exists(message: impl Into<String>) -> Self {
        Self::exception(StatusCode::CONFLICT, "EntityExistsError", message)
    }

    /// 400 `ValueError`.
    pub fn value_error(message: impl Into<String>) -> Self {
        Self::exception(StatusCode::BAD_REQUEST, "ValueError", message)
    }

    /// 401 `AuthorizationException`.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::exception(StatusCode::UNAUTHORIZED, "AuthorizationException", message)
    }

    /// 422 with FastAPI's validation list.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail: Vec<Value> = errors.into_iter().map(FieldError::into_json).collect();
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: json!({ "detail": detail }),
        }
    }

    /// FastAPI's plain `{"detail": "..."}`.
    pub fn plain(status: StatusCode, detail: &str) -> Self {
        ApiError {
            status,
            body: json!({ "detail": detail }),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let unauthorized = self.status == StatusCode::UNAUTHORIZED;
        let mut response = (self.status, Json(self.body)).into_response();
        if unauthorized {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// One entry of a FastAPI 422 `detail` list.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// `["body", "name"]`, `["path", "role_id"]`, `["query", "level"]`.
    pub loc: Vec<String>,
    /// pydantic's error type, e.g. `string_too_long`.
    pub kind: &'static str,
    pub msg: String,
    pub input: Value,
    pub ctx: Option<Value>,
}

impl FieldError {
    pub fn new(loc: &[&str], kind: &'static str, msg: impl Into<String>, input: Value) -> Self {
        FieldError {
            loc: loc.iter().map(|s| s.to_string()).collect(),
            kind,
            msg: msg.into(),
            input,
            ctx: None,
        }
    }

    pub fn with_ctx(mut self, ctx: Value) -> Self {
        self.ctx = Some(ctx);
        self
    }

    fn into_json(self) -> Value {
        let mut v = json!({
            "type": self.kind,
            "loc": self.loc,
            "msg": self.msg,
            "input": self.input,
        });
        if let Some(ctx) = self.ctx {
            v["ctx"] = ctx;
        }
        v
    }
}

/// The vendor's answer to an injected 429 / 500 / 503 fault.
pub(crate) fn fault_response(kind: FaultKind, _rid: &RequestId) -> Response {
    match kind {
        FaultKind::TooManyRequests => {
            let mut r =
                ApiError::plain(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            r
        }
        FaultKind::ServiceUnavailable => {
            ApiError::plain(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response()
        }
        _ => ApiError::exception(
            StatusCode::INTERNAL_SERVER_ERROR,
            "RuntimeError",
            "internal server error",
        )
        .into_response(),
    }
}
