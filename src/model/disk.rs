//! The engine's root, reconciled: every path under it placed in one part (image layers,
//! containers' layers, logs, volumes, …) or named as not accounted for, with the reason. The
//! placing is a pure function of the path and of what the engine knows (its objects and its
//! layer store), so it is tested without an engine.

use std::collections::HashSet;

use serde::Serialize;

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

/// Where a path under the root goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A folder whose entries are placed one by one; the folder itself belongs to `own`.
    Descend { own: PartKind },
    /// Everything from here down belongs to this part.
    Part(PartKind),
    /// Everything from here down is not the engine's.
    Unaccounted(Why),
}

/// What the engine knows, for placing: its objects and what its layer store names.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// The storage driver's folder under the root (`overlay2`, `fuse-overlayfs`, …).
    pub driver: String,
    /// Layer folders of images (`layerdb/sha256/*/cache-id`).
    pub image_layers: HashSet<String>,
    /// Layer folders of containers (`layerdb/mounts/<container>/{mount-id,init-id}`).
    pub container_layers: HashSet<String>,
    /// Layer folders the layer store mounts for something other than a container, or that
    /// buildkit's snapshot database names: the build cache's.
    pub build_layers: HashSet<String>,
    /// Full container ids the engine lists.
    pub containers: HashSet<String>,
    pub volumes: HashSet<String>,
}

/// Folders under the root that hold the engine's own records.
const METADATA: &[&str] =
    &["image", "network", "plugins", "swarm", "trust", "runtimes", "certs.d", "engine-id", "rootfs"];

impl Known {
    /// Where the path `parts` (its names below the root, outermost first) goes; `dir` says
    /// whether it is a folder.
    pub fn place(&self, parts: &[&str], dir: bool) -> Place {
        use PartKind::*;
        let descend = |own| if dir { Place::Descend { own } } else { Place::Part(own) };
        match parts {
            [] => descend(Metadata),
            [top] if *top == self.driver => descend(Metadata),
            [top, "l"] if *top == self.driver => Place::Part(Metadata),
            [top, _] if *top == self.driver && !dir => Place::Part(Metadata),
            [top, layer] if *top == self.driver => self.layer(layer),
            ["containers"] => descend(Metadata),
            ["containers", id] if !dir || !self.containers.contains(*id) => {
                if dir {
                    Place::Unaccounted(Why::RemovedContainer)
                } else {
                    Place::Part(Metadata)
                }
            }
            ["containers", _] => descend(ContainerFiles),
            ["containers", id, name] => {
                let log = *name == "local-logs"
                    || name.strip_prefix(*id).is_some_and(|r| r.starts_with("-json.log"));
                Place::Part(if log { ContainerLogs } else { ContainerFiles })
            }
            ["volumes"] => descend(Metadata),
            ["volumes", name] if dir && self.volumes.contains(*name) => Place::Part(Volumes),
            ["volumes", _] if dir => Place::Unaccounted(Why::RemovedVolume),
            // metadata.db, backingFsBlockDev.
            ["volumes", _] => Place::Part(Metadata),
            ["buildkit", ..] | ["builder", ..] => Place::Part(BuildCache),
            ["containerd", ..] => Place::Part(Containerd),
            ["tmp"] => {
                if dir {
                    Place::Descend { own: Metadata }
                } else {
                    Place::Unaccounted(Why::Temporary)
                }
            }
            ["tmp", _] => Place::Unaccounted(Why::Temporary),
            [top, ..] if METADATA.contains(top) => Place::Part(Metadata),
            // Another driver's folder (the engine's driver was changed) or anything else.
            [_, ..] => Place::Unaccounted(Why::Unknown),
        }
    }

    fn layer(&self, name: &str) -> Place {
        if self.image_layers.contains(name) {
            Place::Part(PartKind::ImageLayers)
        } else if self.container_layers.contains(name) {
            Place::Part(PartKind::ContainerLayers)
        } else if self.build_layers.contains(name) {
            Place::Part(PartKind::BuildCache)
        } else {
            Place::Unaccounted(Why::OrphanedLayer)
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

impl DiskReport {
    /// The panel's rows: each part that holds anything (the unaccounted part too, as a total),
    /// then each path not accounted for.
    pub fn lines(&self) -> Vec<DiskLine> {
        let permille = |bytes: u64| (bytes * 1000).checked_div(self.root.total).unwrap_or(0);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known {
        Known {
            driver: "overlay2".into(),
            image_layers: ["img".to_owned()].into(),
            container_layers: ["rw".to_owned(), "rw-init".to_owned()].into(),
            build_layers: ["bk".to_owned()].into(),
            containers: ["c1".to_owned()].into(),
            volumes: ["v1".to_owned()].into(),
        }
    }

    #[test]
    fn layer_folders_go_to_whoever_the_layer_store_names_and_the_rest_are_orphans() {
        let k = known();
        assert_eq!(k.place(&["overlay2", "img"], true), Place::Part(PartKind::ImageLayers));
        assert_eq!(k.place(&["overlay2", "rw"], true), Place::Part(PartKind::ContainerLayers));
        assert_eq!(k.place(&["overlay2", "rw-init"], true), Place::Part(PartKind::ContainerLayers));
        assert_eq!(k.place(&["overlay2", "bk"], true), Place::Part(PartKind::BuildCache));
        assert_eq!(k.place(&["overlay2", "gone"], true), Place::Unaccounted(Why::OrphanedLayer));
        assert_eq!(k.place(&["overlay2", "l"], true), Place::Part(PartKind::Metadata));
        // Another driver's folder is not this engine's.
        assert_eq!(k.place(&["vfs"], true), Place::Unaccounted(Why::Unknown));
    }

    #[test]
    fn a_containers_logs_are_told_from_its_other_files_and_a_removed_ones_folder_is_named() {
        let k = known();
        assert_eq!(k.place(&["containers", "c1"], true), Place::Descend { own: PartKind::ContainerFiles });
        for log in ["c1-json.log", "c1-json.log.1", "c1-json.log.2.gz", "local-logs"] {
            assert_eq!(
                k.place(&["containers", "c1", log], false),
                Place::Part(PartKind::ContainerLogs),
                "{log}"
            );
        }
        for other in ["config.v2.json", "hostconfig.json", "hosts", "mounts"] {
            assert_eq!(k.place(&["containers", "c1", other], false), Place::Part(PartKind::ContainerFiles));
        }
        assert_eq!(k.place(&["containers", "c2"], true), Place::Unaccounted(Why::RemovedContainer));
    }

    #[test]
    fn volume_folders_without_a_volume_and_leftover_temporary_files_are_named() {
        let k = known();
        assert_eq!(k.place(&["volumes", "v1"], true), Place::Part(PartKind::Volumes));
        assert_eq!(k.place(&["volumes", "v2"], true), Place::Unaccounted(Why::RemovedVolume));
        assert_eq!(k.place(&["volumes", "metadata.db"], false), Place::Part(PartKind::Metadata));
        assert_eq!(k.place(&["tmp"], true), Place::Descend { own: PartKind::Metadata });
        assert_eq!(k.place(&["tmp", "docker-import-1"], true), Place::Unaccounted(Why::Temporary));
        assert_eq!(k.place(&["buildkit", "snapshots.db"], false), Place::Part(PartKind::BuildCache));
        assert_eq!(k.place(&["containerd", "daemon"], true), Place::Part(PartKind::Containerd));
        assert_eq!(k.place(&["image"], true), Place::Part(PartKind::Metadata));
        assert_eq!(k.place(&[], true), Place::Descend { own: PartKind::Metadata });
    }
}
