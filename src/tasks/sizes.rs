//! Where each size comes from: measured here where the engine's files can be read, otherwise
//! asked of the engine. Object by object, each size passed on as soon as it is known.
//!
//! - A container is inspected (tmpfs mounts, where its writable layer is, its image); its layer
//!   is walked here and its virtual size is the image's size plus the layer, as the engine counts
//!   it. Where the layer cannot be read, the engine is asked instead: an inspect with `size=1`,
//!   or the answer of a `/system/df` that measures everything, when one is running (see
//!   `Engine::container_details`). Once a layer's own folder is closed to us, the engine is asked
//!   for the rest straight away.
//! - A volume's mountpoint is walked here; those that cannot be read are asked of `/system/df`
//!   together, once (see `Engine::volume_sizes`).
//! - With `Route::Engine` (a remote engine, or `--engine-sizes`) nothing is walked here.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use futures_util::stream::{self, BoxStream, FuturesUnordered, StreamExt};
use tokio::sync::{oneshot, OnceCell};

use crate::engine::{Engine, EngineError};
use crate::measure::{self, Pool};
pub use crate::model::sized::{ContainerSized, VolumesSized};
use crate::model::{
    ContainerDetails, ContainerId, ContainerSizes, ImageId, Measured, Snapshotter, VolumeFacts, VolumeName,
};
use crate::tasks::log_files;

/// Inspections at once when sizes are measured here: enough to keep the engine busy without
/// crowding it (or a 2-core host).
pub const INSPECT_CONCURRENCY: usize = 8;
/// Containers at once when every size comes from the engine (the engine bounds its own walks:
/// see `Engine::container_details`).
pub const ENGINE_SIZE_CONCURRENCY: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Measure here what can be read here; ask the engine for the rest.
    Host,
    /// Every size from the engine.
    Engine,
}

impl Route {
    /// Here when the engine shares this machine's files (a unix socket), unless the user asked
    /// for the engine's numbers.
    pub fn choose(engine: &Engine, engine_sizes: bool) -> Route {
        if engine.is_local() && !engine_sizes {
            Route::Host
        } else {
            Route::Engine
        }
    }
}

/// Inspects and sizes each container, at bounded concurrency; each comes out as soon as it is
/// done. Dropping the stream stops the walks still under way.
pub fn containers(
    engine: Engine,
    route: Route,
    ids: Vec<ContainerId>,
) -> BoxStream<'static, (ContainerId, Result<ContainerSized, EngineError>)> {
    let sizer = Arc::new(ContainerSizer::new(engine, route));
    let concurrency = match route {
        Route::Host => INSPECT_CONCURRENCY,
        Route::Engine => ENGINE_SIZE_CONCURRENCY,
    };
    stream::iter(ids)
        .map(move |id| {
            let sizer = Arc::clone(&sizer);
            async move {
                let result = sizer.container(&id).await;
                (id, result)
            }
        })
        .buffer_unordered(concurrency)
        .boxed()
}

struct ContainerSizer {
    engine: Engine,
    route: Route,
    pool: Pool,
    /// Image id → size, from the image list (asked once) and single inspects for the images the
    /// list leaves out.
    listed_images: OnceCell<HashMap<ImageId, u64>>,
    other_images: Mutex<HashMap<ImageId, Option<u64>>>,
    /// A layer's own folder was closed to us: so are the others (the engine's files are
    /// readable by root only, say), and the engine is asked straight away.
    layers_closed: AtomicBool,
}

impl ContainerSizer {
    fn new(engine: Engine, route: Route) -> Self {
        ContainerSizer {
            engine,
            route,
            pool: Pool::new(measure::default_threads()),
            listed_images: OnceCell::new(),
            other_images: Mutex::new(HashMap::new()),
            layers_closed: AtomicBool::new(false),
        }
    }

    async fn container(&self, id: &str) -> Result<ContainerSized, EngineError> {
        let from_engine = |details: &ContainerDetails| {
            details.sizes.map(|value| Measured::engine(value, SystemTime::now()))
        };
        if self.route == Route::Engine {
            let details = self.engine.container_details(id, true).await?;
            // No engine measures a log: on this machine (`--engine-sizes`) its files are read here.
            let logs = if self.engine.is_local() {
                read_logs(&details, id).await
            } else {
                log_files::remote(&details)
            };
            return Ok(ContainerSized { sizes: from_engine(&details), details, logs });
        }
        if self.layers_closed.load(Ordering::Relaxed) {
            let details = self.engine.container_details(id, true).await?;
            let logs = read_logs(&details, id).await;
            return Ok(ContainerSized { sizes: from_engine(&details), details, logs });
        }
        let details = self.engine.container_details(id, false).await?;
        let logs = read_logs(&details, id).await;
        if let Some(measured) = self.measure_here(&details).await? {
            return Ok(ContainerSized { details, sizes: Some(measured), logs });
        }
        // Not readable here (or no folder to read): the engine measures it.
        let sized = self.engine.container_details(id, true).await?;
        Ok(ContainerSized { sizes: from_engine(&sized), details, logs })
    }

