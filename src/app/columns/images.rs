//! The Images and Build cache panels.

use std::borrow::Cow;

use super::{Cell, Column, Columns, Face, Room, Tone};
use crate::model::{BuildCacheRecord, Image};
use crate::text::format::{short_id, size};

/// Every tag. An untagged image is `<none>`: the report's ID column tells it apart, the explorer,
/// which has none, adds its short id.
const TAGS: Column<Image> = Column::left("REPOSITORY:TAG", Room::Share(3), |i, face| {
    Cell::plain(match face {
        _ if !i.tags.is_empty() => i.tags.join(", "),
        Face::Explorer { .. } => i.reference(),
        Face::Report { .. } => "<none>".to_owned(),
    })
});
const ID: Column<Image> = Column::left("ID", Room::Exactly(12), |i, _| Cell::plain(i.short_id()));
const SIZE: Column<Image> = Column::right("SIZE", Room::Exactly(9), |i, _| Cell::plain(size(i.size)));
const SHARED: Column<Image> =
    Column::right("SHARED", Room::Exactly(9), |i, face| Cell::plain(shared_or_unique(i.shared_size, face)));
/// What removing it frees.
const UNIQUE: Column<Image> =
    Column::right("UNIQUE", Room::Exactly(9), |i, face| Cell::plain(shared_or_unique(i.unique_size, face)));
/// Containers, in any state, made from it.
const USED: Column<Image> =
    Column::right("USED", Room::Exactly(4), |i, _| Cell::plain(i.containers.len().to_string()));
const DANGLING: Column<Image> =
    Column::left("", Room::Exactly(8), |i, _| Cell::flag(i.dangling, "dangling", Tone::Warning));
/// The day in the explorer, the whole timestamp in the report.
const CREATED: Column<Image> = Column::left("CREATED", Room::Exactly(10), |i, face| {
    let at = match face {
        Face::Explorer { .. } => i.created_at.get(..10).unwrap_or_default(),
        Face::Report { .. } => i.created_at.as_str(),
    };
    Cell::toned(at, Tone::Quiet)
});

/// Shared and unique sizes come from `/system/df` (or the list on API 1.42+), after the list: the
/// explorer shows the spinner while it is asked, `…` before, `?` when it failed.
fn shared_or_unique(bytes: Option<u64>, face: &Face) -> Cow<'static, str> {
    match (bytes, face) {
        (Some(bytes), _) => size(Some(bytes)).into(),
        (None, Face::Report { .. }) => size(None).into(),
        (None, Face::Explorer { loading, .. }) if loading.images.failed.is_some() => "?".into(),
        (None, Face::Explorer { loading, spinner, .. }) if loading.images.measuring => (*spinner).into(),
        (None, Face::Explorer { .. }) => "…".into(),
    }
}

pub const IMAGES: Columns<Image> = Columns {
    explorer: &[TAGS, SIZE, SHARED, UNIQUE, USED, DANGLING, CREATED],
    report: &[TAGS, ID, SIZE, SHARED, UNIQUE, USED.titled("CONTAINERS"), DANGLING, CREATED],
};

const RECORD_ID: Column<BuildCacheRecord> =
    Column::left("ID", Room::Exactly(12), |r, _| Cell::plain(short_id(&r.id)));
/// The engine's word: `regular`, `source.local`, `exec.cachemount`, …
const KIND: Column<BuildCacheRecord> =
    Column::left("TYPE", Room::Share(2), |r, _| Cell::plain(r.kind.as_str()));
const RECORD_SIZE: Column<BuildCacheRecord> =
    Column::right("SIZE", Room::Exactly(10), |r, _| Cell::plain(size(r.size)));
const IN_USE: Column<BuildCacheRecord> =
    Column::left("IN USE", Room::Exactly(6), |r, _| Cell::flag(r.in_use, "yes", Tone::Plain));
const SHARED_RECORD: Column<BuildCacheRecord> =
    Column::left("SHARED", Room::Exactly(6), |r, _| Cell::flag(r.shared, "yes", Tone::Plain));
const LAST_USED: Column<BuildCacheRecord> = Column::left("LAST USED", Room::Exactly(20), |r, face| {
    Cell::toned(face.timestamp(r.last_used_at.as_deref().unwrap_or_default()), Tone::Quiet)
});

pub const BUILD_CACHE: Columns<BuildCacheRecord> = Columns {
    explorer: &[RECORD_ID, KIND, RECORD_SIZE, IN_USE, SHARED_RECORD, LAST_USED],
    report: &[RECORD_ID, KIND, RECORD_SIZE, IN_USE, SHARED_RECORD, LAST_USED],
};
