//! The frame around the panels: header with engine and totals, tabs, footer with the keys that
//! apply now.

use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::theme;
use super::untrusted::shown;
use crate::app::confirm::Subject;
use crate::app::disk::DiskWalk;
use crate::app::form::Input;
use crate::app::loading::{ListKind, Part};
use crate::app::panel::Panel;
use crate::app::{App, Connection, EventsState, Focus, Overlay};
use crate::model::ImagesSizeSource;
use crate::text::format::{clock, danger_marker, size};

pub fn header(app: &App, frame: &mut Frame, area: Rect) {
    let engine = &app.inventory.engine;
    let mut first = vec![Span::styled(" dockdu ", theme::title())];
    first.push(match &app.loading.events {
        EventsState::Live => {
            Span::styled("● live ", ratatui::style::Style::new().fg(ratatui::style::Color::Green))
        }
        EventsState::Off => Span::styled("○ ", theme::dim()),
        EventsState::Reconnecting { attempt, .. } => {
            Span::styled(format!("◌ events reconnecting (try {attempt}) "), theme::warning())
        }
    });
    if app.nav.measure == crate::model::Measure::OnDisk {
        first.push(Span::styled("sizes on disk (D) ", theme::warning()));
    }
    // What is under way comes first: the engine's description is the part a narrow terminal cuts.
    if let Some(activity) = activity(app) {
        first.push(Span::styled(format!("{} {activity}  ", theme::spinner(app.spinner)), theme::warning()));
    }
    if !engine.context.is_empty() {
        first.push(Span::raw(format!("context {} · ", shown(&engine.context))));
    }
    first.push(Span::raw(shown(&engine.host).into_owned()));
    first.extend(engine.connection_warning().map(|w| Span::styled(format!(" ({w})"), theme::warning())));
    if !engine.server_version.is_empty() {
        first.push(Span::styled(
            format!(
                " · {} {} (API {}) · {}",
                shown(&engine.product),
                shown(&engine.server_version),
                shown(&engine.api_version),
                shown(&engine.storage_driver)
            ),
            theme::dim(),
        ));
    }

    let t = &app.inventory.totals;
    let loading = &app.loading;
    let sized = |bytes: u64| {
        if !loading.lists_shown() {
            match loading.connection {
                Connection::Unreachable { .. } => size(None),
                _ => theme::spinner(app.spinner).to_owned(),
            }
        } else if app.inventory.sizes_known {
            size(Some(bytes))
        } else if loading.sizing() {
            theme::spinner(app.spinner).to_owned()
        } else {
            // Some sizes could not be had: what is shown is a floor.
            format!("≥ {}", size(Some(bytes)))
        }
    };
    // Before the lists answer, as the other totals; then "…" until `/system/df` tells.
    let images_size = match (t.images_size, &loading.images) {
        _ if !loading.lists_shown() => sized(0),
        // The engine's own total, known to be wrong here and not proven otherwise.
        (Some(bytes), _) if t.images_size_source == Some(ImagesSizeSource::EngineUnreliable) => {
            format!("{}?", size(Some(bytes)))
        }
        (Some(bytes), _) => size(Some(bytes)),
        (None, sizing) if sizing.failed.is_some() => "?".to_owned(),
        (None, _) => "…".to_owned(),
    };
    let (cache_count, cache_size) = match &app.inventory.build_cache {
        Some(cache) => (cache.count.to_string(), size(Some(cache.size))),
        None if loading.images.failed.is_some() => ("?".to_owned(), "?".to_owned()),
        // Only a `/system/df` that walks everything knows it here: asked for on panel 6 or `r`.
        None if loading.images.build_cache_deferred && !loading.images.measuring => {
            ("–".to_owned(), "not measured (6)".to_owned())
        }
        None if !loading.lists_shown() => ("0".to_owned(), sized(0)),
        None => ("…".to_owned(), "…".to_owned()),
    };
    // Logs nobody bounds grow until the disk is full: said as a dangerous bind is.
    let (logs, logs_style) = match t.logs_unbounded {
        0 => (sized(t.logs_size), theme::size()),
        n => {
            (format!("{} ({} {n} unbounded)", sized(t.logs_size), danger_marker(false)), theme::danger(false))
        }
    };
    let mut second = vec![
        Span::raw(format!(" Containers {} · ", t.containers)),
        Span::styled(sized(t.containers_size_rw), theme::size()),
        Span::raw(format!("  Volumes {} · ", t.volumes)),
        Span::styled(sized(t.volumes_size), theme::size()),
        Span::raw(format!("  Images {} · ", t.images)),
        Span::styled(images_size, theme::size()),
    ];
    // Each total is a label and its size; a line too narrow for them all keeps whole ones.
    const SPANS_PER_TOTAL: usize = 2;
    // Unmeasured images or cache make the total a floor.
    let images_pending = !app.inventory.images_sizes_known || app.inventory.build_cache.is_none();
    let floor =
        if images_pending && loading.lists_shown() && app.inventory.sizes_known { "≥ " } else { "" };
    let mut third = vec![
        Span::raw(format!(" Build cache {cache_count} · ")),
        Span::styled(cache_size, theme::size()),
        Span::raw("  Logs "),
        Span::styled(logs, logs_style),
        Span::raw("  Reclaimable "),
        Span::styled(format!("{floor}{}", sized(t.reclaimable_bytes)), theme::warning()),
    ];
    if app.inventory.tmpfs_mounts.iter().any(|m| m.used.is_some()) {
        // Memory, not disk: after the disk totals, on whichever line has room; the Tmpfs
        // panel's title always shows it.
        let ram = [Span::raw("  In RAM "), Span::styled(size(Some(t.tmpfs_used)), theme::size())];
        let width = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>();
        let room = usize::from(area.width);
        if width(&second) + width(&ram) <= room {
            second.extend(ram);
        } else if width(&third) + width(&ram) <= room {
            third.extend(ram);
        }
    }
    let mut third = whole(third, SPANS_PER_TOTAL, usize::from(area.width));
    // Where the reclaimable bytes are, as much of it as the width allows.
    let used: usize = third.iter().map(|s| crate::text::format::width(&s.content)).sum();
    let plural = if t.dangling_volumes == 1 { "" } else { "s" };
    let dangling = format!(" · {} dangling volume{plural}", t.dangling_volumes);
    let on_disk = match t.reclaimable_volume_disk_usage {
        Some(bytes) if t.dangling_volumes > 0 => format!(" ({} on disk)", size(Some(bytes))),
        _ => String::new(),
    };
    // The widest that fits: with the dangling volumes' bytes on disk, without, or the count only.
    let breakdown = |on_disk: &str| {
        format!(
            "{dangling} {}{on_disk} · unused images {} · cache {}",
            size(Some(t.reclaimable_volume_bytes)),
            size(Some(t.reclaimable_image_bytes)),
            size(t.build_cache_reclaimable),
        )
    };
    let breakdowns = [breakdown(&on_disk), breakdown(""), dangling.clone()];
    let room = usize::from(area.width).saturating_sub(used);
    if let Some(breakdown) = breakdowns.into_iter().find(|b| crate::text::format::width(b) <= room) {
        third.push(Span::styled(breakdown, theme::dim()));
    }
    let lines = if area.height >= 2 {
        let second = whole(second, SPANS_PER_TOTAL, usize::from(area.width));
        vec![Line::from(first), Line::from(second), Line::from(third)]
    } else {
        // One line: the live marker and the totals; the engine's line waits for more room.
        // The name gives way to a total it would cut.
        let (title, marker) = (first[0].clone(), first[1].clone());
        let after = |lead: &[Span]| {
            let room = usize::from(area.width).saturating_sub(lead.iter().map(Span::width).sum());
            whole(second.clone(), SPANS_PER_TOTAL, room)
        };
        let titled = vec![title, marker.clone()];
        let bare = vec![Span::raw(" "), marker];
        let line: Vec<Span> = match after(&titled) {
            totals if totals.len() == second.len() => [titled, totals].concat(),
            _ => {
                let totals = after(&bare);
                [bare, totals].concat()
            }
        };
        vec![Line::from(line)]
    };
    frame.render_widget(Paragraph::new(lines), area);
}

