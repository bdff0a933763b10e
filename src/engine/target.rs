//! Which engine, by the docker CLI's rules: `--host`, else `--context NAME`, else `DOCKER_HOST`,
//! else `DOCKER_CONTEXT`, else the current context in the config folder's `config.json`, else the
//! `default` context (the default socket, then Podman's). Both `--host` and `--context` is an
//! error, as with the docker CLI.

use std::path::PathBuf;

use super::endpoint::{Endpoint, HostChoice, TlsFiles, TlsFlags, DEFAULT_HOST};
use super::error::{EngineError, Problem};
use crate::engine::contexts::{ContextError, DockerConfig, StoredContext, DEFAULT_CONTEXT};

/// Everything that decides the engine, from the command line and the environment, owned so that
/// the explorer can switch contexts later.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub host_flag: Option<String>,
    pub context_flag: Option<String>,
    pub tls: bool,
    pub tls_verify_flag: bool,
    pub tls_ca: Option<String>,
    pub tls_cert: Option<String>,
    pub tls_key: Option<String>,
    /// `DOCKER_HOST`, `DOCKER_CONTEXT`, `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`, `HOME`.
    pub docker_host: Option<String>,
    pub docker_context: Option<String>,
    pub tls_verify_env: Option<String>,
    pub cert_path: Option<String>,
    pub home: Option<String>,
    /// The docker CLI's config folder (`--config`, `DOCKER_CONFIG`, `~/.docker`).
    pub config_dir: PathBuf,
    /// `currentContext` from the config folder's `config.json`, once `read_config_file` read it.
    pub current_context: Option<String>,
    /// The default context's address when neither `--host` nor `DOCKER_HOST` gives one.
    pub default_host: String,
}

/// An engine to connect to: the context that names it, its address as written, and its meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub context: String,
    pub host: String,
    pub endpoint: Endpoint,
}

/// One line of the context list: a context and where it points, or why it cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntry {
    pub name: String,
    pub description: String,
    pub target: Result<Target, EngineError>,
}

impl Settings {
    fn config(&self) -> DockerConfig {
        DockerConfig { dir: self.config_dir.clone() }
    }

    /// Reads `config.json` once, as the docker CLI does when it starts. A file that cannot be read
    /// or parsed (a HOME the user cannot enter, under `sudo -u` or a service account) stops
    /// nothing: the docker CLI warns and goes on with its defaults, and so does dockdu. Returns
    /// why it could not be read, for that warning.
    pub fn read_config_file(&mut self) -> Option<ContextError> {
        let (current, unread) = match self.config().current_context() {
            Ok(current) => (current, None),
            Err(e) => (None, Some(e)),
        };
        self.current_context = current;
        unread
    }

    /// The engine chosen as the docker CLI would choose it.
    pub fn target(&self) -> Result<Target, EngineError> {
        let name = self.context_name()?;
        self.context_target(&name)
    }

    /// The context in use, by the docker CLI's precedence.
    pub fn context_name(&self) -> Result<String, EngineError> {
        let given = |value: &Option<String>| value.clone().filter(|v| !v.is_empty());
        match (given(&self.host_flag), given(&self.context_flag)) {
            (Some(_), Some(_)) => {
                let why = "conflicting options: give either --host or --context, not both";
                Err(EngineError::new("--host and --context", "choosing the engine", Problem::BadContext, why))
            }
            (Some(_), None) => Ok(DEFAULT_CONTEXT.to_owned()),
            (None, Some(context)) => Ok(context),
            (None, None) if given(&self.docker_host).is_some() => Ok(DEFAULT_CONTEXT.to_owned()),
            (None, None) => Ok(given(&self.docker_context)
                .or_else(|| given(&self.current_context))
                .unwrap_or_else(|| DEFAULT_CONTEXT.to_owned())),
        }
    }

    /// The engine a context names; `default` is `--host`, `DOCKER_HOST` or the default socket.
    pub fn context_target(&self, name: &str) -> Result<Target, EngineError> {
        if name == DEFAULT_CONTEXT {
            return self.default_target();
        }
        let stored = self.config().load(name).map_err(|e| context_error(name, e))?;
        stored_target(&stored)
    }

    fn default_target(&self) -> Result<Target, EngineError> {
        let choice = HostChoice {
            flag: self.host_flag.as_deref(),
            docker_host: self.docker_host.as_deref(),
            tls_verify: self.tls_verify_env.as_deref(),
            cert_path: self.cert_path.as_deref(),
            home: self.home.as_deref(),
            default_host: &self.default_host,
            tls_flags: TlsFlags {
                tls: self.tls,
                verify: self.tls_verify_flag,
                ca: self.tls_ca.as_deref(),
                cert: self.tls_cert.as_deref(),
                key: self.tls_key.as_deref(),
            },
        };
        Target::of_choice(DEFAULT_CONTEXT, &choice)
    }

