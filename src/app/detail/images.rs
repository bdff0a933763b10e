//! The detail of an image (its tags, sizes and where they came from, the containers made from
//! it) and of a build cache record (read-only: the engine clears the cache only as a whole).

use super::{field, heading, piece, plain, quiet, Row, Tone};
use crate::app::App;
use crate::model::{BuildCacheRecord, Image, ImageSizeSource};
use crate::text::format::size;
use crate::text::sanitize::visible;

fn shown(raw: &str) -> String {
    visible(raw).into_owned()
}

pub(super) fn image(app: &App, image: &Image) -> Vec<Row> {
    let name = image.tags.first().map_or("<none>", String::as_str);
    let mut title = vec![piece(shown(name), Tone::Title), quiet(format!("  {}", image.short_id()))];
    if image.dangling {
        title.push(piece("  dangling: untagged", Tone::Warning));
    }
    let sizing = &app.loading.images;
    let origin = match (image.sizes_source, &sizing.failed) {
        (Some(ImageSizeSource::DiskUsage), _) => "shared and unique from /system/df".to_owned(),
        (Some(ImageSizeSource::ImageList), _) => "shared and unique from the image list".to_owned(),
        (None, Some(error)) => format!("shared size unknown: {}", shown(&error.cause())),
        (None, None) if sizing.measuring => "measuring shared sizes (/system/df)…".to_owned(),
        (None, None) => "shared size not measured yet".to_owned(),
    };
    // The size and the containers first: a short pane shows them before the rest.
    let sizes = format!(
        "{}   shared {}   unique {}",
        size(image.size),
        size(image.shared_size),
        size(image.unique_size)
    );
    // Unknown sizes say why on the same line; known ones name their source last.
    let (sizes, origin) = match image.shared_size {
        None => (format!("{sizes}   {origin}"), None),
        Some(_) => (sizes, Some(origin)),
    };
    let mut out =
        vec![Row::of(title), field("size", sizes), heading(format!("used by ({})", image.containers.len()))];
    for (link, (name, id)) in image.containers.iter().zip(&image.container_ids).enumerate() {
        let state = app.container_state(id).cloned();
        let word = state.as_ref().map_or(String::new(), |s| shown(s.as_str()));
        out.push(Row::link(
            link,
            vec![plain(format!(" {} ", shown(name))), piece(format!("({word})"), Tone::State(state))],
        ));
    }
    if image.containers.is_empty() {
        out.push(Row::of(vec![quiet(" no container: d removes it, P prunes the unused")]));
    }
    out.push(field("created", shown(&image.created_at)));
    if image.tags.len() > 1 {
        out.push(field("tags", shown(&image.tags.join(", "))));
    }
    if let Some(origin) = origin {
        out.push(Row::of(vec![quiet(origin)]));
    }
    out
}

pub(super) fn cache_record(app: &App, record: &BuildCacheRecord) -> Vec<Row> {
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let reclaimable = app.inventory.build_cache.as_ref().map(|c| c.reclaimable);
    let mut out = vec![
        Row::of(vec![piece(shown(&record.id), Tone::Title), quiet(format!("  {}", shown(&record.kind)))]),
        Row::of(vec![piece(
            format!(
                "read-only: the engine clears build cache only as a whole, `docker builder prune` frees {} \
                 (what no build uses); no per-record removal to preview exactly",
                size(reclaimable)
            ),
            Tone::Warning,
        )]),
        field(
            "size",
            format!(
                "{}   in use {}   shared {}   from /system/df",
                size(record.size),
                yes_no(record.in_use),
                yes_no(record.shared)
            ),
        ),
        field("last used", record.last_used_at.as_deref().map_or_else(|| "never".to_owned(), shown)),
    ];
    if !record.description.is_empty() {
        // Written by whoever built: control characters show as text, never interpreted.
        out.push(field("made by", shown(&record.description)));
    }
    out
}
