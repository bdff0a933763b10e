//! The Containers panel: name, state, image, writable layer, virtual size, mounts.

use super::{Cell, Column, Columns, Room, Tone};
use crate::model::Container;
use crate::text::format::image_name;

const NAME: Column<Container> = Column::left("NAME", Room::Share(3), |c, _| Cell::plain(c.name.as_str()));
const STATE: Column<Container> =
    Column::left("STATE", Room::Exactly(10), |c, _| Cell::toned(c.state.as_str(), Tone::State(&c.state)));
/// A reference, or the short id once the container's tag has moved on.
const IMAGE: Column<Container> =
    Column::left("IMAGE", Room::Share(2), |c, _| Cell::plain(image_name(&c.image)));
const WRITABLE: Column<Container> = Column::right("WRITABLE", Room::Exactly(10), |c, face| {
    Cell::plain(face.size(c.size_rw, |loading| loading.containers.is_waiting(&c.id)))
});
const VIRTUAL: Column<Container> = Column::right("VIRTUAL", Room::Exactly(10), |c, face| {
    Cell::plain(face.size(c.size_root_fs, |loading| loading.containers.is_waiting(&c.id)))
});
const MOUNTS: Column<Container> =
    Column::right("MOUNTS", Room::Exactly(6), |c, _| Cell::plain(c.mounts.len().to_string()));

pub const CONTAINERS: Columns<Container> = Columns {
    explorer: &[NAME, STATE, IMAGE, WRITABLE, VIRTUAL, MOUNTS],
    // The image, the widest, goes last in the report, where the last column is never cut.
    report: &[NAME, STATE, WRITABLE, VIRTUAL, MOUNTS, IMAGE],
};
