//! The detail pane: the rows `app/detail` says, coloured by tone, scrolled where the app says,
//! with what is cut above or below named on its border.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::theme;
use crate::app::detail::{Row, Tone};
use crate::app::{App, Focus};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.nav.focus == Focus::Detail;
    let height = usize::from(area.height.saturating_sub(2));
    let rows = app.detail_rows(usize::from(area.width.saturating_sub(2)));
    let scroll = app.nav.detail_scroll.min(rows.len().saturating_sub(height));
    let below = rows.len().saturating_sub(scroll + height);
    let mut block = Block::bordered()
        .title(Span::styled(" Details ", theme::title()))
        .border_style(theme::border(focused));
    if scroll > 0 {
        block = block.title(Line::styled(format!(" ↑ {scroll} more "), theme::warning()).right_aligned());
    }
    if below > 0 {
        // Said where it is cut, with the key that shows the rest.
        let how = if focused { "PgDn" } else { "→ to scroll" };
        block = block.title_bottom(
            Line::styled(format!(" ↓ {below} more · {how} "), theme::warning()).right_aligned(),
        );
    }
    let chosen = focused.then_some(app.nav.link);
    let lines: Vec<Line> = rows
        .iter()
        .skip(scroll)
        .take(height)
        .map(|row| {
            let line = line(row);
            match (row.link, chosen) {
                (Some(link), Some(chosen)) if link == chosen => line.style(theme::selected()),
                _ => line,
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn line(row: &Row) -> Line<'static> {
    Line::from(row.pieces.iter().map(|p| Span::styled(p.text.clone(), style(&p.tone))).collect::<Vec<_>>())
}

fn style(tone: &Tone) -> Style {
    match tone {
        Tone::Plain => Style::new(),
        Tone::Title => theme::title(),
        Tone::Quiet => theme::dim(),
        Tone::Heading => theme::header_row(),
        Tone::Warning => theme::warning(),
        Tone::Error => theme::error(),
        Tone::Size => theme::size(),
        Tone::State(state) => theme::state(state.as_ref()),
        Tone::Danger { writable } => theme::danger(*writable),
    }
}
