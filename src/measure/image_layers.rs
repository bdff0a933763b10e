//! Images' sizes read from a graph driver's layer store, counted as the engine counts them in
//! `/system/df` (moby 20.10 `daemon/images`): an image's size is the sum of its layers' own
//! sizes (`layerdb/sha256/<chain-id>/size`), its shared size the sum of those layers that another
//! listed image uses too, and the layers' total every layer a listed image uses, once. The
//! engine counts references over the images it lists (intermediate images left out), so the
//! caller names them. Reading these small files takes milliseconds where `/system/df` walks
//! every layer and volume.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::Path;

/// One image's sizes, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageLayerSizes {
    pub size: u64,
    pub shared_size: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayerStoreSizes {
    /// Image id (`sha256:…`) → its sizes.
    pub images: HashMap<String, ImageLayerSizes>,
    /// Every layer of the images, once (`LayersSize`).
    pub layers_size: u64,
    /// Images named but removed since they were listed: the engine no longer counts them either.
    pub vanished: Vec<String>,
}

/// A layer as the layer store records it.
struct Layer {
    chain: String,
    size: u64,
}

/// The sizes of the images named, from the layer store of `driver` under `root`. An image gone
/// since it was listed is left out (and named); a layer the store does not hold, or a file that
/// cannot be read, is an error: a partial answer would not be the engine's number.
pub fn read(root: &Path, driver: &str, image_ids: &[&str]) -> io::Result<LayerStoreSizes> {
    let store = root.join("image").join(driver);
    let layers = read_layers(&store.join("layerdb").join("sha256"))?;
    let mut chains: HashMap<&str, Vec<&Layer>> = HashMap::new();
    let mut vanished = Vec::new();
    for id in image_ids {
        let diff_ids = match read_diff_ids(&store, id) {
            Ok(diff_ids) => diff_ids,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                vanished.push((*id).to_owned());
                continue;
            }
            Err(e) => return Err(e),
        };
        let mut parent = String::new();
        let mut chain = Vec::with_capacity(diff_ids.len());
        for diff in diff_ids {
            let layer = layers.get(&(parent.clone(), diff.clone())).ok_or_else(|| {
                invalid(format!("image {id}: no layer {diff} over {parent:?} in the layer store"))
            })?;
            parent = layer.chain.clone();
            chain.push(layer);
        }
        chains.insert(id, chain);
    }
    let mut references: HashMap<&str, usize> = HashMap::new();
    for chain in chains.values() {
        for layer in chain {
            *references.entry(layer.chain.as_str()).or_default() += 1;
        }
    }
    let mut counted = HashSet::new();
    let mut sizes = LayerStoreSizes { vanished, ..Default::default() };
    for (id, chain) in &chains {
        let mut image = ImageLayerSizes { size: 0, shared_size: 0 };
        for layer in chain {
            image.size += layer.size;
            if references[layer.chain.as_str()] > 1 {
                image.shared_size += layer.size;
            }
            if counted.insert(layer.chain.as_str()) {
                sizes.layers_size += layer.size;
            }
        }
        sizes.images.insert((*id).to_owned(), image);
    }
    Ok(sizes)
}

/// `(parent chain id or "", diff id)` → the layer: how an image's diff ids lead to its chain.
fn read_layers(dir: &Path) -> io::Result<HashMap<(String, String), Layer>> {
    let mut layers = HashMap::new();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(layers),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
        // A layer being written lives in `<chain>-init` or a temporary folder until committed.
        if !path.join("diff").exists() {
            continue;
        }
        let chain = format!("sha256:{name}");
        let diff = read_trimmed(&path.join("diff"))?;
        let parent = match fs::read_to_string(path.join("parent")) {
            Ok(text) => text.trim().to_owned(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e),
        };
        let size = read_trimmed(&path.join("size"))?
            .parse::<u64>()
            .map_err(|e| invalid(format!("{}: {e}", path.join("size").display())))?;
        layers.insert((parent, diff), Layer { chain, size });
    }
    Ok(layers)
}

