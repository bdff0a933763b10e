//! A whole tree of sizes in little memory, for the browser and `dockdu du`: one arena of small
//! nodes linked by `u32` indices, every name in one shared byte buffer. A million entries cost
//! about 32 bytes of node plus their names (see `benches/browse.rs`); a hard link costs 8 more.
//!
//! Hard links, by the engine's rule (an inode counts once) and as ncdu shows them: every name
//! of an inode shows the inode's size and is marked, and every folder holding at least one of
//! its names counts it once — so two names in one folder count once there, two names in sibling
//! folders count once in each sibling and once (not twice) in their common parent and above.
//! A folder's size can then be less than the sum of its entries' sizes.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// What an entry of the tree is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Dir,
    File,
    Symlink,
    /// FIFOs, sockets, devices, whiteouts.
    Other,
}

impl NodeKind {
    /// The word `du --json` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Dir => "dir",
            NodeKind::File => "file",
            NodeKind::Symlink => "symlink",
            NodeKind::Other => "other",
        }
    }
}

/// What a container's writable layer did to an entry of its image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    /// Copied up from the image, then changed (or a folder with changes inside).
    Changed,
    /// Deleted from the image: a whiteout, size 0.
    Deleted,
}

impl Change {
    /// The word `du` uses, in its JSON and its text.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Changed => "changed",
            Change::Deleted => "deleted",
        }
    }
}

/// A node's place in its tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

impl NodeId {
    pub const ROOT: NodeId = NodeId(0);
}

const NONE: u32 = u32::MAX;
/// The bit of `Node::kind` that marks a name of an inode that has others in the tree.
const HARD_LINK: u8 = 0x80;

/// 32 bytes: sizes first so nothing pads.
#[derive(Debug, Clone)]
struct Node {
    /// Bytes of this entry, or of everything under a folder once `finish`ed.
    size: u64,
    name_start: u32,
    parent: u32,
    first_child: u32,
    next_sibling: u32,
    /// Entries that are not folders, under a folder (1 for the others).
    files: u32,
    name_len: u16,
    /// A `NodeKind`, with `HARD_LINK` set on a name of a hard-linked inode.
    kind: u8,
    change: u8,
}

#[derive(Debug, Clone)]
pub struct Tree {
    nodes: Vec<Node>,
    names: Vec<u8>,
    /// (a later name, the inode's first name), for each name after an inode's first: 8 bytes per
    /// hard link, nothing for the other entries.
    links: Vec<(u32, u32)>,
}

impl Tree {
    /// A tree holding only its root, a folder named `name`.
    pub fn new(name: &[u8]) -> Tree {
        let mut tree = Tree { nodes: Vec::new(), names: Vec::new(), links: Vec::new() };
        tree.push(NONE, name, NodeKind::Dir, 0);
        tree
    }

    /// Adds an entry inside `parent`; a folder's size comes from what is added inside it (see
    /// `finish`). Names longer than a `u16` are cut (no file system allows them).
    pub fn add(&mut self, parent: NodeId, name: &[u8], kind: NodeKind, size: u64) -> NodeId {
        self.push(parent.0, name, kind, size)
    }

    fn push(&mut self, parent: u32, name: &[u8], kind: NodeKind, size: u64) -> NodeId {
        let id = self.nodes.len() as u32;
        let name = &name[..name.len().min(u16::MAX as usize)];
        let name_start = self.names.len() as u32;
        self.names.extend_from_slice(name);
        let next_sibling = if parent == NONE {
            NONE
        } else {
            let parent = &mut self.nodes[parent as usize];
            std::mem::replace(&mut parent.first_child, id)
        };
        self.nodes.push(Node {
            size,
            name_start,
            parent,
            first_child: NONE,
            next_sibling,
            files: u32::from(kind != NodeKind::Dir),
            name_len: name.len() as u16,
            kind: kind as u8,
            change: 0,
        });
        NodeId(id)
    }

    /// Records `name` as another name of the inode first added as `first` (a file, a symlink…,
    /// never a folder), which `add` was given the same size: both are marked, and `finish` counts
    /// the inode once in each folder (see the module's doc). `first` must be the inode's first
    /// name, the one every later name points at.
    pub fn hard_link(&mut self, name: NodeId, first: NodeId) {
        self.links.push((name.0, first.0));
        self.set_hard_link(name);
        self.set_hard_link(first);
    }

