//! Placing a path under the engine's root: a pure function of its names and of what the engine
//! knows (its objects and its layer store), so it is tested without an engine.

use std::collections::HashSet;

use super::{PartKind, Why};

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
