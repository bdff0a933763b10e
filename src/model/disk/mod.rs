//! The engine's root, reconciled: every path under it placed in one part (image layers,
//! containers' layers, logs, volumes, …) or named as not accounted for, with the reason
//! (`place`), and what a walk of it reports.

use serde::Serialize;

mod place;

pub use place::{Known, Place};

/// What a part of the root holds. The JSON words are `disk --json`'s `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    ImageLayers,
    /// Containers' writable layers and their init layers.
    ContainerLayers,
    ContainerLogs,
    /// A container's folder but its logs: its config, hosts files, its secrets and configs.
    ContainerFiles,
    Volumes,
    BuildCache,
    /// The containerd image store's content and snapshots, where the engine keeps them here.
    Containerd,
    /// The engine's own records: the layer store, the image database, networks, plugins, swarm…
    Metadata,
    Unaccounted,
}

impl PartKind {
    pub const ALL: [PartKind; 9] = [
        PartKind::ImageLayers,
        PartKind::ContainerLayers,
        PartKind::ContainerLogs,
        PartKind::ContainerFiles,
        PartKind::Volumes,
        PartKind::BuildCache,
        PartKind::Containerd,
        PartKind::Metadata,
        PartKind::Unaccounted,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PartKind::ImageLayers => "image layers",
            PartKind::ContainerLayers => "container layers",
            PartKind::ContainerLogs => "container logs",
            PartKind::ContainerFiles => "container files",
            PartKind::Volumes => "volumes",
            PartKind::BuildCache => "build cache",
            PartKind::Containerd => "containerd store",
            PartKind::Metadata => "engine metadata",
            PartKind::Unaccounted => "not accounted for",
        }
    }

    /// One line on what the part is, for the detail pane and `disk`.
    pub fn explain(self) -> &'static str {
        match self {
            PartKind::ImageLayers => "layer folders named in the layer store by an image layer (cache-id)",
            PartKind::ContainerLayers => {
                "writable and init layer folders named by a container (mount-id, init-id)"
            }
            PartKind::ContainerLogs => "json-file and local log files, rotated ones included",
            PartKind::ContainerFiles => {
                "each container's folder but its logs: config, hosts, resolv.conf, mounts"
            }
            PartKind::Volumes => "folders of the volumes the engine lists",
            PartKind::BuildCache => "buildkit's folder, and layer folders its snapshot database names",
            PartKind::Containerd => "the containerd image store's content and snapshots",
            PartKind::Metadata => "the layer store, image database, networks, plugins, swarm, trust",
            PartKind::Unaccounted => "folders no object of the engine's names: see below",
        }
    }
}

/// Why a path is not the engine's. The JSON words are `disk --json`'s `why`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// A layer folder that neither an image, a container nor the build cache names.
    OrphanedLayer,
    /// A container folder whose container the engine no longer lists.
    RemovedContainer,
    /// A volume folder whose volume the engine no longer lists.
    RemovedVolume,
    /// What the engine left in its `tmp/`: unpacked downloads, build contexts.
    Temporary,
    Unknown,
}

impl Why {
    pub fn label(self) -> &'static str {
        match self {
            Why::OrphanedLayer => "orphaned layer",
            Why::RemovedContainer => "removed container",
            Why::RemovedVolume => "removed volume",
            Why::Temporary => "temporary files",
            Why::Unknown => "unknown to the engine",
        }
    }

    /// How to get the space back without breaking the engine.
    pub fn remedy(self) -> &'static str {
        match self {
            Why::Temporary => "stop the engine, then delete the folder's contents",
            Why::Unknown => "find out what put it there before deleting anything",
            _ => "stop the engine, then delete the folder: no image, container or volume uses it",
        }
    }
}

/// Bytes as the engine counts them (apparent) and as the disk loses them (allocated blocks),
/// and the entries that are not folders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Bytes {
    pub size: u64,
    pub disk_usage: u64,
    pub files: u64,
}

impl Bytes {
    pub fn add(&mut self, other: Bytes) {
        self.size += other.size;
        self.disk_usage += other.disk_usage;
        self.files += other.files;
    }
}

