//! What the images take on disk, and how to learn it without asking the engine to walk
//! everything: the route (`ImagesRoute`) and, where the engine's own total is known to be wrong,
//! a total proven from the images' own numbers (`proven_total`).

use std::collections::HashMap;

use super::{api_version, EngineInfo, EngineKind, ImageSizes, ImagesSizeSource};

/// How the images' sizes are to be learnt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImagesRoute {
    /// Read the graph driver's layer store here (`root`, `driver`) instead of `/system/df`; the
    /// build cache, which only `/system/df` knows on such engines, is then left unmeasured.
    pub layer_store: Option<(String, String)>,
    /// The engine's `LayersSize` is known to be wrong here: prove a total from the images.
    pub prove_total: bool,
}

impl ImagesRoute {
    /// `local`: the engine shares this machine's files. `with_build_cache`: the build cache is
    /// wanted now (its panel is open, or `r`), which only `/system/df` measures.
    pub fn choose(engine: &EngineInfo, local: bool, with_build_cache: bool) -> ImagesRoute {
        let api = api_version(&engine.api_version).unwrap_or((0, 0));
        // From API 1.42 the engine measures the images alone (`type=image`), which is quick.
        let old_engine = api < (1, 42);
        let graph_driver = engine.kind == EngineKind::Docker && !engine.containerd_store;
        let layer_store = match (&engine.root_dir, local && old_engine && graph_driver && !with_build_cache) {
            (Some(root), true) if !engine.storage_driver.is_empty() => {
                Some((root.clone(), engine.storage_driver.clone()))
            }
            _ => None,
        };
        let prove_total = ImagesSizeSource::engine_total_wrong(engine.kind, engine.containerd_store, api);
        ImagesRoute { layer_store, prove_total }
    }
}

/// An image's layers as the engine describes them: its diff ids (bottom first, from the
/// inspect's `RootFS.Layers`) and its history's sizes (oldest first), where each layer's size
/// is the one the engine uses for shared sizes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageLayers {
    pub diff_ids: Vec<String>,
    pub history_sizes: Vec<u64>,
}

impl ImageLayers {
    /// Each layer's size, when the history lines up with the layers: one entry per layer, or
    /// entries of 0 bytes (instructions that made no layer) besides exactly one non-empty entry
    /// per layer. Anything else could be aligned more than one way.
    fn layer_sizes(&self) -> Option<Vec<u64>> {
        if self.history_sizes.len() == self.diff_ids.len() {
            return Some(self.history_sizes.clone());
        }
        let non_empty: Vec<u64> = self.history_sizes.iter().copied().filter(|s| *s > 0).collect();
        (non_empty.len() == self.diff_ids.len()).then_some(non_empty)
    }
}

/// The images' sizes added up, each layer that several images share counted once: the sum of
/// every image's size less its shared size, plus each shared layer once. `None` unless every
/// image's layers line up with its history, a layer has one size wherever it appears, and the
/// shared layers found add up to each image's shared size as the engine gave it.
pub fn proven_total(images: &[(ImageSizes, ImageLayers)]) -> Option<u64> {
    let mut chains: HashMap<String, u64> = HashMap::new();
    let mut references: HashMap<String, usize> = HashMap::new();
    let mut per_image = Vec::with_capacity(images.len());
    for (sizes, layers) in images {
        let layer_sizes = layers.layer_sizes()?;
        let mut image_chains = Vec::with_capacity(layer_sizes.len());
        let mut chain = String::new();
        for (diff, size) in layers.diff_ids.iter().zip(layer_sizes) {
            chain.push_str(diff);
            chain.push(' ');
            if *chains.entry(chain.clone()).or_insert(size) != size {
                return None;
            }
            *references.entry(chain.clone()).or_default() += 1;
            image_chains.push(chain.clone());
        }
        per_image.push((sizes, image_chains));
    }
    let mut total = 0u64;
    for (sizes, image_chains) in per_image {
        let (size, shared) = (sizes.size?, sizes.shared_size?);
        let found: u64 = image_chains.iter().filter(|c| references[*c] > 1).map(|c| chains[c]).sum();
        if found != shared || shared > size {
            return None;
        }
        total += size - shared;
    }
    let shared_once: u64 = chains.iter().filter(|(c, _)| references[*c] > 1).map(|(_, size)| size).sum();
    Some(total + shared_once)
}

