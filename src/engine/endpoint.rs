//! Where the engine is: `--host`, else `DOCKER_HOST`, else the default unix socket.

use std::fmt;
use std::path::PathBuf;

pub const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

/// A parsed engine address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Unix(PathBuf),
    /// `host:port`, plain HTTP.
    Tcp(String),
    /// `host:port` over TLS; certificates come from `cert_dir`.
    Tls {
        authority: String,
        cert_dir: PathBuf,
        verify: bool,
    },
}

/// What the user asked for, and from where: environment lookups are passed in so this stays pure.
pub struct HostChoice<'a> {
    pub flag: Option<&'a str>,
    pub docker_host: Option<&'a str>,
    pub tls_verify: Option<&'a str>,
    pub cert_path: Option<&'a str>,
    pub home: Option<&'a str>,
    /// Used when neither the flag nor `DOCKER_HOST` names a host; see `default_host`.
    pub default_host: &'a str,
}

/// Docker's socket if it is there; else a Podman socket that is (rootless first, as Podman's
/// own clients look); else Docker's, so an error names the usual place.
pub fn default_host(runtime_dir: Option<&str>, exists: impl Fn(&str) -> bool) -> String {
    let docker = DEFAULT_HOST.trim_start_matches("unix://");
    let rootless = runtime_dir.filter(|d| !d.is_empty()).map(|d| format!("{d}/podman/podman.sock"));
    let candidates =
        std::iter::once(docker.to_owned()).chain(rootless).chain(["/run/podman/podman.sock".to_owned()]);
    let found = candidates.into_iter().find(|path| exists(path));
    format!("unix://{}", found.as_deref().unwrap_or(docker))
}

impl HostChoice<'_> {
    /// The host string as given, before parsing (shown to the user).
    pub fn url(&self) -> &str {
        self.flag
            .filter(|s| !s.is_empty())
            .or(self.docker_host.filter(|s| !s.is_empty()))
            .unwrap_or(self.default_host)
    }

    pub fn endpoint(&self) -> Result<Endpoint, HostError> {
        let url = self.url();
        let bad = |why: BadHost| HostError { url: url.to_owned(), why };
        let (scheme, rest) = url.split_once("://").ok_or_else(|| bad(BadHost::NoScheme))?;
        // As the docker CLI: any non-empty value turns verification on, "0" and "false" included.
        let verify = self.tls_verify.is_some_and(|v| !v.is_empty());
        let cert_dir = || -> PathBuf {
            match (self.cert_path.filter(|s| !s.is_empty()), self.home) {
                (Some(dir), _) => PathBuf::from(dir),
                (None, Some(home)) => PathBuf::from(home).join(".docker"),
                (None, None) => PathBuf::from(".docker"),
            }
        };
        let authority = |default_port: u16| authority(rest, default_port).map_err(bad);
        match scheme {
            "unix" if rest.is_empty() => Err(bad(BadHost::NoSocketPath)),
            "unix" => Ok(Endpoint::Unix(PathBuf::from(rest))),
            "tcp" if verify => {
                Ok(Endpoint::Tls { authority: authority(2376)?, cert_dir: cert_dir(), verify })
            }
            "tcp" | "http" => Ok(Endpoint::Tcp(authority(2375)?)),
            "https" => Ok(Endpoint::Tls { authority: authority(2376)?, cert_dir: cert_dir(), verify }),
            other => Err(bad(BadHost::UnsupportedScheme(other.to_owned()))),
        }
    }
}

/// `host[:port]` (a trailing `/` allowed), with the scheme's default port when none is given.
fn authority(rest: &str, default_port: u16) -> Result<String, BadHost> {
    let given = rest.strip_suffix('/').unwrap_or(rest);
    if given.is_empty() {
        return Err(BadHost::NoAddress);
    }
    let parsed: http::uri::Authority = given.parse().map_err(|_| BadHost::NotHostPort)?;
    let host = parsed.host();
    if host.is_empty() || given.contains('@') {
        return Err(BadHost::NotHostPort);
    }
    match given.strip_prefix(host).and_then(|after| after.strip_prefix(':')) {
        None if given == host => Ok(format!("{given}:{default_port}")),
        Some(port) if port.parse::<u16>().is_ok_and(|port| port != 0) => Ok(given.to_owned()),
        _ => Err(BadHost::NotHostPort),
    }
}

