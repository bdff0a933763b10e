//! What flows between the app and the runtime: input and engine results in, effects out.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::engines::{EngineRow, Reach};
use super::form::Submit;
use super::inspect::Target;
use super::loading::{EventsState, ListKind};
use super::logs::LogEvent;
use crate::model::browse::BrowseError;
use crate::model::controls::ControlRequest;
use crate::model::disk::{DiskProgress, DiskReport, DiskUnreadable};
use crate::model::logs::LogsFrom;
use crate::model::outcome::Outcome;
use crate::model::plan::Plan;
use crate::model::sized::{ContainerSized, VolumesSized};
use crate::model::tmpfs::{TmpfsProbe, TmpfsUse};
use crate::model::{
    Change, ContainerFacts, ContainerId, DiskUsage, EngineDetails, EngineError, EngineInfo, ImageFacts,
    VolumeFacts, VolumeName,
};

#[derive(Debug)]
pub enum Msg {
    Key(crossterm::event::KeyEvent),
    Mouse(crossterm::event::MouseEvent),
    Resize(u16, u16),
    /// Animation only; the runtime sends it only while something is loading.
    Tick,
    /// Time passed: a status line or a "measured … ago" on screen is written anew. Sent as
    /// often as `App::clock_interval` asks.
    Clock,
    /// Time to read the tmpfs mounts again: writing into one fires no engine event. Sent only
    /// while `App::reads_tmpfs` says there are some to read.
    TmpfsDue,
    Engine(EngineMsg),
}

/// Results of loads carry the generation (`seq`) of the lists they belong to: an older one is
/// dropped. `at` is when a failure happened, for the banner.
#[derive(Debug)]
pub enum EngineMsg {
    Connected(EngineInfo),
    ConnectFailed {
        error: EngineError,
        at: SystemTime,
    },
    /// `/info`'s storage driver and data root.
    /// What `/info` said; `None` when it failed (both stay unknown).
    Details(Option<EngineDetails>),
    Containers {
        seq: u64,
        containers: Vec<ContainerFacts>,
    },
    Volumes {
        seq: u64,
        volumes: Vec<VolumeFacts>,
    },
    ListFailed {
        seq: u64,
        list: ListKind,
        error: EngineError,
        at: SystemTime,
    },
    /// Containers inspected and sized by the task of generation `seq`, a few at a time: `None`
    /// where the inspect failed (the container is gone, say).
    ContainersSized {
        seq: u64,
        found: Vec<(ContainerId, Option<ContainerSized>)>,
    },
    /// Volume sizes from the task of generation `seq`, a few at a time.
    VolumesSized {
        seq: u64,
        sized: Vec<VolumesSized>,
        at: SystemTime,
    },
    HostPaths {
        seq: u64,
        paths: HashMap<String, bool>,
    },
    /// What each running container's tmpfs holds, read here for generation `seq`.
    TmpfsUsed {
        seq: u64,
        used: HashMap<(ContainerId, String), TmpfsUse>,
    },
    Inspected {
        target: Target,
        result: Result<Value, EngineError>,
    },
    Events(EventsState),
    Changed(Change),
    RefreshDue,
    /// The image list asked for by generation `seq`.
    Images {
        seq: u64,
        result: Result<Vec<ImageFacts>, EngineError>,
    },
    /// The images' shared sizes and the build cache, from `/system/df`.
    ImagesSized(Result<Box<DiskUsage>, EngineError>),
    Removed(Outcome),
    VolumeCreated(Result<VolumeName, EngineError>),
    ContainerCreated {
        result: Result<ContainerId, EngineError>,
        name: String,
        shell: bool,
    },
    SessionEnded {
        name: String,
        result: Result<(), EngineError>,
    },
    /// The docker contexts, read for the engine list.
    ContextsListed(Vec<EngineRow>),
    /// Whether one context's engine answers, and its counts.
    ContextReach {
        name: String,
        reach: Reach,
    },
    /// How far the walk of the engine's root got (generation `seq`).
    DiskProgress {
        seq: u64,
        progress: DiskProgress,
    },
    /// The engine's root reconciled, or why it could not be (generation `seq`).
    DiskWalked {
        seq: u64,
        result: Result<Box<DiskReport>, DiskUnreadable>,
    },
    /// How far the browser's count got (generation `seq`).
    BrowseProgress {
        seq: u64,
        progress: crate::measure::Progress,
    },
    /// The browser's tree, counted, or why not.
    Browsed {
        seq: u64,
        result: Result<(crate::measure::Tree, crate::model::SizeSource), BrowseError>,
    },
    /// Switching to another engine failed before anything changed.
    SwitchFailed(EngineError),
    /// The engine's answer to a start, stop, restart, pause, unpause or kill.
    Controlled {
        request: ControlRequest,
        result: Result<(), EngineError>,
    },
    /// The log of generation `seq`: opened or not, lines, its end.
    Log {
        seq: u64,
        event: LogEvent,
    },
}

