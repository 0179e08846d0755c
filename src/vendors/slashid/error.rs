//! The one error type of the SlashID client.

use crate::http::{HttpError, Response};

/// SlashID's error envelope `{"errors": [{"httpcode", "message"}]}`, with
/// the call it answered. There is no machine error code, so callers branch
/// on the HTTP status (vendors/slashid.md, "Envelope").
#[derive(Debug, thiserror::Error)]
#[error("{method} {path}: SlashID returned HTTP {status}: {message}{}", Response::answer_suffix(.request_id.as_deref(), *.attempts))]
pub struct ApiError {
    pub status: u16,
    pub message: String,
    pub request_id: Option<String>,
    pub method: String,
    pub path: String,
    /// Attempts the HTTP core made (retries of a 5xx or 429 included).
    pub attempts: u32,
}

/// What went wrong talking to SlashID.
#[derive(Debug, thiserror::Error)]
pub enum SlashidError {
    /// SlashID answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The request could not be completed (connection, timeout, decoding).
    #[error(transparent)]
    Http(Box<HttpError>),
}

impl From<HttpError> for SlashidError {
    fn from(err: HttpError) -> Self {
        SlashidError::Http(Box::new(err))
    }
}

impl From<ApiError> for SlashidError {
    fn from(err: ApiError) -> Self {
        SlashidError::Api(Box::new(err))
    }
}

impl SlashidError {
    /// The HTTP status, when SlashID answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            SlashidError::Api(e) => Some(e.status),
            SlashidError::Http(_) => None,
        }
    }

    /// The vendor's message, when SlashID answered.
    pub fn message(&self) -> Option<&str> {
        match self {
            SlashidError::Api(e) => Some(&e.message),
            SlashidError::Http(_) => None,
        }
    }

    /// A real HTTP 404: the role, permission or person does not exist.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// 409: a create of a name that already exists.
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }

    /// 412: the `If-Match` ETag is stale (changed outside Terraform).
    pub fn is_precondition_failed(&self) -> bool {
        self.status() == Some(412)
    }

    /// 401 or 403: a bad key or another organization (not declared on the
    /// RBAC operations; **unverified**).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self.status(), Some(401 | 403))
    }

    /// The write may or may not have been applied: a 408 (consistency not
    /// reached in time, "it may still be handled"), a 5xx, or a connection
    /// lost after sending. Re-read before deciding.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            SlashidError::Http(e) => e.is_ambiguous(),
            SlashidError::Api(e) => e.status == 408 || e.status >= 500,
        }
    }

    /// The vendor's request ID, when the server answered.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SlashidError::Api(e) => e.request_id.as_deref(),
            SlashidError::Http(e) => e.request_id(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slashid_error_classes_by_status() {
        let e = |status| {
            SlashidError::from(ApiError {
                status,
                message: "m".into(),
                request_id: Some("rid".into()),
                method: "GET".into(),
                path: "/rbac/roles/x".into(),
                attempts: 1,
            })
        };
        assert!(e(404).is_not_found());
        assert!(e(409).is_conflict());
        assert!(e(412).is_precondition_failed());
        assert!(e(408).is_ambiguous() && e(502).is_ambiguous() && !e(400).is_ambiguous());
        assert_eq!(
            e(400).to_string(),
            "GET /rbac/roles/x: SlashID returned HTTP 400: m (request ID rid)"
        );
    }
}
