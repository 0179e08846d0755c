//! The errors of the HTTP core. A vendor client wraps them in its own error
//! type; HTTP error statuses are not errors here (see [`super::HttpClient::send`]).
//!
//! Every variant that concerns one request names it as `METHOD location`,
//! where the location is scheme, host, port and path
//! (`POST https://api.flashcat.cloud:443/role/info`): which server was
//! unreachable matters as much as which call.

use std::fmt;
use std::time::Duration;

use super::deadline::human;

/// Why a request failed before a usable HTTP response was obtained, or why
/// a response body could not be decoded.
///
/// Every message is redacted: no variant holds a query string or a
/// credential. `path` fields hold the request's location: scheme, host,
/// port and URL path, without the query.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The client configuration or the request is invalid (bad base URL,
    /// invalid header name or value, ...). Nothing was sent.
    #[error("invalid HTTP client configuration: {0}")]
    Config(String),

    /// The request body could not be serialized. Nothing was sent.
    #[error("{method} {path}: could not encode the request body: {message}")]
    Encode {
        /// HTTP method.
        method: String,
        /// Scheme, host, port and URL path, without the query.
        path: String,
        /// What serde said.
        message: String,
    },

    /// No HTTP response: connection refused or reset, TLS failure, timeout,
    /// body cut short.
    #[error(
        "{method} {path}: {message} (after {attempts} attempt{s}){hint}",
        s = if *attempts == 1 { "" } else { "s" },
        hint = if *ambiguous {
            "; the server may have applied the request, check before retrying it"
        } else {
            ""
        }
    )]
    Transport {
        /// HTTP method.
        method: String,
        /// Scheme, host, port and URL path, without the query.
        path: String,
        /// What failed, redacted.
        message: String,
        /// How many attempts were made.
        attempts: u32,
        /// The request was sent (or may have been) and is not idempotent:
        /// the server may have applied it. The caller should look the object
        /// up (e.g. by its unique name) instead of repeating the request.
        ambiguous: bool,
        /// The last attempt hit the per-attempt timeout.
        timed_out: bool,
    },

    /// A response body was not the JSON expected.
    #[error(
        "{method} {path}: could not decode the HTTP {status} response{rid}: {message}; {excerpt}",
        rid = super::Response::answer_suffix(request_id.as_deref(), *attempts)
    )]
    Decode {
        /// HTTP method.
        method: String,
        /// Scheme, host, port and URL path, without the query.
        path: String,
        /// HTTP status of the response.
        status: u16,
        /// Vendor request ID from the response header, when present.
        request_id: Option<String>,
        /// What serde said.
        message: String,
        /// The body, redacted, on one line and marked as such
        /// ([`super::Response::body_excerpt`]): `body excerpt: "…"`.
        excerpt: String,
        /// Attempts the HTTP core made: a garbled answer to an idempotent
        /// request is asked again ([`super::Request::readable`]).
        attempts: u32,
    },

    /// The operation's time budget ([`super::Deadline`]) ran out before
    /// this request got a usable answer: while it waited for a rate-limit
    /// slot, for an answer, or before a retry.
    #[error("{0}")]
    DeadlineExceeded(Box<TimedOut>),

    /// [`super::HttpClient::cancel`] was called while the request waited
    /// for a rate limit slot or a retry, or the provider is stopping and
    /// the request is not idempotent ([`super::stop`]): the current attempt
    /// was not sent. Or the provider is stopping while an idempotent
    /// attempt was on the wire: it was sent, and its answer is not awaited.
    #[error(
        "{method} {path}: {}, because the provider is stopping (Terraform was interrupted)",
        if *on_the_wire { "sent, but its answer was not awaited" } else { "not sent" }
    )]
    Cancelled {
        /// HTTP method.
        method: String,
        /// Scheme, host, port and URL path, without the query.
        path: String,
        /// The attempt had been sent (an idempotent one, whose answer is
        /// not waited for once the provider is stopping).
        on_the_wire: bool,
    },
}

impl HttpError {
    /// The server may have applied a non-idempotent request whose outcome is
    /// unknown (see [`HttpError::Transport`]).
    ///
    /// An answer whose body cannot be read is ambiguous too when its status
    /// is a success (the server did the work, but what it created is
    /// unknown) or a 5xx (a proxy's error page says nothing of the backend).
    pub fn is_ambiguous(&self) -> bool {
        match self {
            HttpError::Transport { ambiguous, .. } => *ambiguous,
            HttpError::DeadlineExceeded(timed_out) => timed_out.ambiguous,
            HttpError::Decode { status, .. } => (200..300).contains(status) || *status >= 500,
            _ => false,
        }
    }

