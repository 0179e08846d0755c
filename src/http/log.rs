//! The log lines of one call, all through `tracing`, all redacted. The
//! provider maps the levels to Terraform's `TF_LOG`.
//!
//! Every event carries `vendor`, `method` and `path` (the URL path, never
//! the query) as fields of its own, so that any formatter shows them.

use std::sync::Arc;
use std::time::Duration;

use tracing::{debug, trace, warn};

use super::{Redactor, Response};

/// How many bytes of a body the trace log shows.
const TRACE_BODY_BYTES: usize = 4096;

/// One [`super::HttpClient::send`] call, for logging.
pub(crate) struct Call<'a> {
    pub(crate) vendor: &'static str,
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) redactor: &'a Arc<Redactor>,
}

impl Call<'_> {
    fn body(&self, body: &[u8]) -> String {
        self.redactor
            .excerpt(&String::from_utf8_lossy(body), TRACE_BODY_BYTES)
    }

    /// TRACE: the client-side rate limit delays this attempt.
    pub(crate) fn rate_limited(&self, wait: Duration) {
        let (vendor, method, path) = (self.vendor, self.method, self.path);
        let wait_ms = wait.as_millis() as u64;
        trace!(
            vendor,
            method,
            path,
            wait_ms,
            "waiting for the client-side rate limit"
        );
    }

    /// TRACE: the request body.
    pub(crate) fn request_body(&self, attempt: u32, body: &[u8]) {
        if body.is_empty() {
            return;
        }
        let (vendor, method, path) = (self.vendor, self.method, self.path);
        let body = self.body(body);
        trace!(vendor, method, path, attempt, body, "http request body");
    }

    /// DEBUG: one line per attempt that got a response; TRACE: its body.
    pub(crate) fn response(&self, attempt: u32, elapsed: Duration, response: &Response) {
        let (vendor, method, path) = (self.vendor, self.method, self.path);
        let status = response.status;
        let request_id = response.request_id.as_deref().unwrap_or("-");
        let elapsed_ms = elapsed.as_millis() as u64;
        debug!(
            vendor,
            method, path, status, request_id, attempt, elapsed_ms, "http response"
        );
        let body = self.body(&response.body);
        trace!(
            vendor,
            method,
            path,
            status,
            request_id,
            body,
            "http response body"
        );
    }

    /// DEBUG: one line per attempt that got no response.
    pub(crate) fn failed(&self, attempt: u32, elapsed: Duration, error: &str) {
        let (vendor, method, path) = (self.vendor, self.method, self.path);
        let elapsed_ms = elapsed.as_millis() as u64;
        debug!(
            vendor,
            method, path, attempt, elapsed_ms, error, "http request failed"
        );
    }

    /// DEBUG: a retry decision.
    pub(crate) fn retrying(&self, attempt: u32, reason: &str, delay: Duration, retry_after: bool) {
        let (vendor, method, path) = (self.vendor, self.method, self.path);
        let delay_ms = delay.as_millis() as u64;
        debug!(
            vendor,
            method, path, attempt, reason, delay_ms, retry_after, "retrying http request"
        );
    }

    /// WARN after retries (DEBUG when retries are off): no more attempts.
    pub(crate) fn giving_up(&self, attempts: u32, reason: &str) {
        let (vendor, method, path) = (self.vendor, self.method, self.path);
        if attempts > 1 {
            warn!(
                vendor,
                method, path, attempts, reason, "giving up after {attempts} attempts"
            );
        } else {
            debug!(
                vendor,
                method, path, reason, "not retrying: retries are disabled"
            );
        }
    }
}
