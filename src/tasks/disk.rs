//! The engine's root, reconciled: walked here on its own filesystem, each folder placed by what
//! the engine lists and what its layer store names (`model::disk::Known`), each inode counted
//! once, so the parts add up to the root's total exactly.
//!
//! The folders that hold many objects (`<driver>/`, `containers/`, `volumes/`) are read here;
//! each object's folder is then tallied whole on a few threads. A container or volume created
//! while the root is walked would look orphaned: when the walk finds anything not accounted for,
//! the engine is asked again, and the root walked once more if its lists changed meanwhile.

use std::collections::{BTreeMap, HashSet};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::engine::Engine;
use crate::measure::{self, count_once, layerdb, Bounds, Cancel, Inode, WalkError};
use crate::model::disk::{
    Bytes, DiskPart, DiskProgress, DiskReport, DiskRoot, DiskUnreadable, Filesystem, Known, PartKind, Place,
    Unaccounted, Why,
};
use crate::model::EngineKind;

/// How often progress is told, at most.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Asks the engine what it has and where its root is, then reconciles the root here.
pub async fn disk(
    engine: &Engine,
    cancel: Cancel,
    progress: impl Fn(DiskProgress) + Send + Sync + 'static,
) -> Result<DiskReport, DiskUnreadable> {
    let info = engine.negotiate().await.map_err(DiskUnreadable::Engine)?;
    if info.kind == EngineKind::Podman {
        return Err(DiskUnreadable::Podman);
    }
    if !engine.is_local() {
        return Err(DiskUnreadable::Remote);
    }
    let (details, containers, volumes) =
        tokio::try_join!(engine.details(), engine.containers(), engine.volumes())
            .map_err(DiskUnreadable::Engine)?;
    let root = details.root_dir.filter(|r| !r.is_empty()).ok_or(DiskUnreadable::NoRoot)?;
    let known = Known {
        driver: details.storage_driver,
        containers: containers.into_iter().map(|c| c.id.to_string()).collect(),
        volumes: volumes.into_iter().map(|v| v.name.to_string()).collect(),
        ..Default::default()
    };
    // Dropped (a newer walk, a switch, the user leaving), this stops the walk on its thread.
    let _guard = super::browse::CancelOnDrop(cancel.clone());
    let progress = std::sync::Arc::new(progress);
    let walk = |known: Known| {
        let (root, cancel, progress) = (root.clone(), cancel.clone(), std::sync::Arc::clone(&progress));
        async move {
            tokio::task::spawn_blocking(move || reconcile(Path::new(&root), known, &cancel, &*progress))
                .await
                .unwrap_or(Err(DiskUnreadable::Cancelled))
        }
    };
    let report = walk(known.clone()).await?;
    if report.unaccounted.is_empty() {
        return Ok(report);
    }
    // Something not accounted for: maybe an object the engine made while we walked.
    let (containers, volumes) =
        tokio::try_join!(engine.containers(), engine.volumes()).map_err(DiskUnreadable::Engine)?;
    let now = Known {
        containers: containers.into_iter().map(|c| c.id.to_string()).collect(),
        volumes: volumes.into_iter().map(|v| v.name.to_string()).collect(),
        ..known.clone()
    };
    if now.containers == known.containers && now.volumes == known.volumes {
        return Ok(report);
    }
    walk(now).await
}

