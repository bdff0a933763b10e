//! The Disk panel: each part of the engine's root, then each path not accounted for.

use super::{Cell, Column, Columns, Room, Tone};
use crate::model::disk::{DiskLine, DiskLineKind};
use crate::text::format::{permille, size};

/// What the part holds, or why a path is not the engine's (a warning: nothing of the engine's
/// names it).
const PART: Column<DiskLine> = Column::<DiskLine>::left("PART", Room::Exactly(19), |l, _| match l.kind {
    DiskLineKind::Part(_) => Cell::plain(l.label()),
    DiskLineKind::Unaccounted(_) => Cell::toned(format!("! {}", l.label()), Tone::Warning),
})
.essential();
const SIZE: Column<DiskLine> =
    Column::<DiskLine>::right("SIZE", Room::Exactly(9), |l, _| Cell::plain(size(Some(l.size)))).essential();
const ON_DISK: Column<DiskLine> =
    Column::right("ON DISK", Room::Exactly(9), |l, _| Cell::plain(size(Some(l.disk_usage))));
const FILES: Column<DiskLine> =
    Column::right("FILES", Room::Exactly(7), |l, _| Cell::plain(l.files.to_string()));
/// Of the root's apparent total.
const SHARE: Column<DiskLine> =
    Column::right("SHARE", Room::Exactly(6), |l, _| Cell::plain(permille(l.permille)));
/// The folder to look inside (`o`): a path's telling end is its last names.
const PATH: Column<DiskLine> =
    Column::<DiskLine>::left("PATH", Room::Share(1), |l, _| Cell::toned(l.path.as_str(), Tone::Quiet))
        .essential();

pub const DISK: Columns<DiskLine> = Columns {
    // A narrow terminal drops the file count first, then the share.
    explorer: &[PART, SIZE, ON_DISK, SHARE, FILES, PATH],
    report: &[PART, SIZE, ON_DISK, SHARE, FILES, PATH],
};
