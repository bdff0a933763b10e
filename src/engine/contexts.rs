//! The docker CLI's contexts, read from its config folder (`--config`, `$DOCKER_CONFIG`, else
//! `~/.docker`) exactly where the CLI keeps them, without asking any engine:
//! - `config.json`: `currentContext`, set by `docker context use`;
//! - `contexts/meta/<sha256 of the name>/meta.json`: the name and `Endpoints.docker.{Host,
//!   SkipTLSVerify}`;
//! - `contexts/tls/<sha256 of the name>/docker/{ca,cert,key}.pem`: its TLS material, if any.
//!
//! dockdu only reads here; contexts are made with `docker context create`.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The context that means "no context": `-H`, `DOCKER_HOST` or the default socket.
pub const DEFAULT_CONTEXT: &str = "default";

/// The docker CLI's config folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerConfig {
    pub dir: PathBuf,
}

/// A context as `docker context create` stored it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredContext {
    pub name: String,
    pub description: String,
    /// `Endpoints.docker.Host`: `unix://…`, `tcp://…`, `ssh://…`.
    pub host: String,
    pub skip_tls_verify: bool,
    /// `contexts/tls/<id>/docker`, when the context has TLS material there.
    pub tls_dir: Option<PathBuf>,
}

impl StoredContext {
    /// Whether the docker CLI would speak TLS to a `tcp://` host of this context.
    pub fn uses_tls(&self) -> bool {
        self.tls_dir.is_some() || self.skip_tls_verify
    }
}

/// Why a context could not be read. The user's files are wrong, no engine was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextError {
    /// No `contexts/meta/<id>/meta.json` for this name.
    NotFound { name: String, config_dir: PathBuf },
    /// A file that is there but cannot be read or parsed.
    Unreadable { path: PathBuf, why: String },
}

impl fmt::Display for ContextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContextError::NotFound { name, config_dir } => {
                write!(f, "context {name:?} is not in {}", config_dir.join("contexts").display())
            }
            ContextError::Unreadable { path, why } => write!(f, "cannot read {}: {why}", path.display()),
        }
    }
}

impl std::error::Error for ContextError {}

impl DockerConfig {
    /// `--config`, else `$DOCKER_CONFIG`, else `~/.docker`, as the docker CLI finds it.
    pub fn locate(flag: Option<&str>, env: Option<&str>, home: Option<&str>) -> DockerConfig {
        let given = flag.filter(|s| !s.is_empty()).or(env.filter(|s| !s.is_empty()));
        let dir = match (given, home) {
            (Some(dir), _) => PathBuf::from(dir),
            (None, Some(home)) => Path::new(home).join(".docker"),
            (None, None) => PathBuf::from(".docker"),
        };
        DockerConfig { dir }
    }

    /// `currentContext` from `config.json`; `None` when the file or the key is absent or empty.
    pub fn current_context(&self) -> Result<Option<String>, ContextError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct ConfigFile {
            #[serde(rename = "currentContext")]
            current_context: Option<String>,
        }
        let path = self.dir.join("config.json");
        let Some(text) = read_if_present(&path)? else { return Ok(None) };
        let config: ConfigFile = serde_json::from_str(&text).map_err(|e| unreadable(&path, e))?;
        Ok(config.current_context.filter(|name| !name.is_empty()))
    }

    /// The stored context of this name (never `default`, which is not stored).
    pub fn load(&self, name: &str) -> Result<StoredContext, ContextError> {
        let id = context_id(name);
        let path = self.dir.join("contexts").join("meta").join(&id).join("meta.json");
        match read_if_present(&path)? {
            Some(text) => self.parse(&path, &text, &id),
            None => Err(ContextError::NotFound { name: name.to_owned(), config_dir: self.dir.clone() }),
        }
    }

    /// Every stored context, by name. An unreadable one is returned as its error, so one broken
    /// context does not hide the others.
    pub fn stored(&self) -> Vec<Result<StoredContext, ContextError>> {
        let meta = self.dir.join("contexts").join("meta");
        let Ok(entries) = std::fs::read_dir(&meta) else { return Vec::new() };
        let mut contexts: Vec<Result<StoredContext, ContextError>> = entries
            .flatten()
            .map(|entry| {
                let path = entry.path().join("meta.json");
                let id = entry.file_name().to_string_lossy().into_owned();
                let text = std::fs::read_to_string(&path).map_err(|e| unreadable(&path, e))?;
                self.parse(&path, &text, &id)
            })
            .collect();
        contexts.sort_by_key(sort_key);
        contexts
    }

    fn parse(&self, path: &Path, text: &str, id: &str) -> Result<StoredContext, ContextError> {
        let meta: Meta = serde_json::from_str(text).map_err(|e| unreadable(path, e))?;
        let docker = meta.endpoints.docker.unwrap_or_default();
        let tls_dir = self.dir.join("contexts").join("tls").join(id).join("docker");
        let has_tls = ["ca.pem", "cert.pem", "key.pem"].iter().any(|file| tls_dir.join(file).exists());
        Ok(StoredContext {
            name: meta.name,
            description: meta.metadata.description.unwrap_or_default(),
            host: docker.host.unwrap_or_default(),
            skip_tls_verify: docker.skip_tls_verify.unwrap_or(false),
            tls_dir: has_tls.then_some(tls_dir),
        })
    }
}

