//! The explorer's state and how it changes: `update(msg) -> effects`. No I/O and no drawing here;
//! the runtime performs the effects and feeds their results back as messages.

pub mod confirm;
pub mod form;
pub mod inspect;
mod keys;
mod links;
pub mod panel;

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use serde_json::Value;

use crate::actions::Outcome;
use crate::engine::{Change, ChangeKind, EngineError};
use crate::model::plan::Plan;
use crate::model::{
    self, ContainerFacts, DiskUsage, EngineInfo, ImageFacts, Inventory, MountKind, Sources, TmpfsFacts,
    VolumeFacts,
};
use crate::ui::layout;
use confirm::Confirm;
use form::{Form, Submit};
use inspect::{InspectView, Target};
pub use links::Link;
use panel::{Panel, Sort};

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

#[derive(Debug, Clone, Default)]
pub struct Status {
    pub connecting: bool,
    pub connected: bool,
    pub lists_loading: bool,
    pub sizes_loading: bool,
    pub tmpfs_pending: usize,
    /// The engine is out of reach or refused a list: shown in place of the tables, `r` retries.
    pub error: Option<EngineError>,
    pub sizes_error: Option<EngineError>,
    pub events: EventsState,
}

#[derive(Debug, Clone)]
pub struct PanelView {
    /// Indices into the inventory's list for this panel, as shown.
    pub rows: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
    pub sort: Sort,
    pub filter: String,
    selected_key: Option<String>,
    /// Until the user moves in this panel, the selection stays on the first (largest) row
    /// while rows arrive and reorder.
    touched: bool,
}

impl PanelView {
    fn new(panel: Panel) -> Self {
        PanelView {
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            sort: Sort { column: panel.sort_columns()[0], reversed: false },
            filter: String::new(),
            selected_key: None,
            touched: false,
        }
    }

    /// The selected row's index into the inventory list.
    pub fn selected_index(&self) -> Option<usize> {
        self.rows.get(self.selected).copied()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Table,
    /// Walking the detail pane's links (a volume's users, a container's mounts).
    Links,
}

#[derive(Debug, Clone)]
pub enum Overlay {
    Help,
    Inspect(InspectView),
    Confirm(Confirm),
    Form(Form),
    Outcome(Outcome),
}

/// Where the user was, for Esc/Backspace after following a link.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    panel: Panel,
    key: Option<String>,
}

#[derive(Debug)]
pub struct App {
    pub sources: Sources,
    pub inventory: Inventory,
    pub panel: Panel,
    pub views: [PanelView; 4],
    pub focus: Focus,
    pub link: usize,
    pub filter_typing: bool,
    pub overlay: Option<Overlay>,
    pub status: Status,
    pub terminal: (u16, u16),
    pub spinner: usize,
    pub read_only: bool,
    /// A one-line message in the footer until the next key: "read-only mode", an error.
    pub notice: Option<String>,
    /// Marked rows (Space) in Containers (ids) and Volumes (names): `d` and `P` act on them.
    pub marks: [BTreeSet<String>; 4],
    /// What `e` runs in a container.
    pub shell_command: Vec<String>,
    /// Local images, loaded when the attach form first needs them.
    pub images: Option<Vec<ImageFacts>>,
    /// A row to select once it shows up (a volume just created).
    pending_selection: Option<(Panel, String)>,
    /// Whether bind sources can be checked on this machine.
    local: bool,
    history: Vec<Place>,
    next_seq: u64,
    applied_containers: u64,
    applied_volumes: u64,
    sizes_again: bool,
    refresh_pending: bool,
    watching_events: bool,
}

impl App {
    pub fn new(host: &str, local: bool, terminal: (u16, u16)) -> Self {
        let sources = Sources {
            engine: EngineInfo { host: host.to_owned(), ..Default::default() },
            ..Default::default()
        };
        App {
            inventory: model::build(&sources),
            sources,
            panel: Panel::Containers,
            views: Panel::ALL.map(PanelView::new),
            focus: Focus::Table,
            link: 0,
            filter_typing: false,
            overlay: None,
            status: Status::default(),
            terminal,
            spinner: 0,
            read_only: false,
            notice: None,
            marks: Default::default(),
            shell_command: vec!["sh".to_owned()],
            images: None,
            pending_selection: None,
            local,
            history: Vec::new(),
            next_seq: 0,
            applied_containers: 0,
            applied_volumes: 0,
            sizes_again: false,
            refresh_pending: false,
            watching_events: false,
        }
    }

