//! Where the engine is: `--host`, else `DOCKER_HOST`, else the default unix socket.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};

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

    pub fn endpoint(&self) -> Result<Endpoint> {
        let url = self.url();
        let (scheme, rest) = url
            .split_once("://")
            .with_context(|| format!("host {url:?} has no scheme (unix://, tcp://, https://)"))?;
        // Docker treats DOCKER_TLS_VERIFY as on when set to anything but empty.
        let verify = self.tls_verify.is_some_and(|v| !v.is_empty() && v != "0");
        let cert_dir = || -> PathBuf {
            match (self.cert_path.filter(|s| !s.is_empty()), self.home) {
                (Some(dir), _) => PathBuf::from(dir),
                (None, Some(home)) => PathBuf::from(home).join(".docker"),
                (None, None) => PathBuf::from(".docker"),
            }
        };
        let authority = |rest: &str, default_port: u16| -> Result<String> {
            let authority = rest.trim_end_matches('/');
            if authority.is_empty() {
                bail!("host {url:?} names no address");
            }
            Ok(if authority.contains(':') {
                authority.to_owned()
            } else {
                format!("{authority}:{default_port}")
            })
        };
        match scheme {
            "unix" => {
                if rest.is_empty() {
                    bail!("host {url:?} names no socket path");
                }
                Ok(Endpoint::Unix(PathBuf::from(rest)))
            }
            "tcp" if verify => {
                Ok(Endpoint::Tls { authority: authority(rest, 2376)?, cert_dir: cert_dir(), verify })
            }
            "tcp" | "http" => Ok(Endpoint::Tcp(authority(rest, 2375)?)),
            "https" => Ok(Endpoint::Tls { authority: authority(rest, 2376)?, cert_dir: cert_dir(), verify }),
            other => bail!(
                "host {url:?}: the {other}:// scheme is not supported (use unix://, tcp:// or https://)"
            ),
        }
    }
}

impl Endpoint {
    /// Host paths of bind mounts can be checked only when the engine shares our filesystem.
    pub fn is_local(&self) -> bool {
        matches!(self, Endpoint::Unix(_))
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

    #[test]
    fn tls_verify_turns_tcp_into_tls_with_cert_path() {
        let c = HostChoice {
            flag: Some("tcp://h"),
            docker_host: None,
            tls_verify: Some("1"),
            cert_path: Some("/certs"),
            home: None,
            default_host: DEFAULT_HOST,
        };
        assert_eq!(
            c.endpoint().unwrap(),
            Endpoint::Tls { authority: "h:2376".into(), cert_dir: "/certs".into(), verify: true }
        );
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
    fn rejects_unknown_schemes_and_empty_addresses() {
        assert!(choice(Some("ssh://x"), None).endpoint().is_err());
        assert!(choice(Some("unix://"), None).endpoint().is_err());
        assert!(choice(Some("/var/run/docker.sock"), None).endpoint().is_err());
    }
}
