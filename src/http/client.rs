//! [`HttpClient`]: sends one [`Request`] with rate limiting, retries,
//! timeouts, redaction and logs.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tokio::sync::Notify;
use tokio::time::Instant;

mod attempt;
mod pacing;

use super::deadline::{human, Deadline};
use super::log::LoggedRequest;
use super::prepare::{self, describe};
use super::rate_limit::{self, RateLimiter};
use super::retry::{retry_reason, AttemptEnd};
use super::stop::{StopSignal, MAX_WAIT_WHEN_STOPPING};
use super::{Auth, HttpConfig, HttpError, Redactor, Request, Response};

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
    stop: StopSignal,
    cancelled: AtomicBool,
    cancel: Notify,
}

/// How long 429s are retried without counting attempts, from the first
/// one: a minute window spent by another process (Flashduty 1000/min,
/// Rootly's per-minute limits) and then some.
const RATE_LIMIT_PATIENCE: Duration = Duration::from_secs(90);

/// How long establishing a connection may take (TCP and TLS).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The parts of a response the retry loop needs before it becomes a
/// [`Response`].
type Received = (u16, HeaderMap, Bytes);

impl HttpClient {
    /// Builds a client. Fails on an unusable base URL (not http/https, or
    /// with a query or password), an invalid credential for a header, or a rate limit
    /// of zero. Clients with the same vendor, server, credential and limits
    /// share one rate limiter. The client winds down when the process is
    /// stopping ([`super::stop`]).
    pub fn new(config: HttpConfig) -> Result<Self, HttpError> {
        Self::with_stop_signal(config, StopSignal::process())
    }

