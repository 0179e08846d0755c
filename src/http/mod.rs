//! The shared HTTP core: one client per vendor account with client-side
//! rate limiting, retries with backoff, per-attempt timeouts, an operation
//! deadline ([`Deadline`]) that bounds all of them, secret redaction and
//! `tracing` logs.
//!
//! The core knows no vendor field names. A vendor client builds
//! [`Request`]s, sends them with [`HttpClient::send`] and decodes the
//! [`Response`] (success payload or vendor error envelope) itself.
//!
//! ```no_run
//! # async fn demo() -> Result<(), terraform_provider_rbac::http::HttpError> {
//! use terraform_provider_rbac::http::*;
//! let base = url::Url::parse("https://api.flashcat.cloud").unwrap();
//! let mut config = HttpConfig::new("flashduty", base, Auth::QueryParam {
//!     name: "app_key",
//!     value: "...".into(),
//! });
//! config.request_id_header = "Flashcat-Request-Id";
//! config.rate_limits = vec![RateLimit::per_second(50), RateLimit::per_minute(1000)];
//! let client = HttpClient::new(config)?;
//! let request = Request::post_json("/role/info", &serde_json::json!({"role_id": 2}))
//!     .idempotent(true);
//! let response = client.send(request).await?;
//! let body: serde_json::Value = response.json()?;
//! # Ok(()) }
//! ```

mod client;
mod deadline;
mod error;
mod excerpt;
mod log;
mod prepare;
mod rate_limit;
mod redact;
mod request;
mod retry;
pub mod stop;

#[cfg(test)]
mod client_tests;
#[cfg(test)]
mod stop_tests;
#[cfg(test)]
mod test_server;
#[cfg(test)]
mod timeout_tests;

use std::fmt;
use std::time::Duration;

pub use client::HttpClient;
pub use deadline::{human, Deadline, DEFAULT_OPERATION_TIMEOUT};
pub use error::{HttpError, TimedOut};
pub use rate_limit::RateLimit;
pub use redact::{Redactor, REDACTED};
pub use request::{Request, Response};
pub use retry::RetryPolicy;
pub use stop::{stop_all, StopSignal};

/// How a client authenticates. `Debug` never prints the secret.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// A query parameter on every request, e.g. Flashduty's `app_key`.
    QueryParam {
        /// Parameter name.
        name: &'static str,
        /// The secret.
        value: String,
    },
    /// `Authorization: Bearer <token>` (Rootly, ZenML).
    Bearer(String),
    /// A header holding the secret, e.g. SlashID's `SlashID-API-Key`.
    Header {
        /// Header name.
        name: &'static str,
        /// The secret.
        value: String,
    },
    /// A long-lived key that the vendor client exchanges for short-lived
    /// bearer tokens (ZenML Pro's `ZENPROKEY_…` service-account key). The
    /// core sends no credential of its own: each request carries its current
    /// token ([`Request::bearer`]). The key is redacted wherever the core
    /// prints, and keys the rate limiter like any other credential.
    ExchangedKey(String),
    /// No credential.
    None,
}

impl Auth {
    /// The secret value, if any.
    pub(crate) fn secret(&self) -> Option<&str> {
        match self {
            Auth::QueryParam { value, .. } | Auth::Header { value, .. } => Some(value),
            Auth::Bearer(token) | Auth::ExchangedKey(token) => Some(token),
            Auth::None => None,
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::QueryParam { name, .. } => f
                .debug_struct("QueryParam")
                .field("name", name)
                .field("value", &REDACTED)
                .finish(),
            Auth::Bearer(_) => f.debug_tuple("Bearer").field(&REDACTED).finish(),
            Auth::ExchangedKey(_) => f.debug_tuple("ExchangedKey").field(&REDACTED).finish(),
            Auth::Header { name, .. } => f
                .debug_struct("Header")
                .field("name", name)
                .field("value", &REDACTED)
                .finish(),
            Auth::None => f.write_str("None"),
        }
    }
}

