//! Removal plans: exactly which containers, volumes and images a prune or remove will touch, and what it
//! leaves alone and why. The preview shows a plan; confirming carries out that plan and no other.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Serialize, Serializer};

use super::{ContainerId, ContainerState, ImageId, StateTimes, VolumeName};

pub use super::truncate::{log_truncation, LogFileAction, PlannedLogFile};
use super::Inventory;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// Removed first, so their anonymous volumes are free when their turn comes.
    pub containers: Vec<PlannedContainer>,
    pub volumes: Vec<PlannedVolume>,
    /// Removed last, so the containers leaving before them no longer hold them.
    pub images: Vec<PlannedImage>,
    /// Log files: each current one truncated to 0, each rotated one removed.
    pub logs: Vec<PlannedLogFile>,
    /// Asked for, but not part of the plan: in use, or running.
    pub kept: Vec<Kept>,
    /// Remove running containers too (one container, after an explicit second step).
    pub force: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedContainer {
    pub id: ContainerId,
    pub name: String,
    pub state: ContainerState,
    /// The engine's words as of the list; `status_at` writes them for the moment shown.
    pub status: String,
    #[serde(skip)]
    pub times: Option<StateTimes>,
    pub size_rw: Option<u64>,
    /// The writable layer's bytes on disk, where it was walked here.
    pub disk_usage: Option<u64>,
}

impl PlannedContainer {
    /// Its status line for the time `now` (see `Container::status_at`).
    pub fn status_at(&self, now: std::time::SystemTime) -> String {
        self.times.and_then(|times| self.state.status(&times, now)).unwrap_or_else(|| self.status.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedVolume {
    pub name: VolumeName,
    pub size: Option<u64>,
    /// Bytes on disk, where it was walked here.
    pub disk_usage: Option<u64>,
    pub anonymous: bool,
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedImage {
    pub id: ImageId,
    pub tags: Vec<String>,
    /// The bytes removing it frees: its unique size; `None` while unknown.
    pub size: Option<u64>,
    pub dangling: bool,
}

impl PlannedImage {
    /// Its first tag, or `<none>` and its short id.
    pub fn reference(&self) -> String {
        super::images::reference(&self.tags, &self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kept {
    pub name: String,
    pub reason: KeptReason,
}

/// Why an object asked for is not part of the plan. Behaviour (the force step) is decided on
/// this; the words are only for showing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeptReason {
    /// A volume that containers use: the engine would refuse it.
    InUse { users: Vec<String> },
    /// A container that is not stopped: it goes only with force.
    NeedsForce { state: ContainerState },
    /// An anonymous volume that containers staying behind use too.
    AlsoUsedBy { users: Vec<String> },
    /// A log that cannot be truncated here: its driver keeps no file, or the files cannot be
    /// read here.
    LogNotHere { why: String },
}

impl fmt::Display for KeptReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeptReason::InUse { users } => write!(f, "in use by {}", users.join(", ")),
            KeptReason::NeedsForce { state } => write!(f, "{state}: needs force"),
            KeptReason::AlsoUsedBy { users } => write!(f, "also used by {}", users.join(", ")),
            KeptReason::LogNotHere { why } => write!(f, "log not truncated: {why}"),
        }
    }
}

/// In JSON the reason stays the sentence it has always been, so scripts reading it keep working.
impl Serialize for KeptReason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.containers.is_empty()
            && self.volumes.is_empty()
            && self.images.is_empty()
            && self.logs.is_empty()
    }

    /// A plan of log files only: it truncates rather than removes (the words differ).
    pub fn truncates(&self) -> bool {
        !self.logs.is_empty()
            && self.containers.is_empty()
            && self.volumes.is_empty()
            && self.images.is_empty()
    }

    /// The verb for a question or a headline: "Truncate" or "Remove".
    pub fn verb(&self) -> &'static str {
        if self.truncates() {
            "Truncate"
        } else {
            "Remove"
        }
    }

    /// How many objects (and log files) it touches.
    pub fn len(&self) -> usize {
        self.containers.len() + self.volumes.len() + self.images.len() + self.logs.len()
    }

