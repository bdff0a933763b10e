//! Facts in, inventory out: one pure function the report and the explorer share.

use std::cmp::Reverse;
use std::collections::HashMap;

use super::facts::{
    BuildCacheFacts, ContainerFacts, ContainerSizes, EngineInfo, EngineKind, ImageFacts, ImagesUsage,
    Measured, MountFacts, MountKind, SizeFacts, SizeSource, TmpfsFacts, VolumeFacts,
};
use super::images::{self, BuildCache, Image};
use super::tmpfs::{probes, TmpfsProbe, TmpfsUnread, TmpfsUse};
use super::{
    BindMount, Container, ContainerId, Inventory, Ownership, StateTimes, TmpfsMount, Totals, Volume,
};

/// Everything the engine has told us so far; parts arrive at different times.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub engine: EngineInfo,
    pub containers: Vec<ContainerFacts>,
    pub volumes: Vec<VolumeFacts>,
    /// Sizes, as each is measured here or answered by the engine.
    pub sizes: SizeFacts,
    /// Container id → its tmpfs mounts, for the containers inspected so far.
    pub tmpfs: HashMap<ContainerId, Vec<TmpfsFacts>>,
    /// Host path → exists, for engines on this machine.
    pub host_paths: HashMap<String, bool>,
    /// The engine runs on this machine: bind sources and tmpfs mounts can be read here.
    pub local: bool,
    /// Container id → its main process, for the inspected containers that had one.
    pub pids: HashMap<ContainerId, u32>,
    /// Container id → when its state began, for the inspected containers.
    pub state_times: HashMap<ContainerId, StateTimes>,
    /// Container id → its log, for the inspected containers.
    pub logs: HashMap<ContainerId, super::logs::ContainerLogs>,
    /// (container id, destination) → what that tmpfs holds, as last read here.
    pub tmpfs_used: HashMap<(ContainerId, String), TmpfsUse>,
    pub images: Vec<ImageFacts>,
    /// The images' sizes from `/system/df`, once it has answered.
    pub image_usage: Option<ImagesUsage>,
    /// The build cache from `/system/df`, once it has answered.
    pub build_cache: Option<BuildCacheFacts>,
}

impl Sources {
    /// The tmpfs mounts that can be read here now (see `tmpfs::probes`).
    pub fn tmpfs_probes(&self) -> impl Iterator<Item = TmpfsProbe> + '_ {
        let running = self.containers.iter().filter(|c| self.local && c.state.is_running());
        probes(running.map(|c| c.id.as_str()), &self.tmpfs, &self.pids)
    }

    /// Takes the images' and build cache's parts of a `/system/df` answer, where it has them.
    pub fn disk_usage_images(&mut self, usage: &super::DiskUsage) {
        if let Some(images) = &usage.images {
            self.image_usage = Some(images.clone());
        }
        if let Some(cache) = &usage.build_cache {
            self.build_cache = Some(cache.clone());
        }
    }
}

const ANONYMOUS_LABEL: &str = "com.docker.volume.anonymous";

