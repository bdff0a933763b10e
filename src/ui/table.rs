//! The main table of the current panel. Only the rows on screen are built.

use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState};
use ratatui::Frame;

use super::theme;
use crate::app::panel::{Panel, RowKey};
use crate::app::{App, Focus};
use crate::model::tmpfs::TmpfsUnread;
use crate::text::format::{danger_marker, image_name, mode, size, volume_name};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let view = app.view();
    let sort = format!("{}{}", view.sort.column.label(), if view.sort.reversed { " ▲" } else { " ▼" });
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
    if app.nav.panel == Panel::Tmpfs && app.inventory.tmpfs_mounts.iter().any(|t| t.used.is_some()) {
        let held = size(Some(app.inventory.totals.tmpfs_used));
        title.push(Span::styled(format!(" {held} in RAM "), theme::size()));
    }
    let marks = app.marks.count(app.nav.panel);
    if marks > 0 {
        title.push(Span::styled(format!(" {marks} marked (d/P act on them) "), theme::warning()));
    }
    let block =
        Block::bordered().title(Line::from(title)).border_style(theme::border(app.nav.focus == Focus::Table));

    if view.rows.is_empty() {
        let message = empty_message(app);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let top = inner.height.saturating_sub(1) / 2;
        let inner = Rect { y: inner.y + top, height: inner.height - top, ..inner };
        frame.render_widget(Paragraph::new(message).alignment(Alignment::Center), inner);
        return;
    }

    let height = usize::from(area.height.saturating_sub(3));
    let visible = view.rows.iter().skip(view.scroll.offset).take(height);
    // A size still coming shows the spinner; one that no one could measure, `?`.
    let sized = |bytes: Option<u64>, waiting: bool| match bytes {
        Some(bytes) => size(Some(bytes)),
        None if waiting => theme::spinner(app.spinner).to_owned(),
        None => "?".to_owned(),
    };
    let (header, widths, rows): (Vec<&str>, Vec<Constraint>, Vec<Row>) = match app.nav.panel {
        Panel::Containers => (
            vec!["NAME", "STATE", "IMAGE", "WRITABLE", "VIRTUAL", "MOUNTS"],
            vec![
                Constraint::Fill(3),
                Constraint::Length(10),
                Constraint::Fill(2),
                Constraint::Length(10),
                Constraint::Length(10),
                Constraint::Length(6),
            ],
            visible
                .map(|&i| {
                    let c = &app.inventory.containers[i];
                    let waiting = app.loading.containers.is_waiting(&c.id);
                    Row::new(vec![
                        marked(app, &RowKey::Container(c.id.clone()), c.name.clone()),
                        Cell::from(Span::styled(c.state.as_str(), theme::state(Some(&c.state)))),
                        Cell::from(image_name(&c.image)),
                        right(sized(c.size_rw, waiting)),
                        right(sized(c.size_root_fs, waiting)),
                        right(c.mounts.len().to_string()),
                    ])
                })
                .collect(),
        ),
        Panel::Volumes => (
            vec!["NAME", "DRIVER", "SIZE", "USERS", "", "CREATED"],
            vec![
                Constraint::Fill(3),
                Constraint::Length(8),
                Constraint::Length(10),
                Constraint::Length(5),
                Constraint::Length(9),
                Constraint::Length(20),
            ],
            visible
                .map(|&i| {
                    let v = &app.inventory.volumes[i];
                    let size = sized(v.size, app.loading.volumes.is_waiting(&v.name));
                    let badge =
                        if v.dangling { Span::styled("dangling", theme::warning()) } else { Span::raw("") };
                    Row::new(vec![
                        marked(app, &RowKey::Volume(v.name.clone()), volume_name(&v.name, v.anonymous)),
                        Cell::from(v.driver.as_str()),
                        right(size),
                        right(v.ref_count.to_string()),
                        Cell::from(badge),
                        Cell::from(Span::styled(
                            v.created_at.as_deref().unwrap_or("").replace('T', " "),
                            theme::dim(),
                        )),
                    ])
                })
                .collect(),
        ),
        Panel::Binds => (
            vec!["", "HOST PATH", "CONTAINER", "DESTINATION", "MODE", ""],
            vec![
                Constraint::Length(2),
                Constraint::Fill(3),
                Constraint::Fill(2),
                Constraint::Fill(2),
                Constraint::Length(4),
                Constraint::Length(8),
            ],
            visible
                .map(|&i| {
                    let b = &app.inventory.bind_mounts[i];
                    let flag = match b.source_exists {
                        Some(false) => Span::styled("MISSING", theme::error()),
                        None => Span::styled("?", theme::dim()),
                        Some(true) => Span::raw(""),
                    };
                    let (marker, source) = match b.danger {
                        Some(danger) => (
                            Span::styled(danger_marker(danger.writable), theme::danger(danger.writable)),
                            Span::styled(b.source.as_str(), theme::danger(danger.writable)),
                        ),
                        None => (Span::raw(""), Span::raw(b.source.as_str())),
                    };
                    Row::new(vec![
                        Cell::from(marker),
                        Cell::from(source),
                        Cell::from(b.container.as_str()),
                        Cell::from(b.destination.as_str()),
                        Cell::from(mode(b.rw)),
                        Cell::from(flag),
                    ])
                })
                .collect(),
        ),
        Panel::Tmpfs => (
            vec!["CONTAINER", "DESTINATION", "IN RAM", "LIMIT", "MODE", "OPTIONS"],
            vec![
                Constraint::Fill(2),
                Constraint::Fill(2),
                Constraint::Length(10),
                Constraint::Length(10),
                Constraint::Length(5),
                Constraint::Fill(2),
            ],
            visible
                .map(|&i| {
                    let t = &app.inventory.tmpfs_mounts[i];
                    let used = match (t.used, t.used_unknown) {
                        (Some(bytes), _) => size(Some(bytes)),
                        (None, Some(TmpfsUnread::Pending)) => theme::spinner(app.spinner).to_owned(),
                        (None, _) => "—".to_owned(),
                    };
                    Row::new(vec![
                        Cell::from(t.container.as_str()),
                        Cell::from(t.tmpfs.destination.as_str()),
                        right(used),
                        right(t.tmpfs.size_limit.map_or_else(|| "unlimited".to_owned(), |b| size(Some(b)))),
                        Cell::from(t.tmpfs.mode.clone().unwrap_or_default()),
                        Cell::from(Span::styled(t.tmpfs.options.join(","), theme::dim())),
                    ])
                })
                .collect(),
        ),
        Panel::Images => {
            // Shared and unique sizes come from `/system/df` (or the list on API 1.42+).
            let pending = |bytes: Option<u64>| match bytes {
                Some(bytes) => size(Some(bytes)),
                None if app.loading.images.failed.is_some() => "?".to_owned(),
                None if app.loading.images.measuring => theme::spinner(app.spinner).to_owned(),
                None => "…".to_owned(),
            };
            (
                vec!["REPOSITORY:TAG", "SIZE", "SHARED", "UNIQUE", "USED", "", "CREATED"],
                vec![
                    Constraint::Fill(3),
                    Constraint::Length(9),
                    Constraint::Length(9),
                    Constraint::Length(9),
                    Constraint::Length(4),
                    Constraint::Length(8),
                    Constraint::Length(10),
                ],
                visible
                    .map(|&i| {
                        let image = &app.inventory.images[i];
                        let name = if image.dangling { image.reference() } else { image.tags.join(", ") };
                        let badge = if image.dangling {
                            Span::styled("dangling", theme::warning())
                        } else {
                            Span::raw("")
                        };
                        Row::new(vec![
                            marked(app, &RowKey::Image(image.id.clone()), name),
                            right(size(image.size)),
                            right(pending(image.shared_size)),
                            right(pending(image.unique_size)),
                            right(image.containers.len().to_string()),
                            Cell::from(badge),
                            Cell::from(Span::styled(
                                image.created_at.get(..10).unwrap_or_default().to_owned(),
                                theme::dim(),
                            )),
                        ])
                    })
                    .collect(),
            )
        }
        Panel::BuildCache => {
            let records = app.inventory.build_cache.as_ref().map_or(&[][..], |c| c.records.as_slice());
            let yes = |b: bool| Cell::from(if b { "yes" } else { "" });
            (
                vec!["ID", "TYPE", "SIZE", "IN USE", "SHARED", "LAST USED"],
                vec![
                    Constraint::Length(12),
                    Constraint::Fill(2),
                    Constraint::Length(10),
                    Constraint::Length(6),
                    Constraint::Length(6),
                    Constraint::Length(20),
                ],
                visible
                    .map(|&i| {
                        let r = &records[i];
                        Row::new(vec![
                            Cell::from(crate::text::format::short_id(&r.id).to_owned()),
                            Cell::from(r.kind.clone()),
                            right(size(r.size)),
                            yes(r.in_use),
                            yes(r.shared),
                            Cell::from(Span::styled(
                                r.last_used_at.as_deref().unwrap_or("").replace('T', " "),
                                theme::dim(),
                            )),
                        ])
                    })
                    .collect(),
            )
        }
    };
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme::header_row()))
        .block(block)
        .column_spacing(1)
        .row_highlight_style(if app.nav.focus == Focus::Table {
            theme::selected()
        } else {
            theme::dim().add_modifier(ratatui::style::Modifier::REVERSED)
        });
    let mut state = TableState::default().with_selected(Some(view.scroll.selected_on_screen()));
    frame.render_stateful_widget(table, area, &mut state);
}

