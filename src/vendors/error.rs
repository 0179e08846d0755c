//! The one error shape of every vendor client: the vendor answered with an
//! error, the request could not be completed, or a create's outcome stayed
//! unknown.
//!
//! Only the answer differs between vendors (its envelope, decoding, text and
//! what its status means), so it is the type parameter. Each vendor's
//! `error.rs` holds its `ApiError`, the classifiers its reference documents
//! (`is_not_found`, `is_conflict`...) as an inherent
//! `impl VendorError<ApiError>`, and the alias its code uses
//! (`pub type FlashdutyError = VendorError<ApiError>;`).

use crate::http::{HttpError, Response};
use crate::vendors::lost_create::create::{unsettled_message, OutcomeUnknown};

/// The call a vendor's error answer answered, and how: the part of every
/// vendor's `ApiError` that is not the vendor's envelope. Method and path
/// are redacted by the HTTP core (no query, so never a key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedCall {
    pub method: String,
    pub path: String,
    pub status: u16,
    /// The vendor's request ID (its response header, or its envelope's).
    pub request_id: Option<String>,
    /// Attempts the HTTP core made (retries of a 5xx or 429 included).
    pub attempts: u32,
}

impl FailedCall {
    /// The call `response` answered.
    pub fn of(response: &Response) -> FailedCall {
        FailedCall {
            method: response.method.clone(),
            path: response.path.clone(),
            status: response.status,
            request_id: response.request_id.clone(),
            attempts: response.attempts,
        }
    }

    /// What follows the vendor's message: ` (request ID r-9, after 4
    /// attempts)`, or nothing (see [`Response::answer_suffix`]).
    pub fn suffix(&self) -> String {
        Response::answer_suffix(self.request_id.as_deref(), self.attempts)
    }
}

/// A vendor's error answer: its envelope, with the [`FailedCall`] it answered.
pub trait VendorAnswer: std::error::Error + 'static {
    /// The call answered.
    fn call(&self) -> &FailedCall;

    /// The HTTP status the classifiers branch on; `None` for an answer that
    /// says nothing about the object asked for (ZenML's failed login).
    fn status(&self) -> Option<u16> {
        Some(self.call().status)
    }

    /// The server may or may not have applied the request. A 5xx by
    /// default; a vendor whose reference names another status overrides it
    /// (SlashID's 408).
    fn is_ambiguous(&self) -> bool {
        self.status().is_some_and(|status| status >= 500)
    }
}

/// What went wrong talking to a vendor whose error answer is `A`.
#[derive(Debug, thiserror::Error)]
pub enum VendorError<A: VendorAnswer> {
    /// The vendor answered with its error envelope.
    #[error(transparent)]
    Api(Box<A>),
    /// The request could not be completed (connection, timeout, decoding).
    #[error(transparent)]
    Http(Box<HttpError>),
    /// A create whose answer was lost and whose lookup kept failing: the
    /// object may exist (see [`unsettled_message`]). Built only by
    /// [`crate::vendors::lost_create::create::reconcile_create`].
    #[error("{}", unsettled_message(what, create, lookup))]
    Unsettled {
        what: String,
        create: Box<Self>,
        lookup: Box<Self>,
    },
    /// A create whose answer was lost (`create`), looked up afterwards and
    /// not found, and not sent again: its attempts or its time were up.
    /// Built only by [`crate::vendors::lost_create::create::reconcile_create`].
    #[error("looked up after its answer was lost, {what:?} was not found, and the create was not sent again: {create}")]
    NotResent { what: String, create: Box<Self> },
    /// A create whose answer was lost (`create`), whose lookup found the
    /// object of that name, `id`, there before it: the vendor refused the
    /// create. Built only by [`crate::vendors::lost_create::create::reconcile_create`].
    #[error("the answer to the create of {what:?} was lost, and the object of that name ({id}) was there before the create, so the vendor refused it: {create}")]
    TakenBefore {
        what: String,
        id: String,
        create: Box<Self>,
    },
    /// A create whose answer was lost (`create`), whose lookup found an
    /// object of that name that it cannot tell from someone else's.
    /// Built only by [`crate::vendors::lost_create::create::reconcile_create`].
    #[error("the answer to the create of {what:?} was lost, and the object of that name found afterwards cannot be told from someone else's (other content, or made by another client moments before), so it is not recorded. Check it in the vendor's console: if it is this configuration's, import it (terraform import <resource address> <ID>); if not, choose another name. ({create})")]
    CannotTell { what: String, create: Box<Self> },
}

impl<A: VendorAnswer> From<HttpError> for VendorError<A> {
    fn from(err: HttpError) -> Self {
        VendorError::Http(Box::new(err))
    }
}

impl<A: VendorAnswer> From<A> for VendorError<A> {
    fn from(err: A) -> Self {
        VendorError::Api(Box::new(err))
    }
}

impl<A: VendorAnswer> VendorError<A> {
    /// The vendor's error answer, when it answered.
    pub fn answer(&self) -> Option<&A> {
        match self {
            VendorError::Api(e) => Some(e),
            VendorError::Http(_)
            | VendorError::Unsettled { .. }
            | VendorError::NotResent { .. }
            | VendorError::TakenBefore { .. }
            | VendorError::CannotTell { .. } => None,
        }
    }

    /// The HTTP status of the vendor's answer, when it answered (see
    /// [`VendorAnswer::status`]).
    pub fn status(&self) -> Option<u16> {
        self.answer().and_then(VendorAnswer::status)
    }

