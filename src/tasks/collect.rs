//! Gathers everything the model needs, concurrently: the container list, then each container's
//! inspect and sizes; the volume list, then the volumes' sizes, then (unless that `/system/df`
//! measured them already) the image list and the images' and build cache's; the storage driver
//! and the data root.

use std::collections::HashMap;
use std::path::Path;

use futures_util::StreamExt;

use crate::engine::{Engine, EngineError};
use crate::model::images_total::ImagesRoute;
use crate::model::ImageId;
use crate::model::{
    ContainerFacts, ContainerId, DiskUsage, Ownership, SizeFacts, Sources, VolumeFacts, VolumeName,
};
use crate::tasks::image_sizes;
use crate::tasks::sizes::{self, ContainerSized, Route, VolumesSized};

pub async fn collect(engine: &Engine, route: Route) -> Result<Sources, EngineError> {
    let mut info = engine.negotiate().await?;
    let containers = async {
        let containers = engine.containers().await?;
        let inspected = inspect_containers(engine, route, &containers).await?;
        Ok::<_, EngineError>((containers, inspected))
    };
    let volumes = async {
        let volumes = engine.volumes().await?;
        let (sized, usage) = size_volumes(engine, route, &volumes).await?;
        let images = engine.images().await?;
        Ok::<_, EngineError>((volumes, sized, images, usage))
    };
    let ((mut containers, inspected), (volumes, mut sizes, images, mut usage), details) =
        tokio::try_join!(containers, volumes, engine.details())?;
    info.set_details(details);
    // One `/system/df` at a time: the images' part waits for the volumes' (often the same
    // answer). Listed before it is asked, every image listed is in its answer. The report has
    // the build cache, which only `/system/df` knows: never the layer store's route here.
    let image_route = ImagesRoute::choose(&info, engine.is_local(), true);
    let measured = |id: &str| usage.images.as_ref().is_some_and(|u| u.images.contains_key(id));
    if usage.build_cache.is_none() || !images.iter().all(|i| measured(&i.id)) {
        let listed: Vec<ImageId> = images.iter().map(|i| i.id.clone()).collect();
        usage = image_sizes::measure(engine, &image_route, &listed).await?;
    } else if let Some(images) = usage.images.as_mut().filter(|_| image_route.prove_total) {
        image_sizes::prove_total(engine, images).await;
    }
    // Removed between the list and its inspect: it is gone, not of unknown size.
    containers.retain(|c| inspected.contains_key(&c.id));
    let mut tmpfs = HashMap::with_capacity(inspected.len());
    let mut pids = HashMap::new();
    let mut state_times = HashMap::with_capacity(inspected.len());
    let mut logs = HashMap::new();
    for (id, sized) in inspected {
        state_times.insert(id.clone(), sized.details.times);
        if let Some(measured) = sized.sizes {
            sizes.containers.insert(id.clone(), measured);
        }
        if let Some(pid) = sized.details.pid {
            pids.insert(id.clone(), pid);
        }
        if let Some(log) = sized.logs {
            logs.insert(id.clone(), log);
        }
        tmpfs.insert(id, sized.details.tmpfs);
    }
    let local = engine.is_local();
    let host_paths =
        if local { probe_host_paths(Ownership::bind_sources(&containers)) } else { HashMap::new() };
    let mut sources = Sources {
        engine: info,
        containers,
        volumes,
        sizes,
        tmpfs,
        host_paths,
        local,
        pids,
        state_times,
        logs,
        images,
        ..Default::default()
    };
    sources.disk_usage_images(&usage);
    sources.tmpfs_used = crate::tasks::tmpfs::read_all(sources.tmpfs_probes().collect());
    Ok(sources)
}

/// Each container's inspect and sizes. A container removed meanwhile is left out, not an error.
async fn inspect_containers(
    engine: &Engine,
    route: Route,
    containers: &[ContainerFacts],
) -> Result<HashMap<ContainerId, ContainerSized>, EngineError> {
    let ids = containers.iter().map(|c| c.id.clone()).collect();
    let mut inspected = sizes::containers(engine.clone(), route, ids);
    let mut found = HashMap::with_capacity(containers.len());
    while let Some((id, result)) = inspected.next().await {
        match result {
            Ok(sized) => {
                found.insert(id, sized);
            }
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(found)
}

/// The volumes' sizes; from an engine that measures everything at once, the containers' too,
/// and its whole answer (whose images' part is then known).
async fn size_volumes(
    engine: &Engine,
    route: Route,
    volumes: &[VolumeFacts],
) -> Result<(SizeFacts, DiskUsage), EngineError> {
    let mut sizes = SizeFacts::default();
    let mut whole = DiskUsage::default();
    let mut sized = sizes::volumes(engine.clone(), route, volumes.to_vec());
    while let Some(piece) = sized.next().await {
        match piece {
            VolumesSized::One(name, size) => {
                sizes.volumes.insert(name, size);
            }
            VolumesSized::Engine { names, usage } => {
                sizes.engine_volumes(&usage, names.iter().map(VolumeName::as_str));
                sizes.engine_containers(&usage);
                whole = usage;
            }
            VolumesSized::Failed { error, .. } => return Err(error),
        }
    }
    Ok((sizes, whole))
}

/// Whether each host path still exists. Only meaningful for a local engine; blocking I/O.
pub fn probe_host_paths(paths: Vec<String>) -> HashMap<String, bool> {
    paths
        .into_iter()
        .map(|path| (Path::new(&path).exists(), path))
        .map(|(exists, path)| (path, exists))
        .collect()
}
