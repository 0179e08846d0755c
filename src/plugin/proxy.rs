//! The HTTP/2 proxy between Terraform and tf-provider's server: every gRPC
//! call is passed through (streams and trailers included) except the two
//! that would shut tf-provider's whole server down, which we answer:
//!
//! * `tfplugin6.Provider/StopProvider` (Ctrl-C): the in-flight vendor work
//!   winds down ([`crate::http::stop`]) and the server stays up, so the
//!   calls in flight return what they created;
//! * `plugin.GRPCController/Shutdown` (Terraform is done): the process
//!   exits ([`super::serve`]).
//!
//! One answer is amended on its way back: `GetProviderSchema` announces
//! `get_provider_schema_optional` ([`schema_optional`]).

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
pub(crate) const GET_PROVIDER_SCHEMA: &str = "/tfplugin6.Provider/GetProviderSchema";

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
            GET_PROVIDER_SCHEMA => Ok(schema_optional(self.forward(request).await).await),
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

/// `ServerCapabilities { get_provider_schema_optional: true }` as field 6
/// of `GetProviderSchema.Response`, encoded: tag 6/length-delimited, length
/// 2, tag 2/varint, 1. Protobuf merges a repeated embedded message field
/// into the one already decoded, so appending these bytes to tf-provider's
/// answer keeps its `plan_destroy` and sets this one flag.
const SCHEMA_OPTIONAL: [u8; 4] = [0x32, 0x02, 0x10, 0x01];

/// Amends tf-provider's `GetProviderSchema` answer to say that calling
/// `GetProviderSchema` is optional. tf-provider computes every schema when
/// its server starts, so nothing depends on that call; Terraform then
/// skips it in each provider instance after the first of a run (it starts
/// three or more instances per plan and apply) and reuses the schema it
/// cached. An answer that is not one plain message passes unchanged.
pub(crate) async fn schema_optional(response: Response<Body>) -> Response<Body> {
    let (parts, body) = response.into_parts();
    let collected = match body.collect().await {
        Ok(collected) => collected,
        Err(e) => return grpc_error(14, &format!("the provider's server did not answer: {e}")),
    };
    let trailers = collected.trailers().cloned();
    let bytes = collected.to_bytes();
    let body = match amend_message(&bytes, &SCHEMA_OPTIONAL) {
        Some(amended) => amended,
        None => bytes,
    };
    let mut frames: Vec<Result<Frame<Bytes>, BoxError>> = vec![Ok(Frame::data(body))];
    if let Some(trailers) = trailers {
        frames.push(Ok(Frame::trailers(trailers)));
    }
    Response::from_parts(
        parts,
        StreamBody::new(futures::stream::iter(frames)).boxed(),
    )
}

/// One uncompressed gRPC length-prefixed message with `extra` appended to
/// it, or `None` if `framed` is not exactly one such message.
fn amend_message(framed: &[u8], extra: &[u8]) -> Option<Bytes> {
    let (header, message) = framed.split_at_checked(5)?;
    let length = u32::from_be_bytes(header[1..5].try_into().ok()?) as usize;
    if header[0] != 0 || message.len() != length {
        return None;
    }
    let mut amended = Vec::with_capacity(framed.len() + extra.len());
    amended.push(0);
    amended.extend_from_slice(&((length + extra.len()) as u32).to_be_bytes());
    amended.extend_from_slice(message);
    amended.extend_from_slice(extra);
    Some(amended.into())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_to_one_plain_message_and_fixes_its_length() {
        let framed = [0, 0, 0, 0, 2, 0x32, 0x00];
        let amended = amend_message(&framed, &SCHEMA_OPTIONAL).unwrap();
        assert_eq!(
            &amended[..],
            &[0, 0, 0, 0, 6, 0x32, 0x00, 0x32, 0x02, 0x10, 0x01]
        );
    }

    /// The two fields of `GetProviderSchema.Response` this touches.
    #[derive(Clone, PartialEq, prost::Message)]
    struct SchemaResponse {
        #[prost(message, optional, tag = "6")]
        server_capabilities: Option<ServerCapabilities>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    struct ServerCapabilities {
        #[prost(bool, tag = "1")]
        plan_destroy: bool,
        #[prost(bool, tag = "2")]
        get_provider_schema_optional: bool,
    }

    #[test]
    fn the_amended_answer_decodes_with_both_capabilities() {
        use prost::Message;
        let answer = SchemaResponse {
            server_capabilities: Some(ServerCapabilities {
                plan_destroy: true,
                get_provider_schema_optional: false,
            }),
        }
        .encode_to_vec();
        let mut framed = vec![0];
        framed.extend_from_slice(&(answer.len() as u32).to_be_bytes());
        framed.extend_from_slice(&answer);

        let amended = amend_message(&framed, &SCHEMA_OPTIONAL).unwrap();
        let decoded = SchemaResponse::decode(&amended[5..]).unwrap();
        assert_eq!(
            decoded.server_capabilities,
            Some(ServerCapabilities {
                plan_destroy: true,
                get_provider_schema_optional: true,
            })
        );
    }

    #[test]
    fn leaves_compressed_partial_or_several_messages_alone() {
        assert!(amend_message(&[1, 0, 0, 0, 1, 0], &SCHEMA_OPTIONAL).is_none());
        assert!(amend_message(&[0, 0, 0, 0, 3, 0], &SCHEMA_OPTIONAL).is_none());
        assert!(amend_message(&[0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0], &SCHEMA_OPTIONAL).is_none());
        assert!(amend_message(&[0, 0], &SCHEMA_OPTIONAL).is_none());
    }
}
