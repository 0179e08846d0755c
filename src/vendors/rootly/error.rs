//! The one error type of the Rootly client.

use crate::http::{HttpError, Response};

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

/// A Rootly error answer (vendors/rootly.md "Errors"), with the call it
/// answered. Method and path are redacted by the HTTP core.
#[derive(Debug, thiserror::Error)]
#[error("{method} {path}: Rootly returned HTTP {status}: {}{}", messages(.errors), Response::answer_suffix(.request_id.as_deref(), *.attempts))]
pub struct ApiError {
    pub status: u16,
    pub errors: Vec<ErrorItem>,
    pub request_id: Option<String>,
    pub method: String,
    pub path: String,
    /// Attempts the HTTP core made (retries of a 5xx or 429 included).
    pub attempts: u32,
}

/// What went wrong talking to Rootly.
#[derive(Debug, thiserror::Error)]
pub enum RootlyError {
    /// Rootly answered with an error status.
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
        create: Box<RootlyError>,
        lookup: Box<RootlyError>,
    },
}

impl From<HttpError> for RootlyError {
    fn from(err: HttpError) -> Self {
        RootlyError::Http(Box::new(err))
    }
}

impl From<ApiError> for RootlyError {
    fn from(err: ApiError) -> Self {
        RootlyError::Api(Box::new(err))
    }
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

impl RootlyError {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            RootlyError::Api(e) => Some(e.status),
            RootlyError::Http(_) | RootlyError::Unsettled { .. } => None,
        }
    }

    /// HTTP 404: the role does not exist (vendors/rootly.md "Errors").
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

    /// The server may or may not have applied the request.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            RootlyError::Http(e) => e.is_ambiguous(),
            RootlyError::Api(e) => e.status >= 500,
            RootlyError::Unsettled { .. } => false,
        }
    }
}

impl crate::vendors::create::OutcomeUnknown for RootlyError {
    fn unsettled(what: &str, create: Self, lookup: Self) -> Self {
        RootlyError::Unsettled {
            what: what.to_string(),
            create: Box::new(create),
            lookup: Box::new(lookup),
        }
    }

    fn is_ambiguous(&self) -> bool {
        RootlyError::is_ambiguous(self)
    }
}