    /// The layer walked here, with the image's size from the engine for a graph driver's; `None`
    /// when out of reach.
    async fn measure_here(
        &self,
        details: &ContainerDetails,
    ) -> Result<Option<Measured<ContainerSizes>>, EngineError> {
        if let (Some(snapshotter), Some(pid)) = (details.snapshotter, details.pid) {
            return Ok(self.measure_snapshot(snapshotter, pid).await);
        }
        let Some(layer) = &details.writable_layer else { return Ok(None) };
        let (size_rw, disk_usage) = match walk(&self.pool, PathBuf::from(layer)).await {
            Ok(total) => (total.bytes, total.disk_usage),
            Err(measure::WalkError::Unreadable { path, error }) => {
                if path == Path::new(layer) && error.kind() == io::ErrorKind::PermissionDenied {
                    self.layers_closed.store(true, Ordering::Relaxed);
                }
                return Ok(None);
            }
            Err(measure::WalkError::Cancelled) => return Ok(None),
        };
        let image = self.image_size(&details.image_id).await?;
        Ok(image.map(|image| {
            let sizes = ContainerSizes { size_rw, size_root_fs: Some(image + size_rw) };
            Measured::host(sizes, disk_usage, SystemTime::now())
        }))
    }

    /// A running container's containerd snapshot, found through its mount table. The engine's
    /// `SizeRw` there is containerd's usage of the snapshot: blocks on disk, each inode once,
    /// folders included (with the native snapshotter the snapshot is a whole copy of the root).
    /// Its virtual size adds snapshots this route cannot find (the init layer's, the image's
    /// unpacked ones): left unknown rather than guessed.
    async fn measure_snapshot(&self, snapshotter: Snapshotter, pid: u32) -> Option<Measured<ContainerSizes>> {
        let layer = snapshot_layer(snapshotter, pid).await?;
        let total = walk(&self.pool, layer).await.ok()?;
        let sizes = ContainerSizes { size_rw: total.disk_usage, size_root_fs: None };
        Some(Measured::snapshot(sizes, total.disk_usage, SystemTime::now()))
    }

    async fn image_size(&self, id: &ImageId) -> Result<Option<u64>, EngineError> {
        let listed = self
            .listed_images
            .get_or_try_init(|| async {
                let images = self.engine.images().await?;
                Ok::<_, EngineError>(images.into_iter().filter_map(|i| Some((i.id, i.size?))).collect())
            })
            .await?;
        if let Some(size) = listed.get(id) {
            return Ok(Some(*size));
        }
        let known = self.other_images.lock().unwrap_or_else(|e| e.into_inner()).get(id).copied();
        if let Some(size) = known {
            return Ok(size);
        }
        let size = match self.engine.image_size(id).await {
            Ok(size) => size,
            Err(e) if e.is_not_found() => None,
            Err(e) => return Err(e),
        };
        self.other_images.lock().unwrap_or_else(|e| e.into_inner()).insert(id.clone(), size);
        Ok(size)
    }
}

/// The host folder of a running container's containerd snapshot, read from its mount table off
/// the async threads; `None` unless its root is mounted the way `snapshotter` mounts one.
pub(crate) async fn snapshot_layer(snapshotter: Snapshotter, pid: u32) -> Option<PathBuf> {
    let (layer, mount) =
        tokio::task::spawn_blocking(move || measure::mountinfo::writable_layer(pid)).await.ok().flatten()?;
    let mounted_by = match mount {
        measure::mountinfo::RootMount::Overlay { .. } => Snapshotter::Overlayfs,
        measure::mountinfo::RootMount::Folder { .. } => Snapshotter::Native,
    };
    (mounted_by == snapshotter).then_some(layer)
}

/// The container's log files, read here off the async threads.
async fn read_logs(details: &ContainerDetails, id: &str) -> Option<crate::model::logs::ContainerLogs> {
    let (details, id) = (details.clone(), id.to_owned());
    tokio::task::spawn_blocking(move || log_files::read(&details, &id)).await.ok().flatten()
}

/// A tree's total, walked on the pool; an error when it cannot be read whole.
async fn walk(pool: &Pool, root: PathBuf) -> Result<measure::Total, measure::WalkError> {
    let (sender, answer) = oneshot::channel();
    pool.measure(root, move |result| {
        let _ = sender.send(result);
    });
    answer.await.unwrap_or(Err(measure::WalkError::Cancelled))
}

