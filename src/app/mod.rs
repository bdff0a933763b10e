//! The explorer's state and how it changes: `update(msg) -> effects`. No I/O and no drawing here;
//! the runtime performs the effects and feeds their results back as messages.

pub mod browser;
pub mod columns;
pub mod confirm;
pub mod controls;
pub mod detail;
pub mod disk;
pub mod engines;
pub mod form;
pub mod help;
mod images;
pub mod input;
pub mod inspect;
mod keys;
pub mod layout;
mod links;
pub mod loading;
pub mod logs;
mod marks;
mod messages;
pub mod outcome;
pub mod panel;
mod results;
pub mod scroll;
pub mod search;
pub mod sizing;
mod writes;

use crate::model::{self, EngineInfo, Inventory, Sources};
use browser::Browser;
use confirm::Confirm;
use controls::ControlMenu;
use engines::EnginePicker;
use form::Form;
use input::TextInput;
use inspect::InspectView;
pub use links::Link;
pub use loading::{Connection, EventsState, Loading, EVENT_DEBOUNCE};
use logs::LogView;
use marks::Marks;
pub use messages::{Action, Effect, EngineMsg, Msg, SessionRequest, Slot};
use outcome::OutcomeView;
use panel::{Panel, RowKey, Sort, PANELS};
use scroll::Scroll;

#[derive(Debug, Clone)]
pub struct PanelView {
    /// Indices into the inventory's list for this panel, as shown.
    pub rows: Vec<usize>,
    pub scroll: Scroll,
    pub sort: Sort,
    pub filter: String,
    selected_key: Option<RowKey>,
    /// Until the user moves in this panel, the selection stays on the first (largest) row
    /// while rows arrive and reorder.
    touched: bool,
}

impl PanelView {
    fn new(panel: Panel) -> Self {
        PanelView {
            rows: Vec::new(),
            scroll: Scroll::default(),
            sort: Sort { column: panel.sort_columns()[0], reversed: false },
            filter: String::new(),
            selected_key: None,
            touched: false,
        }
    }

    /// The selected row's index into the inventory list.
    pub fn selected_index(&self) -> Option<usize> {
        self.rows.get(self.scroll.selected).copied()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Table,
    /// The detail pane: walking its links (a volume's users, a container's mounts) and scrolling
    /// what does not fit.
    Detail,
}

#[derive(Debug, Clone)]
pub enum Overlay {
    Inspect(InspectView),
    Confirm(Confirm),
    Form(Form),
    Outcome(OutcomeView),
    Engines(EnginePicker),
    Browser(Browser),
    /// `x`: what can be done to a container, and the confirmation of stop and kill.
    Control(ControlMenu),
    /// `L`: a container's log, following.
    Logs(LogView),
}

/// Where the user was, for Esc/Backspace after following a link.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    panel: Panel,
    key: Option<RowKey>,
}

/// What the user chose at start; the session keeps it, whichever engine it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `--read-only`: write keys say they are disabled (the engine refuses them anyway).
    pub read_only: bool,
    /// What `e` runs in a container.
    pub shell_command: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config { read_only: false, shell_command: vec!["sh".to_owned()] }
    }
}

/// Where the user is: the panel, each panel's rows and selection, the focus, and the way back.
#[derive(Debug)]
pub struct Navigation {
    pub panel: Panel,
    pub views: [PanelView; PANELS],
    pub focus: Focus,
    /// The selected link, while the focus is on the detail pane's links.
    pub link: usize,
    /// The detail pane's first row shown.
    pub detail_scroll: usize,
    /// The panel's filter while `/` types into it.
    pub filter_input: Option<TextInput>,
    /// Esc was pressed with marks set: the next Esc clears them.
    esc_clears_marks: bool,
    /// A row to select once it shows up (a volume just created).
    pending_selection: Option<(Panel, RowKey)>,
    history: Vec<Place>,
    /// The context in use before the last switch: `-` goes back to it.
    pub previous_context: Option<String>,
    /// Which bytes every size column shows and sorts by: `D` switches.
    pub measure: crate::model::Measure,
}

impl Navigation {
    fn new() -> Self {
        Navigation {
            panel: Panel::Containers,
            views: Panel::ALL.map(PanelView::new),
            focus: Focus::Table,
            link: 0,
            detail_scroll: 0,
            filter_input: None,
            esc_clears_marks: false,
            pending_selection: None,
            history: Vec::new(),
            previous_context: None,
            measure: crate::model::Measure::Apparent,
        }
    }

