//! Builds a `Tree` by walking a folder here, by the engine's rule (see `walk`), and tells how far
//! it got while it walks: the first level as soon as the root folder is read, then its entries'
//! sizes growing as deeper folders are counted.

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::{Duration, Instant};

use super::tree::{Change, NodeId, NodeKind, Tree};
use super::walk::{walk_within, Bounds, Cancel, DirId, Inode, Kind, Visit, WalkError};

/// How often progress is told, at most.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);
/// First-level entries told in progress, the biggest so far: a screen shows a few dozen, and a
/// folder of 100,000 files told whole ten times a second would cost more than the walk.
const PROGRESS_TOP: usize = 1000;

/// One entry of the first level, while the walk goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopEntry {
    pub name: String,
    pub kind: NodeKind,
    pub size: u64,
    pub files: u32,
}

/// How far a walk got: totals so far, and the first level once the root folder is read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub bytes: u64,
    pub files: u64,
    pub top: Vec<TopEntry>,
}

/// What a walk is for: a writable layer has its whiteouts marked as deleted entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Plain,
    Layer,
}

/// Walks `root` into a tree. `progress` is called now and then (from this thread).
pub fn build(
    root: &Path,
    layout: Layout,
    cancel: &Cancel,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<Tree, WalkError> {
    build_within(root, layout, Bounds::default(), cancel, progress)
}

/// `build`, going no further than `bounds`.
pub fn build_within(
    root: &Path,
    layout: Layout,
    bounds: Bounds,
    cancel: &Cancel,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<Tree, WalkError> {
    let name = root.file_name().map_or(b"/" as &[u8], |n| n.as_bytes());
    let mut builder = Builder {
        growing: Growing::new(name, progress),
        dirs: vec![(NodeId::ROOT, NodeId::ROOT)],
        first_names: HashMap::new(),
        layout,
        first_level_told: false,
    };
    walk_within(root, &mut builder, cancel, bounds)?;
    Ok(builder.growing.finish())
}

/// A tree being filled, with running totals per first-level entry so progress can show the
/// first level before folders have added up what is inside them.
pub(super) struct Growing<'a> {
    pub tree: Tree,
    top: HashMap<NodeId, (u64, u32)>,
    /// (an inode's first name, a first-level entry) whose running total already holds its size.
    linked_tops: HashSet<(NodeId, NodeId)>,
    bytes: u64,
    files: u64,
    last_told: Instant,
    progress: &'a mut (dyn FnMut(Progress) + Send),
}

impl<'a> Growing<'a> {
    pub fn new(root_name: &[u8], progress: &'a mut (dyn FnMut(Progress) + Send)) -> Self {
        Growing {
            tree: Tree::new(root_name),
            top: HashMap::new(),
            linked_tops: HashSet::new(),
            bytes: 0,
            files: 0,
            last_told: Instant::now(),
            progress,
        }
    }

    /// Adds an entry; `top` is the first-level entry it is under (`None`: it is one).
    pub fn add(
        &mut self,
        parent: NodeId,
        top: Option<NodeId>,
        name: &[u8],
        kind: NodeKind,
        bytes: u64,
    ) -> NodeId {
        let node = self.tree.add(parent, name, kind, bytes);
        if kind != NodeKind::Dir {
            let total = self.top.entry(top.unwrap_or(node)).or_default();
            total.0 += bytes;
            total.1 += 1;
            self.bytes += bytes;
            self.files += 1;
        }
        node
    }

    /// Adds another name of the inode first added as `first`: it shows the inode's size, which
    /// the totals so far already hold, except a first-level entry's that holds no name of it yet.
    pub fn add_hard_link(
        &mut self,
        parent: NodeId,
        top: Option<NodeId>,
        name: &[u8],
        first: NodeId,
    ) -> NodeId {
        let size = self.tree.size(first);
        let node = self.tree.add(parent, name, self.tree.kind(first), size);
        self.tree.hard_link(node, first);
        let top = top.unwrap_or(node);
        let counted = self.tree.first_level(first) == top || !self.linked_tops.insert((first, top));
        let total = self.top.entry(top).or_default();
        total.0 += if counted { 0 } else { size };
        total.1 += 1;
        self.files += 1;
        node
    }

    /// Tells progress now (`now`), or when it is time to.
    pub fn tell(&mut self, now: bool) {
        if now || (self.files.is_multiple_of(1024) && self.last_told.elapsed() >= PROGRESS_EVERY) {
            self.last_told = Instant::now();
            let progress = self.snapshot();
            (self.progress)(progress);
        }
    }

    fn snapshot(&self) -> Progress {
        let top = self
            .tree
            .children(NodeId::ROOT)
            .map(|id| {
                let (size, files) = self.top.get(&id).copied().unwrap_or_default();
                TopEntry { name: self.tree.name_lossy(id), kind: self.tree.kind(id), size, files }
            })
            .collect::<Vec<TopEntry>>();
        let mut top = top;
        if top.len() > PROGRESS_TOP {
            top.select_nth_unstable_by(PROGRESS_TOP - 1, |a, b| b.size.cmp(&a.size));
            top.truncate(PROGRESS_TOP);
        }
        Progress { bytes: self.bytes, files: self.files, top }
    }

    pub fn finish(self) -> Tree {
        let mut tree = self.tree;
        tree.finish();
        tree
    }
}

struct Builder<'a> {
    growing: Growing<'a>,
    /// Per `DirId`: its node, and the node of the first-level entry it is under.
    dirs: Vec<(NodeId, NodeId)>,
    /// The first name met of each inode with several names.
    first_names: HashMap<Inode, NodeId>,
    layout: Layout,
    first_level_told: bool,
}

