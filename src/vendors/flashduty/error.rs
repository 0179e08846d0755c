//! The one error type of the Flashduty client.

use crate::http::HttpError;

/// What went wrong talking to Flashduty. API errors carry the vendor's code
/// (authoritative, per vendors/flashduty.md "Error codes"), message and
/// request ID, and the redacted method and path of the call.
#[derive(Debug, thiserror::Error)]
pub enum FlashdutyError {
    /// Flashduty answered with its error envelope.
    #[error("{method} {path}: Flashduty returned {code} (HTTP {status}): {message}{}", request_id_suffix(.request_id))]
    Api {
        status: u16,
        code: String,
        message: String,
        request_id: Option<String>,
        method: String,
        path: String,
    },
    /// The request could not be completed (connection, timeout, decoding).
    #[error(transparent)]
    Http(#[from] HttpError),
}

fn request_id_suffix(request_id: &Option<String>) -> String {
    match request_id {
        Some(id) => format!(" (request ID {id})"),
        None => String::new(),
    }
}

impl FlashdutyError {
    /// The vendor's error code, e.g. `ResourceNotFound`.
    pub fn code(&self) -> Option<&str> {
        match self {
            FlashdutyError::Api { code, .. } => Some(code),
            FlashdutyError::Http(_) => None,
        }
    }

    /// Flashduty signals a missing entity with HTTP 400 and the code
    /// `ResourceNotFound`, never with a 404 (vendors/flashduty.md
    /// "Semantics": a 404 only means a wrong path).
    pub fn is_not_found(&self) -> bool {
        self.code() == Some("ResourceNotFound")
    }

    /// The app_key is missing, invalid or expired.
    pub fn is_unauthorized(&self) -> bool {
        self.code() == Some("Unauthorized")
    }

    /// The server may or may not have applied the request (connection lost
    /// after sending, or a 5xx): a create must be reconciled, not repeated.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            FlashdutyError::Http(e) => e.is_ambiguous(),
            FlashdutyError::Api { status, .. } => *status >= 500,
        }
    }

    /// The vendor's request ID, when the server answered.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            FlashdutyError::Api { request_id, .. } => request_id.as_deref(),
            FlashdutyError::Http(_) => None,
        }
    }
}
