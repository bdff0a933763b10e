//! The detail pane for an image (its tags, sizes and where they came from, the containers made
//! from it) and for a build cache record (read-only: the engine clears the cache only as a whole).

use ratatui::text::{Line, Span};

use super::theme;
use super::untrusted::shown;
use crate::app::App;
use crate::model::{BuildCacheRecord, Image, ImageSizeSource};
use crate::text::format::size;

/// A line of the pane, with the index of the link it shows, if any.
pub type DetailLine = (Option<usize>, Line<'static>);

fn field(name: &str, value: String) -> Line<'static> {
    Line::from(vec![Span::styled(format!("{name:<11}"), theme::dim()), Span::raw(value)])
}

pub fn image(app: &App, image: &Image) -> Vec<DetailLine> {
    let mut out: Vec<DetailLine> = Vec::new();
    let name = image.tags.first().map_or("<none>", String::as_str);
    let mut title = vec![Span::styled(shown(name).into_owned(), theme::title())];
    title.push(Span::styled(format!("  {}", image.short_id()), theme::dim()));
    if image.dangling {
        title.push(Span::styled("  dangling: untagged", theme::warning()));
    }
    out.push((None, Line::from(title)));
    let sizing = &app.loading.images;
    let origin = match (image.sizes_source, &sizing.failed) {
        (Some(ImageSizeSource::DiskUsage), _) => "shared and unique from /system/df".to_owned(),
        (Some(ImageSizeSource::ImageList), _) => "shared and unique from the image list".to_owned(),
        (None, Some(error)) => format!("shared size unknown: {}", shown(&error.cause())),
        (None, None) if sizing.measuring => "measuring shared sizes (/system/df)…".to_owned(),
        (None, None) => "shared size not measured yet".to_owned(),
    };
    // The size and the containers first: at 80x24 the pane holds five lines.
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
    out.push((None, field("size", sizes)));
    out.push((None, Line::styled(format!("used by ({})", image.containers.len()), theme::header_row())));
    for (link, (name, id)) in image.containers.iter().zip(&image.container_ids).enumerate() {
        let state = app.container_state(id);
        out.push((
            Some(link),
            Line::from(vec![
                Span::raw(format!(" {} ", shown(name))),
                Span::styled(format!("({})", shown(state.map_or("", |s| s.as_str()))), theme::state(state)),
            ]),
        ));
    }
    if image.containers.is_empty() {
        out.push((None, Line::styled(" no container: d removes it, P prunes the unused", theme::dim())));
    }
    out.push((None, field("created", shown(&image.created_at).into_owned())));
    if image.tags.len() > 1 {
        out.push((None, field("tags", shown(&image.tags.join(", ")).into_owned())));
    }
    if let Some(origin) = origin {
        out.push((None, Line::from(Span::styled(origin, theme::dim()))));
    }
    out
}

pub fn cache_record(app: &App, record: &BuildCacheRecord) -> Vec<DetailLine> {
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let reclaimable = app.inventory.build_cache.as_ref().map(|c| c.reclaimable);
    let mut out: Vec<DetailLine> = vec![
        (
            None,
            Line::from(vec![
                Span::styled(shown(&record.id).into_owned(), theme::title()),
                Span::styled(format!("  {}", shown(&record.kind)), theme::dim()),
            ]),
        ),
        (
            None,
            Line::styled(
                format!(
                    "read-only: the engine clears build cache only as a whole, `docker builder prune` \
                     frees {} (what no build uses); no per-record removal to preview exactly",
                    size(reclaimable)
                ),
                theme::warning(),
            ),
        ),
        (
            None,
            field(
                "size",
                format!(
                    "{}   in use {}   shared {}   from /system/df",
                    size(record.size),
                    yes_no(record.in_use),
                    yes_no(record.shared)
                ),
            ),
        ),
        (None, field("last used", record.last_used_at.as_deref().map_or("never".into(), shown).into_owned())),
    ];
    if !record.description.is_empty() {
        // Written by whoever built: control characters show as text, never interpreted.
        out.push((None, field("made by", shown(&record.description).into_owned())));
    }
    out
}