    /// Marks an entry as a name of an inode with another name in what was measured, when that
    /// other name is not in the tree (an image file a layer's entry links to, say).
    pub fn set_hard_link(&mut self, id: NodeId) {
        self.nodes[id.0 as usize].kind |= HARD_LINK;
    }

    /// Whether the entry is one of several names of one inode: it shows the inode's size, and
    /// its folders count that size once whatever the number of names inside them.
    pub fn is_hard_link(&self, id: NodeId) -> bool {
        self.nodes[id.0 as usize].kind & HARD_LINK != 0
    }

    /// Adds every entry's size and file count into its folders, each hard-linked inode once per
    /// folder. Children always come after their parent, so one pass from the end does it. Call
    /// once, after the last `add`.
    pub fn finish(&mut self) {
        for i in (1..self.nodes.len()).rev() {
            let (size, files, parent) = (self.nodes[i].size, self.nodes[i].files, self.nodes[i].parent);
            let parent = &mut self.nodes[parent as usize];
            parent.size += size;
            parent.files = parent.files.saturating_add(files);
        }
        self.count_links_once();
    }

    /// Takes back what the pass above added more than once: every name added its size to all
    /// its folders, and a folder that already held a name of the same inode must not count it
    /// again. The folders counting an inode are the ancestors of its names, a set closed upwards:
    /// a later name's walk up stops adding at the first folder already in it, and from there on
    /// up every folder gives the size back.
    fn count_links_once(&mut self) {
        let mut links = std::mem::take(&mut self.links);
        links.sort_unstable_by_key(|&(_, first)| first);
        for names in links.chunk_by(|a, b| a.1 == b.1) {
            let mut counted = HashSet::new();
            let mut at = self.nodes[names[0].1 as usize].parent;
            while at != NONE {
                counted.insert(at);
                at = self.nodes[at as usize].parent;
            }
            for &(name, _) in names {
                let size = self.nodes[name as usize].size;
                let mut at = self.nodes[name as usize].parent;
                while at != NONE && counted.insert(at) {
                    at = self.nodes[at as usize].parent;
                }
                while at != NONE {
                    let folder = &mut self.nodes[at as usize];
                    folder.size = folder.size.saturating_sub(size);
                    at = folder.parent;
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// Bytes the tree holds (nodes and names), for the memory budget.
    pub fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.names.capacity()
            + self.links.capacity() * std::mem::size_of::<(u32, u32)>()
    }

    /// Names the root (a volume's tree is named after the volume, not its `_data` folder).
    pub fn set_root_name(&mut self, name: &[u8]) {
        let name = &name[..name.len().min(u16::MAX as usize)];
        let start = self.names.len() as u32;
        self.names.extend_from_slice(name);
        self.nodes[0].name_start = start;
        self.nodes[0].name_len = name.len() as u16;
    }

    pub fn name(&self, id: NodeId) -> &[u8] {
        let node = &self.nodes[id.0 as usize];
        &self.names[node.name_start as usize..][..node.name_len as usize]
    }

    pub fn name_lossy(&self, id: NodeId) -> String {
        OsStr::from_bytes(self.name(id)).to_string_lossy().into_owned()
    }

    pub fn size(&self, id: NodeId) -> u64 {
        self.nodes[id.0 as usize].size
    }

    pub fn files(&self, id: NodeId) -> u32 {
        self.nodes[id.0 as usize].files
    }

    pub fn kind(&self, id: NodeId) -> NodeKind {
        match self.nodes[id.0 as usize].kind & !HARD_LINK {
            0 => NodeKind::Dir,
            1 => NodeKind::File,
            2 => NodeKind::Symlink,
            _ => NodeKind::Other,
        }
    }

    pub fn change(&self, id: NodeId) -> Option<Change> {
        match self.nodes[id.0 as usize].change {
            1 => Some(Change::Added),
            2 => Some(Change::Changed),
            3 => Some(Change::Deleted),
            _ => None,
        }
    }

    pub fn set_change(&mut self, id: NodeId, change: Option<Change>) {
        self.nodes[id.0 as usize].change = match change {
            None => 0,
            Some(Change::Added) => 1,
            Some(Change::Changed) => 2,
            Some(Change::Deleted) => 3,
        };
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        let parent = self.nodes[id.0 as usize].parent;
        (parent != NONE).then_some(NodeId(parent))
    }

    /// The entry of the first level that `id` is under (itself if it is one; the root for the root).
    pub fn first_level(&self, id: NodeId) -> NodeId {
        let mut at = id;
        while let Some(parent) = self.parent(at).filter(|p| *p != NodeId::ROOT) {
            at = parent;
        }
        at
    }

    /// The entries of a folder, in no particular order.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children { tree: self, next: self.nodes[id.0 as usize].first_child }
    }

    /// The path of an entry from the root, starting with `/` (the root itself is `/`).
    pub fn path(&self, id: NodeId) -> Vec<u8> {
        let mut parts = Vec::new();
        let mut at = id;
        while let Some(parent) = self.parent(at) {
            parts.push(at);
            at = parent;
        }
        let mut path = Vec::new();
        for part in parts.iter().rev() {
            path.push(b'/');
            path.extend_from_slice(self.name(*part));
        }
        if path.is_empty() {
            path.push(b'/');
        }
        path
    }

    /// The child of `parent` named `name`.
    pub fn child(&self, parent: NodeId, name: &[u8]) -> Option<NodeId> {
        self.children(parent).find(|child| self.name(*child) == name)
    }

    /// Every entry below `from`, parents before children, with its path relative to `from`
    /// (`/a/b`), built in one buffer.
    pub fn each_path(&self, from: NodeId, mut visit: impl FnMut(NodeId, &[u8])) {
        let mut path = Vec::new();
        let mut stack: Vec<(NodeId, usize)> = self.children(from).map(|c| (c, 0)).collect();
        while let Some((id, keep)) = stack.pop() {
            path.truncate(keep);
            path.push(b'/');
            path.extend_from_slice(self.name(id));
            visit(id, &path);
            let here = path.len();
            stack.extend(self.children(id).map(|c| (c, here)));
        }
    }
}

pub struct Children<'a> {
    tree: &'a Tree,
    next: u32,
}

impl Iterator for Children<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        (self.next != NONE).then(|| {
            let id = NodeId(self.next);
            self.next = self.tree.nodes[self.next as usize].next_sibling;
            id
        })
    }
}

