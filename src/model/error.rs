//! Engine failures as the user should read them: which host, what went wrong, what to try. The
//! engine module tells them apart; everything above it reads them here.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    SocketMissing,
    PermissionDenied,
    Refused,
    Timeout,
    /// The engine answered with this HTTP status.
    Api(u16),
    BadJson,
    /// Refused here: dockdu runs with `--read-only`.
    ReadOnly,
    /// `--host` / `DOCKER_HOST` is not an address dockdu can use; nothing was sent.
    BadHost,
    /// We spoke TLS and the engine answered in plain HTTP.
    NotTls,
    /// The engine's certificate failed our check against `ca.pem` in `cert_dir`.
    Certificate {
        cert_dir: PathBuf,
        why: CertificateProblem,
    },
    /// The engine turned down our client certificate, or wanted one we did not send.
    ClientCertificateRejected {
        cert_dir: PathBuf,
        sent: bool,
    },
    /// A certificate or key file is missing or unreadable.
    CertFile(PathBuf),
    /// Any other TLS failure.
    Tls,
    /// `ssh` could not be run, or ended before the engine answered; the detail is its stderr.
    Ssh,
    /// A docker context that cannot be used: not stored, unreadable, or given with `--host`.
    BadContext,
    /// What was to be created exists already (the engine's create would have answered with the
    /// existing object and said nothing).
    AlreadyExists,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateProblem {
    /// Not signed by a CA in `ca.pem`.
    UnknownIssuer,
    /// Signed, but for another name than the host we asked for.
    WrongName,
    /// Expired, not yet valid, malformed, …
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError {
    pub host: String,
    /// What we were doing: "listing containers".
    pub action: String,
    pub problem: Problem,
    pub detail: String,
}

impl EngineError {
    pub fn new(host: &str, action: &str, problem: Problem, detail: impl Into<String>) -> Self {
        EngineError { host: host.to_owned(), action: action.to_owned(), problem, detail: detail.into() }
    }

    /// Whether the engine itself is out of reach (as opposed to refusing one request).
    pub fn is_unreachable(&self) -> bool {
        matches!(self.problem, Problem::SocketMissing | Problem::PermissionDenied | Problem::Refused)
    }

    /// Refused before anything reached the engine (`--read-only`, an unusable `--host`): nothing
    /// changed, as with any other refusal.
    pub fn is_refusal(&self) -> bool {
        matches!(self.problem, Problem::ReadOnly | Problem::BadHost | Problem::BadContext)
    }

    /// The engine's 404, for an object that went away while we looked.
    pub fn is_not_found(&self) -> bool {
        self.problem == Problem::Api(404)
    }

    pub fn hint(&self) -> Cow<'static, str> {
        match &self.problem {
            Problem::SocketMissing => {
                "is the daemon running? Start it, or point --host / DOCKER_HOST at a running engine".into()
            }
            Problem::PermissionDenied => {
                "is your user in the docker group? (sudo usermod -aG docker $USER, then log in again)".into()
            }
            Problem::Refused => "is the daemon running and listening at that address?".into(),
            Problem::Timeout => {
                "the engine is slow or hung; try again, or check `systemctl status docker`".into()
            }
            Problem::Api(_) => "the engine refused the request".into(),
            Problem::BadJson => {
                "the engine sent JSON dockdu cannot read; please report it with `docker version`".into()
            }
            Problem::ReadOnly => "read-only mode: run without --read-only to make changes".into(),
            Problem::BadHost => {
                "give --host (or DOCKER_HOST) as unix:///path, tcp://host:port, https://host:port or \
                 ssh://[user@]host[:port]"
                    .into()
            }
            Problem::NotTls => {
                "use tcp:// without DOCKER_TLS_VERIFY for a plain-HTTP engine, or the engine's TLS port"
                    .into()
            }
            Problem::Certificate { cert_dir, why } => certificate_hint(cert_dir, *why).into(),
            Problem::ClientCertificateRejected { cert_dir, sent: false } => {
                format!("put cert.pem and key.pem in {} (DOCKER_CERT_PATH)", cert_dir.display()).into()
            }
            Problem::ClientCertificateRejected { cert_dir, sent: true } => format!(
                "the engine does not accept {}: it must be signed by a CA the engine trusts",
                cert_dir.join("cert.pem").display()
            )
            .into(),
            Problem::CertFile(path) => format!(
                "put ca.pem, cert.pem and key.pem in {} or point DOCKER_CERT_PATH at them",
                path.parent().unwrap_or(path).display()
            )
            .into(),
            Problem::Tls => {
                "check that this is the engine's TLS port and the certificates are the engine's".into()
            }
            Problem::Ssh => "check that `ssh HOST docker system dial-stdio` works from this shell: a key or \
                agent ssh accepts without a prompt, a known host key, and docker on the far side's PATH"
                .into(),
            Problem::BadContext => {
                "`docker context ls` lists the contexts; choose one with --context NAME or DOCKER_CONTEXT"
                    .into()
            }
            Problem::AlreadyExists => "choose another name, or remove the existing one first".into(),
            Problem::Other => "check that the host address is right and the engine is up".into(),
        }
    }
}