    /// Bytes that come back, as far as sizes are known.
    pub fn reclaimed_bytes(&self) -> u64 {
        let containers: u64 = self.containers.iter().filter_map(|c| c.size_rw).sum();
        let images: u64 = self.images.iter().filter_map(|i| i.size).sum();
        let logs: u64 = self.logs.iter().map(|l| l.size).sum();
        containers + images + logs + self.volumes.iter().filter_map(|v| v.size).sum::<u64>()
    }

    /// Bytes on disk that come back, where every planned object's is known (the engine never
    /// says it: images and sizes from the engine leave it unknown).
    pub fn reclaimed_disk_usage(&self) -> Option<u64> {
        if !self.images.is_empty() {
            return None;
        }
        let containers: Option<u64> = self.containers.iter().map(|c| c.disk_usage).sum();
        let volumes: Option<u64> = self.volumes.iter().map(|v| v.disk_usage).sum();
        let logs: u64 = self.logs.iter().map(|l| l.disk_usage).sum();
        Some(containers? + volumes? + logs)
    }

    /// Whether some planned object's size is unknown (so the total is a lower bound).
    pub fn has_unknown_sizes(&self) -> bool {
        self.containers.iter().any(|c| c.size_rw.is_none())
            || self.volumes.iter().any(|v| v.size.is_none())
            || self.images.iter().any(|i| i.size.is_none())
    }
}

/// Which dangling volumes a volume prune takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VolumeScope {
    /// Dangling and anonymous: what `docker volume prune` takes on API ≥ 1.42.
    Anonymous,
    /// Every dangling volume, named ones too.
    Dangling,
    /// Dangling volumes with this label (`key` or `key=value`).
    Label(String),
}

impl VolumeScope {
    pub fn label(&self) -> String {
        match self {
            VolumeScope::Anonymous => "anonymous only".to_owned(),
            VolumeScope::Dangling => "all dangling".to_owned(),
            VolumeScope::Label(filter) => format!("label {filter}"),
        }
    }
}

/// `key` or `key=value` against a volume's labels.
pub fn label_matches(labels: &BTreeMap<String, String>, filter: &str) -> bool {
    match filter.split_once('=') {
        Some((key, value)) => labels.get(key).is_some_and(|v| v == value),
        None => !filter.is_empty() && labels.contains_key(filter),
    }
}

fn planned_volume(volume: &super::Volume) -> PlannedVolume {
    PlannedVolume {
        name: volume.name.clone(),
        size: volume.size,
        disk_usage: volume.disk_usage,
        anonymous: volume.anonymous,
        labels: volume.labels.clone(),
    }
}

fn in_use(volume: &super::Volume) -> Kept {
    let users = volume.containers.iter().map(|o| o.container.clone()).collect();
    Kept { name: volume.name.to_string(), reason: KeptReason::InUse { users } }
}

/// The dangling volumes in scope. A volume in use is never part of a prune.
pub fn volume_prune(inventory: &Inventory, scope: &VolumeScope) -> Plan {
    let volumes = inventory
        .volumes
        .iter()
        .filter(|v| v.dangling)
        .filter(|v| match scope {
            VolumeScope::Anonymous => v.anonymous,
            VolumeScope::Dangling => true,
            VolumeScope::Label(filter) => label_matches(&v.labels, filter),
        })
        .map(planned_volume)
        .collect();
    Plan { volumes, ..Plan::default() }
}

/// Chosen volumes (one, or the marked ones): the unused ones go, the used ones are kept with
/// their users named.
pub fn volume_removal(inventory: &Inventory, names: &BTreeSet<VolumeName>) -> Plan {
    let mut plan = Plan::default();
    for volume in inventory.volumes.iter().filter(|v| names.contains(&v.name)) {
        if volume.dangling {
            plan.volumes.push(planned_volume(volume));
        } else {
            plan.kept.push(in_use(volume));
        }
    }
    plan
}

/// Which unused images an image prune takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageScope {
    /// Untagged images no container uses.
    Dangling,
    /// Every image no container, running or not, uses: tagged ones too.
    Unused,
}

impl ImageScope {
    pub fn label(self) -> &'static str {
        match self {
            ImageScope::Dangling => "dangling only",
            ImageScope::Unused => "all unused",
        }
    }
}

