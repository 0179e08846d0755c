//! Serving Terraform: our own gRPC server for plugin protocol 6, on
//! `tonic` and `prost`, the same on every platform.
//!
//! ```text
//! Terraform ──mTLS, HTTP/2──▶ our listener ──▶ tfplugin6.Provider
//!            (go-plugin AutoMTLS,              plugin.GRPCController
//!             TCP_NODELAY)                     plugin.GRPCStdio
//! ```
//!
//! * [`proto`] declares the protocol's messages; `build.rs` generates the
//!   services over them.
//! * [`server`] answers each call through the provider's handlers
//!   ([`crate::framework::protocol`]); [`convert`] maps schemas,
//!   diagnostics and values to messages.
//! * [`tls`] does go-plugin's AutoMTLS with Terraform's client certificate.
//!
//! `StopProvider` (Ctrl-C) winds the work in flight down
//! ([`crate::http::stop`]) and leaves the server up, so the calls in flight
//! return what they created. The process exits on the controller's
//! `Shutdown` (Terraform then waits up to 2 s before killing it), and, where
//! the platform lets us watch it, when the read end of its stdout closes
//! (Terraform died).

mod convert;
pub mod proto;
mod server;
mod tls;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use base64::Engine;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tonic::service::Routes;

use crate::framework::protocol::ProviderHandler;
use proto::services::g_r_p_c_controller_server::GRPCControllerServer;
use proto::services::g_r_p_c_stdio_server::GRPCStdioServer;
use proto::services::provider_server::ProviderServer;
pub use server::ProviderService;
use tls::AutoMtls;

/// go-plugin's core protocol version, and Terraform's plugin protocol.
const HANDSHAKE_PREFIX: &str = "1|6";

/// The largest message either way: Terraform's own limit, and that of
/// providers built on HashiCorp's terraform-plugin-go (tonic's default, 4 MiB,
/// refused a large configuration or state).
const MAX_MESSAGE: usize = 256 << 20;

/// The go-plugin settings Terraform passes in the environment.
pub struct PluginEnv {
    client_cert: Option<String>,
    ports: Option<(u16, u16)>,
}

impl PluginEnv {
    /// Reads `PLUGIN_CLIENT_CERT`, `PLUGIN_MIN_PORT` and `PLUGIN_MAX_PORT`.
    pub fn from_env() -> Result<Self> {
        let client_cert = std::env::var("PLUGIN_CLIENT_CERT")
            .ok()
            .filter(|c| !c.trim().is_empty());
        let port = |name: &str| -> Result<Option<u16>> {
            match std::env::var(name) {
                Ok(v) if !v.trim().is_empty() => Ok(Some(
                    v.trim().parse().with_context(|| format!("{name}={v:?}"))?,
                )),
                _ => Ok(None),
            }
        };
        let ports = match (port("PLUGIN_MIN_PORT")?, port("PLUGIN_MAX_PORT")?) {
            (None, None) => None,
            (min, max) => Some((min.unwrap_or(1025), max.unwrap_or(65535))),
        };
        Ok(PluginEnv { client_cert, ports })
    }
}

/// Serves `provider` to Terraform, its types named `<name>_<type>`, until
/// Terraform shuts the plugin down.
pub async fn serve(name: &str, provider: impl ProviderHandler, env: PluginEnv) -> Result<()> {
    let service = Arc::new(ProviderService::new(name, provider));
    let shutdown = service.shutdown.clone();
    let provider = ProviderServer::new(service.clone())
        .max_decoding_message_size(MAX_MESSAGE)
        .max_encoding_message_size(MAX_MESSAGE);
    let routes = Routes::new(provider)
        .add_service(GRPCControllerServer::new(service.clone()))
        .add_service(GRPCStdioServer::new(service));

    let tls = env.client_cert.as_deref().map(AutoMtls::new).transpose()?;
    let listener = bind(env.ports)?;
    let addr = listener.local_addr()?;
    let cert = tls
        .as_ref()
        .map(|t| base64::engine::general_purpose::STANDARD_NO_PAD.encode(&t.server_cert))
        .unwrap_or_default();
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{HANDSHAKE_PREFIX}|tcp|{addr}|grpc|{cert}")?;
        out.flush()?;
    }
    let tls = tls.map(|t| tokio_rustls::TlsAcceptor::from(t.config));
    exit_when_terraform_is_gone();

    let connections = Connections::default();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        tracing::warn!(error = %e, "accepting a connection from Terraform");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let (routes, tls, alive) = (routes.clone(), tls.clone(), connections.open());
                tokio::spawn(async move {
                    let _alive = alive;
                    let served = match tls {
                        Some(tls) => match tls.accept(stream).await {
                            Ok(stream) => serve_connection(stream, routes).await,
                            Err(e) => Err(anyhow!("TLS handshake: {e}")),
                        },
                        None => serve_connection(stream, routes).await,
                    };
                    if let Err(e) = served {
                        tracing::debug!(%peer, error = %e, "connection from Terraform ended");
                    }
                });
            }
            _ = shutdown.notified() => break,
        }
    }
    // Let Terraform read the Shutdown answer and hang up; it waits for the
    // process to exit (up to 2 s, then kills it), so exit the moment it has.
    let _ = tokio::time::timeout(Duration::from_secs(1), connections.all_closed()).await;
    Ok(())
}

