//! What the engine tells us, already translated out of its wire format: the inputs of the model.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{ContainerId, ImageId, VolumeName};

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
    pub name: Option<VolumeName>,
    /// The host path, for binds (and the volume's data path, when the engine tells it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub destination: String,
    pub rw: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerFacts {
    pub id: ContainerId,
    pub name: String,
    pub image: String,
    /// The image's id (`sha256:…`): the name in `image` can move to another image, or go.
    pub image_id: ImageId,
    /// Podman reports states Docker does not have: see `ContainerState::Other`.
    pub state: super::ContainerState,
    pub status: String,
    pub created: i64,
    pub labels: BTreeMap<String, String>,
    pub mounts: Vec<MountFacts>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolumeFacts {
    pub name: VolumeName,
    pub driver: String,
    pub mountpoint: String,
    pub created_at: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub options: BTreeMap<String, String>,
}

impl VolumeFacts {
    pub fn measured_by_engine(&self) -> bool {
        measured_by_engine(&self.driver, &self.options)
    }
}

/// The engine sizes only `local` volumes without mount options: the others keep their data
/// elsewhere (NFS, tmpfs, a plugin's storage), whatever their mountpoint holds now.
pub fn measured_by_engine(driver: &str, options: &BTreeMap<String, String>) -> bool {
    driver == "local" && options.is_empty()
}

/// Where a size came from: measured on this machine, or asked of the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SizeSource {
    Host,
    Engine,
    /// Walked here in the container's containerd snapshot (Docker's containerd image store),
    /// counted as containerd counts a snapshot: blocks on disk, each inode once.
    Snapshot,
}

impl SizeSource {
    /// The word `report --json` and `du --json` use (as serde writes it).
    pub fn as_str(self) -> &'static str {
        match self {
            SizeSource::Host => "host",
            SizeSource::Engine => "engine",
            SizeSource::Snapshot => "snapshot",
        }
    }
}

/// Which bytes a size counts: the engine's apparent bytes, or the blocks the disk loses
/// (many small files occupy whole blocks; a sparse file occupies less than its size).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    #[default]
    Apparent,
    OnDisk,
}

impl Measure {
    /// `apparent` or `on_disk` of one object.
    pub fn pick(self, apparent: Option<u64>, on_disk: Option<u64>) -> Option<u64> {
        match self {
            Measure::Apparent => apparent,
            Measure::OnDisk => on_disk,
        }
    }

    pub fn toggled(self) -> Measure {
        match self {
            Measure::Apparent => Measure::OnDisk,
            Measure::OnDisk => Measure::Apparent,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Measure::Apparent => "apparent sizes",
            Measure::OnDisk => "sizes on disk",
        }
    }
}

/// A size, where it came from, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measured<T> {
    pub value: T,
    pub source: SizeSource,
    pub at: std::time::SystemTime,
    /// Bytes on disk (allocated blocks) of what was walked here (a writable layer, a volume);
    /// the engine never says.
    pub disk_usage: Option<u64>,
}

impl<T> Measured<T> {
    pub fn engine(value: T, at: std::time::SystemTime) -> Self {
        Measured { value, source: SizeSource::Engine, at, disk_usage: None }
    }

    pub fn host(value: T, disk_usage: u64, at: std::time::SystemTime) -> Self {
        Measured { value, source: SizeSource::Host, at, disk_usage: Some(disk_usage) }
    }

    /// A containerd snapshot walked here: the engine counts its blocks, so the size is them.
    pub fn snapshot(value: T, disk_usage: u64, at: std::time::SystemTime) -> Self {
        Measured { value, source: SizeSource::Snapshot, at, disk_usage: Some(disk_usage) }
    }
}

/// The sizes known so far, object by object: they arrive one at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SizeFacts {
    /// Container id → its sizes.
    pub containers: HashMap<ContainerId, Measured<ContainerSizes>>,
    /// Volume name → its size; `None` where no one measures it (the engine sizes only `local`
    /// volumes without mount options, and may answer -1).
    pub volumes: HashMap<VolumeName, Option<Measured<u64>>>,
}

