//! Sizes from a tar stream (the engine's `GET /containers/{id}/archive`), counted from the
//! headers alone: file contents are skipped as they pass, so memory holds one header (or one
//! extended header) and the tree. Counted as the engine counts: a regular file its size, a
//! symlink the length of its target, FIFOs and devices nothing, a hard-linked inode once. In a
//! tar the first name of an inode carries it and each later name is a hard-link entry
//! (typeflag `1`, size 0) naming the first: that later name shows the first's size and both
//! are marked, as the walk here does (see `tree` for how folders count them).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};

use super::local::{Growing, Progress};
use super::tree::{Change, NodeId, NodeKind, Tree};

const BLOCK: usize = 512;
/// Extended headers (long names) bigger than this are refused: no path is that long.
const MAX_EXTENSION: u64 = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TarError(pub String);

impl std::fmt::Display for TarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unreadable archive: {}", self.0)
    }
}

impl std::error::Error for TarError {}

enum State {
    Header,
    /// Bytes to pass over (contents and padding).
    Skip(u64),
    /// An extended header's body: its kind, its length, and the padding after it.
    Extension {
        kind: u8,
        len: usize,
        padding: u64,
    },
    End,
}

/// What the next entry's own header is overridden with.
#[derive(Default)]
struct Pending {
    path: Option<Vec<u8>>,
    link: Option<Vec<u8>>,
    size: Option<u64>,
}

/// What an archive entry puts in the tree.
enum Adding {
    Entry(NodeKind, u64),
    /// Another name of the inode at this path of the archive.
    HardLinkTo(Vec<u8>),
}

/// An entry of a layer's archive that its list of changes leaves out (an image file), kept by
/// the hash of its path in case a layer's entry is a hard link to it.
#[derive(Clone, Copy)]
enum LeftOut {
    /// Its kind and size: the first layer entry linking to it shows and counts them.
    Inode(NodeKind, u64),
    /// The first layer entry that links to it, which later ones link to in turn.
    Named(NodeId),
}

/// Builds a tree from tar bytes fed in pieces of any size.
pub struct TarTree<'a> {
    growing: Growing<'a>,
    state: State,
    buf: Vec<u8>,
    pending: Pending,
    /// The folders of the last entry: (name, node).
    stack: Vec<(Vec<u8>, NodeId)>,
    /// Drop each path's first component (the archive of `/data` names `data/...`).
    strip_first: bool,
    /// A writable layer: only the paths listed here are kept, with their marks.
    changes: Option<&'a HashMap<Vec<u8>, Change>>,
    /// Entries of this archive a layer leaves out, by path hash (a hard link names only an
    /// earlier entry of its own archive).
    left_out: HashMap<u64, LeftOut>,
    /// Children of the folders a hard link was looked up in, by (folder, name hash): a folder
    /// is read whole once, not once per link (backup volumes hold folders of links).
    index: HashMap<(NodeId, u64), NodeId>,
    indexed: HashSet<NodeId>,
    hasher: RandomState,
}

impl<'a> TarTree<'a> {
    pub fn new(root_name: &[u8], strip_first: bool, progress: &'a mut (dyn FnMut(Progress) + Send)) -> Self {
        TarTree {
            growing: Growing::new(root_name, progress),
            state: State::Header,
            buf: Vec::with_capacity(BLOCK),
            pending: Pending::default(),
            stack: Vec::new(),
            strip_first,
            changes: None,
            left_out: HashMap::new(),
            index: HashMap::new(),
            indexed: HashSet::new(),
            hasher: RandomState::new(),
        }
    }

    /// Keeps only the entries a layer's list of changes names (path from the root → change).
    pub fn layer(mut self, changes: &'a HashMap<Vec<u8>, Change>) -> Self {
        self.changes = Some(changes);
        self
    }