fn planned_image(image: &super::Image) -> PlannedImage {
    PlannedImage {
        id: image.id.clone(),
        tags: image.tags.clone(),
        size: image.unique_size,
        dangling: image.dangling,
    }
}

/// The unused images in scope. An image a container uses is never part of a prune.
pub fn image_prune(inventory: &Inventory, scope: ImageScope) -> Plan {
    let images = inventory
        .images
        .iter()
        .filter(|i| !i.in_use() && (i.dangling || scope == ImageScope::Unused))
        .map(planned_image)
        .collect();
    Plan { images, ..Plan::default() }
}

/// Chosen images (by id): the unused ones go, the used ones are kept with their containers named.
pub fn image_removal(inventory: &Inventory, ids: &BTreeSet<ImageId>) -> Plan {
    let mut plan = Plan::default();
    for image in inventory.images.iter().filter(|i| ids.contains(&i.id)) {
        if image.in_use() {
            let users = image.containers.clone();
            plan.kept.push(Kept { name: image.reference(), reason: KeptReason::InUse { users } });
        } else {
            plan.images.push(planned_image(image));
        }
    }
    plan
}

/// Stopped containers (all, or only the chosen ones), and, if asked, the anonymous volumes that
/// only they use. With `force`, chosen running containers go too; without, they are kept and
/// named as needing force.
pub fn container_removal(
    inventory: &Inventory,
    chosen: Option<&BTreeSet<ContainerId>>,
    with_anonymous_volumes: bool,
    force: bool,
) -> Plan {
    let picked = |c: &super::Container| chosen.is_none_or(|ids| ids.contains(&c.id));
    let mut plan = Plan { force, ..Plan::default() };
    for container in inventory.containers.iter().filter(|c| picked(c)) {
        if container.state.is_stopped() || force {
            plan.containers.push(planned_container(container));
        } else if chosen.is_some() {
            plan.kept.push(Kept {
                name: container.name.clone(),
                reason: KeptReason::NeedsForce { state: container.state.clone() },
            });
        }
    }
    if with_anonymous_volumes {
        add_anonymous_volumes(inventory, &mut plan);
    }
    plan
}

/// A prune of stopped containers among `within` (every container when `None`): a running one is
/// simply not part of a prune, so it is not listed as kept either.
pub fn container_prune(
    inventory: &Inventory,
    within: Option<&BTreeSet<ContainerId>>,
    with_anonymous_volumes: bool,
) -> Plan {
    let containers = inventory
        .containers
        .iter()
        .filter(|c| within.is_none_or(|ids| ids.contains(&c.id)) && c.state.is_stopped())
        .map(planned_container)
        .collect();
    let mut plan = Plan { containers, ..Plan::default() };
    if with_anonymous_volumes {
        add_anonymous_volumes(inventory, &mut plan);
    }
    plan
}

fn planned_container(container: &super::Container) -> PlannedContainer {
    PlannedContainer {
        id: container.id.clone(),
        name: container.name.clone(),
        state: container.state.clone(),
        status: container.status.clone(),
        times: container.times,
        size_rw: container.size_rw,
        disk_usage: container.disk_usage,
    }
}

/// The anonymous volumes only the plan's containers use go with them; one that a staying
/// container uses too is kept, naming who stays.
fn add_anonymous_volumes(inventory: &Inventory, plan: &mut Plan) {
    let leaving: BTreeSet<&str> = plan.containers.iter().map(|c| c.id.as_str()).collect();
    for volume in inventory.volumes.iter().filter(|v| v.anonymous && !v.containers.is_empty()) {
        let (going, staying): (Vec<_>, Vec<_>) =
            volume.containers.iter().partition(|o| leaving.contains(o.container_id.as_str()));
        if staying.is_empty() {
            plan.volumes.push(planned_volume(volume));
        } else if !going.is_empty() {
            let users = staying.iter().map(|o| o.container.clone()).collect();
            plan.kept.push(Kept { name: volume.name.to_string(), reason: KeptReason::AlsoUsedBy { users } });
        }
    }
}

