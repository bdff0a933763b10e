//! Gathers everything the model needs, concurrently: the container list, the volume list and
//! `/system/df` at once; per-container inspects (for tmpfs) with bounded concurrency as soon as the
//! container list is in.

use std::collections::HashMap;
use std::path::Path;

use futures_util::{stream, StreamExt};

use crate::engine::{Engine, EngineError};
use crate::model::{ContainerFacts, Ownership, Sources, TmpfsFacts};

/// Enough to keep the engine busy without crowding it (or a 2-core host).
pub const INSPECT_CONCURRENCY: usize = 8;

pub async fn collect(engine: &Engine) -> Result<Sources, EngineError> {
    let mut info = engine.negotiate().await?;
    let containers_with_tmpfs = async {
        let containers = engine.containers().await?;
        let tmpfs = inspect_tmpfs(engine, &containers).await?;
        Ok::<_, EngineError>((containers, tmpfs))
    };
    let ((containers, tmpfs), volumes, disk_usage, storage_driver) = tokio::try_join!(
        containers_with_tmpfs,
        engine.volumes(),
        engine.disk_usage(),
        engine.storage_driver()
    )?;
    info.storage_driver = storage_driver;
    let host_paths = if engine.is_local() {
        probe_host_paths(Ownership::bind_sources(&containers))
    } else {
        HashMap::new()
    };
    Ok(Sources { engine: info, containers, volumes, disk_usage: Some(disk_usage), tmpfs, host_paths })
}

/// Each container's tmpfs mounts. A container removed meanwhile is left out, not an error.
pub async fn inspect_tmpfs(
    engine: &Engine,
    containers: &[ContainerFacts],
) -> Result<HashMap<String, Vec<TmpfsFacts>>, EngineError> {
    let mut inspected = stream::iter(containers.iter().map(|c| c.id.clone()))
        .map(|id| async move {
            let tmpfs = engine.container_tmpfs(&id).await;
            (id, tmpfs)
        })
        .buffer_unordered(INSPECT_CONCURRENCY);
    let mut tmpfs = HashMap::with_capacity(containers.len());
    while let Some((id, result)) = inspected.next().await {
        match result {
            Ok(mounts) => {
                tmpfs.insert(id, mounts);
            }
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(tmpfs)
}

/// Whether each host path still exists. Only meaningful for a local engine; blocking I/O.
pub fn probe_host_paths(paths: Vec<String>) -> HashMap<String, bool> {
    paths
        .into_iter()
        .map(|path| (Path::new(&path).exists(), path))
        .map(|(exists, path)| (path, exists))
        .collect()
}
