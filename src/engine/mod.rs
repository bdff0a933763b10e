//! The one place that talks to the Docker Engine. Everything above it sees plain structs from
//! `crate::model` and `EngineError`s.
//!
//! bollard serves the typed calls; the reads whose JSON differs between engines (`/system/df`'s
//! two shapes, Podman's extra container states) go through the same transport and are decoded by
//! `wire`, leniently.

mod archive;
pub mod contexts;
mod endpoint;
mod error;
mod events;
mod images;
mod logs;
mod size_walks;
mod ssh;
mod stream;
mod target;
#[cfg(feature = "tls")]
mod tls;
mod transport;
mod truncate;
mod wire;
mod write;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use archive::Archive;
pub use endpoint::{
    default_host, BadHost, Endpoint, HostChoice, HostError, SshTarget, TlsFiles, TlsFlags, DEFAULT_HOST,
};
pub use error::{CertificateProblem, EngineError, Problem};
pub use events::{Change, ChangeAction, ChangeKind, Events};
pub use logs::LogFollow;
pub use target::{ContextEntry, Settings, Target};
pub use write::{ContainerSpec, Session, SessionTarget, VolumeSpec, DETACH_KEYS, HELPER_LABEL, HELPER_MOUNT};

use crate::model::api_version as parse_api_version;
use crate::model::{ContainerFacts, EngineDetails, EngineInfo, EngineKind, VolumeFacts};
use transport::Transport;

/// The newest API version whose answers dockdu knows how to read.
const NEWEST_KNOWN_API: (u32, u32) = (1, 53);
/// How long connecting and each ordinary request may take by default (`--timeout` changes it):
/// long enough for a slow remote engine. Size walks (`/system/df`, inspect with sizes) and the
/// events stream itself are not bounded: they legitimately take minutes on big hosts.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct Engine {
    docker: bollard::Docker,
    transport: Arc<Transport>,
    /// The docker context that named this engine (`default` for --host, DOCKER_HOST, the socket).
    context: String,
    host: String,
    local: bool,
    /// `--read-only`: every write is refused before it is sent.
    read_only: bool,
    /// Bound on connecting and on each ordinary request.
    timeout: Duration,
    /// `/system/df` and inspects with sizes, kept out of each other's way.
    size_walks: Arc<size_walks::SizeWalks>,
}

impl Engine {
    /// Prepares a client for the chosen host (the `default` context); nothing is sent until the
    /// first call.
    pub fn new(choice: &HostChoice) -> Result<Self, EngineError> {
        Engine::connect(
            &Target::of_choice(crate::engine::contexts::DEFAULT_CONTEXT, choice)?,
            DEFAULT_TIMEOUT,
        )
    }

    /// Prepares a client for an engine a context names; `timeout` bounds connecting (an ssh
    /// connection's setup included) and each ordinary request. Nothing is sent until the first call.
    pub fn connect(target: &Target, timeout: Duration) -> Result<Self, EngineError> {
        let (host, endpoint) = (target.host.clone(), &target.endpoint);
        let transport = Transport::new(&host, endpoint, timeout)?;
        let for_bollard = transport.clone();
        let docker = bollard::Docker::connect_with_custom_transport(
            move |request| {
                let transport = for_bollard.clone();
                async move { transport.send(request).await }
            },
            Some("http://engine"),
            DEFAULT_TIMEOUT.as_secs(),
            &bollard::ClientVersion {
                major_version: NEWEST_KNOWN_API.0 as usize,
                minor_version: NEWEST_KNOWN_API.1 as usize,
            },
        )
        .map_err(|e| error::from_bollard(&host, "connecting", e))?;
        let engine = Engine {
            docker,
            transport,
            context: target.context.clone(),
            host,
            local: endpoint.is_local(),
            read_only: false,
            timeout: DEFAULT_TIMEOUT,
            size_walks: Default::default(),
        };
        Ok(engine.timeout(timeout))
    }

