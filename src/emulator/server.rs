//! The accept loop. Each connection is served by its own hyper task so that
//! an injected `reset`/`lost` fault can drop the connection, with SO_LINGER 0,
//! instead of answering: the client sees a transport error, never a response.

use std::future::Future;
use std::net::SocketAddr;

use axum::body::Body;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

use super::middleware::ConnectionKiller;
use super::{app, check_loopback, Emulator, EmulatorConfig};

/// Builds an [`Emulator`] from `config` and serves it on `listener` until the
/// task is dropped or fails.
pub async fn serve(config: EmulatorConfig, listener: TcpListener) -> anyhow::Result<()> {
    let emu = Emulator::new(config)?;
    serve_with_shutdown(emu, listener, std::future::pending()).await
}

/// Serves `emu` on `listener` until `shutdown` completes; open connections
/// are then closed. Refuses a listener that is not on a loopback address.
pub async fn serve_with_shutdown(
    emu: Emulator,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    check_loopback(listener.local_addr()?)?;
    let router = app(emu);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, router.clone()));
                }
                // E.g. too many open files: keep serving the others.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            },
        }
    }
    connections.shutdown().await;
    Ok(())
}

async fn serve_connection(stream: TcpStream, router: Router) {
    let _ = stream.set_nodelay(true);
    // A second handle on the socket, to make an injected fault's close a
    // reset. Only then: SO_LINGER 0 on every connection also reset those
    // the client asked to close, before a large answer had been sent.
    let control = stream
        .into_std()
        .and_then(|s| Ok((s.try_clone()?, s)))
        .and_then(|(control, s)| Ok((TcpStream::from_std(control)?, TcpStream::from_std(s)?)));
    let (control, stream) = match control {
        Ok(pair) => pair,
        Err(e) => {
            tracing::debug!(error = %e, "cannot serve the connection");
            return;
        }
    };
    let killer = ConnectionKiller::default();
    let service = {
        let killer = killer.clone();
        hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(killer.clone());
            let router = router.clone();
            async move { router.oneshot(req.map(Body::new)).await }
        })
    };
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        res = conn => if let Err(e) = res {
            tracing::debug!(error = %e, "connection ended with an error");
        },
        () = killer.killed() => {
            // A close with SO_LINGER 0 sends RST: the client cannot mistake
            // a dropped connection for a complete (empty) response.
            let _ = control.set_zero_linger();
            tracing::debug!("connection dropped by an injected fault");
        }
    }
}

/// An emulator serving in a background task, for tests. Dropping it stops
/// the server.
pub struct RunningEmulator {
    emulator: Emulator,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

/// Binds `config.listen` (default `127.0.0.1:0`, a free port) and serves in a
/// background task.
pub async fn start(config: EmulatorConfig) -> anyhow::Result<RunningEmulator> {
    config.validate()?;
    let listener = TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let emulator = Emulator::new(config)?;
    let (tx, rx) = oneshot::channel();
    let task = tokio::spawn(serve_with_shutdown(emulator.clone(), listener, async {
        let _ = rx.await;
    }));
    Ok(RunningEmulator {
        emulator,
        addr,
        shutdown: Some(tx),
        task: Some(task),
    })
}

impl RunningEmulator {
    /// The base URL, e.g. `http://127.0.0.1:43121` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The Flashduty base URL, e.g. `http://127.0.0.1:43121/flashduty`.
    pub fn flashduty_url(&self) -> String {
        format!("{}/flashduty", self.url())
    }

    /// The SlashID base URL, e.g. `http://127.0.0.1:43121/slashid`.
    pub fn slashid_url(&self) -> String {
        format!("{}/slashid", self.url())
    }

    /// The Rootly base URL, e.g. `http://127.0.0.1:43121/rootly`.
    pub fn rootly_url(&self) -> String {
        format!("{}/rootly", self.url())
    }

    /// The ZenML Pro base URL, e.g. `http://127.0.0.1:43121/zenml`.
    pub fn zenml_url(&self) -> String {
        format!("{}/zenml", self.url())
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The shared state: stats, fault and rate-limit controls.
    pub fn emulator(&self) -> &Emulator {
        &self.emulator
    }

    /// Stops accepting, closes open connections and waits for the server task.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.task.take() {
            Some(task) => task.await?,
            None => Ok(()),
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