/// The leading groups of `per` spans that fit in `room` columns: a total is shown whole or not.
fn whole(spans: Vec<Span<'_>>, per: usize, room: usize) -> Vec<Span<'_>> {
    let mut used = 0;
    let mut kept = Vec::new();
    for group in spans.chunks(per) {
        let width: usize = group.iter().map(Span::width).sum();
        if used + width > room {
            break;
        }
        used += width;
        kept.extend_from_slice(group);
    }
    kept
}

/// The table's keys, the current panel's writes first; the general ones go first when narrow.
fn table_keys(app: &App) -> Vec<(&'static str, &'static str)> {
    let mut keys = vec![("↑↓", "move"), ("Enter", "follow")];
    // A container's controls and log: from its row, or from a bind's or a tmpfs mount's.
    let container_row = matches!(app.nav.panel, Panel::Containers | Panel::Binds | Panel::Tmpfs);
    if container_row {
        keys.extend_from_slice(if app.config.read_only {
            &[("L", "logs")][..]
        } else {
            &[("x", "control"), ("L", "logs")]
        });
    }
    if !app.config.read_only {
        keys.extend_from_slice(match app.nav.panel {
            Panel::Containers => {
                &[("d", "remove"), ("P", "prune"), ("e", "shell"), ("T", "truncate log")][..]
            }
            Panel::Volumes => &[("c", "create"), ("a", "attach"), ("d", "remove"), ("P", "prune")][..],
            Panel::Images => &[("d", "remove"), ("P", "prune")][..],
            Panel::Binds | Panel::Tmpfs | Panel::BuildCache | Panel::Disk => &[],
        });
    }
    // What fills it: only volumes, writable layers and bind sources hold files to look at.
    if matches!(app.nav.panel, Panel::Containers | Panel::Volumes | Panel::Binds | Panel::Disk) {
        keys.push(("o", "inside"));
    }
    keys.extend_from_slice(&[("/", "filter"), ("s", "sort")]);
    // A build cache record and a part of the root have no inspect document.
    if !matches!(app.nav.panel, Panel::BuildCache | Panel::Disk) {
        keys.push(("i", "inspect"));
    }
    keys.extend_from_slice(&[
        ("r", "refresh"),
        ("E", "engines"),
        ("Tab", "panel"),
        ("?", "help"),
        ("q", "quit"),
    ]);
    keys
}

fn activity(app: &App) -> Option<String> {
    let s = &app.loading;
    if s.connecting() {
        Some("connecting".to_owned())
    } else if let Connection::Unreachable { .. } = s.connection {
        Some("retrying".to_owned())
    } else if s.lists_loading() {
        Some("listing".to_owned())
    } else if s.sizing() {
        let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let parts: Vec<String> = [(s.containers.waiting(), "container"), (s.volumes.waiting(), "volume")]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| count(n, what))
            .collect();
        Some(format!("measuring {}", parts.join(" · ")))
    } else if let DiskWalk::Walking { progress, .. } = &s.disk {
        Some(progress.map_or_else(
            || "walking the root".to_owned(),
            |p| format!("walking the root: {} files", p.files),
        ))
    } else {
        None
    }
}

