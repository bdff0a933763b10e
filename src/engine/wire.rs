//! The engine's JSON for the reads whose shape varies across engines, decoded leniently: missing
//! and `null` fields take defaults, unknown states stay strings, and an entry that does not decode
//! is skipped rather than failing the list.

use std::collections::{BTreeMap, HashMap};
use std::time::SystemTime;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::model::logs::LogConfig;
use crate::model::manifests::{platform, ImageManifest, ManifestKind};
use crate::model::tmpfs::{parse_tmpfs_options, tmpfs_from_mount};
use crate::model::{
    BuildCacheFacts, BuildCacheRecord, ContainerDetails, ContainerFacts, ContainerSizes, ContainerState,
    DiskUsage, EngineDetails, Health, ImageFacts, ImageSizes, ImagesSizeSource, ImagesUsage, MountFacts,
    MountKind, Snapshotter, StateTimes, TmpfsFacts, VolumeFacts, VolumeName, VolumeUsage,
};

/// One element of a JSON list, kept as its text until it is decoded on its own: no tree of
/// values is built for a thousand-entry answer.
pub type Item = Box<RawValue>;

/// Decodes each element on its own; returns the decoded ones and how many were skipped.
pub fn decode_each<T: DeserializeOwned>(items: &[Item]) -> (Vec<T>, usize) {
    let decoded: Vec<T> = items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| match serde_json::from_str(item.get()) {
            Ok(decoded) => Some(decoded),
            Err(e) => {
                // Where and what kind of problem, never the entry: serde's message can quote
                // a value from it (a label, a password option), and logs hold no bodies.
                tracing::warn!(
                    kind = std::any::type_name::<T>(),
                    index,
                    problem = ?e.classify(),
                    line = e.line(),
                    column = e.column(),
                    "skipped an entry"
                );
                None
            }
        })
        .collect();
    let skipped = items.len() - decoded.len();
    (decoded, skipped)
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Container {
    pub id: String,
    pub names: Option<Vec<String>>,
    pub image: Option<String>,
    #[serde(rename = "ImageID")]
    pub image_id: Option<String>,
    pub state: Option<Value>,
    pub status: Option<String>,
    pub created: Option<i64>,
    pub labels: Option<BTreeMap<String, String>>,
    pub mounts: Option<Vec<Mount>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Mount {
    #[serde(rename = "Type")]
    pub kind: Option<String>,
    pub name: Option<String>,
    pub source: Option<String>,
    pub destination: Option<String>,
    #[serde(rename = "RW")]
    pub rw: Option<bool>,
}

impl Container {
    pub fn into_facts(self) -> ContainerFacts {
        let name = self.names.unwrap_or_default().into_iter().next().unwrap_or_default();
        ContainerFacts {
            name: name.strip_prefix('/').unwrap_or(&name).to_owned(),
            image: self.image.unwrap_or_default(),
            image_id: self.image_id.unwrap_or_default().into(),
            state: ContainerState::parse(&state_word(self.state)),
            status: self.status.unwrap_or_default(),
            created: self.created.unwrap_or_default(),
            labels: self.labels.unwrap_or_default(),
            mounts: self.mounts.unwrap_or_default().into_iter().map(Mount::into_facts).collect(),
            id: self.id.into(),
        }
    }
}

/// A container as `/system/df` lists it, for its sizes alone.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct ContainerSize {
    id: String,
    size_rw: Option<i64>,
    size_root_fs: Option<i64>,
}

impl ContainerSize {
    fn sizes(&self) -> ContainerSizes {
        container_sizes(self.size_rw, self.size_root_fs)
    }
}

/// The engine leaves `SizeRw` out when it is zero; a negative size means it could not tell.
fn container_sizes(size_rw: Option<i64>, size_root_fs: Option<i64>) -> ContainerSizes {
    ContainerSizes {
        size_rw: size_rw.and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
        size_root_fs: size_root_fs.and_then(|s| u64::try_from(s).ok()),
    }
}

/// `State` is a word in the list; inspect and some engines send an object with a `Status`.
fn state_word(state: Option<Value>) -> String {
    match state {
        Some(Value::String(s)) => s,
        Some(Value::Object(o)) => o.get("Status").and_then(Value::as_str).unwrap_or_default().to_owned(),
        _ => String::new(),
    }
}

