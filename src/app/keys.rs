//! Keys and mouse: what each does in each state. The help overlay lists the same keys.

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::browser::{Browser, BrowserAnswer};
use super::confirm::Answer;
use super::engines::{EnginePicker, PickerAnswer};
use super::form::FormAnswer;
use super::help::{Help, Topic};
use super::input::TextInput;
use super::inspect::{InspectView, Target};
use super::panel::{Panel, TabForm, PANELS};
use super::search::Step;
use super::{Action, App, Connection, Effect, Focus, Overlay, Place};
use crate::app::layout;
use crate::model::browse::Target as BrowseTarget;

const WHEEL_STEP: isize = 3;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return vec![];
        }
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return vec![Effect::Quit];
        }
        // Nothing shows below the minimum size but the request to enlarge it: a key that acted
        // unseen (a panel switched, a row removed) would surprise the user once it is larger.
        if self.too_small() {
            return if key.code == KeyCode::Char('q') { vec![Effect::Quit] } else { vec![] };
        }
        // A chord is not its letter: Ctrl-D must not remove, and Ctrl-J (a newline typed before
        // raw mode) must not type a `j`. Only text being typed takes chords (Ctrl-U, Ctrl-W…),
        // as editing keys; the text input ignores the others.
        let chord = matches!(key.code, KeyCode::Char(_))
            && key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        let typing = match &self.overlay {
            Some(Overlay::Form(_)) => true,
            Some(Overlay::Inspect(view)) => view.search.typing(),
            Some(Overlay::Logs(view)) => view.search.typing(),
            None => self.nav.filter_input.is_some(),
            Some(_) => false,
        };
        if chord && !typing {
            return vec![];
        }
        self.notice = None;
        if let Some(help) = &mut self.help {
            if help.on_key(key, layout::help_room(self.terminal)) {
                self.help = None;
            }
            return vec![];
        }
        if key.code == KeyCode::Char('?') {
            if let Some(topic) = self.help_topic() {
                self.help = Some(Help::new(topic));
                return vec![];
            }
        }
        let clearing_marks = std::mem::take(&mut self.nav.esc_clears_marks);
        if clearing_marks && key.code == KeyCode::Esc && self.overlay.is_none() {
            self.clear_marks();
            return vec![];
        }
        match &mut self.overlay {
            Some(Overlay::Confirm(confirm)) => {
                return match confirm.on_key(key, &self.inventory) {
                    Answer::Stay => vec![],
                    Answer::Cancel => {
                        self.overlay = None;
                        vec![]
                    }
                    Answer::Go(plan) => vec![Effect::Perform(Action::Remove(plan))],
                };
            }
            Some(Overlay::Form(form)) => {
                return match form.on_key(key) {
                    FormAnswer::Stay => vec![],
                    FormAnswer::Cancel => {
                        self.overlay = None;
                        vec![]
                    }
                    FormAnswer::Submit(submit) => vec![Effect::Perform(Action::Submit(submit))],
                };
            }
            Some(Overlay::Outcome(view)) => {
                let inner = layout::list_dialog_inner(self.terminal);
                let page = inner.1.max(1) as isize;
                match key.code {
                    KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => self.overlay = None,
                    KeyCode::Up | KeyCode::Char('k') => view.scroll_by(-1, inner),
                    KeyCode::Down | KeyCode::Char('j') => view.scroll_by(1, inner),
                    KeyCode::PageUp => view.scroll_by(-page, inner),
                    KeyCode::PageDown | KeyCode::Char(' ') => view.scroll_by(page, inner),
                    KeyCode::Home | KeyCode::Char('g') => view.scroll.offset = 0,
                    KeyCode::End | KeyCode::Char('G') => view.scroll_by(isize::MAX, inner),
                    _ => {}
                }
                return vec![];
            }
            Some(Overlay::Engines(picker)) => {
                return match picker.on_key(key) {
                    PickerAnswer::Stay => vec![],
                    // The browser it may have opened over is gone too, and so is its count.
                    PickerAnswer::Close => {
                        self.overlay = None;
                        vec![Effect::StopBrowsing]
                    }
                    PickerAnswer::Switch(name) => {
                        self.overlay = None;
                        self.switch_to(name)
                    }
                };
            }
            Some(Overlay::Browser(browser)) => {
                return match browser.on_key(key, layout::browser_rows(self.terminal)) {
                    BrowserAnswer::Stay => vec![],
                    BrowserAnswer::Engines => self.open_engines(),
                    BrowserAnswer::Close => {
                        self.overlay = None;
                        vec![Effect::StopBrowsing]
                    }
                };
            }
            Some(Overlay::Inspect(view)) => {
                let height = layout::inspect_rows(self.terminal);
                if inspect_key(view, key, height) {
                    self.overlay = None;
                }
                return vec![];
            }
            Some(Overlay::Control(_)) => return super::controls::menu_key(self, key),
            Some(Overlay::Logs(view)) => {
                if super::logs::log_key(view, key, layout::inspect_rows(self.terminal)) {
                    self.overlay = None;
                    return vec![Effect::StopLogs];
                }
                return vec![];
            }
            None => {}
        }
        if self.nav.filter_input.is_some() {
            self.filter_key(key);
            return vec![];
        }
        if self.nav.focus == Focus::Detail && self.detail_key(key) {
            return vec![];
        }
        let page = layout::table_rows(self.terminal, self.banner(), self.view().rows.len()).max(1) as isize;
        match key.code {
            KeyCode::Char('q') => return vec![Effect::Quit],
            KeyCode::Tab => return self.switch_panel((self.nav.panel.index() + 1) % PANELS),
            KeyCode::BackTab => return self.switch_panel((self.nav.panel.index() + PANELS - 1) % PANELS),
            KeyCode::Char(c @ '1'..='7') => return self.switch_panel(c as usize - '1' as usize),
            KeyCode::Up | KeyCode::Char('k') => self.move_by(-1),
            KeyCode::Down | KeyCode::Char('j') => self.move_by(1),
            KeyCode::PageUp => self.move_by(-page),
            KeyCode::PageDown => self.move_by(page),
            KeyCode::Home | KeyCode::Char('g') => self.move_to(0),
            KeyCode::End | KeyCode::Char('G') => self.move_to(usize::MAX),
            KeyCode::Char('s') => self.cycle_sort(),
            KeyCode::Char('S') => {
                let view = self.view_mut();
                view.sort.reversed = !view.sort.reversed;
                self.refresh_rows(self.nav.panel);
            }
            // A kept filter opens selected: typing replaces it, an arrow keeps it to edit.
            KeyCode::Char('/') => {
                self.nav.focus = Focus::Table;
                self.nav.filter_input = Some(TextInput::reopened(&self.view().filter));
            }
            KeyCode::Enter => self.enter(),
            KeyCode::Right | KeyCode::Char('l') => self.focus_detail(),
            KeyCode::Esc if !self.view().filter.is_empty() => self.set_filter(String::new()),
            KeyCode::Esc if self.marks.count(self.nav.panel) > 0 => self.ask_to_clear_marks(),
            KeyCode::Esc | KeyCode::Backspace => self.back(),
            KeyCode::Char('i') => return self.inspect(),
            KeyCode::Char('o') => return self.open_browser(),
            KeyCode::Char('r') => return self.refresh(),
            KeyCode::Char(' ') => self.toggle_mark(),
            KeyCode::Char('*') => self.mark_all_shown(),
            KeyCode::Char('u') => self.clear_marks(),
            KeyCode::Char('c') => return self.create_volume(),
            KeyCode::Char('a') => return self.attach_volume(),
            KeyCode::Char('P') => return self.prune(),
            KeyCode::Char('d') => return self.remove(),
            KeyCode::Char('e') => return self.session(true),
            KeyCode::Char('A') => return self.session(false),
            KeyCode::Char('x') => return self.open_controls(),
            KeyCode::Char('L') => return self.open_logs(),
            KeyCode::Char('D') => self.toggle_measure(),
            KeyCode::Char('T') => return self.truncate_logs(),
            KeyCode::Char('E') => return self.open_engines(),
            KeyCode::Char('-') => {
                return match self.nav.previous_context.clone() {
                    Some(previous) => self.switch_to(previous),
                    None => {
                        self.notice = Some("no previous engine yet: E lists the engines".to_owned());
                        vec![]
                    }
                }
            }
            _ => {}
        }
        vec![]
    }

    fn filter_key(&mut self, key: KeyEvent) {
        let Some(input) = &mut self.nav.filter_input else { return };
        let edited = input.on_key(key);
        let filter = input.text().to_owned();
        match key.code {
            _ if edited => {}
            KeyCode::Enter => self.nav.filter_input = None,
            KeyCode::Esc => {
                self.nav.filter_input = None;
                self.set_filter(String::new());
                return;
            }
            KeyCode::Up => self.move_by(-1),
            KeyCode::Down => self.move_by(1),
            _ => {}
        }
        if filter != self.view().filter {
            self.set_filter(filter);
        }
    }

    fn set_filter(&mut self, filter: String) {
        self.view_mut().filter = filter;
        self.refresh_rows(self.nav.panel);
    }

    pub(super) fn on_mouse(&mut self, mouse: MouseEvent) -> Vec<Effect> {
        if self.too_small() {
            return vec![];
        }
        match (&mut self.overlay, mouse.kind) {
            (Some(Overlay::Inspect(view)), MouseEventKind::ScrollDown) => {
                view.scroll_by(WHEEL_STEP, layout::inspect_rows(self.terminal))
            }
            (Some(Overlay::Inspect(view)), MouseEventKind::ScrollUp) => {
                view.scroll_by(-WHEEL_STEP, layout::inspect_rows(self.terminal))
            }
            (Some(Overlay::Outcome(view)), MouseEventKind::ScrollDown) => {
                view.scroll_by(WHEEL_STEP, layout::list_dialog_inner(self.terminal))
            }
            (Some(Overlay::Outcome(view)), MouseEventKind::ScrollUp) => {
                view.scroll_by(-WHEEL_STEP, layout::list_dialog_inner(self.terminal))
            }
            (Some(Overlay::Logs(view)), MouseEventKind::ScrollDown) => {
                view.scroll_by(WHEEL_STEP, layout::inspect_rows(self.terminal))
            }
            (Some(Overlay::Logs(view)), MouseEventKind::ScrollUp) => {
                view.scroll_by(-WHEEL_STEP, layout::inspect_rows(self.terminal))
            }
            (Some(_), _) => {}
            (None, MouseEventKind::ScrollDown) => self.move_by(WHEEL_STEP),
            (None, MouseEventKind::ScrollUp) => self.move_by(-WHEEL_STEP),
            (None, MouseEventKind::Down(MouseButton::Left)) => {
                if let Some(row) = layout::table_row_at(
                    self.terminal,
                    self.banner(),
                    self.view().rows.len(),
                    mouse.column,
                    mouse.row,
                ) {
                    let position = self.view().scroll.offset + row;
                    if position < self.view().rows.len() {
                        self.nav.focus = Focus::Table;
                        self.select(position);
                    }
                } else if let Some(tab) =
                    layout::tab_at(self.terminal, mouse.column, mouse.row, &self.tab_widths())
                {
                    return self.switch_panel(tab);
                }
            }
            _ => {}
        }
        vec![]
    }

    /// Each tab's width in columns, as `ui::chrome::tabs` draws them.
    fn tab_widths(&self) -> Vec<u16> {
        self.tab_labels()
            .iter()
            .map(|label| u16::try_from(crate::text::format::width(label)).unwrap_or(u16::MAX))
            .collect()
    }

    /// The tabs' labels as drawn: the full ones where all six fit the terminal; else short ones,
    /// the tabs farthest from the current one bare (number and count) until they fit.
    pub fn tab_labels(&self) -> Vec<String> {
        let width = |labels: &[String]| labels.iter().map(|l| crate::text::format::width(l)).sum::<usize>();
        let room = usize::from(self.terminal.0);
        let full: Vec<String> =
            Panel::ALL.iter().map(|p| p.tab_label(&self.inventory, TabForm::Full)).collect();
        if width(&full) <= room {
            return full;
        }
        let mut labels: Vec<String> =
            Panel::ALL.iter().map(|p| p.tab_label(&self.inventory, TabForm::Short)).collect();
        let current = self.nav.panel.index();
        let mut farthest: Vec<usize> = (0..Panel::ALL.len()).filter(|&i| i != current).collect();
        farthest.sort_by_key(|&i| std::cmp::Reverse(i.abs_diff(current)));
        for i in farthest {
            if width(&labels) <= room {
                break;
            }
            labels[i] = Panel::ALL[i].tab_label(&self.inventory, TabForm::Bare);
        }
        labels
    }

    fn switch_panel(&mut self, index: usize) -> Vec<Effect> {
        self.nav.panel = Panel::ALL[index];
        self.nav.focus = Focus::Table;
        self.nav.link = 0;
        self.nav.detail_scroll = 0;
        let mut effects = self.disk_panel_opened();
        effects.extend(self.build_cache_panel_opened());
        effects
    }

    pub(super) fn move_by(&mut self, delta: isize) {
        let position = self.view().scroll.selected.saturating_add_signed(delta);
        self.select(position);
    }

    fn move_to(&mut self, position: usize) {
        self.select(position);
    }

    fn cycle_sort(&mut self) {
        let columns = self.nav.panel.sort_columns();
        let view = self.view_mut();
        let next = columns.iter().position(|c| *c == view.sort.column).map_or(0, |i| (i + 1) % columns.len());
        view.sort.column = columns[next];
        view.sort.reversed = false;
        self.refresh_rows(self.nav.panel);
    }

    /// Enter walks into the detail pane's links; Enter on a link follows it.
    fn enter(&mut self) {
        let links = self.links();
        match self.nav.focus {
            Focus::Table if links.len() == 1 => self.follow(&links[0]),
            Focus::Table if !links.is_empty() => self.focus_detail(),
            Focus::Detail => {
                if let Some(link) = links.get(self.nav.link) {
                    self.follow(&link.clone());
                }
            }
            Focus::Table => {}
        }
    }

    /// The detail pane takes the keys: its links, and scrolling what does not fit.
    fn focus_detail(&mut self) {
        self.nav.focus = Focus::Detail;
        self.nav.link = 0;
        self.choose_link(0);
    }

    /// Keys while the detail pane has the focus; false for those it leaves to the explorer.
    fn detail_key(&mut self, key: KeyEvent) -> bool {
        let (_, height) = self.detail_size();
        let page = height.max(1) as isize;
        let has_links = !self.links().is_empty();
        match key.code {
            KeyCode::Up | KeyCode::Char('k') if has_links => self.choose_link(-1),
            KeyCode::Down | KeyCode::Char('j') if has_links => self.choose_link(1),
            KeyCode::Up | KeyCode::Char('k') => self.scroll_detail(-1),
            KeyCode::Down | KeyCode::Char('j') => self.scroll_detail(1),
            KeyCode::PageUp => self.scroll_detail(-page),
            KeyCode::PageDown => self.scroll_detail(page),
            KeyCode::Home | KeyCode::Char('g') if has_links => self.choose_link(isize::MIN),
            KeyCode::End | KeyCode::Char('G') if has_links => self.choose_link(isize::MAX),
            KeyCode::Home | KeyCode::Char('g') => self.scroll_detail(isize::MIN),
            KeyCode::End | KeyCode::Char('G') => self.scroll_detail(isize::MAX),
            KeyCode::Esc | KeyCode::Left | KeyCode::Char('h') => self.nav.focus = Focus::Table,
            _ => return false,
        }
        true
    }

    /// The detail pane's columns and rows inside its border.
    fn detail_size(&self) -> (usize, usize) {
        layout::detail_inner(self.terminal, self.banner(), self.view().rows.len())
    }

    fn scroll_detail(&mut self, delta: isize) {
        let (columns, height) = self.detail_size();
        let rows = self.detail_rows(columns).len();
        let scroll = self.nav.detail_scroll.saturating_add_signed(delta);
        self.nav.detail_scroll = scroll.min(rows.saturating_sub(height));
    }

    /// Moves the chosen link by `delta` and scrolls the pane so its rows show.
    fn choose_link(&mut self, delta: isize) {
        let count = self.links().len();
        self.nav.link = self.nav.link.saturating_add_signed(delta).min(count.saturating_sub(1));
        let (columns, height) = self.detail_size();
        let rows = self.detail_rows(columns);
        let chosen = |row: &&super::detail::Row| row.link == Some(self.nav.link);
        let (Some(first), Some(last)) =
            (rows.iter().position(|r| chosen(&r)), rows.iter().rposition(|r| chosen(&r)))
        else {
            return;
        };
        let scroll = &mut self.nav.detail_scroll;
        if first < *scroll {
            *scroll = first;
        } else if last >= *scroll + height {
            *scroll = (last + 1).saturating_sub(height).min(first);
        }
    }

    fn follow(&mut self, link: &super::Link) {
        self.nav.history.push(Place { panel: self.nav.panel, key: self.view().selected_key.clone() });
        self.nav.focus = Focus::Table;
        self.select_key(link.panel, &link.key);
        self.nav.link = 0;
    }

    fn back(&mut self) {
        if let Some(place) = self.nav.history.pop() {
            self.nav.focus = Focus::Table;
            self.nav.panel = place.panel;
            if let Some(key) = place.key {
                self.select_key(place.panel, &key);
            }
        }
    }

    /// The inspect document of the selected container or volume (for a mount, its container).
    fn inspect(&mut self) -> Vec<Effect> {
        let Some(index) = self.view().selected_index() else { return vec![] };
        match self.nav.panel {
            Panel::Volumes => {
                let target = Target::Volume { name: self.inventory.volumes[index].name.clone() };
                return self.open_inspect(target);
            }
            Panel::Images => {
                let image = &self.inventory.images[index];
                let target = Target::Image { id: image.id.clone(), name: image.reference() };
                return self.open_inspect(target);
            }
            _ => {}
        }
        let Some(id) = self.selected_container_id() else { return vec![] };
        let name = self.inventory.container(&id).map_or_else(|| id.to_string(), |c| c.name.clone());
        self.open_inspect(Target::Container { id, name })
    }

    /// `o`: what fills the selected volume, container layer or bind source. Bind sources are
    /// only ever walked here, on this key: a bind of `/` would walk the whole host.
    fn open_browser(&mut self) -> Vec<Effect> {
        let Some(index) = self.view().selected_index() else { return vec![] };
        let (target, label) = match self.nav.panel {
            Panel::Volumes => {
                let name = self.inventory.volumes[index].name.to_string();
                (BrowseTarget::Volume(name.clone()), name)
            }
            Panel::Containers => {
                let container = &self.inventory.containers[index];
                (BrowseTarget::Container(container.id.to_string()), container.name.clone())
            }
            Panel::Binds => {
                let bind = &self.inventory.bind_mounts[index];
                if bind.source_exists == Some(false) {
                    self.notice =
                        Some(format!("{} does not exist on this host: nothing to look inside", bind.source));
                    return vec![];
                }
                let source = bind.source.clone();
                (BrowseTarget::Bind(source.clone()), source)
            }
            Panel::Disk => {
                let line = &self.inventory.disk_lines[index];
                (BrowseTarget::Path(line.path.clone()), line.path.clone())
            }
            Panel::Tmpfs | Panel::Images | Panel::BuildCache => {
                self.notice =
                    Some("o looks inside volumes, containers' layers, binds and the root's parts".to_owned());
                return vec![];
            }
        };
        self.loading.browse_generation += 1;
        let seq = self.loading.browse_generation;
        self.overlay = Some(Overlay::Browser(Browser::new(target.clone(), label, seq)));
        vec![Effect::Browse { seq, target }]
    }

    fn open_inspect(&mut self, target: Target) -> Vec<Effect> {
        self.overlay = Some(Overlay::Inspect(InspectView::loading(&target)));
        vec![Effect::Inspect(target)]
    }

    /// The view whose keys `?` shows, unless `?` is text being typed there.
    fn help_topic(&self) -> Option<Topic> {
        match &self.overlay {
            None if self.nav.filter_input.is_some() => None,
            None => Some(Topic::Explorer),
            Some(Overlay::Browser(_)) => Some(Topic::Browser),
            Some(Overlay::Inspect(view)) if !view.search.typing() => Some(Topic::Inspect),
            Some(Overlay::Logs(view)) if !view.search.typing() => Some(Topic::Logs),
            Some(_) => None,
        }
    }

    /// `E`: the docker contexts, and whether each one's engine answers.
    fn open_engines(&mut self) -> Vec<Effect> {
        let picker = EnginePicker::new(&self.sources.engine.context, self.nav.previous_context.as_deref());
        self.overlay = Some(Overlay::Engines(picker));
        vec![Effect::ListContexts]
    }

    /// The context in use needs no switch; any other one replaces the engine.
    fn switch_to(&mut self, context: String) -> Vec<Effect> {
        if context == self.sources.engine.context {
            self.notice = Some(format!("already on context {context}"));
            return vec![];
        }
        vec![Effect::SwitchEngine(context)]
    }

    fn refresh(&mut self) -> Vec<Effect> {
        match self.loading.connection {
            // On the Disk panel, the root is walked again too.
            Connection::Connected if self.nav.panel == Panel::Disk => {
                let mut effects = self.reload(true);
                effects.extend(self.walk_disk());
                effects
            }
            Connection::Connected => self.reload(true),
            Connection::Connecting => vec![],
            // Now, instead of when the backoff would have (the new connect cancels that timer).
            Connection::Unreachable { .. } => vec![Effect::Connect],
        }
    }
}

/// Keys in the inspect overlay; returns true when it should close.
fn inspect_key(view: &mut InspectView, key: KeyEvent, height: usize) -> bool {
    if view.search.typing() {
        match view.search.on_key(key) {
            Step::Edited | Step::Dropped => view.find_matches(),
            Step::Kept => view.next_match(true),
            Step::Nothing => {}
        }
        return false;
    }
    let page = height.max(1) as isize;
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('i') => return true,
        KeyCode::Up | KeyCode::Char('k') => view.scroll_by(-1, height),
        KeyCode::Down | KeyCode::Char('j') => view.scroll_by(1, height),
        KeyCode::PageUp => view.scroll_by(-page, height),
        KeyCode::PageDown | KeyCode::Char(' ') => view.scroll_by(page, height),
        KeyCode::Home | KeyCode::Char('g') => view.scroll.offset = 0,
        KeyCode::End | KeyCode::Char('G') => view.scroll_to_end(height),
        KeyCode::Char('/') => {
            view.search.start();
        }
        KeyCode::Char('n') => view.next_match(true),
        KeyCode::Char('N') => view.next_match(false),
        KeyCode::Char('v') => view.toggle_reveal(),
        _ => {}
    }
    false
}
