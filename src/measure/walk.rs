//! One tree, by the engine's rule. Iterative (no recursion, one open directory at a time), so
//! deep trees cost neither stack nor file descriptors.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs::{self, Metadata};
use std::io;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Stops the walks that share it, at their next directory (or within a thousand entries).
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// What a tree adds up to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Total {
    /// Apparent bytes, each inode once: the engine's number.
    pub bytes: u64,
    /// Entries that are not directories, hard links included.
    pub entries: u64,
    /// Bytes of the blocks allocated on disk (`st_blocks` × 512), each inode once, directories
    /// included: what the filesystem loses to the tree, which `bytes` does not say (many small
    /// files occupy whole blocks; a sparse file occupies less than its size).
    pub disk_usage: u64,
}

impl Total {
    pub fn add(&mut self, other: Total) {
        self.bytes += other.bytes;
        self.entries += other.entries;
        self.disk_usage += other.disk_usage;
    }
}

/// How far a walk goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bounds {
    /// Stay on the filesystem of the root: a folder on another (a running container's merged
    /// root, a tmpfs, a volume mounted from elsewhere) is passed over, not counted.
    pub one_filesystem: bool,
}

/// A tree's total and the inodes in it that have other names, with what each added (bytes,
/// disk usage): trees walked apart can then count each of those once between them.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub total: Total,
    pub linked: HashMap<Inode, (u64, u64)>,
    /// Folders on another filesystem, passed over (with `Bounds::one_filesystem`).
    pub passed_over: Vec<PathBuf>,
}

#[derive(Debug)]
pub enum WalkError {
    /// An entry could not be read: the tree has no size, since a partial sum would be a wrong one.
    Unreadable {
        path: PathBuf,
        error: io::Error,
    },
    Cancelled,
}

impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WalkError::Unreadable { path, error } => write!(f, "cannot read {}: {error}", path.display()),
            WalkError::Cancelled => f.write_str("cancelled"),
        }
    }
}

impl std::error::Error for WalkError {}

/// What an entry is, for a visitor that shows the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Symlink,
    /// overlayfs's mark for a file deleted from the image: a character device 0/0.
    Whiteout,
    /// FIFOs, sockets, other devices.
    Other,
}

/// Directories are numbered in the order the walk finds them; the root is `DirId::ROOT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DirId(pub usize);

impl DirId {
    pub const ROOT: DirId = DirId(0);
}

/// An inode with more than one name (`nlink > 1`): the same for each of its names in a walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Inode {
    pub dev: u64,
    pub ino: u64,
}

/// Sees every entry of a walk: enough to build the tree (each names its parent directory).
pub trait Visit {
    /// A directory inside `parent`, reported before anything inside it.
    fn dir(&mut self, _id: DirId, _parent: DirId, _name: &OsStr) {}
    /// An entry that is not a directory, with its `lstat` size and, when its inode has other
    /// names, that inode: the total counts its size only at the first of its names met.
    fn entry(&mut self, _parent: DirId, _name: &OsStr, _kind: Kind, _size: u64, _linked: Option<Inode>) {}
}

/// Sizes only.
impl Visit for () {}

/// The size of the tree at `root`.
pub fn size(root: &Path, cancel: &Cancel) -> Result<Total, WalkError> {
    walk(root, &mut (), cancel)
}

/// The size of the tree at `root` within `bounds`, with its hard-linked inodes.
pub fn tally(root: &Path, bounds: Bounds, cancel: &Cancel) -> Result<Tally, WalkError> {
    let mut counter = Counter::default();
    walk_into(root, &mut (), cancel, bounds, &mut counter)?;
    Ok(Tally { total: counter.total, linked: counter.linked, passed_over: counter.passed_over })
}

/// Walks the tree at `root` without following anything, telling `visit` about each entry.
pub fn walk(root: &Path, visit: &mut impl Visit, cancel: &Cancel) -> Result<Total, WalkError> {
    walk_within(root, visit, cancel, Bounds::default())
}