    /// `default` and every stored context, by name, each with its target or why it has none.
    pub fn contexts(&self) -> Vec<ContextEntry> {
        let default = ContextEntry {
            name: DEFAULT_CONTEXT.to_owned(),
            description: "the default socket, DOCKER_HOST or --host".to_owned(),
            target: self.default_target(),
        };
        let stored = self.config().stored().into_iter().map(|stored| match stored {
            Ok(stored) => ContextEntry {
                name: stored.name.clone(),
                description: stored.description.clone(),
                target: stored_target(&stored),
            },
            Err(e) => {
                let name = match &e {
                    ContextError::NotFound { name, .. } => name.clone(),
                    ContextError::Unreadable { path, .. } => path.display().to_string(),
                };
                ContextEntry { target: Err(context_error(&name, e)), name, description: String::new() }
            }
        });
        std::iter::once(default).chain(stored.filter(|c| c.name != DEFAULT_CONTEXT)).collect()
    }
}

impl Target {
    /// The `default` context's engine, or any address given as a `HostChoice`.
    pub fn of_choice(context: &str, choice: &HostChoice) -> Result<Target, EngineError> {
        let host = choice.url().to_owned();
        let endpoint = choice.endpoint().map_err(|e| {
            EngineError::new(&host, "reading the host address", Problem::BadHost, e.to_string())
        })?;
        Ok(Target { context: context.to_owned(), host, endpoint })
    }
}

/// A stored context's engine: TLS when it has TLS material or skips verification, as the docker
/// CLI decides it, with its own files.
fn stored_target(stored: &StoredContext) -> Result<Target, EngineError> {
    let tls_dir = stored.tls_dir.clone().unwrap_or_default();
    let files = TlsFiles::in_dir(&tls_dir);
    let (ca, cert, key) =
        (files.ca.to_string_lossy(), files.cert.to_string_lossy(), files.key.to_string_lossy());
    let choice = HostChoice {
        flag: Some(&stored.host),
        default_host: DEFAULT_HOST,
        tls_flags: TlsFlags {
            tls: stored.uses_tls(),
            verify: stored.uses_tls() && !stored.skip_tls_verify,
            ca: Some(&ca),
            cert: Some(&cert),
            key: Some(&key),
        },
        ..Default::default()
    };
    if stored.host.is_empty() {
        let why = "it has no docker endpoint";
        return Err(EngineError::new(
            &context_label(&stored.name),
            "reading the context",
            Problem::BadContext,
            why,
        ));
    }
    Target::of_choice(&stored.name, &choice)
}

fn context_label(name: &str) -> String {
    format!("context {name}")
}

