//! The main table of the current panel, from the panel's column descriptions
//! (`app/columns`). Only the rows on screen are built.

use ratatui::layout::{Alignment, Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState, Wrap};
use ratatui::Frame;

use super::theme;
use super::untrusted::{fitted, fitted_middle, shown};
use crate::app::columns::{self, Cell, Column, Cut, Face, Room, Tone};
use crate::app::disk::DiskWalk;
use crate::app::panel::{Panel, SortColumn};
use crate::app::{App, Focus};
use crate::text::format::{fit, size, Align};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let view = app.view();
    // Sizes on disk sort by them too: the title says which bytes the order is by.
    let on_disk = match (app.nav.measure, view.sort.column) {
        (crate::model::Measure::OnDisk, SortColumn::Size | SortColumn::Logs) => " on disk",
        _ => "",
    };
    let arrow = if view.sort.reversed { " ▲" } else { " ▼" };
    let sort = format!("{}{on_disk}{arrow}", view.sort.column.label());
    let mut title = vec![
        Span::styled(format!(" {} ", app.nav.panel.title()), theme::title()),
        Span::styled(format!("by {sort} "), theme::dim()),
    ];
    if let Some(input) = &app.nav.filter_input {
        // Reopened and not yet edited, the kept filter shows selected: typing replaces it.
        let (before, after) = input.split();
        let style = if input.is_selected() { theme::selected() } else { theme::warning() };
        title.push(Span::styled(" /", theme::warning()));
        title.push(Span::styled(format!("{before}▏{after}"), style));
        title.push(Span::raw(" "));
    } else if !view.filter.is_empty() {
        title.push(Span::styled(format!(" /{} ", view.filter), theme::warning()));
        title.push(Span::styled(
            format!("{} of {} ", view.rows.len(), app.nav.panel.len(&app.inventory)),
            theme::dim(),
        ));
    }
    if let (Panel::Disk, Some(report)) = (app.nav.panel, &app.inventory.disk) {
        let root = &report.root;
        let total = format!(" {} ({} on disk) ", size(Some(root.total)), size(Some(root.disk_usage)));
        title.push(Span::styled(total, theme::size()));
    }
    if app.nav.panel == Panel::Tmpfs && app.inventory.tmpfs_mounts.iter().any(|t| t.used.is_some()) {
        let held = size(Some(app.inventory.totals.tmpfs_used));
        title.push(Span::styled(format!(" {held} in RAM "), theme::size()));
    }
    let marks = app.marks.count(app.nav.panel);
    if marks > 0 {
        title.push(Span::styled(format!(" {marks} marked (d/P act on them) "), theme::warning()));
    }
    // Where the selection is among the rows shown, on the bottom border: `3/10`.
    let position = match view.rows.len() {
        0 => String::new(),
        len => format!(" {}/{len} ", view.scroll.selected + 1),
    };
    let block = Block::bordered()
        .title(Line::from(title))
        .title_bottom(Line::styled(position, theme::dim()).right_aligned())
        .border_style(theme::border(app.nav.focus == Focus::Table));

    if view.rows.is_empty() {
        let message = empty_message(app);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let top = inner.height.saturating_sub(1) / 2;
        let inner = Rect { y: inner.y + top, height: inner.height - top, ..inner };
        frame.render_widget(
            Paragraph::new(message).alignment(Alignment::Center).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }

    let face = Face::Explorer {
        loading: &app.loading,
        spinner: theme::spinner(app.spinner),
        measure: app.nav.measure,
    };
    let inventory = &app.inventory;
    let records = inventory.build_cache.as_ref().map_or(&[][..], |c| c.records.as_slice());
    let table = match app.nav.panel {
        Panel::Containers => table(app, &face, columns::CONTAINERS.explorer, &inventory.containers, area),
        Panel::Volumes => table(app, &face, columns::VOLUMES.explorer, &inventory.volumes, area),
        Panel::Binds => table(app, &face, columns::BINDS.explorer, &inventory.bind_mounts, area),
        Panel::Tmpfs => table(app, &face, columns::TMPFS.explorer, &inventory.tmpfs_mounts, area),
        Panel::Images => table(app, &face, columns::IMAGES.explorer, &inventory.images, area),
        Panel::BuildCache => table(app, &face, columns::BUILD_CACHE.explorer, records, area),
        Panel::Disk => table(app, &face, columns::DISK.explorer, &inventory.disk_lines, area),
    };
    let table =
        table.block(block).column_spacing(COLUMN_GAP).row_highlight_style(if app.nav.focus == Focus::Table {
            theme::selected()
        } else {
            theme::dim().add_modifier(ratatui::style::Modifier::REVERSED)
        });
    let mut state = TableState::default().with_selected(Some(view.scroll.selected_on_screen()));
    frame.render_stateful_widget(table, area, &mut state);
}