/// `walk`, going no further than `bounds`.
pub fn walk_within(
    root: &Path,
    visit: &mut impl Visit,
    cancel: &Cancel,
    bounds: Bounds,
) -> Result<Total, WalkError> {
    let mut counter = Counter::default();
    walk_into(root, visit, cancel, bounds, &mut counter)?;
    Ok(counter.total)
}

fn walk_into(
    root: &Path,
    visit: &mut impl Visit,
    cancel: &Cancel,
    bounds: Bounds,
    counter: &mut Counter,
) -> Result<(), WalkError> {
    let unreadable = |path: &Path, error| WalkError::Unreadable { path: path.to_owned(), error };
    let root_meta = fs::symlink_metadata(root).map_err(|e| unreadable(root, e))?;
    let device = root_meta.dev();
    if !root_meta.is_dir() {
        let linked = counter.count(&root_meta);
        visit.entry(
            DirId::ROOT,
            root.file_name().unwrap_or_default(),
            kind(&root_meta),
            root_meta.len(),
            linked,
        );
        return Ok(());
    }
    counter.directory(&root_meta);
    let mut pending = vec![(root.to_path_buf(), DirId::ROOT)];
    let mut next_id = 1;
    while let Some((dir, id)) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            // Removed while we walked: the engine passes over it too.
            Err(e) if e.kind() == io::ErrorKind::NotFound && id != DirId::ROOT => continue,
            Err(e) => return Err(unreadable(&dir, e)),
        };
        for entry in entries {
            if counter.total.entries.is_multiple_of(1024) && cancel.is_cancelled() {
                return Err(WalkError::Cancelled);
            }
            let entry = entry.map_err(|e| unreadable(&dir, e))?;
            // `DirEntry::metadata` does not follow symlinks: an lstat, relative to the directory.
            let meta = match entry.metadata() {
                Ok(meta) => meta,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(unreadable(&entry.path(), e)),
            };
            let name = entry.file_name();
            if bounds.one_filesystem && meta.dev() != device {
                counter.passed_over.push(entry.path());
                continue;
            }
            if meta.is_dir() {
                counter.directory(&meta);
                let child = DirId(next_id);
                next_id += 1;
                visit.dir(child, id, &name);
                pending.push((entry.path(), child));
            } else {
                let linked = counter.count(&meta);
                visit.entry(id, &name, kind(&meta), meta.len(), linked);
            }
        }
        if cancel.is_cancelled() {
            return Err(WalkError::Cancelled);
        }
    }
    Ok(())
}

#[derive(Default)]
struct Counter {
    total: Total,
    /// Inodes with more than one name, seen so far, with what each added. An inode with one
    /// name cannot come back, so memory grows with the hard links, not with the files.
    linked: HashMap<Inode, (u64, u64)>,
    passed_over: Vec<PathBuf>,
}

impl Counter {
    /// Counts an entry that is not a directory; returns its inode if that has other names.
    fn count(&mut self, meta: &Metadata) -> Option<Inode> {
        self.total.entries += 1;
        let inode = (meta.nlink() > 1).then(|| Inode { dev: meta.dev(), ino: meta.ino() });
        let first = match inode {
            Some(inode) => match self.linked.entry(inode) {
                std::collections::hash_map::Entry::Occupied(_) => false,
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert((meta.len(), allocated(meta)));
                    true
                }
            },
            None => true,
        };
        if first {
            self.total.bytes += meta.len();
            self.total.disk_usage += allocated(meta);
        }
        inode
    }

    /// A directory occupies blocks, and no apparent bytes by the engine's rule.
    fn directory(&mut self, meta: &Metadata) {
        self.total.disk_usage += allocated(meta);
    }
}

/// Bytes allocated on disk: `st_blocks` counts 512-byte units whatever the filesystem's block.
pub fn allocated(meta: &Metadata) -> u64 {
    meta.blocks() * 512
}

fn kind(meta: &Metadata) -> Kind {
    let file_type = meta.file_type();
    if file_type.is_file() {
        Kind::File
    } else if file_type.is_symlink() {
        Kind::Symlink
    } else if file_type.is_char_device() && meta.rdev() == 0 {
        Kind::Whiteout
    } else {
        Kind::Other
    }
}
