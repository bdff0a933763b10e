//! `?`: the keys of the view it is pressed in, over that view; `Esc` returns to it as it was.

use crossterm::event::{KeyCode, KeyEvent};

use super::scroll::Scroll;

/// Which view's keys the help shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Explorer,
    Browser,
    Inspect,
    Logs,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Help {
    pub topic: Topic,
    pub scroll: Scroll,
}

/// The key column's width; what the key does starts after it.
pub const KEY_COLUMNS: usize = 20;

const EXPLORER: &[(&str, &str)] = &[
    ("↑ ↓  j k", "move the selection"),
    ("PgUp PgDn  g G", "a page / the first or last row (Home End)"),
    ("Tab Shift-Tab  1–7", "switch panel (5 Images, 6 Cache, 7 Disk)"),
    ("Enter", "into the detail's links; Enter again follows"),
    ("→  l", "the detail pane: ↑↓ PgUp PgDn scroll it, Esc back"),
    ("Esc  Backspace", "leave the detail, clear filter, or go back"),
    ("/", "filter by name or label, Esc closes it"),
    ("s  S", "cycle sort column, reverse it"),
    ("i", "inspect (/ n N search, v shows secrets)"),
    ("o", "look inside a volume, a container's layer, a bind"),
    ("r", "refresh everything, sizes included"),
    ("Space  *  u", "mark one / every row shown / clear the marks"),
    ("d  P", "remove selected or marked / prune, previewed"),
    ("c  a", "new volume / new container on it (Volumes)"),
    ("e  A", "shell in / attach to a running container"),
    ("x  L", "start, stop, pause… a container / its log"),
    ("T", "truncate the selected or marked logs, previewed"),
    ("D", "sizes: apparent (the engine's) ↔ on disk"),
    ("E  -", "engines (docker contexts) / the previous one"),
    ("mouse", "wheel scrolls, click selects a row or tab"),
    ("?  q  Ctrl-C", "this help / quit"),
];

const BROWSER: &[(&str, &str)] = &[
    ("↑ ↓  j k", "move the selection"),
    ("PgUp PgDn  g G", "a page / the first or last entry"),
    ("Enter  →  l", "open the folder (once counted)"),
    ("Backspace  ←  h", "up, back on the folder you came from"),
    ("s", "sort by size, by name (d2 before d19), by files"),
    ("S", "reverse the order"),
    ("H", "marks each name of a file with several names"),
    ("E", "engines, over the browser"),
    ("Esc  q", "close, back to the same row (stops a count)"),
    ("?", "this help"),
];

const INSPECT: &[(&str, &str)] = &[
    ("↑ ↓  j k", "scroll a line"),
    ("PgUp PgDn  Space", "scroll a page"),
    ("g G  Home End", "the top / the end"),
    ("/", "search as you type, Enter keeps it"),
    ("n  N", "next / previous match"),
    ("v", "show or mask secrets (environment, secret labels)"),
    ("Esc  q  i", "close"),
    ("?", "this help"),
];

const LOGS: &[(&str, &str)] = &[
    ("↑ ↓  j k", "scroll a line; up pauses following"),
    ("PgUp PgDn  Space", "scroll a page"),
    ("g  Home", "the first line kept"),
    ("G  End  f", "the end, following again"),
    ("/", "search as you type, Enter keeps it"),
    ("n  N", "next / previous match"),
    ("Esc  q  L", "close, back to the same row"),
    ("?", "this help"),
];

impl Help {
    pub fn new(topic: Topic) -> Self {
        Help { topic, scroll: Scroll::default() }
    }

    pub fn title(&self) -> &'static str {
        match self.topic {
            Topic::Explorer => " Keys ",
            Topic::Browser => " Keys: looking inside ",
            Topic::Inspect => " Keys: inspect ",
            Topic::Logs => " Keys: the log ",
        }
    }

    pub fn keys(&self) -> &'static [(&'static str, &'static str)] {
        match self.topic {
            Topic::Explorer => EXPLORER,
            Topic::Browser => BROWSER,
            Topic::Inspect => INSPECT,
            Topic::Logs => LOGS,
        }
    }

    /// The lines shown in `columns`: each key beside what it does, which wraps under itself
    /// where the help is narrower than the text.
    pub fn lines(&self, columns: usize) -> Vec<(&'static str, String)> {
        let room = columns.saturating_sub(KEY_COLUMNS + 1).max(1);
        let mut lines = Vec::new();
        for &(key, what) in self.keys() {
            let wrapped = super::detail::wrap(vec![super::detail::Row::plain(what)], room);
            for (i, row) in wrapped.iter().enumerate() {
                lines.push((if i == 0 { key } else { "" }, row.text()));
            }
        }
        lines
    }

    /// Keys while the help shows, `height` lines of `columns` at once; true when it closes.
    pub fn on_key(&mut self, key: KeyEvent, (columns, height): (usize, usize)) -> bool {
        let len = self.lines(columns).len();
        match key.code {
            KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter => return true,
            KeyCode::Up | KeyCode::Char('k') => self.scroll.scroll_by(-1, len, height),
            KeyCode::Down | KeyCode::Char('j') => self.scroll.scroll_by(1, len, height),
            KeyCode::PageUp => self.scroll.scroll_by(-(height as isize), len, height),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll.scroll_by(height as isize, len, height),
            _ => {}
        }
        false
    }
}
