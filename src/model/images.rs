//! Images and the build cache: each image with its tags, sizes and the containers made from it
//! (ownership from the container list's `ImageID`), and the build cache as the engine reports it.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use serde::Serialize;

use super::manifests::ImageManifest;
use super::{ContainerId, ImageId};

use super::facts::{BuildCacheFacts, BuildCacheRecord};
use super::Sources;

/// Where an image's shared and unique sizes came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageSizeSource {
    /// `/images/json?shared-size=1` (API ≥ 1.42).
    ImageList,
    /// `/system/df`.
    DiskUsage,
    /// The engine's layer store, read here (API < 1.42), as `/system/df` counts them.
    LayerStore,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Image {
    pub id: ImageId,
    /// Every `repository:tag` of the image; empty for an untagged one.
    pub tags: Vec<String>,
    /// The image's whole size, its shared layers included.
    pub size: Option<u64>,
    /// Bytes in layers other images use too; `None` until known.
    pub shared_size: Option<u64>,
    /// Bytes only this image holds: what removing it frees. `None` until known.
    pub unique_size: Option<u64>,
    /// Names of the containers, in any state, made from it.
    pub containers: Vec<String>,
    #[serde(skip)]
    pub container_ids: Vec<ContainerId>,
    /// Untagged (`<none>`).
    pub dangling: bool,
    pub created_at: String,
    /// Where `shared_size` and `unique_size` came from; `None` while unknown.
    pub sizes_source: Option<ImageSizeSource>,
    #[serde(skip)]
    pub labels: BTreeMap<String, String>,
    /// Its platforms and attestations, where the engine describes them (API ≥ 1.47, containerd's
    /// image store); empty otherwise.
    pub manifests: Vec<ImageManifest>,
}

impl Image {
    /// What the panel and previews call it: its first tag, or `<none>` and its short id.
    pub fn reference(&self) -> String {
        reference(&self.tags, &self.id)
    }

    pub fn short_id(&self) -> &str {
        crate::text::format::image_short_id(&self.id)
    }

    pub fn in_use(&self) -> bool {
        !self.containers.is_empty()
    }
}

/// An image's first tag, or `<none>` and its short id.
pub fn reference(tags: &[String], id: &str) -> String {
    match tags.first() {
        Some(tag) => tag.clone(),
        None => format!("<none> {}", crate::text::format::image_short_id(id)),
    }
}

