//! go-plugin's AutoMTLS, server side.
//!
//! Terraform generates a client certificate per plugin start and passes it
//! in `PLUGIN_CLIENT_CERT` (PEM). The plugin generates its own self-signed
//! certificate for `localhost`, serves TLS that *requires* the client to
//! present Terraform's certificate, and puts its own certificate (base64
//! DER, no padding) in the handshake line, which Terraform then trusts as
//! the only root.

use std::sync::Arc;

use anyhow::{anyhow, Context, Result};
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{
    verify_tls12_signature, verify_tls13_signature, CryptoProvider, WebPkiSupportedAlgorithms,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{
    alg_id, AlgorithmIdentifier, CertificateDer, InvalidSignature, PrivateKeyDer,
    PrivatePkcs8KeyDer, SignatureVerificationAlgorithm, UnixTime,
};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme};

/// A TLS server configuration for one plugin run, and the DER of its
/// certificate for the handshake line.
pub(crate) struct AutoMtls {
    pub(crate) config: Arc<ServerConfig>,
    pub(crate) server_cert: Vec<u8>,
}

impl AutoMtls {
    /// From Terraform's client certificate (PEM).
    pub(crate) fn new(client_cert_pem: &str) -> Result<Self> {
        let client_cert = CertificateDer::from_pem_slice(client_cert_pem.as_bytes())
            .map_err(|e| anyhow!("PLUGIN_CLIENT_CERT is not a PEM certificate: {e}"))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());

        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
        let cert = server_params()?.self_signed(&key)?;
        let server_cert = cert.der().to_vec();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));

        let verifier = PinnedClient {
            cert: client_cert.into_owned(),
            provider: provider.clone(),
        };
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_client_cert_verifier(Arc::new(verifier))
            .with_single_cert(vec![CertificateDer::from(server_cert.clone())], key)
            .context("building the TLS configuration")?;
        // grpc-go insists on ALPN h2.
        config.alpn_protocols = vec![b"h2".to_vec()];
        Ok(AutoMtls {
            config: Arc::new(config),
            server_cert,
        })
    }
}

/// What go-plugin's own servers generate: a CA-capable certificate for
/// `localhost`, usable for both ends, valid from shortly before now.
fn server_params() -> Result<rcgen::CertificateParams> {
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()])?;
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::seconds(30);
    params.not_after = now + time::Duration::days(30);
    let mut dn = rcgen::DistinguishedName::new();
    dn.push(rcgen::DnType::OrganizationName, "HashiCorp");
    dn.push(rcgen::DnType::CommonName, "localhost");
    params.distinguished_name = dn;
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::DigitalSignature,
        rcgen::KeyUsagePurpose::KeyEncipherment,
        rcgen::KeyUsagePurpose::KeyAgreement,
        rcgen::KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
    ];
    Ok(params)
}

/// Accepts exactly one client certificate: the one Terraform generated for
/// this run (a chain cannot help, as the certificate is self-signed).
#[derive(Debug)]
struct PinnedClient {
    cert: CertificateDer<'static>,
    provider: Arc<CryptoProvider>,
}

impl ClientCertVerifier for PinnedClient {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.cert.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::UnknownIssuer,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, self.algorithms(dss.scheme))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, self.algorithms(dss.scheme))
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        let mut schemes = self
            .provider
            .signature_verification_algorithms
            .supported_schemes();
        schemes.push(SignatureScheme::ECDSA_NISTP521_SHA512);
        schemes
    }
}

impl PinnedClient {
    fn algorithms(&self, scheme: SignatureScheme) -> &WebPkiSupportedAlgorithms {
        if scheme == SignatureScheme::ECDSA_NISTP521_SHA512 {
            &P521_ALGORITHMS
        } else {
            &self.provider.signature_verification_algorithms
        }
    }
}

/// go-plugin's client certificates use ECDSA on P-521 with SHA-512
/// (`generateCert` in go-plugin's `mtls.go`); ring verifies P-256 and
/// P-384 only, so this one comes from RustCrypto.
static P521_ALGORITHMS: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[&EcdsaP521Sha512],
    mapping: &[(SignatureScheme::ECDSA_NISTP521_SHA512, &[&EcdsaP521Sha512])],
};

#[derive(Debug)]
struct EcdsaP521Sha512;

impl SignatureVerificationAlgorithm for EcdsaP521Sha512 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        use p521::ecdsa::signature::Verifier;
        let key =
            p521::ecdsa::VerifyingKey::from_sec1_bytes(public_key).map_err(|_| InvalidSignature)?;
        let signature =
            p521::ecdsa::Signature::from_der(signature).map_err(|_| InvalidSignature)?;
        key.verify(message, &signature)
            .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_P521
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_SHA512
    }
}
