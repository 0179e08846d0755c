//! One attempt of [`HttpClient::send`] and what its answer means: the
//! request on the wire, the [`Response`], a transport error with the host,
//! and the waits a server asks for.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use tokio::time::Instant;
use url::Url;

use super::super::deadline::human;
use super::super::log::LoggedRequest;
use super::super::prepare::{self, describe, is_tls_failure};
use super::super::retry::{parse_rate_limit_reset, parse_retry_after, rate_limit_exhausted};
use super::super::{HttpError, Request, Response};
use super::{HttpClient, Received};

impl HttpClient {
    /// How long the server asks us to wait before the next request
    /// (`Retry-After`, or the rate-limit reset of a 429); when it says its
    /// window is used up, every request to this account waits for the reset.
    pub(super) fn server_waits(
        &self,
        response: &Response,
        call: &LoggedRequest<'_>,
    ) -> Option<Duration> {
        let server_reset = parse_rate_limit_reset(&response.headers);
        let retry_after = parse_retry_after(&response.headers).or(if response.status == 429 {
            server_reset
        } else {
            None
        });
        if let (true, Some(reset), Some(limiter)) = (
            rate_limit_exhausted(&response.headers),
            server_reset,
            &self.inner.limiter,
        ) {
            let reset = reset.min(self.inner.config.retry.max_retry_after);
            call.rate_limited(reset);
            limiter.hold_until(Instant::now() + reset);
        }
        retry_after
    }

    /// [`HttpError::Transport`] for a failed attempt: ambiguous when the
    /// request may have reached the server and is not idempotent.
    pub(super) fn transport_error(
        &self,
        error: &reqwest::Error,
        attempts: u32,
        idempotent: bool,
        call: &LoggedRequest<'_>,
    ) -> HttpError {
        let timed_out = error.is_timeout();
        let message = if is_tls_failure(error) {
            format!(
                "TLS handshake with {} failed: {}; check that the base_url's scheme is \
                 right for this port (https:// to a server that speaks plain HTTP fails \
                 like this) and that the server's certificate is valid for this host and \
                 trusted by this machine",
                self.host_port(),
                describe(error)
            )
        } else if error.is_connect() {
            format!(
                "cannot connect to {}: {}; check the provider's base_url and that the server is up",
                self.host_port(),
                describe(error)
            )
        } else if timed_out {
            format!(
                "timed out after {} (the per-attempt timeout): {}",
                human(self.inner.config.timeout),
                describe(error)
            )
        } else {
            describe(error)
        };
        HttpError::Transport {
            method: call.method.to_owned(),
            path: call.path.to_owned(),
            message: call.redactor.redact(&message).into_owned(),
            attempts,
            ambiguous: !error.is_connect() && !idempotent,
            timed_out,
        }
    }

    /// `scheme://host:port` of the base URL.
    fn host_port(&self) -> String {
        prepare::host_port(&self.inner.config.base_url)
    }

    /// One attempt: send and read the whole body within `timeout`.
    pub(super) async fn attempt(
        &self,
        request: &Request,
        url: &Url,
        headers: &HeaderMap,
        body: &Bytes,
        timeout: Duration,
    ) -> Result<Received, reqwest::Error> {
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url.clone())
            .timeout(timeout)
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

    pub(super) fn response(
        &self,
        status: u16,
        headers: HeaderMap,
        body: Bytes,
        call: &LoggedRequest<'_>,
        attempts: u32,
    ) -> Response {
        let request_id = headers
            .get(self.inner.config.request_id_header)
            .and_then(|v| v.to_str().ok())
            .map(|v| call.redactor.redact(v).into_owned());
        Response {
            status,
            headers,
            body,
            request_id,
            method: call.method.to_owned(),
            path: call.path.to_owned(),
            attempts,
            redactor: call.redactor.clone(),
        }
    }
}
