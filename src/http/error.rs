//! The errors of the HTTP core. A vendor client wraps them in its own error
//! type; HTTP error statuses are not errors here (see [`super::HttpClient::send`]).

/// Why a request failed before a usable HTTP response was obtained, or why
/// a response body could not be decoded.
///
/// Every message is redacted: no variant holds a URL, a query string or a
/// credential. Paths are the URL path only.
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
        /// URL path, without the query.
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
        /// URL path, without the query.
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
        "{method} {path}: could not decode the HTTP {status} response{rid}: {message}; body: {excerpt:?}",
        rid = request_id.as_deref().map(|id| format!(" (request id {id})")).unwrap_or_default()
    )]
    Decode {
        /// HTTP method.
        method: String,
        /// URL path, without the query.
        path: String,
        /// HTTP status of the response.
        status: u16,
        /// Vendor request ID from the response header, when present.
        request_id: Option<String>,
        /// What serde said.
        message: String,
        /// The start of the body, redacted.
        excerpt: String,
    },

    /// [`super::HttpClient::cancel`] was called while the request waited
    /// for a rate limit slot or a retry, or the provider is stopping and
    /// the request is not idempotent ([`super::stop`]). The current attempt
    /// was not sent.
    #[error(
        "{method} {path}: not sent, because the provider is stopping (Terraform was interrupted)"
    )]
    Cancelled {
        /// HTTP method.
        method: String,
        /// URL path, without the query.
        path: String,
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
            HttpError::Decode { status, .. } => (200..300).contains(status) || *status >= 500,
            _ => false,
        }
    }

    /// The last attempt hit the per-attempt timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(
            self,
            HttpError::Transport {
                timed_out: true,
                ..
            }
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
    fn decode_display_names_request_id() {
        let e = HttpError::Decode {
            method: "POST".into(),
            path: "/role/info".into(),
            status: 502,
            request_id: Some("rid-1".into()),
            message: "expected value at line 1 column 1".into(),
            excerpt: "<html>".into(),
        };
        assert_eq!(
            e.to_string(),
            "POST /role/info: could not decode the HTTP 502 response (request id rid-1): \
             expected value at line 1 column 1; body: \"<html>\""
        );
        assert_eq!(e.request_id(), Some("rid-1"));
    }
}
