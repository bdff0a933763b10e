//! The engine's own record of which layer folders it uses, read from its root: a graph driver's
//! folder under `<root>/<driver>/` is named by an image layer
//! (`image/<driver>/layerdb/sha256/<chain-id>/cache-id`), by a container
//! (`layerdb/mounts/<container-id>/{mount-id,init-id}`), or by buildkit's snapshot database
//! (`buildkit/snapshots.db`, whose buckets are the folders' names).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayerStore {
    /// Folders of image layers.
    pub image_layers: HashSet<String>,
    /// Mount owner (a container id) → its writable and init folders.
    pub mounts: HashMap<String, Vec<String>>,
}

/// Reads the layer store of `driver` under `root`. No layer store (a fresh engine, or the
/// containerd image store) is an empty one; a store that cannot be read is an error.
pub fn read(root: &Path, driver: &str) -> io::Result<LayerStore> {
    let layerdb = root.join("image").join(driver).join("layerdb");
    let mut store = LayerStore::default();
    for layer in entries(&layerdb.join("sha256"))? {
        if let Some(id) = first_line(&layer.join("cache-id"))? {
            store.image_layers.insert(id);
        }
    }
    for mount in entries(&layerdb.join("mounts"))? {
        let owner = mount.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut folders = Vec::new();
        for file in ["mount-id", "init-id"] {
            folders.extend(first_line(&mount.join(file))?);
        }
        store.mounts.insert(owner, folders);
    }
    Ok(store)
}

/// Buildkit's snapshot database, to ask whether it names a folder. Its buckets are keyed by
/// the folders' names, stored as they are, so a name absent from the file is not buildkit's.
pub struct BuildkitNames(Vec<u8>);

impl BuildkitNames {
    pub fn read(root: &Path) -> io::Result<BuildkitNames> {
        match fs::read(root.join("buildkit").join("snapshots.db")) {
            Ok(bytes) => Ok(BuildkitNames(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(BuildkitNames(Vec::new())),
            Err(e) => Err(e),
        }
    }

    pub fn names(&self, folder: &str) -> bool {
        !folder.is_empty() && memchr::memmem::find(&self.0, folder.as_bytes()).is_some()
    }
}

fn entries(dir: &Path) -> io::Result<Vec<std::path::PathBuf>> {
    match fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.map(|e| e.path())).collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

fn first_line(file: &Path) -> io::Result<Option<String>> {
    match fs::read_to_string(file) {
        Ok(text) => Ok(text.lines().next().map(str::trim).filter(|id| !id.is_empty()).map(str::to_owned)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_layers_and_container_mounts_are_read_from_the_layer_store() {
        let root = std::env::temp_dir().join(format!("dockdu-layerdb-{}", std::process::id()));
        let db = root.join("image/overlay2/layerdb");
        fs::create_dir_all(db.join("sha256/abc")).unwrap();
        fs::write(db.join("sha256/abc/cache-id"), "folder1").unwrap();
        fs::create_dir_all(db.join("mounts/c1")).unwrap();
        fs::write(db.join("mounts/c1/mount-id"), "folder2").unwrap();
        fs::write(db.join("mounts/c1/init-id"), "folder2-init").unwrap();
        let store = read(&root, "overlay2");
        let empty = read(&root, "vfs");
        let _ = fs::remove_dir_all(&root);
        let store = store.unwrap();
        assert_eq!(store.image_layers, HashSet::from(["folder1".to_owned()]));
        assert_eq!(store.mounts["c1"], ["folder2", "folder2-init"]);
        assert_eq!(empty.unwrap(), LayerStore::default());
    }
}