impl Builder<'_> {
    /// The walk reads the root folder whole before any other: the first entry elsewhere means
    /// the first level is complete.
    fn maybe_tell(&mut self, parent: DirId) {
        let first_level_done = !self.first_level_told && parent != DirId::ROOT;
        self.first_level_told |= first_level_done;
        self.growing.tell(first_level_done);
    }

    fn node_of(&self, dir: DirId) -> (NodeId, Option<NodeId>) {
        let (node, top) = self.dirs.get(dir.0).copied().unwrap_or((NodeId::ROOT, NodeId::ROOT));
        (node, (dir != DirId::ROOT).then_some(top))
    }
}

impl Visit for Builder<'_> {
    fn dir(&mut self, id: DirId, parent: DirId, name: &OsStr) {
        self.maybe_tell(parent);
        let (parent_node, parent_top) = self.node_of(parent);
        let node = self.growing.add(parent_node, parent_top, name.as_bytes(), NodeKind::Dir, 0);
        debug_assert_eq!(id.0, self.dirs.len());
        self.dirs.push((node, parent_top.unwrap_or(node)));
    }

    fn entry(&mut self, parent: DirId, name: &OsStr, kind: Kind, size: u64, linked: Option<Inode>) {
        self.maybe_tell(parent);
        let (parent_node, parent_top) = self.node_of(parent);
        let mut name = name.as_bytes();
        let mut change = None;
        if self.layout == Layout::Layer {
            // An opaque folder's marker (fuse-overlayfs makes `.wh..opq` a 0/0 device, other
            // drivers a file beside `.wh..wh..opq`): the folder hides the image's, no entry.
            if name == b".wh..opq" {
                return;
            }
            if kind == Kind::Whiteout {
                change = Some(Change::Deleted);
            } else if let Some(deleted) = name.strip_prefix(b".wh.") {
                // Other drivers' whiteouts; `.wh..wh..opq` marks an opaque folder, no entry.
                if deleted.starts_with(b".wh.") {
                    return;
                }
                name = deleted;
                change = Some(Change::Deleted);
            }
        }
        let node_kind = match kind {
            Kind::File => NodeKind::File,
            Kind::Symlink => NodeKind::Symlink,
            Kind::Whiteout | Kind::Other => NodeKind::Other,
        };
        // A deletion is no file of the layer's: never a name of anything.
        let linked = linked.filter(|_| change.is_none());
        let node = match linked.map(|inode| (inode, self.first_names.get(&inode).copied())) {
            Some((_, Some(first))) => self.growing.add_hard_link(parent_node, parent_top, name, first),
            Some((inode, None)) => {
                let node = self.growing.add(parent_node, parent_top, name, node_kind, size);
                self.first_names.insert(inode, node);
                node
            }
            None => self.growing.add(parent_node, parent_top, name, node_kind, size),
        };
        if change.is_some() {
            self.growing.tree.set_change(node, change);
        }
    }
}

/// Marks a layer's entries from the engine's list of changes (path from the root → change).
/// Everything in a layer is the container's: what the list leaves out was copied up from the
/// image without a change the engine notices (a hard link to an image file, say).
pub fn mark_changes(tree: &mut Tree, changes: &HashMap<Vec<u8>, Change>) {
    let mut marks = Vec::new();
    tree.each_path(NodeId::ROOT, |id, path| {
        marks.push((id, changes.get(path).copied().unwrap_or(Change::Changed)));
    });
    for (id, change) in marks {
        // A whiteout found here is a deletion whatever the list says.
        if tree.change(id) != Some(Change::Deleted) {
            tree.set_change(id, Some(change));
        }
    }
}
