//! The Volumes panel, and the report's section of dangling volumes.

use super::{Cell, Column, Columns, Face, Room, Tone};
use crate::model::Volume;
use crate::text::format::{mode, volume_name};
use crate::text::secrets::key_values;

/// In the explorer, anonymous volumes by the first 12 of their 64 hex digits (a prefix every
/// command takes back); the report writes every name whole, a terminal's width cutting it last.
const NAME: Column<Volume> = Column::left("NAME", Room::Share(3), |v, face| match face {
    Face::Explorer { .. } => Cell::plain(volume_name(&v.name, v.anonymous)),
    Face::Report { .. } => Cell::plain(v.name.as_str()),
});
const DRIVER: Column<Volume> =
    Column::left("DRIVER", Room::Exactly(8), |v, _| Cell::plain(v.driver.as_str()));
const SIZE: Column<Volume> = Column::right("SIZE", Room::Exactly(10), |v, face| {
    Cell::plain(face.size(face.pick(v.size, v.disk_usage), |loading| loading.volumes.is_waiting(&v.name)))
});
/// Containers, in any state, that mount it.
const USERS: Column<Volume> =
    Column::right("USERS", Room::Exactly(5), |v, _| Cell::plain(v.ref_count.to_string()));
const DANGLING: Column<Volume> =
    Column::left("", Room::Exactly(9), |v, _| Cell::flag(v.dangling, "dangling", Tone::Warning));
const CREATED: Column<Volume> = Column::left("CREATED", Room::Exactly(20), |v, face| {
    Cell::toned(face.timestamp(v.created_at.as_deref().unwrap_or_default()), Tone::Quiet)
});
/// Who mounts it where, or `dangling`: what the explorer's detail pane lists.
const USED_BY: Column<Volume> = Column::<Volume>::left("USED BY", Room::Share(3), |v, _| {
    let users: Vec<String> =
        v.containers.iter().map(|o| format!("{}:{} ({})", o.container, o.destination, mode(o.rw))).collect();
    Cell::plain(if users.is_empty() { "dangling".to_owned() } else { users.join(", ") })
})
.listing();
/// Driver options and labels, secret-looking values masked unless the report reveals them.
const OPTIONS: Column<Volume> = Column::<Volume>::left("OPTIONS", Room::Share(2), |v, face| {
    Cell::toned(key_values(&v.options, face.reveal_secrets()), Tone::Quiet)
})
.listing();
const LABELS: Column<Volume> = Column::<Volume>::left("LABELS", Room::Share(2), |v, face| {
    Cell::toned(key_values(&v.labels, face.reveal_secrets()), Tone::Quiet)
})
.listing();
const KIND: Column<Volume> = Column::left("KIND", Room::Exactly(9), |v, _| {
    Cell::plain(if v.anonymous { "anonymous" } else { "named" })
});

pub const VOLUMES: Columns<Volume> = Columns {
    explorer: &[NAME, DRIVER, SIZE, USERS, DANGLING, CREATED],
    // The detail pane's users, options and labels, on the volume's one line.
    report: &[NAME, DRIVER, SIZE, USERS, USED_BY, OPTIONS, LABELS],
};

/// The report's own section: the volumes no container uses, what `prune volumes` looks at.
pub const DANGLING_VOLUMES: &[Column<Volume>] = &[NAME, SIZE, KIND, CREATED];