    /// [`HttpClient::new`], following `stop` instead of the process-wide
    /// signal (for tests).
    pub fn with_stop_signal(config: HttpConfig, stop: StopSignal) -> Result<Self, HttpError> {
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
        if base.query().is_some() || base.fragment().is_some() || base.password().is_some() {
            return Err(invalid(format!(
                "{}: the base URL must not hold a query, fragment or password \
                 (credentials go in the provider's key setting, not the URL)",
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
        let auth_header = prepare::auth_header(&config, &redactor)?;
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            // Short: a server that does not even accept the connection is
            // down or unreachable (see RetryPolicy::connect_retry_window).
            .connect_timeout(config.timeout.min(CONNECT_TIMEOUT))
            .user_agent(config.user_agent.clone())
            // Shorter than the usual server keep-alive (60-75 s), so that a
            // create is rarely written to a connection the server is closing
            // (which would make it ambiguous).
            .pool_idle_timeout(Duration::from_secs(30))
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
                stop,
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
    /// Once the provider is stopping ([`super::stop`]), a non-idempotent
    /// or preparatory ([`Request::preparatory`]) request that has not been
    /// sent fails with [`HttpError::Cancelled`],
    /// the waits of idempotent ones are cut to [`MAX_WAIT_WHEN_STOPPING`],
    /// as is the wait for the answer to an idempotent attempt already sent,
    /// and no further attempt starts. A non-idempotent attempt on the wire
    /// always finishes.
    ///
    /// Returns `Ok` for **any** HTTP response, error statuses included, so
    /// that the vendor client can decode the vendor's error envelope.
    ///
    /// Retries, with exponential backoff and full jitter or the server's
    /// `Retry-After` (capped):
    /// * a 429, always, and without counting attempts for up to
    ///   90 s (`RATE_LIMIT_PATIENCE`) from the first one (then up to
    ///   `retry.max_retries` times): the server rejected the request, and
    ///   another process may have spent the account's budget;
    /// * a connection that could not be established, always: nothing was
    ///   sent (a failed TLS handshake is not retried: it would fail again);
    /// * a 500, 502, 503 or 504, an error after sending (reset, timeout,
    ///   truncated body), or a 2xx answer the caller cannot decode
    ///   ([`Request::readable`]), **only if the request is idempotent**,
    ///   up to `retry.max_retries` times.
    ///
    /// A non-idempotent request (a create) is never repeated when the
    /// server may have applied it: a 5xx comes back as `Ok(Response)` at
    /// once, and an error after sending as [`HttpError::Transport`] with
    /// `ambiguous: true` ([`HttpError::is_ambiguous`]). The caller should
    /// then look the object up by its unique name before creating it again.
    ///
    /// A connection that cannot be established is retried at most
    /// [`super::RetryPolicy::max_connect_retries`] times, within
    /// [`super::RetryPolicy::connect_retry_window`].
    ///
    /// When retries run out, the last response is returned, or
    /// [`HttpError::Transport`] for the last error.
    ///
    /// Everything, waits included, happens within the current operation's
    /// [`Deadline`] (or [`super::DEFAULT_OPERATION_TIMEOUT`] outside one):
    /// each attempt's timeout is cut to the time left, and a wait for a
    /// rate-limit place or a retry known to end past it fails at once with
    /// [`HttpError::DeadlineExceeded`] ("would time out").
    pub async fn send(&self, request: Request) -> Result<Response, HttpError> {
        let inner = &*self.inner;
        let deadline = Deadline::current_or_default();
        // A per-request token is scrubbed from this call's messages too.
        let redactor = match &request.bearer {
            Some(token) => Arc::new(inner.redactor.with_secret(&token.0)),
            None => inner.redactor.clone(),
        };
        let url = prepare::url(&inner.config, &redactor, &request)?;
        let method = request.method.as_str();
        let location = redactor.redact(&prepare::location(&url)).into_owned();
        let (headers, body) = prepare::headers_and_body(
            &request,
            inner.auth_header.as_ref(),
            &redactor,
            (method, &location),
        )?;
        let call = LoggedRequest {
            vendor: inner.config.vendor,
            method,
            path: &location,
            redactor: &redactor,
            deadline: &deadline,
            idempotent: request.idempotent,
        };
        let policy = &inner.config.retry;
        let started = Instant::now();
        let (mut attempt, mut connect_failures) = (0u32, 0u32);
        let mut last: Option<String> = None;
        let mut first_429: Option<Instant> = None;
        loop {
            attempt += 1;
            let permit = match &inner.limiter {
                Some(limiter) => Some(self.turn(limiter, &call, attempt, &last).await?),
                None => None,
            };
            if inner.cancelled.load(Ordering::SeqCst)
                || (inner.stop.is_stopped() && (!request.idempotent || request.preparatory))
            {
                return Err(cancelled(&call, false));
            }
            if deadline.expired() {
                return Err(call.deadline_exceeded("waiting to send it", attempt - 1, last, false));
            }
            call.request_body(attempt, &body);
            let start = Instant::now();
            let timeout = inner.config.timeout.min(deadline.remaining());
            let sent = self.attempt(&request, &url, &headers, &body, timeout);
            let result = if request.idempotent {
                // Asking again is safe, so a stop does not wait for the
                // answer (a stalled server takes the whole attempt timeout).
                tokio::select! {
                    result = sent => result,
                    _ = self.inner.stop.stopped_for(MAX_WAIT_WHEN_STOPPING) => {
                        return Err(cancelled(&call, true));
                    }
                }
            } else {
                sent.await
            };
            // The answer (or failure) is in: the server has counted the
            // request, if it ever will; its place frees a window from now.
            drop(permit);
            let (outcome, retry_after, ended) = match result {
                Ok((status, headers, body)) => {
                    let response = self.response(status, headers, body, &call, attempt);
                    call.response(attempt, start.elapsed(), &response);
                    let retry_after = self.server_waits(&response, &call);
                    let outcome = if response.is_success() && !request.is_readable(&response.body) {
                        AttemptEnd::Unreadable
                    } else {
                        AttemptEnd::Status(status)
                    };
                    (outcome, retry_after, Ok(response))
                }
                Err(e) => {
                    let error = self.transport_error(&e, attempt, request.idempotent, &call);
                    if let HttpError::Transport { message, .. } = &error {
                        call.failed(attempt, start.elapsed(), message);
                    }
                    if e.is_timeout() && deadline.expired() {
                        // Nothing came back before the operation's deadline.
                        let sent = !e.is_connect() && !request.idempotent;
                        let doing = if e.is_connect() {
                            "connecting"
                        } else {
                            "waiting for an answer"
                        };
                        return Err(call.deadline_exceeded(doing, attempt, last, sent));
                    }
                    let outcome = if prepare::is_tls_failure(&e) {
                        AttemptEnd::Tls
                    } else {
                        AttemptEnd::Transport {
                            connect: e.is_connect(),
                        }
                    };
                    (outcome, None, Err(error))
                }
            };
            let Some(reason) = retry_reason(outcome, request.idempotent) else {
                return ended;
            };
            let connect = matches!(outcome, AttemptEnd::Transport { connect: true });
            connect_failures += u32::from(connect);
            let delay = policy.delay(attempt, retry_after);
            let throttled = matches!(outcome, AttemptEnd::Status(429));
            if throttled && first_429.is_none() {
                first_429 = Some(Instant::now());
            }
            let max_attempts = if throttled
                && first_429.is_some_and(|t| t.elapsed() + delay < RATE_LIMIT_PATIENCE)
            {
                // A refusal, safe to ask again whatever the request: the
                // budget may have been spent by another process (a previous
                // run, another alias), so wait out a window or so. Not the
                // whole timeout: `terraform apply` does not stop the
                // provider on Ctrl-C while it plans, and would wait for it.
                u32::MAX
            } else {
                policy.max_attempts(attempt, connect, connect_failures)
            };
            let out_of_window = connect && started.elapsed() + delay >= policy.connect_retry_window;
            // Once the provider is stopping (Ctrl-C), no new attempt: a 429
            // is retried without a count, and Terraform waits for us.
            if attempt >= max_attempts || out_of_window || inner.stop.is_stopped() {
                call.giving_up(attempt, reason);
                return ended;
            }
            last = Some(match &ended {
                Ok(response) => format!("{reason}, HTTP {}", response.status),
                Err(error) => error.to_string(),
            });
            if Instant::now() + delay >= deadline.at() {
                let doing = format!("{reason}: a retry in {} would pass it", human(delay));
                return Err(call.deadline_foreseen(&doing, attempt, last));
            }
            if let (AttemptEnd::Status(429), Some(limiter)) = (outcome, &inner.limiter) {
                // Every request to this account waits, not just this one.
                limiter.hold_until(Instant::now() + delay);
            }
            call.retrying(
                attempt + 1,
                max_attempts,
                reason,
                delay,
                retry_after.is_some(),
            );
            self.sleep_until(Instant::now() + delay, request.idempotent, &call)
                .await?;
        }
    }
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("vendor", &self.inner.config.vendor)
            .field(
                "base_url",
                &self
                    .inner
                    .redactor
                    .redact(self.inner.config.base_url.as_str()),
            )
            .finish_non_exhaustive()
    }
}

/// `on_the_wire`: the attempt was sent and its answer is abandoned.
fn cancelled(call: &LoggedRequest<'_>, on_the_wire: bool) -> HttpError {
    HttpError::Cancelled {
        method: call.method.to_owned(),
        path: call.path.to_owned(),
        on_the_wire,
    }
}