fn certificate_hint(cert_dir: &Path, why: CertificateProblem) -> String {
    let ca = cert_dir.join("ca.pem");
    match why {
        CertificateProblem::UnknownIssuer => format!(
            "{} must hold the CA that signed the engine's certificate: check DOCKER_CERT_PATH",
            ca.display()
        ),
        CertificateProblem::WrongName => {
            "connect by a name or IP address the engine's certificate lists".to_owned()
        }
        CertificateProblem::Invalid => {
            format!("the engine's certificate cannot be checked against {}", ca.display())
        }
    }
}

impl EngineError {
    /// What went wrong, in a few words: "permission denied", "HTTP 409: volume is in use".
    pub fn cause(&self) -> String {
        match &self.problem {
            Problem::SocketMissing => "the socket does not exist".to_owned(),
            Problem::PermissionDenied => "permission denied".to_owned(),
            Problem::Refused => "connection refused".to_owned(),
            // The detail names the bound: "no answer within 30 s".
            Problem::Timeout => self.detail.trim().to_owned(),
            // An empty body says nothing: the status's own words do.
            Problem::Api(status) if self.detail.trim().is_empty() => {
                let reason = http::StatusCode::from_u16(*status).ok().and_then(|s| s.canonical_reason());
                format!("HTTP {status} {}", reason.unwrap_or("(no message)"))
            }
            Problem::Api(status) => format!("HTTP {status}: {}", self.detail.trim()),
            Problem::ReadOnly => "refused, nothing was sent".to_owned(),
            Problem::NotTls => "the engine answered in plain HTTP, not TLS".to_owned(),
            Problem::Certificate { why, .. } => match why {
                CertificateProblem::UnknownIssuer => {
                    "the engine's certificate is not signed by the CA in ca.pem".to_owned()
                }
                CertificateProblem::WrongName => {
                    format!("the engine's certificate is not for this host ({})", self.detail.trim())
                }
                CertificateProblem::Invalid => {
                    format!("the engine's certificate is not valid ({})", self.detail.trim())
                }
            },
            Problem::ClientCertificateRejected { sent: false, .. } => {
                "the engine requires a client certificate and none was sent".to_owned()
            }
            Problem::ClientCertificateRejected { sent: true, .. } => {
                format!("the engine rejected our client certificate ({})", self.detail.trim())
            }
            Problem::CertFile(path) => format!("cannot use {}: {}", path.display(), self.detail.trim()),
            // ssh's own messages often start with "ssh: " already.
            Problem::Ssh => format!("ssh: {}", self.detail.trim().trim_start_matches("ssh: ")),
            Problem::BadHost
            | Problem::BadContext
            | Problem::AlreadyExists
            | Problem::Tls
            | Problem::BadJson
            | Problem::Other => self.detail.trim().to_owned(),
        }
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed on {}: {} — {}", self.action, self.host, self.cause(), self.hint())
    }
}

impl std::error::Error for EngineError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_error_body_shows_the_status_words() {
        let e = EngineError::new("h", "removing volume v", Problem::Api(404), "");
        assert_eq!(e.cause(), "HTTP 404 Not Found");
        assert!(!e.to_string().contains(":  —"), "{e}");
    }
}
