//! The inspect overlay: coloured JSON, the search line, the reveal state.

use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use super::theme;
use super::untrusted::shown;
use crate::app::inspect::InspectView;

pub fn render(view: &InspectView, tick: usize, frame: &mut Frame, area: Rect) {
    let secrets = if view.revealed { "secrets shown" } else { "secrets masked" };
    let block = Block::bordered()
        .title(Span::styled(format!(" inspect {} ", shown(&view.title())), theme::title()))
        .title_bottom(Span::styled(
            format!(" {secrets} · line {}/{} ", view.scroll.offset + 1, view.lines.len()),
            theme::dim(),
        ))
        .border_style(theme::border(true));
    frame.render_widget(Clear, area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if let Some(error) = &view.error {
        frame.render_widget(Paragraph::new(Line::styled(shown(error).into_owned(), theme::error())), inner);
        return;
    }
    if view.is_loading() {
        frame.render_widget(Paragraph::new(format!("{} loading…", theme::spinner(tick))), inner);
        return;
    }
    let height = usize::from(inner.height.saturating_sub(1));
    let current = view.current_match.map(|i| view.matches[i]);
    let lines: Vec<Line> = view
        .lines
        .iter()
        .enumerate()
        .skip(view.scroll.offset)
        .take(height)
        .map(|(number, text)| {
            // serde escapes control characters in JSON strings, but not a bidi override.
            let line = colour_json(&shown(text));
            if Some(number) == current {
                line.style(theme::selected())
            } else if view.matches.binary_search(&number).is_ok() {
                line.style(Style::new().bg(Color::Rgb(60, 60, 0)))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), Rect { height: inner.height.saturating_sub(1), ..inner });
    let search = super::search::line(&view.search, view.matches.len(), view.current_match, "/ to search");
    frame.render_widget(
        Paragraph::new(search),
        Rect { y: inner.bottom().saturating_sub(1), height: 1, ..inner },
    );
}

/// One line of pretty JSON: keys, strings, numbers and literals in their own colours.
fn colour_json(line: &str) -> Line<'static> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let mut spans = vec![Span::raw(line[..indent].to_owned())];
    let (key, value) = match rest.strip_prefix('"').and_then(|r| split_key(r)) {
        Some((key, value)) => (Some(key), value),
        None => (None, rest),
    };
    if let Some(key) = key {
        spans.push(Span::styled(format!("\"{key}\""), Style::new().fg(Color::Cyan)));
        spans.push(Span::raw(": "));
    }
    let trimmed = value.trim_end_matches(',');
    let style = match trimmed.chars().next() {
        Some('"') => Style::new().fg(Color::Green),
        Some('0'..='9' | '-') => Style::new().fg(Color::Magenta),
        Some('t' | 'f' | 'n') => Style::new().fg(Color::Yellow),
        _ => Style::new(),
    };
    spans.push(Span::styled(value.to_owned(), style));
    Line::from(spans)
}

/// `Key": value` → (`Key`, `value`), honouring escaped quotes in the key.
fn split_key(rest: &str) -> Option<(&str, &str)> {
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return rest[i + 1..].strip_prefix(": ").map(|value| (&rest[..i], value)),
            _ => escaped = false,
        }
    }
    None
}
