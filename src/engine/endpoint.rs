//! Where the engine is, for the `default` context: `--host`, else `DOCKER_HOST`, else the default
//! unix socket (then Podman's); and what an address means: unix, tcp, TLS or ssh.

use std::fmt;
use std::path::{Path, PathBuf};

pub const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

/// A parsed engine address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Unix(PathBuf),
    /// `host:port`, plain HTTP.
    Tcp(String),
    /// `host:port` over TLS, with these certificate files.
    Tls {
        authority: String,
        files: TlsFiles,
        verify: bool,
    },
    /// `ssh://[user@]host[:port]`: the system `ssh` runs `docker system dial-stdio` there.
    Ssh(SshTarget),
}

/// The three files of a TLS client, as the docker CLI names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TlsFiles {
    /// `ca.pem`, `cert.pem` and `key.pem` in `dir` (`DOCKER_CERT_PATH`, a context's TLS folder).
    pub fn in_dir(dir: &Path) -> TlsFiles {
        TlsFiles { ca: dir.join("ca.pem"), cert: dir.join("cert.pem"), key: dir.join("key.pem") }
    }

    /// Where the CA file is: what hints point at.
    pub fn dir(&self) -> &Path {
        self.ca.parent().unwrap_or(Path::new("."))
    }
}

/// Who and where to ssh to; the user's ssh config, keys and agent decide the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshTarget {
    pub user: Option<String>,
    pub host: String,
    pub port: Option<u16>,
}

/// The docker CLI's TLS flags (`--tls`, `--tlsverify`, `--tlscacert`, `--tlscert`, `--tlskey`),
/// which dockdu takes too (the docker CLI passes them to a plugin).
#[derive(Debug, Clone, Copy, Default)]
pub struct TlsFlags<'a> {
    pub tls: bool,
    pub verify: bool,
    pub ca: Option<&'a str>,
    pub cert: Option<&'a str>,
    pub key: Option<&'a str>,
}

/// What the user asked for, and from where: environment lookups are passed in so this stays pure.
#[derive(Debug, Clone, Copy, Default)]
pub struct HostChoice<'a> {
    pub flag: Option<&'a str>,
    pub docker_host: Option<&'a str>,
    pub tls_verify: Option<&'a str>,
    pub cert_path: Option<&'a str>,
    pub home: Option<&'a str>,
    /// Used when neither the flag nor `DOCKER_HOST` names a host; see `default_host`.
    pub default_host: &'a str,
    pub tls_flags: TlsFlags<'a>,
}

/// Docker's socket if it is there; else a Podman socket that is (rootless first, as Podman's
/// own clients look: `$XDG_RUNTIME_DIR`, else `/run/user/UID`); else Docker's, so an error names
/// the usual place.
pub fn default_host(runtime_dir: Option<&str>, uid: Option<u32>, exists: impl Fn(&str) -> bool) -> String {
    let docker = DEFAULT_HOST.trim_start_matches("unix://");
    let runtime_dir = runtime_dir
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
        .or_else(|| uid.map(|uid| format!("/run/user/{uid}")));
    let rootless = runtime_dir.map(|d| format!("{d}/podman/podman.sock"));
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
        let verify = self.tls_flags.verify || self.tls_verify.is_some_and(|v| !v.is_empty());
        let tls = verify || self.tls_flags.tls;
        let files = || {
            let dir = match (self.cert_path.filter(|s| !s.is_empty()), self.home) {
                (Some(dir), _) => PathBuf::from(dir),
                (None, Some(home)) => PathBuf::from(home).join(".docker"),
                (None, None) => PathBuf::from(".docker"),
            };
            let in_dir = TlsFiles::in_dir(&dir);
            let given = |flag: Option<&str>, default: PathBuf| flag.map_or(default, PathBuf::from);
            TlsFiles {
                ca: given(self.tls_flags.ca, in_dir.ca),
                cert: given(self.tls_flags.cert, in_dir.cert),
                key: given(self.tls_flags.key, in_dir.key),
            }
        };
        let authority = |default_port: u16| authority(rest, default_port).map_err(bad);
        match scheme {
            "unix" if rest.is_empty() => Err(bad(BadHost::NoSocketPath)),
            "unix" => Ok(Endpoint::Unix(PathBuf::from(rest))),
            "tcp" if tls => Ok(Endpoint::Tls { authority: authority(2376)?, files: files(), verify }),
            "tcp" | "http" => Ok(Endpoint::Tcp(authority(2375)?)),
            "https" => Ok(Endpoint::Tls { authority: authority(2376)?, files: files(), verify }),
            "ssh" => ssh_target(rest).map(Endpoint::Ssh).map_err(bad),
            other => Err(bad(BadHost::UnsupportedScheme(other.to_owned()))),
        }
    }
}