/// Reconciles the root at `root` (blocking): `known` holds the engine's driver, containers and
/// volumes; the layer store is read here.
pub fn reconcile(
    root: &Path,
    mut known: Known,
    cancel: &Cancel,
    progress: &(dyn Fn(DiskProgress) + Sync),
) -> Result<DiskReport, DiskUnreadable> {
    let unreadable = |path: &Path, error: io::Error| problem(path, &error);
    let root_meta = std::fs::symlink_metadata(root).map_err(|e| unreadable(root, e))?;
    let store = layerdb::read(root, &known.driver).map_err(|e| unreadable(&root.join("image"), e))?;
    known.image_layers = store.image_layers;
    for (owner, folders) in store.mounts {
        if known.containers.contains(&owner) {
            known.container_layers.extend(folders);
        }
    }
    let buildkit = layerdb::BuildkitNames::read(root).map_err(|e| unreadable(&root.join("buildkit"), e))?;

    let mut walk = Descent { device: root_meta.dev(), ..Default::default() };
    walk.own(PartKind::Metadata, &root_meta);
    let mut pending = vec![(root.to_path_buf(), Vec::<String>::new())];
    while let Some((dir, parts)) = pending.pop() {
        if cancel.is_cancelled() {
            return Err(DiskUnreadable::Cancelled);
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound && !parts.is_empty() => continue,
            Err(e) => return Err(unreadable(&dir, e)),
        };
        let driver_folder = parts.len() == 1 && parts[0] == known.driver;
        for entry in entries {
            let entry = entry.map_err(|e| unreadable(&dir, e))?;
            let meta = match entry.metadata() {
                Ok(meta) => meta,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(unreadable(&entry.path(), e)),
            };
            let path = entry.path();
            if meta.dev() != walk.device {
                walk.other_filesystems.push(path.display().to_string());
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let mut child = parts.clone();
            child.push(name.clone());
            let names: Vec<&str> = child.iter().map(String::as_str).collect();
            let mut place = known.place(&names, meta.is_dir());
            // A layer folder that the layer store does not name may be buildkit's.
            if driver_folder && place == Place::Unaccounted(Why::OrphanedLayer) && buildkit.names(&name) {
                place = Place::Part(PartKind::BuildCache);
            }
            match place {
                Place::Descend { own } => {
                    walk.own(own, &meta);
                    pending.push((path, child));
                }
                target if meta.is_dir() => walk.units.push((path, target)),
                target => walk.file(path, target, &meta),
            }
        }
    }
    walk.tally_units(cancel, progress)?;
    Ok(walk.report(root, &known))
}

#[derive(Default)]
struct Descent {
    device: u64,
    parts: BTreeMap<PartKind, Bytes>,
    unaccounted: Vec<Unaccounted>,
    other_filesystems: Vec<String>,
    /// Folders tallied whole, and where each goes.
    units: Vec<(PathBuf, Place)>,
    /// Hard-linked inodes counted so far.
    seen: HashSet<Inode>,
}

impl Descent {
    /// A folder that is read entry by entry occupies blocks of its own.
    fn own(&mut self, kind: PartKind, meta: &std::fs::Metadata) {
        self.parts.entry(kind).or_default().disk_usage += measure::allocated(meta);
    }

    fn file(&mut self, path: PathBuf, place: Place, meta: &std::fs::Metadata) {
        let first = meta.nlink() < 2 || self.seen.insert(Inode { dev: meta.dev(), ino: meta.ino() });
        let bytes = if first {
            Bytes { size: meta.len(), disk_usage: measure::allocated(meta), files: 1 }
        } else {
            Bytes { files: 1, ..Default::default() }
        };
        self.add(path, place, bytes);
    }

    fn add(&mut self, path: PathBuf, place: Place, bytes: Bytes) {
        match place {
            Place::Part(kind) | Place::Descend { own: kind } => {
                self.parts.entry(kind).or_default().add(bytes)
            }
            Place::Unaccounted(why) => {
                self.parts.entry(PartKind::Unaccounted).or_default().add(bytes);
                self.unaccounted.push(Unaccounted {
                    path: path.display().to_string(),
                    size: bytes.size,
                    disk_usage: bytes.disk_usage,
                    files: bytes.files,
                    why,
                });
            }
        }
    }

    fn tally_units(
        &mut self,
        cancel: &Cancel,
        progress: &(dyn Fn(DiskProgress) + Sync),
    ) -> Result<(), DiskUnreadable> {
        let roots: Vec<PathBuf> = self.units.iter().map(|(path, _)| path.clone()).collect();
        let folders = roots.len() as u64;
        let (bytes, files, done) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
        let last_told = Mutex::new(Instant::now() - PROGRESS_EVERY);
        let tell = |total: &measure::Total| {
            bytes.fetch_add(total.bytes, Ordering::Relaxed);
            files.fetch_add(total.entries, Ordering::Relaxed);
            let folders_done = done.fetch_add(1, Ordering::Relaxed) + 1;
            let mut last = last_told.lock().unwrap_or_else(|e| e.into_inner());
            if last.elapsed() >= PROGRESS_EVERY || folders_done == folders {
                *last = Instant::now();
                progress(DiskProgress {
                    bytes: bytes.load(Ordering::Relaxed),
                    files: files.load(Ordering::Relaxed),
                    folders_done,
                    folders,
                });
            }
        };
        let bounds = Bounds { one_filesystem: true };
        let tallies = measure::tally_each(&roots, bounds, measure::default_threads(), cancel, &tell);
        let units = std::mem::take(&mut self.units);
        for ((path, place), tally) in units.into_iter().zip(tallies) {
            let tally = match tally {
                Ok(tally) => tally,
                // Removed while we walked (a container's folder, say): nothing there now.
                Err(WalkError::Unreadable { path: failed, error })
                    if failed == path && error.kind() == io::ErrorKind::NotFound =>
                {
                    continue
                }
                Err(WalkError::Unreadable { path, error }) => return Err(problem(&path, &error)),
                Err(WalkError::Cancelled) => return Err(DiskUnreadable::Cancelled),
            };
            self.other_filesystems.extend(tally.passed_over.iter().map(|p| p.display().to_string()));
            let total = count_once(&mut self.seen, tally);
            self.add(
                path,
                place,
                Bytes { size: total.bytes, disk_usage: total.disk_usage, files: total.entries },
            );
        }
        Ok(())
    }

    fn report(mut self, root: &Path, known: &Known) -> DiskReport {
        let folder = |name: &str| root.join(name).display().to_string();
        let parts: Vec<DiskPart> = PartKind::ALL
            .iter()
            .map(|&kind| {
                let bytes = self.parts.get(&kind).copied().unwrap_or_default();
                let path = match kind {
                    PartKind::ImageLayers | PartKind::ContainerLayers => folder(&known.driver),
                    PartKind::ContainerLogs | PartKind::ContainerFiles => folder("containers"),
                    PartKind::Volumes => folder("volumes"),
                    PartKind::BuildCache => folder("buildkit"),
                    PartKind::Containerd => folder("containerd"),
                    PartKind::Metadata => folder("image"),
                    PartKind::Unaccounted => root.display().to_string(),
                };
                DiskPart { kind, size: bytes.size, disk_usage: bytes.disk_usage, files: bytes.files, path }
            })
            .collect();
        self.unaccounted.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.path.cmp(&b.path)));
        self.other_filesystems.sort();
        DiskReport {
            root: DiskRoot {
                path: root.display().to_string(),
                filesystem: filesystem(root),
                total: parts.iter().map(|p| p.size).sum(),
                disk_usage: parts.iter().map(|p| p.disk_usage).sum(),
            },
            parts,
            unaccounted: self.unaccounted,
            other_filesystems: self.other_filesystems,
        }
    }
}