/// A write the user confirmed, as data: the runtime performs it and reports back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Remove(Plan),
    Submit(Submit),
    /// Start, stop, restart, pause, unpause or kill one container.
    Control(ControlRequest),
}

/// An interactive session that takes over the terminal until it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRequest {
    pub container_id: ContainerId,
    pub container: String,
    /// `None` attaches to the main process; otherwise this command runs in a new exec.
    pub command: Option<Vec<String>>,
}

/// What the runtime should do next; each result comes back as an `EngineMsg`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Connect,
    /// Connect again after a failed first connect.
    ConnectAfter(Duration),
    /// The engine's `/info`: its storage driver for the header, its data root for the binds.
    Describe,
    LoadLists {
        seq: u64,
    },
    /// Inspect and size these containers (tmpfs mounts come with the inspect).
    InspectContainers {
        seq: u64,
        ids: Vec<ContainerId>,
    },
    SizeVolumes {
        seq: u64,
        volumes: Vec<VolumeFacts>,
    },
    ProbeHostPaths {
        seq: u64,
        paths: Vec<String>,
    },
    /// statfs each running container's tmpfs through `/proc/<pid>/root` (local engines only).
    ReadTmpfs {
        seq: u64,
        probes: Vec<TmpfsProbe>,
    },
    Inspect(Target),
    WatchEvents,
    RefreshAfter(Duration),
    /// The image list (with every refresh, and for the attach form), as generation `seq`.
    LoadImages {
        seq: u64,
    },
    /// The images' shared sizes and total, and the build cache unless the route leaves it out.
    SizeImages {
        route: crate::model::images_total::ImagesRoute,
        listed: Vec<crate::model::ImageId>,
    },
    Perform(Action),
    OpenSession(SessionRequest),
    /// Count what fills a volume, a writable layer or a bind source, for the browser.
    Browse {
        seq: u64,
        target: crate::model::browse::Target,
    },
    /// The browser closed: its count stops.
    StopBrowsing,
    /// Reconcile the engine's root (generation `seq`); a newer walk replaces an older one.
    WalkDisk {
        seq: u64,
    },
    /// Read the docker contexts and probe each engine (the `E` list).
    ListContexts,
    /// Replace the engine with the one this context names: every task of the old one ends.
    SwitchEngine(String),
    /// Read a container's log from `from` and follow it, as generation `seq`.
    FollowLogs {
        seq: u64,
        container: ContainerId,
        from: LogsFrom,
    },
    /// The log view closed: its reading stops.
    StopLogs,
    Quit,
}

/// Work of the same slot supersedes the one before: the runtime cancels the older task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    Connect,
    Lists,
    HostPaths,
    Tmpfs,
    Inspect,
    Refresh,
    Contexts,
    Browse,
    /// The image list: an older answer must not overwrite a newer one.
    Images,
    /// The open log: another container's, a closed view or an engine switch ends the reading.
    Logs,
    /// The walk of the engine's root.
    Disk,
}

impl Effect {
    /// The slot whose older task this effect's task replaces, if any. Sizing tasks have none:
    /// each sizes only objects no other task is sizing (see `Sizing::plan`), and what they do
    /// (a `/system/df` can take minutes) is never thrown away by a newer list.
    pub fn slot(&self) -> Option<Slot> {
        match self {
            Effect::Connect | Effect::ConnectAfter(_) => Some(Slot::Connect),
            Effect::LoadLists { .. } => Some(Slot::Lists),
            Effect::ProbeHostPaths { .. } => Some(Slot::HostPaths),
            Effect::ReadTmpfs { .. } => Some(Slot::Tmpfs),
            Effect::Inspect(_) => Some(Slot::Inspect),
            Effect::RefreshAfter(_) => Some(Slot::Refresh),
            Effect::ListContexts => Some(Slot::Contexts),
            Effect::Browse { .. } | Effect::StopBrowsing => Some(Slot::Browse),
            Effect::LoadImages { .. } => Some(Slot::Images),
            Effect::FollowLogs { .. } | Effect::StopLogs => Some(Slot::Logs),
            Effect::WalkDisk { .. } => Some(Slot::Disk),
            _ => None,
        }
    }
}