/// `[user@]host[:port]`, as the docker CLI takes it: no password, no path.
fn ssh_target(rest: &str) -> Result<SshTarget, BadHost> {
    let given = rest.strip_suffix('/').unwrap_or(rest);
    let (user, address) = match given.rsplit_once('@') {
        Some((user, _)) if user.contains(':') => return Err(BadHost::SshPassword),
        Some((user, address)) if !user.is_empty() => (Some(user.to_owned()), address),
        Some(_) => return Err(BadHost::NotHostPort),
        None => (None, given),
    };
    if address.is_empty() {
        return Err(BadHost::NoAddress);
    }
    if address.contains(['/', '?', '#']) {
        return Err(BadHost::NotHostPort);
    }
    let parsed: http::uri::Authority = address.parse().map_err(|_| BadHost::NotHostPort)?;
    let host = parsed.host();
    let port = match address.strip_prefix(host).and_then(|after| after.strip_prefix(':')) {
        None if address == host => None,
        Some(port) => Some(port.parse::<u16>().ok().filter(|p| *p != 0).ok_or(BadHost::NotHostPort)?),
        None => return Err(BadHost::NotHostPort),
    };
    // ssh takes an IPv6 address without its brackets.
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() || host.starts_with('-') {
        return Err(BadHost::NotHostPort);
    }
    Ok(SshTarget { user, host: host.to_owned(), port })
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
    /// `ssh://user:password@…`: ssh authenticates with keys or an agent, never a typed password.
    SshPassword,
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
            BadHost::SshPassword => {
                write!(f, "host {url:?} holds a password: ssh:// takes keys or an agent, not a password")
            }
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
            ..Default::default()
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
            Endpoint::Tls {
                authority: "h:2376".into(),
                files: TlsFiles::in_dir(Path::new("/home/u/.docker")),
                verify: false
            }
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
            ..Default::default()
        }
        .endpoint()
    }

    #[test]
    fn tls_verify_turns_tcp_into_verified_tls_with_cert_path() {
        let verified = Endpoint::Tls {
            authority: "h:2376".into(),
            files: TlsFiles::in_dir(Path::new("/certs")),
            verify: true,
        };
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
            Endpoint::Tls {
                authority: "h:2376".into(),
                files: TlsFiles::in_dir(Path::new("/certs")),
                verify: false
            }
        );
        assert!(endpoint.is_tls_unverified());
        assert!(!with_tls_verify("https://h", Some("1")).unwrap().is_tls_unverified());
        assert!(!with_tls_verify("tcp://h", None).unwrap().is_tls_unverified());
    }

    #[test]
    fn cert_dir_defaults_to_dot_docker_in_home() {
        let c = HostChoice { cert_path: Some(""), ..choice(Some("https://h"), None) };
        let expected = Endpoint::Tls {
            authority: "h:2376".into(),
            files: TlsFiles::in_dir(Path::new("/home/u/.docker")),
            verify: false,
        };
        assert_eq!(c.endpoint().unwrap(), expected);
    }

    #[test]
    fn the_default_is_dockers_socket_else_podmans() {
        let only = |present: &'static str| move |path: &str| path == present;
        let uid = Some(1000);
        assert_eq!(default_host(Some("/run/user/1000"), uid, only("/var/run/docker.sock")), DEFAULT_HOST);
        assert_eq!(
            default_host(Some("/xdg"), uid, only("/xdg/podman/podman.sock")),
            "unix:///xdg/podman/podman.sock"
        );
        assert_eq!(
            default_host(None, None, only("/run/podman/podman.sock")),
            "unix:///run/podman/podman.sock"
        );
        assert_eq!(default_host(None, uid, |_| false), DEFAULT_HOST, "nothing there: name Docker's socket");
    }

    #[test]
    fn without_xdg_runtime_dir_the_rootless_podman_socket_is_looked_for_under_run_user_uid() {
        let only = |present: &'static str| move |path: &str| path == present;
        let rootless = "/run/user/1000/podman/podman.sock";
        assert_eq!(default_host(None, Some(1000), only(rootless)), format!("unix://{rootless}"));
        assert_eq!(default_host(Some(""), Some(1000), only(rootless)), format!("unix://{rootless}"));
    }

    #[test]
    fn says_what_is_wrong_with_an_unusable_host() {
        let why = |flag: &str| choice(Some(flag), None).endpoint().map_err(|e| e.why);
        assert_eq!(why("garbage"), Err(BadHost::NoScheme));
        assert_eq!(why("/var/run/docker.sock"), Err(BadHost::NoScheme));
        assert_eq!(why("ftp://x"), Err(BadHost::UnsupportedScheme("ftp".into())));
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
        let error = choice(Some("ftp://x"), None).endpoint().unwrap_err();
        assert_eq!(error.to_string(), "host \"ftp://x\": the ftp:// scheme is not supported");
    }
}

