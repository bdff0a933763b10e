//! The Binds and Tmpfs panels.

use super::{Cell, Column, Columns, Face, Room, Tone};
use crate::model::tmpfs::TmpfsUnread;
use crate::model::{BindMount, TmpfsMount};
use crate::text::format::{danger_marker, mode, size};

/// `!!` for a writable bind that hands the host over, `!` for a read-only one.
const MARKER: Column<BindMount> = Column::left("", Room::Exactly(2), |b, _| match b.danger {
    Some(danger) => Cell::toned(danger_marker(danger.writable), Tone::Danger { writable: danger.writable }),
    None => Cell::plain(""),
});
const HOST_PATH: Column<BindMount> = Column::left("HOST PATH", Room::Share(3), |b, _| {
    let tone = b.danger.map_or(Tone::Plain, |danger| Tone::Danger { writable: danger.writable });
    Cell::toned(b.source.as_str(), tone)
});
const CONTAINER: Column<BindMount> =
    Column::left("CONTAINER", Room::Share(2), |b, _| Cell::plain(b.container.as_str()));
const DESTINATION: Column<BindMount> =
    Column::left("DESTINATION", Room::Share(2), |b, _| Cell::plain(b.destination.as_str()));
/// Container and destination in one, as `docker run -v` writes them.
const OWNER: Column<BindMount> = Column::left("CONTAINER:PATH", Room::Share(3), |b, _| {
    Cell::plain(format!("{}:{}", b.container, b.destination))
});
const MODE: Column<BindMount> = Column::left("MODE", Room::Exactly(4), |b, _| Cell::plain(mode(b.rw)));
/// `MISSING` when the host path is gone, `?` when this machine cannot tell (a remote engine).
const STATUS: Column<BindMount> = Column::left("", Room::Exactly(8), |b, _| match b.source_exists {
    Some(false) => Cell::toned("MISSING", Tone::Error),
    None => Cell::toned("?", Tone::Quiet),
    Some(true) => Cell::plain(""),
});
/// The marker and what the bind hands over, in words.
const DANGER: Column<BindMount> = Column::left("DANGER", Room::Exactly(10), |b, _| match b.danger {
    Some(danger) => Cell::toned(
        format!("{} {}", danger_marker(danger.writable), danger.kind.label()),
        Tone::Danger { writable: danger.writable },
    ),
    None => Cell::plain(""),
});

pub const BINDS: Columns<BindMount> = Columns {
    explorer: &[MARKER, HOST_PATH, CONTAINER, DESTINATION, MODE, STATUS.essential()],
    report: &[HOST_PATH, OWNER, MODE, STATUS.titled("STATUS"), DANGER],
};

const TMPFS_CONTAINER: Column<TmpfsMount> =
    Column::left("CONTAINER", Room::Share(2), |t, _| Cell::plain(t.container.as_str()));
const TMPFS_DESTINATION: Column<TmpfsMount> =
    Column::left("DESTINATION", Room::Share(2), |t, _| Cell::plain(t.tmpfs.destination.as_str()));
/// What it holds in RAM now. Where that cannot be read, the report says why after the `—`; the
/// explorer's detail pane does.
const IN_RAM: Column<TmpfsMount> = Column::right("IN RAM", Room::Exactly(10), |t, face| {
    Cell::plain(match (t.used, t.used_unknown, face) {
        (Some(bytes), _, _) => size(Some(bytes)),
        (None, unknown, Face::Report { .. }) => format!("— {}", unknown.map_or("", TmpfsUnread::label)),
        (None, Some(TmpfsUnread::Pending), Face::Explorer { spinner, .. }) => (*spinner).to_owned(),
        (None, _, Face::Explorer { .. }) => "—".to_owned(),
    })
});
const LIMIT: Column<TmpfsMount> = Column::right("LIMIT", Room::Exactly(10), |t, _| {
    Cell::plain(t.tmpfs.size_limit.map_or_else(|| "unlimited".to_owned(), |b| size(Some(b))))
});
const TMPFS_MODE: Column<TmpfsMount> =
    Column::left("MODE", Room::Exactly(5), |t, _| Cell::plain(t.tmpfs.mode.as_deref().unwrap_or_default()));
const OPTIONS: Column<TmpfsMount> = Column::<TmpfsMount>::left("OPTIONS", Room::Share(2), |t, _| {
    Cell::toned(t.tmpfs.options.join(","), Tone::Quiet)
})
.listing();

pub const TMPFS: Columns<TmpfsMount> = Columns {
    explorer: &[TMPFS_CONTAINER, TMPFS_DESTINATION, IN_RAM, LIMIT, TMPFS_MODE, OPTIONS],
    report: &[TMPFS_CONTAINER, TMPFS_DESTINATION.titled("PATH"), IN_RAM, LIMIT, TMPFS_MODE, OPTIONS],
};
