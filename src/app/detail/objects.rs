//! The detail of a container, a volume, a bind mount and a tmpfs mount.

use std::collections::BTreeMap;

use super::{field, heading, piece, plain, quiet, Row, Tone};
use crate::app::panel::Panel;
use crate::app::App;
use crate::model::logs::ContainerLogs;
use crate::model::tmpfs::TmpfsUnread;
use crate::model::{Inventory, MountKind, SizeSource};
use crate::text::format::{ago, danger_marker, image_name, mode, short_id, size, volume_name};
use crate::text::sanitize::visible;
use crate::text::secrets;

/// Untrusted text as the screen shows it.
fn shown(raw: &str) -> String {
    visible(raw).into_owned()
}

/// Rows of the pane for the selected row at `index` of the current panel.
pub(super) fn rows(app: &App, index: usize) -> Vec<Row> {
    let inventory = &app.inventory;
    match app.nav.panel {
        Panel::Containers => container(app, index),
        Panel::Volumes => volume(app, index),
        Panel::Binds => bind(inventory, index),
        Panel::Tmpfs => tmpfs(inventory, index),
        Panel::Images => super::images::image(app, &inventory.images[index]),
        Panel::BuildCache => inventory
            .build_cache
            .as_ref()
            .and_then(|c| c.records.get(index))
            .map(|record| super::images::cache_record(app, record))
            .unwrap_or_default(),
        Panel::Disk => super::disk::line(app, index),
    }
}

/// The log: its driver, what its files take, and its bound, or the lack of one.
fn log_row(logs: &ContainerLogs) -> Row {
    let config = &logs.config;
    let mut pieces = vec![quiet(format!("{:<11}", "log")), plain(format!("{} ", shown(&config.driver)))];
    match &logs.files {
        Ok(files) => {
            let plural = if files.len() == 1 { "" } else { "s" };
            pieces.push(plain(format!("{} in {} file{plural} ", size(logs.size()), files.len())));
            pieces.push(quiet(format!("({} on disk) · ", size(logs.disk_usage()))));
        }
        Err(why) => pieces.push(quiet(format!("— {} · ", shown(&why.reason(&config.driver))))),
    }
    if logs.unbounded() {
        pieces.push(piece(
            format!("{} no max-size: grows until the disk is full", danger_marker(false)),
            Tone::Danger { writable: false },
        ));
    } else if let Some(max_size) = &config.max_size {
        let files = config.max_file.as_deref().map(|n| format!(" × {}", shown(n))).unwrap_or_default();
        pieces.push(quiet(format!("max-size {}{files}", shown(max_size))));
    }
    Row::of(pieces)
}

fn container(app: &App, index: usize) -> Vec<Row> {
    let inventory = &app.inventory;
    let c = &inventory.containers[index];
    let mut out = vec![
        Row::of(vec![
            piece(shown(&c.name), Tone::Title),
            plain("  "),
            piece(shown(c.state.as_str()), Tone::State(Some(c.state.clone()))),
            quiet(format!("  {}  {}", shown(&c.status_at(app.now)), short_id(&c.id))),
        ]),
        field("image", format!("{}   virtual {}", shown(&image_name(&c.image)), size(c.size_root_fs))),
    ];
    let waiting = app.loading.containers.is_waiting(&c.id);
    let origin = match c.size_source {
        None if !waiting => "unknown: the engine did not tell".to_owned(),
        source => format!("{}{}", size_origin(source), measured(app, c.size_measured_at)),
    };
    let on_disk = c.disk_usage.map(|bytes| format!(" · {} on disk", size(Some(bytes)))).unwrap_or_default();
    out.push(Row::of(vec![
        quiet(format!("{:<11}", "writable")),
        plain(format!("{} ", size(c.size_rw))),
        quiet(format!("{origin}{on_disk}")),
    ]));
    if let Some(logs) = &c.logs {
        out.push(log_row(logs));
    }
    out.push(heading(format!("mounts ({})", c.mounts.len())));
    let mut link = 0;
    for mount in &c.mounts {
        let (what, is_link) = match mount.kind {
            MountKind::Volume => {
                let name = mount.name.clone().unwrap_or_default();
                let anonymous = inventory.volume(&name).is_some_and(|v| v.anonymous);
                (format!("volume {}", shown(&volume_name(&name, anonymous))), mount.name.is_some())
            }
            MountKind::Bind => (format!("bind {}", shown(mount.source.as_deref().unwrap_or_default())), true),
            MountKind::Tmpfs => ("tmpfs".to_owned(), true),
            ref other => (shown(other.label()), false),
        };
        let others =
            sharers(inventory, &c.id, mount.kind.clone(), mount.name.as_deref().or(mount.source.as_deref()));
        let mut pieces = vec![plain(format!(" {what} → {} ({})", shown(&mount.destination), mode(mount.rw)))];
        if !others.is_empty() {
            pieces.push(piece(format!("  shared with {}", shown(&others.join(", "))), Tone::Warning));
        }
        out.push(Row { link: is_link.then_some(link), pieces });
        link += usize::from(is_link);
    }
    // The image's own line, last, as `App::links` lists it.
    if let Some(image) = inventory.image(&c.image_id) {
        let tags = if image.tags.is_empty() { "untagged".to_owned() } else { image.tags.join(", ") };
        out.push(heading("made from"));
        out.push(Row::link(
            link,
            vec![
                plain(format!(" image {} ", shown(image.short_id()))),
                quiet(format!("{}  unique {}", shown(&tags), size(image.unique_size))),
            ],
        ));
    }
    labels(&mut out, "labels", &c.labels);
    out
}