    /// Starts the next archive into the same tree (a layer is read folder by folder).
    pub fn next_archive(&mut self, strip_first: bool) {
        self.state = State::Header;
        self.buf.clear();
        self.pending = Pending::default();
        self.stack.clear();
        self.left_out.clear();
        self.strip_first = strip_first;
    }

    pub fn feed(&mut self, mut data: &[u8]) -> Result<(), TarError> {
        while !data.is_empty() {
            match &mut self.state {
                State::End => return Ok(()),
                State::Skip(left) => {
                    let n = (*left).min(data.len() as u64) as usize;
                    *left -= n as u64;
                    data = &data[n..];
                    if *left == 0 {
                        self.state = State::Header;
                    }
                }
                State::Header => {
                    let n = (BLOCK - self.buf.len()).min(data.len());
                    self.buf.extend_from_slice(&data[..n]);
                    data = &data[n..];
                    if self.buf.len() == BLOCK {
                        let header = std::mem::take(&mut self.buf);
                        self.header(&header)?;
                        self.buf = header;
                        self.buf.clear();
                    }
                }
                State::Extension { kind, len, padding } => {
                    let (kind, len, padding) = (*kind, *len, *padding);
                    let n = (len - self.buf.len()).min(data.len());
                    self.buf.extend_from_slice(&data[..n]);
                    data = &data[n..];
                    if self.buf.len() == len {
                        self.extension(kind);
                        self.buf.clear();
                        self.state = if padding == 0 { State::Header } else { State::Skip(padding) };
                    }
                }
            }
        }
        Ok(())
    }

    /// The tree, with folders added up. Whatever was not fed is not in it.
    pub fn finish(self) -> Tree {
        self.growing.finish()
    }

    /// Adds an entry by its path from this archive's root (for a layer's deletions).
    pub fn add_path(&mut self, path: &[u8], kind: NodeKind, size: u64, change: Option<Change>) {
        self.stack.clear();
        self.insert(path, Adding::Entry(kind, size), change);
    }

    fn header(&mut self, block: &[u8]) -> Result<(), TarError> {
        if block.iter().all(|b| *b == 0) {
            self.state = State::End;
            return Ok(());
        }
        let size = self.pending.size.take().map_or_else(|| octal(&block[124..136]), Ok)?;
        let padded = size.div_ceil(BLOCK as u64) * BLOCK as u64;
        let typeflag = block[156];
        if matches!(typeflag, b'x' | b'L' | b'K') {
            if size > MAX_EXTENSION {
                return Err(TarError(format!("an extended header of {size} bytes")));
            }
            self.state = State::Extension { kind: typeflag, len: size as usize, padding: padded - size };
            if size == 0 {
                self.state = State::Header;
            }
            return Ok(());
        }
        self.state = if padded == 0 { State::Header } else { State::Skip(padded) };
        if typeflag == b'g' {
            return Ok(());
        }
        let path = match self.pending.path.take() {
            Some(path) => path,
            None => {
                let name = field(&block[0..100]);
                if &block[257..263] == b"ustar\0" && block[345] != 0 {
                    let mut path = field(&block[345..500]).to_vec();
                    path.push(b'/');
                    path.extend_from_slice(name);
                    path
                } else {
                    name.to_vec()
                }
            }
        };
        let link = self.pending.link.take().unwrap_or_else(|| field(&block[157..257]).to_vec());
        let adding = match typeflag {
            b'0' | 0 | b'7' if path.ends_with(b"/") => Adding::Entry(NodeKind::Dir, 0),
            b'0' | 0 | b'7' => Adding::Entry(NodeKind::File, size),
            b'1' => Adding::HardLinkTo(if self.strip_first { strip_first(&link) } else { link }),
            b'2' => Adding::Entry(NodeKind::Symlink, link.len() as u64),
            b'5' => Adding::Entry(NodeKind::Dir, 0),
            _ => Adding::Entry(NodeKind::Other, 0),
        };
        let path = if self.strip_first { strip_first(&path) } else { path };
        self.insert(&path, adding, None);
        Ok(())
    }