    /// Bounds connecting and each ordinary request (bollard's typed calls and ours alike).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout.max(Duration::from_secs(1));
        self.docker.set_timeout(self.timeout);
        self
    }

    /// Refuses every write from here on; reads still work.
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Ends what this engine's connections still run (its ssh processes): for an engine the
    /// explorer leaves. Requests still in flight fail.
    pub fn close(&self) {
        self.size_walks.close();
        self.transport.end_connections();
    }

    /// The bound on connecting and on each ordinary request.
    pub fn request_timeout(&self) -> Duration {
        self.timeout
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn context(&self) -> &str {
        &self.context
    }

    /// What the header shows before the engine has answered: where, by which context.
    pub fn describe(&self) -> EngineInfo {
        EngineInfo {
            context: self.context.clone(),
            host: self.host.clone(),
            tls_unverified: self.transport.is_tls_unverified(),
            ..Default::default()
        }
    }

    /// Whether the engine shares this machine's filesystem (so bind sources can be checked).
    pub fn is_local(&self) -> bool {
        self.local
    }

    /// Whether the negotiated API version is at least `version`.
    fn api_at_least(&self, version: (u32, u32)) -> bool {
        self.transport.api_version().and_then(parse_api_version).is_some_and(|v| v >= version)
    }

    /// Agrees on an API version (the engine's, capped at the newest we read). Every later request
    /// carries that version. One round trip: the lists can start right after it.
    pub async fn negotiate(&self) -> Result<EngineInfo, EngineError> {
        let version = tokio::time::timeout(self.timeout, self.docker.version())
            .await
            .map_err(|_| self.timed_out("connecting"))?
            .map_err(|e| self.error("connecting", e))?;
        let server_api = version.api_version.clone().unwrap_or_default();
        let api = choose_api_version(&server_api).ok_or_else(|| {
            EngineError::new(
                &self.host,
                "connecting",
                Problem::BadJson,
                format!("unreadable API version {server_api:?}"),
            )
        })?;
        self.transport.set_api_version(api.clone());
        let platform = version.platform.map(|p| p.name).unwrap_or_default();
        let components: Vec<String> =
            version.components.unwrap_or_default().into_iter().map(|c| c.name).collect();
        let (kind, product) = product(&platform, &components);
        Ok(EngineInfo {
            product,
            kind,
            server_version: version.version.unwrap_or_default(),
            api_version: api,
            os: version.os.unwrap_or_default(),
            ..self.describe()
        })
    }

    /// The storage driver and data root, from `/info`: slower than `/version`, and needed only
    /// for the header and the binds' danger, so it is asked for beside the lists, not before them.
    pub async fn details(&self) -> Result<EngineDetails, EngineError> {
        let info: wire::Info = self.get_json("reading engine info", "/info", Some(self.timeout)).await?;
        Ok(info.into_details())
    }

    pub async fn containers(&self) -> Result<Vec<ContainerFacts>, EngineError> {
        let items: Vec<wire::Item> =
            self.get_json("listing containers", "/containers/json?all=1", Some(self.timeout)).await?;
        let (containers, _skipped) = wire::decode_each::<wire::Container>(&items);
        Ok(containers.into_iter().map(wire::Container::into_facts).collect())
    }

    pub async fn volumes(&self) -> Result<Vec<VolumeFacts>, EngineError> {
        let list: wire::VolumeList = self.get_json("listing volumes", "/volumes", Some(self.timeout)).await?;
        let (volumes, _skipped) = wire::decode_each::<wire::Volume>(&list.volumes.unwrap_or_default());
        Ok(volumes.into_iter().map(wire::Volume::into_facts).collect())
    }

    /// An image's size, by id: for an image the list leaves out (an intermediate one).
    pub async fn image_size(&self, id: &str) -> Result<Option<u64>, EngineError> {
        let path = format!("/images/{}/json", encode_path(id));
        let image: wire::Image = self.get_json("inspecting an image", &path, Some(self.timeout)).await?;
        Ok(image.into_facts().size)
    }

    /// The engine's whole inspect document, for showing as it is.
    pub async fn inspect_container(&self, id: &str) -> Result<Value, EngineError> {
        self.get_json("inspecting a container", &format!("/containers/{id}/json?size=1"), Some(self.timeout))
            .await
    }

    pub async fn inspect_volume(&self, name: &str) -> Result<Value, EngineError> {
        self.get_json("inspecting a volume", &format!("/volumes/{}", encode_path(name)), Some(self.timeout))
            .await
    }

    /// Opens the stream of container, volume and image changes. Returns once the engine has answered
    /// (within the timeout); the stream itself is not bounded. The caller reconnects when it ends.
    pub async fn events(&self) -> Result<Events, EngineError> {
        // `{"type":["container","volume","image"]}`, percent-encoded.
        let path = "/events?filters=%7B%22type%22%3A%5B%22container%22%2C%22volume%22%2C%22image%22%5D%7D";
        Ok(Events::new(self.open_stream("watching events", path).await?))
    }

    /// A GET whose body is read as it streams: returns once the engine has answered (within the
    /// timeout) with 200; the body itself is not bounded in time.
    async fn open_stream(&self, action: &'static str, path: &str) -> Result<stream::BodyStream, EngineError> {
        let response = tokio::time::timeout(self.timeout, self.transport.send(get(path)))
            .await
            .map_err(|_| self.timed_out(action))?
            .map_err(|e| self.error(action, e))?;
        if response.status() != StatusCode::OK {
            let status = response.status().as_u16();
            let body = response.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
            return Err(EngineError::new(&self.host, action, Problem::Api(status), engine_message(&body)));
        }
        Ok(stream::BodyStream::new(response.into_body(), &self.host, action))
    }

    fn timed_out(&self, action: &str) -> EngineError {
        let detail = format!("no answer within {} s", self.timeout.as_secs());
        EngineError::new(&self.host, action, Problem::Timeout, detail)
    }

    fn error(&self, action: &str, error: bollard::errors::Error) -> EngineError {
        match error {
            // bollard's bound is ours (`timeout`): say how long it was.
            bollard::errors::Error::RequestTimeoutError => self.timed_out(action),
            error => error::from_bollard(&self.host, action, error),
        }
    }

    async fn get_json<T: DeserializeOwned>(
        &self,
        action: &str,
        path: &str,
        timeout: Option<Duration>,
    ) -> Result<T, EngineError> {
        let call = async {
            let response = self.transport.send(get(path)).await.map_err(|e| self.error(action, e))?;
            let status = response.status();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| EngineError::new(&self.host, action, Problem::Other, e.to_string()))?
                .to_bytes();
            if status != StatusCode::OK {
                return Err(EngineError::new(
                    &self.host,
                    action,
                    Problem::Api(status.as_u16()),
                    engine_message(&body),
                ));
            }
            serde_json::from_slice(&body)
                .map_err(|e| EngineError::new(&self.host, action, Problem::BadJson, e.to_string()))
        };
        match timeout {
            Some(limit) => {
                tokio::time::timeout(limit, call).await.unwrap_or_else(|_| Err(self.timed_out(action)))
            }
            None => call.await,
        }
    }
}

