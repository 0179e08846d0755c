//! go-plugin AutoMTLS as Terraform uses it: the provider serves TLS with
//! the certificate from its handshake line and talks only to a client that
//! presents the certificate passed in `PLUGIN_CLIENT_CERT`.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};

const MAGIC: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);

struct Plugin {
    child: Child,
    /// Terraform reads the plugin's stdout for as long as it uses the plugin.
    stdout: Option<BufReader<ChildStdout>>,
    addr: String,
    server_cert: Vec<u8>,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_plugin(client_cert_pem: &str) -> Plugin {
    let mut child = Command::new(common::provider_bin())
        .env(MAGIC.0, MAGIC.1)
        .env("PLUGIN_CLIENT_CERT", client_cert_pem)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the provider");
    let mut line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut line).unwrap();
    let fields: Vec<&str> = line.trim().split('|').collect();
    assert_eq!(fields.len(), 6, "handshake line {line:?}");
    assert_eq!(&fields[..3], ["1", "6", "tcp"], "{line:?}");
    assert_eq!(fields[4], "grpc", "{line:?}");
    let server_cert = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(fields[5])
        .expect("base64 certificate without padding");
    Plugin {
        child,
        stdout: Some(stdout),
        addr: fields[3].to_string(),
        server_cert,
    }
}

/// Trusts exactly the certificate from the handshake line, as Terraform does.
#[derive(Debug)]
struct Pinned(Vec<u8>);

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        assert_eq!(end_entity.as_ref(), self.0.as_slice());
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        _: &[u8],
        _: &CertificateDer<'_>,
        _: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }
    fn verify_tls13_signature(
        &self,
        _: &[u8],
        _: &CertificateDer<'_>,
        _: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        rustls::crypto::ring::default_provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A self-signed client certificate (PEM) and its TLS form.
fn client_identity() -> (String, CertificateDer<'static>, PrivateKeyDer<'static>) {
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".into()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    (cert.pem(), cert.der().clone(), der)
}

/// Connects over TLS with `identity`, sends the HTTP/2 preface and returns
/// the first bytes the server answers (an HTTP/2 SETTINGS frame if served).
fn talk(
    plugin: &Plugin,
    identity: Option<(CertificateDer<'static>, PrivateKeyDer<'static>)>,
) -> std::io::Result<Vec<u8>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Pinned(plugin.server_cert.clone())));
    let mut config = match identity {
        Some((cert, key)) => builder.with_client_auth_cert(vec![cert], key).unwrap(),
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    let conn = ClientConnection::new(Arc::new(config), ServerName::try_from("localhost").unwrap())
        .unwrap();
    let tcp = TcpStream::connect(&plugin.addr)?;
    tcp.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut tls = StreamOwned::new(conn, tcp);
    tls.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0")?;
    tls.flush()?;
    let mut head = [0u8; 9];
    tls.read_exact(&mut head)?;
    Ok(head.to_vec())
}

#[test]
fn plugin_mtls_requires_terraforms_client_certificate() {
    let (pem, cert, key) = client_identity();
    let plugin = start_plugin(&pem);

    // Terraform's certificate: an HTTP/2 server answers (a SETTINGS frame).
    let head = talk(&plugin, Some((cert, key))).expect("served with the right certificate");
    assert_eq!(head[3], 0x4, "not an HTTP/2 SETTINGS frame: {head:?}");

    // Another certificate, or none: refused.
    let (_, other_cert, other_key) = client_identity();
    assert!(talk(&plugin, Some((other_cert, other_key))).is_err());
    assert!(talk(&plugin, None).is_err());
    // Plain TCP without TLS gets no HTTP/2 answer either.
    let mut tcp = TcpStream::connect(&plugin.addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    tcp.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").unwrap();
    let mut buf = [0u8; 9];
    let answered = tcp.read_exact(&mut buf).is_ok() && buf[3] == 0x4;
    assert!(!answered, "plaintext HTTP/2 was served");
}

#[test]
fn plugin_exits_when_terraform_shuts_it_down() {
    // Terraform calls the controller's Shutdown, then waits up to 2 s for
    // the plugin to exit before killing it.
    let emu = common::EmulatorProcess::start(&[]);
    let mut ws = common::Workspace::new(&emu);
    ws.config("provider \"rbac\" {}\n");
    ws.env("TF_LOG", "debug");
    let run = ws.ok(&["providers", "schema", "-json"]);
    assert!(
        run.stderr.contains("plugin exited"),
        "no exit logged:\n{}",
        run.stderr
    );
    for killed in ["plugin failed to exit gracefully", "signal: killed"] {
        assert!(!run.stderr.contains(killed), "{}", run.stderr);
    }
}

#[test]
fn plugin_exits_when_terraform_disappears() {
    // Terraform killed (or crashed) without calling Shutdown: the read end
    // of the plugin's stdout closes, and the plugin must not linger.
    let (pem, _, _) = client_identity();
    let mut plugin = start_plugin(&pem);
    drop(plugin.stdout.take());
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = plugin.child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(1));
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the plugin is still running"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
