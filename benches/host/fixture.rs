//! The host to measure on: many labelled containers and volumes, built through the Engine API
//! with a few calls in parallel, and removed the same way.

use std::collections::HashMap;

use bollard::models::{HostConfig, Mount, MountType};
use bollard::query_parameters::{
    ListContainersOptions, ListVolumesOptions, RemoveContainerOptions, RemoveVolumeOptions,
};
use futures_util::{stream, StreamExt};

use crate::support::Scenario;

const PARALLEL: usize = 8;

pub struct Shape {
    pub containers: usize,
    pub volumes: usize,
}

pub fn volume_name(s: &Scenario, i: usize) -> String {
    s.name(&format!("v{i:04}"))
}

pub fn container_name(s: &Scenario, i: usize) -> String {
    s.name(&format!("c{i:04}"))
}

/// A tenth running `sleep`, a fifth exited, the rest created; each with a writable layer of
/// 4–64 KiB; a seventh with a tmpfs; two thirds of the volumes in use.
pub async fn build(s: &Scenario, shape: &Shape) {
    stream::iter(0..shape.volumes)
        .map(|i| async move {
            s.create_volume(&format!("v{i:04}")).await;
        })
        .buffer_unordered(PARALLEL)
        .collect::<Vec<()>>()
        .await;
    let in_use = shape.volumes * 2 / 3;
    stream::iter(0..shape.containers)
        .map(|i| async move {
            let mut host_config = HostConfig::default();
            if i < in_use {
                host_config.binds = Some(vec![format!("{}:/data", volume_name(s, i))]);
            }
            if i % 7 == 0 {
                host_config.mounts = Some(vec![Mount {
                    target: Some("/scratch".to_owned()),
                    typ: Some(MountType::TMPFS),
                    ..Default::default()
                }]);
                host_config.tmpfs = Some(HashMap::from([("/run".to_owned(), "size=16m".to_owned())]));
            }
            let cmd: &[&str] = if i % 10 == 0 { &["sleep", "3600"] } else { &["true"] };
            let id = s.create_container(&format!("c{i:04}"), cmd, host_config).await;
            s.put_file(&id, "/", "layer.bin", 4096 * (1 + (i as u64 % 16))).await;
            if i % 10 <= 2 {
                s.start(&id).await;
            }
        })
        .buffer_unordered(PARALLEL)
        .collect::<Vec<()>>()
        .await;
}

/// Removes the fixture in parallel; the scenario's own cleanup then checks nothing is left.
pub async fn teardown(s: &Scenario) {
    let label = HashMap::from([("label".to_owned(), vec![format!("dockdu.test={}", s.run_id)])]);
    let options = ListContainersOptions { all: true, filters: Some(label.clone()), ..Default::default() };
    let containers = s.docker.list_containers(Some(options)).await.unwrap_or_default();
    stream::iter(containers.into_iter().filter_map(|c| c.id))
        .map(|id| async move {
            let options = RemoveContainerOptions { force: true, v: true, ..Default::default() };
            let _ = s.docker.remove_container(&id, Some(options)).await;
        })
        .buffer_unordered(PARALLEL)
        .collect::<Vec<()>>()
        .await;
    let volumes = s.docker.list_volumes(Some(ListVolumesOptions { filters: Some(label) })).await;
    let names = volumes.ok().and_then(|v| v.volumes).unwrap_or_default().into_iter().map(|v| v.name);
    stream::iter(names)
        .map(|name| async move {
            let _ = s.docker.remove_volume(&name, None::<RemoveVolumeOptions>).await;
        })
        .buffer_unordered(PARALLEL)
        .collect::<Vec<()>>()
        .await;
}
