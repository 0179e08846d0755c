//! tf-provider's own gRPC server, run in this process as the back end of
//! our front ([`super`]): plaintext on loopback, reached only by our proxy.
//!
//! tf-provider announces its address the go-plugin way, with a handshake
//! line on stdout. That line is for us, not for Terraform, so stdout (fd 1)
//! points at a pipe while tf-provider starts, and back at Terraform after.

use std::fs::File;
use std::future::Future;
use std::io::{self, BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::os::fd::{FromRawFd, RawFd};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use tokio::task::JoinHandle;

/// Runs `serve` (tf-provider's server future) on the runtime and returns
/// the address it listens on, with its task.
pub(crate) async fn start<F>(serve: F) -> Result<(SocketAddr, JoinHandle<Result<()>>)>
where
    F: Future<Output = Result<()>> + Send + 'static,
{
    let capture = StdoutCapture::begin().context("redirecting stdout")?;
    let reader = capture.reader;
    let mut task = tokio::spawn(serve);
    let line = tokio::task::spawn_blocking(move || -> io::Result<String> {
        let mut line = String::new();
        BufReader::new(reader).read_line(&mut line)?;
        Ok(line)
    });
    let outcome = tokio::select! {
        line = line => line.map_err(|e| anyhow!(e)).and_then(|l| Ok(l?)),
        ended = &mut task => Err(match ended {
            Ok(Err(e)) => e.context("tf-provider's server did not start"),
            _ => anyhow!("tf-provider's server stopped before it started"),
        }),
        _ = tokio::time::sleep(Duration::from_secs(30)) => Err(anyhow!("tf-provider's server did not announce its address")),
    };
    // Terraform's stdout again (this also ends the reader, if still waiting).
    capture.restore.restore().context("restoring stdout")?;
    let line = outcome?;
    Ok((parse_handshake(&line)?, task))
}

/// `1|6|tcp|127.0.0.1:1234|grpc|` -> the address, for a plaintext server.
fn parse_handshake(line: &str) -> Result<SocketAddr> {
    let fields: Vec<&str> = line.trim().split('|').collect();
    match fields.as_slice() {
        ["1", "6", "tcp", addr, "grpc", ""] => addr
            .parse()
            .with_context(|| format!("tf-provider's address {addr:?}")),
        _ => bail!("unexpected handshake from tf-provider: {line:?}"),
    }
}

/// fd 1 redirected into a pipe.
struct StdoutCapture {
    reader: File,
    restore: Restore,
}

/// Puts the saved fd back onto fd 1 (on drop, if not done before).
struct Restore {
    saved: Option<RawFd>,
}

impl StdoutCapture {
    fn begin() -> io::Result<Self> {
        io::stdout().flush()?;
        let mut fds = [0 as RawFd; 2];
        // SAFETY: plain fd syscalls on fds this function owns; fd 1 is
        // swapped atomically by dup2, and only restored by `Restore`.
        unsafe {
            if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) != 0 {
                return Err(io::Error::last_os_error());
            }
            let saved = libc::fcntl(1, libc::F_DUPFD_CLOEXEC, 3);
            if saved < 0 || libc::dup2(fds[1], 1) < 0 {
                let err = io::Error::last_os_error();
                libc::close(fds[0]);
                libc::close(fds[1]);
                if saved >= 0 {
                    libc::close(saved);
                }
                return Err(err);
            }
            libc::close(fds[1]);
            Ok(StdoutCapture {
                reader: File::from_raw_fd(fds[0]),
                restore: Restore { saved: Some(saved) },
            })
        }
    }
}

impl Restore {
    fn restore(mut self) -> io::Result<()> {
        self.put_back()
    }

    fn put_back(&mut self) -> io::Result<()> {
        let Some(saved) = self.saved.take() else {
            return Ok(());
        };
        io::stdout().flush()?;
        // SAFETY: `saved` is our duplicate of the original fd 1.
        unsafe {
            let rc = libc::dup2(saved, 1);
            libc::close(saved);
            if rc < 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(())
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = self.put_back();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_plaintext_handshake_only() {
        assert_eq!(
            parse_handshake("1|6|tcp|127.0.0.1:1025|grpc|\n").unwrap(),
            "127.0.0.1:1025".parse().unwrap()
        );
        assert!(parse_handshake("1|6|tcp|127.0.0.1:1025|grpc|MIIB\n").is_err());
        assert!(parse_handshake("1|5|tcp|127.0.0.1:1025|grpc|\n").is_err());
        assert!(parse_handshake("").is_err());
    }
}
