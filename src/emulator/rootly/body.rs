//! JSON:API request and response bodies shared by the on-call role and
//! user routes (docs/vendors/rootly.md, "Transport").

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value};

use super::errors::{jsonapi, ApiError, ApiResult, MEDIA_TYPE};

pub(super) fn reply(status: StatusCode, result: ApiResult<Value>) -> Response {
    match result {
        Ok(body) => jsonapi(status, body),
        Err(e) => e.into(),
    }
}

impl From<ApiError> for Response {
    fn from(e: ApiError) -> Response {
        axum::response::IntoResponse::into_response(e)
    }
}

/// `data` of a JSON:API request document: 415 for another media type, 400
/// for a body that is not JSON or has no `data` object.
pub(super) fn data_object(headers: &HeaderMap, body: &[u8]) -> ApiResult<Map<String, Value>> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    // Plain JSON is accepted too (**unverified**; Rootly documents only the JSON:API type).
    if !matches!(
        content_type.as_deref(),
        Some(MEDIA_TYPE | "application/json")
    ) {
        return Err(ApiError::unsupported_media_type());
    }
    let doc: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the body is not JSON: {e}")))?;
    doc.get("data")
        .and_then(Value::as_object)
        .cloned()
        .ok_or_else(|| ApiError::bad_request("param is missing or the value is empty: data".into()))
}
