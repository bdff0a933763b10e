//! What flows between the app and the runtime: input and engine results in, effects out.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::Value;

use super::form::Submit;
use super::inspect::Target;
use crate::actions::Outcome;
use crate::engine::{Change, EngineError};
use crate::model::plan::Plan;
use crate::model::{ContainerFacts, DiskUsage, EngineInfo, ImageFacts, TmpfsFacts, VolumeFacts};

/// Events come in bursts (a compose project starting): wait this long for the burst to end.
pub const EVENT_DEBOUNCE: Duration = Duration::from_millis(300);

#[derive(Debug)]
pub enum Msg {
    Key(crossterm::event::KeyEvent),
    Mouse(crossterm::event::MouseEvent),
    Resize(u16, u16),
    /// Animation only; the runtime sends it only while something is loading.
    Tick,
    Engine(EngineMsg),
}

#[derive(Debug)]
pub enum EngineMsg {
    Connected(EngineInfo),
    StorageDriver(String),
    Containers { seq: u64, containers: Vec<ContainerFacts> },
    Volumes { seq: u64, volumes: Vec<VolumeFacts> },
    DiskUsage(DiskUsage),
    Tmpfs(HashMap<String, Vec<TmpfsFacts>>),
    HostPaths(HashMap<String, bool>),
    Inspected { target: Target, result: Result<Value, String> },
    Failed(EngineError),
    SizesFailed(EngineError),
    Events(EventsState),
    Changed(Change),
    RefreshDue,
    Images(Result<Vec<ImageFacts>, String>),
    Removed(Outcome),
    VolumeCreated(Result<String, String>),
    ContainerCreated { result: Result<String, String>, name: String, shell: bool },
    SessionEnded { name: String, result: Result<(), String> },
}

/// A write the user confirmed, as data: the runtime performs it and reports back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Remove(Plan),
    Submit(Submit),
}

/// An interactive session that takes over the terminal until it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRequest {
    pub container_id: String,
    pub container: String,
    /// `None` attaches to the main process; otherwise this command runs in a new exec.
    pub command: Option<Vec<String>>,
}

/// What the runtime should do next; each result comes back as an `EngineMsg`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Connect,
    /// The engine's storage driver, for the header.
    Describe,
    LoadLists {
        seq: u64,
    },
    LoadSizes,
    InspectTmpfs(Vec<String>),
    ProbeHostPaths(Vec<String>),
    Inspect(Target),
    WatchEvents,
    RefreshAfter(Duration),
    LoadImages,
    Perform(Action),
    OpenSession(SessionRequest),
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum EventsState {
    #[default]
    Off,
    Live,
    Reconnecting {
        attempt: u32,
        reason: String,
    },
}