fn context_error(name: &str, error: ContextError) -> EngineError {
    EngineError::new(
        &context_label(name),
        "reading the docker contexts",
        Problem::BadContext,
        error.to_string(),
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::engine::contexts::{context_id, TestFolder};

    type Folder = TestFolder;

    impl TestFolder {
        fn host_context(&self, name: &str, host: &str) {
            self.context(name, &format!(r#"{{"Host":"{host}"}}"#));
        }

        fn settings(&self) -> Settings {
            let mut settings = Settings {
                config_dir: self.0.clone(),
                default_host: DEFAULT_HOST.to_owned(),
                ..Default::default()
            };
            assert_eq!(settings.read_config_file(), None, "config.json is readable");
            settings
        }
    }

    fn chosen(settings: &Settings) -> (String, String) {
        let target = settings.target().unwrap();
        (target.context, target.host)
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_owned())
    }

    #[test]
    fn the_engine_is_chosen_with_the_docker_clis_precedence() {
        let folder = Folder::new("precedence");
        folder.host_context("flag", "tcp://flag:2375");
        folder.host_context("env", "tcp://env:2375");
        folder.host_context("current", "tcp://current:2375");
        folder.write("config.json", r#"{"currentContext":"current"}"#);
        let all = Settings {
            context_flag: some("flag"),
            docker_host: some("tcp://docker-host:2375"),
            docker_context: some("env"),
            ..folder.settings()
        };
        assert_eq!(chosen(&all), ("flag".into(), "tcp://flag:2375".into()), "--context first");
        let host_flag = Settings { host_flag: some("tcp://h:1"), context_flag: None, ..all.clone() };
        assert_eq!(chosen(&host_flag), ("default".into(), "tcp://h:1".into()), "--host before anything");
        let no_flags = Settings { context_flag: None, ..all.clone() };
        assert_eq!(
            chosen(&no_flags),
            ("default".into(), "tcp://docker-host:2375".into()),
            "then DOCKER_HOST"
        );
        let context_env = Settings { docker_host: None, ..no_flags.clone() };
        assert_eq!(chosen(&context_env), ("env".into(), "tcp://env:2375".into()), "then DOCKER_CONTEXT");
        let config = Settings { docker_context: None, ..context_env.clone() };
        assert_eq!(chosen(&config), ("current".into(), "tcp://current:2375".into()), "then config.json");
        assert_eq!(chosen(&folder.settings().clone()).0, "current");
        let nothing = Folder::new("nothing");
        assert_eq!(chosen(&nothing.settings()), ("default".into(), DEFAULT_HOST.into()), "else default");
    }

    #[test]
    fn host_and_context_together_are_refused_as_the_docker_cli_does() {
        let folder = Folder::new("both");
        let both = Settings { host_flag: some("tcp://h:1"), context_flag: some("x"), ..folder.settings() };
        let error = both.target().unwrap_err();
        assert_eq!(error.problem, Problem::BadContext);
        assert!(error.is_refusal() && error.to_string().contains("either --host or --context"), "{error}");
    }

    #[test]
    fn a_context_that_is_not_stored_is_a_refusal_naming_it() {
        let folder = Folder::new("missing");
        let error = Settings { context_flag: some("gone"), ..folder.settings() }.target().unwrap_err();
        assert!(error.is_refusal(), "{error}");
        assert!(
            error.to_string().contains("context gone") && error.to_string().contains("docker context ls")
        );
        folder.write("config.json", r#"{"currentContext":"vanished"}"#);
        assert!(folder.settings().target().unwrap_err().to_string().contains("\"vanished\""));
    }

    #[test]
    fn a_config_file_that_cannot_be_read_is_a_warning_and_the_defaults_apply() {
        for (role, config_json, why) in [
            ("unreadable-json", Some("{broken"), "key must be a string"),
            ("unreadable-dir", None, "Is a directory"),
        ] {
            let folder = Folder::new(role);
            folder.host_context("named", "tcp://named:2375");
            match config_json {
                Some(text) => folder.write("config.json", text),
                None => std::fs::create_dir_all(folder.0.join("config.json")).unwrap(),
            }
            let mut settings = Settings {
                config_dir: folder.0.clone(),
                default_host: DEFAULT_HOST.to_owned(),
                ..Default::default()
            };
            let unread = settings.read_config_file().expect("a warning");
            assert!(
                unread.to_string().contains("config.json") && unread.to_string().contains(why),
                "{unread}"
            );
            assert_eq!(chosen(&settings).0, "default", "the docker CLI's default, as it does");
            let named = Settings { context_flag: some("named"), ..settings.clone() };
            assert_eq!(chosen(&named), ("named".into(), "tcp://named:2375".into()), "contexts still read");
            let named = Settings { docker_context: some("named"), ..settings };
            assert_eq!(chosen(&named).0, "named");
        }
    }

    #[test]
    fn a_context_named_by_the_user_that_cannot_be_read_is_a_refusal_saying_why() {
        let folder = Folder::new("unreadable-context");
        let meta = folder.0.join("contexts/meta").join(context_id("named")).join("meta.json");
        std::fs::create_dir_all(&meta).unwrap();
        for settings in [
            Settings { context_flag: some("named"), ..folder.settings() },
            Settings { docker_context: some("named"), ..folder.settings() },
        ] {
            let error = settings.target().unwrap_err();
            let expected = format!("context named: cannot read {}: Is a directory", meta.display());
            assert!(error.is_refusal() && error.to_string().contains(&expected), "{error}");
        }
    }

    #[test]
    fn a_context_with_tls_material_is_verified_tls_with_its_own_files() {
        let folder = Folder::new("tls");
        folder.host_context("secure", "tcp://h:2376");
        let tls_dir = folder.0.join("contexts/tls").join(context_id("secure")).join("docker");
        folder.write(&format!("contexts/tls/{}/docker/ca.pem", context_id("secure")), "");
        let target = Settings { context_flag: some("secure"), ..folder.settings() }.target().unwrap();
        let expected =
            Endpoint::Tls { authority: "h:2376".into(), files: TlsFiles::in_dir(&tls_dir), verify: true };
        assert_eq!(target.endpoint, expected);
    }

    #[test]
    fn a_context_without_tls_material_is_plain_and_ssh_is_ssh() {
        let folder = Folder::new("plain");
        folder.host_context("plain", "tcp://h:2375");
        folder.host_context("remote", "ssh://me@box");
        let settings = |name: &str| Settings { context_flag: some(name), ..folder.settings() };
        assert_eq!(settings("plain").target().unwrap().endpoint, Endpoint::Tcp("h:2375".into()));
        assert!(matches!(settings("remote").target().unwrap().endpoint, Endpoint::Ssh(_)));
        // DOCKER_TLS_VERIFY belongs to the default context only.
        let with_env = Settings { tls_verify_env: some("1"), ..settings("plain") };
        assert_eq!(with_env.target().unwrap().endpoint, Endpoint::Tcp("h:2375".into()));
    }

    #[test]
    fn the_context_list_starts_with_default_and_names_every_stored_one() {
        let folder = Folder::new("list");
        folder.host_context("zeta", "unix:///z.sock");
        folder.host_context("alpha", "tcp://a:2375");
        let entries = folder.settings().contexts();
        let names: Vec<_> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["default", "alpha", "zeta"]);
        assert_eq!(entries[1].target.as_ref().unwrap().host, "tcp://a:2375");
        assert!(Path::new(&folder.0).exists());
    }
}