    /// The effects to run at start: connect, then everything follows from the answers.
    pub fn start(&mut self) -> Vec<Effect> {
        self.status.connecting = true;
        vec![Effect::Connect]
    }

    /// Whether anything is in flight, so the spinner needs ticks.
    pub fn busy(&self) -> bool {
        let s = &self.status;
        s.connecting
            || s.lists_loading
            || s.sizes_loading
            || s.tmpfs_pending > 0
            || match &self.overlay {
                Some(Overlay::Inspect(view)) => view.is_loading(),
                Some(Overlay::Confirm(confirm)) => confirm.working,
                Some(Overlay::Form(form)) => form.working,
                _ => false,
            }
    }

    pub fn view(&self) -> &PanelView {
        &self.views[self.panel.index()]
    }

    fn view_mut(&mut self) -> &mut PanelView {
        &mut self.views[self.panel.index()]
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Mouse(mouse) => self.on_mouse(mouse),
            Msg::Resize(width, height) => {
                self.terminal = (width, height);
                for panel in Panel::ALL {
                    self.keep_visible(panel);
                }
                vec![]
            }
            Msg::Tick => {
                self.spinner = self.spinner.wrapping_add(1);
                vec![]
            }
            Msg::Engine(msg) => self.on_engine(msg),
        }
    }

    fn on_engine(&mut self, msg: EngineMsg) -> Vec<Effect> {
        match msg {
            EngineMsg::Connected(info) => {
                self.sources.engine = info;
                self.status.connecting = false;
                self.status.connected = true;
                self.status.error = None;
                let mut effects = self.reload(true);
                effects.push(Effect::Describe);
                if !self.watching_events {
                    self.watching_events = true;
                    effects.push(Effect::WatchEvents);
                }
                self.rebuild();
                effects
            }
            EngineMsg::Containers { seq, containers } if seq >= self.applied_containers => {
                self.applied_containers = seq;
                self.status.lists_loading = self.applied_volumes < seq;
                self.sources.tmpfs.retain(|id, _| containers.iter().any(|c| &c.id == id));
                let uninspected: Vec<String> = containers
                    .iter()
                    .filter(|c| !self.sources.tmpfs.contains_key(&c.id))
                    .map(|c| c.id.clone())
                    .collect();
                self.sources.containers = containers;
                self.rebuild();
                let mut effects = Vec::new();
                if !uninspected.is_empty() {
                    self.status.tmpfs_pending = uninspected.len();
                    effects.push(Effect::InspectTmpfs(uninspected));
                }
                if self.local {
                    let mut paths: Vec<String> = self.bind_sources();
                    paths.sort();
                    paths.dedup();
                    if !paths.is_empty() {
                        effects.push(Effect::ProbeHostPaths(paths));
                    }
                }
                effects
            }
            EngineMsg::Volumes { seq, volumes } if seq >= self.applied_volumes => {
                self.applied_volumes = seq;
                self.status.lists_loading = self.applied_containers < seq;
                self.sources.volumes = volumes;
                self.rebuild();
                vec![]
            }
            EngineMsg::Containers { .. } | EngineMsg::Volumes { .. } => vec![],
            EngineMsg::DiskUsage(usage) => {
                self.sources.disk_usage = Some(usage);
                self.status.sizes_error = None;
                self.rebuild();
                self.sizes_done()
            }
            EngineMsg::SizesFailed(error) => {
                self.status.sizes_error = Some(error);
                self.sizes_done()
            }
            EngineMsg::Tmpfs(found) => {
                self.status.tmpfs_pending = self.status.tmpfs_pending.saturating_sub(found.len());
                self.sources.tmpfs.extend(found);
                self.rebuild();
                vec![]
            }
            EngineMsg::HostPaths(paths) => {
                self.sources.host_paths = paths;
                self.rebuild();
                vec![]
            }
            EngineMsg::Inspected { target, result } => {
                if let Some(Overlay::Inspect(view)) = &mut self.overlay {
                    if view.title == target.title() {
                        match result {
                            Ok(document) => view.set_document(document),
                            Err(error) => view.set_error(error),
                        }
                    }
                }
                vec![]
            }
            EngineMsg::Failed(error) => {
                self.status =
                    Status { error: Some(error), events: self.status.events.clone(), ..Status::default() };
                vec![]
            }
            EngineMsg::Events(state) => {
                self.status.events = state;
                vec![]
            }
            EngineMsg::Changed(change) => {
                if !is_relevant(&change) || self.refresh_pending || !self.status.connected {
                    return vec![];
                }
                self.refresh_pending = true;
                vec![Effect::RefreshAfter(EVENT_DEBOUNCE)]
            }
            EngineMsg::StorageDriver(driver) => {
                self.sources.engine.storage_driver = driver;
                self.inventory.engine.storage_driver = self.sources.engine.storage_driver.clone();
                vec![]
            }
            EngineMsg::Images(result) => self.on_images(result),
            EngineMsg::Removed(outcome) => {
                for marks in &mut self.marks {
                    marks.clear();
                }
                self.overlay = Some(Overlay::Outcome(outcome));
                self.reload(false)
            }
            EngineMsg::VolumeCreated(result) => match result {
                Ok(name) => {
                    self.overlay = None;
                    self.notice = Some(format!("created volume {name}"));
                    self.pending_selection = Some((Panel::Volumes, name));
                    self.reload(false)
                }
                Err(error) => self.form_failed(error),
            },
            EngineMsg::ContainerCreated { result, name, shell } => match result {
                Ok(id) => {
                    self.overlay = None;
                    let mut effects = self.reload(false);
                    let name = if name.is_empty() { short_id(&id) } else { name };
                    if shell {
                        let command = Some(self.shell_command.clone());
                        effects.push(Effect::OpenSession(SessionRequest {
                            container_id: id,
                            container: name,
                            command,
                        }));
                    } else {
                        self.notice = Some(format!("started container {name}"));
                    }
                    effects
                }
                Err(error) => self.form_failed(error),
            },
            EngineMsg::SessionEnded { name, result } => {
                self.notice = Some(match result {
                    Ok(()) => format!("back from {name}"),
                    Err(error) => format!("session in {name} failed: {error}"),
                });
                self.reload(false)
            }
            EngineMsg::RefreshDue => {
                self.refresh_pending = false;
                if self.status.connected {
                    self.reload(false)
                } else {
                    vec![]
                }
            }
        }
    }

    /// Lists and sizes again. A full refresh also re-inspects every container.
    fn reload(&mut self, full: bool) -> Vec<Effect> {
        if full {
            self.sources.tmpfs.clear();
        }
        self.next_seq += 1;
        self.status.lists_loading = true;
        let mut effects = vec![Effect::LoadLists { seq: self.next_seq }];
        // The engine runs one disk usage at a time; a request during one is served after it.
        if self.status.sizes_loading {
            self.sizes_again = true;
        } else {
            self.status.sizes_loading = true;
            effects.push(Effect::LoadSizes);
        }
        effects
    }

    fn sizes_done(&mut self) -> Vec<Effect> {
        if std::mem::take(&mut self.sizes_again) {
            vec![Effect::LoadSizes]
        } else {
            self.status.sizes_loading = false;
            vec![]
        }
    }

    fn bind_sources(&self) -> Vec<String> {
        self.sources
            .containers
            .iter()
            .flat_map(|c| &c.mounts)
            .filter(|m| m.kind == MountKind::Bind)
            .filter_map(|m| m.source.clone())
            .collect()
    }

    /// The model again from the sources, keeping each panel's selection on the same object.
    fn rebuild(&mut self) {
        self.inventory = model::build(&self.sources);
        for panel in Panel::ALL {
            self.refresh_rows(panel);
        }
        if let Some((panel, key)) = self.pending_selection.clone() {
            let shown =
                self.views[panel.index()].rows.iter().any(|&i| panel.row_key(&self.inventory, i) == key);
            if shown && self.overlay.is_none() {
                self.pending_selection = None;
                self.select_key(panel, &key);
            }
        }
    }

    fn form_failed(&mut self, error: String) -> Vec<Effect> {
        if let Some(Overlay::Form(form)) = &mut self.overlay {
            form.working = false;
            form.error = Some(error);
        } else {
            self.notice = Some(error);
        }
        vec![]
    }

    fn on_images(&mut self, result: Result<Vec<ImageFacts>, String>) -> Vec<Effect> {
        match result {
            Ok(images) => {
                let references: Vec<String> = images.iter().map(ImageFacts::reference).collect();
                if let Some(Overlay::Form(form)) = &mut self.overlay {
                    if let form::FormKind::Attach { volume } = &form.kind {
                        let volume = volume.clone();
                        *form = Form::attach(&volume, references);
                    }
                }
                self.images = Some(images);
            }
            Err(error) => {
                if let Some(Overlay::Form(form)) = &mut self.overlay {
                    form.error = Some(format!("listing images failed: {error}"));
                }
            }
        }
        vec![]
    }

    fn refresh_rows(&mut self, panel: Panel) {
        let view = &self.views[panel.index()];
        let rows = panel.rows(&self.inventory, view.sort, &view.filter);
        let key = view.selected_key.clone().filter(|_| view.touched);
        let found = key.and_then(|key| rows.iter().position(|&i| panel.row_key(&self.inventory, i) == key));
        let view = &mut self.views[panel.index()];
        view.rows = rows;
        view.selected = found.unwrap_or(view.selected).min(view.rows.len().saturating_sub(1));
        self.remember_selection(panel);
        self.keep_visible(panel);
    }

    fn remember_selection(&mut self, panel: Panel) {
        let key = self.views[panel.index()].selected_index().map(|i| panel.row_key(&self.inventory, i));
        self.views[panel.index()].selected_key = key;
    }

    /// Scrolls so the selection stays on screen.
    fn keep_visible(&mut self, panel: Panel) {
        let height = layout::table_rows(self.terminal).max(1);
        let view = &mut self.views[panel.index()];
        if view.selected < view.offset {
            view.offset = view.selected;
        } else if view.selected >= view.offset + height {
            view.offset = view.selected + 1 - height;
        }
        view.offset = view.offset.min(view.rows.len().saturating_sub(height));
    }

    pub fn select(&mut self, position: usize) {
        let view = self.view_mut();
        view.selected = position.min(view.rows.len().saturating_sub(1));
        view.touched = true;
        self.link = 0;
        self.remember_selection(self.panel);
        self.keep_visible(self.panel);
    }

    /// Selects the row whose object has this key, if the panel shows it (clearing a filter that
    /// hides it).
    fn select_key(&mut self, panel: Panel, key: &str) {
        self.panel = panel;
        let shown = |app: &App| app.view().rows.iter().position(|&i| panel.row_key(&app.inventory, i) == key);
        if shown(self).is_none() {
            self.view_mut().filter.clear();
            self.refresh_rows(panel);
        }
        if let Some(position) = shown(self) {
            self.select(position);
        }
    }

    pub fn too_small(&self) -> bool {
        layout::too_small(self.terminal)
    }

    pub fn can_go_back(&self) -> bool {
        !self.history.is_empty()
    }

    pub fn container_state(&self, id: &str) -> Option<&str> {
        self.inventory.container(id).map(|c| c.state.as_str())
    }
}

fn short_id(id: &str) -> String {
    id[..id.len().min(12)].to_owned()
}

/// Changes that alter what the panels show (not exec, attach, top, …).
fn is_relevant(change: &Change) -> bool {
    let action = change.action.split(':').next().unwrap_or_default();
    match change.kind {
        ChangeKind::Container => {
            matches!(
                action,
                "create" | "destroy" | "start" | "die" | "stop" | "pause" | "unpause" | "rename" | "update"
            )
        }
        ChangeKind::Volume => matches!(action, "create" | "destroy" | "mount" | "unmount"),
    }
}