    /// Another engine: its rows start over, each panel keeping the user's sort.
    fn restart(&mut self) {
        let previous_context = self.previous_context.take();
        let sorts = self.views.each_ref().map(|view| view.sort);
        *self = Navigation { previous_context, measure: self.measure, ..Navigation::new() };
        for (view, sort) in self.views.iter_mut().zip(sorts) {
            view.sort = sort;
        }
    }
}

#[derive(Debug)]
pub struct App {
    pub config: Config,
    pub sources: Sources,
    pub inventory: Inventory,
    pub nav: Navigation,
    pub overlay: Option<Overlay>,
    /// `?`: the keys of the view below, over it.
    pub help: Option<help::Help>,
    /// Every load's bookkeeping: connection, lists, sizes, images, the browser's count.
    pub loading: Loading,
    /// Marked rows (Space): `d` and `P` act on them.
    pub marks: Marks,
    pub terminal: (u16, u16),
    /// The time the screen is drawn for: statuses and "measured … ago" are written from it. The
    /// runtime sets it before each frame.
    pub now: std::time::SystemTime,
    pub spinner: usize,
    /// A one-line message in the footer until the next key: "read-only mode", an error.
    pub notice: Option<String>,
    /// The newest log view's generation: lines of an older one are dropped.
    pub log_generation: u64,
}

impl App {
    pub fn new(host: &str, local: bool, terminal: (u16, u16), config: Config) -> Self {
        let sources = Sources {
            engine: EngineInfo { host: host.to_owned(), ..Default::default() },
            local,
            ..Default::default()
        };
        App {
            config,
            inventory: model::build(&sources),
            sources,
            nav: Navigation::new(),
            overlay: None,
            help: None,
            loading: Loading::default(),
            marks: Default::default(),
            terminal,
            now: std::time::SystemTime::now(),
            spinner: 0,
            notice: None,
            log_generation: 0,
        }
    }

    /// Where the engine is and which context named it, for the header before it answers.
    pub fn describe_engine(&mut self, engine: EngineInfo) {
        self.sources.engine = engine;
        self.inventory.engine = self.sources.engine.clone();
    }

    /// Another engine took over: everything shown was the old one's, so it all starts over
    /// (panels, marks, history, loading), keeping only the user's sort and configuration.
    pub fn switched(&mut self, engine: EngineInfo, local: bool) -> Vec<Effect> {
        let previous = std::mem::take(&mut self.sources.engine.context);
        if !previous.is_empty() && previous != engine.context {
            self.nav.previous_context = Some(previous);
        }
        self.sources = Sources { engine, local, ..Default::default() };
        self.inventory = model::build(&self.sources);
        self.loading = Loading::default();
        self.nav.restart();
        self.overlay = None;
        self.marks = Default::default();
        let back =
            self.nav.previous_context.as_deref().map(|p| format!(" · - back to {p}")).unwrap_or_default();
        self.notice = Some(format!("switched to context {}{back}", self.sources.engine.context));
        self.start()
    }

    /// The effects to run at start: connect, then everything follows from the answers.
    pub fn start(&mut self) -> Vec<Effect> {
        self.loading.connection = Connection::Connecting;
        vec![Effect::Connect]
    }

    /// Whether anything is in flight, so the spinner needs ticks.
    /// Running containers of a local engine have tmpfs mounts whose use can be read here.
    pub fn reads_tmpfs(&self) -> bool {
        self.sources.tmpfs_probes().next().is_some()
    }

    pub fn busy(&self) -> bool {
        let s = &self.loading;
        s.connecting()
            || s.lists_loading()
            || s.sizing()
            || match &self.overlay {
                Some(Overlay::Inspect(view)) => view.is_loading(),
                Some(Overlay::Confirm(confirm)) => confirm.working,
                Some(Overlay::Form(form)) => form.working,
                Some(Overlay::Browser(browser)) => browser.counting(),
                Some(Overlay::Control(menu)) => matches!(menu.stage, controls::Stage::Working(_)),
                Some(Overlay::Logs(view)) => view.is_opening(),
                Some(Overlay::Engines(picker)) => {
                    picker.rows.iter().flatten().any(|row| row.reach == engines::Reach::Checking)
                }
                // The images' sizes can take minutes: the spinner turns only where they show.
                None => s.images.measuring && matches!(self.nav.panel, Panel::Images | Panel::BuildCache),
                _ => false,
            }
    }

