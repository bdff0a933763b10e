//! What the user sees, free of the engine: containers, volumes, mounts, who owns what, totals.
//! Built by pure functions from the facts the engine reports, so it is cheap to rebuild and easy
//! to test.

pub mod browse;
mod build;
pub mod change;
pub mod controls;
pub mod danger;
pub mod disk;
pub mod error;
pub mod facts;
pub mod ids;
pub mod images;
pub mod images_total;
pub mod logs;
pub mod manifests;
pub mod outcome;
mod ownership;
pub mod plan;
pub mod resolve;
pub mod sized;
pub mod spec;
mod state;
pub mod tmpfs;
pub mod truncate;
pub mod validate;

pub use build::{build, is_anonymous_volume, Sources};
pub use change::{Change, ChangeAction, ChangeKind};
pub use danger::{Danger, DangerKind, EnginePaths};
pub use error::{CertificateProblem, EngineError, Problem};
pub use facts::*;
pub use ids::{ContainerId, ImageId, VolumeName};
pub use images::{BuildCache, Image, ImageSizeSource};
pub use ownership::{Owner, Ownership};
pub use state::{ContainerState, Health, StateTimes};

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Inventory {
    pub engine: EngineInfo,
    pub containers: Vec<Container>,
    pub volumes: Vec<Volume>,
    pub bind_mounts: Vec<BindMount>,
    pub tmpfs_mounts: Vec<TmpfsMount>,
    pub images: Vec<Image>,
    /// `None` until `/system/df` has measured it.
    pub build_cache: Option<BuildCache>,
    pub totals: Totals,
    pub ownership: Ownership,
    /// False until every container and volume has its size (or is known to have none): a size
    /// missing before then is unknown, not zero.
    pub sizes_known: bool,
    /// False until every image's shared (and so unique) size is known.
    pub images_sizes_known: bool,
    /// The engine's root reconciled, once walked (`dockdu disk` prints it; `report` does not).
    #[serde(skip)]
    pub disk: Option<disk::DiskReport>,
    /// Its rows, as the Disk panel lists them.
    #[serde(skip)]
    pub disk_lines: Vec<disk::DiskLine>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Container {
    pub id: ContainerId,
    pub name: String,
    pub image: String,
    pub image_id: ImageId,
    pub state: ContainerState,
    pub status: String,
    pub created: i64,
    /// Bytes in the writable layer; `None` until the engine reports sizes.
    pub size_rw: Option<u64>,
    /// The writable layer plus the image: the container's virtual size.
    pub size_root_fs: Option<u64>,
    /// The writable layer's bytes on disk (allocated blocks), where it was walked here.
    pub disk_usage: Option<u64>,
    /// Where the sizes came from; `None` while unknown.
    pub size_source: Option<SizeSource>,
    /// When they were measured.
    #[serde(skip)]
    pub size_measured_at: Option<std::time::SystemTime>,
    /// When its state began, once inspected: its status line is written from these.
    #[serde(skip)]
    pub times: Option<StateTimes>,
    pub mounts: Vec<MountFacts>,
    pub labels: BTreeMap<String, String>,
    /// Its log; `None` until inspected, or where the inspect did not say how it logs.
    pub logs: Option<logs::ContainerLogs>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Volume {
    pub name: VolumeName,
    pub driver: String,
    pub mountpoint: String,
    pub created_at: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub options: BTreeMap<String, String>,
    /// `None` while unknown: not yet measured, or measured by no one (see `SizeFacts`).
    pub size: Option<u64>,
    /// Bytes on disk (allocated blocks), where it was walked here.
    pub disk_usage: Option<u64>,
    /// Where the size came from; `None` while unknown.
    pub size_source: Option<SizeSource>,
    /// When it was measured.
    #[serde(skip)]
    pub size_measured_at: Option<std::time::SystemTime>,
    pub ref_count: usize,
    pub anonymous: bool,
    /// No container, in any state, uses it.
    pub dangling: bool,
    pub containers: Vec<Owner>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BindMount {
    pub source: String,
    pub destination: String,
    pub container: String,
    pub container_id: ContainerId,
    pub rw: bool,
    /// Whether the host path exists; `None` when the engine is not on this machine.
    pub source_exists: Option<bool>,
    /// Whether this bind hands the host to the container (see `danger`); `None` for an ordinary one.
    pub danger: Option<Danger>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TmpfsMount {
    pub container: String,
    pub container_id: ContainerId,
    /// Destination, size limit, mode and options, side by side with the owner in JSON.
    #[serde(flatten)]
    pub tmpfs: TmpfsFacts,
    /// Bytes it holds in memory now, read here; `None` with the reason in `used_unknown`.
    pub used: Option<u64>,
    pub used_unknown: Option<tmpfs::TmpfsUnread>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub containers: usize,
    pub containers_size_rw: u64,
    /// The containers' logs whose size is known, added up.
    pub logs_size: u64,
    /// Containers whose json-file log has no `max-size`.
    pub logs_unbounded: usize,
    pub volumes: usize,
    pub volumes_size: u64,
    pub dangling_volumes: usize,
    pub reclaimable_volume_bytes: u64,
    /// The dangling volumes' bytes on disk, where every one was walked here.
    pub reclaimable_volume_disk_usage: Option<u64>,
    /// Held in memory by the tmpfs mounts whose use could be read.
    pub tmpfs_used: u64,
    pub images: usize,
    /// Every image layer once, as the engine counts it (`LayersSize`) or as proven where that
    /// is wrong; `None` until measured.
    pub images_size: Option<u64>,
    /// Where `images_size` came from; `None` until measured.
    pub images_size_source: Option<facts::ImagesSizeSource>,
    /// The unique sizes of the images no container uses, as far as known.
    pub reclaimable_image_bytes: u64,
    /// `None` until measured.
    pub build_cache_size: Option<u64>,
    pub build_cache_reclaimable: Option<u64>,
    /// Dangling volumes, unused images and reclaimable build cache, as far as known.
    pub reclaimable_bytes: u64,
}

impl Container {
    /// Its status line for the time `now`, written from the engine's timestamps once the
    /// container is inspected; until then the list's own words (as of the list).
    pub fn status_at(&self, now: std::time::SystemTime) -> String {
        self.times.and_then(|times| self.state.status(&times, now)).unwrap_or_else(|| self.status.clone())
    }
}

impl Volume {
    pub fn measured_by_engine(&self) -> bool {
        facts::measured_by_engine(&self.driver, &self.options)
    }
}

impl Inventory {
    pub fn container(&self, id: &str) -> Option<&Container> {
        self.containers.iter().find(|c| c.id == id)
    }

    pub fn volume(&self, name: &str) -> Option<&Volume> {
        self.volumes.iter().find(|v| v.name == name)
    }

    pub fn image(&self, id: &str) -> Option<&Image> {
        self.images.iter().find(|i| i.id == id)
    }
}
