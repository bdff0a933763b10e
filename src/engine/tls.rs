//! TLS for `https://` and `tcp://` with `DOCKER_TLS_VERIFY`: the files Docker's CLI reads from
//! `DOCKER_CERT_PATH` (`ca.pem`, `cert.pem`, `key.pem`), and what a failed handshake means.

use std::error::Error as StdError;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{AlertDescription, CertificateError, ClientConfig, DigitallySignedStruct, InvalidMessage};
use rustls::{RootCertStore, SignatureScheme};

use super::endpoint::TlsFiles;
use super::error::{CertificateProblem, Classified, Problem};

/// A connector and what is needed to explain its failures.
pub struct Tls {
    pub connector: HttpsConnector<HttpConnector>,
    pub context: TlsContext,
}

#[derive(Debug, Clone)]
pub struct TlsContext {
    cert_dir: PathBuf,
    /// Whether `cert.pem` was there to send: a rejection means something else without it.
    sends_client_cert: bool,
}

pub fn connector(files: &TlsFiles, verify: bool) -> Result<Tls, Classified> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Classified { problem: Problem::Tls, detail: format!("TLS setup: {e}") })?;
    let builder = if verify {
        let ca = &files.ca;
        let mut roots = RootCertStore::empty();
        for cert in read_certs(ca)? {
            roots.add(cert).map_err(|e| file_problem(ca, e))?;
        }
        builder.with_root_certificates(roots)
    } else {
        // Docker's own client skips server verification when DOCKER_TLS_VERIFY is unset.
        builder.dangerous().with_custom_certificate_verifier(Arc::new(NoVerification(provider)))
    };
    // As Docker's client: a missing cert.pem means no client certificate, not an error.
    let (cert, key) = (&files.cert, &files.key);
    let sends_client_cert = cert.exists();
    let config = if sends_client_cert {
        let private_key = PrivateKeyDer::from_pem_file(key).map_err(|e| file_problem(key, e))?;
        builder.with_client_auth_cert(read_certs(cert)?, private_key).map_err(|e| file_problem(cert, e))?
    } else {
        builder.with_no_client_auth()
    };
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(config)
        .https_only()
        .enable_http1()
        .wrap_connector(http);
    let cert_dir = files.dir().to_owned();
    Ok(Tls { connector, context: TlsContext { cert_dir, sends_client_cert } })
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, Classified> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| file_problem(path, e))?;
    if certs.is_empty() {
        return Err(file_problem(path, "it holds no PEM certificate"));
    }
    Ok(certs)
}

fn file_problem(path: &Path, error: impl std::fmt::Display) -> Classified {
    Classified { problem: Problem::CertFile(path.to_owned()), detail: error.to_string() }
}

impl TlsContext {
    /// The TLS failure somewhere in `error`'s chain, told apart on rustls's error values.
    pub fn classify(&self, error: &(dyn StdError + 'static)) -> Option<Classified> {
        let rustls_error = causes(error).find_map(|cause| cause.downcast_ref::<rustls::Error>())?;
        let problem = match rustls_error {
            rustls::Error::InvalidMessage(
                InvalidMessage::InvalidContentType | InvalidMessage::UnknownProtocolVersion,
            ) => Problem::NotTls,
            rustls::Error::InvalidCertificate(certificate) => Problem::Certificate {
                cert_dir: self.cert_dir.clone(),
                why: certificate_problem(certificate),
            },
            rustls::Error::AlertReceived(alert) if is_client_certificate_alert(*alert) => {
                Problem::ClientCertificateRejected {
                    cert_dir: self.cert_dir.clone(),
                    sent: self.sends_client_cert,
                }
            }
            _ => Problem::Tls,
        };
        Some(Classified { problem, detail: rustls_error.to_string() })
    }
}

/// The chain of causes, looking inside `io::Error`s too (their `source` skips what they wrap).
fn causes<'a>(error: &'a (dyn StdError + 'static)) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |&current| {
        let wrapped = current
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref)
            .map(|inner| inner as &(dyn StdError + 'static));
        wrapped.or_else(|| current.source())
    })
}

fn certificate_problem(error: &CertificateError) -> CertificateProblem {
    match error {
        CertificateError::UnknownIssuer | CertificateError::BadSignature => CertificateProblem::UnknownIssuer,
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            CertificateProblem::WrongName
        }
        _ => CertificateProblem::Invalid,
    }
}

/// Alerts a server sends when it will not take the client's certificate (or its absence).
fn is_client_certificate_alert(alert: AlertDescription) -> bool {
    matches!(
        alert,
        AlertDescription::CertificateRequired
            | AlertDescription::BadCertificate
            | AlertDescription::UnsupportedCertificate
            | AlertDescription::CertificateRevoked
            | AlertDescription::CertificateExpired
            | AlertDescription::CertificateUnknown
            | AlertDescription::UnknownCA
            | AlertDescription::AccessDenied
    )
}

