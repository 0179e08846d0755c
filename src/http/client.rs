//! [`HttpClient`]: sends one [`Request`] with rate limiting, retries,
//! timeouts, redaction and logs.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use tokio::sync::Notify;
use tokio::time::Instant;
use tracing::{debug, trace, warn};
use url::Url;

use super::rate_limit::{self, RateLimiter};
use super::request::Body;
use super::retry::{parse_retry_after, retry_reason, Outcome};
use super::{Auth, HttpConfig, HttpError, Redactor, Request, Response};

/// How many bytes of a body the trace log shows.
const TRACE_BODY_BYTES: usize = 4096;

/// An HTTP client for one vendor account. Cheap to clone (the clones share
/// the connection pool, the rate limiter and cancellation); `Send + Sync`.
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

struct Inner {
    config: HttpConfig,
    http: reqwest::Client,
    auth_header: Option<(HeaderName, HeaderValue)>,
    limiter: Option<Arc<RateLimiter>>,
    redactor: Arc<Redactor>,
    cancelled: AtomicBool,
    cancel: Notify,
}

/// The parts of a response the retry loop needs before it becomes a
/// [`Response`].
type Received = (u16, HeaderMap, Bytes);

impl HttpClient {
    /// Builds a client. Fails on an unusable base URL (not http/https, or
    /// with a query), an invalid credential for a header, or a rate limit
    /// of zero. Clients with the same vendor, server, credential and limits
    /// share one rate limiter.
    pub fn new(config: HttpConfig) -> Result<Self, HttpError> {
        let redactor = Arc::new(Redactor::new(
            config.auth.secret(),
            match &config.auth {
                Auth::QueryParam { name, .. } => Some(*name),
                _ => None,
            },
        ));
        let invalid = |message: String| HttpError::Config(redactor.redact(&message).into_owned());
        let base = &config.base_url;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(invalid(format!(
                "{}: the base URL must be an http or https URL",
                config.vendor
            )));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(invalid(format!(
                "{}: the base URL must not have a query or fragment",
                config.vendor
            )));
        }
        if let Some(bad) = config
            .rate_limits
            .iter()
            .find(|l| l.limit == 0 || l.window.is_zero())
        {
            return Err(invalid(format!(
                "{}: a rate limit needs at least 1 request per non-empty window, got {bad:?}",
                config.vendor
            )));
        }
        let auth_header = match &config.auth {
            Auth::Bearer(token) => Some((AUTHORIZATION, format!("Bearer {token}"))),
            Auth::Header { name, value } => {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| invalid(format!("invalid auth header name {name:?}")))?;
                Some((name, value.clone()))
            }
            Auth::QueryParam { .. } | Auth::None => None,
        }
        .map(|(name, value)| {
            let mut value = HeaderValue::from_str(&value).map_err(|_| {
                invalid(format!("the {} credential is not a valid header value", config.vendor))
            })?;
            value.set_sensitive(true);
            Ok((name, value))
        })
        .transpose()?;
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .user_agent(config.user_agent.clone())
            // A redirect could carry a query credential to another host.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| invalid(format!("cannot build the HTTP client: {}", describe(&e))))?;
        let limiter = (!config.rate_limits.is_empty()).then(|| {
            let account = format!(
                "{}\n{}",
                base.origin().ascii_serialization(),
                config.auth.secret().unwrap_or_default()
            );
            rate_limit::shared(config.vendor, &account, &config.rate_limits)
        });
        Ok(HttpClient {
            inner: Arc::new(Inner {
                config,
                http,
                auth_header,
                limiter,
                redactor,
                cancelled: AtomicBool::new(false),
                cancel: Notify::new(),
            }),
        })
    }

    /// The vendor name from the configuration.
    pub fn vendor(&self) -> &'static str {
        self.inner.config.vendor
    }

    /// The redactor that scrubs this client's credential, for vendor
    /// clients that build their own messages.
    pub fn redactor(&self) -> &Redactor {
        &self.inner.redactor
    }

    /// Stops this client and its clones for good: requests waiting for a
    /// rate limit slot or a retry, and later requests, fail with
    /// [`HttpError::Cancelled`]. An attempt already on the wire is left to
    /// finish (within the timeout), so that a create the server applied is
    /// not lost.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
        self.inner.cancel.notify_waiters();
    }

    /// Sends `request`, waiting for the rate limiter before each attempt.
    ///
    /// Returns `Ok` for **any** HTTP response, error statuses included, so
    /// that the vendor client can decode the vendor's error envelope.
    ///
    /// Retries, with exponential backoff and full jitter or the server's
    /// `Retry-After` (capped), up to `retry.max_retries` times:
    /// * a 429, always: the server rejected the request;
    /// * a connection that could not be established, always: nothing was
    ///   sent;
    /// * a 500, 502, 503 or 504, or an error after sending (reset, timeout,
    ///   truncated body), **only if the request is idempotent**.
    ///
    /// A non-idempotent request (a create) is never repeated when the
    /// server may have applied it: a 5xx comes back as `Ok(Response)` at
    /// once, and an error after sending as [`HttpError::Transport`] with
    /// `ambiguous: true` ([`HttpError::is_ambiguous`]). The caller should
    /// then look the object up by its unique name before creating it again.
    ///
    /// When retries run out, the last response is returned, or
    /// [`HttpError::Transport`] for the last error.
    pub async fn send(&self, request: Request) -> Result<Response, HttpError> {
        let inner = &*self.inner;
        let url = self.url(&request)?;
        let method = request.method.as_str().to_owned();
        let path = inner.redactor.redact(url.path()).into_owned();
        let (headers, body) = self.headers_and_body(&request, &method, &path)?;
        let policy = &inner.config.retry;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            if let Some(limiter) = &inner.limiter {
                let at = limiter.reserve();
                let waited = at.saturating_duration_since(Instant::now());
                if !waited.is_zero() {
                    trace!(vendor = inner.config.vendor, %method, %path, wait_ms = waited.as_millis() as u64, "waiting for the client-side rate limit");
                }
                self.sleep_until(at, &method, &path).await?;
            }
            if inner.cancelled.load(Ordering::SeqCst) {
                return Err(cancelled(&method, &path));
            }
            if !body.is_empty() {
                trace!(vendor = inner.config.vendor, %method, %path, attempt, body = %inner.redactor.excerpt(&String::from_utf8_lossy(&body), TRACE_BODY_BYTES), "http request body");
            }
            let start = Instant::now();
            let result = self.attempt(&request, &url, &headers, &body).await;
            let elapsed_ms = start.elapsed().as_millis() as u64;
            let (outcome, retry_after, ended) = match result {
                Ok((status, headers, body)) => {
                    let response = self.response(status, headers, body, &method, &path);
                    let request_id = response.request_id.as_deref().unwrap_or("-");
                    debug!(vendor = inner.config.vendor, %method, %path, status, request_id, attempt, elapsed_ms, "http response");
                    trace!(vendor = inner.config.vendor, %method, %path, status, request_id, body = %inner.redactor.excerpt(&String::from_utf8_lossy(&response.body), TRACE_BODY_BYTES), "http response body");
                    let retry_after = parse_retry_after(&response.headers);
                    (Outcome::Status(status), retry_after, Ok(response))
                }
                Err(e) => {
                    let connect = e.is_connect();
                    let timed_out = e.is_timeout();
                    let message = if timed_out {
                        format!(
                            "timed out after {:?} (the per-attempt timeout): {}",
                            inner.config.timeout,
                            describe(&e)
                        )
                    } else {
                        describe(&e)
                    };
                    let message = inner.redactor.redact(&message).into_owned();
                    debug!(vendor = inner.config.vendor, %method, %path, attempt, elapsed_ms, error = %message, "http request failed");
                    let error = HttpError::Transport {
                        method: method.clone(),
                        path: path.clone(),
                        message,
                        attempts: attempt,
                        ambiguous: !connect && !request.idempotent,
                        timed_out,
                    };
                    (Outcome::Transport { connect }, None, Err(error))
                }
            };
            let Some(reason) = retry_reason(outcome, request.idempotent) else {
                return ended;
            };
            if attempt > policy.max_retries {
                warn!(vendor = inner.config.vendor, %method, %path, attempts = attempt, reason, "giving up after {attempt} attempts");
                return ended;
            }
            let delay = policy.delay(attempt, retry_after);
            if let (Outcome::Status(429), Some(_), Some(limiter)) =
                (outcome, retry_after, &inner.limiter)
            {
                // Every request to this account waits, not just this one.
                limiter.hold_until(Instant::now() + delay);
            }
            debug!(vendor = inner.config.vendor, %method, %path, attempt, reason, delay_ms = delay.as_millis() as u64, retry_after = retry_after.is_some(), "retrying http request");
            self.sleep_until(Instant::now() + delay, &method, &path)
                .await?;
        }
    }

    /// One attempt: send and read the whole body.
    async fn attempt(
        &self,
        request: &Request,
        url: &Url,
        headers: &HeaderMap,
        body: &Bytes,
    ) -> Result<Received, reqwest::Error> {
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url.clone())
            .headers(headers.clone());
        if !body.is_empty() {
            builder = builder.body(body.clone());
        }
        let response = builder.send().await.map_err(reqwest::Error::without_url)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(reqwest::Error::without_url)?;
        Ok((status, headers, body))
    }

    fn response(
        &self,
        status: u16,
        headers: HeaderMap,
        body: Bytes,
        method: &str,
        path: &str,
    ) -> Response {
        let request_id = headers
            .get(self.inner.config.request_id_header)
            .and_then(|v| v.to_str().ok())
            .map(|v| self.inner.redactor.redact(v).into_owned());
        Response {
            status,
            headers,
            body,
            request_id,
            method: method.to_owned(),
            path: path.to_owned(),
            redactor: self.inner.redactor.clone(),
        }
    }

    /// Base URL + request path (keeping the base path prefix) + query +
    /// query credential.
    fn url(&self, request: &Request) -> Result<Url, HttpError> {
        let config = &self.inner.config;
        if request.path.contains(['?', '#']) {
            return Err(HttpError::Config(format!(
                "{} {}: the request path must not hold a query; use Request::query",
                request.method,
                self.inner.redactor.redact(&request.path)
            )));
        }
        let mut url = config.base_url.clone();
        let path = format!(
            "{}/{}",
            url.path().trim_end_matches('/'),
            request.path.trim_start_matches('/')
        );
        url.set_path(&path);
        let auth_param = match &config.auth {
            Auth::QueryParam { name, value } => Some((*name, value.as_str())),
            _ => None,
        };
        if !request.query.is_empty() || auth_param.is_some() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
            if let Some((name, value)) = auth_param {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }

    fn headers_and_body(
        &self,
        request: &Request,
        method: &str,
        path: &str,
    ) -> Result<(HeaderMap, Bytes), HttpError> {
        let mut headers = HeaderMap::new();
        let body = match &request.body {
            Body::Empty => Bytes::new(),
            Body::Json(bytes) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                bytes.clone()
            }
            Body::Form(bytes) => {
                headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                );
                bytes.clone()
            }
            Body::Invalid(message) => {
                return Err(HttpError::Encode {
                    method: method.to_owned(),
                    path: path.to_owned(),
                    message: self.inner.redactor.redact(message).into_owned(),
                })
            }
        };
        for (name, value) in &request.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                HttpError::Config(format!("{method} {path}: invalid header name {name:?}"))
            })?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                HttpError::Config(format!("{method} {path}: invalid value for header {name}"))
            })?;
            headers.insert(name, value);
        }
        if let Some((name, value)) = &self.inner.auth_header {
            headers.insert(name.clone(), value.clone());
        }
        Ok((headers, body))
    }

    /// Sleeps until `at` unless the client is cancelled first.
    async fn sleep_until(&self, at: Instant, method: &str, path: &str) -> Result<(), HttpError> {
        let notified = self.inner.cancel.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if self.inner.cancelled.load(Ordering::SeqCst) {
            return Err(cancelled(method, path));
        }
        tokio::select! {
            _ = tokio::time::sleep_until(at) => Ok(()),
            _ = notified => Err(cancelled(method, path)),
        }
    }
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("vendor", &self.inner.config.vendor)
            .field("base_url", &self.inner.redactor.redact(self.inner.config.base_url.as_str()))
            .finish_non_exhaustive()
    }
}

fn cancelled(method: &str, path: &str) -> HttpError {
    HttpError::Cancelled {
        method: method.to_owned(),
        path: path.to_owned(),
    }
}

/// An error and its causes, `a: b: c`, without repeats. The caller must
/// have stripped the URL ([`reqwest::Error::without_url`]) and redacts.
fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(error);
    while let Some(e) = next {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}