const COLUMN_GAP: u16 = 1;

/// The panel's table from its column descriptions: the rows on screen only, each cell shown
/// visibly and cut with `…` to the width its column gets (ratatui's table would cut it without a
/// sign).
fn table<'a, R>(app: &App, face: &Face, columns: &[Column<R>], items: &'a [R], area: Rect) -> Table<'a> {
    let view = app.view();
    let columns = fitting(columns, area.width.saturating_sub(2));
    let columns = columns.as_slice();
    let widths = widths(columns, area.width.saturating_sub(2));
    let header: Vec<ratatui::widgets::Cell> = columns
        .iter()
        .zip(&widths)
        .map(|(column, &width)| fit(column.header, usize::from(width)).into_owned().into())
        .collect();
    let height = usize::from(area.height.saturating_sub(3));
    let rows: Vec<Row> = (view.rows.iter().skip(view.scroll.offset).take(height))
        .filter_map(|&i| Some((i, items.get(i)?)))
        .map(|(i, item)| {
            let marked = app.marks.contains(&app.nav.panel.row_key(&app.inventory, i));
            let cells = columns.iter().zip(&widths).enumerate().map(|(n, (column, &width))| {
                // Only the first column, the name, carries the mark.
                draw_cell(column, (column.cell)(item, face), usize::from(width), marked && n == 0)
            });
            Row::new(cells.collect::<Vec<_>>())
        })
        .collect();
    Table::new(rows, widths.iter().map(|&width| Constraint::Length(width)))
        .header(Row::new(header).style(theme::header_row()))
}

/// The columns that share the width keep at least this many between them, and each name or
/// path at least `NAME_KEEPS`: on a narrow terminal other columns give way first.
const NAMES_KEEP: u16 = 16;
const NAME_KEEPS: u16 = 14;

/// The columns that fit `width` with room for the names: the panel's, less (from the right)
/// shared lists such as options, then fixed columns, while the names would be cramped. The
/// first column and essential ones always stay.
fn fitting<R>(columns: &[Column<R>], width: u16) -> Vec<&Column<R>> {
    let mut kept: Vec<&Column<R>> = columns.iter().collect();
    loop {
        let fixed: u16 = kept
            .iter()
            .filter_map(|c| match c.room {
                Room::Exactly(n) => Some(n),
                Room::Share(_) => None,
            })
            .sum();
        let weights: u16 = kept
            .iter()
            .filter_map(|c| match c.room {
                Room::Share(weight) => Some(weight),
                Room::Exactly(_) => None,
            })
            .sum();
        let gaps = COLUMN_GAP * u16::try_from(kept.len().saturating_sub(1)).unwrap_or(u16::MAX);
        let shared = width.saturating_sub(fixed + gaps);
        let narrowest_name = kept
            .iter()
            .filter_map(|c| match (c.room, c.cut) {
                (Room::Share(weight), Cut::Middle) => Some(shared * weight / weights.max(1)),
                _ => None,
            })
            .min()
            .unwrap_or(shared);
        if shared >= NAMES_KEEP && narrowest_name >= NAME_KEEPS {
            return kept;
        }
        let last = |wanted: fn(&Column<R>) -> bool| {
            kept.iter().rposition(|c| wanted(c) && !c.essential).filter(|&at| at > 0)
        };
        let list = last(|c| matches!((c.room, c.cut), (Room::Share(_), Cut::End)));
        match list.or_else(|| last(|c| matches!(c.room, Room::Exactly(_)))) {
            Some(at) => {
                kept.remove(at);
            }
            None => return kept,
        }
    }
}

/// What each column gets of `width`, by its rule: the split ratatui's table would make, done here
/// so each cell can be cut to it.
fn widths<R>(columns: &[&Column<R>], width: u16) -> Vec<u16> {
    let rules = columns.iter().map(|column| match column.room {
        Room::Exactly(columns) => Constraint::Length(columns),
        Room::Share(weight) => Constraint::Fill(weight),
    });
    let areas =
        Layout::horizontal(rules).flex(Flex::Start).spacing(COLUMN_GAP).split(Rect::new(0, 0, width, 1));
    areas.iter().map(|area| area.width).collect()
}

