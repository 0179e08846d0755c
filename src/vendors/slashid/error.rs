//! The one error type of the SlashID client.

use crate::vendors::error::{FailedCall, VendorAnswer, VendorError};

/// SlashID's error envelope `{"errors": [{"httpcode", "message"}]}`, with
/// the call it answered. There is no machine error code, so callers branch
/// on the HTTP status (docs/vendors/slashid.md, "Envelope").
#[derive(Debug, thiserror::Error)]
#[error("{} {}: SlashID returned HTTP {}: {message}{}", call.method, call.path, call.status, call.suffix())]
pub struct ApiError {
    pub message: String,
    pub call: FailedCall,
}

/// SlashID has no machine error code: the classifiers branch on the status
/// (docs/vendors/slashid.md, "Envelope").
impl VendorAnswer for ApiError {
    fn call(&self) -> &FailedCall {
        &self.call
    }

    /// A 408 too: consistency was not reached in time and "it may still be
    /// handled" (docs/vendors/slashid.md, "Behaviour the provider depends on").
    fn is_ambiguous(&self) -> bool {
        self.call.status == 408 || self.call.status >= 500
    }
}

/// What went wrong talking to SlashID (see [`VendorError`]).
///
/// SlashID never builds [`VendorError::Unsettled`]: a create whose outcome
/// is unknown is sent again until SlashID confirms or refuses it, since
/// role and permission names are unique and a 409 on a later send means an
/// earlier one landed (`api/settle.rs`); when every send's outcome stays
/// unknown, [`super::written::created`] keeps the object pending and
/// says so with the last error. The variant
/// comes with the shared type and no SlashID code matches on it; a SlashID
/// error type of its own would repeat the rest of [`VendorError`] to leave
/// out one variant.
pub type SlashidError = VendorError<ApiError>;

impl SlashidError {
    /// The vendor's message, when SlashID answered.
    pub fn message(&self) -> Option<&str> {
        self.answer().map(|e| e.message.as_str())
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slashid_error_classes_by_status() {
        let e = |status| {
            SlashidError::from(ApiError {
                message: "m".into(),
                call: FailedCall {
                    method: "GET".into(),
                    path: "/rbac/roles/x".into(),
                    status,
                    request_id: Some("rid".into()),
                    attempts: 1,
                },
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