#[derive(Debug)]
struct NoVerification(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error shaped like hyper's: an outer error whose source is the `io::Error` tokio-rustls
    /// wraps around the rustls error.
    #[derive(Debug)]
    struct Outer(io::Error);

    impl std::fmt::Display for Outer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("client error (Connect)")
        }
    }

    impl StdError for Outer {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    fn failing_with(error: rustls::Error) -> Outer {
        Outer(io::Error::new(io::ErrorKind::InvalidData, error))
    }

    fn context(sends_client_cert: bool) -> TlsContext {
        TlsContext { cert_dir: "/certs".into(), sends_client_cert }
    }

    fn problem(context: &TlsContext, error: rustls::Error) -> Option<Problem> {
        context.classify(&failing_with(error)).map(|c| c.problem)
    }

    #[test]
    fn a_plain_http_answer_is_not_tls() {
        let error = rustls::Error::InvalidMessage(InvalidMessage::InvalidContentType);
        assert_eq!(problem(&context(true), error), Some(Problem::NotTls));
    }

    #[test]
    fn an_unknown_issuer_or_a_wrong_name_is_a_certificate_problem_naming_the_cert_dir() {
        let unknown = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        assert_eq!(
            problem(&context(true), unknown),
            Some(Problem::Certificate { cert_dir: "/certs".into(), why: CertificateProblem::UnknownIssuer })
        );
        let wrong_name = rustls::Error::InvalidCertificate(CertificateError::NotValidForName);
        assert_eq!(
            problem(&context(true), wrong_name),
            Some(Problem::Certificate { cert_dir: "/certs".into(), why: CertificateProblem::WrongName })
        );
    }

    #[test]
    fn a_certificate_alert_from_the_engine_is_a_rejection_of_ours_or_of_none() {
        let required = || rustls::Error::AlertReceived(AlertDescription::CertificateRequired);
        assert_eq!(
            problem(&context(false), required()),
            Some(Problem::ClientCertificateRejected { cert_dir: "/certs".into(), sent: false })
        );
        let unknown_ca = rustls::Error::AlertReceived(AlertDescription::UnknownCA);
        assert_eq!(
            problem(&context(true), unknown_ca),
            Some(Problem::ClientCertificateRejected { cert_dir: "/certs".into(), sent: true })
        );
        let other = rustls::Error::AlertReceived(AlertDescription::ProtocolVersion);
        assert_eq!(problem(&context(true), other), Some(Problem::Tls));
    }

    #[test]
    fn an_error_without_rustls_in_it_is_left_alone() {
        let refused = Outer(io::Error::from(io::ErrorKind::ConnectionRefused));
        assert!(context(true).classify(&refused).is_none());
    }

    /// A fresh folder for certificate files, removed on drop.
    struct CertDir(PathBuf);

    impl CertDir {
        fn new(role: &str) -> CertDir {
            let dir = std::env::temp_dir().join(format!("dockdu-tls-unit-{}-{role}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            CertDir(dir)
        }
    }

    impl Drop for CertDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn cert_file_problem(dir: &Path, verify: bool) -> Problem {
        match connector(&TlsFiles::in_dir(dir), verify) {
            Ok(_) => panic!("connector accepted {}", dir.display()),
            Err(classified) => classified.problem,
        }
    }

    #[test]
    fn verifying_without_ca_pem_names_the_file() {
        let CertDir(dir) = &CertDir::new("no-ca");
        assert_eq!(cert_file_problem(dir, true), Problem::CertFile(dir.join("ca.pem")));
    }

    #[test]
    fn a_ca_pem_without_a_certificate_names_the_file() {
        let CertDir(dir) = &CertDir::new("empty-ca");
        std::fs::write(dir.join("ca.pem"), "not a certificate\n").unwrap();
        assert_eq!(cert_file_problem(dir, true), Problem::CertFile(dir.join("ca.pem")));
    }

    #[test]
    fn a_client_certificate_without_its_key_names_key_pem() {
        let CertDir(dir) = &CertDir::new("no-key");
        std::fs::write(dir.join("cert.pem"), "").unwrap();
        assert_eq!(cert_file_problem(dir, false), Problem::CertFile(dir.join("key.pem")));
    }

    #[test]
    fn without_verification_or_client_certificate_no_file_is_needed() {
        let CertDir(dir) = &CertDir::new("nothing");
        let tls = connector(&TlsFiles::in_dir(dir), false).unwrap_or_else(|c| panic!("{c}"));
        assert!(!tls.context.sends_client_cert);
    }
}