impl SizeFacts {
    /// The volumes' sizes from a `/system/df` answer, for the volumes named; those it leaves
    /// out have no size.
    pub fn engine_volumes<'a>(&mut self, usage: &DiskUsage, names: impl IntoIterator<Item = &'a str>) {
        for name in names {
            let size = usage.volumes.get(name).and_then(|u| u.size);
            let measured = size.map(|value| Measured::engine(value, usage.at));
            self.volumes.insert(name.into(), measured);
        }
    }

    /// The containers' sizes from a `/system/df` answer, for containers not sized yet.
    pub fn engine_containers(&mut self, usage: &DiskUsage) {
        for (id, sizes) in &usage.containers {
            self.containers.entry(id.clone()).or_insert(Measured::engine(*sizes, usage.at));
        }
    }
}

/// What `/system/df` answers: sizes that nothing else reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskUsage {
    /// When the engine answered.
    pub at: std::time::SystemTime,
    pub containers: HashMap<ContainerId, ContainerSizes>,
    pub volumes: HashMap<VolumeName, VolumeUsage>,
    /// The images' part; `None` when the answer was not asked to measure images.
    pub images: Option<ImagesUsage>,
    /// The build cache; `None` when the answer was not asked to measure it.
    pub build_cache: Option<BuildCacheFacts>,
}

impl Default for DiskUsage {
    fn default() -> Self {
        DiskUsage {
            at: std::time::UNIX_EPOCH,
            containers: HashMap::new(),
            volumes: HashMap::new(),
            images: None,
            build_cache: None,
        }
    }
}

/// The images as `/system/df` counts them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImagesUsage {
    /// Every image layer once (`LayersSize`): what images take on disk.
    pub layers_size: Option<u64>,
    /// Where `layers_size` came from.
    pub source: ImagesSizeSource,
    /// Image id → its sizes.
    pub images: HashMap<ImageId, ImageSizes>,
}

/// Where the images' total came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImagesSizeSource {
    /// The engine's own `LayersSize`.
    #[default]
    Engine,
    /// Read here from a graph driver's layer store, counted as the engine counts `LayersSize`.
    LayerStore,
    /// The images' sizes added up with each shared layer once, where the engine's own total is
    /// known to be wrong (the containerd store before Engine 29.6 counts containers' snapshots
    /// in it; Podman answers 0).
    Images,
    /// The engine's own total, known to be wrong on this engine, and no sum could be proven.
    EngineUnreliable,
}

impl ImagesSizeSource {
    /// Whether the engine's `LayersSize` is known to be wrong on an engine like this one.
    pub fn engine_total_wrong(kind: EngineKind, containerd_store: bool, api: (u32, u32)) -> bool {
        // moby#52901: fixed in Engine 29.6, which speaks API 1.55.
        kind == EngineKind::Podman || (containerd_store && api < (1, 55))
    }

