//! What a vendor client sends ([`Request`]) and gets back ([`Response`]).

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{HttpError, Redactor};

/// How many characters of a body go into error messages.
const EXCERPT_CHARS: usize = 200;

/// One API call, relative to the client's base URL.
///
/// Idempotency defaults from the method (GET, HEAD, PUT, DELETE, OPTIONS
/// are idempotent; POST and PATCH are not). Mark a POST that only reads,
/// such as Flashduty's `/role/info`, with [`Request::idempotent`] so that
/// it is retried on 5xx and connection resets.
#[derive(Clone, Debug)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Body,
    pub(crate) idempotent: bool,
    /// Not sent once the provider is stopping ([`Request::preparatory`]).
    pub(crate) preparatory: bool,
    pub(crate) bearer: Option<BearerToken>,
    /// Whether a 2xx body is one the caller can decode ([`Request::readable`]).
    pub(crate) readable: Option<fn(&[u8]) -> bool>,
}

/// A per-request bearer token; `Debug` never prints it.
#[derive(Clone)]
pub(crate) struct BearerToken(pub(crate) String);

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(super::REDACTED)
    }
}

/// A request body, serialized once so that retries resend the same bytes.
#[derive(Clone, Debug)]
pub(crate) enum Body {
    Empty,
    Json(Bytes),
    Form(Bytes),
    /// Serialization failed; `send` reports it without sending anything.
    Invalid(String),
}

impl Request {
    /// A request without a body. `path` is relative to the base URL and
    /// holds no query (use [`Request::query`]).
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let idempotent = method.is_idempotent();
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            idempotent,
            preparatory: false,
            bearer: None,
            readable: None,
        }
    }

    /// `GET path`.
    pub fn get(path: impl Into<String>) -> Self {
        Request::new(Method::GET, path)
    }

    /// `POST path` without a body.
    pub fn post(path: impl Into<String>) -> Self {
        Request::new(Method::POST, path)
    }

    /// `POST path` with a JSON body. Not idempotent unless marked.
    pub fn post_json<T: Serialize + ?Sized>(path: impl Into<String>, body: &T) -> Self {
        Request::post(path).json(body)
    }

    /// `PUT path`.
    pub fn put(path: impl Into<String>) -> Self {
        Request::new(Method::PUT, path)
    }

    /// `PATCH path`.
    pub fn patch(path: impl Into<String>) -> Self {
        Request::new(Method::PATCH, path)
    }

    /// `DELETE path`.
    pub fn delete(path: impl Into<String>) -> Self {
        Request::new(Method::DELETE, path)
    }

    /// Sets a JSON body (`Content-Type: application/json`).
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        self.body = match serde_json::to_vec(body) {
            Ok(bytes) => Body::Json(bytes.into()),
            Err(e) => Body::Invalid(e.to_string()),
        };
        self
    }

    /// Sets a form body (`application/x-www-form-urlencoded`).
    pub fn form<K: AsRef<str>, V: AsRef<str>>(mut self, pairs: &[(K, V)]) -> Self {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            form.append_pair(k.as_ref(), v.as_ref());
        }
        self.body = Body::Form(form.finish().into_bytes().into());
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a header (e.g. `If-Match`, `SlashID-OrgID`).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sends `Authorization: Bearer <token>` with this request, in place of
    /// the client's own credential: for short-lived tokens that the vendor
    /// client obtains and renews itself (see [`super::Auth::ExchangedKey`]).
    /// The token is redacted from everything the core prints for this call.
    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(BearerToken(token.into()));
        self
    }

    /// Whether the request may be repeated safely: retried on 5xx and on
    /// errors after it was sent. See [`super::HttpClient::send`].
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Marks a request that only prepares the work (a login for a session
    /// token): once the provider is stopping it is not sent, even when
    /// idempotent, since the work it prepares would not start either; every
    /// operation waiting for it then fails at once with
    /// [`super::HttpError::Cancelled`] instead of sending one each.
    pub fn preparatory(mut self) -> Self {
        self.preparatory = true;
        self
    }

    /// How to tell a 2xx answer the caller can decode from a garbled one
    /// (cut short, empty, values of the wrong type). An idempotent request
    /// whose 2xx answer `readable` refuses is asked again like a 5xx, since
    /// asking again is safe and a proxy or a broken connection, not the
    /// vendor, garbled it; when retries run out the last answer comes back
    /// and the caller's decode says what was wrong. A request that is not
    /// idempotent is never repeated for it: its caller reconciles.
    pub fn readable(mut self, readable: fn(&[u8]) -> bool) -> Self {
        self.readable = Some(readable);
        self
    }

    /// [`Request::readable`] for an answer that is JSON of type `T`.
    pub fn expect_json<T: DeserializeOwned>(self) -> Self {
        self.readable(decodes_as::<T>)
    }

    /// Whether `body`, the body of a 2xx answer, is readable
    /// ([`Request::readable`]); always true without a check.
    pub(crate) fn is_readable(&self, body: &[u8]) -> bool {
        self.readable.is_none_or(|readable| readable(body))
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path, relative to the base URL.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether the request is marked idempotent.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }
}

/// Whether `body` decodes as JSON of type `T`.
pub fn decodes_as<T: DeserializeOwned>(body: &[u8]) -> bool {
    serde_json::from_slice::<T>(body).is_ok()
}

/// An HTTP response whose body has been read in full. Any status: after
/// retries, a 4xx or 5xx is returned too so that the vendor client can
/// decode the vendor's error envelope.
#[derive(Clone)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Response headers (e.g. `ETag`).
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
    /// The vendor request ID from the configured header, when present.
    pub request_id: Option<String>,
    /// HTTP method of the request.
    pub method: String,
    /// URL path of the request, redacted, without the query.
    pub path: String,
    /// How many attempts the HTTP core made for this answer (1 when it
    /// was not retried), for messages such as "after 4 attempts".
    pub attempts: u32,
    pub(crate) redactor: Arc<Redactor>,
}