    /// The server may or may not have applied the request (connection lost
    /// after sending, or an ambiguous answer): a create must be reconciled,
    /// not repeated. An unsettled create has been reconciled already.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            VendorError::Http(e) => e.is_ambiguous(),
            VendorError::Api(e) => e.is_ambiguous(),
            VendorError::Unsettled { .. }
            | VendorError::NotResent { .. }
            | VendorError::TakenBefore { .. }
            | VendorError::CannotTell { .. } => false,
        }
    }

    /// The ID of the object that held the name before a lost create (see
    /// [`VendorError::TakenBefore`]).
    pub fn taken_before(&self) -> Option<&str> {
        match self {
            VendorError::TakenBefore { id, .. } => Some(id),
            _ => None,
        }
    }

    /// The vendor's request ID, when the server answered; for an unsettled
    /// create, the last lookup's.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            VendorError::Api(e) => e.call().request_id.as_deref(),
            VendorError::Http(e) => e.request_id(),
            VendorError::Unsettled { lookup, .. } => lookup.request_id(),
            VendorError::NotResent { create, .. }
            | VendorError::TakenBefore { create, .. }
            | VendorError::CannotTell { create, .. } => create.request_id(),
        }
    }
}

impl<A: VendorAnswer> OutcomeUnknown for VendorError<A> {
    fn unsettled(what: &str, create: Self, lookup: Self) -> Self {
        VendorError::Unsettled {
            what: what.to_string(),
            create: Box::new(create),
            lookup: Box::new(lookup),
        }
    }

    fn is_ambiguous(&self) -> bool {
        VendorError::is_ambiguous(self)
    }

    fn not_resent(what: &str, create: Self) -> Self {
        VendorError::NotResent {
            what: what.to_string(),
            create: Box::new(create),
        }
    }

    fn taken_before(what: &str, create: Self, id: String) -> Self {
        VendorError::TakenBefore {
            what: what.to_string(),
            id,
            create: Box::new(create),
        }
    }

    fn cannot_tell(what: &str, create: Self) -> Self {
        VendorError::CannotTell {
            what: what.to_string(),
            create: Box::new(create),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An answer with no envelope at all.
    #[derive(Debug, thiserror::Error)]
    #[error("HTTP {}{}", call.status, call.suffix())]
    struct Answer {
        call: FailedCall,
    }

    impl VendorAnswer for Answer {
        fn call(&self) -> &FailedCall {
            &self.call
        }
    }

    fn api(status: u16, request_id: Option<&str>) -> VendorError<Answer> {
        let call = FailedCall {
            method: "POST".into(),
            path: "/roles".into(),
            status,
            request_id: request_id.map(String::from),
            attempts: 1,
        };
        Answer { call }.into()
    }

    fn transport(ambiguous: bool) -> VendorError<Answer> {
        HttpError::Transport {
            method: "POST".into(),
            path: "https://vendor.example:443/roles".into(),
            message: "connection reset".into(),
            attempts: 1,
            ambiguous,
            timed_out: false,
        }
        .into()
    }

    fn garbled(request_id: &str) -> VendorError<Answer> {
        HttpError::Decode {
            method: "GET".into(),
            path: "https://vendor.example:443/roles".into(),
            status: 200,
            request_id: Some(request_id.into()),
            message: "expected value".into(),
            excerpt: "<html>".into(),
            attempts: 1,
        }
        .into()
    }

    #[test]
    fn api_http_and_unsettled_are_classified() {
        assert_eq!(api(404, None).status(), Some(404));
        assert_eq!(api(404, None).answer().map(|a| a.call.status), Some(404));
        assert!(transport(true).answer().is_none());
        assert!(api(502, None).is_ambiguous() && !api(409, None).is_ambiguous());
        assert_eq!(transport(true).status(), None);
        assert!(transport(true).is_ambiguous() && !transport(false).is_ambiguous());
        let unsettled = VendorError::unsettled("admins", transport(true), api(503, Some("r-1")));
        assert_eq!(unsettled.status(), None);
        // Reconciled already: never sent again as if its outcome were open.
        assert!(!unsettled.is_ambiguous());
        assert!(!OutcomeUnknown::is_ambiguous(&unsettled));
    }

    #[test]
    fn request_id_is_the_answers_and_for_unsettled_the_lookups() {
        assert_eq!(api(400, Some("r-9")).request_id(), Some("r-9"));
        assert_eq!(garbled("r-7").request_id(), Some("r-7"));
        assert_eq!(transport(true).request_id(), None);
        let unsettled =
            VendorError::unsettled("admins", api(500, Some("create")), garbled("lookup"));
        assert_eq!(unsettled.request_id(), Some("lookup"));
    }

    #[test]
    fn api_and_http_show_as_themselves_and_unsettled_says_the_object_may_exist() {
        assert_eq!(
            api(400, Some("r-9")).to_string(),
            "HTTP 400 (request ID r-9)"
        );
        let lost = transport(true);
        let lost_text = lost.to_string();
        assert!(lost_text.starts_with("POST https://vendor.example:443/roles: connection reset"));
        let lookup = api(502, None);
        let unsettled = VendorError::unsettled("admins", lost, lookup);
        assert_eq!(
            unsettled.to_string(),
            unsettled_message("admins", &lost_text, &"HTTP 502")
        );
        assert!(
            unsettled.to_string().contains("\"admins\" may exist"),
            "{unsettled}"
        );
    }

    #[test]
    fn a_create_looked_up_and_not_resent_says_so_first() {
        let not_resent = VendorError::not_resent("admins", api(503, Some("r-3")));
        assert_eq!(
            not_resent.to_string(),
            "looked up after its answer was lost, \"admins\" was not found, and the create was \
             not sent again: HTTP 503 (request ID r-3)"
        );
        assert_eq!(not_resent.request_id(), Some("r-3"));
        assert_eq!(
            not_resent.status(),
            None,
            "not the vendor's answer about the object"
        );
        assert!(!not_resent.is_ambiguous());
    }
}