    fn extension(&mut self, kind: u8) {
        let body = std::mem::take(&mut self.buf);
        match kind {
            b'L' => self.pending.path = Some(field(&body).to_vec()),
            b'K' => self.pending.link = Some(field(&body).to_vec()),
            _ => {
                for (key, value) in pax_records(&body) {
                    match key {
                        b"path" => self.pending.path = Some(value.to_vec()),
                        b"linkpath" => self.pending.link = Some(value.to_vec()),
                        b"size" => {
                            self.pending.size = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok())
                        }
                        _ => {}
                    }
                }
            }
        }
        self.buf = body;
    }

    /// Puts an entry at `path` (components split on `/`), making the folders on the way.
    fn insert(&mut self, path: &[u8], adding: Adding, change: Option<Change>) {
        let parts = components(path);
        let Some((name, folders)) = parts.split_last() else {
            return; // the root itself
        };
        // Looked up before anything is added: a link's target is never a folder on its way.
        let link = match &adding {
            Adding::HardLinkTo(target) => self.link_target(target),
            Adding::Entry(..) => None,
        };
        let change = match self.changes {
            None => change,
            Some(changes) => {
                let full = full_path(&parts);
                match changes.get(&full) {
                    Some(listed) => change.or(Some(*listed)),
                    // From the image, unchanged: not the layer's.
                    None => {
                        match (adding, link) {
                            (Adding::Entry(kind, bytes), _) if kind != NodeKind::Dir => {
                                let key = self.hasher.hash_one(&full);
                                self.left_out.insert(key, LeftOut::Inode(kind, bytes));
                            }
                            // An image file linked to a layer's entry: that entry has two names.
                            (Adding::HardLinkTo(_), Some((_, LeftOut::Named(first)))) => {
                                self.growing.tree.set_hard_link(first)
                            }
                            _ => {}
                        }
                        return;
                    }
                }
            }
        };
        let same =
            self.stack.iter().zip(folders.iter()).take_while(|((have, _), want)| have == *want).count();
        self.stack.truncate(same);
        for folder in &folders[same..] {
            let parent = self.stack.last().map_or(NodeId::ROOT, |(_, node)| *node);
            let node = match self.child(parent, folder) {
                Some(node) => node,
                None => self.add(parent, folder, NodeKind::Dir, 0),
            };
            self.stack.push((folder.to_vec(), node));
        }
        let parent = self.stack.last().map_or(NodeId::ROOT, |(_, node)| *node);
        let node = match (adding, link) {
            (Adding::Entry(kind, bytes), _) => self.add(parent, name, kind, bytes),
            (Adding::HardLinkTo(_), Some((_, LeftOut::Named(first)))) => {
                let node = self.growing.add_hard_link(parent, self.top(), name, first);
                self.indexed_add(parent, node);
                node
            }
            // The first name is an image file the layer leaves out: this one carries the inode.
            (Adding::HardLinkTo(_), Some((key, LeftOut::Inode(kind, bytes)))) => {
                let node = self.add(parent, name, kind, bytes);
                self.growing.tree.set_hard_link(node);
                self.left_out.insert(key, LeftOut::Named(node));
                node
            }
            // A link to nothing earlier in the archive: a name without a size.
            (Adding::HardLinkTo(_), None) => self.add(parent, name, NodeKind::File, 0),
        };
        if change.is_some() {
            self.growing.tree.set_change(node, change);
        }
        if self.growing.tree.kind(node) == NodeKind::Dir {
            self.stack.push((name.to_vec(), node));
        }
        self.growing.tell(false);
    }

    fn add(&mut self, parent: NodeId, name: &[u8], kind: NodeKind, bytes: u64) -> NodeId {
        let node = self.growing.add(parent, self.top(), name, kind, bytes);
        self.indexed_add(parent, node);
        node
    }

    /// Keeps the index of a folder already indexed whole.
    fn indexed_add(&mut self, parent: NodeId, node: NodeId) {
        if !self.indexed.is_empty() && self.indexed.contains(&parent) {
            let key = self.hasher.hash_one(self.growing.tree.name(node));
            self.index.insert((parent, key), node);
        }
    }

    /// The inode a hard-link entry names, by its path in the archive: an entry of the tree (its
    /// key is unused), or an image file a layer left out. `None` for a path not seen before.
    fn link_target(&mut self, target: &[u8]) -> Option<(u64, LeftOut)> {
        let parts = components(target);
        let mut at = NodeId::ROOT;
        for part in &parts {
            match self.indexed_child(at, part) {
                Some(child) => at = child,
                None => {
                    let key = self.hasher.hash_one(full_path(&parts));
                    return self.left_out.get(&key).map(|left_out| (key, *left_out));
                }
            }
        }
        let tree = &self.growing.tree;
        (at != NodeId::ROOT && tree.kind(at) != NodeKind::Dir).then_some((0, LeftOut::Named(at)))
    }

    /// The child of `folder` named `name`, through the folder's index, made on first use.
    fn indexed_child(&mut self, folder: NodeId, name: &[u8]) -> Option<NodeId> {
        if self.indexed.insert(folder) {
            let tree = &self.growing.tree;
            for child in tree.children(folder) {
                self.index.insert((folder, self.hasher.hash_one(tree.name(child))), child);
            }
        }
        let found = self.index.get(&(folder, self.hasher.hash_one(name))).copied();
        match found {
            Some(child) if self.growing.tree.name(child) == name => Some(child),
            // Two names with one hash: the index holds one of them.
            Some(_) => self.growing.tree.child(folder, name),
            None => None,
        }
    }

    /// The child of `folder` named `name`, through its index if it has one.
    fn child(&mut self, folder: NodeId, name: &[u8]) -> Option<NodeId> {
        if self.indexed.contains(&folder) {
            self.indexed_child(folder, name)
        } else {
            self.growing.tree.child(folder, name)
        }
    }

    fn top(&self) -> Option<NodeId> {
        self.stack.first().map(|(_, node)| *node)
    }
}