impl Plan {
    /// "Remove 2 containers and 3 volumes (1.2 GiB)"
    pub fn headline(&self, verb: &str) -> String {
        let mut parts = Vec::new();
        let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        if !self.containers.is_empty() {
            parts.push(count(self.containers.len(), "container"));
        }
        if !self.volumes.is_empty() {
            parts.push(count(self.volumes.len(), "volume"));
        }
        if !self.images.is_empty() {
            parts.push(count(self.images.len(), "image"));
        }
        if !self.logs.is_empty() {
            let containers: BTreeSet<&ContainerId> = self.logs.iter().map(|l| &l.container_id).collect();
            parts.push(format!(
                "{} of {}",
                count(self.logs.len(), "log file"),
                count(containers.len(), "container")
            ));
        }
        let at_least = if self.has_unknown_sizes() { "at least " } else { "" };
        let size = crate::text::format::size;
        let on_disk =
            self.reclaimed_disk_usage().map(|b| format!(", {} on disk", size(Some(b)))).unwrap_or_default();
        format!("{verb} {} ({at_least}{}{on_disk})", parts.join(" and "), size(Some(self.reclaimed_bytes())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{build, ContainerFacts, MountFacts, MountKind, Sources, VolumeFacts};

    const ANON: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const ANON_SHARED: &str = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

    fn inventory() -> Inventory {
        let mount = |name: &str| MountFacts {
            kind: MountKind::Volume,
            name: Some(name.into()),
            source: None,
            destination: format!("/{name}"),
            rw: true,
        };
        let container = |id: &str, state: &str, mounts: Vec<MountFacts>| ContainerFacts {
            id: id.into(),
            name: format!("c-{id}"),
            state: state.into(),
            mounts,
            ..Default::default()
        };
        let volume = |name: &str, labels: &[(&str, &str)]| VolumeFacts {
            name: name.into(),
            labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..Default::default()
        };
        build(&Sources {
            containers: vec![
                container("run", "running", vec![mount("used"), mount(ANON_SHARED)]),
                container("old", "exited", vec![mount(ANON), mount(ANON_SHARED)]),
                container("new", "created", vec![]),
            ],
            volumes: vec![
                volume("used", &[]),
                volume("named-idle", &[("team", "ops")]),
                volume(&"9".repeat(64), &[("team", "dev")]),
                volume(ANON, &[]),
                volume(ANON_SHARED, &[]),
            ],
            ..Default::default()
        })
    }

    fn names(plan: &Plan) -> Vec<&str> {
        plan.containers
            .iter()
            .map(|c| c.name.as_str())
            .chain(plan.volumes.iter().map(|v| v.name.as_str()))
            .collect()
    }

    #[test]
    fn prune_scopes_never_take_a_volume_in_use() {
        let inventory = inventory();
        let nines = "9".repeat(64);
        assert_eq!(names(&volume_prune(&inventory, &VolumeScope::Anonymous)), [nines.as_str()]);
        let dangling = volume_prune(&inventory, &VolumeScope::Dangling);
        let mut all = names(&dangling);
        all.sort();
        assert_eq!(all, [nines.as_str(), "named-idle"]);
        assert_eq!(names(&volume_prune(&inventory, &VolumeScope::Label("team=ops".into()))), ["named-idle"]);
        assert_eq!(names(&volume_prune(&inventory, &VolumeScope::Label("team".into()))).len(), 2);
        assert!(volume_prune(&inventory, &VolumeScope::Label(String::new())).is_empty());
    }

    #[test]
    fn chosen_volumes_in_use_are_kept_with_their_users() {
        let chosen = BTreeSet::from(["used".into(), "named-idle".into()]);
        let plan = volume_removal(&inventory(), &chosen);
        assert_eq!(names(&plan), ["named-idle"]);
        let users = vec!["c-run".to_owned()];
        assert_eq!(plan.kept, [Kept { name: "used".into(), reason: KeptReason::InUse { users } }]);
        assert_eq!(plan.kept[0].reason.to_string(), "in use by c-run");
    }

    #[test]
    fn container_prune_takes_stopped_ones_and_only_their_own_anonymous_volumes() {
        let plan = container_removal(&inventory(), None, true, false);
        assert_eq!(names(&plan), ["c-new", "c-old", ANON]);
        assert_eq!(plan.kept.len(), 1, "the anonymous volume the running container shares stays");
        assert_eq!(plan.kept[0].reason, KeptReason::AlsoUsedBy { users: vec!["c-run".into()] });
        assert_eq!(names(&container_removal(&inventory(), None, false, false)), ["c-new", "c-old"]);
    }

    #[test]
    fn a_running_container_needs_force() {
        let chosen = BTreeSet::from(["run".into()]);
        let plan = container_removal(&inventory(), Some(&chosen), false, false);
        assert!(plan.is_empty());
        assert_eq!(plan.kept[0].reason, KeptReason::NeedsForce { state: "running".into() });
        let forced = container_removal(&inventory(), Some(&chosen), false, true);
        assert_eq!(names(&forced), ["c-run"]);
        assert!(forced.force);
    }

    #[test]
    fn a_container_prune_never_lists_running_ones_and_stays_within_the_chosen_rows() {
        let inventory = inventory();
        let plan = container_prune(&inventory, None, false);
        assert_eq!(names(&plan), ["c-new", "c-old"]);
        assert!(plan.kept.is_empty(), "a running container is no part of a prune");
        let within = BTreeSet::from(["old".into(), "run".into()]);
        let plan = container_prune(&inventory, Some(&within), true);
        assert_eq!(names(&plan), ["c-old", ANON]);
        assert!(!plan.force);
    }

    fn images_inventory() -> Inventory {
        let image = |id: &str, tags: &[&str], size: u64| crate::model::ImageFacts {
            id: id.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            size: Some(size),
            shared_size: Some(0),
            ..Default::default()
        };
        build(&Sources {
            containers: vec![ContainerFacts {
                id: "c".into(),
                name: "web".into(),
                image_id: "sha256:used".into(),
                ..Default::default()
            }],
            images: vec![
                image("sha256:used", &["web:1"], 30),
                image("sha256:tagged", &["old:1"], 20),
                image("sha256:none", &[], 10),
            ],
            ..Default::default()
        })
    }

    #[test]
    fn an_image_prune_never_takes_an_image_in_use_and_dangling_means_untagged() {
        let inventory = images_inventory();
        let ids = |plan: &Plan| plan.images.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&image_prune(&inventory, ImageScope::Dangling)), ["sha256:none"]);
        let unused = image_prune(&inventory, ImageScope::Unused);
        assert_eq!(ids(&unused), ["sha256:tagged", "sha256:none"]);
        assert_eq!(unused.reclaimed_bytes(), 30);
        assert!(unused.kept.is_empty(), "an image in use is no part of a prune");
    }

    #[test]
    fn a_chosen_image_in_use_is_kept_naming_its_containers() {
        let chosen = BTreeSet::from(["sha256:used".into(), "sha256:none".into()]);
        let plan = image_removal(&images_inventory(), &chosen);
        assert_eq!(plan.images.len(), 1);
        assert_eq!(plan.images[0].reference(), "<none> none");
        assert_eq!(
            plan.kept[0].to_owned(),
            Kept { name: "web:1".into(), reason: KeptReason::InUse { users: vec!["web".into()] } }
        );
    }

    #[test]
    fn kept_reasons_read_as_sentences_in_json() {
        let kept = Kept { name: "db".into(), reason: KeptReason::NeedsForce { state: "running".into() } };
        let json = serde_json::to_value(&kept).unwrap();
        assert_eq!(json, serde_json::json!({"name": "db", "reason": "running: needs force"}));
    }

    #[test]
    fn reclaimed_bytes_add_known_sizes() {
        let mut plan = Plan::default();
        plan.volumes.push(PlannedVolume {
            name: "a".into(),
            size: Some(10),
            disk_usage: Some(4096),
            anonymous: false,
            labels: BTreeMap::new(),
        });
        plan.volumes.push(PlannedVolume {
            name: "b".into(),
            size: None,
            disk_usage: None,
            anonymous: false,
            labels: BTreeMap::new(),
        });
        assert_eq!(plan.reclaimed_bytes(), 10);
        assert!(plan.has_unknown_sizes());
        assert_eq!(plan.reclaimed_disk_usage(), None, "one volume's bytes on disk are unknown");
        plan.volumes.pop();
        assert_eq!(plan.reclaimed_disk_usage(), Some(4096));
        assert_eq!(plan.headline("Remove"), "Remove 1 volume (10 B, 4 KiB on disk)");
    }
}
