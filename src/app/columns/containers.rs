//! The Containers panel: name, state, image, writable layer, virtual size, log, mounts.

use super::{Cell, Column, Columns, Face, Room, Tone};
use crate::model::Container;
use crate::text::format::{danger_marker, image_name, size};

const NAME: Column<Container> = Column::left("NAME", Room::Share(3), |c, _| Cell::plain(c.name.as_str()));
const STATE: Column<Container> =
    Column::left("STATE", Room::Exactly(10), |c, _| Cell::toned(c.state.as_str(), Tone::State(&c.state)));
/// A reference, or the short id once the container's tag has moved on.
const IMAGE: Column<Container> =
    Column::left("IMAGE", Room::Share(2), |c, _| Cell::plain(image_name(&c.image)));
/// Kept however narrow: the size the panel is about.
const WRITABLE: Column<Container> = Column::<Container>::right("WRITABLE", Room::Exactly(10), |c, face| {
    Cell::plain(face.size(face.pick(c.size_rw, c.disk_usage), |loading| loading.containers.is_waiting(&c.id)))
})
.essential();
/// The log's files; `—` where they cannot be read here. A log without a bound is marked as a
/// dangerous bind is: it grows until the disk is full.
const LOGS: Column<Container> = Column::right("LOGS", Room::Exactly(11), |c, face| {
    let Some(logs) = &c.logs else {
        // Where no log can be read here, there is no size to wait for: `—`, as once inspected.
        // A size the engine gave before the inspect (its `/system/df`) leaves only the log's
        // settings to come, which no one measures: `…`, not the spinner of a size being measured.
        return Cell::plain(match face {
            Face::Explorer { loading, .. } if loading.logs_closed => size(None).into(),
            Face::Explorer { loading, .. } if c.size_rw.is_some() && loading.containers.is_waiting(&c.id) => {
                "…".into()
            }
            _ => face.size(None, |loading| loading.containers.is_waiting(&c.id)),
        });
    };
    let text = size(face.pick(logs.size(), logs.disk_usage()));
    if logs.unbounded() {
        Cell::toned(format!("{} {text}", danger_marker(false)), Tone::Danger { writable: false })
    } else {
        Cell::plain(text)
    }
});
const VIRTUAL: Column<Container> = Column::right("VIRTUAL", Room::Exactly(10), |c, face| {
    Cell::plain(face.size(c.size_root_fs, |loading| loading.containers.is_waiting(&c.id)))
});
const MOUNTS: Column<Container> =
    Column::right("MOUNTS", Room::Exactly(6), |c, _| Cell::plain(c.mounts.len().to_string()));

pub const CONTAINERS: Columns<Container> = Columns {
    // A narrow terminal drops from the right: mounts, then the virtual size, then the log.
    explorer: &[NAME, STATE, IMAGE, WRITABLE, LOGS, VIRTUAL, MOUNTS],
    // The image, the widest, goes last in the report, where the last column is never cut.
    report: &[NAME, STATE, WRITABLE, VIRTUAL, LOGS, MOUNTS, IMAGE],
};