/// A cell shown visibly, cut to its width where its column cuts, in its tone; a marked row's name
/// after `● `.
fn draw_cell<'a, R>(
    column: &Column<R>,
    cell: Cell,
    width: usize,
    marked: bool,
) -> ratatui::widgets::Cell<'a> {
    let mark = if marked { "● " } else { "" };
    let room = width.saturating_sub(mark.chars().count());
    let shown = match column.cut {
        Cut::Middle => fitted_middle(&cell.text, room),
        Cut::End => fitted(&cell.text, room),
    };
    let text = Span::styled(shown, style(cell.tone));
    let line =
        if marked { Line::from(vec![Span::styled(mark, theme::warning()), text]) } else { Line::from(text) };
    let alignment = match column.align {
        Align::Left => Alignment::Left,
        Align::Right => Alignment::Right,
    };
    ratatui::widgets::Cell::from(Text::from(line).alignment(alignment))
}

fn style(tone: Tone) -> Style {
    match tone {
        Tone::Plain => Style::new(),
        Tone::Quiet => theme::dim(),
        Tone::Warning => theme::warning(),
        Tone::Error => theme::error(),
        Tone::State(state) => theme::state(Some(state)),
        Tone::Danger { writable } => theme::danger(writable),
    }
}

fn empty_message(app: &App) -> Text<'static> {
    let loading = &app.loading;
    if loading.connecting() || (loading.lists_loading() && app.nav.panel.len(&app.inventory) == 0) {
        let what = if loading.connecting() { "Connecting to the engine" } else { "Loading" };
        return Line::styled(format!("{} {what}…", theme::spinner(app.spinner)), theme::warning()).into();
    }
    if !app.view().filter.is_empty() {
        return Line::styled(
            format!("No {} match “{}” (Esc clears)", app.nav.panel.title().to_lowercase(), app.view().filter),
            theme::dim(),
        )
        .into();
    }
    let text = match app.nav.panel {
        Panel::Containers => "No containers on this engine",
        Panel::Volumes => "No volumes on this engine",
        Panel::Binds => "No container bind-mounts a host path",
        Panel::Tmpfs => "No container has a tmpfs mount",
        Panel::Images => "No images on this engine",
        Panel::Disk => return disk_message(app),
        Panel::BuildCache => match (&app.inventory.build_cache, &loading.images.failed) {
            (Some(_), _) => "The build cache is empty: nothing was built here with BuildKit",
            (None, Some(_)) => "The build cache could not be measured (r retries)",
            (None, None) if loading.images.build_cache_deferred && !loading.images.measuring => {
                "The build cache is not measured: only /system/df knows it on this engine (r measures it)"
            }
            (None, None) => {
                return Line::styled(
                    format!("{} Measuring the build cache (/system/df)…", theme::spinner(app.spinner)),
                    theme::warning(),
                )
                .into()
            }
        },
    };
    Line::styled(text, theme::dim()).into()
}

/// The Disk panel before its rows: how far the walk has got, or why the root cannot be read here
/// and what the engine counts itself instead.
fn disk_message(app: &App) -> Text<'static> {
    let root = app.inventory.engine.root_dir.as_deref().unwrap_or("the engine's root");
    match &app.loading.disk {
        DiskWalk::Walking { progress, .. } => {
            let so_far = progress.map_or_else(String::new, |p| {
                format!(
                    ": {} files · {} · {}/{} folders",
                    p.files,
                    size(Some(p.bytes)),
                    p.folders_done,
                    p.folders
                )
            });
            Line::styled(
                format!("{} Walking {}{so_far}", theme::spinner(app.spinner), shown(root)),
                theme::warning(),
            )
            .into()
        }
        DiskWalk::Unreadable(why) => {
            let t = &app.inventory.totals;
            Text::from(vec![
                Line::styled(shown(&why.to_string()).into_owned(), theme::warning()),
                Line::raw(""),
                Line::raw(format!(
                    "What the engine counts itself: images {} · containers' layers {} · volumes {} · build cache {}",
                    size(t.images_size),
                    size(Some(t.containers_size_rw)),
                    size(Some(t.volumes_size)),
                    size(t.build_cache_size)
                )),
                Line::styled("(logs, orphans and the engine's own files are in none of these)", theme::dim()),
            ])
        }
        DiskWalk::NotAsked | DiskWalk::Walked => {
            Line::styled("The engine's root has not been walked yet: r walks it", theme::dim()).into()
        }
    }
}