fn sort_key(context: &Result<StoredContext, ContextError>) -> String {
    match context {
        Ok(context) => context.name.clone(),
        Err(ContextError::Unreadable { path, .. }) => path.display().to_string(),
        Err(ContextError::NotFound { name, .. }) => name.clone(),
    }
}

/// The folder name the docker CLI gives a context: the sha256 of its name, in hex.
pub fn context_id(name: &str) -> String {
    Sha256::digest(name.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

fn read_if_present(path: &Path) -> Result<Option<String>, ContextError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(unreadable(path, e)),
    }
}

fn unreadable(path: &Path, why: impl fmt::Display) -> ContextError {
    ContextError::Unreadable { path: path.to_owned(), why: why.to_string() }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Meta {
    name: String,
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    endpoints: Endpoints,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Metadata {
    description: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Endpoints {
    docker: Option<DockerEndpoint>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct DockerEndpoint {
    host: Option<String>,
    #[serde(rename = "SkipTLSVerify")]
    skip_tls_verify: Option<bool>,
}

/// A config folder laid out as `docker context create` leaves it, for tests; removed on drop.
#[cfg(test)]
pub(crate) struct TestFolder(pub PathBuf);

#[cfg(test)]
impl TestFolder {
    pub fn new(role: &str) -> TestFolder {
        let dir = std::env::temp_dir().join(format!("dockdu-contexts-{}-{role}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TestFolder(dir)
    }

    pub fn config(&self) -> DockerConfig {
        DockerConfig { dir: self.0.clone() }
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A stored context whose docker endpoint is the JSON `endpoint`.
    pub fn context(&self, name: &str, endpoint: &str) {
        let meta = format!(
            r#"{{"Name":"{name}","Metadata":{{"Description":"about {name}"}},"Endpoints":{{"docker":{endpoint}}}}}"#
        );
        self.write(&format!("contexts/meta/{}/meta.json", context_id(name)), &meta);
    }
}

#[cfg(test)]
impl Drop for TestFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Folder = TestFolder;

    #[test]
    fn the_folder_name_is_the_sha256_of_the_context_name_as_the_docker_cli_makes_it() {
        // `docker context create remote …` on the docker CLI makes this folder.
        assert_eq!(context_id("default"), "37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f");
    }

    #[test]
    fn the_config_folder_is_the_flag_else_docker_config_else_home() {
        let locate = DockerConfig::locate;
        assert_eq!(locate(Some("/f"), Some("/e"), Some("/h")).dir, PathBuf::from("/f"));
        assert_eq!(locate(None, Some("/e"), Some("/h")).dir, PathBuf::from("/e"));
        assert_eq!(locate(None, Some(""), Some("/h")).dir, PathBuf::from("/h/.docker"));
    }

    #[test]
    fn current_context_comes_from_config_json_and_is_none_without_it() {
        let folder = Folder::new("current");
        assert_eq!(folder.config().current_context(), Ok(None), "no config.json");
        folder.write("config.json", r#"{"auths":{},"currentContext":"remote"}"#);
        assert_eq!(folder.config().current_context(), Ok(Some("remote".to_owned())));
        folder.write("config.json", r#"{"currentContext":""}"#);
        assert_eq!(folder.config().current_context(), Ok(None));
        folder.write("config.json", "{broken");
        assert!(matches!(folder.config().current_context(), Err(ContextError::Unreadable { .. })));
    }

    #[test]
    fn a_stored_context_gives_its_host_and_tls_material() {
        let folder = Folder::new("load");
        folder.context("remote", r#"{"Host":"ssh://me@box:2222","SkipTLSVerify":false}"#);
        folder.context("secure", r#"{"Host":"tcp://h:2376","SkipTLSVerify":true}"#);
        let tls = format!("contexts/tls/{}/docker/ca.pem", context_id("secure"));
        folder.write(&tls, "");
        let config = folder.config();

        let remote = config.load("remote").unwrap();
        assert_eq!(
            (remote.host.as_str(), remote.description.as_str()),
            ("ssh://me@box:2222", "about remote")
        );
        assert!(!remote.uses_tls());
        let secure = config.load("secure").unwrap();
        assert!(secure.skip_tls_verify && secure.uses_tls());
        assert_eq!(secure.tls_dir, Some(folder.0.join(&tls).parent().unwrap().to_owned()));
        assert_eq!(
            config.load("nope"),
            Err(ContextError::NotFound { name: "nope".into(), config_dir: folder.0.clone() })
        );
    }

    #[test]
    fn every_stored_context_is_listed_by_name_and_a_broken_one_does_not_hide_the_rest() {
        let folder = Folder::new("list");
        folder.context("b", r#"{"Host":"unix:///b.sock"}"#);
        folder.context("a", r#"{"Host":"tcp://a:2375"}"#);
        folder.write("contexts/meta/0bad/meta.json", "not json");
        let listed = folder.config().stored();
        let names: Vec<_> = listed.iter().filter_map(|c| c.as_ref().ok()).map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(listed.iter().filter(|c| c.is_err()).count(), 1);
        assert!(Folder::new("none").config().stored().is_empty(), "no contexts folder: none");
    }
}