/// A NUL-terminated field.
fn field(bytes: &[u8]) -> &[u8] {
    bytes.iter().position(|b| *b == 0).map_or(bytes, |end| &bytes[..end])
}

/// A numeric field: octal text, or base-256 when the high bit of its first byte is set.
fn octal(bytes: &[u8]) -> Result<u64, TarError> {
    if bytes[0] & 0x80 != 0 {
        return Ok(bytes[1..].iter().fold(u64::from(bytes[0] & 0x7f), |n, b| (n << 8) | u64::from(*b)));
    }
    let text = field(bytes);
    let text = std::str::from_utf8(text).map_err(|_| TarError("a size that is not text".to_owned()))?;
    let text = text.trim_matches(|c: char| c == ' ' || c == '\0');
    if text.is_empty() {
        return Ok(0);
    }
    u64::from_str_radix(text, 8).map_err(|_| TarError(format!("a size that is not a number: {text:?}")))
}

/// `"<len> <key>=<value>\n"` records.
fn pax_records(mut body: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut records = Vec::new();
    while let Some(space) = body.iter().position(|b| *b == b' ') {
        let Some(len) = std::str::from_utf8(&body[..space]).ok().and_then(|l| l.parse::<usize>().ok()) else {
            break;
        };
        if len <= space || len > body.len() {
            break;
        }
        let record = &body[space + 1..len];
        let record = record.strip_suffix(b"\n").unwrap_or(record);
        if let Some(eq) = record.iter().position(|b| *b == b'=') {
            records.push((&record[..eq], &record[eq + 1..]));
        }
        body = &body[len..];
    }
    records
}