/// A name with a mark in front when the row is marked for `d`/`P`.
fn marked(app: &App, key: &RowKey, name: String) -> Cell<'static> {
    if app.marks.contains(key) {
        Cell::from(Line::from(vec![Span::styled("● ", theme::warning()), Span::raw(name)]))
    } else {
        Cell::from(name)
    }
}

fn right(text: String) -> Cell<'static> {
    Cell::from(Text::from(text).alignment(Alignment::Right))
}

fn empty_message(app: &App) -> Line<'static> {
    let loading = &app.loading;
    if loading.connecting() || (loading.lists_loading() && app.nav.panel.len(&app.inventory) == 0) {
        let what = if loading.connecting() { "Connecting to the engine" } else { "Loading" };
        return Line::styled(format!("{} {what}…", theme::spinner(app.spinner)), theme::warning());
    }
    if !app.view().filter.is_empty() {
        return Line::styled(
            format!("No {} match “{}” (Esc clears)", app.nav.panel.title().to_lowercase(), app.view().filter),
            theme::dim(),
        );
    }
    let text = match app.nav.panel {
        Panel::Containers => "No containers on this engine",
        Panel::Volumes => "No volumes on this engine",
        Panel::Binds => "No container bind-mounts a host path",
        Panel::Tmpfs => "No container has a tmpfs mount",
        Panel::Images => "No images on this engine",
        Panel::BuildCache => match (&app.inventory.build_cache, &loading.images.failed) {
            (Some(_), _) => "The build cache is empty: nothing was built here with BuildKit",
            (None, Some(_)) => "The build cache could not be measured (r retries)",
            (None, None) => {
                return Line::styled(
                    format!("{} Measuring the build cache (/system/df)…", theme::spinner(app.spinner)),
                    theme::warning(),
                )
            }
        },
    };
    Line::styled(text, theme::dim())
}
