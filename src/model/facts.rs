//! What the engine tells us, already translated out of its wire format: the inputs of the model.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

/// How a mount reaches into a container.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MountKind {
    Volume,
    Bind,
    Tmpfs,
    Npipe,
    Cluster,
    #[serde(untagged)]
    Other(String),
}

impl MountKind {
    pub fn parse(kind: &str) -> Self {
        match kind {
            "volume" => Self::Volume,
            "bind" => Self::Bind,
            "tmpfs" => Self::Tmpfs,
            "npipe" => Self::Npipe,
            "cluster" => Self::Cluster,
            other => Self::Other(other.to_owned()),
        }
    }

    pub fn label(&self) -> &str {
        match self {
            Self::Volume => "volume",
            Self::Bind => "bind",
            Self::Tmpfs => "tmpfs",
            Self::Npipe => "npipe",
            Self::Cluster => "cluster",
            Self::Other(kind) => kind,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MountFacts {
    #[serde(rename = "type")]
    pub kind: MountKind,
    /// The volume's name, for volume mounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The host path, for binds (and the volume's data path, when the engine tells it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub destination: String,
    pub rw: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerFacts {
    pub id: String,
    pub name: String,
    pub image: String,
    /// Kept as the engine's word: Podman reports states Docker does not have.
    pub state: String,
    pub status: String,
    pub created: i64,
    pub labels: BTreeMap<String, String>,
    pub mounts: Vec<MountFacts>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolumeFacts {
    pub name: String,
    pub driver: String,
    pub mountpoint: String,
    pub created_at: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub options: BTreeMap<String, String>,
}

/// What `/system/df` adds: sizes that nothing else reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiskUsage {
    pub containers: HashMap<String, ContainerSizes>,
    pub volumes: HashMap<String, VolumeUsage>,
    pub images_size: Option<u64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContainerSizes {
    pub size_rw: u64,
    pub size_root_fs: Option<u64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VolumeUsage {
    /// `None` where the engine answers -1 (unknown).
    pub size: Option<u64>,
    pub ref_count: Option<u64>,
}

/// A tmpfs mount read from a container's inspect, from either syntax.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TmpfsFacts {
    pub destination: String,
    pub size_limit: Option<u64>,
    pub mode: Option<String>,
    pub options: Vec<String>,
}

/// A local image, for choosing what a new container runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImageFacts {
    pub id: String,
    pub tags: Vec<String>,
    pub size: Option<u64>,
    pub created: i64,
}

impl ImageFacts {
    /// The first tag, or the short id of an untagged image.
    pub fn reference(&self) -> String {
        self.tags.first().cloned().unwrap_or_else(|| {
            let id = self.id.strip_prefix("sha256:").unwrap_or(&self.id);
            crate::format::short_id(id).to_owned()
        })
    }
}

/// Which engine software answered: where their answers differ, the model decides on this.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EngineKind {
    #[default]
    Docker,
    Podman,
}

/// The engine and where we reached it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EngineInfo {
    /// The docker context that named the engine (`default`: --host, DOCKER_HOST, the socket).
    pub context: String,
    pub host: String,
    /// The engine's own name for itself, from `/version`: "Docker Engine", "Podman Engine".
    pub product: String,
    pub kind: EngineKind,
    pub server_version: String,
    pub api_version: String,
    pub os: String,
    pub storage_driver: String,
    /// Reached over TLS without checking the engine's certificate (`https://` without
    /// `DOCKER_TLS_VERIFY`, as the docker CLI allows): anyone in between could be answering.
    pub tls_unverified: bool,
}

impl EngineInfo {
    /// A warning to show beside the host, if the connection deserves one.
    pub fn connection_warning(&self) -> Option<&'static str> {
        self.tls_unverified.then_some("TLS unverified")
    }
}