impl Response {
    /// A response built by hand, e.g. to unit-test a vendor client's
    /// decoding of its error envelope. Only the built-in sensitive
    /// parameter names are redacted from its excerpts.
    pub fn from_parts(
        method: &str,
        path: &str,
        status: u16,
        headers: HeaderMap,
        body: impl Into<Bytes>,
    ) -> Response {
        Response {
            status,
            headers,
            body: body.into(),
            request_id: None,
            method: method.to_owned(),
            path: path.to_owned(),
            attempts: 1,
            redactor: Arc::new(Redactor::without_secrets()),
        }
    }

    /// Status 200–299.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// A header value, if present and valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Decodes the body as JSON. Never panics: an empty, truncated or HTML
    /// body gives [`HttpError::Decode`] with method, path, status, request
    /// ID and a redacted excerpt of the body.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, HttpError> {
        serde_json::from_slice(&self.body).map_err(|e| HttpError::Decode {
            method: self.method.clone(),
            path: self.path.clone(),
            status: self.status,
            request_id: self.request_id.clone(),
            message: self.redactor.redact(&e.to_string()).into_owned(),
            excerpt: self.body_excerpt(),
            attempts: self.attempts,
        })
    }

    /// `text` (e.g. a message decoded from the body) with this call's
    /// secrets and sensitive parameters redacted.
    pub fn redact(&self, text: &str) -> String {
        self.redactor.redact(text).into_owned()
    }

    /// What a vendor error adds after its message: the vendor's request ID
    /// and, when the answer came after retries, how many attempts were
    /// made — e.g. ` (request ID r-9, after 4 attempts)`; empty when there
    /// is neither.
    pub fn answer_suffix(request_id: Option<&str>, attempts: u32) -> String {
        let mut parts = Vec::new();
        if let Some(id) = request_id {
            parts.push(format!("request ID {id}"));
        }
        if attempts > 1 {
            parts.push(format!("after {attempts} attempts"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        }
    }

    /// The body for an error message, redacted, marked as an excerpt and
    /// on one line ([`super::excerpt::one_line`]): `body excerpt: "502 Bad
    /// Gateway 502 Bad Gateway"`, or `empty body`.
    pub fn body_excerpt(&self) -> String {
        let body = String::from_utf8_lossy(&self.body);
        let line = super::excerpt::one_line(&self.redactor.redact(&body), EXCERPT_CHARS);
        // Again: removing markup may have joined the parts of a secret.
        let line = self.redactor.redact(&line);
        if line.is_empty() {
            "empty body".into()
        } else {
            format!("body excerpt: {line:?}")
        }
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("request_id", &self.request_id)
            .field("body", &self.body_excerpt())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &'static [u8]) -> Response {
        Response {
            status,
            headers: HeaderMap::new(),
            body: Bytes::from_static(body),
            request_id: Some("rid-9".into()),
            method: "POST".into(),
            path: "/role/info".into(),
            attempts: 1,
            redactor: Arc::new(Redactor::new(["SECRET123"], ["app_key"])),
        }
    }

    #[test]
    fn idempotency_defaults_from_the_method() {
        assert!(Request::get("/x").is_idempotent());
        assert!(Request::delete("/x").is_idempotent());
        assert!(Request::put("/x").is_idempotent());
        assert!(!Request::post("/x").is_idempotent());
        assert!(!Request::patch("/x").is_idempotent());
        assert!(Request::post("/x").idempotent(true).is_idempotent());
    }

    #[test]
    fn bodies_are_serialized_once() {
        let r = Request::post_json("/role/upsert", &serde_json::json!({"role_name": "a"}));
        assert!(matches!(&r.body, Body::Json(b) if b.as_ref() == br#"{"role_name":"a"}"#));
        let f = Request::post("/auth/login").form(&[("password", "a b&c")]);
        assert!(matches!(&f.body, Body::Form(b) if b.as_ref() == b"password=a+b%26c"));
        let mut bad = std::collections::HashMap::new();
        bad.insert(vec![1u8], 1);
        assert!(matches!(
            Request::post_json("/x", &bad).body,
            Body::Invalid(_)
        ));
    }

    #[test]
    fn json_decodes_and_reports_bad_bodies_without_panicking() {
        let ok: serde_json::Value = response(200, br#"{"data":1}"#).json().unwrap();
        assert_eq!(ok["data"], 1);
        for body in [
            &b""[..],
            b"<html>502 Bad Gateway</html>",
            br#"{"data": [1, 2"#,
        ] {
            let r = Response {
                body: Bytes::copy_from_slice(body),
                ..response(502, b"")
            };
            let err = r.json::<serde_json::Value>().unwrap_err();
            assert!(matches!(err, HttpError::Decode { status: 502, .. }));
            let text = err.to_string();
            assert!(
                text.contains("POST /role/info") && text.contains("rid-9"),
                "{text}"
            );
        }
    }

    #[test]
    fn from_parts_builds_a_decodable_response() {
        let r = Response::from_parts("POST", "/role/info", 400, HeaderMap::new(), r#"{"a":1}"#);
        assert!(!r.is_success());
        assert_eq!(r.json::<serde_json::Value>().unwrap()["a"], 1);
    }

    #[test]
    fn excerpts_and_debug_are_redacted() {
        let r = response(400, b"bad key SECRET123 in ?app_key=SECRET123");
        let err = r.json::<serde_json::Value>().unwrap_err();
        assert!(!format!("{err} {err:?} {r:?}").contains("SECRET123"));
    }
}