/// Beside an image's reference: its other tags, or that it is untagged.
pub fn other_tags(tags: &[String]) -> String {
    match tags {
        [] => "dangling".to_owned(),
        [_] => String::new(),
        [_, others @ ..] => format!("also {}", others.join(", ")),
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BuildCache {
    pub count: usize,
    pub size: u64,
    pub reclaimable: u64,
    pub records: Vec<BuildCacheRecord>,
}

pub(super) fn images(sources: &Sources) -> Vec<Image> {
    let mut users: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for c in &sources.containers {
        users.entry(c.image_id.as_str()).or_default().push((c.name.as_str(), c.id.as_str()));
    }
    let usage = sources.image_usage.as_ref();
    let mut images: Vec<Image> = sources
        .images
        .iter()
        .map(|facts| {
            let mut owners = users.get(facts.id.as_str()).cloned().unwrap_or_default();
            owners.sort();
            let from_df = usage.and_then(|u| u.images.get(&facts.id)).and_then(|s| s.shared_size);
            let measured_by = match usage.map(|u| u.source) {
                Some(super::ImagesSizeSource::LayerStore) => ImageSizeSource::LayerStore,
                _ => ImageSizeSource::DiskUsage,
            };
            let (shared_size, sizes_source) = match (from_df, facts.shared_size) {
                (Some(shared), _) => (Some(shared), Some(measured_by)),
                (None, Some(shared)) => (Some(shared), Some(ImageSizeSource::ImageList)),
                (None, None) => (None, None),
            };
            Image {
                id: facts.id.clone(),
                tags: facts.tags.clone(),
                size: facts.size,
                shared_size,
                unique_size: facts.size.zip(shared_size).map(|(size, shared)| size.saturating_sub(shared)),
                containers: owners.iter().map(|(name, _)| (*name).to_owned()).collect(),
                container_ids: owners.iter().map(|(_, id)| ContainerId::new(*id)).collect(),
                dangling: facts.tags.is_empty(),
                created_at: crate::text::format::utc_timestamp(facts.created),
                sizes_source,
                labels: facts.labels.clone(),
                manifests: facts.manifests.clone(),
            }
        })
        .collect();
    images.sort_by(|a, b| (Reverse(a.size), &a.tags, &a.id).cmp(&(Reverse(b.size), &b.tags, &b.id)));
    images
}

/// Every image's shared size is known (an engine without images has nothing to wait for).
pub(super) fn sizes_known(images: &[Image]) -> bool {
    images.iter().all(|i| i.shared_size.is_some())
}

pub(super) fn build_cache(facts: Option<&BuildCacheFacts>) -> Option<BuildCache> {
    let facts = facts?;
    let summed: u64 = facts.records.iter().filter_map(|r| r.size).sum();
    Some(BuildCache {
        count: facts.records.len(),
        size: facts.size.unwrap_or(summed),
        reclaimable: facts.reclaimable.unwrap_or(0),
        records: facts.records.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::facts::{ContainerFacts, ImageFacts, ImageSizes, ImagesUsage};
    use crate::model::{build, Sources};

    fn image(id: &str, tags: &[&str], size: u64) -> ImageFacts {
        ImageFacts {
            id: id.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            size: Some(size),
            created: 1_795_757_050,
            ..Default::default()
        }
    }

    fn container(name: &str, image_id: &str) -> ContainerFacts {
        ContainerFacts {
            id: format!("id-{name}").into(),
            name: name.into(),
            image_id: image_id.into(),
            ..Default::default()
        }
    }

    fn sources() -> Sources {
        Sources {
            images: vec![image("sha256:a", &["app:1", "app:latest"], 300), image("sha256:b", &[], 100)],
            containers: vec![container("web", "sha256:a"), container("api", "sha256:a")],
            ..Default::default()
        }
    }

    #[test]
    fn an_image_knows_its_containers_by_id_and_an_untagged_one_is_dangling() {
        let inventory = build(&sources());
        let app = &inventory.images[0];
        assert_eq!(app.tags, ["app:1", "app:latest"]);
        assert_eq!(app.containers, ["api", "web"]);
        assert!(!app.dangling && app.in_use());
        let none = &inventory.images[1];
        assert!(none.dangling && !none.in_use());
        assert_eq!(none.reference(), "<none> b");
        assert_eq!(app.created_at, "2026-11-27T05:24:10Z");
        assert_eq!(inventory.totals.images, 2);
    }

    #[test]
    fn shared_and_unique_sizes_stay_unknown_until_the_engine_gives_them_and_say_whence() {
        let mut sources = sources();
        let inventory = build(&sources);
        assert_eq!((inventory.images[0].shared_size, inventory.images[0].unique_size), (None, None));
        assert!(!inventory.images_sizes_known);
        assert_eq!(inventory.totals.images_size, None);
        sources.images[1].shared_size = Some(40);
        let usage = ImagesUsage {
            layers_size: Some(360),
            images: [("sha256:a".into(), ImageSizes { size: Some(300), shared_size: Some(40) })].into(),
            ..Default::default()
        };
        sources.image_usage = Some(usage);
        let inventory = build(&sources);
        let (a, b) = (&inventory.images[0], &inventory.images[1]);
        assert_eq!((a.unique_size, a.sizes_source), (Some(260), Some(ImageSizeSource::DiskUsage)));
        assert_eq!((b.unique_size, b.sizes_source), (Some(60), Some(ImageSizeSource::ImageList)));
        assert!(inventory.images_sizes_known);
        assert_eq!(inventory.totals.images_size, Some(360));
        assert_eq!(inventory.totals.reclaimable_image_bytes, 60, "only the unused image frees bytes");
    }

    #[test]
    fn the_build_cache_is_unknown_until_measured_and_sums_its_records_otherwise() {
        assert_eq!(build(&sources()).build_cache, None);
        let record = |size| BuildCacheRecord { size: Some(size), ..Default::default() };
        let facts =
            BuildCacheFacts { records: vec![record(10), record(5)], size: None, reclaimable: Some(5) };
        let cache = build_cache(Some(&facts)).expect("measured");
        assert_eq!((cache.count, cache.size, cache.reclaimable), (2, 15, 5));
    }
}
