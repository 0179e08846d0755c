//! Serving Terraform: our own front for tf-provider's gRPC server.
//!
//! tf-provider 0.2.2 answers `StopProvider` (Ctrl-C) by shutting its whole
//! server down, so the calls in flight lose their connection and a created
//! role can miss state; and its sockets lack `TCP_NODELAY` (DESIGN.md,
//! "tf-provider 0.2.2: what we measured"). So Terraform talks to us:
//!
//! ```text
//! Terraform ──mTLS, HTTP/2──▶ our listener ──proxy──▶ tf-provider's server
//!            (go-plugin AutoMTLS,           (plaintext, loopback, same
//!             TCP_NODELAY)                   process, TCP_NODELAY set)
//! ```
//!
//! * [`inner`] starts tf-provider's server in this process and learns its
//!   address; nothing else may connect to it afterwards ([`sockets`]).
//! * [`tls`] does go-plugin's AutoMTLS with Terraform's client certificate.
//! * [`proxy`] passes every call through, except `StopProvider` (we wind
//!   our own work down, see [`crate::http::stop`]) and the controller's
//!   `Shutdown` (we exit).
//!
//! The process exits on `Shutdown` (Terraform then waits up to 2 s before
//! killing it), and when the read end of its stdout closes (Terraform died).

mod inner;
mod proxy;
mod sockets;
mod tls;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use base64::Engine;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

use proxy::{Body, Proxy};
use tls::AutoMtls;

/// go-plugin's core protocol version, and Terraform's plugin protocol.
const HANDSHAKE_PREFIX: &str = "1|6";

/// The go-plugin settings Terraform passes in the environment.
pub struct PluginEnv {
    client_cert: Option<String>,
    ports: Option<(u16, u16)>,
}

impl PluginEnv {
    /// Reads `PLUGIN_CLIENT_CERT`, `PLUGIN_MIN_PORT` and `PLUGIN_MAX_PORT`
    /// and removes them, so that tf-provider's server (ours to reach, not
    /// Terraform's) serves plaintext on any port. Call it before starting
    /// threads.
    pub fn take() -> Result<Self> {
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
        for name in ["PLUGIN_CLIENT_CERT", "PLUGIN_MIN_PORT", "PLUGIN_MAX_PORT"] {
            std::env::remove_var(name);
        }
        Ok(PluginEnv { client_cert, ports })
    }
}

/// Serves `provider` to Terraform until Terraform shuts the plugin down.
pub async fn serve<P: tf_provider::DynamicProvider>(
    name: &str,
    provider: P,
    env: PluginEnv,
) -> Result<()> {
    let (backend, mut backend_task) = inner::start(tf_provider::serve(name.to_string(), provider))
        .await
        .context("starting tf-provider's server")?;
    let (upstream, mut upstream_conn) = connect(backend).await?;
    let proxy = Proxy::new(upstream, backend);

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
                let (proxy, tls, alive) = (proxy.clone(), tls.clone(), connections.open());
                tokio::spawn(async move {
                    let _alive = alive;
                    let served = match tls {
                        Some(tls) => match tls.accept(stream).await {
                            Ok(stream) => serve_connection(stream, proxy).await,
                            Err(e) => Err(anyhow!("TLS handshake: {e}")),
                        },
                        None => serve_connection(stream, proxy).await,
                    };
                    if let Err(e) = served {
                        tracing::debug!(%peer, error = %e, "connection from Terraform ended");
                    }
                });
            }
            _ = proxy.shutdown.notified() => break,
            ended = &mut backend_task => {
                bail!("tf-provider's server stopped: {}", match ended {
                    Ok(Ok(())) => "without an error".to_string(),
                    Ok(Err(e)) => format!("{e:#}"),
                    Err(e) => e.to_string(),
                });
            }
            ended = &mut upstream_conn => {
                bail!("the connection to tf-provider's server closed: {ended:?}");
            }
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
/// lingering.
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

/// HTTP/2 flow-control windows of both our connections (bytes). Large and
/// fixed rather than adaptive: on loopback a window costs nothing, and h2
/// sizes its allowance of small DATA frames (every gRPC message is one)
/// from the connection window — half of it, counted at up to 256 bytes a
/// frame. With the 64 KiB default, a few hundred concurrent calls
/// (`-parallelism=300`) ran it out and h2 closed the connection
/// ("too_many_data_frames", ENHANCE_YOUR_CALM): the plugin crashed.
const CONNECTION_WINDOW: u32 = 64 << 20;
const STREAM_WINDOW: u32 = 4 << 20;

/// The one HTTP/2 connection to tf-provider's server, with `TCP_NODELAY` on
/// both of its ends; then nobody else may connect to that server.
async fn connect(
    backend: SocketAddr,
) -> Result<(
    hyper::client::conn::http2::SendRequest<Body>,
    tokio::task::JoinHandle<hyper::Result<()>>,
)> {
    let stream = TcpStream::connect(backend)
        .await
        .context("connecting to tf-provider's server")?;
    stream.set_nodelay(true)?;
    let local = stream.local_addr()?;
    let (send, conn) = hyper::client::conn::http2::Builder::new(TokioExecutor::new())
        .initial_stream_window_size(STREAM_WINDOW)
        .initial_connection_window_size(CONNECTION_WINDOW)
        .handshake(TokioIo::new(stream))
        .await
        .context("HTTP/2 handshake with tf-provider's server")?;
    let conn = tokio::spawn(conn);

    // tf-provider accepts on its own task of this runtime: let it run, then
    // poll for that socket every millisecond (for up to 2 s). Each launch
    // waits here, and Terraform starts three or more per command.
    let mut accepted = None;
    for attempt in 0..2000 {
        accepted = sockets::find(backend, Some(local));
        if accepted.is_some() {
            break;
        }
        if attempt < 10 {
            tokio::task::yield_now().await;
        } else {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    match accepted.map(sockets::set_nodelay) {
        Some(Ok(())) => {}
        Some(Err(e)) => tracing::warn!(error = %e, "setting TCP_NODELAY on tf-provider's socket"),
        None => tracing::warn!("tf-provider's socket not found; TCP_NODELAY not set"),
    }
    match sockets::find(backend, None).map(sockets::refuse_new_connections) {
        Some(Ok(())) => {}
        Some(Err(e)) => tracing::warn!(error = %e, "closing tf-provider's listener to others"),
        None => tracing::warn!("tf-provider's listener not found"),
    }
    Ok((send, conn))
}

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

async fn serve_connection<I>(io: I, proxy: Proxy) -> Result<()>
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request| proxy.clone().handle(request));
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