    /// The last attempt hit the per-attempt timeout, or the operation ran
    /// out of time.
    pub fn is_timeout(&self) -> bool {
        matches!(
            self,
            HttpError::Transport {
                timed_out: true,
                ..
            } | HttpError::DeadlineExceeded(_)
        )
    }

    /// The vendor request ID, when a response carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            HttpError::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}

/// What [`HttpError::DeadlineExceeded`] knows. Display: `METHOD location:
/// the read timed out after 10s while waiting for an answer (1 attempt
/// sent). <hint>`.
#[derive(Debug)]
pub struct TimedOut {
    /// HTTP method.
    pub method: String,
    /// Scheme, host, port and URL path, without the query.
    pub path: String,
    /// The operation that ran out of time, e.g. `read`.
    pub operation: String,
    /// The operation's whole budget.
    pub budget: Duration,
    /// What the request was doing when time ran out.
    pub doing: String,
    /// Attempts sent so far.
    pub attempts: u32,
    /// The last failure before time ran out (a status, a transport error),
    /// redacted.
    pub last: Option<String>,
    /// A non-idempotent request was on the wire: the server may have
    /// applied it.
    pub ambiguous: bool,
    /// How to allow more time.
    pub hint: String,
    /// The deadline had not passed yet: a wait that would end past it (a
    /// retry's backoff, the client-side rate limit) was refused at once.
    pub foreseen: bool,
}

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (method, path, operation) = (&self.method, &self.path, &self.operation);
        let (budget, doing) = (human(self.budget), &self.doing);
        let sent = format!(
            "{} attempt{} sent",
            self.attempts,
            if self.attempts == 1 { "" } else { "s" }
        );
        if self.foreseen {
            write!(
                f,
                "{method} {path}: the {operation} would time out (its timeout is {budget}): {doing} ({sent})"
            )?;
        } else {
            write!(
                f,
                "{method} {path}: the {operation} timed out after {budget} while {doing} ({sent})"
            )?;
        }
        if let Some(last) = &self.last {
            write!(f, "; last failure: {last}")?;
        }
        if self.ambiguous {
            f.write_str("; the server may have applied the request, check before retrying it")?;
        }
        write!(f, ". {}", self.hint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_display_states_attempts_and_ambiguity() {
        let e = HttpError::Transport {
            method: "POST".into(),
            path: "/role/upsert".into(),
            message: "connection reset".into(),
            attempts: 1,
            ambiguous: true,
            timed_out: false,
        };
        let text = e.to_string();
        assert!(text.starts_with("POST /role/upsert: connection reset (after 1 attempt)"));
        assert!(text.contains("may have applied"));
        assert!(e.is_ambiguous());
        assert!(!e.is_timeout());
    }

    #[test]
    fn deadline_display_names_operation_budget_host_and_hint() {
        let e = HttpError::DeadlineExceeded(Box::new(TimedOut {
            method: "GET".into(),
            path: "http://127.0.0.1:9/rootly/v1/on_call_roles".into(),
            operation: "read".into(),
            budget: Duration::from_secs(10),
            doing: "waiting for an answer".into(),
            attempts: 1,
            last: None,
            ambiguous: false,
            hint: "Raise it with `timeouts { read = \"20s\" }`.".into(),
            foreseen: false,
        }));
        assert_eq!(
            e.to_string(),
            "GET http://127.0.0.1:9/rootly/v1/on_call_roles: the read timed out after 10s while \
             waiting for an answer (1 attempt sent). Raise it with `timeouts { read = \"20s\" }`."
        );
        assert!(e.is_timeout() && !e.is_ambiguous());
    }

    #[test]
    fn decode_display_names_request_id() {
        let e = HttpError::Decode {
            method: "POST".into(),
            path: "/role/info".into(),
            status: 502,
            request_id: Some("rid-1".into()),
            message: "expected value at line 1 column 1".into(),
            excerpt: "body excerpt: \"502 Bad Gateway\"".into(),
            attempts: 1,
        };
        assert_eq!(
            e.to_string(),
            "POST /role/info: could not decode the HTTP 502 response (request ID rid-1): \
             expected value at line 1 column 1; body excerpt: \"502 Bad Gateway\""
        );
        assert_eq!(e.request_id(), Some("rid-1"));
    }
}
