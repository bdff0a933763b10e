//! The detail pane: everything about the selected row, and its links to owners and mounts.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use super::untrusted::{key_and_value, shown};
use super::{image_detail, theme};
use crate::app::panel::Panel;
use crate::app::{App, Focus};
use crate::model::tmpfs::TmpfsUnread;
use crate::model::{Inventory, MountKind, SizeSource};
use crate::text::format::{danger_marker, image_name, mode, short_id, size, volume_name};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let block = Block::bordered()
        .title(Span::styled(" Details ", theme::title()))
        .border_style(theme::border(app.nav.focus == Focus::Links));
    let lines = app.view().selected_index().map(|index| lines(app, index)).unwrap_or_default();
    // Keep the chosen link in view when the list is longer than the pane.
    let chosen_line =
        lines.iter().position(|(link, _)| app.nav.focus == Focus::Links && *link == Some(app.nav.link));
    let inner_height = usize::from(area.height.saturating_sub(2));
    let scroll = chosen_line.map_or(0, |line| line.saturating_sub(inner_height.saturating_sub(1)));
    let text: Vec<Line> = lines
        .into_iter()
        .map(|(link, line)| match link {
            Some(i) if app.nav.focus == Focus::Links && i == app.nav.link => line.style(theme::selected()),
            _ => line,
        })
        .collect();
    let paragraph = Paragraph::new(text).block(block).wrap(Wrap { trim: false }).scroll((scroll as u16, 0));
    frame.render_widget(paragraph, area);
}