/// The filesystem that holds the root, as `statvfs` tells it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Filesystem {
    pub size: u64,
    pub used: u64,
    /// What an unprivileged user may still write (`f_bavail`).
    pub free: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiskRoot {
    pub path: String,
    pub filesystem: Option<Filesystem>,
    /// Apparent bytes under the root, each inode once, on its filesystem only.
    pub total: u64,
    pub disk_usage: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiskPart {
    pub kind: PartKind,
    pub size: u64,
    pub disk_usage: u64,
    pub files: u64,
    /// The folder to look inside for this part.
    #[serde(skip)]
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unaccounted {
    pub path: String,
    pub size: u64,
    pub disk_usage: u64,
    pub files: u64,
    pub why: Why,
}

/// The root reconciled: `parts` add up to `root.total` (and `root.disk_usage`) exactly, and
/// the `unaccounted` paths to the `Unaccounted` part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiskReport {
    pub root: DiskRoot,
    pub parts: Vec<DiskPart>,
    pub unaccounted: Vec<Unaccounted>,
    /// Folders on another filesystem under the root, passed over (mount points).
    pub other_filesystems: Vec<String>,
}

impl DiskReport {
    pub fn part(&self, kind: PartKind) -> Option<&DiskPart> {
        self.parts.iter().find(|p| p.kind == kind)
    }
}

/// One row of the Disk panel: a part of the root, or a path not accounted for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskLine {
    pub kind: DiskLineKind,
    pub path: String,
    pub size: u64,
    pub disk_usage: u64,
    pub files: u64,
    /// Of the root's total, in tenths of a percent.
    pub permille: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiskLineKind {
    Part(PartKind),
    Unaccounted(Why),
}

impl DiskLine {
    pub fn label(&self) -> &'static str {
        match self.kind {
            DiskLineKind::Part(kind) => kind.label(),
            DiskLineKind::Unaccounted(why) => why.label(),
        }
    }
}

/// `part` of `whole` in tenths of a percent, to the nearest; 0 of nothing.
pub fn permille(part: u64, whole: u64) -> u64 {
    (part.saturating_mul(1000) + whole / 2).checked_div(whole).unwrap_or(0)
}

impl DiskReport {
    /// Entries that are not folders, in every part.
    pub fn files(&self) -> u64 {
        self.parts.iter().map(|p| p.files).sum()
    }

    /// The panel's rows: each part that holds anything (the unaccounted part too, as a total),
    /// then each path not accounted for.
    pub fn lines(&self) -> Vec<DiskLine> {
        let permille = |bytes: u64| permille(bytes, self.root.total);
        let parts = self.parts.iter().filter(|p| p.files > 0 || p.disk_usage > 0).map(|p| DiskLine {
            kind: DiskLineKind::Part(p.kind),
            path: p.path.clone(),
            size: p.size,
            disk_usage: p.disk_usage,
            files: p.files,
            permille: permille(p.size),
        });
        let unaccounted = self.unaccounted.iter().map(|u| DiskLine {
            kind: DiskLineKind::Unaccounted(u.why),
            path: u.path.clone(),
            size: u.size,
            disk_usage: u.disk_usage,
            files: u.files,
            permille: permille(u.size),
        });
        parts.chain(unaccounted).collect()
    }
}

/// How far a walk of the root has got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiskProgress {
    pub bytes: u64,
    pub files: u64,
    /// Folders walked of those found so far.
    pub folders_done: u64,
    pub folders: u64,
}

/// Why the root cannot be reconciled here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiskUnreadable {
    /// The engine is on another machine (or in Docker Desktop's VM).
    Remote,
    /// The engine did not say where its root is.
    NoRoot,
    /// Podman keeps its storage in another layout.
    Podman,
    /// The root, or a folder in it, is closed to this user (the engine's files are root's).
    Denied {
        path: String,
        error: String,
    },
    Failed {
        path: String,
        error: String,
    },
    /// The engine could not say what it has.
    Engine(super::EngineError),
    Cancelled,
}

impl std::fmt::Display for DiskUnreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiskUnreadable::Remote => {
                f.write_str("the engine's root is on another machine: only the engine's own counts are shown")
            }
            DiskUnreadable::NoRoot => f.write_str("the engine did not say where its root is"),
            DiskUnreadable::Podman => {
                f.write_str("Podman's storage is not reconciled yet: only the engine's own counts are shown")
            }
            DiskUnreadable::Denied { path, error } => {
                write!(f, "cannot read {path} ({error}): run as root to reconcile the engine's root")
            }
            DiskUnreadable::Failed { path, error } => write!(f, "cannot read {path}: {error}"),
            DiskUnreadable::Engine(error) => write!(f, "{error}"),
            DiskUnreadable::Cancelled => f.write_str("cancelled"),
        }
    }
}
