//! `?`: the keys of the view it was pressed in.

use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use super::theme;
use crate::app::help::{Help, KEY_COLUMNS};
use crate::app::layout;
use crate::text::format::{pad, Align};

/// The keys of the view `?` was pressed in, scrolled where the help is, over everything.
pub fn render(help: &Help, frame: &mut Frame) {
    let size = (frame.area().width, frame.area().height);
    let (columns, rows) = layout::help_room(size);
    let all = help.lines(columns);
    let area = layout::help_area(size, all.len());
    let lines: Vec<Line> = all
        .iter()
        .skip(help.scroll.offset)
        .take(rows)
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!(" {}", pad(key, KEY_COLUMNS, Align::Left)), theme::key()),
                Span::raw(what.as_str()),
            ])
        })
        .collect();
    let mut block =
        Block::bordered().title(Span::styled(help.title(), theme::title())).border_style(theme::border(true));
    let below = all.len().saturating_sub(help.scroll.offset + rows);
    if below > 0 {
        block =
            block.title_bottom(Line::styled(format!(" ↓ {below} more "), theme::warning()).right_aligned());
    }
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
