//! The one error type of the Flashduty client.

use crate::http::{HttpError, Response};

/// Flashduty's error envelope, with the call it answered. The code is
/// authoritative (vendors/flashduty.md "Error codes"); method and path are
/// redacted (no query, so never the app_key).
#[derive(Debug, thiserror::Error)]
#[error("{method} {path}: Flashduty returned {code} (HTTP {status}): {message}{}", Response::answer_suffix(.request_id.as_deref(), *.attempts))]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    pub method: String,
    pub path: String,
    /// Attempts the HTTP core made (retries of a 5xx or 429 included).
    pub attempts: u32,
}

/// What went wrong talking to Flashduty.
#[derive(Debug, thiserror::Error)]
pub enum FlashdutyError {
    /// Flashduty answered with its error envelope.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The request could not be completed (connection, timeout, decoding).
    #[error(transparent)]
    Http(Box<HttpError>),
    /// A create whose answer was lost and whose lookup kept failing: the
    /// object may exist (see [`crate::vendors::create::unsettled_message`]).
    #[error("{}", crate::vendors::create::unsettled_message(what, create, lookup))]
    Unsettled {
        what: String,
        create: Box<FlashdutyError>,
        lookup: Box<FlashdutyError>,
    },
}

impl From<HttpError> for FlashdutyError {
    fn from(err: HttpError) -> Self {
        FlashdutyError::Http(Box::new(err))
    }
}

impl From<ApiError> for FlashdutyError {
    fn from(err: ApiError) -> Self {
        FlashdutyError::Api(Box::new(err))
    }
}

impl FlashdutyError {
    /// The vendor's error code, e.g. `ResourceNotFound`.
    pub fn code(&self) -> Option<&str> {
        match self {
            FlashdutyError::Api(e) => Some(&e.code),
            FlashdutyError::Http(_) => None,
            FlashdutyError::Unsettled { .. } => None,
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
            FlashdutyError::Api(e) => e.status >= 500,
            FlashdutyError::Unsettled { .. } => false,
        }
    }

    /// The vendor's request ID, when the server answered.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            FlashdutyError::Api(e) => e.request_id.as_deref(),
            FlashdutyError::Http(e) => e.request_id(),
            FlashdutyError::Unsettled { lookup, .. } => lookup.request_id(),
        }
    }
}

impl crate::vendors::create::OutcomeUnknown for FlashdutyError {
    fn unsettled(what: &str, create: Self, lookup: Self) -> Self {
        FlashdutyError::Unsettled {
            what: what.to_string(),
            create: Box::new(create),
            lookup: Box::new(lookup),
        }
    }

    fn is_ambiguous(&self) -> bool {
        FlashdutyError::is_ambiguous(self)
    }
}