/// Without any shared size, the images' total is their sizes' sum, with nothing to prove.
pub fn total_without_sharing<'a>(sizes: impl IntoIterator<Item = &'a ImageSizes>) -> Option<u64> {
    sizes.into_iter().try_fold(0u64, |sum, s| match (s.size, s.shared_size) {
        (Some(size), Some(0)) => Some(sum + size),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(size: u64, shared: u64, diffs: &[&str], history: &[u64]) -> (ImageSizes, ImageLayers) {
        (
            ImageSizes { size: Some(size), shared_size: Some(shared) },
            ImageLayers {
                diff_ids: diffs.iter().map(|d| d.to_string()).collect(),
                history_sizes: history.to_vec(),
            },
        )
    }

    #[test]
    fn the_containerd_stores_numbers_give_each_shared_layer_once() {
        // Engine 26.1, containerd store, native snapshotter: an imported busybox and an image
        // committed on top of it. LayersSize said 14,041,088 (it counts a container's snapshot).
        let images = [
            image(3_055_935, 1_990_656, &["sha256:a9"], &[1_990_656]),
            image(10_092_411, 1_990_656, &["sha256:a9", "sha256:3d"], &[1_990_656, 5_017_600]),
        ];
        assert_eq!(proven_total(&images), Some(3_055_935 + 10_092_411 - 1_990_656));
    }

    #[test]
    fn empty_history_entries_are_skipped_only_when_that_is_the_one_way_to_line_up() {
        let built = image(150, 100, &["sha256:a", "sha256:b"], &[100, 0, 50, 0]);
        let base = image(100, 100, &["sha256:a"], &[100]);
        assert_eq!(proven_total(&[built.clone(), base]), Some(150));
        // Two non-empty entries for one layer: which one is it?
        let odd = image(150, 0, &["sha256:a"], &[100, 50]);
        assert_eq!(proven_total(&[odd]), None);
    }

    #[test]
    fn a_total_that_does_not_add_up_to_the_engines_shared_sizes_is_not_proven() {
        let a = image(100, 100, &["sha256:a"], &[100]);
        let b = image(150, 90, &["sha256:a", "sha256:b"], &[100, 50]);
        assert_eq!(proven_total(&[a, b]), None);
        let unknown = (ImageSizes { size: Some(1), shared_size: None }, image(1, 0, &["x"], &[1]).1);
        assert_eq!(proven_total(&[unknown]), None);
    }

    #[test]
    fn the_route_reads_the_layer_store_only_on_an_old_local_graph_driver_engine() {
        let old = EngineInfo {
            api_version: "1.41".into(),
            storage_driver: "fuse-overlayfs".into(),
            root_dir: Some("/var/lib/docker".into()),
            ..Default::default()
        };
        let route = ImagesRoute::choose(&old, true, false);
        assert_eq!(route.layer_store, Some(("/var/lib/docker".into(), "fuse-overlayfs".into())));
        assert!(!route.prove_total);
        assert_eq!(ImagesRoute::choose(&old, false, false).layer_store, None, "remote");
        assert_eq!(ImagesRoute::choose(&old, true, true).layer_store, None, "the build cache is wanted");
        let new = EngineInfo { api_version: "1.45".into(), ..old.clone() };
        assert_eq!(ImagesRoute::choose(&new, true, false).layer_store, None);
        let containerd = EngineInfo { containerd_store: true, ..new.clone() };
        assert!(ImagesRoute::choose(&containerd, true, false).prove_total);
        let fixed = EngineInfo { api_version: "1.55".into(), ..containerd };
        assert!(!ImagesRoute::choose(&fixed, true, false).prove_total, "Engine 29.6 fixed it");
        let podman = EngineInfo { kind: EngineKind::Podman, ..old };
        let route = ImagesRoute::choose(&podman, true, false);
        assert!(route.prove_total && route.layer_store.is_none());
    }
}
