//! The one error type of the Flashduty client.

use crate::vendors::error::{FailedCall, VendorAnswer, VendorError};

/// Flashduty's error envelope, with the call it answered. The code is
/// authoritative (docs/vendors/flashduty.md, "Errors"); method and path are
/// redacted (no query, so never the app_key).
#[derive(Debug, thiserror::Error)]
#[error("{} {}: Flashduty returned {code} (HTTP {}): {message}{}", call.method, call.path, call.status, call.suffix())]
pub struct ApiError {
    pub code: String,
    pub message: String,
    /// The request ID is the envelope's, else the header's.
    pub call: FailedCall,
}

/// The status is only informational to Flashduty (docs/vendors/flashduty.md,
/// "Errors"), so the classifiers below branch on the code; the status
/// serves the shared 5xx "may have been applied" rule.
impl VendorAnswer for ApiError {
    fn call(&self) -> &FailedCall {
        &self.call
    }
}

/// What went wrong talking to Flashduty (see [`VendorError`]).
pub type FlashdutyError = VendorError<ApiError>;

impl FlashdutyError {
    /// The vendor's error code, e.g. `ResourceNotFound`.
    pub fn code(&self) -> Option<&str> {
        self.answer().map(|e| e.code.as_str())
    }

    /// Flashduty signals a missing entity with HTTP 400 and the code
    /// `ResourceNotFound`, never with a 404 (docs/vendors/flashduty.md,
    /// "Errors": a 404 only means a wrong path).
    pub fn is_not_found(&self) -> bool {
        self.code() == Some("ResourceNotFound")
    }

    /// The app_key is missing, invalid or expired.
    pub fn is_unauthorized(&self) -> bool {
        self.code() == Some("Unauthorized")
    }
}
