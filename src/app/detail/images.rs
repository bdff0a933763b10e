//! The detail of an image (its tags, sizes and where they came from, the containers made from
//! it) and of a build cache record (read-only: the engine clears the cache only as a whole).

use super::{field, heading, piece, plain, quiet, Piece, Row, Tone};
use crate::app::App;
use crate::model::manifests::{platform_of, ImageManifest, ManifestKind};
use crate::model::{BuildCacheRecord, Image, ImageSizeSource, ImagesSizeSource};
use crate::text::format::{image_short_id, short_id, size};
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
        (Some(ImageSizeSource::LayerStore), _) => {
            "shared and unique read here from the engine's layer store, as /system/df counts them".to_owned()
        }
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
    // The header's images total, where it is not simply the engine's own.
    let totals = &app.inventory.totals;
    if let (Some(total), Some(source)) = (totals.images_size, totals.images_size_source) {
        if source != ImagesSizeSource::Engine {
            out.push(Row::of(vec![quiet(format!("all images {}: {}", size(Some(total)), source.words()))]));
        }
    }
    out.extend(manifests(app, image));
    out
}

/// One row per manifest: its platforms first, each with what is here and who runs it, then the
/// attestations, quiet. Nothing where the engine does not describe them.
fn manifests(app: &App, image: &Image) -> Vec<Row> {
    if image.manifests.is_empty() {
        return Vec::new();
    }
    let mut ordered: Vec<&ImageManifest> = image.manifests.iter().collect();
    // Stable: the index's order within each kind.
    ordered.sort_by_key(|m| m.kind != ManifestKind::Image);
    let label = |m: &ImageManifest| match m.kind {
        ManifestKind::Image => shown(m.platform.as_deref().unwrap_or(m.short_digest())),
        ManifestKind::Attestation => {
            let target = m.attests.as_deref().unwrap_or_default();
            let of = platform_of(&image.manifests, target).unwrap_or(image_short_id(target));
            format!("attestation for {}", shown(of))
        }
        ManifestKind::Unknown => format!("unknown manifest {}", shown(m.short_digest())),
    };
    // Platforms line up with each other; the quiet rows below them need not.
    let column = ordered
        .iter()
        .filter(|m| m.kind == ManifestKind::Image)
        .map(|m| label(m).chars().count())
        .max()
        .unwrap_or(0);
    let mut out = vec![heading(format!("manifests ({})", image.manifests.len()))];
    for m in ordered {
        let platform = m.kind == ManifestKind::Image;
        let tone = if platform { Tone::Plain } else { Tone::Quiet };
        let mut pieces = vec![piece(format!(" {:<column$}  ", label(m)), tone.clone())];
        pieces.extend(here(m, platform));
        let users: Vec<String> = m
            .container_ids
            .iter()
            .map(|id| app.inventory.container(id).map_or_else(|| short_id(id).to_owned(), |c| shown(&c.name)))
            .collect();
        if !users.is_empty() {
            pieces.push(quiet("   used by "));
            pieces.push(plain(users.join(", ")));
        }
        out.push(Row::of(pieces));
    }
    out
}

/// What of a manifest is here: its content and, for a platform, its unpacked size.
fn here(m: &ImageManifest, platform: bool) -> Vec<Piece> {
    let tone = if platform { Tone::Size } else { Tone::Quiet };
    let bytes = |n: Option<u64>, what: &str| {
        vec![piece(format!("{:>9}", size(n)), tone.clone()), quiet(format!(" {what}"))]
    };
    match (m.available, m.content_size) {
        (true, _) if platform => {
            let mut pieces = bytes(m.content_size, "content  ");
            pieces.extend(bytes(m.unpacked_size, "unpacked"));
            pieces
        }
        (true, _) => bytes(m.content_size, "content"),
        // Named by the index, its blobs partly fetched: a pull that stopped.
        (false, Some(content)) if content > 0 => bytes(Some(content), "content, incomplete"),
        (false, _) => vec![quiet("not pulled")],
    }
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