/// The image's diff ids, bottom layer first, from its configuration in the image store.
fn read_diff_ids(store: &Path, id: &str) -> io::Result<Vec<String>> {
    #[derive(serde::Deserialize)]
    struct Config {
        rootfs: RootFs,
    }
    #[derive(serde::Deserialize)]
    struct RootFs {
        #[serde(default)]
        diff_ids: Vec<String>,
    }
    let (algorithm, hex) = id.split_once(':').unwrap_or(("sha256", id));
    if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid(format!("not an image id: {id:?}")));
    }
    let path = store.join("imagedb").join("content").join(algorithm).join(hex);
    let config: Config =
        serde_json::from_slice(&fs::read(&path)?).map_err(|e| invalid(format!("{}: {e}", path.display())))?;
    Ok(config.rootfs.diff_ids)
}

fn read_trimmed(path: &Path) -> io::Result<String> {
    Ok(fs::read_to_string(path)?.trim().to_owned())
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(db: &Path, chain: &str, diff: &str, parent: Option<&str>, size: u64) {
        let dir = db.join(chain);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("diff"), diff).unwrap();
        if let Some(parent) = parent {
            fs::write(dir.join("parent"), format!("sha256:{parent}")).unwrap();
        }
        fs::write(dir.join("size"), size.to_string()).unwrap();
    }

    fn image(store: &Path, hex: &str, diffs: &[&str]) {
        let dir = store.join("imagedb/content/sha256");
        fs::create_dir_all(&dir).unwrap();
        let config = serde_json::json!({ "rootfs": { "type": "layers", "diff_ids": diffs } });
        fs::write(dir.join(hex), config.to_string()).unwrap();
    }

    #[test]
    fn shared_layers_count_in_each_images_shared_size_and_once_in_the_total() {
        let root = std::env::temp_dir().join(format!("dockdu-image-layers-{}", std::process::id()));
        let store = root.join("image/overlay2");
        let db = store.join("layerdb/sha256");
        layer(&db, "c1", "sha256:d1", None, 100);
        layer(&db, "c2", "sha256:d2", Some("c1"), 20);
        layer(&db, "c3", "sha256:d3", Some("c1"), 3);
        // The same diff over another parent is another layer.
        layer(&db, "c4", "sha256:d2", None, 7);
        image(&store, "aa", &["sha256:d1"]);
        image(&store, "bb", &["sha256:d1", "sha256:d2"]);
        image(&store, "cc", &["sha256:d1", "sha256:d3"]);
        image(&store, "dd", &["sha256:d2"]);
        let sizes = read(&root, "overlay2", &["sha256:aa", "sha256:bb", "sha256:cc", "sha256:dd"]);
        let only_two = read(&root, "overlay2", &["sha256:bb", "sha256:dd"]);
        let gone = read(&root, "overlay2", &["sha256:aa", "sha256:ee"]);
        fs::remove_dir_all(db.join("c4")).unwrap();
        let layer_missing = read(&root, "overlay2", &["sha256:dd"]);
        let _ = fs::remove_dir_all(&root);

        let sizes = sizes.unwrap();
        let of = |id: &str| sizes.images[id];
        assert_eq!(of("sha256:aa"), ImageLayerSizes { size: 100, shared_size: 100 });
        assert_eq!(of("sha256:bb"), ImageLayerSizes { size: 120, shared_size: 100 });
        assert_eq!(of("sha256:cc"), ImageLayerSizes { size: 103, shared_size: 100 });
        assert_eq!(of("sha256:dd"), ImageLayerSizes { size: 7, shared_size: 0 });
        assert_eq!(sizes.layers_size, 100 + 20 + 3 + 7);
        // References count over the images named only.
        let only_two = only_two.unwrap();
        assert_eq!(only_two.images["sha256:bb"], ImageLayerSizes { size: 120, shared_size: 0 });
        assert_eq!(only_two.layers_size, 127);
        // Removed since listed: left out, and named.
        let gone = gone.unwrap();
        assert_eq!((gone.images.len(), gone.vanished), (1, vec!["sha256:ee".to_owned()]));
        assert_eq!(layer_missing.unwrap_err().kind(), io::ErrorKind::InvalidData);
    }
}
