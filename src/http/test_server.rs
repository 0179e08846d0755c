//! Loopback servers for the client tests: a scripted raw HTTP/1.1 server
//! (it can drop connections, which an axum handler cannot), and a log
//! capture for `tracing`.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the scripted server does with one connection.
#[derive(Clone, Debug)]
pub(crate) enum Step {
    /// Answer with this status, these headers and this body.
    Reply(u16, Vec<(&'static str, String)>, String),
    /// Read the request, then close the connection without answering.
    Drop,
    /// Wait this long, then answer 200 `{}`.
    Slow(Duration),
}

/// `Step::Reply` with a JSON content type.
pub(crate) fn reply(status: u16, body: &str) -> Step {
    Step::Reply(
        status,
        vec![("content-type", "application/json".into())],
        body.into(),
    )
}

/// A running scripted server.
pub(crate) struct Scripted {
    pub(crate) addr: SocketAddr,
    /// Each request received: request line, headers and body.
    pub(crate) requests: Arc<Mutex<Vec<String>>>,
}

impl Scripted {
    /// Starts a server that plays `steps` in order, one per connection, and
    /// repeats the last one.
    pub(crate) async fn start(steps: Vec<Step>) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        tokio::spawn(async move {
            let mut index = 0;
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let step = steps[index.min(steps.len() - 1)].clone();
                index += 1;
                let seen = seen.clone();
                tokio::spawn(async move { serve(socket, step, seen).await });
            }
        });
        Scripted { addr, requests }
    }

    /// The base URL, with a path prefix to check that it is kept.
    pub(crate) fn base(&self) -> url::Url {
        url::Url::parse(&format!("http://{}/flashduty", self.addr)).unwrap()
    }

    /// How many requests arrived.
    pub(crate) fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

async fn serve(mut socket: TcpStream, step: Step, seen: Arc<Mutex<Vec<String>>>) {
    let Some(request) = read_request(&mut socket).await else {
        return;
    };
    seen.lock().unwrap().push(request);
    let (status, headers, body) = match step {
        Step::Drop => return,
        Step::Slow(delay) => {
            tokio::time::sleep(delay).await;
            (200, Vec::new(), "{}".to_owned())
        }
        Step::Reply(status, headers, body) => (status, headers, body),
    };
    let mut out = format!(
        "HTTP/1.1 {status} Scripted\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&body);
    let _ = socket.write_all(out.as_bytes()).await;
    let _ = socket.shutdown().await;
}

/// Reads one request (head and `content-length` body) as text.
async fn read_request(socket: &mut TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return Some(String::from_utf8_lossy(&data).into_owned());
            }
        }
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
}

/// A loopback address where nothing listens.
pub(crate) async fn refused_addr() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap()
}

/// Collects everything a `tracing` fmt subscriber writes.
#[derive(Clone, Default)]
pub(crate) struct LogCapture(Arc<Mutex<Vec<u8>>>);

impl LogCapture {
    /// Installs a TRACE-level subscriber writing here for the current
    /// thread, until the guard is dropped.
    pub(crate) fn install(&self) -> tracing::subscriber::DefaultGuard {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(self.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    /// The captured text.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for LogCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogCapture {
    type Writer = LogCapture;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