#[cfg(test)]
mod ssh_and_flag_tests {
    use super::*;

    fn endpoint(url: &str) -> Result<Endpoint, BadHost> {
        HostChoice { flag: Some(url), default_host: DEFAULT_HOST, ..Default::default() }
            .endpoint()
            .map_err(|e| e.why)
    }

    fn ssh(user: Option<&str>, host: &str, port: Option<u16>) -> Result<Endpoint, BadHost> {
        Ok(Endpoint::Ssh(SshTarget { user: user.map(str::to_owned), host: host.to_owned(), port }))
    }

    #[test]
    fn ssh_addresses_take_a_user_and_a_port_as_the_docker_cli_does() {
        assert_eq!(endpoint("ssh://box"), ssh(None, "box", None));
        assert_eq!(endpoint("ssh://me@box:2222"), ssh(Some("me"), "box", Some(2222)));
        assert_eq!(endpoint("ssh://me@127.0.0.1/"), ssh(Some("me"), "127.0.0.1", None));
        assert_eq!(endpoint("ssh://[::1]:22"), ssh(None, "::1", Some(22)));
        assert!(!endpoint("ssh://box").unwrap().is_local(), "a remote engine's paths are not ours");
    }

    #[test]
    fn ssh_addresses_without_a_host_with_a_path_or_a_password_are_refused() {
        assert_eq!(endpoint("ssh://"), Err(BadHost::NoAddress));
        assert_eq!(endpoint("ssh://me@"), Err(BadHost::NoAddress));
        assert_eq!(endpoint("ssh://box/var/run/docker.sock"), Err(BadHost::NotHostPort));
        assert_eq!(endpoint("ssh://box:0"), Err(BadHost::NotHostPort));
        assert_eq!(endpoint("ssh://me:secret@box"), Err(BadHost::SshPassword));
        assert_eq!(endpoint("ssh://-oProxyCommand=x"), Err(BadHost::NotHostPort), "never an ssh option");
    }

    #[test]
    fn the_tls_flags_of_the_docker_cli_choose_tls_and_its_files() {
        let choice = HostChoice {
            flag: Some("tcp://h:2376"),
            cert_path: Some("/certs"),
            default_host: DEFAULT_HOST,
            tls_flags: TlsFlags { tls: true, ..Default::default() },
            ..Default::default()
        };
        let unverified = Endpoint::Tls {
            authority: "h:2376".into(),
            files: TlsFiles::in_dir(Path::new("/certs")),
            verify: false,
        };
        assert_eq!(choice.endpoint(), Ok(unverified));
        let verified = HostChoice {
            tls_flags: TlsFlags { verify: true, ca: Some("/x/my-ca.pem"), ..Default::default() },
            ..choice
        };
        let Ok(Endpoint::Tls { files, verify: true, .. }) = verified.endpoint() else {
            panic!("--tlsverify is verified TLS: {:?}", verified.endpoint())
        };
        assert_eq!(
            (files.ca.as_path(), files.cert.as_path()),
            (Path::new("/x/my-ca.pem"), Path::new("/certs/cert.pem"))
        );
    }
}
