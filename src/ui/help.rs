//! `?`: the keys of the view it was pressed in.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use super::theme;
use crate::app::help::Help;
use crate::text::format::{pad, Align};

/// The keys of the view `?` was pressed in, scrolled where the help is, over everything.
pub fn render(help: &Help, frame: &mut Frame, body: Rect) {
    let keys = help.keys();
    let width = 72.min(body.width);
    let height = (keys.len() as u16 + 2).min(body.height);
    let area =
        Rect { x: body.x + (body.width - width) / 2, y: body.y + (body.height - height) / 2, width, height };
    let rows = usize::from(height.saturating_sub(2));
    let lines: Vec<Line> = keys
        .iter()
        .skip(help.scroll.offset)
        .take(rows)
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!(" {}", pad(key, 20, Align::Left)), theme::key()),
                Span::raw(*what),
            ])
        })
        .collect();
    let mut block =
        Block::bordered().title(Span::styled(help.title(), theme::title())).border_style(theme::border(true));
    let below = keys.len().saturating_sub(help.scroll.offset + rows);
    if below > 0 {
        block =
            block.title_bottom(Line::styled(format!(" ↓ {below} more "), theme::warning()).right_aligned());
    }
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