    /// Where the images' total came from, in words.
    pub fn words(self) -> &'static str {
        match self {
            ImagesSizeSource::Engine => "the engine's own total (LayersSize)",
            ImagesSizeSource::LayerStore => {
                "read here from the engine's layer store, as the engine counts it"
            }
            ImagesSizeSource::Images => {
                "the images' sizes with shared layers once (this engine's own total is known to be wrong)"
            }
            ImagesSizeSource::EngineUnreliable => {
                "the engine's own total, known to be wrong on this engine: it could not be checked"
            }
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImageSizes {
    pub size: Option<u64>,
    /// Bytes in layers other images use too; `None` where the engine answers -1.
    pub shared_size: Option<u64>,
}

/// The builder's cache, from `/system/df`: the engine removes it only as a whole
/// (`docker builder prune`), never record by record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildCacheFacts {
    pub records: Vec<BuildCacheRecord>,
    /// The engine's total, when it gives one (`BuilderSize`, `BuildCacheUsage.TotalSize`).
    pub size: Option<u64>,
    /// The engine's reclaimable bytes, when it gives them (API ≥ 1.52).
    pub reclaimable: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BuildCacheRecord {
    pub id: String,
    /// The engine's word: `regular`, `source.local`, `exec.cachemount`, `frontend`, …
    #[serde(rename = "type")]
    pub kind: String,
    pub description: String,
    pub size: Option<u64>,
    pub in_use: bool,
    pub shared: bool,
    pub last_used_at: Option<String>,
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

/// What a container's inspect adds to the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerDetails {
    pub tmpfs: Vec<TmpfsFacts>,
    /// The host folder holding the writable layer (`GraphDriver.Data.UpperDir`), for drivers
    /// that name one.
    pub writable_layer: Option<String>,
    /// The containerd snapshotter holding the writable layer, on the containerd image store
    /// (whose inspect names no folder).
    pub snapshotter: Option<Snapshotter>,
    pub image_id: ImageId,
    /// The engine's sizes, when the inspect asked for them (`size=1`).
    pub sizes: Option<ContainerSizes>,
    /// The main process on the engine's host (`State.Pid`), while the container runs.
    pub pid: Option<u32>,
    /// When its state began, for a status line that stays true.
    pub times: super::StateTimes,
    /// How it logs; `None` where the inspect did not say (Podman, old engines).
    pub log_config: Option<super::logs::LogConfig>,
    /// json-file's current log file.
    pub log_path: Option<String>,
    /// The container's folder under the engine's root, on the engine's host.
    pub folder: Option<String>,
}

/// The containerd snapshotters whose snapshots dockdu can find and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Snapshotter {
    /// A whole copy of the root per snapshot: a container's snapshot is its whole root.
    Native,
    /// An overlay: a container's snapshot is its own changes.
    Overlayfs,
}

impl Snapshotter {
    /// By the name the containerd store puts in `GraphDriver.Name`; graph drivers never use
    /// these names (theirs are `overlay2`, `fuse-overlayfs`, `vfs`, …).
    pub fn from_name(name: &str) -> Option<Snapshotter> {
        match name {
            "native" => Some(Snapshotter::Native),
            "overlayfs" => Some(Snapshotter::Overlayfs),
            _ => None,
        }
    }
}

/// A tmpfs mount read from a container's inspect, from either syntax.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TmpfsFacts {
    pub destination: String,
    pub size_limit: Option<u64>,
    pub mode: Option<String>,
    pub options: Vec<String>,
}

/// A local image, as the image list gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImageFacts {
    pub id: ImageId,
    pub tags: Vec<String>,
    pub size: Option<u64>,
    /// Only from an image list asked with `shared-size=1` (API ≥ 1.42); otherwise `None`.
    pub shared_size: Option<u64>,
    pub created: i64,
    pub labels: BTreeMap<String, String>,
    /// Its platforms and attestations, from an image list asked with `manifests=1` (API ≥ 1.47)
    /// on an engine that keeps images in containerd; otherwise empty.
    pub manifests: Vec<super::manifests::ImageManifest>,
}

impl ImageFacts {
    /// The first tag, or the short id of an untagged image.
    pub fn reference(&self) -> String {
        self.tags.first().cloned().unwrap_or_else(|| crate::text::format::image_short_id(&self.id).to_owned())
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
    /// Where the engine keeps its layers and volumes on its host (`DockerRootDir` from `/info`;
    /// Podman's `GraphRoot`): `null` until the engine has said.
    pub root_dir: Option<String>,
    /// Docker's containerd image store: images and layers are containerd snapshots.
    pub containerd_store: bool,
    /// Reached over TLS without checking the engine's certificate (`https://` without
    /// `DOCKER_TLS_VERIFY`, as the docker CLI allows): anyone in between could be answering.
    pub tls_unverified: bool,
}

/// `"1.45"` → `(1, 45)`: API versions compare by number, never as text.
pub fn api_version(version: &str) -> Option<(u32, u32)> {
    let (major, minor) = version.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

impl EngineInfo {
    /// A warning to show beside the host, if the connection deserves one.
    pub fn connection_warning(&self) -> Option<&'static str> {
        self.tls_unverified.then_some("TLS unverified")
    }

    /// Takes what `/info` told, which comes after `/version`.
    pub fn set_details(&mut self, details: EngineDetails) {
        self.storage_driver = details.storage_driver;
        self.root_dir = details.root_dir;
        self.containerd_store = details.containerd_store;
    }
}

/// What `/info` tells of the engine beyond `/version`: slower to answer, so asked beside the lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineDetails {
    pub storage_driver: String,
    /// `DockerRootDir` (Podman sends its `GraphRoot` there): where its layers and volumes are.
    pub root_dir: Option<String>,
    /// Images and containers' layers live in containerd's snapshots (Docker's containerd image
    /// store), not in a graph driver's folders.
    pub containerd_store: bool,
}
