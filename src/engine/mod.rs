//! The one place that talks to the Docker Engine. Everything above it sees plain structs from
//! `crate::model` and `EngineError`s.
//!
//! bollard serves the typed calls; the reads whose JSON differs between engines (`/system/df`'s
//! two shapes, Podman's extra container states) go through the same transport and are decoded by
//! `wire`, leniently.

mod endpoint;
mod error;
#[cfg(feature = "tls")]
mod tls;
mod transport;
mod wire;
mod write;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use endpoint::{default_host, BadHost, Endpoint, HostChoice, HostError, DEFAULT_HOST};
pub use error::{CertificateProblem, EngineError, Problem};
pub use write::{ContainerSpec, Session, SessionTarget, VolumeSpec, DETACH_KEYS};

use crate::model::{ContainerFacts, DiskUsage, EngineInfo, TmpfsFacts, VolumeFacts};
use transport::Transport;

/// The newest API version whose answers dockdu knows how to read.
const NEWEST_KNOWN_API: (u32, u32) = (1, 53);
/// Quick reads; `/system/df` has none, since it legitimately takes minutes on big hosts.
const READ_TIMEOUT: Duration = Duration::from_secs(60);
const DISK_USAGE_BUSY: &str = "a disk usage operation is already running";

#[derive(Clone)]
pub struct Engine {
    docker: bollard::Docker,
    transport: Arc<Transport>,
    host: String,
    local: bool,
    /// `--read-only`: every write is refused before it is sent.
    read_only: bool,
    /// The engine refuses a second `/system/df` while one runs: ours go one at a time.
    disk_usage_gate: Arc<tokio::sync::Mutex<()>>,
}

impl Engine {
    /// Prepares a client for the chosen host; nothing is sent until the first call.
    pub fn new(choice: &HostChoice) -> Result<Self, EngineError> {
        let host = choice.url().to_owned();
        let endpoint = choice.endpoint().map_err(|e| {
            EngineError::new(&host, "reading the host address", Problem::BadHost, e.to_string())
        })?;
        let transport = Transport::new(&host, &endpoint)?;
        let for_bollard = transport.clone();
        let docker = bollard::Docker::connect_with_custom_transport(
            move |request| {
                let transport = for_bollard.clone();
                async move { transport.send(request).await }
            },
            Some("http://engine"),
            120,
            &bollard::ClientVersion {
                major_version: NEWEST_KNOWN_API.0 as usize,
                minor_version: NEWEST_KNOWN_API.1 as usize,
            },
        )
        .map_err(|e| EngineError::from_bollard(&host, "connecting", e))?;
        Ok(Engine {
            docker,
            transport,
            host,
            local: endpoint.is_local(),
            read_only: false,
            disk_usage_gate: Default::default(),
        })
    }

    /// Refuses every write from here on; reads still work.
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    /// Whether the engine shares this machine's filesystem (so bind sources can be checked).
    pub fn is_local(&self) -> bool {
        self.local
    }

    /// Agrees on an API version (the engine's, capped at the newest we read). Every later request
    /// carries that version. One round trip: the lists can start right after it.
    pub async fn negotiate(&self) -> Result<EngineInfo, EngineError> {
        let version = self.docker.version().await.map_err(|e| self.error("connecting", e))?;
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
        Ok(EngineInfo {
            host: self.host.clone(),
            server_version: version.version.unwrap_or_default(),
            api_version: api,
            os: version.os.unwrap_or_default(),
            storage_driver: String::new(),
            tls_unverified: self.transport.is_tls_unverified(),
        })
    }

    /// The storage driver, from `/info`: slower than `/version`, and only for the header, so it
    /// is asked for beside the lists rather than before them.
    pub async fn storage_driver(&self) -> Result<String, EngineError> {
        let info: wire::Info = self.get_json("reading engine info", "/info", Some(READ_TIMEOUT)).await?;
        Ok(info.driver.unwrap_or_default())
    }

    pub async fn containers(&self) -> Result<Vec<ContainerFacts>, EngineError> {
        let items: Vec<wire::Item> =
            self.get_json("listing containers", "/containers/json?all=1", Some(READ_TIMEOUT)).await?;
        let (containers, _skipped) = wire::decode_each::<wire::Container>(&items);
        Ok(containers.into_iter().map(wire::Container::into_facts).collect())
    }

    pub async fn volumes(&self) -> Result<Vec<VolumeFacts>, EngineError> {
        let list: wire::VolumeList = self.get_json("listing volumes", "/volumes", Some(READ_TIMEOUT)).await?;
        let (volumes, _skipped) = wire::decode_each::<wire::Volume>(&list.volumes.unwrap_or_default());
        Ok(volumes.into_iter().map(wire::Volume::into_facts).collect())
    }