/// The connections from Terraform that are still open.
#[derive(Default)]
struct Connections(Arc<ConnectionCount>);

#[derive(Default)]
struct ConnectionCount {
    open: AtomicUsize,
    closed: Notify,
}

/// Held by a connection's task while it runs.
struct OpenConnection(Arc<ConnectionCount>);

impl Connections {
    fn open(&self) -> OpenConnection {
        self.0.open.fetch_add(1, Ordering::SeqCst);
        OpenConnection(self.0.clone())
    }

    async fn all_closed(&self) {
        loop {
            let closed = self.0.closed.notified();
            if self.0.open.load(Ordering::SeqCst) == 0 {
                return;
            }
            closed.await;
        }
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::SeqCst);
        self.0.closed.notify_waiters();
    }
}

/// go-plugin reads the plugin's stdout until the plugin exits. If the read
/// end closes, Terraform is gone without shutting us down (it crashed or was
/// killed): nobody can record state any more, so the plugin exits instead of
/// lingering. Where `poll` on a pipe is not available (Windows), go-plugin
/// kills the plugin process itself when Terraform exits.
#[cfg(not(unix))]
fn exit_when_terraform_is_gone() {}

/// See the portable variant above.
#[cfg(unix)]
fn exit_when_terraform_is_gone() {
    std::thread::spawn(|| loop {
        let mut fd = libc::pollfd {
            fd: 1,
            events: 0,
            revents: 0,
        };
        // SAFETY: poll on one pollfd that lives on this stack frame.
        let rc = unsafe { libc::poll(&mut fd, 1, -1) };
        if rc < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        if rc > 0 && fd.revents & (libc::POLLERR | libc::POLLHUP) != 0 {
            tracing::warn!("Terraform went away without shutting the provider down; exiting");
            std::process::exit(1);
        }
        if rc < 0 || fd.revents & libc::POLLNVAL != 0 {
            return; // stdout is not something we can watch
        }
    });
}

/// HTTP/2 flow-control windows of a connection from Terraform (bytes). Large and
/// fixed rather than adaptive: on loopback a window costs nothing, and h2
/// sizes its allowance of small DATA frames (every gRPC message is one)
/// from the connection window — half of it, counted at up to 256 bytes a
/// frame. With the 64 KiB default, a few hundred concurrent calls
/// (`-parallelism=300`) ran it out and h2 closed the connection
/// ("too_many_data_frames", ENHANCE_YOUR_CALM): the plugin crashed.
const CONNECTION_WINDOW: u32 = 64 << 20;
const STREAM_WINDOW: u32 = 4 << 20;

/// Our listener on loopback: any free port, or one in go-plugin's
/// `PLUGIN_MIN_PORT`..=`PLUGIN_MAX_PORT`.
fn bind(ports: Option<(u16, u16)>) -> Result<TcpListener> {
    let (min, max) = ports.unwrap_or((0, 0));
    let mut last = None;
    for port in min.min(max)..=max.max(min) {
        match std::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))) {
            Ok(listener) => {
                listener.set_nonblocking(true)?;
                return Ok(TcpListener::from_std(listener)?);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(anyhow!(
        "no free loopback port in {min}..={max}: {}",
        last.map(|e| e.to_string()).unwrap_or_default()
    ))
}

async fn serve_connection<I>(io: I, routes: Routes) -> Result<()>
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let routes = tower::ServiceBuilder::new()
        .map_request(|request: hyper::Request<hyper::body::Incoming>| {
            request.map(tonic::body::boxed)
        })
        .service(routes);
    let service = TowerToHyperService::new(routes);
    hyper::server::conn::http2::Builder::new(TokioExecutor::new())
        .initial_stream_window_size(STREAM_WINDOW)
        .initial_connection_window_size(CONNECTION_WINDOW)
        .serve_connection(TokioIo::new(io), service)
        .await
        .map_err(|e| anyhow!(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn all_closed_waits_for_the_last_connection_only() {
        let connections = Connections::default();
        connections.all_closed().await; // none open: at once
        let (first, second) = (connections.open(), connections.open());
        drop(first);
        let waiting = tokio::time::timeout(Duration::from_millis(50), connections.all_closed());
        assert!(waiting.await.is_err(), "returned with a connection open");
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            drop(second);
        });
        tokio::time::timeout(Duration::from_secs(5), connections.all_closed())
            .await
            .expect("all_closed returns once the last connection is gone");
    }
}
