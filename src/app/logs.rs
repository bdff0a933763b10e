//! `L`: a container's log, read through the engine: its last lines, then new ones as they come.
//! The view stays at the bottom, following, until the user scrolls up; `/` searches. At most
//! `LOG_KEPT` lines are kept, the oldest dropped first (and counted), whatever a chatty container
//! writes. Every line is made safe to show (the one sanitiser) as it arrives.

use std::collections::VecDeque;

use crossterm::event::{KeyCode, KeyEvent};

use super::scroll::Scroll;
use super::search::{Search, Step};
use super::{App, Effect, Overlay};
use crate::model::logs::{LogLine, LogStream, LogsFrom, LogsUnreadable};
use crate::model::{ChangeAction, ChangeKind, ContainerId, EngineError};
use crate::text::sanitize::visible;

/// How many of the log's last lines are read when it opens.
pub const LOG_TAIL: usize = 1_000;
/// The most lines the view keeps: past this the oldest go.
pub const LOG_KEPT: usize = 10_000;
/// Tab stops, for logs that align columns with tabs.
const TAB: usize = 8;

/// What the log's task reports, in order: opened (or why not), lines in batches, the end.
#[derive(Debug)]
pub enum LogEvent {
    Opened,
    Unreadable(LogsUnreadable),
    Lines(Vec<LogLine>),
    /// The engine ended the log (the container stopped), or the connection broke.
    Ended(Option<EngineError>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogState {
    /// Asked for; nothing is drawn until the engine answers, so a log that cannot be read is one
    /// line in the footer, never an empty view.
    Opening,
    Following,
    /// The engine ended it: the container stopped (it picks up again if the container starts),
    /// or the connection broke (the error).
    Ended(Option<String>),
}

/// One line as shown: sanitised, tabs expanded, and which stream it came on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownLine {
    pub stderr: bool,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct LogView {
    pub container: ContainerId,
    pub name: String,
    /// The task this view takes lines from: an older task's lines are dropped.
    pub seq: u64,
    pub state: LogState,
    pub lines: VecDeque<ShownLine>,
    /// Lines dropped from the front to keep at most `LOG_KEPT`.
    pub dropped: u64,
    pub scroll: Scroll,
    /// At the bottom, taking new lines into view as they come.
    pub following: bool,
    /// The newest line's timestamp: where the log picks up after the container starts again.
    last_timestamp: Option<String>,
    /// The container started (an event) while its log was still being read: when that reading
    /// ends, it picks up again at once (the start may have come before the end of the old run).
    started_meanwhile: bool,
    /// The search being typed (`/`), or the last one confirmed.
    pub search: Search,
    /// Lines that match, by their number from the log's first line (drops do not renumber).
    pub matches: VecDeque<u64>,
    pub current_match: Option<usize>,
}

impl LogView {
    pub fn new(container: ContainerId, name: String, seq: u64) -> Self {
        LogView {
            container,
            name,
            seq,
            state: LogState::Opening,
            lines: VecDeque::new(),
            dropped: 0,
            scroll: Scroll::default(),
            following: true,
            last_timestamp: None,
            started_meanwhile: false,
            search: Search::default(),
            matches: VecDeque::new(),
            current_match: None,
        }
    }

    pub fn is_opening(&self) -> bool {
        self.state == LogState::Opening
    }

    /// Every line the log has had since it opened, the dropped ones included.
    pub fn total(&self) -> u64 {
        self.dropped + self.lines.len() as u64
    }

    /// The number (from 1) of the last line on screen.
    pub fn bottom_line(&self, height: usize) -> u64 {
        self.dropped + (self.scroll.offset + height).min(self.lines.len()) as u64
    }

    /// New lines: shown safely, searched, the oldest dropped past `LOG_KEPT`; a following view
    /// stays at the bottom, a paused one on the same lines.
    pub fn append(&mut self, lines: Vec<LogLine>, height: usize) {
        let needle = self.search.query().to_lowercase();
        for line in lines {
            if line.timestamp.is_some() {
                self.last_timestamp = line.timestamp;
            }
            let text = shown(&line.text);
            if !needle.is_empty() && text.to_lowercase().contains(&needle) {
                self.matches.push_back(self.total());
            }
            self.lines.push_back(ShownLine { stderr: line.stream == LogStream::Stderr, text });
        }
        let excess = self.lines.len().saturating_sub(LOG_KEPT);
        if excess > 0 {
            self.lines.drain(..excess);
            self.dropped += excess as u64;
            let gone = self.matches.iter().take_while(|&&m| m < self.dropped).count();
            self.matches.drain(..gone);
            self.current_match = self.current_match.and_then(|i| i.checked_sub(gone));
            self.scroll.offset = self.scroll.offset.saturating_sub(excess);
        }
        if self.following {
            self.scroll.scroll_to_end(self.lines.len(), height);
        }
    }

    /// Scrolling up pauses following; coming back down to the last line resumes it.
    pub fn scroll_by(&mut self, delta: isize, height: usize) {
        self.scroll.scroll_by(delta, self.lines.len(), height);
        self.following = self.at_bottom(height) && (delta > 0 || self.following);
    }

    pub fn to_end(&mut self, height: usize) {
        self.scroll.scroll_to_end(self.lines.len(), height);
        self.following = true;
    }

    pub fn to_top(&mut self, height: usize) {
        self.scroll.offset = 0;
        self.following = self.at_bottom(height);
    }

    fn at_bottom(&self, height: usize) -> bool {
        self.scroll.offset + height >= self.lines.len()
    }

    pub fn find_matches(&mut self) {
        let needle = self.search.query().to_lowercase();
        self.matches = if needle.is_empty() {
            VecDeque::new()
        } else {
            (self.lines.iter().enumerate())
                .filter(|(_, line)| line.text.to_lowercase().contains(&needle))
                .map(|(i, _)| self.dropped + i as u64)
                .collect()
        };
        self.current_match = None;
    }

    /// Moves to the next (or previous) match, wrapping around; from the bottom of the screen the
    /// first time, so `n` after a search finds the newest match above it.
    pub fn next_match(&mut self, forward: bool, height: usize) {
        if self.matches.is_empty() {
            return;
        }
        let count = self.matches.len();
        let here = self.dropped + self.scroll.offset as u64;
        let next = match self.current_match {
            Some(i) if forward => (i + 1) % count,
            Some(i) => (i + count - 1) % count,
            None if forward => self.matches.iter().position(|&m| m >= here).unwrap_or(0),
            None => {
                let bottom = self.bottom_line(height);
                self.matches.iter().rposition(|&m| m < bottom).unwrap_or(count - 1)
            }
        };
        self.current_match = Some(next);
        let line = (self.matches[next] - self.dropped) as usize;
        self.scroll.offset = line.saturating_sub(height / 2).min(self.lines.len().saturating_sub(height));
        self.following = self.at_bottom(height);
    }

    /// The line a match is on, as an index into `lines`.
    pub fn is_match(&self, index: usize) -> bool {
        let number = self.dropped + index as u64;
        self.matches.binary_search(&number).is_ok()
    }

    pub fn is_current_match(&self, index: usize) -> bool {
        self.current_match.and_then(|i| self.matches.get(i)) == Some(&(self.dropped + index as u64))
    }
}

/// A line of engine text as it may be drawn: tabs to spaces, every other control character
/// shown as text by the one sanitiser.
fn shown(text: &str) -> String {
    if !text.contains('\t') {
        return visible(text).into_owned();
    }
    let mut expanded = String::with_capacity(text.len() + TAB);
    let mut column = 0;
    for c in text.chars() {
        if c == '\t' {
            let spaces = TAB - column % TAB;
            expanded.extend(std::iter::repeat_n(' ', spaces));
            column += spaces;
        } else {
            expanded.push(c);
            column += 1;
        }
    }
    visible(&expanded).into_owned()
}

/// Keys in the log view; returns true when it should close.
pub fn log_key(view: &mut LogView, key: KeyEvent, height: usize) -> bool {
    if view.search.typing() {
        match view.search.on_key(key) {
            Step::Edited | Step::Dropped => view.find_matches(),
            Step::Kept => view.next_match(false, height),
            Step::Nothing => {}
        }
        return false;
    }
    let page = height.max(1) as isize;
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('L') => return true,
        _ if view.is_opening() => {}
        KeyCode::Up | KeyCode::Char('k') => view.scroll_by(-1, height),
        KeyCode::Down | KeyCode::Char('j') => view.scroll_by(1, height),
        KeyCode::PageUp => view.scroll_by(-page, height),
        KeyCode::PageDown | KeyCode::Char(' ') => view.scroll_by(page, height),
        KeyCode::Home | KeyCode::Char('g') => view.to_top(height),
        KeyCode::End | KeyCode::Char('G') | KeyCode::Char('f') => view.to_end(height),
        KeyCode::Char('/') => {
            view.search.start();
            view.find_matches();
        }
        KeyCode::Char('n') => view.next_match(true, height),
        KeyCode::Char('N') => view.next_match(false, height),
        _ => {}
    }
    false
}

impl App {
    /// `L`: the log of the container `x` would act on.
    pub(super) fn open_logs(&mut self) -> Vec<Effect> {
        let Some(container) = self.target_container().and_then(|id| self.inventory.container(&id)) else {
            self.notice =
                Some("L shows a container's log: select one (1), or a bind or tmpfs row".to_owned());
            return vec![];
        };
        let (id, name) = (container.id.clone(), container.name.clone());
        self.log_generation += 1;
        let seq = self.log_generation;
        self.overlay = Some(Overlay::Logs(LogView::new(id.clone(), name, seq)));
        vec![Effect::FollowLogs { seq, container: id, from: LogsFrom::Tail(LOG_TAIL) }]
    }

