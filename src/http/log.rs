//! The log lines of one call, all through `tracing`, all redacted. The
//! provider maps the levels to Terraform's `TF_LOG`.
//!
//! Every event carries `vendor`, `method` and `url` (scheme, host, port and
//! path, never the query) as fields of its own, so that any formatter shows
//! them. Waits long enough for a user to wonder (retries, long rate-limit
//! waits) are INFO, so that `TF_LOG=info` shows progress.

use std::sync::Arc;
use std::time::Duration;

use tracing::{debug, info, trace, warn};

use super::deadline::{human, Deadline};
use super::error::TimedOut;
use super::{HttpError, Redactor, Response};

/// A client-side rate-limit wait at least this long is logged at INFO.
const NOTABLE_WAIT: Duration = Duration::from_secs(5);

/// How many bytes of a body the trace log shows.
const TRACE_BODY_BYTES: usize = 4096;

/// One [`super::HttpClient::send`] call, for logging.
pub(crate) struct LoggedRequest<'a> {
    pub(crate) vendor: &'static str,
    pub(crate) method: &'a str,
    /// Scheme, host, port and path, redacted.
    pub(crate) path: &'a str,
    pub(crate) redactor: &'a Arc<Redactor>,
    pub(crate) deadline: &'a Deadline,
    pub(crate) idempotent: bool,
}

impl LoggedRequest<'_> {
    fn body(&self, body: &[u8]) -> String {
        self.redactor
            .excerpt(&String::from_utf8_lossy(body), TRACE_BODY_BYTES)
    }

    /// TRACE (INFO from [`NOTABLE_WAIT`]): the client-side rate limit
    /// delays this attempt.
    pub(crate) fn rate_limited(&self, wait: Duration) {
        let (vendor, method, url) = (self.vendor, self.method, self.path);
        let wait_ms = wait.as_millis() as u64;
        if wait >= NOTABLE_WAIT {
            let wait = human(wait);
            info!(
                vendor,
                method, url, wait_ms, "waiting {wait} for the client-side rate limit"
            );
            return;
        }
        trace!(
            vendor,
            method,
            url,
            wait_ms,
            "waiting for the client-side rate limit"
        );
    }

    /// TRACE: the request body.
    pub(crate) fn request_body(&self, attempt: u32, body: &[u8]) {
        if body.is_empty() {
            return;
        }
        let (vendor, method, url) = (self.vendor, self.method, self.path);
        let body = self.body(body);
        trace!(vendor, method, url, attempt, body, "http request body");
    }

    /// DEBUG: one line per attempt that got a response; TRACE: its body.
    pub(crate) fn response(&self, attempt: u32, elapsed: Duration, response: &Response) {
        let (vendor, method, url) = (self.vendor, self.method, self.path);
        let status = response.status;
        let request_id = response.request_id.as_deref().unwrap_or("-");
        let elapsed_ms = elapsed.as_millis() as u64;
        debug!(
            vendor,
            method, url, status, request_id, attempt, elapsed_ms, "http response"
        );
        let body = self.body(&response.body);
        trace!(
            vendor,
            method,
            url,
            status,
            request_id,
            body,
            "http response body"
        );
    }

    /// DEBUG: one line per attempt that got no response.
    pub(crate) fn failed(&self, attempt: u32, elapsed: Duration, error: &str) {
        let (vendor, method, url) = (self.vendor, self.method, self.path);
        let elapsed_ms = elapsed.as_millis() as u64;
        debug!(
            vendor,
            method, url, attempt, elapsed_ms, error, "http request failed"
        );
    }

    /// INFO: a retry decision, before waiting for it: "retrying in 2s
    /// (attempt 2 of 6)", or "(attempt 7, for a while)" when
    /// `max_attempts` is `u32::MAX` (429s). `next` is the attempt about to
    /// be waited for.
    pub(crate) fn retrying(
        &self,
        next: u32,
        max_attempts: u32,
        reason: &str,
        delay: Duration,
        retry_after: bool,
    ) {
        let (vendor, method, url) = (self.vendor, self.method, self.path);
        let delay_ms = delay.as_millis() as u64;
        let wait = human(delay);
        let of = if max_attempts == u32::MAX {
            ", for a while".to_string()
        } else {
            format!(" of {max_attempts}")
        };
        info!(
            vendor,
            method,
            url,
            attempt = next,
            max_attempts,
            reason,
            delay_ms,
            retry_after,
            "{method} {url}: {reason}; retrying in {wait} (attempt {next}{of})"
        );
    }

    /// WARN: the operation's deadline ran out; the error that says so.
    pub(crate) fn deadline_exceeded(
        &self,
        doing: &str,
        attempts: u32,
        last: Option<String>,
        ambiguous: bool,
    ) -> HttpError {
        self.timed_out(doing, attempts, last, ambiguous, false)
    }

    /// WARN: a wait would end past the operation's deadline (`doing` says
    /// which), so the request gives up now; the error that says so.
    pub(crate) fn deadline_foreseen(
        &self,
        doing: &str,
        attempts: u32,
        last: Option<String>,
    ) -> HttpError {
        self.timed_out(doing, attempts, last, false, true)
    }

    fn timed_out(
        &self,
        doing: &str,
        attempts: u32,
        last: Option<String>,
        ambiguous: bool,
        foreseen: bool,
    ) -> HttpError {
        let error = HttpError::DeadlineExceeded(Box::new(TimedOut {
            method: self.method.to_owned(),
            path: self.path.to_owned(),
            operation: self.deadline.operation().to_owned(),
            budget: self.deadline.budget(),
            doing: doing.to_owned(),
            attempts,
            last: last.map(|l| self.redactor.redact(&l).into_owned()),
            ambiguous: ambiguous && !self.idempotent,
            hint: self.deadline.hint().to_owned(),
            foreseen,
        }));
        let (vendor, method, url) = (self.vendor, self.method, self.path);
        warn!(vendor, method, url, attempts, "{error}");
        error
    }

    /// WARN after retries (DEBUG when retries are off): no more attempts.
    pub(crate) fn giving_up(&self, attempts: u32, reason: &str) {
        let (vendor, method, url) = (self.vendor, self.method, self.path);
        if attempts > 1 {
            warn!(
                vendor,
                method, url, attempts, reason, "giving up after {attempts} attempts"
            );
        } else {
            debug!(
                vendor,
                method, url, reason, "not retrying: retries are disabled"
            );
        }
    }
}