    /// How soon what the screen says about time goes stale: every second while something shown
    /// happened less than a minute ago (`Up 14 seconds`, `measured 45 s ago`), every 30 s
    /// otherwise; `None` when no time is shown.
    pub fn clock_interval(&self) -> Option<std::time::Duration> {
        use std::time::Duration;
        let recent = |at: Option<std::time::SystemTime>| {
            at.and_then(|at| self.now.duration_since(at).ok())
                .is_some_and(|age| age < Duration::from_secs(60))
        };
        let index = self.view().selected_index()?;
        let times: Vec<Option<std::time::SystemTime>> = match self.nav.panel {
            Panel::Containers => {
                let c = &self.inventory.containers[index];
                let state = c.times.unwrap_or_default();
                vec![c.size_measured_at, state.started_at, state.finished_at]
            }
            Panel::Volumes => vec![self.inventory.volumes[index].size_measured_at],
            _ => return None,
        };
        Some(if times.into_iter().any(recent) { Duration::from_secs(1) } else { Duration::from_secs(30) })
    }

    pub fn view(&self) -> &PanelView {
        &self.nav.views[self.nav.panel.index()]
    }

    fn view_mut(&mut self) -> &mut PanelView {
        &mut self.nav.views[self.nav.panel.index()]
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
            Msg::Clock => vec![],
            Msg::TmpfsDue => self.read_tmpfs().into_iter().collect(),
            Msg::Engine(msg) => self.on_engine(msg),
        }
    }

    /// Every size column and sort between the engine's apparent bytes and the bytes on disk.
    fn toggle_measure(&mut self) {
        self.nav.measure = self.nav.measure.toggled();
        for panel in Panel::ALL {
            self.refresh_rows(panel);
        }
        self.notice = Some(format!("showing {} (D switches back)", self.nav.measure.label()));
    }

    fn refresh_rows(&mut self, panel: Panel) {
        let view = &self.nav.views[panel.index()];
        let rows = panel.rows(&self.inventory, view.sort, self.nav.measure, &view.filter);
        let key = view.selected_key.clone().filter(|_| view.touched);
        let found = key.and_then(|key| rows.iter().position(|&i| panel.row_key(&self.inventory, i) == key));
        let view = &mut self.nav.views[panel.index()];
        view.rows = rows;
        view.scroll.selected = found.unwrap_or(view.scroll.selected).min(view.rows.len().saturating_sub(1));
        self.remember_selection(panel);
        self.keep_visible(panel);
    }

    fn remember_selection(&mut self, panel: Panel) {
        let key = self.nav.views[panel.index()].selected_index().map(|i| panel.row_key(&self.inventory, i));
        self.nav.views[panel.index()].selected_key = key;
    }

    /// Scrolls so the selection stays on screen.
    fn keep_visible(&mut self, panel: Panel) {
        let rows = self.nav.views[panel.index()].rows.len();
        let height = layout::table_rows(self.terminal, self.banner(), rows).max(1);
        let view = &mut self.nav.views[panel.index()];
        view.scroll.keep_visible(view.rows.len(), height);
    }

    pub fn select(&mut self, position: usize) {
        let view = self.view_mut();
        view.scroll.selected = position.min(view.rows.len().saturating_sub(1));
        view.touched = true;
        self.nav.link = 0;
        self.nav.detail_scroll = 0;
        self.remember_selection(self.nav.panel);
        self.keep_visible(self.nav.panel);
    }

    /// Selects the row whose object has this key, if the panel shows it (clearing a filter that
    /// hides it).
    fn select_key(&mut self, panel: Panel, key: &RowKey) {
        self.nav.panel = panel;
        let shown =
            |app: &App| app.view().rows.iter().position(|&i| panel.row_key(&app.inventory, i) == *key);
        if shown(self).is_none() {
            self.view_mut().filter.clear();
            self.refresh_rows(panel);
        }
        if let Some(position) = shown(self) {
            self.select(position);
        }
    }

    /// Whether a failed request's banner takes a row above the table.
    pub fn banner(&self) -> bool {
        self.loading.trouble.is_some() && self.loading.connected()
    }

    pub fn too_small(&self) -> bool {
        layout::too_small(self.terminal)
    }

    pub fn can_go_back(&self) -> bool {
        !self.nav.history.is_empty()
    }

    pub fn container_state(&self, id: &str) -> Option<&crate::model::ContainerState> {
        self.inventory.container(id).map(|c| &c.state)
    }
}
