//! Engine failures as the user should read them: which host, what went wrong, what to try.

use std::fmt;
use std::io;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    Other,
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

    pub fn from_bollard(host: &str, action: &str, error: bollard::errors::Error) -> Self {
        use bollard::errors::Error as B;
        let (problem, detail) = match error {
            B::DockerResponseServerError { status_code, message } => (Problem::Api(status_code), message),
            B::IOError { err } => (problem_of_io(&err), err.to_string()),
            B::RequestTimeoutError => (Problem::Timeout, "no answer in time".to_owned()),
            e @ (B::JsonDataError { .. } | B::JsonSerdeError { .. }) => (Problem::BadJson, e.to_string()),
            other => (Problem::Other, other.to_string()),
        };
        EngineError::new(host, action, problem, detail)
    }

    /// Whether the engine itself is out of reach (as opposed to refusing one request).
    pub fn is_unreachable(&self) -> bool {
        matches!(self.problem, Problem::SocketMissing | Problem::PermissionDenied | Problem::Refused)
    }

    /// Refused before anything reached the engine (`--read-only`, an unusable `--host`): nothing
    /// changed, as with any other refusal.
    pub fn is_refusal(&self) -> bool {
        matches!(self.problem, Problem::ReadOnly | Problem::BadHost)
    }

    /// The engine's 404, for an object that went away while we looked.
    pub fn is_not_found(&self) -> bool {
        self.problem == Problem::Api(404)
    }

    pub fn hint(&self) -> &'static str {
        match self.problem {
            Problem::SocketMissing => {
                "is the daemon running? Start it, or point --host / DOCKER_HOST at a running engine"
            }
            Problem::PermissionDenied => {
                "is your user in the docker group? (sudo usermod -aG docker $USER, then log in again)"
            }
            Problem::Refused => "is the daemon running and listening at that address?",
            Problem::Timeout => "the engine is slow or hung; try again, or check `systemctl status docker`",
            Problem::Api(_) => "the engine refused the request",
            Problem::BadJson => {
                "the engine sent JSON dockdu cannot read; please report it with `docker version`"
            }
            Problem::ReadOnly => "read-only mode: run without --read-only to make changes",
            Problem::BadHost => {
                "give --host (or DOCKER_HOST) as unix:///path, tcp://host:port or https://host:port"
            }
            Problem::Other => "check that the host address is right and the engine is up",
        }
    }
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

impl EngineError {
    /// What went wrong, in a few words: "permission denied", "HTTP 409: volume is in use".
    pub fn cause(&self) -> String {
        match self.problem {
            Problem::SocketMissing => "the socket does not exist".to_owned(),
            Problem::PermissionDenied => "permission denied".to_owned(),
            Problem::Refused => "connection refused".to_owned(),
            Problem::Timeout => "no answer in time".to_owned(),
            Problem::Api(status) => format!("HTTP {status}: {}", self.detail.trim()),
            Problem::ReadOnly => "refused, nothing was sent".to_owned(),
            Problem::BadHost | Problem::BadJson | Problem::Other => self.detail.trim().to_owned(),
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
    fn a_missing_socket_names_host_cause_and_hint() {
        let e = EngineError::from_bollard(
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
        let e = EngineError::from_bollard(
            "unix:///var/run/docker.sock",
            "connecting",
            bollard::errors::Error::IOError { err: io::Error::from(io::ErrorKind::PermissionDenied) },
        );
        assert!(e.to_string().contains("docker group"));
    }

    #[test]
    fn api_errors_keep_the_engine_message() {
        let e = EngineError::from_bollard(
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

    #[test]
    fn a_bad_host_is_a_refusal_like_read_only() {
        assert!(EngineError::new("garbage", "reading the host address", Problem::BadHost, "").is_refusal());
        assert!(EngineError::new("h", "removing", Problem::ReadOnly, "").is_refusal());
        assert!(!EngineError::new("h", "connecting", Problem::Refused, "").is_refusal());
    }
}