/// Docker names anonymous volumes with 64 hex digits; newer engines also label them.
pub fn is_anonymous_volume(name: &str, labels: &std::collections::BTreeMap<String, String>) -> bool {
    labels.contains_key(ANONYMOUS_LABEL) || (name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub fn build(sources: &Sources) -> Inventory {
    let ownership = Ownership::from_containers(&sources.containers);
    let containers = containers(sources);
    let volumes = volumes(sources, &ownership);
    let bind_mounts = bind_mounts(sources);
    let tmpfs_mounts = tmpfs_mounts(sources);
    let images = images::images(sources);
    let build_cache = images::build_cache(sources.build_cache.as_ref());
    let layers_size = sources.image_usage.as_ref().and_then(|u| Some((u.layers_size?, u.source)));
    let totals = totals(&containers, &volumes, &tmpfs_mounts, &images, layers_size, build_cache.as_ref());
    Inventory {
        engine: sources.engine.clone(),
        containers,
        volumes,
        bind_mounts,
        tmpfs_mounts,
        images_sizes_known: images::sizes_known(&images),
        images,
        build_cache,
        totals,
        ownership,
        sizes_known: sizes_known(sources),
        // Walked on demand, and kept by the app across rebuilds.
        disk: None,
        disk_lines: Vec::new(),
    }
}

fn containers(sources: &Sources) -> Vec<Container> {
    let mut containers: Vec<Container> = sources
        .containers
        .iter()
        .map(|facts| {
            let sizes = sources.sizes.containers.get(&facts.id);
            Container {
                id: facts.id.clone(),
                name: facts.name.clone(),
                image: facts.image.clone(),
                image_id: facts.image_id.clone(),
                state: facts.state.clone(),
                status: facts.status.clone(),
                created: facts.created,
                size_rw: sizes.map(|s| s.value.size_rw),
                size_root_fs: sizes.and_then(|s| virtual_size(s, sources.engine.kind)),
                disk_usage: sizes.and_then(|s| s.disk_usage),
                size_source: sizes.map(|s| s.source),
                size_measured_at: sizes.map(|s| s.at),
                times: sources.state_times.get(&facts.id).copied(),
                mounts: mounts(facts, sources.tmpfs.get(&facts.id)),
                labels: facts.labels.clone(),
                logs: sources.logs.get(&facts.id).cloned(),
            }
        })
        .collect();
    containers.sort_by(|a, b| (Reverse(a.size_rw), &a.name).cmp(&(Reverse(b.size_rw), &b.name)));
    containers
}

/// The image plus the writable layer, on every engine: measured here it is that already, and so
/// is Docker's `SizeRootFs`; Podman's is the image alone.
fn virtual_size(sizes: &Measured<ContainerSizes>, kind: EngineKind) -> Option<u64> {
    let reported = sizes.value.size_root_fs?;
    match (kind, sizes.source) {
        (EngineKind::Podman, SizeSource::Engine) => Some(reported.saturating_add(sizes.value.size_rw)),
        _ => Some(reported),
    }
}

/// The list's mounts, and the `--tmpfs` ones that only the inspect names. A `--mount type=tmpfs`
/// is in both, at the same destination: it counts once.
fn mounts(facts: &ContainerFacts, inspected_tmpfs: Option<&Vec<TmpfsFacts>>) -> Vec<MountFacts> {
    let mut mounts = facts.mounts.clone();
    for tmpfs in inspected_tmpfs.into_iter().flatten() {
        if !facts.mounts.iter().any(|m| m.destination == tmpfs.destination) {
            mounts.push(MountFacts {
                kind: MountKind::Tmpfs,
                name: None,
                source: None,
                destination: tmpfs.destination.clone(),
                rw: !tmpfs.options.iter().any(|o| o == "ro"),
            });
        }
    }
    // The engine lists them in no stable order: by where they appear, `/data2` before `/data10`.
    mounts.sort_by(|a, b| alphanumeric_sort::compare_str(&a.destination, &b.destination));
    mounts
}

fn volumes(sources: &Sources, ownership: &Ownership) -> Vec<Volume> {
    let mut volumes: Vec<Volume> = sources
        .volumes
        .iter()
        .map(|facts| {
            let owners = ownership.volume_owners(&facts.name).to_vec();
            let size = sources.sizes.volumes.get(&facts.name).copied().flatten();
            Volume {
                name: facts.name.clone(),
                driver: facts.driver.clone(),
                mountpoint: facts.mountpoint.clone(),
                created_at: facts.created_at.clone(),
                labels: facts.labels.clone(),
                options: facts.options.clone(),
                size: size.map(|s| s.value),
                disk_usage: size.and_then(|s| s.disk_usage),
                size_source: size.map(|s| s.source),
                size_measured_at: size.map(|s| s.at),
                ref_count: owners.len(),
                anonymous: is_anonymous_volume(&facts.name, &facts.labels),
                dangling: owners.is_empty(),
                containers: owners,
            }
        })
        .collect();
    volumes.sort_by(|a, b| (Reverse(a.size), &a.name).cmp(&(Reverse(b.size), &b.name)));
    volumes
}

/// Every listed container and volume has its size, or is known to have none.
fn sizes_known(sources: &Sources) -> bool {
    let sizes = &sources.sizes;
    sources.containers.iter().all(|c| sizes.containers.contains_key(&c.id))
        && sources.volumes.iter().all(|v| sizes.volumes.contains_key(&v.name))
}

fn bind_mounts(sources: &Sources) -> Vec<BindMount> {
    let engine = super::EnginePaths {
        socket: sources.engine.host.strip_prefix("unix://"),
        root: sources.engine.root_dir.as_deref(),
    };
    let mut binds: Vec<BindMount> = sources
        .containers
        .iter()
        .flat_map(|c| c.mounts.iter().map(move |m| (c, m)))
        .filter(|(_, m)| m.kind == MountKind::Bind)
        .map(|(container, mount)| {
            let source = mount.source.clone().unwrap_or_default();
            BindMount {
                source_exists: sources.host_paths.get(&source).copied(),
                danger: super::danger::classify(&source, mount.rw, engine),
                source,
                destination: mount.destination.clone(),
                container: container.name.clone(),
                container_id: container.id.clone(),
                rw: mount.rw,
            }
        })
        .collect();
    // Containers sharing a host path sit together: one owner list per path.
    binds.sort_by(|a, b| {
        (&a.source, &a.container, &a.destination).cmp(&(&b.source, &b.container, &b.destination))
    });
    binds
}

fn tmpfs_mounts(sources: &Sources) -> Vec<TmpfsMount> {
    let mut mounts = Vec::new();
    for container in &sources.containers {
        let mount = |facts: &TmpfsFacts| {
            let used = tmpfs_use(sources, container, &facts.destination);
            TmpfsMount {
                container: container.name.clone(),
                container_id: container.id.clone(),
                tmpfs: facts.clone(),
                used: used.ok(),
                used_unknown: used.err(),
            }
        };
        match sources.tmpfs.get(&container.id) {
            Some(inspected) => mounts.extend(inspected.iter().map(mount)),
            // Not inspected yet: the list already names `--mount type=tmpfs` ones, without limits.
            None => mounts.extend(container.mounts.iter().filter(|m| m.kind == MountKind::Tmpfs).map(|m| {
                mount(&TmpfsFacts {
                    destination: m.destination.clone(),
                    size_limit: None,
                    mode: None,
                    options: Vec::new(),
                })
            })),
        }
    }
    mounts.sort_by(|a, b| (&a.container, &a.tmpfs.destination).cmp(&(&b.container, &b.tmpfs.destination)));
    mounts
}

/// What one tmpfs holds in memory, or why that is not known (yet).
fn tmpfs_use(sources: &Sources, container: &ContainerFacts, destination: &str) -> TmpfsUse {
    if !sources.local {
        return Err(TmpfsUnread::RemoteEngine);
    }
    if !container.state.is_running() {
        return Err(TmpfsUnread::NotRunning);
    }
    if !sources.pids.contains_key(&container.id) {
        let inspected = sources.tmpfs.contains_key(&container.id);
        return Err(if inspected { TmpfsUnread::NoPid } else { TmpfsUnread::Pending });
    }
    let key = (container.id.clone(), destination.to_owned());
    sources.tmpfs_used.get(&key).copied().unwrap_or(Err(TmpfsUnread::Pending))
}

fn totals(
    containers: &[Container],
    volumes: &[Volume],
    tmpfs: &[TmpfsMount],
    images: &[Image],
    images_size: Option<(u64, super::ImagesSizeSource)>,
    build_cache: Option<&BuildCache>,
) -> Totals {
    let dangling = volumes.iter().filter(|v| v.dangling);
    let reclaimable_volume_bytes = dangling.clone().filter_map(|v| v.size).sum();
    let reclaimable_volume_disk_usage = dangling.clone().map(|v| v.disk_usage).sum();
    let reclaimable_image_bytes = images.iter().filter(|i| !i.in_use()).filter_map(|i| i.unique_size).sum();
    let build_cache_reclaimable = build_cache.map(|c| c.reclaimable);
    Totals {
        tmpfs_used: tmpfs.iter().filter_map(|t| t.used).sum(),
        containers: containers.len(),
        containers_size_rw: containers.iter().filter_map(|c| c.size_rw).sum(),
        logs_size: containers.iter().filter_map(|c| c.logs.as_ref()?.size()).sum(),
        logs_unbounded: containers.iter().filter(|c| c.logs.as_ref().is_some_and(|l| l.unbounded())).count(),
        volumes: volumes.len(),
        volumes_size: volumes.iter().filter_map(|v| v.size).sum(),
        dangling_volumes: dangling.count(),
        reclaimable_volume_bytes,
        reclaimable_volume_disk_usage,
        images: images.len(),
        images_size: images_size.map(|(size, _)| size),
        images_size_source: images_size.map(|(_, source)| source),
        reclaimable_image_bytes,
        build_cache_size: build_cache.map(|c| c.size),
        build_cache_reclaimable,
        reclaimable_bytes: reclaimable_volume_bytes
            + reclaimable_image_bytes
            + build_cache_reclaimable.unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::facts::{ContainerSizes, DiskUsage, Measured, MountFacts, SizeSource, VolumeUsage};
    use crate::model::{Danger, DangerKind};

    fn host<T>(value: T) -> Measured<T> {
        Measured::host(value, 0, std::time::UNIX_EPOCH)
    }

    fn engine<T>(value: T) -> Measured<T> {
        Measured::engine(value, std::time::UNIX_EPOCH)
    }

    fn volume_mount(name: &str, destination: &str, rw: bool) -> MountFacts {
        MountFacts {
            kind: MountKind::Volume,
            name: Some(name.into()),
            source: None,
            destination: destination.into(),
            rw,
        }
    }

    fn bind_mount(source: &str, destination: &str) -> MountFacts {
        MountFacts {
            kind: MountKind::Bind,
            name: None,
            source: Some(source.into()),
            destination: destination.into(),
            rw: false,
        }
    }

    /// A `--mount type=tmpfs`, as the container list shows it.
    fn tmpfs_mount(destination: &str) -> MountFacts {
        MountFacts {
            kind: MountKind::Tmpfs,
            name: None,
            source: None,
            destination: destination.into(),
            rw: true,
        }
    }

    fn container(id: &str, mounts: Vec<MountFacts>) -> ContainerFacts {
        ContainerFacts {
            id: id.into(),
            name: format!("c-{id}"),
            state: "running".into(),
            mounts,
            ..Default::default()
        }
    }

    fn volume(name: &str) -> VolumeFacts {
        VolumeFacts { name: name.into(), driver: "local".into(), ..Default::default() }
    }

    fn sources() -> Sources {
        let anon = "a".repeat(64);
        Sources {
            containers: vec![
                container("1", vec![volume_mount("shared", "/data", true), bind_mount("/srv/www", "/www")]),
                container("2", vec![volume_mount("shared", "/ro", false), bind_mount("/srv/www", "/site")]),
                container("3", vec![volume_mount(&anon, "/anon", true)]),
            ],
            volumes: vec![volume("shared"), volume("left"), volume(&anon), volume("unmeasured")],
            sizes: SizeFacts {
                containers: HashMap::from([
                    ("1".into(), host(ContainerSizes { size_rw: 300, size_root_fs: Some(1300) })),
                    ("2".into(), engine(ContainerSizes { size_rw: 0, size_root_fs: Some(1000) })),
                ]),
                volumes: HashMap::from([
                    ("shared".into(), Some(host(2048))),
                    ("left".into(), Some(engine(512))),
                    // Measured by no one ("unmeasured" is not measured yet).
                    (anon.as_str().into(), None),
                ]),
            },
            ..Default::default()
        }
    }

    #[test]
    fn a_shared_volume_lists_both_users_with_paths_and_modes() {
        let inventory = build(&sources());
        let shared = inventory.volume("shared").unwrap();
        assert_eq!(shared.ref_count, 2);
        assert!(!shared.dangling);
        let users: Vec<_> =
            shared.containers.iter().map(|o| (o.container.as_str(), o.destination.as_str(), o.rw)).collect();
        assert_eq!(users, [("c-1", "/data", true), ("c-2", "/ro", false)]);
    }

    #[test]
    fn ownership_runs_both_ways() {
        let inventory = build(&sources());
        let owners: Vec<_> = inventory
            .ownership
            .host_path_owners("/srv/www")
            .iter()
            .map(|o| o.container_id.as_str())
            .collect();
        assert_eq!(owners, ["1", "2"]);
        let c1 = inventory.container("1").unwrap();
        assert!(c1.mounts.iter().any(|m| m.name.as_deref() == Some("shared")));
        assert!(inventory.ownership.volume_owners("left").is_empty());
    }

    #[test]
    fn unused_volume_is_dangling_and_counts_as_reclaimable() {
        let inventory = build(&sources());
        let left = inventory.volume("left").unwrap();
        assert!(left.dangling && left.ref_count == 0 && !left.anonymous);
        assert_eq!(inventory.totals.dangling_volumes, 2, "left and unmeasured");
        assert_eq!(inventory.totals.reclaimable_volume_bytes, 512);
    }

    #[test]
    fn a_volume_missing_from_disk_usage_has_unknown_size_but_keeps_its_users() {
        let anon = "a".repeat(64);
        let inventory = build(&sources());
        let v = inventory.volume(&anon).unwrap();
        assert_eq!(v.size, None);
        assert_eq!(v.ref_count, 1);
        assert!(v.anonymous);
        assert_eq!(inventory.volume("unmeasured").unwrap().size, None);
    }

    #[test]
    fn anonymous_by_name_or_label() {
        let none = BTreeMap::new();
        assert!(is_anonymous_volume(&"0f".repeat(32), &none));
        assert!(!is_anonymous_volume("data", &none));
        assert!(!is_anonymous_volume(&"g".repeat(64), &none));
        let labelled = BTreeMap::from([("com.docker.volume.anonymous".to_string(), String::new())]);
        assert!(is_anonymous_volume("short", &labelled));
    }

    #[test]
    fn the_virtual_size_is_image_plus_writable_layer_on_docker_and_podman_alike() {
        let mut s = sources();
        assert_eq!(
            build(&s).container("1").unwrap().size_root_fs,
            Some(1300),
            "measured here: image + layer"
        );
        s.engine.kind = EngineKind::Podman;
        assert_eq!(build(&s).container("1").unwrap().size_root_fs, Some(1300), "on Podman too");
        // Podman's own SizeRootFs is the image alone: 1000 + the 300 bytes of the writable layer.
        s.sizes
            .containers
            .insert("1".into(), engine(ContainerSizes { size_rw: 300, size_root_fs: Some(1000) }));
        let podman = build(&s);
        let c = podman.container("1").unwrap();
        assert_eq!((c.size_rw, c.size_root_fs), (Some(300), Some(1300)));
        assert!(c.size_root_fs >= c.size_rw);
    }

    #[test]
    fn totals_add_known_sizes() {
        let t = build(&sources()).totals;
        assert_eq!((t.containers, t.containers_size_rw, t.volumes, t.volumes_size), (3, 300, 4, 2560));
    }

    #[test]
    fn containers_sort_by_writable_size_largest_first_unknown_last() {
        let names: Vec<_> = build(&sources()).containers.into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["c-1", "c-2", "c-3"]);
    }

    #[test]
    fn sizes_are_unknown_not_zero_before_they_are_measured() {
        let mut s = sources();
        s.sizes = SizeFacts::default();
        let inventory = build(&s);
        assert!(!inventory.sizes_known);
        assert!(inventory.containers.iter().all(|c| c.size_rw.is_none() && c.size_source.is_none()));
        assert!(inventory.volumes.iter().all(|v| v.size.is_none() && v.size_source.is_none()));
    }

    #[test]
    fn each_size_says_where_it_came_from() {
        let inventory = build(&sources());
        let source = |id: &str| inventory.container(id).unwrap().size_source;
        assert_eq!(
            (source("1"), source("2"), source("3")),
            (Some(SizeSource::Host), Some(SizeSource::Engine), None)
        );
        let volume = |name: &str| inventory.volume(name).map(|v| (v.size, v.size_source)).unwrap();
        assert_eq!(volume("shared"), (Some(2048), Some(SizeSource::Host)));
        assert_eq!(volume("left"), (Some(512), Some(SizeSource::Engine)));
        assert_eq!(volume(&"a".repeat(64)), (None, None));
    }

    #[test]
    fn sizes_are_known_once_every_container_and_volume_is_settled() {
        let mut s = sources();
        assert!(!build(&s).sizes_known, "container 3 and volume unmeasured are still out");
        s.sizes.containers.insert("3".into(), host(ContainerSizes::default()));
        assert!(!build(&s).sizes_known);
        s.sizes.volumes.insert("unmeasured".into(), None);
        assert!(build(&s).sizes_known, "a volume no one measures is settled too");
    }

    #[test]
    fn a_disk_usage_answer_sizes_the_volumes_asked_and_only_unsized_containers() {
        let mut sizes = SizeFacts::default();
        sizes.containers.insert("1".into(), host(ContainerSizes { size_rw: 7, size_root_fs: Some(9) }));
        let usage = DiskUsage {
            containers: HashMap::from([
                ("1".into(), ContainerSizes { size_rw: 300, size_root_fs: Some(1300) }),
                ("2".into(), ContainerSizes { size_rw: 0, size_root_fs: Some(1000) }),
            ]),
            volumes: HashMap::from([
                ("asked".into(), VolumeUsage { size: Some(512), ref_count: Some(0) }),
                ("unknown".into(), VolumeUsage { size: None, ref_count: None }),
                ("not-asked".into(), VolumeUsage { size: Some(1), ref_count: None }),
            ]),
            ..Default::default()
        };
        sizes.engine_volumes(&usage, ["asked", "unknown", "absent"]);
        sizes.engine_containers(&usage);
        assert_eq!(sizes.volumes["asked"], Some(engine(512)));
        assert_eq!((sizes.volumes["unknown"], sizes.volumes["absent"]), (None, None));
        assert!(!sizes.volumes.contains_key("not-asked"));
        assert_eq!(sizes.containers["1"], host(ContainerSizes { size_rw: 7, size_root_fs: Some(9) }));
        assert_eq!(sizes.containers["2"], engine(ContainerSizes { size_rw: 0, size_root_fs: Some(1000) }));
    }

    #[test]
    fn binds_of_one_host_path_sit_together_with_existence() {
        let mut s = sources();
        s.host_paths.insert("/srv/www".into(), false);
        let binds = build(&s).bind_mounts;
        assert_eq!(binds.len(), 2);
        assert!(binds.iter().all(|b| b.source == "/srv/www" && b.source_exists == Some(false)));
    }

    #[test]
    fn a_bind_of_the_engine_socket_is_flagged_writable_and_an_ordinary_one_is_not() {
        let mut s = sources();
        s.engine.host = "unix:///var/run/docker.sock".into();
        let mut socket = bind_mount("/var/run/docker.sock", "/var/run/docker.sock");
        socket.rw = true;
        s.containers.push(container("4", vec![socket]));
        let binds = build(&s).bind_mounts;
        let flagged = binds.iter().find(|b| b.container_id == "4").unwrap();
        assert_eq!(flagged.danger, Some(Danger { kind: DangerKind::EngineSocket, writable: true }));
        assert!(binds.iter().filter(|b| b.source == "/srv/www").all(|b| b.danger.is_none()));
    }

    #[test]
    fn tmpfs_in_ram_is_read_only_for_running_containers_of_a_local_engine_and_says_why_not() {
        use crate::model::tmpfs::{parse_tmpfs_options, TmpfsProbe, TmpfsUnread};
        let mut s = sources();
        s.containers[1].state = "exited".into();
        for id in ["1", "2", "3"] {
            s.tmpfs.insert(id.into(), vec![parse_tmpfs_options("/t", "size=1m")]);
        }
        let reasons = |s: &Sources| {
            build(s)
                .tmpfs_mounts
                .iter()
                .map(|t| (t.container_id.clone(), t.used, t.used_unknown))
                .collect::<Vec<_>>()
        };
        assert!(s.tmpfs_probes().next().is_none(), "a remote engine's containers are not here");
        assert!(reasons(&s).iter().all(|r| r.2 == Some(TmpfsUnread::RemoteEngine)));
        s.local = true;
        s.pids.insert("1".into(), 41);
        let probe = TmpfsProbe { container_id: "1".into(), pid: 41, destination: "/t".into() };
        assert_eq!(s.tmpfs_probes().collect::<Vec<_>>(), [probe], "only the running one with a process");
        let got = reasons(&s);
        assert_eq!(got[0], ("1".into(), None, Some(TmpfsUnread::Pending)));
        assert_eq!(got[1], ("2".into(), None, Some(TmpfsUnread::NotRunning)));
        assert_eq!(got[2], ("3".into(), None, Some(TmpfsUnread::NoPid)));
        s.tmpfs_used.insert(("1".into(), "/t".into()), Ok(4096));
        let inventory = build(&s);
        assert_eq!(
            (inventory.tmpfs_mounts[0].used, inventory.tmpfs_mounts[0].used_unknown),
            (Some(4096), None)
        );
        assert_eq!(inventory.totals.tmpfs_used, 4096);
    }

    #[test]
    fn tmpfs_comes_from_inspect_else_from_the_list() {
        let mut s = sources();
        s.containers[0].mounts.push(tmpfs_mount("/t2"));
        assert_eq!(build(&s).tmpfs_mounts.len(), 1);
        assert_eq!(build(&s).tmpfs_mounts[0].tmpfs.size_limit, None);
        s.tmpfs.insert(
            "1".into(),
            vec![
                crate::model::tmpfs::parse_tmpfs_options("/t", "size=16m"),
                crate::model::tmpfs::tmpfs_from_mount("/t2", Some(1 << 20), Some(1016), vec![]),
            ],
        );
        let tmpfs = build(&s).tmpfs_mounts;
        let got: Vec<_> = tmpfs.iter().map(|t| (t.tmpfs.destination.as_str(), t.tmpfs.size_limit)).collect();
        assert_eq!(got, [("/t", Some(16 << 20)), ("/t2", Some(1 << 20))]);
    }

    #[test]
    fn a_tmpfs_flag_mount_counts_among_its_containers_mounts_once() {
        let mut s = sources();
        // `--mount type=tmpfs` at /t2: in the list and in the inspect.
        s.containers[0].mounts.push(tmpfs_mount("/t2"));
        let before = build(&s).container("1").unwrap().mounts.len();
        s.tmpfs.insert(
            "1".into(),
            vec![
                crate::model::tmpfs::parse_tmpfs_options("/t", "ro,size=16m"),
                crate::model::tmpfs::tmpfs_from_mount("/t2", Some(1 << 20), None, vec![]),
            ],
        );
        let inventory = build(&s);
        let mounts = &inventory.container("1").unwrap().mounts;
        assert_eq!(mounts.len(), before + 1, "only the --tmpfs one is new");
        let tmpfs: Vec<_> = mounts
            .iter()
            .filter(|m| m.kind == MountKind::Tmpfs)
            .map(|m| (m.destination.as_str(), m.rw))
            .collect();
        assert_eq!(tmpfs, [("/t", false), ("/t2", true)], "in the order of their paths");
    }
}
