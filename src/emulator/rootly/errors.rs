//! Rootly's error bodies (docs/vendors/rootly.md, "Errors"): JSON:API
//! `{"errors": [{"title", "status", "code", "detail"}]}`, except the rate
//! limit's `{"error": "Rate limit exceeded. Try again later."}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::emulator::{FaultKind, RequestId};

/// The response header carrying the request ID (Rails' default;
/// **unverified** for Rootly).
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The JSON:API media type Rootly sends and expects.
pub const MEDIA_TYPE: &str = "application/vnd.api+json";

/// One entry of `errors`. `field` names the attribute for validation errors;
/// the detail then starts with it (`"contacts_permissions ..."`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorItem {
    pub title: String,
    pub detail: Option<String>,
    pub field: Option<String>,
}

/// A failed call: status and the `errors` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub errors: Vec<ErrorItem>,
}

/// Handler result.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    fn one(status: StatusCode, title: &str, detail: Option<String>) -> Self {
        ApiError {
            status,
            errors: vec![ErrorItem {
                title: title.into(),
                detail,
                field: None,
            }],
        }
    }

    /// 404 for an unknown ID or slug.
    pub fn not_found() -> Self {
        Self::one(StatusCode::NOT_FOUND, "Record not found", None)
    }

    /// 401 for a missing or wrong token.
    pub fn unauthorized(detail: &str) -> Self {
        Self::one(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            Some(detail.into()),
        )
    }

    /// 400 for a body that is not a JSON:API document.
    pub fn bad_request(detail: String) -> Self {
        Self::one(StatusCode::BAD_REQUEST, "Bad Request", Some(detail))
    }

    /// 415 for a body that is not JSON (**unverified**).
    pub fn unsupported_media_type() -> Self {
        Self::one(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Media Type",
            Some(format!("send Content-Type: {MEDIA_TYPE}")),
        )
    }

    /// A validation error for one attribute (collect them with [`ApiError::unprocessable`]).
    pub fn invalid(field: &str, message: &str) -> ErrorItem {
        ErrorItem {
            title: format!("{field} {message}"),
            detail: Some(format!("{field} {message}")),
            field: Some(field.into()),
        }
    }

    /// 422 with every validation error.
    pub fn unprocessable(errors: Vec<ErrorItem>) -> Self {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors,
        }
    }

    /// The `errors_list` body.
    pub fn body(&self) -> Value {
        let errors: Vec<Value> = self
            .errors
            .iter()
            .map(|e| {
                json!({
                    "title": e.title,
                    "status": self.status.as_u16().to_string(),
                    "code": Value::Null,
                    "detail": e.detail,
                    "source": e.field.as_ref().map(|f| json!({"pointer": format!("/data/attributes/{f}")})),
                })
            })
            .collect();
        json!({ "errors": errors })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        jsonapi(self.status, self.body())
    }
}

/// A JSON:API response.
pub fn jsonapi(status: StatusCode, body: Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE));
    response
}

/// The 429 body: not JSON:API (docs/vendors/rootly.md, "Errors").
pub fn rate_limited() -> Response {
    let body = json!({"error": "Rate limit exceeded. Try again later."});
    (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response()
}

/// The vendor's answer to an injected 429 / 500 / 503 fault.
pub(crate) fn fault_response(kind: FaultKind, _rid: &RequestId) -> Response {
    match kind {
        FaultKind::TooManyRequests => {
            let mut response = rate_limited();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        FaultKind::ServiceUnavailable => {
            ApiError::one(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable", None)
                .into_response()
        }
        _ => ApiError::one(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            None,
        )
        .into_response(),
    }
}
