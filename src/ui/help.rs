//! `?`: every key, in one place.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use super::theme;
use crate::text::format::{pad, Align};

pub const KEYS: &[(&str, &str)] = &[
    ("↑ ↓  j k", "move the selection"),
    ("PgUp PgDn  g G", "a page / the first or last row (Home End)"),
    ("Tab Shift-Tab  1–6", "switch panel (5 Images, 6 Build cache)"),
    ("Enter", "into the detail's links; Enter again follows"),
    ("Esc  Backspace", "leave links, clear filter, or go back"),
    ("/", "filter rows as you type (Esc clears)"),
    ("s  S", "cycle sort column, reverse it"),
    ("i", "inspect (/ n N search, v shows secrets)"),
    ("o", "look inside a volume, a container's layer, a bind"),
    ("r", "refresh everything, sizes included"),
    ("Space  d", "mark; remove selected or marked, after a preview"),
    ("P", "prune: stopped containers, volumes, images"),
    ("c  a", "new volume / new container on it (Volumes)"),
    ("e  A", "shell in / attach to a running container"),
    ("x  L", "start, stop, pause… a container / its log"),
    ("E  -", "engines (docker contexts) / the previous one"),
    ("mouse", "wheel scrolls, click selects a row or tab"),
    ("?  q  Ctrl-C", "this help / quit"),
];

pub fn render(frame: &mut Frame, body: Rect) {
    let width = 72.min(body.width);
    let height = (KEYS.len() as u16 + 2).min(body.height);
    let area =
        Rect { x: body.x + (body.width - width) / 2, y: body.y + (body.height - height) / 2, width, height };
    let mut lines = Vec::new();
    lines.extend(KEYS.iter().map(|(key, what)| {
        Line::from(vec![
            Span::styled(format!(" {}", pad(key, 20, Align::Left)), theme::key()),
            Span::raw(*what),
        ])
    }));
    let block =
        Block::bordered().title(Span::styled(" Keys ", theme::title())).border_style(theme::border(true));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
