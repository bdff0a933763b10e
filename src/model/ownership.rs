//! Who owns which mount, both ways: a container lists its mounts; this maps a volume or a host
//! path back to the containers that use it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::facts::{ContainerFacts, MountKind};
use super::{ContainerId, VolumeName};

/// One container's use of a volume or host path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Owner {
    pub container: String,
    pub container_id: ContainerId,
    pub destination: String,
    pub rw: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Ownership {
    /// Volume name → the containers that mount it.
    pub volumes: BTreeMap<VolumeName, Vec<Owner>>,
    /// Host path → the containers that bind it.
    pub host_paths: BTreeMap<String, Vec<Owner>>,
}

impl Ownership {
    pub fn from_containers(containers: &[ContainerFacts]) -> Self {
        let mut ownership = Ownership::default();
        for container in containers {
            for mount in &container.mounts {
                let owner = Owner {
                    container: container.name.clone(),
                    container_id: container.id.clone(),
                    destination: mount.destination.clone(),
                    rw: mount.rw,
                };
                match (&mount.kind, &mount.name, &mount.source) {
                    (MountKind::Volume, Some(name), _) => {
                        ownership.volumes.entry(name.clone()).or_default().push(owner)
                    }
                    (MountKind::Bind, _, Some(source)) => {
                        ownership.host_paths.entry(source.clone()).or_default().push(owner)
                    }
                    _ => continue,
                }
            }
        }
        for owners in ownership.volumes.values_mut().chain(ownership.host_paths.values_mut()) {
            owners.sort();
        }
        ownership
    }

    /// Every host path some container binds, each once.
    pub fn bind_sources(containers: &[ContainerFacts]) -> Vec<String> {
        let sources: std::collections::BTreeSet<&str> = containers
            .iter()
            .flat_map(|c| &c.mounts)
            .filter(|m| m.kind == MountKind::Bind)
            .filter_map(|m| m.source.as_deref())
            .collect();
        sources.into_iter().map(str::to_owned).collect()
    }

    pub fn volume_owners(&self, name: &str) -> &[Owner] {
        self.volumes.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn host_path_owners(&self, path: &str) -> &[Owner] {
        self.host_paths.get(path).map_or(&[], Vec::as_slice)
    }
}
