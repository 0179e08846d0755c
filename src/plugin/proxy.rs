//! The HTTP/2 proxy between Terraform and tf-provider's server: every gRPC
//! call is passed through (streams and trailers included) except the two
//! that would shut tf-provider's whole server down, which we answer:
//!
//! * `tfplugin6.Provider/StopProvider` (Ctrl-C): the in-flight vendor work
//!   winds down ([`crate::http::stop`]) and the server stays up, so the
//!   calls in flight return what they created;
//! * `plugin.GRPCController/Shutdown` (Terraform is done): the process
//!   exits ([`super::serve`]).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Empty, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::client::conn::http2::SendRequest;
use hyper::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use hyper::{Request, Response, Uri};
use tokio::sync::Notify;

pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;
pub(crate) type Body = BoxBody<Bytes, BoxError>;

pub(crate) const STOP_PROVIDER: &str = "/tfplugin6.Provider/StopProvider";
pub(crate) const SHUTDOWN: &str = "/plugin.GRPCController/Shutdown";

/// Forwards calls to one upstream HTTP/2 connection. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Proxy {
    upstream: SendRequest<Body>,
    authority: Arc<str>,
    /// Notified once Terraform calls `Shutdown`.
    pub(crate) shutdown: Arc<Notify>,
}

impl Proxy {
    pub(crate) fn new(upstream: SendRequest<Body>, addr: SocketAddr) -> Self {
        Proxy {
            upstream,
            authority: addr.to_string().into(),
            shutdown: Arc::new(Notify::new()),
        }
    }

    /// Answers one call from Terraform.
    pub(crate) async fn handle(
        self,
        request: Request<Incoming>,
    ) -> Result<Response<Body>, Infallible> {
        match request.uri().path() {
            STOP_PROVIDER => {
                tracing::info!("Terraform asked the provider to stop; calls in flight finish");
                crate::http::stop_all();
                // tfplugin6 StopProvider.Response{error: ""}: an empty message.
                Ok(grpc_ok(Bytes::new()))
            }
            SHUTDOWN => {
                tracing::debug!("Terraform is done with the provider; exiting");
                self.shutdown.notify_one();
                // plugin.Empty
                Ok(grpc_ok(Bytes::new()))
            }
            _ => Ok(self.forward(request).await),
        }
    }

    async fn forward(self, request: Request<Incoming>) -> Response<Body> {
        let (mut parts, body) = request.into_parts();
        let path = parts.uri.path().to_owned();
        let uri = Uri::builder()
            .scheme("http")
            .authority(&*self.authority)
            .path_and_query(
                parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/"),
            )
            .build();
        let uri = match uri {
            Ok(uri) => uri,
            Err(e) => return grpc_error(13, &format!("bad request path {path:?}: {e}")),
        };
        parts.uri = uri;
        let request = Request::from_parts(parts, body.map_err(BoxError::from).boxed());
        let mut upstream = self.upstream;
        let sent = match upstream.ready().await {
            Ok(()) => upstream.send_request(request).await,
            Err(e) => Err(e),
        };
        match sent {
            Ok(response) => response.map(|body| body.map_err(BoxError::from).boxed()),
            Err(e) => {
                tracing::error!(error = %e, path, "the provider's server did not answer");
                grpc_error(14, &format!("the provider's server did not answer: {e}"))
            }
        }
    }
}

/// A successful unary gRPC response carrying one encoded message.
pub(crate) fn grpc_ok(message: Bytes) -> Response<Body> {
    let mut frame = Vec::with_capacity(5 + message.len());
    frame.push(0); // not compressed
    frame.extend_from_slice(&(message.len() as u32).to_be_bytes());
    frame.extend_from_slice(&message);
    let mut trailers = HeaderMap::new();
    trailers.insert("grpc-status", HeaderValue::from_static("0"));
    let frames: [Result<Frame<Bytes>, BoxError>; 2] =
        [Ok(Frame::data(frame.into())), Ok(Frame::trailers(trailers))];
    let mut response = Response::new(StreamBody::new(futures::stream::iter(frames)).boxed());
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/grpc"));
    response
}

/// A trailers-only gRPC error response.
pub(crate) fn grpc_error(code: u8, message: &str) -> Response<Body> {
    let mut response = Response::new(
        Empty::<Bytes>::new()
            .map_err(|never| match never {})
            .boxed(),
    );
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/grpc"));
    headers.insert("grpc-status", HeaderValue::from(code as i32));
    // grpc-message is percent-encoded; keep it to safe printable ASCII.
    let safe: String = message
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '%' || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .collect();
    if let Ok(value) = HeaderValue::from_str(&safe) {
        headers.insert("grpc-message", value);
    }
    response
}