/// A path's names, without empty ones and `.`.
fn components(path: &[u8]) -> Vec<&[u8]> {
    path.split(|b| *b == b'/').filter(|p| !p.is_empty() && *p != b".").collect()
}

/// `/a/b` from `[a, b]`: how a layer's list of changes names a path.
fn full_path(parts: &[&[u8]]) -> Vec<u8> {
    let mut full = Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for part in parts {
        full.push(b'/');
        full.extend_from_slice(part);
    }
    full
}

fn strip_first(path: &[u8]) -> Vec<u8> {
    let path = path.strip_prefix(b"./").unwrap_or(path);
    let path = path.strip_prefix(b"/").unwrap_or(path);
    match path.iter().position(|b| *b == b'/') {
        Some(slash) => path[slash + 1..].to_vec(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive() -> Vec<u8> {
        let mut builder = ::tar::Builder::new(Vec::new());
        let mut dir = ::tar::Header::new_ustar();
        dir.set_entry_type(::tar::EntryType::Directory);
        dir.set_size(0);
        builder.append_data(&mut dir, "data/", &[][..]).unwrap();
        let mut file = ::tar::Header::new_gnu();
        file.set_size(1000);
        builder.append_data(&mut file, "data/sub/big", &vec![7u8; 1000][..]).unwrap();
        let long = format!("data/{}/f", "n".repeat(150));
        let mut file = ::tar::Header::new_gnu();
        file.set_size(3);
        builder.append_data(&mut file, &long, &b"abc"[..]).unwrap();
        let mut link = ::tar::Header::new_gnu();
        link.set_entry_type(::tar::EntryType::Symlink);
        link.set_size(0);
        builder.append_link(&mut link, "data/link", "twelve-bytes").unwrap();
        let mut hard = ::tar::Header::new_gnu();
        hard.set_entry_type(::tar::EntryType::Link);
        hard.set_size(0);
        builder.append_link(&mut hard, "data/second-name", "data/sub/big").unwrap();
        builder.into_inner().unwrap()
    }

    #[test]
    fn headers_are_counted_whatever_the_piece_sizes() {
        let bytes = archive();
        for piece in [1, 7, 512, 100_000] {
            let mut progress = |_| {};
            let mut tar = TarTree::new(b"data", true, &mut progress);
            for chunk in bytes.chunks(piece) {
                tar.feed(chunk).unwrap();
            }
            let tree = tar.finish();
            assert_eq!(tree.size(NodeId::ROOT), 1000 + 3 + 12, "pieces of {piece}");
            assert_eq!(tree.files(NodeId::ROOT), 4);
            let sub = tree.child(NodeId::ROOT, b"sub").unwrap();
            assert_eq!(tree.size(sub), 1000);
            assert!(tree.child(NodeId::ROOT, "n".repeat(150).as_bytes()).is_some());
        }
    }

    #[test]
    fn a_layer_keeps_only_what_its_changes_name() {
        let bytes = archive();
        let changes: HashMap<Vec<u8>, Change> =
            [(b"/data".to_vec(), Change::Changed), (b"/data/link".to_vec(), Change::Added)].into();
        let mut progress = |_| {};
        let mut tar = TarTree::new(b"/", false, &mut progress).layer(&changes);
        tar.feed(&bytes).unwrap();
        let tree = tar.finish();
        assert_eq!(tree.size(NodeId::ROOT), 12);
        let data = tree.child(NodeId::ROOT, b"data").unwrap();
        assert_eq!(tree.change(data), Some(Change::Changed));
        assert_eq!(tree.change(tree.child(data, b"link").unwrap()), Some(Change::Added));
    }

    #[test]
    fn numbers_in_base_256_are_read() {
        let mut field = [0u8; 12];
        field[0] = 0x80;
        field[11] = 5;
        field[10] = 1;
        assert_eq!(octal(&field), Ok(261));
        assert_eq!(octal(b"0000000001\0\0"), Ok(1));
    }
}
