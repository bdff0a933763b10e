//! Telling failures apart where they happen: bollard's errors, I/O errors, and problems the
//! transport already classified (TLS, ssh). The error itself is the model's `EngineError`.

use std::fmt;
use std::io;

pub use crate::model::error::{CertificateProblem, EngineError, Problem};

/// An `EngineError` from what bollard reports.
pub fn from_bollard(host: &str, action: &str, error: bollard::errors::Error) -> EngineError {
    use bollard::errors::Error as B;
    let (problem, detail) = match error {
        B::DockerResponseServerError { status_code, message } => (Problem::Api(status_code), message),
        B::IOError { err } => match Classified::inside(&err) {
            Some(classified) => (classified.problem.clone(), classified.detail.clone()),
            None => (problem_of_io(&err), err.to_string()),
        },
        B::RequestTimeoutError => (Problem::Timeout, "no answer in time".to_owned()),
        e @ (B::JsonDataError { .. } | B::JsonSerdeError { .. }) => (Problem::BadJson, e.to_string()),
        other => (Problem::Other, other.to_string()),
    };
    EngineError::new(host, action, problem, detail)
}

fn problem_of_io(error: &io::Error) -> Problem {
    match error.kind() {
        io::ErrorKind::NotFound => Problem::SocketMissing,
        io::ErrorKind::PermissionDenied => Problem::PermissionDenied,
        io::ErrorKind::ConnectionRefused => Problem::Refused,
        io::ErrorKind::TimedOut => Problem::Timeout,
        _ => Problem::Other,
    }
}

/// A problem already told apart below bollard (the transport knows TLS; bollard only passes an
/// `io::Error` on), carried inside that `io::Error` to `from_bollard`.
#[derive(Debug)]
pub(crate) struct Classified {
    pub problem: Problem,
    pub detail: String,
}

impl Classified {
    fn inside(error: &io::Error) -> Option<&Classified> {
        error.get_ref().and_then(|inner| inner.downcast_ref::<Classified>())
    }
}

impl fmt::Display for Classified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

impl std::error::Error for Classified {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_socket_names_host_cause_and_hint() {
        let e = from_bollard(
            "unix:///nope.sock",
            "connecting",
            bollard::errors::Error::IOError { err: io::Error::new(io::ErrorKind::NotFound, "No such file") },
        );
        assert!(e.is_unreachable());
        let line = e.to_string();
        assert!(
            line.contains("unix:///nope.sock")
                && line.contains("does not exist")
                && line.contains("daemon running")
        );
    }

    #[test]
    fn permission_denied_points_at_the_docker_group() {
        let e = from_bollard(
            "unix:///var/run/docker.sock",
            "connecting",
            bollard::errors::Error::IOError { err: io::Error::from(io::ErrorKind::PermissionDenied) },
        );
        assert!(e.to_string().contains("docker group"));
    }

    #[test]
    fn api_errors_keep_the_engine_message() {
        let e = from_bollard(
            "h",
            "removing volume x",
            bollard::errors::Error::DockerResponseServerError {
                status_code: 409,
                message: "volume is in use".into(),
            },
        );
        assert_eq!(e.problem, Problem::Api(409));
        assert!(e.to_string().contains("HTTP 409: volume is in use"));
    }

    fn carrying(problem: Problem, detail: &str) -> EngineError {
        let err = io::Error::new(io::ErrorKind::InvalidData, Classified { problem, detail: detail.into() });
        from_bollard("https://h:2376", "connecting", bollard::errors::Error::IOError { err })
    }

    #[test]
    fn a_classified_problem_passes_through_bollard_unchanged() {
        let e = carrying(Problem::NotTls, "received corrupt message of type InvalidContentType");
        assert_eq!(e.problem, Problem::NotTls);
        let line = e.to_string();
        assert!(
            line.contains("https://h:2376") && line.contains("answered in plain HTTP, not TLS"),
            "{line}"
        );
        assert!(line.contains("tcp:// without DOCKER_TLS_VERIFY"), "{line}");
    }

    #[test]
    fn a_certificate_not_signed_by_the_ca_points_at_ca_pem_in_the_cert_dir() {
        let problem =
            Problem::Certificate { cert_dir: "/certs".into(), why: CertificateProblem::UnknownIssuer };
        let e = carrying(problem, "invalid peer certificate: UnknownIssuer");
        assert!(e.cause().contains("not signed by the CA in ca.pem"), "{}", e.cause());
        assert!(e.hint().contains("/certs/ca.pem"), "{}", e.hint());
        assert!(!e.hint().contains("host address"), "{}", e.hint());
    }

    #[test]
    fn a_rejected_client_certificate_hint_depends_on_whether_one_was_sent() {
        let none =
            carrying(Problem::ClientCertificateRejected { cert_dir: "/certs".into(), sent: false }, "");
        assert!(none.cause().contains("requires a client certificate"), "{}", none.cause());
        assert!(none.hint().contains("cert.pem and key.pem in /certs"), "{}", none.hint());
        let ours = carrying(Problem::ClientCertificateRejected { cert_dir: "/certs".into(), sent: true }, "");
        assert!(ours.hint().contains("/certs/cert.pem"), "{}", ours.hint());
    }

    #[test]
    fn a_missing_cert_file_is_named() {
        let e = EngineError::new(
            "h",
            "setting up TLS",
            Problem::CertFile("/certs/ca.pem".into()),
            "No such file",
        );
        assert!(e.to_string().contains("cannot use /certs/ca.pem: No such file"), "{e}");
        assert!(!e.is_refusal());
    }

    #[test]
    fn a_bad_host_is_a_refusal_like_read_only() {
        assert!(EngineError::new("garbage", "reading the host address", Problem::BadHost, "").is_refusal());
        assert!(EngineError::new("h", "removing", Problem::ReadOnly, "").is_refusal());
        assert!(!EngineError::new("h", "connecting", Problem::Refused, "").is_refusal());
    }
}