/// A GET of a path (and query) on the engine; the transport adds the address and API version.
fn get(path: &str) -> bollard::BollardRequest {
    let mut request = Request::new(bollard::body_full(Bytes::new()));
    *request.method_mut() = Method::GET;
    // Our paths are fixed strings or escaped with `encode_path`: they always parse.
    *request.uri_mut() = path.parse().unwrap_or_default();
    request
}

/// The engine's `{"message": "..."}`, or the body as it is.
fn engine_message(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Message {
        message: String,
    }
    serde_json::from_slice::<Message>(body)
        .map(|m| m.message)
        .unwrap_or_else(|_| String::from_utf8_lossy(body).trim().to_owned())
}

/// Volume names are `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, but names from other drivers may hold anything.
fn encode_path(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Which engine answered, from `/version`: Docker's `Platform.Name` names its edition ("Docker
/// Engine - Community"); otherwise the first component does ("Engine" for Docker, "Podman
/// Engine" for Podman, whose `Platform.Name` is an OS triple).
fn product(platform: &str, components: &[String]) -> (EngineKind, String) {
    let podman = |name: &str| name.to_ascii_lowercase().contains("podman");
    let kind = if podman(platform) || components.iter().any(|c| podman(c)) {
        EngineKind::Podman
    } else {
        EngineKind::Docker
    };
    let name = match components.first().map(String::as_str) {
        _ if !platform.is_empty() && !platform.contains('/') => platform.to_owned(),
        Some("Engine") | Some("") | None => "Docker Engine".to_owned(),
        Some(name) => name.to_owned(),
    };
    (kind, name)
}

/// The engine's version, or ours if the engine is newer than anything we know.
fn choose_api_version(server: &str) -> Option<String> {
    let (major, minor) = parse_api_version(server)?.min(NEWEST_KNOWN_API);
    Some(format!("{major}.{minor}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_down_to_the_engine_and_caps_at_what_we_read() {
        assert_eq!(choose_api_version("1.41").as_deref(), Some("1.41"));
        assert_eq!(choose_api_version("1.52").as_deref(), Some("1.52"));
        assert_eq!(choose_api_version("1.60").as_deref(), Some("1.53"));
        assert_eq!(choose_api_version("2.0").as_deref(), Some("1.53"));
        assert_eq!(choose_api_version("banana"), None);
    }

    #[test]
    fn the_product_is_read_from_the_version_answer_not_assumed() {
        let names = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let docker = names(&["Engine", "containerd", "runc"]);
        assert_eq!(product("", &docker), (EngineKind::Docker, "Docker Engine".to_owned()));
        assert_eq!(
            product("Docker Engine - Community", &docker),
            (EngineKind::Docker, "Docker Engine - Community".to_owned())
        );
        let podman = names(&["Podman Engine", "Conmon", "OCI Runtime (runc)"]);
        assert_eq!(
            product("linux/amd64/debian-12", &podman),
            (EngineKind::Podman, "Podman Engine".to_owned())
        );
        assert_eq!(product("", &[]), (EngineKind::Docker, "Docker Engine".to_owned()));
    }

    #[test]
    fn engine_messages_are_unwrapped() {
        assert_eq!(engine_message(br#"{"message":"no such volume"}"#), "no such volume");
        assert_eq!(engine_message(b"plain text\n"), "plain text");
    }

    #[test]
    fn path_segments_are_escaped() {
        assert_eq!(encode_path("my_vol-1.0"), "my_vol-1.0");
        assert_eq!(encode_path("a/b c"), "a%2Fb%20c");
    }
}