/// How the entries of a folder are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Size,
    Name,
    Count,
}

impl SortBy {
    pub fn next(self) -> SortBy {
        match self {
            SortBy::Size => SortBy::Name,
            SortBy::Name => SortBy::Count,
            SortBy::Count => SortBy::Size,
        }
    }
}

/// The entries of a folder in order: biggest (or most files: a file is one) first, names in
/// natural order (`d2` before `d19`); ties by name. Keys are gathered first so the sort compares
/// flat tuples, not nodes all over the arena.
pub fn sorted_children(tree: &Tree, dir: NodeId, by: SortBy) -> Vec<NodeId> {
    let mut keyed: Vec<(u64, &[u8], NodeId)> = tree
        .children(dir)
        .map(|id| {
            let files = if tree.kind(id) == NodeKind::Dir { tree.files(id) } else { 1 };
            let key = match by {
                SortBy::Size => u64::MAX - tree.size(id),
                SortBy::Count => u64::MAX - u64::from(files),
                SortBy::Name => 0,
            };
            (key, tree.name(id), id)
        })
        .collect();
    // By the number first (cheap compares), then each run of equal numbers by name. Names are
    // unique within a folder: the order is total, so unstable sorts are exact.
    keyed.sort_unstable_by_key(|k| k.0);
    for run in keyed.chunk_by_mut(|a, b| a.0 == b.0) {
        run.sort_unstable_by(|a, b| natural(a.1, b.1));
    }
    keyed.into_iter().map(|(_, _, id)| id).collect()
}