/// Sizes each volume: walked here as the pool finishes each, then the ones that could not be
/// read in one `/system/df`. Dropping the stream stops the walks still under way.
pub fn volumes(engine: Engine, route: Route, volumes: Vec<VolumeFacts>) -> BoxStream<'static, VolumesSized> {
    let pool = Arc::new(Pool::new(measure::default_threads()));
    let mut unmeasured = Vec::new();
    let mut for_engine = Vec::new();
    let walks = FuturesUnordered::new();
    for volume in volumes {
        if !volume.measured_by_engine() {
            unmeasured.push(volume.name);
        } else if route == Route::Host && !volume.mountpoint.is_empty() {
            let pool = Arc::clone(&pool);
            walks.push(async move {
                let result = walk(&pool, PathBuf::from(&volume.mountpoint)).await;
                (volume.name, result)
            });
        } else {
            for_engine.push(volume.name);
        }
    }
    let state = VolumeWalks { engine, walks, for_engine, _pool: pool };
    let unmeasured = stream::iter(unmeasured.into_iter().map(|name| VolumesSized::One(name, None)));
    unmeasured.chain(stream::unfold(state, VolumeWalks::next)).boxed()
}

struct VolumeWalks<W> {
    engine: Engine,
    walks: FuturesUnordered<W>,
    /// Volumes to ask the engine for, once the walks are done.
    for_engine: Vec<VolumeName>,
    _pool: Arc<Pool>,
}

impl<W> VolumeWalks<W>
where
    W: std::future::Future<Output = (VolumeName, Result<measure::Total, measure::WalkError>)>,
{
    async fn next(mut self) -> Option<(VolumesSized, Self)> {
        while let Some((name, result)) = self.walks.next().await {
            match result {
                Ok(total) => {
                    let measured = Some(Measured::host(total.bytes, total.disk_usage, SystemTime::now()));
                    return Some((VolumesSized::One(name, measured), self));
                }
                Err(_) => self.for_engine.push(name),
            }
        }
        if self.for_engine.is_empty() {
            return None;
        }
        let names = std::mem::take(&mut self.for_engine);
        let sized = match self.engine.volume_sizes().await {
            Ok(usage) => VolumesSized::Engine { names, usage },
            Err(error) => VolumesSized::Failed { names, error },
        };
        Some((sized, self))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::engine::HostChoice;
    use crate::model::SizeSource;

    /// An engine at a socket that does not exist: any question to it fails.
    fn absent_engine(dir: &std::path::Path) -> Engine {
        let host = format!("unix://{}/no-engine.sock", dir.display());
        let choice = HostChoice {
            flag: Some(&host),
            docker_host: None,
            tls_verify: None,
            tls_flags: Default::default(),
            cert_path: None,
            home: None,
            default_host: &host,
        };
        Engine::new(&choice).unwrap()
    }

    fn volume(name: &str, mountpoint: &std::path::Path, options: &[(&str, &str)]) -> VolumeFacts {
        VolumeFacts {
            name: name.into(),
            driver: "local".into(),
            mountpoint: mountpoint.display().to_string(),
            options: options.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>(),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn volumes_readable_here_are_measured_here_and_only_the_rest_are_asked_of_the_engine() {
        let dir = std::env::temp_dir().join(format!("dockdu-sizes-{}", std::process::id()));
        let data = dir.join("data");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(data.join("f"), [0u8; 300]).unwrap();
        let listed = vec![
            volume("here", &data, &[]),
            volume("tmpfs", &data, &[("type", "tmpfs")]),
            volume("missing", &dir.join("missing"), &[]),
        ];
        let pieces: Vec<VolumesSized> = volumes(absent_engine(&dir), Route::Host, listed).collect().await;
        let _ = std::fs::remove_dir_all(&dir);

        let measured_here = |m: &Measured<u64>| (m.value, m.source) == (300, SizeSource::Host);
        assert!(pieces
            .iter()
            .any(|p| matches!(p, VolumesSized::One(n, Some(m)) if n == "here" && measured_here(m))));
        assert!(
            pieces.iter().any(|p| matches!(p, VolumesSized::One(n, None) if n == "tmpfs")),
            "not measured"
        );
        // The one that could not be read goes to the engine, which is not there.
        let failed: Vec<&Vec<VolumeName>> = pieces
            .iter()
            .filter_map(|p| match p {
                VolumesSized::Failed { names, .. } => Some(names),
                _ => None,
            })
            .collect();
        assert_eq!(failed, [&vec![VolumeName::new("missing")]], "{pieces:?}");
    }

    #[tokio::test]
    async fn the_engine_route_walks_nothing_here() {
        let dir = std::env::temp_dir().join(format!("dockdu-sizes-engine-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pieces: Vec<VolumesSized> =
            volumes(absent_engine(&dir), Route::Engine, vec![volume("here", &dir, &[])]).collect().await;
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            matches!(&pieces[..], [VolumesSized::Failed { names, .. }] if names == &["here"]),
            "{pieces:?}"
        );
    }
}