pub fn tabs(app: &App, frame: &mut Frame, area: Rect) {
    let spans: Vec<Span> = Panel::ALL
        .iter()
        .zip(app.tab_labels())
        .map(|(&panel, label)| {
            let style = if panel == app.nav.panel { theme::active_tab() } else { theme::dim() };
            Span::styled(label, style)
        })
        .collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let menu_keys;
    let keys: &[(&str, &str)] = match &app.overlay {
        _ if app.help.is_some() => &[("↑↓ PgUp PgDn", "scroll"), ("Esc", "close help")],
        Some(Overlay::Control(menu)) => {
            menu_keys = super::menu::footer_keys(menu);
            &menu_keys
        }
        Some(Overlay::Logs(view)) if view.is_opening() => &[("", "opening the log…"), ("Esc", "cancel")],
        Some(Overlay::Logs(view)) if view.search.typing() => &[("Enter", "search"), ("Esc", "cancel")],
        Some(Overlay::Logs(_)) => &[
            ("↑↓ PgUp PgDn", "scroll"),
            ("End", "follow"),
            ("/", "search"),
            ("n/N", "next/prev"),
            ("Esc", "close"),
        ],
        Some(Overlay::Confirm(c)) if c.working && c.plan.truncates() => &[("", "truncating…")],
        Some(Overlay::Confirm(c)) if c.working => &[("", "removing…")],
        Some(Overlay::Confirm(c)) if matches!(c.subject, Subject::Logs { .. }) => {
            &[("Enter/y", "truncate"), ("↑↓", "scroll"), ("Esc/n", "cancel")]
        }
        Some(Overlay::Confirm(c)) if c.needs_force() => {
            &[("Enter", "remove"), ("f", "force"), ("Esc", "cancel")]
        }
        Some(Overlay::Confirm(c)) if c.typing_label() => {
            &[("type", "a label"), ("Enter", "remove"), ("Tab", "scope"), ("Esc", "cancel")]
        }
        Some(Overlay::Confirm(c)) if c.has_scope() => {
            &[("Enter/y", "remove"), ("Tab", "scope"), ("↑↓", "scroll"), ("Esc/n", "cancel")]
        }
        Some(Overlay::Confirm(_)) => &[("Enter/y", "remove"), ("↑↓", "scroll"), ("Esc/n", "cancel")],
        Some(Overlay::Outcome(_)) => &[("↑↓ PgUp PgDn", "scroll"), ("Esc", "close")],
        // Only the keys the focused field takes.
        Some(Overlay::Form(form)) => match form.focused() {
            Input::Text(_) => &[
                ("Tab/↑↓", "field"),
                ("←→", "move"),
                ("Ctrl-U", "clear"),
                ("Enter", "go"),
                ("Esc", "cancel"),
            ],
            Input::Toggle(_) => {
                &[("Tab/↑↓", "field"), ("space", "toggle"), ("Enter", "go"), ("Esc", "cancel")]
            }
            Input::Choice { .. } => {
                &[("Tab/↑↓", "field"), ("←→", "choose"), ("Enter", "go"), ("Esc", "cancel")]
            }
        },
        Some(Overlay::Engines(_)) => {
            &[("type", "to filter"), ("↑↓", "choose"), ("Enter", "switch"), ("Esc", "close")]
        }
        Some(Overlay::Browser(_)) => &[
            ("↑↓", "move"),
            ("Enter/→", "open"),
            ("Backspace/←", "up"),
            ("s/S", "sort/reverse"),
            ("Esc", "close"),
        ],
        Some(Overlay::Inspect(view)) if view.search.typing() => &[("Enter", "search"), ("Esc", "cancel")],
        Some(Overlay::Inspect(_)) => &[
            ("↑↓", "scroll"),
            ("/", "search"),
            ("n/N", "next/prev"),
            ("v", "reveal secrets"),
            ("Esc", "close"),
        ],
        None if matches!(app.loading.connection, Connection::Unreachable { .. }) => {
            &[("r", "retry now"), ("E", "engines"), ("q", "quit"), ("?", "help")]
        }
        None if app.too_small() => &[("q", "quit")],
        None if app.nav.filter_input.is_some() => {
            &[("type", "to filter"), ("Ctrl-U", "clear"), ("Enter", "keep"), ("Esc", "clear and close")]
        }
        None if app.nav.focus == Focus::Detail && app.links().is_empty() => {
            &[("↑↓ PgUp PgDn", "scroll"), ("Esc/←", "back to table"), ("?", "help")]
        }
        None if app.nav.focus == Focus::Detail => {
            &[("↑↓", "choose"), ("PgUp PgDn", "scroll"), ("Enter", "go there"), ("Esc/←", "back to table")]
        }
        None => &[],
    };
    let mut keys: Vec<(&str, &str)> = if keys.is_empty() { table_keys(app) } else { keys.to_vec() };
    // Narrow terminals drop keys from the middle; help and quit always stay.
    let width = |keys: &[(&str, &str)]| {
        keys.iter().map(|(k, w)| k.chars().count() + w.chars().count() + 2).sum::<usize>()
    };
    while width(&keys) + 8 > usize::from(area.width) && keys.len() > 3 {
        keys.remove(keys.len() - 3);
    }
    let mut spans: Vec<Span> = Vec::new();
    for (key, what) in keys {
        spans.push(Span::styled(format!(" {key}"), theme::key()));
        spans.push(Span::raw(format!(" {what}")));
    }
    if app.overlay.is_none() && app.can_go_back() {
        spans.push(Span::styled(" ⌫", theme::key()));
        spans.push(Span::raw(" back"));
    }
    if let (None, Some(previous)) = (&app.overlay, &app.nav.previous_context) {
        spans.push(Span::styled(" -", theme::key()));
        spans.push(Span::raw(format!(" back to {}", shown(previous))));
    }
    if let Some(notice) = &app.notice {
        // Notices quote names and the engine's messages.
        spans = vec![Span::styled(format!(" {}", shown(notice)), theme::warning())];
    }
    let footer = Paragraph::new(Line::from(spans));
    frame.render_widget(footer, area);
    if app.config.read_only {
        frame.render_widget(
            Paragraph::new(Span::styled("read-only ", theme::warning())).alignment(Alignment::Right),
            area,
        );
    }
}

/// A request that failed while the last good data stays on screen: what, when, why, and `r`.
pub fn banner(app: &App, frame: &mut Frame, area: Rect) {
    let Some(trouble) = &app.loading.trouble else { return };
    let what = match trouble.part {
        Part::List(ListKind::Containers) => "listing containers",
        Part::List(ListKind::Volumes) => "listing volumes",
        Part::Sizes => "measuring sizes",
    };
    let line = Line::from(vec![
        Span::styled(format!(" ⚠ {what} failed at {}: ", clock(trouble.at)), theme::error()),
        Span::raw(shown(&trouble.error.cause()).into_owned()),
        Span::raw(" · "),
        Span::styled("r", theme::key()),
        Span::raw(" retries"),
        Span::styled(" · the last good data stays on screen", theme::dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
