//! The log view: the container's lines (stderr marked in the gutter), whether it follows or
//! where it is paused, how many lines were dropped, and the search.

use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use super::theme;
use crate::app::logs::{LogState, LogView, LOG_KEPT};
use crate::text::format::fit;
use crate::text::sanitize::visible;

/// Before each line: `▌` for stderr, a space for stdout.
const GUTTER: usize = 2;

pub fn render(view: &LogView, frame: &mut Frame, area: Rect) {
    // Nothing shows until the engine has answered: a log that cannot be read is a notice.
    if view.is_opening() {
        return;
    }
    let inner_height = usize::from(area.height.saturating_sub(3));
    let total = view.total();
    let state = match &view.state {
        LogState::Ended(Some(error)) => format!("ended: {error}"),
        LogState::Ended(None) => "ended: the container is not running".to_owned(),
        _ if view.following => "following".to_owned(),
        _ => format!("paused at line {}/{total} · End follows", view.bottom_line(inner_height)),
    };
    let kept = if view.dropped > 0 {
        format!(" {} lines kept, the oldest {} dropped ", LOG_KEPT, view.dropped)
    } else {
        format!(" {total} line{} ", if total == 1 { "" } else { "s" })
    };
    let title = format!(" log {} · {state} ", visible(&view.name));
    let block = Block::bordered()
        .title(Span::styled(
            fit(&title, usize::from(area.width.saturating_sub(2))).into_owned(),
            theme::title(),
        ))
        .title_bottom(Span::styled(kept, theme::dim()))
        .border_style(theme::border(true));
    frame.render_widget(Clear, area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let columns = usize::from(inner.width).saturating_sub(GUTTER);
    let needle = view.search.query().to_lowercase();
    // A resize since the last line came: a following view still ends on the newest line.
    let last_screen = view.lines.len().saturating_sub(inner_height);
    let first = if view.following { last_screen } else { view.scroll.offset.min(last_screen) };
    let lines: Vec<Line> = (view.lines.iter().enumerate())
        .skip(first)
        .take(inner_height)
        .map(|(index, line)| {
            let gutter =
                if line.stderr { Span::styled("▌ ", Style::new().fg(Color::Red)) } else { Span::raw("  ") };
            let text = fit(&line.text, columns);
            let mut spans = vec![gutter];
            if view.is_match(index) && !needle.is_empty() {
                spans.extend(highlighted(&text, &needle));
            } else {
                spans.push(Span::raw(text.into_owned()));
            }
            let shown = Line::from(spans);
            if view.is_current_match(index) {
                shown.style(theme::selected())
            } else {
                shown
            }
        })
        .collect();
    let body = Rect { height: inner.height.saturating_sub(1), ..inner };
    if view.lines.is_empty() {
        frame.render_widget(Paragraph::new(Line::styled(" nothing logged yet", theme::dim())), body);
    } else {
        frame.render_widget(Paragraph::new(lines), body);
    }
    let search =
        super::search::line(&view.search, view.matches.len(), view.current_match, "/ to search · ▌ stderr");
    frame.render_widget(
        Paragraph::new(search),
        Rect { y: inner.bottom().saturating_sub(1), height: 1, ..inner },
    );
}

/// The line with each case-insensitive occurrence of `needle` marked. Where lower-casing changes
/// a line's length (rare scripts), the whole line is marked instead.
fn highlighted(text: &str, needle: &str) -> Vec<Span<'static>> {
    let mark = Style::new().fg(Color::Black).bg(Color::Yellow);
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        return vec![Span::styled(text.to_owned(), mark)];
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for (start, found) in lower.match_indices(needle) {
        if start < at || !text.is_char_boundary(start) || !text.is_char_boundary(start + found.len()) {
            continue;
        }
        spans.push(Span::raw(text[at..start].to_owned()));
        spans.push(Span::styled(text[start..start + found.len()].to_owned(), mark));
        at = start + found.len();
    }
    spans.push(Span::raw(text[at..].to_owned()));
    spans
}