fn problem(path: &Path, error: &io::Error) -> DiskUnreadable {
    let path = path.display().to_string();
    if error.kind() == io::ErrorKind::PermissionDenied {
        DiskUnreadable::Denied { path, error: error.to_string() }
    } else {
        DiskUnreadable::Failed { path, error: error.to_string() }
    }
}

/// The filesystem holding `root`, from `statvfs`.
fn filesystem(root: &Path) -> Option<Filesystem> {
    let stat = rustix::fs::statvfs(root).ok()?;
    let unit = stat.f_frsize;
    Some(Filesystem {
        size: stat.f_blocks * unit,
        used: (stat.f_blocks - stat.f_bfree) * unit,
        free: stat.f_bavail * unit,
    })
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn write(root: &Path, path: &str, bytes: usize) {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, vec![7u8; bytes]).unwrap();
    }

    /// A root with one of everything, and one of each thing the engine does not know.
    fn planted_root(root: &Path) {
        write(root, "image/overlay2/layerdb/sha256/chain/cache-id", 3);
        fs::write(root.join("image/overlay2/layerdb/sha256/chain/cache-id"), "img").unwrap();
        write(root, "image/overlay2/layerdb/mounts/c1/mount-id", 0);
        fs::write(root.join("image/overlay2/layerdb/mounts/c1/mount-id"), "rw").unwrap();
        fs::write(root.join("image/overlay2/layerdb/mounts/c1/init-id"), "rw-init").unwrap();
        write(root, "overlay2/img/diff/bin/sh", 1000);
        write(root, "overlay2/rw/diff/data", 200);
        write(root, "overlay2/rw-init/diff/etc/hosts", 0);
        write(root, "overlay2/orphan/diff/big", 5000);
        fs::create_dir_all(root.join("overlay2/l")).unwrap();
        std::os::unix::fs::symlink("../img/diff", root.join("overlay2/l/ABC")).unwrap();
        write(root, "containers/c1/c1-json.log", 300);
        write(root, "containers/c1/c1-json.log.1", 400);
        write(root, "containers/c1/config.v2.json", 50);
        write(root, "containers/gone/gone-json.log", 700);
        write(root, "volumes/v1/_data/file", 60);
        write(root, "volumes/v2/_data/file", 70);
        write(root, "volumes/metadata.db", 80);
        write(root, "tmp/docker-import-1/layer.tar", 90);
        // One inode named in two parts counts once, where it is met first.
        fs::hard_link(root.join("volumes/v1/_data/file"), root.join("overlay2/rw/diff/linked")).unwrap();
    }

    fn known() -> Known {
        Known {
            driver: "overlay2".into(),
            containers: ["c1".to_owned()].into(),
            volumes: ["v1".to_owned()].into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_parts_add_up_to_an_independent_walk_and_each_unknown_folder_is_named_with_why() {
        let root = std::env::temp_dir().join(format!("dockdu-disk-{}", std::process::id()));
        planted_root(&root);
        let report = reconcile(&root, known(), &Cancel::default(), &|_| {});
        let whole = measure::size(&root, &Cancel::default());
        let _ = fs::remove_dir_all(&root);
        let (report, whole) = (report.unwrap(), whole.unwrap());

        assert_eq!(report.root.total, whole.bytes);
        assert_eq!(report.root.disk_usage, whole.disk_usage);
        assert_eq!(report.parts.iter().map(|p| p.size).sum::<u64>(), whole.bytes);
        let part = |kind| report.part(kind).unwrap().size;
        assert_eq!(part(PartKind::ImageLayers), 1000);
        assert_eq!(part(PartKind::ContainerLogs), 300 + 400);
        assert_eq!(part(PartKind::ContainerFiles), 50);
        // The inode named in a layer and in a volume counts once, in one of them.
        assert_eq!(part(PartKind::ContainerLayers) + part(PartKind::Volumes), 200 + 60);
        assert!(part(PartKind::ContainerLayers) >= 200);
        let named: Vec<(String, Why, u64)> = report
            .unaccounted
            .iter()
            .map(|u| {
                (u.path.strip_prefix(&format!("{}/", root.display())).unwrap().to_owned(), u.why, u.size)
            })
            .collect();
        assert_eq!(
            named,
            [
                ("overlay2/orphan".to_owned(), Why::OrphanedLayer, 5000),
                ("containers/gone".to_owned(), Why::RemovedContainer, 700),
                ("tmp/docker-import-1".to_owned(), Why::Temporary, 90),
                ("volumes/v2".to_owned(), Why::RemovedVolume, 70),
            ]
        );
        assert_eq!(part(PartKind::Unaccounted), 5000 + 700 + 90 + 70);
    }
}