    pub(super) fn on_log(&mut self, seq: u64, event: LogEvent) -> Vec<Effect> {
        let height = super::layout::inspect_rows(self.terminal);
        let Some(Overlay::Logs(view)) = &mut self.overlay else { return vec![] };
        if view.seq != seq {
            return vec![];
        }
        match event {
            LogEvent::Opened => view.state = LogState::Following,
            LogEvent::Lines(lines) => view.append(lines, height),
            LogEvent::Ended(None) if std::mem::take(&mut view.started_meanwhile) => {
                return vec![follow_on(view, &mut self.log_generation)];
            }
            LogEvent::Ended(error) => view.state = LogState::Ended(error.map(|e| e.to_string())),
            // Nothing was drawn yet: one line says why, and the panel stays as it was.
            LogEvent::Unreadable(why) if view.lines.is_empty() => {
                self.notice = Some(why.line(&view.name));
                self.overlay = None;
            }
            LogEvent::Unreadable(why) => view.state = LogState::Ended(Some(why.line(&view.name))),
        }
        vec![]
    }

    /// The container whose log is open started again: once its old run's log has ended, follow
    /// it on from the last line shown.
    pub(super) fn log_container_started(
        &mut self,
        kind: ChangeKind,
        action: ChangeAction,
        id: &str,
    ) -> Vec<Effect> {
        let started =
            kind == ChangeKind::Container && matches!(action, ChangeAction::Start | ChangeAction::Restart);
        let Some(Overlay::Logs(view)) = &mut self.overlay else { return vec![] };
        if !started || view.container.as_str() != id {
            return vec![];
        }
        match view.state {
            LogState::Ended(_) => vec![follow_on(view, &mut self.log_generation)],
            LogState::Following | LogState::Opening => {
                view.started_meanwhile = true;
                vec![]
            }
        }
    }
}

/// Reads the view's container's log again from just after its last line, as a new generation.
fn follow_on(view: &mut LogView, generation: &mut u64) -> Effect {
    *generation += 1;
    view.seq = *generation;
    view.state = LogState::Following;
    let from = match &view.last_timestamp {
        Some(timestamp) => LogsFrom::After(timestamp.clone()),
        None => LogsFrom::Tail(LOG_TAIL),
    };
    Effect::FollowLogs { seq: view.seq, container: view.container.clone(), from }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> LogLine {
        LogLine { stream: LogStream::Stdout, text: text.to_owned(), timestamp: None }
    }

    fn numbered(from: usize, to: usize) -> Vec<LogLine> {
        (from..=to).map(|n| line(&format!("line {n}"))).collect()
    }

    #[test]
    fn the_oldest_lines_go_past_the_bound_and_a_paused_view_keeps_its_lines() {
        let mut view = LogView::new("c".into(), "web".into(), 1);
        view.append(numbered(1, 100), 10);
        view.scroll_by(-50, 10);
        assert!(!view.following);
        let top = view.lines[view.scroll.offset].text.clone();
        view.append(numbered(101, LOG_KEPT + 20), 10);
        assert_eq!(view.lines.len(), LOG_KEPT);
        assert_eq!(view.dropped, 20);
        assert_eq!(view.lines[view.scroll.offset].text, top, "the same lines stay on screen");
        assert_eq!(view.total(), LOG_KEPT as u64 + 20);
    }

    #[test]
    fn matches_keep_their_numbers_while_old_lines_go() {
        let mut view = LogView::new("c".into(), "web".into(), 1);
        view.search = Search::kept("needle");
        view.append(vec![line("needle one"), line("hay")], 10);
        view.append(numbered(1, LOG_KEPT - 1), 10);
        view.append(vec![line("a NEEDLE two")], 10);
        assert_eq!(view.matches, [LOG_KEPT as u64 + 1], "the first match went with its line");
        assert!(view.is_match(view.lines.len() - 1));
    }

    #[test]
    fn control_characters_are_shown_and_tabs_become_spaces() {
        assert_eq!(shown("a\tb\x1b[2J"), "a       b\\x1b[2J");
        assert_eq!(shown("col1\tcol2"), "col1    col2");
    }
}
