//! Turning a [`Request`] into what goes on the wire: the URL (with the
//! query credential), the headers (with the header credential) and the
//! body bytes. Done once per call; every attempt resends the same.

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use url::Url;

use super::request::Body;
use super::{Auth, HttpConfig, HttpError, Redactor, Request};

/// The credential header, marked sensitive so that `http`'s `Debug` hides
/// it. `None` for query or no auth.
pub(crate) fn auth_header(
    config: &HttpConfig,
    redactor: &Redactor,
) -> Result<Option<(HeaderName, HeaderValue)>, HttpError> {
    let invalid = |message: String| HttpError::Config(redactor.redact(&message).into_owned());
    let (name, value) = match &config.auth {
        Auth::Bearer(token) => (AUTHORIZATION, format!("Bearer {token}")),
        Auth::Header { name, value } => (
            HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid(format!("invalid auth header name {name:?}")))?,
            value.clone(),
        ),
        Auth::QueryParam { .. } | Auth::ExchangedKey(_) | Auth::None => return Ok(None),
    };
    let mut value = HeaderValue::from_str(&value).map_err(|_| {
        invalid(format!(
            "the {} credential is not a valid header value",
            config.vendor
        ))
    })?;
    value.set_sensitive(true);
    Ok(Some((name, value)))
}

