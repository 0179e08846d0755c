//! The one error type of the ZenML Pro client.
//!
//! ZenML's error bodies are **inferred** (docs/vendors/zenml.md, "Errors"): a ZenML
//! exception `{"detail": ["<ExceptionClassName>", "<message>"]}` (or a plain
//! string), or FastAPI's validation list `{"detail": [{"loc", "msg",
//! "type"}]}`. Anything else is shown as a redacted one-line excerpt.

use serde_json::Value;

use crate::http::Response;
use crate::vendors::error::{FailedCall, VendorAnswer, VendorError};

/// One entry of a FastAPI 422 `detail` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// `loc` joined with dots, e.g. `body.name`.
    pub loc: String,
    /// The last element of `loc` (the field name), e.g. `name`.
    pub field: String,
    pub msg: String,
}

/// An HTTP error response from ZenML Pro, with the call it answered
/// (method and path only: never a token).
#[derive(Debug, thiserror::Error)]
#[error(
    "{}{} {}: ZenML Pro returned HTTP {}: {}{}",
    if *login { LOGIN_FAILED } else { "" },
    call.method,
    call.path,
    call.status,
    self.describe(),
    call.suffix()
)]
pub struct ApiError {
    /// The answer to the token exchange (`POST /auth/login`), not to the
    /// call: the API key is wrong, revoked or expired. It says nothing about
    /// the object the call was about, so it is never classified (no status
    /// to branch on: not "not found", not ambiguous).
    pub login: bool,
    /// The ZenML exception class, e.g. `IllegalOperationError`.
    pub exception: Option<String>,
    pub message: String,
    /// FastAPI's validation errors (HTTP 422).
    pub fields: Vec<FieldError>,
    pub call: FailedCall,
}

/// What a failed token exchange adds before the login's answer.
const LOGIN_FAILED: &str = "could not log in to ZenML Pro with the service-account API key (set \
                            `api_key` in the provider's `zenml` block or ZENML_PRO_API_KEY): ";

impl ApiError {
    fn describe(&self) -> String {
        match (&self.exception, self.fields.is_empty()) {
            (_, false) => {
                let parts: Vec<String> = self
                    .fields
                    .iter()
                    .map(|f| format!("{}: {}", f.loc, f.msg))
                    .collect();
                format!("request validation failed: {}", parts.join("; "))
            }
            (Some(exception), true) => format!("{exception}: {}", self.message),
            (None, true) => self.message.clone(),
        }
    }

