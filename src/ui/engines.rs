//! `E`: the engines the user has, one per docker context, with where each is and whether it
//! answers; the filter typed so far on top.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use super::theme;
use super::untrusted::{fitted, padded, shown};
use crate::app::engines::{EnginePicker, Reach};
use crate::app::layout;
use crate::text::format::Align;

const NAME_COLUMNS: usize = 18;
const HOST_COLUMNS: usize = 32;
/// The marker and the gaps between columns.
const ROW_COLUMNS_BESIDES_REACH: usize = 3 + NAME_COLUMNS + 1 + HOST_COLUMNS + 1;

pub fn render(picker: &EnginePicker, tick: usize, frame: &mut Frame, body: Rect) {
    let area = layout::list_dialog(body);
    let inner_rows = usize::from(area.height.saturating_sub(2));
    let reach_columns = usize::from(area.width.saturating_sub(2)).saturating_sub(ROW_COLUMNS_BESIDES_REACH);
    let mut lines = vec![Line::from(vec![
        Span::raw(" filter "),
        Span::styled(format!("{}▏", picker.filter), theme::key()),
        Span::styled("  type to filter · Enter switches · Esc closes", theme::dim()),
    ])];
    let Some(_) = &picker.rows else {
        lines.push(Line::styled(
            format!(" {} reading the docker contexts", theme::spinner(tick)),
            theme::warning(),
        ));
        return draw(frame, area, lines);
    };
    let listed = picker.shown();
    if listed.is_empty() {
        lines.push(Line::styled(" no context matches the filter", theme::dim()));
    }
    // Keep the selection in view under the filter line.
    let room = inner_rows.saturating_sub(1).max(1);
    let first = picker.selected.saturating_sub(room - 1);
    for (position, row) in listed.iter().enumerate().skip(first).take(room) {
        let marker = if row.name == picker.current {
            "● "
        } else if picker.previous.as_deref() == Some(row.name.as_str()) {
            "↩ "
        } else {
            "  "
        };
        let (reach, style) = match &row.reach {
            Reach::Checking => (format!("{} checking", theme::spinner(tick)), theme::dim()),
            Reach::Answers { product, containers, volumes } => (
                format!("{} · {containers} containers · {volumes} volumes", shown(product)),
                ratatui::style::Style::new(),
            ),
            Reach::Fails(why) => (format!("✗ {}", shown(why)), theme::error()),
        };
        let reach = fitted(&reach, reach_columns);
        let mut spans = vec![
            Span::raw(format!(" {marker}")),
            Span::raw(padded(&row.name, NAME_COLUMNS, Align::Left)),
            Span::raw(" "),
            Span::styled(padded(&row.host, HOST_COLUMNS, Align::Left), theme::dim()),
            Span::raw(" "),
            Span::styled(reach, style),
        ];
        if position == picker.selected {
            spans = spans.into_iter().map(|span| span.patch_style(theme::selected())).collect();
        }
        lines.push(Line::from(spans));
    }
    draw(frame, area, lines);
}

fn draw(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    let block = Block::bordered()
        .title(Span::styled(" Engines (docker contexts) ", theme::title()))
        .border_style(theme::border(true));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
