//! The one error type of the Rootly client.

use crate::vendors::error::{FailedCall, VendorAnswer, VendorError};

/// One entry of Rootly's JSON:API `errors` list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ErrorItem {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
}

impl ErrorItem {
    fn message(&self) -> &str {
        self.detail
            .as_deref()
            .filter(|d| !d.is_empty())
            .unwrap_or(&self.title)
    }
}

/// A Rootly error answer (docs/vendors/rootly.md, "Errors"), with the call it
/// answered. Method and path are redacted by the HTTP core.
#[derive(Debug, thiserror::Error)]
#[error("{} {}: Rootly returned HTTP {}: {}{}", call.method, call.path, call.status, messages(errors), call.suffix())]
pub struct ApiError {
    pub errors: Vec<ErrorItem>,
    pub call: FailedCall,
}

fn messages(errors: &[ErrorItem]) -> String {
    if errors.is_empty() {
        return "no error details".into();
    }
    errors
        .iter()
        .map(ErrorItem::message)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Rootly's errors carry no code the classifiers could use: they branch on
/// the status (docs/vendors/rootly.md, "Errors").
impl VendorAnswer for ApiError {
    fn call(&self) -> &FailedCall {
        &self.call
    }
}

/// What went wrong talking to Rootly (see [`VendorError`]).
pub type RootlyError = VendorError<ApiError>;

impl RootlyError {
    /// HTTP 404: the role does not exist (docs/vendors/rootly.md, "Errors").
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// HTTP 401: the API key is missing, invalid or revoked.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// HTTP 422: the server rejected the values sent.
    pub fn is_validation(&self) -> bool {
        self.status() == Some(422)
    }
}