impl Mount {
    fn into_facts(self) -> MountFacts {
        let source = self.source.filter(|s| !s.is_empty());
        MountFacts {
            kind: MountKind::parse(self.kind.as_deref().unwrap_or_default()),
            name: self.name.filter(|n| !n.is_empty()).map(VolumeName::from),
            source,
            destination: self.destination.unwrap_or_default(),
            rw: self.rw.unwrap_or(true),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Volume {
    pub name: String,
    pub driver: Option<String>,
    pub mountpoint: Option<String>,
    pub created_at: Option<String>,
    pub labels: Option<BTreeMap<String, String>>,
    pub options: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UsageData {
    pub size: Option<i64>,
    pub ref_count: Option<i64>,
}

impl Volume {
    pub fn into_facts(self) -> VolumeFacts {
        VolumeFacts {
            name: self.name.into(),
            driver: self.driver.unwrap_or_default(),
            mountpoint: self.mountpoint.unwrap_or_default(),
            created_at: self.created_at.filter(|c| !c.is_empty()),
            labels: self.labels.unwrap_or_default(),
            options: self.options.unwrap_or_default(),
        }
    }
}

/// A volume as `/system/df` lists it, for its usage alone.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct VolumeSize {
    name: String,
    usage_data: Option<UsageData>,
}

impl VolumeSize {
    fn usage(&self) -> VolumeUsage {
        // -1 means the engine could not tell.
        let known = |n: Option<i64>| n.and_then(|n| u64::try_from(n).ok());
        let usage = self.usage_data.as_ref();
        VolumeUsage {
            size: known(usage.and_then(|u| u.size)),
            ref_count: known(usage.and_then(|u| u.ref_count)),
        }
    }
}

/// An image as `/images/json` and `/system/df` list it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Image {
    pub id: String,
    pub repo_tags: Option<Vec<String>>,
    pub size: Option<i64>,
    /// -1 unless asked (`shared-size=1`, API ≥ 1.42) or answered by `/system/df`.
    pub shared_size: Option<i64>,
    pub created: Option<i64>,
    pub labels: Option<BTreeMap<String, String>>,
    /// Only when asked (`manifests=1`, API ≥ 1.47) and only from the containerd image store.
    /// Each is decoded on its own: an odd manifest costs itself, not the image.
    pub manifests: Option<Vec<Item>>,
}

/// A byte count; negative means the engine could not tell (or was not asked).
fn known(bytes: Option<i64>) -> Option<u64> {
    bytes.and_then(|b| u64::try_from(b).ok())
}

impl Image {
    pub fn into_facts(self) -> ImageFacts {
        let (manifests, _skipped) = decode_each::<Manifest>(&self.manifests.unwrap_or_default());
        ImageFacts {
            // `<none>:<none>` is what the engine says for an untagged image.
            tags: self.repo_tags.unwrap_or_default().into_iter().filter(|t| t != "<none>:<none>").collect(),
            size: known(self.size),
            shared_size: known(self.shared_size),
            created: self.created.unwrap_or_default(),
            labels: self.labels.unwrap_or_default(),
            id: self.id.into(),
            manifests: manifests.into_iter().map(Manifest::into_manifest).collect(),
        }
    }

    fn sizes(&self) -> ImageSizes {
        ImageSizes { size: known(self.size), shared_size: known(self.shared_size) }
    }
}

/// One of an image's manifests (`ImageManifestSummary`): a platform's image, an attestation, or
/// a kind dockdu does not know.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct Manifest {
    #[serde(rename = "ID")]
    id: String,
    descriptor: Option<Descriptor>,
    available: Option<bool>,
    kind: Option<String>,
    size: Option<ManifestSize>,
    image_data: Option<ManifestImageData>,
    attestation_data: Option<AttestationData>,
}

/// An OCI descriptor: its keys are camelCase, unlike the engine's own.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Descriptor {
    digest: Option<String>,
    platform: Option<Platform>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Platform {
    os: Option<String>,
    architecture: Option<String>,
    variant: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct ManifestSize {
    content: Option<i64>,
    total: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct ManifestImageData {
    platform: Option<Platform>,
    size: Option<UnpackedSize>,
    containers: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct UnpackedSize {
    unpacked: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AttestationData {
    #[serde(rename = "For")]
    attests: Option<String>,
}

impl Platform {
    fn words(&self) -> Option<String> {
        let part = |p: &Option<String>| p.clone().unwrap_or_default();
        platform(&part(&self.os), &part(&self.architecture), self.variant.as_deref())
    }
}

impl Manifest {
    fn into_manifest(self) -> ImageManifest {
        let descriptor = self.descriptor.unwrap_or_default();
        let data = self.image_data.unwrap_or_default();
        let size = self.size.unwrap_or_default();
        // The image data's platform is the image's own; the descriptor's is what the index says.
        let platform =
            data.platform.as_ref().and_then(Platform::words).or_else(|| descriptor.platform?.words());
        let digest = Some(self.id).filter(|id| !id.is_empty()).or(descriptor.digest).unwrap_or_default();
        ImageManifest {
            digest,
            kind: ManifestKind::from_engine(self.kind.as_deref().unwrap_or_default()),
            available: self.available.unwrap_or(false),
            platform,
            content_size: known(size.content),
            total_size: known(size.total),
            unpacked_size: known(data.size.and_then(|s| s.unpacked)),
            container_ids: data.containers.unwrap_or_default().into_iter().map(Into::into).collect(),
            attests: self.attestation_data.and_then(|a| a.attests).filter(|d| !d.is_empty()),
        }
    }
}

/// A build cache record as `/system/df` lists it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct BuildCache {
    #[serde(rename = "ID")]
    id: String,
    #[serde(rename = "Type")]
    kind: Option<String>,
    description: Option<String>,
    in_use: Option<bool>,
    shared: Option<bool>,
    size: Option<i64>,
    last_used_at: Option<String>,
}

impl BuildCache {
    fn into_record(self) -> BuildCacheRecord {
        BuildCacheRecord {
            id: self.id,
            kind: self.kind.unwrap_or_default(),
            description: self.description.unwrap_or_default(),
            size: known(self.size),
            in_use: self.in_use.unwrap_or(false),
            shared: self.shared.unwrap_or(false),
            last_used_at: self.last_used_at.filter(|t| !t.is_empty()),
        }
    }
}

/// The parts of `/info` dockdu uses; its typed model also holds enums other engines extend. A
/// field of another type is taken as absent, so it cannot cost the others.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Info {
    pub driver: Option<Value>,
    /// Podman's compat API sends its `GraphRoot` here.
    pub docker_root_dir: Option<Value>,
    /// `[["driver-type", "io.containerd.snapshotter.v1"]]` on the containerd image store.
    pub driver_status: Option<Value>,
}

impl Info {
    pub fn into_details(self) -> EngineDetails {
        let text = |value: Option<Value>| value.as_ref().and_then(Value::as_str).map(str::to_owned);
        let containerd_store = self.driver_status.as_ref().and_then(Value::as_array).is_some_and(|pairs| {
            pairs.iter().any(|pair| {
                pair.get(0).and_then(Value::as_str) == Some("driver-type")
                    && pair
                        .get(1)
                        .and_then(Value::as_str)
                        .is_some_and(|t| t.starts_with("io.containerd.snapshotter"))
            })
        });
        EngineDetails {
            storage_driver: text(self.driver).unwrap_or_default(),
            root_dir: text(self.docker_root_dir).filter(|root| !root.is_empty()),
            containerd_store,
        }
    }
}

/// `GET /volumes` wraps the list.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VolumeList {
    pub volumes: Option<Vec<Item>>,
}

/// `/system/df` in both shapes: API < 1.52 has top-level lists; API ≥ 1.52 nests them as `Items`
/// of per-kind usage objects (and an engine answering an older version may send both).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SystemDf {
    pub layers_size: Option<i64>,
    pub images: Option<Vec<Item>>,
    pub containers: Option<Vec<Item>>,
    pub volumes: Option<Vec<Item>>,
    pub build_cache: Option<Vec<Item>>,
    pub builder_size: Option<i64>,
    pub container_usage: Option<Usage>,
    pub volume_usage: Option<Usage>,
    pub image_usage: Option<Usage>,
    pub build_cache_usage: Option<Usage>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Usage {
    pub total_size: Option<i64>,
    pub reclaimable: Option<i64>,
    pub items: Option<Vec<Item>>,
}

impl SystemDf {
    /// Every part of the answer; the caller drops the parts it did not ask to be measured.
    pub fn into_disk_usage(self) -> DiskUsage {
        let containers = self.container_usage.and_then(|u| u.items).or(self.containers).unwrap_or_default();
        let volumes = self.volume_usage.and_then(|u| u.items).or(self.volumes).unwrap_or_default();
        let (layers_size, images) = match self.image_usage {
            Some(usage) => (usage.total_size, usage.items),
            None => (self.layers_size, self.images),
        };
        let (cache_size, cache_reclaimable, cache) = match self.build_cache_usage {
            Some(usage) => (usage.total_size, usage.reclaimable, usage.items),
            None => (self.builder_size, None, self.build_cache),
        };
        let (containers, _) = decode_each::<ContainerSize>(&containers);
        let (volumes, _) = decode_each::<VolumeSize>(&volumes);
        let (images, _) = decode_each::<Image>(&images.unwrap_or_default());
        let (cache, _) = decode_each::<BuildCache>(&cache.unwrap_or_default());
        let records: Vec<BuildCacheRecord> = cache.into_iter().map(BuildCache::into_record).collect();
        // Before API 1.52 the engine gives no reclaimable total: the docker CLI's rule, the
        // records neither in use nor shared.
        let reclaimable = known(cache_reclaimable)
            .or_else(|| Some(records.iter().filter(|r| !r.in_use && !r.shared).filter_map(|r| r.size).sum()));
        DiskUsage {
            // Decoded as it arrives: the engine's answer is this moment's.
            at: SystemTime::now(),
            containers: containers.iter().map(|c| (c.id.as_str().into(), c.sizes())).collect(),
            volumes: volumes.iter().map(|v| (v.name.as_str().into(), v.usage())).collect(),
            images: Some(ImagesUsage {
                layers_size: known(layers_size),
                images: images.iter().map(|i| (i.id.as_str().into(), i.sizes())).collect(),
                source: ImagesSizeSource::Engine,
            }),
            build_cache: Some(BuildCacheFacts { records, size: known(cache_size), reclaimable }),
        }
    }
}

/// The parts of a container's inspect that the list lacks: tmpfs from both syntaxes, where the
/// writable layer lives, and its sizes when asked with `size=1`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Inspect {
    pub id: String,
    pub image: Option<String>,
    pub host_config: Option<HostConfig>,
    pub graph_driver: Option<GraphDriver>,
    pub size_rw: Option<i64>,
    pub size_root_fs: Option<i64>,
    pub state: Option<InspectState>,
    /// json-file's log (empty for other drivers).
    pub log_path: Option<String>,
    /// `<root>/containers/<id>/hostname`: where the container's own folder is.
    pub hostname_path: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InspectState {
    /// 0 when the container is not running.
    pub pid: Option<i64>,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub exit_code: Option<i64>,
    pub health: Option<InspectHealth>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InspectHealth {
    pub status: Option<String>,
}

impl InspectState {
    fn times(&self) -> StateTimes {
        // Never set is Go's zero time, year 1, before any real event.
        let at = |text: &Option<String>| {
            let parsed =
                time::OffsetDateTime::parse(text.as_deref()?, &time::format_description::well_known::Rfc3339);
            parsed.ok().filter(|t| t.year() > 1970).map(SystemTime::from)
        };
        let health = self.health.as_ref().and_then(|h| match h.status.as_deref() {
            Some("starting") => Some(Health::Starting),
            Some("healthy") => Some(Health::Healthy),
            Some("unhealthy") => Some(Health::Unhealthy),
            _ => None,
        });
        StateTimes {
            started_at: at(&self.started_at),
            finished_at: at(&self.finished_at),
            exit_code: self.exit_code,
            health,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GraphDriver {
    pub name: Option<String>,
    pub data: Option<HashMap<String, String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct HostConfig {
    pub tmpfs: Option<HashMap<String, String>>,
    pub mounts: Option<Vec<HostMount>>,
    pub log_config: Option<WireLogConfig>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct WireLogConfig {
    #[serde(rename = "Type")]
    pub kind: Option<String>,
    pub config: Option<HashMap<String, String>>,
}

impl WireLogConfig {
    fn into_config(self) -> LogConfig {
        let mut options = self.config.unwrap_or_default();
        let driver = self.kind.filter(|k| !k.is_empty()).unwrap_or_else(|| "json-file".to_owned());
        LogConfig {
            driver,
            max_size: options.remove("max-size").filter(|v| !v.is_empty()),
            max_file: options.remove("max-file").filter(|v| !v.is_empty()),
            compress: options.remove("compress").filter(|v| !v.is_empty()),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct HostMount {
    #[serde(rename = "Type")]
    pub kind: Option<String>,
    pub target: Option<String>,
    pub read_only: Option<bool>,
    pub tmpfs_options: Option<TmpfsOptions>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TmpfsOptions {
    pub size_bytes: Option<i64>,
    pub mode: Option<u32>,
    /// API ≥ 1.46: extra mount options as `[["noexec"], ["uid", "1000"]]`.
    pub options: Option<Vec<Vec<String>>>,
}

impl Inspect {
    /// `with_sizes`: the inspect was asked with `size=1` (without it, both sizes are null).
    pub fn into_details(self, with_sizes: bool) -> ContainerDetails {
        // overlay2 and fuse-overlayfs name the writable layer `UpperDir`; other drivers differ,
        // and the containerd store names only its snapshotter.
        let graph_driver = self.graph_driver.unwrap_or_default();
        let snapshotter = graph_driver.name.as_deref().and_then(Snapshotter::from_name);
        let writable_layer =
            graph_driver.data.and_then(|mut data| data.remove("UpperDir")).filter(|dir| !dir.is_empty());
        let mut host_config = self.host_config.unwrap_or_default();
        let folder = self
            .hostname_path
            .filter(|p| !p.is_empty())
            .and_then(|path| std::path::Path::new(&path).parent().map(|folder| folder.display().to_string()));
        ContainerDetails {
            writable_layer,
            snapshotter,
            image_id: self.image.unwrap_or_default().into(),
            sizes: with_sizes.then(|| container_sizes(self.size_rw, self.size_root_fs)),
            log_config: host_config.log_config.take().map(WireLogConfig::into_config),
            log_path: self.log_path.filter(|p| !p.is_empty()),
            folder,
            tmpfs: tmpfs(host_config),
            times: self.state.as_ref().map(InspectState::times).unwrap_or_default(),
            pid: self.state.and_then(|s| s.pid).and_then(|p| u32::try_from(p).ok()).filter(|p| *p > 0),
        }
    }
}

/// Tmpfs mounts from both syntaxes: `--tmpfs` (`HostConfig.Tmpfs`) and `--mount type=tmpfs`.
fn tmpfs(host_config: HostConfig) -> Vec<TmpfsFacts> {
    let mut mounts: Vec<TmpfsFacts> = host_config
        .tmpfs
        .unwrap_or_default()
        .iter()
        .map(|(destination, options)| parse_tmpfs_options(destination, options))
        .collect();
    mounts.extend(
        host_config
            .mounts
            .unwrap_or_default()
            .into_iter()
            .filter(|m| m.kind.as_deref() == Some("tmpfs"))
            .map(|m| {
                let options = m.tmpfs_options.unwrap_or_default();
                let mut flags = vec![if m.read_only.unwrap_or(false) { "ro" } else { "rw" }.to_owned()];
                flags.extend(options.options.unwrap_or_default().into_iter().map(|o| o.join("=")));
                tmpfs_from_mount(&m.target.unwrap_or_default(), options.size_bytes, options.mode, flags)
            }),
    );
    mounts.sort_by(|a, b| a.destination.cmp(&b.destination));
    mounts
}

/// Whether a container has a terminal and an open stdin (its inspect's `Config`).
#[derive(Deserialize, Default)]
pub struct Terminal {
    #[serde(rename = "Config", default)]
    pub config: Option<TerminalConfig>,
}

#[derive(Deserialize, Default)]
pub struct TerminalConfig {
    #[serde(rename = "Tty", default)]
    pub tty: bool,
    #[serde(rename = "OpenStdin", default)]
    pub open_stdin: bool,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn fixture(name: &str) -> Value {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn disk_usage(name: &str) -> DiskUsage {
        df(fixture(name))
    }

    fn df(value: Value) -> DiskUsage {
        serde_json::from_str::<SystemDf>(&value.to_string()).unwrap().into_disk_usage()
    }

    fn items(values: Vec<Value>) -> Vec<Item> {
        values.iter().map(|v| serde_json::value::to_raw_value(v).unwrap()).collect()
    }

    fn details(value: Value) -> EngineDetails {
        serde_json::from_str::<Info>(&value.to_string()).unwrap().into_details()
    }

    #[test]
    fn info_names_the_storage_driver_and_the_data_root_on_docker_and_podman() {
        // Trimmed from Engine 20.10's `/info` and Podman 4.3's compat `/info` (its GraphRoot).
        let docker = json!({"Driver": "fuse-overlayfs", "DockerRootDir": "/var/lib/docker", "Plugins": {}});
        assert_eq!(
            details(docker),
            EngineDetails {
                storage_driver: "fuse-overlayfs".into(),
                root_dir: Some("/var/lib/docker".into()),
                containerd_store: false,
            }
        );
        // Engine 26.1 with `"containerd-snapshotter": true`.
        let containerd =
            json!({"Driver": "native", "DriverStatus": [["driver-type", "io.containerd.snapshotter.v1"]]});
        assert!(details(containerd).containerd_store);
        let podman =
            json!({"Driver": "overlay", "DockerRootDir": "/srv/podman/root", "ServerVersion": "4.3.1"});
        assert_eq!(details(podman).root_dir.as_deref(), Some("/srv/podman/root"));
    }

    #[test]
    fn info_without_a_data_root_or_with_an_odd_one_still_gives_the_driver() {
        for info in [
            json!({"Driver": "overlay2"}),
            json!({"Driver": "overlay2", "DockerRootDir": null}),
            json!({"Driver": "overlay2", "DockerRootDir": ""}),
            json!({"Driver": "overlay2", "DockerRootDir": 7}),
        ] {
            assert_eq!(
                details(info.clone()),
                EngineDetails { storage_driver: "overlay2".into(), root_dir: None, containerd_store: false },
                "{info}"
            );
        }
        assert_eq!(details(json!({})), EngineDetails::default());
    }

    #[test]
    fn both_disk_usage_shapes_give_the_same_sizes() {
        let old = disk_usage("df-api-1.41.json");
        let new = DiskUsage { at: old.at, ..disk_usage("df-api-1.52.json") };
        assert_eq!(old, new);
        assert_eq!(old.volumes["devshared"], VolumeUsage { size: Some(2_097_152), ref_count: Some(2) });
        assert_eq!(old.volumes["devdangling"].size, Some(102_400));
        assert_eq!(old.volumes.len(), 3);
        let images = old.images.expect("the images' part");
        assert_eq!(images.layers_size, Some(1_982_312));
        let busybox =
            &images.images["sha256:97c970f0962f3a4bea89b83a40dec1aaabec945827b16cc6fa4c06e7122b2f4f"];
        assert_eq!(*busybox, ImageSizes { size: Some(1_982_312), shared_size: Some(0) });
        assert_eq!(
            old.build_cache,
            Some(BuildCacheFacts { records: vec![], size: Some(0), reclaimable: Some(0) })
        );
    }

    #[test]
    fn build_cache_records_in_both_shapes() {
        let record = serde_json::json!({
            "ID": "k3f0", "Type": "regular", "Description": "mount / from exec /bin/sh -c make",
            "InUse": false, "Shared": false, "Size": 4096, "CreatedAt": "2026-11-27T05:00:00Z",
            "LastUsedAt": "2026-11-27T06:00:00Z", "UsageCount": 2
        });
        let busy = serde_json::json!({"ID": "a1", "Type": "source.local", "InUse": true, "Size": 100});
        let old = df(serde_json::json!({"BuildCache": [record.clone(), busy.clone()], "BuilderSize": 4196}));
        let cache = old.build_cache.expect("the build cache");
        assert_eq!((cache.size, cache.reclaimable), (Some(4196), Some(4096)), "in use is not reclaimable");
        assert_eq!(cache.records[0].kind, "regular");
        assert_eq!(cache.records[0].last_used_at.as_deref(), Some("2026-11-27T06:00:00Z"));
        assert!(cache.records[1].in_use);
        let new = df(serde_json::json!({"BuildCacheUsage": {
            "TotalCount": 2, "TotalSize": 4196, "Reclaimable": 4096, "Items": [record, busy]
        }}));
        assert_eq!(new.build_cache.expect("the build cache"), cache);
    }

    #[test]
    fn an_image_list_entry_says_untagged_and_unknown_shared_size_plainly() {
        let image: Image = serde_json::from_value(serde_json::json!({
            "Id": "sha256:ab", "RepoTags": ["<none>:<none>"], "Size": 10, "SharedSize": -1, "Created": 5,
            "Labels": {"dockdu.test": "x"}
        }))
        .unwrap();
        let facts = image.into_facts();
        assert!(facts.tags.is_empty());
        assert_eq!((facts.size, facts.shared_size, facts.created), (Some(10), None, 5));
        assert_eq!(facts.labels["dockdu.test"], "x");
    }

    #[test]
    fn missing_size_rw_means_zero() {
        let du = disk_usage("df-api-1.41.json");
        let created = &du.containers["643937bc2d9d449f8ae66bee77149f4b93e929f8b94bda75c1939b284056d2c2"];
        assert_eq!(created.size_rw, 0);
        assert_eq!(created.size_root_fs, Some(1_982_312));
    }

    #[test]
    fn unknown_volume_size_is_none() {
        let df = serde_json::json!({"Volumes": [{"Name": "x", "UsageData": {"Size": -1, "RefCount": -1}}]});
        let du = self::df(df);
        assert_eq!(du.volumes["x"], VolumeUsage { size: None, ref_count: None });
    }

    #[test]
    fn an_empty_answer_is_empty_usage() {
        let du = df(serde_json::json!({}));
        assert!(du.containers.is_empty() && du.volumes.is_empty());
    }

    #[test]
    fn container_list_keeps_unknown_states_and_skips_broken_entries() {
        let mut items = fixture("containers-api-1.41.json").as_array().unwrap().clone();
        items[0]["State"] = "stopped".into(); // Podman says this; Docker's enum lacks it.
        items.push(serde_json::json!({"Id": 42}));
        let (containers, skipped) = decode_each::<Container>(&self::items(items));
        assert_eq!(skipped, 1);
        let facts: Vec<_> = containers.into_iter().map(Container::into_facts).collect();
        assert_eq!(facts[0].state, ContainerState::Stopped);
        let a = facts.iter().find(|c| c.name == "dev-a").unwrap();
        let shared = a.mounts.iter().find(|m| m.name.as_deref() == Some("devshared")).unwrap();
        assert_eq!(
            (shared.kind.clone(), shared.destination.as_str(), shared.rw),
            (MountKind::Volume, "/data", true)
        );
        let bind = a.mounts.iter().find(|m| m.kind == MountKind::Bind).unwrap();
        assert_eq!((bind.source.as_deref(), bind.rw), (Some("/tmp/devbind"), false));
    }

    /// A log sink the test can read back.
    #[derive(Clone, Default)]
    struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_skipped_entry_is_logged_by_position_never_by_its_content() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber =
            tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).finish();
        // serde's own message for this one quotes the value: "invalid type: string \"hunter2\"".
        let items = self::items(vec![
            serde_json::json!({"Id": "fine"}),
            serde_json::json!({"Id": "broken", "Created": "hunter2"}),
        ]);
        let (_, skipped) = tracing::subscriber::with_default(subscriber, || decode_each::<Container>(&items));
        assert_eq!(skipped, 1);
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(log.contains("skipped an entry") && log.contains("index=1"), "{log}");
        assert!(log.contains("problem=Data"), "{log}");
        assert!(!log.contains("hunter2") && !log.contains("\"Id\"") && !log.contains("broken"), "{log}");
    }

    #[test]
    fn an_inspect_names_the_writable_layer_and_the_image() {
        let inspect: Inspect = serde_json::from_value(fixture("inspect-tmpfs-api-1.41.json")).unwrap();
        let details = inspect.into_details(false);
        assert_eq!(
            details.writable_layer.as_deref(),
            Some(
                "/var/lib/docker/fuse-overlayfs/\
                 1a99b40b18ed9935772273a5823014e0bb84aca1a02872e17a1b738129fae7ae/diff"
            )
        );
        assert_eq!(
            details.image_id,
            "sha256:97c970f0962f3a4bea89b83a40dec1aaabec945827b16cc6fa4c06e7122b2f4f"
        );
        assert_eq!(details.sizes, None, "not asked with size=1");
    }

    #[test]
    fn an_inspect_with_sizes_reads_a_missing_writable_size_as_zero() {
        let inspect = |json: Value| serde_json::from_value::<Inspect>(json).unwrap().into_details(true);
        let sized = inspect(serde_json::json!({"SizeRw": 5, "SizeRootFs": 1_982_317}));
        assert_eq!(sized.sizes, Some(ContainerSizes { size_rw: 5, size_root_fs: Some(1_982_317) }));
        let empty =
            inspect(serde_json::json!({"SizeRootFs": 100, "GraphDriver": {"Name": "vfs", "Data": null}}));
        assert_eq!(empty.sizes, Some(ContainerSizes { size_rw: 0, size_root_fs: Some(100) }));
        assert_eq!(empty.writable_layer, None, "a driver without an upper folder");
    }

    #[test]
    fn tmpfs_from_both_syntaxes_in_inspect() {
        let inspect: Inspect = serde_json::from_value(fixture("inspect-tmpfs-api-1.41.json")).unwrap();
        let tmpfs = inspect.into_details(false).tmpfs;
        assert_eq!(tmpfs.len(), 2);
        assert_eq!(tmpfs[0].destination, "/t");
        assert_eq!(tmpfs[0].size_limit, Some(16 << 20));
        assert_eq!(tmpfs[0].mode.as_deref(), Some("1770"));
        assert_eq!(tmpfs[0].options, ["rw"]);
        assert_eq!(tmpfs[1].destination, "/t2");
        assert_eq!(tmpfs[1].size_limit, Some(1 << 20));
        assert_eq!(tmpfs[1].mode.as_deref(), Some("1770"));
    }
}

/// The image list of Engine 29 (API 1.52) asked with `manifests=1`.
#[cfg(test)]
mod manifest_tests {
    use super::*;
    use crate::model::ContainerId;

    const LIST: &str = include_str!("../../tests/fixtures/engine-1.52/images-manifests.json");

    fn images(list: &str) -> Vec<ImageFacts> {
        let items: Vec<Item> = serde_json::from_str(list).unwrap();
        let (images, skipped) = decode_each::<Image>(&items);
        assert_eq!(skipped, 0);
        images.into_iter().map(Image::into_facts).collect()
    }

    #[test]
    fn each_platform_and_attestation_of_a_multi_platform_image_says_what_is_here() {
        let alpine = &images(LIST)[0];
        assert_eq!(alpine.tags, ["alpine:3.22"]);
        let [amd64, arm64, for_amd64, for_arm64] = &alpine.manifests[..] else {
            panic!("four manifests: {:?}", alpine.manifests)
        };
        assert_eq!(
            (amd64.kind, amd64.platform.as_deref(), amd64.available),
            (ManifestKind::Image, Some("linux/amd64"), true)
        );
        assert_eq!(
            (amd64.content_size, amd64.unpacked_size, amd64.total_size),
            (Some(3_802_116), Some(8_620_032), Some(12_422_148))
        );
        let web = ContainerId::new("f059a5a2809a9c0675534338e571e042d196619ea4be20486c200ce3ba372926");
        assert_eq!(amd64.container_ids, [web]);
        assert_eq!((arm64.platform.as_deref(), arm64.available), (Some("linux/arm64/v8"), false));
        assert_eq!((arm64.content_size, arm64.unpacked_size), (Some(0), Some(0)));
        assert!(arm64.container_ids.is_empty(), "Containers: null");
        assert_eq!((for_amd64.kind, for_amd64.platform.as_deref()), (ManifestKind::Attestation, None));
        assert_eq!(for_amd64.attests.as_deref(), Some(amd64.digest.as_str()));
        assert_eq!(
            (for_amd64.available, for_amd64.content_size, for_amd64.unpacked_size),
            (true, Some(14_380), None)
        );
        assert_eq!((for_arm64.attests.as_deref(), for_arm64.available), (Some(arm64.digest.as_str()), false));
        assert_eq!(amd64.digest, "sha256:a698229582d023853cb5b2849d0c9318256fcca5a6f7ed009c8e7a831b244b6c");
    }

    #[test]
    fn a_single_platform_image_has_one_manifest_its_own_digest() {
        let myapp = &images(LIST)[1];
        assert_eq!(myapp.manifests.len(), 1);
        let only = &myapp.manifests[0];
        assert_eq!(only.digest, myapp.id.as_str());
        assert_eq!(
            (only.platform.as_deref(), only.available, only.unpacked_size),
            (Some("linux/amd64"), true, Some(97_344_448))
        );
    }

    #[test]
    fn odd_or_missing_manifest_fields_cost_only_themselves() {
        let list = r#"[
            {"Id": "sha256:old", "Size": 10},
            {"Id": "sha256:new", "Manifests": null},
            {"Id": "sha256:odd", "Manifests": [
                {"ID": "sha256:m1", "Kind": "signature", "Available": null, "Size": null, "ImageData": null},
                {"ID": "sha256:m2", "Kind": "image", "Size": {"Content": "lots"}},
                {"Descriptor": {"digest": "sha256:m3", "platform": {"os": "linux", "architecture": "riscv64"}},
                 "Kind": "image", "Size": {"Content": -1, "Total": 5}}
            ]}
        ]"#;
        let images = images(list);
        assert!(images[0].manifests.is_empty() && images[1].manifests.is_empty());
        let odd = &images[2].manifests;
        assert_eq!(odd.len(), 2, "the manifest with a text size is skipped, the image is not");
        assert_eq!(
            odd[0],
            ImageManifest { digest: "sha256:m1".into(), kind: ManifestKind::Unknown, ..Default::default() }
        );
        assert_eq!(odd[1].digest, "sha256:m3", "the descriptor's digest where the ID is missing");
        assert_eq!(odd[1].platform.as_deref(), Some("linux/riscv64"), "the descriptor's platform");
        assert_eq!((odd[1].content_size, odd[1].total_size), (None, Some(5)));
    }
}