/// Everything an [`HttpClient`] needs. Build it with [`HttpConfig::new`]
/// and override fields. `Debug` never prints the secret.
#[derive(Clone)]
pub struct HttpConfig {
    /// Vendor name (`"flashduty"`), used in logs and rate limiter keys.
    pub vendor: &'static str,
    /// Base URL. Request paths are appended to it, keeping any path prefix
    /// (`http://127.0.0.1:8080/flashduty` + `/role/info`).
    pub base_url: url::Url,
    /// Credential.
    pub auth: Auth,
    /// Response header carrying the vendor request ID (default
    /// `X-Request-Id`; Flashduty: `Flashcat-Request-Id`).
    pub request_id_header: &'static str,
    /// Client-side limits, all enforced at once and shared by every client
    /// of the process for the same vendor, server and credential. Empty:
    /// no client-side limit.
    pub rate_limits: Vec<RateLimit>,
    /// Retry settings.
    pub retry: RetryPolicy,
    /// Timeout of one attempt, from connecting to the end of the body
    /// (default 30 s); cut to what is left of the operation's [`Deadline`].
    /// Connecting alone may take at most 5 s.
    pub timeout: Duration,
    /// `User-Agent` header (default [`user_agent`]`(None)`).
    pub user_agent: String,
}

impl HttpConfig {
    /// A configuration with the defaults: no rate limit, [`RetryPolicy`]
    /// defaults, 30 s per attempt, `X-Request-Id`.
    pub fn new(vendor: &'static str, base_url: url::Url, auth: Auth) -> Self {
        HttpConfig {
            vendor,
            base_url,
            auth,
            request_id_header: "X-Request-Id",
            rate_limits: Vec::new(),
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
            user_agent: user_agent(None),
        }
    }
}

impl fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only origin and path: a URL may hold a password or a query.
        let base_url = format!(
            "{}{}",
            self.base_url.origin().ascii_serialization(),
            self.base_url.path()
        );
        f.debug_struct("HttpConfig")
            .field("vendor", &self.vendor)
            .field("base_url", &base_url)
            .field("auth", &self.auth)
            .field("request_id_header", &self.request_id_header)
            .field("rate_limits", &self.rate_limits)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

/// The provider's `User-Agent`:
/// `[Terraform/<version> ]terraform-provider-rbac/<version>[ <TF_APPEND_USER_AGENT>]`.
pub fn user_agent(terraform_version: Option<&str>) -> String {
    let append = std::env::var("TF_APPEND_USER_AGENT").ok();
    build_user_agent(terraform_version, append.as_deref())
}

fn build_user_agent(terraform_version: Option<&str>, append: Option<&str>) -> String {
    let mut ua = String::new();
    if let Some(v) = terraform_version.map(str::trim).filter(|v| !v.is_empty()) {
        ua.push_str("Terraform/");
        ua.push_str(v);
        ua.push(' ');
    }
    ua.push_str(concat!(
        "terraform-provider-rbac/",
        env!("CARGO_PKG_VERSION")
    ));
    if let Some(extra) = append.map(str::trim).filter(|a| !a.is_empty()) {
        ua.push(' ');
        ua.push_str(extra);
    }
    ua
}

/// Percent-encodes one path segment (e.g. a SlashID role name in
/// `/rbac/roles/{role_name}`): everything but `A-Z a-z 0-9 - . _ ~`.
pub fn encode_path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_names_terraform_provider_and_append() {
        let version = env!("CARGO_PKG_VERSION");
        assert_eq!(
            build_user_agent(None, None),
            format!("terraform-provider-rbac/{version}")
        );
        assert_eq!(
            build_user_agent(Some("1.11.4"), Some(" ci-run/42 ")),
            format!("Terraform/1.11.4 terraform-provider-rbac/{version} ci-run/42")
        );
        assert_eq!(
            build_user_agent(Some(""), Some("")),
            format!("terraform-provider-rbac/{version}")
        );
        assert!(user_agent(Some("1.9.0")).starts_with("Terraform/1.9.0 terraform-provider-rbac/"));
    }

    #[test]
    fn debug_hides_credentials() {
        let base = url::Url::parse("https://api.example.com").unwrap();
        for auth in [
            Auth::QueryParam {
                name: "app_key",
                value: "SECRET123".into(),
            },
            Auth::Bearer("SECRET123".into()),
            Auth::ExchangedKey("SECRET123".into()),
            Auth::Header {
                name: "X-Key",
                value: "SECRET123".into(),
            },
        ] {
            let mut config = HttpConfig::new("v", base.clone(), auth);
            let text = format!("{config:?} {config:#?}");
            assert!(text.contains("https://api.example.com/"), "{text}");
            config.base_url = url::Url::parse("https://u:SECRET123@h/p?app_key=SECRET123").unwrap();
            let text = format!("{text} {config:?}");
            assert!(!text.contains("SECRET123"), "{text}");
            assert!(text.contains(REDACTED));
        }
    }

    #[test]
    fn encodes_path_segments() {
        assert_eq!(encode_path_segment("role-a_b.c~"), "role-a_b.c~");
        assert_eq!(encode_path_segment("a b/c?d"), "a%20b%2Fc%3Fd");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
    }
}