/// Names in the order a person counts (`d2` before `d19`); bytes that are not UTF-8 compare as
/// bytes, so the order stays total.
pub fn natural(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    match (std::str::from_utf8(a), std::str::from_utf8(b)) {
        (Ok(a), Ok(b)) => alphanumeric_sort::compare_str(a, b).then_with(|| a.cmp(b)),
        _ => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_add_up_what_is_inside_them() {
        let mut tree = Tree::new(b"root");
        let etc = tree.add(NodeId::ROOT, b"etc", NodeKind::Dir, 0);
        tree.add(etc, b"passwd", NodeKind::File, 100);
        let deep = tree.add(etc, b"deep", NodeKind::Dir, 0);
        tree.add(deep, b"x", NodeKind::File, 5);
        tree.add(NodeId::ROOT, b"link", NodeKind::Symlink, 7);
        tree.finish();
        assert_eq!((tree.size(NodeId::ROOT), tree.files(NodeId::ROOT)), (112, 3));
        assert_eq!((tree.size(etc), tree.files(etc)), (105, 2));
        assert_eq!(tree.path(deep), b"/etc/deep");
        let order: Vec<_> =
            sorted_children(&tree, NodeId::ROOT, SortBy::Size).iter().map(|c| tree.name_lossy(*c)).collect();
        assert_eq!(order, ["etc", "link"]);
        let order: Vec<_> =
            sorted_children(&tree, NodeId::ROOT, SortBy::Name).iter().map(|c| tree.name_lossy(*c)).collect();
        assert_eq!(order, ["etc", "link"]);
        let mut paths = Vec::new();
        tree.each_path(NodeId::ROOT, |_, p| paths.push(String::from_utf8_lossy(p).into_owned()));
        paths.sort();
        assert_eq!(paths, ["/etc", "/etc/deep", "/etc/deep/x", "/etc/passwd", "/link"]);
    }

    #[test]
    fn each_folder_holding_a_name_of_a_hard_linked_file_counts_it_once() {
        // One 100-byte file named /a/x, /a/y, /b/c/z and /d/e/f/q; the first name is each in turn.
        let names: [&[&[u8]]; 4] =
            [&[b"a", b"x"], &[b"a", b"y"], &[b"b", b"c", b"z"], &[b"d", b"e", b"f", b"q"]];
        for first_at in 0..names.len() {
            let mut tree = Tree::new(b"root");
            let mut first = None;
            let mut ids = Vec::new();
            for i in (0..names.len()).map(|i| (i + first_at) % names.len()) {
                let (name, folders) = names[i].split_last().unwrap();
                let mut at = NodeId::ROOT;
                for folder in folders {
                    at = tree.child(at, folder).unwrap_or_else(|| tree.add(at, folder, NodeKind::Dir, 0));
                }
                let id = tree.add(at, name, NodeKind::File, 100);
                match first {
                    None => first = Some(id),
                    Some(first) => tree.hard_link(id, first),
                }
                ids.push(id);
            }
            let b = tree.child(NodeId::ROOT, b"b").unwrap();
            tree.add(b, b"w", NodeKind::File, 1);
            tree.add(NodeId::ROOT, b"solo", NodeKind::File, 5);
            tree.finish();
            let size_at = |path: &[&[u8]]| {
                let at = path.iter().fold(NodeId::ROOT, |at, name| tree.child(at, name).unwrap());
                (tree.size(at), tree.is_hard_link(at))
            };
            assert_eq!(size_at(&[]), (100 + 1 + 5, false), "the root, once; the first name {first_at}");
            assert_eq!(size_at(&[b"a"]), (100, false), "two names in one folder count once");
            assert_eq!(size_at(&[b"b"]), (101, false));
            assert_eq!(size_at(&[b"b", b"c"]), (100, false));
            assert_eq!(size_at(&[b"d", b"e", b"f"]), (100, false));
            assert_eq!(size_at(&[b"d"]), (100, false));
            for name in names {
                assert_eq!(size_at(name), (100, true), "each name shows the file's size, marked");
            }
            assert_eq!(size_at(&[b"solo"]), (5, false));
            assert_eq!(tree.files(NodeId::ROOT), 6, "names are entries");
        }
    }

    #[test]
    fn a_node_costs_32_bytes() {
        assert_eq!(std::mem::size_of::<Node>(), 32);
    }
}