    /// Decodes a non-2xx response.
    pub fn from_response(response: &Response) -> ApiError {
        let mut err = ApiError {
            login: false,
            exception: None,
            message: String::new(),
            fields: Vec::new(),
            call: FailedCall::of(response),
        };
        let detail = serde_json::from_slice::<Value>(&response.body)
            .ok()
            .and_then(|v| v.get("detail").cloned());
        match detail {
            Some(Value::String(s)) => err.message = s,
            Some(Value::Array(items))
                if items.iter().all(Value::is_object) && !items.is_empty() =>
            {
                err.fields = items.iter().map(field_error).collect();
                err.message = "request validation failed".into();
            }
            Some(Value::Array(items)) if !items.is_empty() => {
                let text: Vec<String> = items.iter().map(plain).collect();
                if items.len() >= 2 {
                    err.exception = Some(text[0].clone());
                    err.message = text[1..].join(" ");
                } else {
                    err.message = text[0].clone();
                }
            }
            Some(other) if !other.is_null() => err.message = plain(&other),
            _ => err.message = response.body_excerpt(),
        }
        // The body is vendor text: scrub it like everything else we print.
        err.message = response.redact(&err.message);
        for f in &mut err.fields {
            f.msg = response.redact(&f.msg);
        }
        err
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn field_error(v: &Value) -> FieldError {
    let loc: Vec<String> = v
        .get("loc")
        .and_then(Value::as_array)
        .map(|l| l.iter().map(plain).collect())
        .unwrap_or_default();
    FieldError {
        field: loc.last().cloned().unwrap_or_default(),
        loc: loc.join("."),
        msg: v.get("msg").map(plain).unwrap_or_default(),
    }
}

impl VendorAnswer for ApiError {
    fn call(&self) -> &FailedCall {
        &self.call
    }

    /// None for a failed login: it is not about the call's object.
    fn status(&self) -> Option<u16> {
        (!self.login).then_some(self.call.status)
    }
}

/// What went wrong talking to ZenML Pro (see [`VendorError`]). A failed
/// login is an [`ApiError`] with `login` set.
pub type ZenmlError = VendorError<ApiError>;

impl ZenmlError {
    /// The API error, if ZenML answered the call (not for login failures).
    pub fn api(&self) -> Option<&ApiError> {
        self.answer().filter(|e| !e.login)
    }

    /// 404: the role (or assignment) does not exist
    /// (docs/vendors/zenml.md, "Errors": `KeyError`/`DoesNotExist`, **unverified**).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// 409 `EntityExistsError`.
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }

    /// `IllegalOperationError` (HTTP 403 in ZenML's status map).
    pub fn is_illegal_operation(&self) -> bool {
        self.api()
            .is_some_and(|e| e.exception.as_deref() == Some("IllegalOperationError"))
    }

    /// FastAPI's validation errors, if any.
    pub fn field_errors(&self) -> &[FieldError] {
        self.api().map(|e| e.fields.as_slice()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    fn decode(status: u16, body: &str) -> ApiError {
        let r = Response::from_parts("POST", "/roles", status, HeaderMap::new(), body.to_string());
        ApiError::from_response(&r)
    }

    #[test]
    fn zenml_exception_detail_becomes_name_and_message() {
        let e = decode(
            403,
            r#"{"detail": ["IllegalOperationError", "Custom roles cannot be organization roles."]}"#,
        );
        assert_eq!(e.exception.as_deref(), Some("IllegalOperationError"));
        assert_eq!(
            e.to_string(),
            "POST /roles: ZenML Pro returned HTTP 403: IllegalOperationError: Custom roles cannot be organization roles."
        );
        assert!(ZenmlError::from(e).is_illegal_operation());
    }

    #[test]
    fn fastapi_validation_list_names_fields() {
        let e = decode(
            422,
            r#"{"detail": [{"type": "string_too_long", "loc": ["body", "name"], "msg": "String should have at most 50 characters", "input": "x"}]}"#,
        );
        assert_eq!(e.fields[0].field, "name");
        assert!(
            e.to_string().contains(
                "request validation failed: body.name: String should have at most 50 characters"
            ),
            "{e}"
        );
    }

    #[test]
    fn a_failed_login_says_so_and_is_never_classified() {
        let login = ApiError {
            login: true,
            ..decode(404, r#"{"detail": "Not Found"}"#)
        };
        assert_eq!(
            login.to_string(),
            "could not log in to ZenML Pro with the service-account API key (set `api_key` in the \
             provider's `zenml` block or ZENML_PRO_API_KEY): POST /roles: ZenML Pro returned HTTP \
             404: Not Found"
        );
        let login = ZenmlError::from(ApiError {
            login: true,
            ..decode(503, "")
        });
        assert!(login.api().is_none() && login.status().is_none());
        assert!(!login.is_not_found() && !login.is_ambiguous());
    }

    #[test]
    fn plain_and_odd_bodies_are_readable() {
        assert_eq!(
            decode(404, r#"{"detail": "Not Found"}"#).message,
            "Not Found"
        );
        assert!(decode(502, "<html>bad gateway</html>")
            .message
            .contains("bad gateway"));
        assert_eq!(decode(500, "").message, "empty body");
        let e = decode(401, r#"{"detail": "bad token access_token=abc"}"#);
        assert!(!e.message.contains("abc"), "{}", e.message);
    }
}