/// A host address dockdu cannot use: the user's input is wrong, the engine was never asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostError {
    pub url: String,
    pub why: BadHost,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadHost {
    NoScheme,
    UnsupportedScheme(String),
    NoSocketPath,
    NoAddress,
    /// Not `host` or `host:port` with a port from 1 to 65535.
    NotHostPort,
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = &self.url;
        match &self.why {
            BadHost::NoScheme => write!(f, "host {url:?} has no scheme"),
            BadHost::UnsupportedScheme(scheme) => {
                write!(f, "host {url:?}: the {scheme}:// scheme is not supported")
            }
            BadHost::NoSocketPath => write!(f, "host {url:?} names no socket path"),
            BadHost::NoAddress => write!(f, "host {url:?} names no address"),
            BadHost::NotHostPort => write!(f, "host {url:?} is not host:port"),
        }
    }
}

impl std::error::Error for HostError {}

impl Endpoint {
    /// Host paths of bind mounts can be checked only when the engine shares our filesystem.
    pub fn is_local(&self) -> bool {
        matches!(self, Endpoint::Unix(_))
    }

    /// TLS that does not check the engine's certificate (`https://` without `DOCKER_TLS_VERIFY`).
    pub fn is_tls_unverified(&self) -> bool {
        matches!(self, Endpoint::Tls { verify: false, .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice<'a>(flag: Option<&'a str>, env: Option<&'a str>) -> HostChoice<'a> {
        HostChoice {
            flag,
            docker_host: env,
            tls_verify: None,
            cert_path: None,
            home: Some("/home/u"),
            default_host: DEFAULT_HOST,
        }
    }

    #[test]
    fn flag_wins_over_environment_which_wins_over_default() {
        assert_eq!(choice(Some("tcp://a:1"), Some("tcp://b:2")).url(), "tcp://a:1");
        assert_eq!(choice(None, Some("tcp://b:2")).url(), "tcp://b:2");
        assert_eq!(choice(None, None).url(), DEFAULT_HOST);
        assert_eq!(choice(None, Some("")).url(), DEFAULT_HOST);
    }

    #[test]
    fn parses_each_scheme() {
        assert_eq!(choice(None, None).endpoint().unwrap(), Endpoint::Unix("/var/run/docker.sock".into()));
        assert_eq!(
            choice(Some("tcp://10.0.0.1"), None).endpoint().unwrap(),
            Endpoint::Tcp("10.0.0.1:2375".into())
        );
        assert_eq!(
            choice(Some("https://h:2376"), None).endpoint().unwrap(),
            Endpoint::Tls { authority: "h:2376".into(), cert_dir: "/home/u/.docker".into(), verify: false }
        );
    }

    fn with_tls_verify(flag: &str, tls_verify: Option<&'static str>) -> Result<Endpoint, HostError> {
        HostChoice {
            flag: Some(flag),
            docker_host: None,
            tls_verify,
            cert_path: Some("/certs"),
            home: Some("/home/u"),
            default_host: DEFAULT_HOST,
        }
        .endpoint()
    }

    #[test]
    fn tls_verify_turns_tcp_into_verified_tls_with_cert_path() {
        let verified = Endpoint::Tls { authority: "h:2376".into(), cert_dir: "/certs".into(), verify: true };
        assert_eq!(with_tls_verify("tcp://h", Some("1")).unwrap(), verified);
    }

    #[test]
    fn any_non_empty_tls_verify_verifies_as_the_docker_cli_does() {
        for value in ["1", "0", "false", "no"] {
            let endpoint = with_tls_verify("tcp://h:2376", Some(value)).unwrap();
            assert!(
                matches!(endpoint, Endpoint::Tls { verify: true, .. }),
                "DOCKER_TLS_VERIFY={value:?} gave {endpoint:?}"
            );
            let endpoint = with_tls_verify("https://h:2376", Some(value)).unwrap();
            assert!(matches!(endpoint, Endpoint::Tls { verify: true, .. }), "https with {value:?}");
        }
        assert_eq!(with_tls_verify("tcp://h:2375", Some("")).unwrap(), Endpoint::Tcp("h:2375".into()));
        assert_eq!(with_tls_verify("tcp://h:2375", None).unwrap(), Endpoint::Tcp("h:2375".into()));
    }

    #[test]
    fn https_without_tls_verify_is_tls_unverified() {
        let endpoint = with_tls_verify("https://h", None).unwrap();
        assert_eq!(
            endpoint,
            Endpoint::Tls { authority: "h:2376".into(), cert_dir: "/certs".into(), verify: false }
        );
        assert!(endpoint.is_tls_unverified());
        assert!(!with_tls_verify("https://h", Some("1")).unwrap().is_tls_unverified());
        assert!(!with_tls_verify("tcp://h", None).unwrap().is_tls_unverified());
    }

    #[test]
    fn cert_dir_defaults_to_dot_docker_in_home() {
        let c = HostChoice { cert_path: Some(""), ..choice(Some("https://h"), None) };
        let expected =
            Endpoint::Tls { authority: "h:2376".into(), cert_dir: "/home/u/.docker".into(), verify: false };
        assert_eq!(c.endpoint().unwrap(), expected);
    }

    #[test]
    fn the_default_is_dockers_socket_else_podmans() {
        let only = |present: &'static str| move |path: &str| path == present;
        assert_eq!(default_host(Some("/run/user/1000"), only("/var/run/docker.sock")), DEFAULT_HOST);
        assert_eq!(
            default_host(Some("/run/user/1000"), only("/run/user/1000/podman/podman.sock")),
            "unix:///run/user/1000/podman/podman.sock"
        );
        assert_eq!(default_host(None, only("/run/podman/podman.sock")), "unix:///run/podman/podman.sock");
        assert_eq!(default_host(None, |_| false), DEFAULT_HOST, "nothing there: name Docker's socket");
    }

    #[test]
    fn says_what_is_wrong_with_an_unusable_host() {
        let why = |flag: &str| choice(Some(flag), None).endpoint().map_err(|e| e.why);
        assert_eq!(why("garbage"), Err(BadHost::NoScheme));
        assert_eq!(why("/var/run/docker.sock"), Err(BadHost::NoScheme));
        assert_eq!(why("ssh://x"), Err(BadHost::UnsupportedScheme("ssh".into())));
        assert_eq!(why("unix://"), Err(BadHost::NoSocketPath));
        assert_eq!(why("tcp://"), Err(BadHost::NoAddress));
        assert_eq!(why("https:///"), Err(BadHost::NoAddress));
        assert_eq!(why("tcp://h:port"), Err(BadHost::NotHostPort));
        assert_eq!(why("tcp://h:"), Err(BadHost::NotHostPort));
        assert_eq!(why("tcp://h:0"), Err(BadHost::NotHostPort));
        assert_eq!(why("tcp://h:99999"), Err(BadHost::NotHostPort));
        assert_eq!(why("tcp://h:2375/base"), Err(BadHost::NotHostPort));
        assert_eq!(why("tcp://user@h:2375"), Err(BadHost::NotHostPort));
        assert_eq!(why("tcp://:2375"), Err(BadHost::NotHostPort));
    }

    #[test]
    fn addresses_keep_their_port_or_get_the_schemes_default() {
        let tcp = |flag: &str| choice(Some(flag), None).endpoint().unwrap();
        assert_eq!(tcp("tcp://h:1234/"), Endpoint::Tcp("h:1234".into()));
        assert_eq!(tcp("http://h"), Endpoint::Tcp("h:2375".into()));
        assert_eq!(tcp("tcp://[::1]"), Endpoint::Tcp("[::1]:2375".into()));
        assert_eq!(tcp("tcp://[::1]:2376"), Endpoint::Tcp("[::1]:2376".into()));
    }

    #[test]
    fn an_unusable_host_is_named_in_its_message() {
        let error = choice(Some("ssh://x"), None).endpoint().unwrap_err();
        assert_eq!(error.to_string(), "host \"ssh://x\": the ssh:// scheme is not supported");
    }
}