/// Base URL + request path (keeping the base path prefix) + query + query
/// credential.
pub(crate) fn url(
    config: &HttpConfig,
    redactor: &Redactor,
    request: &Request,
) -> Result<Url, HttpError> {
    if request.path.contains(['?', '#']) {
        return Err(HttpError::Config(format!(
            "{} {}: the request path must not hold a query; use Request::query",
            request.method,
            redactor.redact(&request.path)
        )));
    }
    // A segment URLs read as a directory step (an ID of "." or "..",
    // escaped or not) would send the request to another path: the
    // collection, or another endpoint altogether.
    if request.path.split('/').any(|segment| {
        matches!(
            segment.to_ascii_lowercase().as_str(),
            "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e."
        )
    }) {
        return Err(HttpError::Config(format!(
            "{} {}: an ID of \".\" or \"..\" cannot be sent: a URL reads it as a step up the \
             path, so the request would reach another endpoint; no object has such an ID",
            request.method,
            redactor.redact(&request.path)
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

/// Where a request goes, for messages and logs: scheme, host, port (also
/// when it is the scheme's default) and path, never the query (which may
/// hold a credential) nor a user name. Redact it like any other text.
pub(crate) fn location(url: &Url) -> String {
    format!("{}{}", host_port(url), url.path())
}

/// `scheme://host:port` of `url`.
pub(crate) fn host_port(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

/// The headers (content type, the request's own, then the credential) and
/// the body bytes. `method` and `path` are for error messages.
pub(crate) fn headers_and_body(
    request: &Request,
    auth_header: Option<&(HeaderName, HeaderValue)>,
    redactor: &Redactor,
    (method, path): (&str, &str),
) -> Result<(HeaderMap, Bytes), HttpError> {
    let mut headers = HeaderMap::new();
    let (content_type, body) = match &request.body {
        Body::Empty => (None, Bytes::new()),
        Body::Json(bytes) => (Some("application/json"), bytes.clone()),
        Body::Form(bytes) => (Some("application/x-www-form-urlencoded"), bytes.clone()),
        Body::Invalid(message) => {
            return Err(HttpError::Encode {
                method: method.to_owned(),
                path: path.to_owned(),
                message: redactor.redact(message).into_owned(),
            })
        }
    };
    if let Some(content_type) = content_type {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    for (name, value) in &request.headers {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            HttpError::Config(format!("{method} {path}: invalid header name {name:?}"))
        })?;
        let value = HeaderValue::from_str(value).map_err(|_| {
            HttpError::Config(format!("{method} {path}: invalid value for header {name}"))
        })?;
        headers.insert(name, value);
    }
    if let Some((name, value)) = auth_header {
        headers.insert(name.clone(), value.clone());
    }
    if let Some(token) = &request.bearer {
        let mut value = HeaderValue::from_str(&format!("Bearer {}", token.0)).map_err(|_| {
            HttpError::Config(format!(
                "{method} {path}: the bearer token is not a valid header value"
            ))
        })?;
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
    }
    Ok((headers, body))
}

/// An error and its causes, `a: b: c`, without repeats. The caller must
/// have stripped the URL ([`reqwest::Error::without_url`]) and redacts.
/// Whether `error` (or one of its causes) is a TLS failure: rustls refused
/// the handshake (the server does not speak TLS, or its certificate is not
/// trusted or not for this host). rustls' error travels inside `io::Error`s
/// (nested: reqwest's connector wraps tokio-rustls' one), whose `source()`
/// skips the wrapped error, so those layers are opened too.
pub(crate) fn is_tls_failure(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(e) = next {
        if e.is::<rustls::Error>() {
            return true;
        }
        next = match e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    false
}

pub(crate) fn describe(error: &(dyn std::error::Error + 'static)) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base: &str, auth: Auth) -> HttpConfig {
        HttpConfig::new("v", Url::parse(base).unwrap(), auth)
    }

    #[test]
    fn an_id_of_a_dot_or_two_is_never_sent() {
        let r = Redactor::without_secrets();
        let c = config("https://api.example.com/v1", Auth::None);
        for path in ["/users/.", "/rbac/roles/..", "/roles/%2E%2e", "/x/.%2E/y"] {
            let err = url(&c, &r, &Request::get(path)).unwrap_err();
            assert!(err.to_string().contains("cannot be sent"), "{path}: {err}");
        }
        for path in ["/users/a.b", "/roles/...", "/roles/.hidden"] {
            assert!(url(&c, &r, &Request::get(path)).is_ok(), "{path}");
        }
    }

    #[test]
    fn url_keeps_the_base_path_and_appends_the_credential_last() {
        let auth = Auth::QueryParam {
            name: "app_key",
            value: "k&1".into(),
        };
        let r = Redactor::without_secrets();
        let c = config("http://h:1/flashduty/", auth);
        let built = url(&c, &r, &Request::get("/role/list").query("a b", "c")).unwrap();
        assert_eq!(
            built.as_str(),
            "http://h:1/flashduty/role/list?a+b=c&app_key=k%261"
        );
        let c = config("https://api.example.com", Auth::None);
        let built = url(&c, &r, &Request::get("rbac/roles/a%20b")).unwrap();
        assert_eq!(built.as_str(), "https://api.example.com/rbac/roles/a%20b");
    }

    #[test]
    fn location_names_scheme_host_port_and_path_but_not_the_query() {
        let with_key = Url::parse("https://user@api.example.com/p/role/list?app_key=K").unwrap();
        assert_eq!(
            location(&with_key),
            "https://api.example.com:443/p/role/list"
        );
        let local = Url::parse("http://127.0.0.1:8080/flashduty").unwrap();
        assert_eq!(location(&local), "http://127.0.0.1:8080/flashduty");
        assert_eq!(host_port(&local), "http://127.0.0.1:8080");
        let v6 = Url::parse("http://[::1]:9/x").unwrap();
        assert_eq!(location(&v6), "http://[::1]:9/x");
    }

    #[test]
    fn credential_headers_are_sensitive() {
        let r = Redactor::without_secrets();
        let c = config("http://h", Auth::Bearer("tok".into()));
        let (name, value) = auth_header(&c, &r).unwrap().unwrap();
        assert_eq!(name, AUTHORIZATION);
        assert!(value.is_sensitive());
        assert!(!format!("{value:?}").contains("tok"));
        let c = config("http://h", Auth::Bearer("bad\ntoken".into()));
        let err = auth_header(&c, &r).unwrap_err();
        assert!(!err.to_string().contains("bad"), "{err}");
    }

    #[test]
    fn request_headers_override_the_content_type_but_not_the_credential() {
        let r = Redactor::without_secrets();
        let auth = (AUTHORIZATION, HeaderValue::from_static("Bearer t"));
        let request = Request::post_json("/x", &1)
            .header("content-type", "application/vnd.api+json")
            .header("authorization", "forged");
        let (headers, body) = headers_and_body(&request, Some(&auth), &r, ("POST", "/x")).unwrap();
        assert_eq!(headers[CONTENT_TYPE], "application/vnd.api+json");
        assert_eq!(headers[AUTHORIZATION], "Bearer t");
        assert_eq!(body.as_ref(), b"1");
    }

    #[test]
    fn a_request_bearer_token_is_a_sensitive_authorization_header() {
        let r = Redactor::without_secrets();
        let request = Request::get("/roles/x").bearer("tok-123");
        assert!(!format!("{request:?}").contains("tok-123"));
        let (headers, _) = headers_and_body(&request, None, &r, ("GET", "/roles/x")).unwrap();
        assert_eq!(headers[AUTHORIZATION], "Bearer tok-123");
        assert!(headers[AUTHORIZATION].is_sensitive());
        let bad = Request::get("/x").bearer("a\nb");
        let err = headers_and_body(&bad, None, &r, ("GET", "/x")).unwrap_err();
        assert!(!err.to_string().contains("a\nb"), "{err}");
    }
}
#[cfg(test)]
mod tls_tests {
    use tokio::io::AsyncWriteExt;

    async fn get(url: String) -> reqwest::Error {
        reqwest::Client::new().get(url).send().await.unwrap_err()
    }

    #[tokio::test]
    async fn a_tls_failure_is_told_from_a_refused_connection() {
        // A server that answers plain HTTP to anything, TLS hellos included.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let reply = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n";
                let _ = socket.write_all(reply).await;
            }
        });
        assert!(super::is_tls_failure(
            &get(format!("https://127.0.0.1:{port}/")).await
        ));
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let refused = get(format!("https://127.0.0.1:{closed}/")).await;
        assert!(refused.is_connect() && !super::is_tls_failure(&refused));
    }
}