fn volume(app: &App, index: usize) -> Vec<Row> {
    let v = &app.inventory.volumes[index];
    let mut title = vec![piece(shown(&v.name), Tone::Title)];
    if v.anonymous {
        title.push(quiet("  anonymous"));
    }
    if v.dangling {
        title.push(piece("  dangling: no container uses it", Tone::Warning));
    }
    let created = v.created_at.clone().unwrap_or_default();
    let origin = match v.size_source {
        None if app.loading.volumes.is_waiting(&v.name) => size_origin(None).to_owned(),
        // The engine sizes only local volumes without mount options.
        None if !v.measured_by_engine() => "not measured by the engine".to_owned(),
        None => "unknown: the engine did not tell".to_owned(),
        source => format!("{}{}", size_origin(source), measured(app, v.size_measured_at)),
    };
    let mut out = vec![
        Row::of(title),
        Row::of(vec![
            quiet(format!("{:<11}", "size")),
            plain(format!("{} ", size(v.size))),
            quiet(format!(
                "{origin}{}",
                v.disk_usage.map(|bytes| format!(" · {} on disk", size(Some(bytes)))).unwrap_or_default()
            )),
            plain(format!("   driver {}   created {}", shown(&v.driver), shown(&created))),
        ]),
        heading(format!("used by ({})", v.containers.len())),
    ];
    for (link, owner) in v.containers.iter().enumerate() {
        let state = app.container_state(&owner.container_id).cloned();
        let word = state.as_ref().map_or(String::new(), |s| shown(s.as_str()));
        out.push(Row::link(
            link,
            vec![
                plain(format!(" {} ", shown(&owner.container))),
                piece(format!("({word})"), Tone::State(state)),
                plain(format!(" at {} ({})", shown(&owner.destination), mode(owner.rw))),
            ],
        ));
    }
    out.push(field("mountpoint", shown(&v.mountpoint)));
    labels(&mut out, "labels", &v.labels);
    labels(&mut out, "options", &v.options);
    out
}

fn bind(inventory: &Inventory, index: usize) -> Vec<Row> {
    let b = &inventory.bind_mounts[index];
    let exists = match b.source_exists {
        Some(true) => plain("exists"),
        Some(false) => piece("MISSING on the host", Tone::Error),
        None => quiet("unknown (remote engine)"),
    };
    let mut out = vec![Row::of(vec![piece(shown(&b.source), Tone::Title), plain("  "), exists])];
    if let Some(danger) = b.danger {
        let reach = if danger.writable { "writable" } else { "read-only" };
        out.push(Row::of(vec![
            piece(
                format!("{} hands the host to the container", danger_marker(danger.writable)),
                Tone::Danger { writable: danger.writable },
            ),
            plain(format!(" — {}, {reach}", danger.kind.why())),
        ]));
    }
    out.push(heading("containers using this host path"));
    let owners = inventory.ownership.host_path_owners(&b.source);
    let this = owners.iter().filter(|o| o.container_id == b.container_id && o.destination == b.destination);
    let rest = owners.iter().filter(|o| o.container_id != b.container_id);
    for (link, owner) in this.take(1).chain(rest).enumerate() {
        out.push(Row::link(
            link,
            vec![plain(format!(
                " {} at {} ({})",
                shown(&owner.container),
                shown(&owner.destination),
                mode(owner.rw)
            ))],
        ));
    }
    out
}

fn tmpfs(inventory: &Inventory, index: usize) -> Vec<Row> {
    let t = &inventory.tmpfs_mounts[index];
    let held = match (t.used, t.used_unknown) {
        (Some(bytes), _) => Row::of(vec![
            quiet(format!("{:<11}", "in RAM")),
            piece(size(Some(bytes)), Tone::Size),
            quiet(" (read here now; memory, lost when the container stops)"),
        ]),
        (None, Some(TmpfsUnread::Pending)) => field("in RAM", TmpfsUnread::Pending.why()),
        (None, unknown) => field("in RAM", format!("— {}", unknown.map_or("", TmpfsUnread::why))),
    };
    let limit = t.tmpfs.size_limit.map_or_else(|| "none (half of RAM)".to_owned(), |b| size(Some(b)));
    vec![
        Row::of(vec![piece(format!("tmpfs at {}", shown(&t.tmpfs.destination)), Tone::Title)]),
        Row::link(0, vec![plain(format!(" container {}", shown(&t.container)))]),
        held,
        field("size limit", limit),
        field("mode", t.tmpfs.mode.as_deref().map_or_else(|| "default (1777)".to_owned(), shown)),
        field("options", shown(&t.tmpfs.options.join(","))),
    ]
}

/// When a size was measured, for the time the pane is drawn: ` · 2 min ago`.
fn measured(app: &App, at: Option<std::time::SystemTime>) -> String {
    at.map(|at| format!(" · {}", ago(app.now.duration_since(at).unwrap_or_default()))).unwrap_or_default()
}

/// Where a size came from, in words.
fn size_origin(source: Option<SizeSource>) -> &'static str {
    match source {
        Some(SizeSource::Host) => "measured here",
        Some(SizeSource::Engine) => "from the engine",
        // What the engine's number is there too: a native snapshot is a whole copy of the root.
        Some(SizeSource::Snapshot) => {
            "measured here in its containerd snapshot: blocks on disk (native: the whole root)"
        }
        None => "measuring…",
    }
}

/// A heading and one row per key: a secret-looking value stays masked (`i` then `v` reveals it).
fn labels(out: &mut Vec<Row>, title: &str, map: &BTreeMap<String, String>) {
    if map.is_empty() {
        return;
    }
    out.push(heading(title));
    for (key, value) in map {
        let value = secrets::shown(key, value, false);
        out.push(Row::of(vec![quiet(format!(" {}", shown(key))), plain(format!("={}", shown(value)))]));
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