    /// Sizes of containers and volumes. One at a time, and patient with other clients' runs.
    pub async fn disk_usage(&self) -> Result<DiskUsage, EngineError> {
        let _turn = self.disk_usage_gate.lock().await;
        let mut backoff = Duration::from_millis(100);
        // Another client's run can hold the engine for minutes; wait for it, within a bound.
        for _ in 0..40 {
            match self.get_json::<wire::SystemDf>("measuring disk usage", "/system/df?verbose=1", None).await
            {
                Err(e) if e.problem == Problem::Api(500) && e.detail.contains(DISK_USAGE_BUSY) => {
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
                result => return result.map(wire::SystemDf::into_disk_usage),
            }
        }
        Err(EngineError::new(&self.host, "measuring disk usage", Problem::Api(500), DISK_USAGE_BUSY))
    }

    /// A container's tmpfs mounts, from both `--tmpfs` and `--mount type=tmpfs`.
    pub async fn container_tmpfs(&self, id: &str) -> Result<Vec<TmpfsFacts>, EngineError> {
        let inspect: wire::Inspect = self
            .get_json("inspecting a container", &format!("/containers/{id}/json"), Some(READ_TIMEOUT))
            .await?;
        Ok(inspect.tmpfs())
    }

    /// The engine's whole inspect document, for showing as it is.
    pub async fn inspect_container(&self, id: &str) -> Result<Value, EngineError> {
        self.get_json("inspecting a container", &format!("/containers/{id}/json?size=1"), Some(READ_TIMEOUT))
            .await
    }

    pub async fn inspect_volume(&self, name: &str) -> Result<Value, EngineError> {
        self.get_json("inspecting a volume", &format!("/volumes/{}", encode_path(name)), Some(READ_TIMEOUT))
            .await
    }

    /// Container and volume changes as they happen. Ends (with an error) when the stream drops;
    /// the caller reconnects.
    pub fn changes(&self) -> impl futures_util::Stream<Item = Result<Change, EngineError>> + Send + 'static {
        use futures_util::StreamExt;
        let host = self.host.clone();
        let filters = std::collections::HashMap::from([(
            "type".to_owned(),
            vec!["container".to_owned(), "volume".to_owned()],
        )]);
        let options =
            bollard::query_parameters::EventsOptions { filters: Some(filters), ..Default::default() };
        self.docker.events(Some(options)).filter_map(move |event| {
            let item = match event {
                Ok(message) => {
                    let kind = match message.typ {
                        Some(bollard::models::EventMessageTypeEnum::CONTAINER) => ChangeKind::Container,
                        Some(bollard::models::EventMessageTypeEnum::VOLUME) => ChangeKind::Volume,
                        _ => return std::future::ready(None),
                    };
                    let id = message.actor.and_then(|a| a.id).unwrap_or_default();
                    Some(Ok(Change { kind, action: message.action.unwrap_or_default(), id }))
                }
                // One event we cannot read (another engine's vocabulary) is not a dropped stream.
                Err(bollard::errors::Error::JsonDataError { .. }) => None,
                Err(e) => Some(Err(EngineError::from_bollard(&host, "watching events", e))),
            };
            std::future::ready(item)
        })
    }

    fn error(&self, action: &str, error: bollard::errors::Error) -> EngineError {
        EngineError::from_bollard(&self.host, action, error)
    }

    async fn get_json<T: DeserializeOwned>(
        &self,
        action: &str,
        path: &str,
        timeout: Option<Duration>,
    ) -> Result<T, EngineError> {
        let request = Request::builder()
            .method(Method::GET)
            .uri(path)
            .body(bollard::body_full(Bytes::new()))
            .map_err(|e| EngineError::new(&self.host, action, Problem::Other, e.to_string()))?;
        let call = async {
            let response = self.transport.send(request).await.map_err(|e| self.error(action, e))?;
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
            Some(limit) => tokio::time::timeout(limit, call).await.unwrap_or_else(|_| {
                Err(EngineError::new(&self.host, action, Problem::Timeout, "no answer in time"))
            }),
            None => call.await,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Container,
    Volume,
}

/// Something changed on the engine: `create`, `destroy`, `start`, `die`, `mount`, …
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    pub action: String,
    pub id: String,
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

/// The engine's version, or ours if the engine is newer than anything we know.
fn choose_api_version(server: &str) -> Option<String> {
    let (major, minor) = server.split_once('.')?;
    let server = (major.parse::<u32>().ok()?, minor.parse::<u32>().ok()?);
    let (major, minor) = server.min(NEWEST_KNOWN_API);
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