/// Lines of the pane, each with the index of the link it shows (the order of `App::links`).
fn lines(app: &App, index: usize) -> Vec<(Option<usize>, Line<'static>)> {
    let inventory = &app.inventory;
    let mut out = Vec::new();
    let mut push = |link: Option<usize>, line: Line<'static>| out.push((link, line));
    let field = |name: &str, value: String| {
        Line::from(vec![Span::styled(format!("{name:<11}"), theme::dim()), Span::raw(value)])
    };
    match app.nav.panel {
        Panel::Containers => {
            let c = &inventory.containers[index];
            push(
                None,
                Line::from(vec![
                    Span::styled(shown(&c.name).into_owned(), theme::title()),
                    Span::raw("  "),
                    Span::styled(shown(c.state.as_str()).into_owned(), theme::state(Some(&c.state))),
                    Span::styled(format!("  {}  {}", shown(&c.status), short_id(&c.id)), theme::dim()),
                ]),
            );
            push(
                None,
                field(
                    "image",
                    format!("{}   virtual {}", shown(&image_name(&c.image)), size(c.size_root_fs)),
                ),
            );
            let waiting = app.loading.containers.is_waiting(&c.id);
            let origin = match c.size_source {
                None if !waiting => "unknown: the engine did not tell",
                source => size_origin(source),
            };
            push(
                None,
                Line::from(vec![
                    Span::styled(format!("{:<11}", "writable"), theme::dim()),
                    Span::raw(format!("{} ", size(c.size_rw))),
                    Span::styled(origin, theme::dim()),
                ]),
            );
            push(None, Line::styled(format!("mounts ({})", c.mounts.len()), theme::header_row()));
            let mut link = 0;
            for mount in &c.mounts {
                let (what, is_link) = match mount.kind {
                    MountKind::Volume => {
                        let name = mount.name.clone().unwrap_or_default();
                        let anonymous = inventory.volume(&name).is_some_and(|v| v.anonymous);
                        (format!("volume {}", shown(&volume_name(&name, anonymous))), mount.name.is_some())
                    }
                    MountKind::Bind => {
                        (format!("bind {}", shown(mount.source.as_deref().unwrap_or_default())), true)
                    }
                    MountKind::Tmpfs => ("tmpfs".to_owned(), true),
                    ref other => (shown(other.label()).into_owned(), false),
                };
                let others = sharers(
                    inventory,
                    &c.id,
                    mount.kind.clone(),
                    mount.name.as_deref().or(mount.source.as_deref()),
                );
                let mut spans =
                    vec![Span::raw(format!(" {what} → {} ({})", shown(&mount.destination), mode(mount.rw)))];
                if !others.is_empty() {
                    let others = shown(&others.join(", ")).into_owned();
                    spans.push(Span::styled(format!("  shared with {others}"), theme::warning()));
                }
                push(is_link.then_some(link), Line::from(spans));
                link += usize::from(is_link);
            }
            // The image's own line, last, as `App::links` lists it.
            if let Some(image) = inventory.image(&c.image_id) {
                let tags = if image.tags.is_empty() { "untagged".to_owned() } else { image.tags.join(", ") };
                push(None, Line::styled("made from", theme::header_row()));
                push(
                    Some(link),
                    Line::from(vec![
                        Span::raw(format!(" image {} ", shown(image.short_id()))),
                        Span::styled(
                            format!("{}  unique {}", shown(&tags), size(image.unique_size)),
                            theme::dim(),
                        ),
                    ]),
                );
            }
        }
        Panel::Volumes => {
            let v = &inventory.volumes[index];
            let mut title = vec![Span::styled(shown(&v.name).into_owned(), theme::title())];
            if v.anonymous {
                title.push(Span::styled("  anonymous", theme::dim()));
            }
            if v.dangling {
                title.push(Span::styled("  dangling: no container uses it", theme::warning()));
            }
            push(None, Line::from(title));
            let created = v.created_at.clone().unwrap_or_default();
            let origin = match v.size_source {
                None if app.loading.volumes.is_waiting(&v.name) => size_origin(None).to_owned(),
                // The engine sizes only local volumes without mount options.
                None if !v.measured_by_engine() => "not measured by the engine".to_owned(),
                None => "unknown: the engine did not tell".to_owned(),
                source => size_origin(source).to_owned(),
            };
            push(
                None,
                Line::from(vec![
                    Span::styled(format!("{:<11}", "size"), theme::dim()),
                    Span::raw(format!("{} ", size(v.size))),
                    Span::styled(origin, theme::dim()),
                    Span::raw(format!("   driver {}   created {}", shown(&v.driver), shown(&created))),
                ]),
            );
            push(None, Line::styled(format!("used by ({})", v.containers.len()), theme::header_row()));
            for (link, owner) in v.containers.iter().enumerate() {
                let state = app.container_state(&owner.container_id);
                push(
                    Some(link),
                    Line::from(vec![
                        Span::raw(format!(" {} ", shown(&owner.container))),
                        Span::styled(
                            format!("({})", shown(state.map_or("", |s| s.as_str()))),
                            theme::state(state),
                        ),
                        Span::raw(format!(" at {} ({})", shown(&owner.destination), mode(owner.rw))),
                    ]),
                );
            }
            push(None, field("mountpoint", shown(&v.mountpoint).into_owned()));
            key_values(&mut push, "labels", &v.labels);
            key_values(&mut push, "options", &v.options);
        }
        Panel::Binds => {
            let b = &inventory.bind_mounts[index];
            let exists = match b.source_exists {
                Some(true) => Span::raw("exists"),
                Some(false) => Span::styled("MISSING on the host", theme::error()),
                None => Span::styled("unknown (remote engine)", theme::dim()),
            };
            push(
                None,
                Line::from(vec![
                    Span::styled(shown(&b.source).into_owned(), theme::title()),
                    Span::raw("  "),
                    exists,
                ]),
            );
            if let Some(danger) = b.danger {
                let reach = if danger.writable { "writable" } else { "read-only" };
                push(
                    None,
                    Line::from(vec![
                        Span::styled(
                            format!("{} hands the host to the container", danger_marker(danger.writable)),
                            theme::danger(danger.writable),
                        ),
                        Span::raw(format!(" — {}, {reach}", danger.kind.why())),
                    ]),
                );
            }
            push(None, Line::styled("containers using this host path", theme::header_row()));
            let owners = inventory.ownership.host_path_owners(&b.source);
            let this =
                owners.iter().filter(|o| o.container_id == b.container_id && o.destination == b.destination);
            let rest = owners.iter().filter(|o| o.container_id != b.container_id);
            for (link, owner) in this.take(1).chain(rest).enumerate() {
                push(
                    Some(link),
                    Line::raw(format!(
                        " {} at {} ({})",
                        shown(&owner.container),
                        shown(&owner.destination),
                        mode(owner.rw)
                    )),
                );
            }
        }
        Panel::Tmpfs => {
            let t = &inventory.tmpfs_mounts[index];
            let title = format!("tmpfs at {}", shown(&t.tmpfs.destination));
            push(None, Line::from(Span::styled(title, theme::title())));
            push(Some(0), Line::raw(format!(" container {}", shown(&t.container))));
            let held = match (t.used, t.used_unknown) {
                (Some(bytes), _) => Line::from(vec![
                    Span::styled(format!("{:<11}", "in RAM"), theme::dim()),
                    Span::styled(size(Some(bytes)), theme::size()),
                    Span::styled(" (read here now; memory, lost when the container stops)", theme::dim()),
                ]),
                (None, Some(TmpfsUnread::Pending)) => field("in RAM", TmpfsUnread::Pending.why().to_owned()),
                (None, unknown) => field("in RAM", format!("— {}", unknown.map_or("", TmpfsUnread::why))),
            };
            push(None, held);
            push(
                None,
                field(
                    "size limit",
                    t.tmpfs.size_limit.map_or_else(|| "none (half of RAM)".to_owned(), |b| size(Some(b))),
                ),
            );
            let tmpfs_mode = t.tmpfs.mode.as_deref().map_or("default (1777)".into(), shown);
            push(None, field("mode", tmpfs_mode.into_owned()));
            push(None, field("options", shown(&t.tmpfs.options.join(",")).into_owned()));
        }
        Panel::Images => out.extend(image_detail::image(app, &inventory.images[index])),
        Panel::BuildCache => {
            if let Some(record) = inventory.build_cache.as_ref().and_then(|c| c.records.get(index)) {
                out.extend(image_detail::cache_record(app, record));
            }
        }
    }
    out
}

/// Where a size came from, in words.
fn size_origin(source: Option<SizeSource>) -> &'static str {
    match source {
        Some(SizeSource::Host) => "measured here",
        Some(SizeSource::Engine) => "from the engine",
        None => "measuring…",
    }
}

fn key_values(
    push: &mut impl FnMut(Option<usize>, Line<'static>),
    title: &str,
    map: &std::collections::BTreeMap<String, String>,
) {
    if map.is_empty() {
        return;
    }
    push(None, Line::styled(title.to_owned(), theme::header_row()));
    for (key, value) in map {
        // A CIFS volume's `password=…` stays hidden; `i` then `v` reveals it.
        let (key, value) = key_and_value(key, value, false);
        push(
            None,
            Line::from(vec![Span::styled(format!(" {key}"), theme::dim()), Span::raw(format!("={value}"))]),
        );
    }
}

/// The other containers that use the same volume or host path.
fn sharers(inventory: &Inventory, container_id: &str, kind: MountKind, key: Option<&str>) -> Vec<String> {
    let Some(key) = key else { return Vec::new() };
    let owners = match kind {
        MountKind::Volume => inventory.ownership.volume_owners(key),
        MountKind::Bind => inventory.ownership.host_path_owners(key),
        _ => &[],
    };
    owners.iter().filter(|o| o.container_id != container_id).map(|o| o.container.clone()).collect()
}
