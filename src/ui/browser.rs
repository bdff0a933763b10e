//! The browser overlay: one folder's entries with size, a bar of their share of the folder, file
//! counts, ncdu's `H` on each name of a hard-linked file and, in a writable layer, what the
//! container did to each. Reads prepared rows only.

use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use super::theme;
use super::untrusted::{fitted, shown};
use crate::app::browser::{Browser, Contents};
use crate::measure::{Change, NodeKind, SortBy};
use crate::text::format::{fit, pad, size, Align};

const BAR: usize = 12;

pub fn render(view: &Browser, tick: usize, frame: &mut Frame, area: Rect) {
    let what = match view.target {
        crate::model::browse::Target::Volume(_) => "volume",
        crate::model::browse::Target::Container(_) => "layer of",
        crate::model::browse::Target::Bind(_) => "bind",
        crate::model::browse::Target::Path(_) => "folder",
    };
    let sort = match view.sort {
        SortBy::Size => "by size",
        SortBy::Name => "by name",
        SortBy::Count => "by files",
    };
    let block = Block::bordered()
        .title(Span::styled(format!(" inside {what} {} ", shown(&view.label)), theme::title()))
        .title_bottom(Span::styled(
            format!(" {sort}{} ", if view.reversed { ", reversed" } else { "" }),
            theme::dim(),
        ))
        .title_bottom(
            Line::styled(
                match view.len() {
                    0 => String::new(),
                    len => format!(" {}/{len} ", view.scroll.selected + 1),
                },
                theme::dim(),
            )
            .right_aligned(),
        )
        .border_style(theme::border(true));
    frame.render_widget(Clear, area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let (total, files) = view.totals();
    let mut lines = Vec::new();
    let status = match &view.contents {
        Contents::Counting(_) => Line::from(vec![
            Span::styled(format!("{} counting… ", theme::spinner(tick)), theme::warning()),
            Span::raw(format!(
                "{} in {} so far",
                size(Some(total)),
                crate::text::format::count(files, "file")
            )),
        ]),
        Contents::Ready { source, .. } => Line::from(vec![
            Span::styled(fitted(&view.path(), width.saturating_sub(40)), theme::title()),
            Span::raw(format!("  {} in {}", size(Some(total)), crate::text::format::count(files, "file"))),
            Span::styled(format!("  measured by the {}", source.as_str()), theme::dim()),
        ]),
        Contents::Failed(why) => Line::styled(fitted(why, width), theme::error()),
    };
    lines.push(status);
    lines.push(if view.is_layer() {
        Line::styled(
            fit("Lost when the container is removed: move what matters to a volume.", width).into_owned(),
            theme::warning(),
        )
    } else {
        Line::raw("")
    });
    let name_width = width.saturating_sub(10 + 2 + BAR + 2 + 9 + 2 + 2);
    lines.push(Line::styled(
        format!(
            "{}  {}  {}  {}",
            pad("SIZE", 10, Align::Right),
            pad("SHARE", BAR, Align::Left),
            pad("FILES", 9, Align::Right),
            "NAME"
        ),
        theme::header_row(),
    ));
    let height = usize::from(inner.height.saturating_sub(4));
    let shown = (view.scroll.offset..view.len().min(view.scroll.offset + height))
        .filter_map(|i| view.row(i).map(|r| (i, r)));
    for (i, row) in shown {
        let share = if total == 0 { 0.0 } else { row.size as f64 / total as f64 };
        let filled = ((share * BAR as f64).round() as usize).min(BAR);
        let (mark, mark_style) = match row.change {
            Some(Change::Added) => ("+", Style::new().fg(Color::Green)),
            Some(Change::Changed) => ("~", Style::new().fg(Color::Yellow)),
            Some(Change::Deleted) => ("-", Style::new().fg(Color::Red)),
            None => (" ", Style::new()),
        };
        let files = if row.kind == NodeKind::Dir { row.files.to_string() } else { String::new() };
        // In the gap after FILES, which only folders fill and a folder is never a hard link.
        let link = if row.hard_link { "H" } else { " " };
        let slash = if row.kind == NodeKind::Dir { "/" } else { "" };
        let name = fitted(&format!("{}{slash}", row.name), name_width);
        let mut line = Line::from(vec![
            Span::styled(pad(&size(Some(row.size)), 10, Align::Right), theme::size()),
            Span::raw("  "),
            Span::styled("█".repeat(filled), Style::new().fg(Color::Cyan)),
            Span::styled("░".repeat(BAR - filled), theme::dim()),
            Span::raw("  "),
            Span::raw(pad(&files, 9, Align::Right)),
            Span::styled(link, Style::new().fg(Color::Magenta)),
            Span::styled(mark, mark_style),
            Span::raw(" "),
            Span::raw(name),
        ]);
        if i == view.scroll.selected {
            line = line.style(theme::selected());
        }
        lines.push(line);
    }
    if view.is_empty() && !matches!(view.contents, Contents::Failed(_)) {
        lines.push(Line::styled("(empty)", theme::dim()));
    }
    frame.render_widget(Paragraph::new(lines), Rect { height: inner.height.saturating_sub(1), ..inner });
    let legend = match (view.is_layer(), view.has_hard_links()) {
        (true, true) => "+ added  ~ changed  - deleted  H one file, several names: counted once",
        (true, false) => "+ added  ~ changed  - deleted",
        (false, true) => "H one file with several names: each shows its size, totals count it once",
        (false, false) => "",
    };
    let bottom = match &view.notice {
        // The notice quotes a folder's name.
        Some(notice) => Line::styled(fitted(notice, width), theme::warning()),
        None => Line::styled(fit(legend, width).into_owned(), theme::dim()),
    };
    frame.render_widget(
        Paragraph::new(bottom),
        Rect { y: inner.bottom().saturating_sub(1), height: 1, ..inner },
    );
}
