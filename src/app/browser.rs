//! The browser overlay's state: what fills a volume, a writable layer or a bind source, one
//! folder at a time. The tree is counted by a task; while it counts, the first level shows with
//! the sizes so far. Rows are prepared when something changes, so drawing only reads them.

use crossterm::event::{KeyCode, KeyEvent};

use super::scroll::Scroll;
use crate::measure::{natural, sorted_children, NodeId, NodeKind, Progress, SortBy, TopEntry, Tree};
use crate::model::browse::{BrowseError, Target};
use crate::model::SizeSource;

#[derive(Debug, Clone)]
pub enum Contents {
    Counting(Progress),
    Ready { tree: Tree, source: SizeSource },
    Failed(String),
}

/// One row as drawn, made for the rows on screen only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    pub kind: NodeKind,
    pub size: u64,
    pub files: u32,
    pub change: Option<crate::measure::Change>,
    /// One of several names of one file: it shows the file's size, its folders count it once.
    pub hard_link: bool,
}

/// The shown folder's entries in order: while counting, the first level so far; then nodes of
/// the tree (no names copied: a folder of 100,000 entries opens within a frame).
#[derive(Debug, Clone)]
enum Order {
    Counting(Vec<TopEntry>),
    Tree(Vec<NodeId>),
}

#[derive(Debug, Clone)]
pub struct Browser {
    pub target: Target,
    /// What the title calls it: a container's name, not its id.
    pub label: String,
    /// The generation of the count this browser shows; older results are dropped.
    pub seq: u64,
    pub contents: Contents,
    pub sort: SortBy,
    /// `S`: the order turned around (smallest, fewest, Z→A first).
    pub reversed: bool,
    /// The folder shown.
    pub dir: NodeId,
    order: Order,
    /// A row of `order` is a hard link: found when the rows are prepared, not on every frame.
    hard_links: bool,
    pub scroll: Scroll,
    /// A line for the footer ("still counting…").
    pub notice: Option<String>,
    /// The folder Enter asked for while the tree was still being counted: opened once it is.
    pending: Option<String>,
    /// The user moved while counting: the selection follows that entry, not the first row, as
    /// sizes reorder the rows.
    touched: bool,
}

/// What is selected, kept as rows reorder: a node, once the tree is counted; while it is counted,
/// a first-level entry (there are no nodes yet), by name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Selected {
    Node(NodeId),
    Entry(String),
}

pub enum BrowserAnswer {
    Stay,
    Close,
    /// `E`: the engine list, over the browser (a count under way goes on until the list closes).
    Engines,
}

impl Browser {
    pub fn new(target: Target, label: String, seq: u64) -> Self {
        Browser {
            target,
            label,
            seq,
            contents: Contents::Counting(Progress::default()),
            sort: SortBy::Size,
            reversed: false,
            dir: NodeId::ROOT,
            order: Order::Tree(Vec::new()),
            hard_links: false,
            scroll: Scroll::default(),
            notice: None,
            pending: None,
            touched: false,
        }
    }

    pub fn is_layer(&self) -> bool {
        matches!(self.target, Target::Container(_))
    }

    pub fn counting(&self) -> bool {
        matches!(self.contents, Contents::Counting(_))
    }

    pub fn progress(&mut self, progress: Progress) {
        if self.counting() {
            self.contents = Contents::Counting(progress);
            self.prepare();
        }
    }

    /// How many entries the shown folder has.
    pub fn len(&self) -> usize {
        match &self.order {
            Order::Counting(top) => top.len(),
            Order::Tree(nodes) => nodes.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The row at `index` in the shown folder's order.
    pub fn row(&self, index: usize) -> Option<Row> {
        match (&self.order, &self.contents) {
            (Order::Counting(top), _) => top.get(index).map(|e| Row {
                name: e.name.clone(),
                kind: e.kind,
                size: e.size,
                files: e.files,
                change: None,
                hard_link: false,
            }),
            (Order::Tree(nodes), Contents::Ready { tree, .. }) => nodes.get(index).map(|&id| Row {
                name: tree.name_lossy(id),
                kind: tree.kind(id),
                size: tree.size(id),
                files: tree.files(id),
                change: tree.change(id),
                hard_link: tree.is_hard_link(id),
            }),
            _ => None,
        }
    }

    /// Whether a row of the shown folder is a hard link (the footer then says what `H` means).
    pub fn has_hard_links(&self) -> bool {
        self.hard_links
    }

    /// Every row's name, in order (for tests and small folders).
    pub fn names(&self) -> Vec<String> {
        (0..self.len()).filter_map(|i| self.row(i)).map(|r| r.name).collect()
    }

    fn selected(&self) -> Option<Selected> {
        let at = self.scroll.selected;
        match &self.order {
            Order::Tree(nodes) => nodes.get(at).map(|&id| Selected::Node(id)),
            Order::Counting(top) => top.get(at).map(|e| Selected::Entry(e.name.clone())),
        }
    }

    fn position_of(&self, selected: &Selected) -> Option<usize> {
        match (selected, &self.order, &self.contents) {
            (Selected::Node(node), Order::Tree(nodes), _) => nodes.iter().position(|id| id == node),
            // The count has ended: the entry is the first level's node of that name.
            (Selected::Entry(name), Order::Tree(nodes), Contents::Ready { tree, .. }) => {
                nodes.iter().position(|&id| tree.name_lossy(id) == *name)
            }
            (Selected::Entry(name), Order::Counting(top), _) => top.iter().position(|e| e.name == *name),
            _ => None,
        }
    }

    pub fn counted(&mut self, result: Result<(Tree, SizeSource), BrowseError>) {
        let selected = self.selected().filter(|_| self.touched);
        self.contents = match result {
            Ok((tree, source)) => Contents::Ready { tree, source },
            Err(why) => Contents::Failed(why.to_string()),
        };
        self.prepare();
        if let Some(selected) = selected {
            self.scroll.selected = self.position_of(&selected).unwrap_or(0);
        }
        if let Some(name) = self.pending.take() {
            if let Some(position) = self.position_of(&Selected::Entry(name)) {
                self.scroll.selected = position;
                self.notice = None;
                self.enter(1);
            }
        }
    }

    /// The path of the folder shown, from the root (`/`).
    pub fn path(&self) -> String {
        match &self.contents {
            Contents::Ready { tree, .. } => String::from_utf8_lossy(&tree.path(self.dir)).into_owned(),
            _ => "/".to_owned(),
        }
    }

    /// The folder's total size and file count, for the bars and the header.
    pub fn totals(&self) -> (u64, u64) {
        match &self.contents {
            Contents::Counting(progress) => (progress.bytes, progress.files),
            Contents::Ready { tree, .. } => (tree.size(self.dir), u64::from(tree.files(self.dir))),
            Contents::Failed(_) => (0, 0),
        }
    }

    /// Sorts the shown folder's rows, keeping the selection in range.
    fn prepare(&mut self) {
        self.order = match &self.contents {
            Contents::Counting(progress) => {
                let mut top = progress.top.clone();
                // As `sorted_children` orders a counted folder: a file counts as one.
                let files = |e: &TopEntry| if e.kind == NodeKind::Dir { e.files } else { 1 };
                top.sort_unstable_by(|a, b| {
                    let by_name = natural(a.name.as_bytes(), b.name.as_bytes());
                    match self.sort {
                        SortBy::Size => b.size.cmp(&a.size).then(by_name),
                        SortBy::Count => files(b).cmp(&files(a)).then(by_name),
                        SortBy::Name => by_name,
                    }
                });
                if self.reversed {
                    top.reverse();
                }
                Order::Counting(top)
            }
            Contents::Ready { tree, .. } => {
                let mut nodes = sorted_children(tree, self.dir, self.sort);
                if self.reversed {
                    nodes.reverse();
                }
                Order::Tree(nodes)
            }
            Contents::Failed(_) => Order::Tree(Vec::new()),
        };
        self.hard_links = match (&self.order, &self.contents) {
            (Order::Tree(nodes), Contents::Ready { tree, .. }) => {
                nodes.iter().any(|&id| tree.is_hard_link(id))
            }
            _ => false,
        };
        self.scroll.selected = self.scroll.selected.min(self.len().saturating_sub(1));
    }

    pub fn on_key(&mut self, key: KeyEvent, height: usize) -> BrowserAnswer {
        // Any key after Enter changes the user's mind about the folder it was to open.
        self.notice = None;
        self.pending = None;
        let page = height.max(1) as isize;
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => return BrowserAnswer::Close,
            KeyCode::Char('E') => return BrowserAnswer::Engines,
            KeyCode::Up | KeyCode::Char('k') => self.move_by(-1, height),
            KeyCode::Down | KeyCode::Char('j') => self.move_by(1, height),
            KeyCode::PageUp => self.move_by(-page, height),
            KeyCode::PageDown => self.move_by(page, height),
            KeyCode::Home | KeyCode::Char('g') => self.move_by(isize::MIN, height),
            KeyCode::End | KeyCode::Char('G') => self.move_by(isize::MAX, height),
            KeyCode::Char('s') => self.resort(height, |browser| browser.sort = browser.sort.next()),
            KeyCode::Char('S') => self.resort(height, |browser| browser.reversed = !browser.reversed),
            KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => self.enter(height),
            KeyCode::Backspace | KeyCode::Left | KeyCode::Char('h') => self.up(height),
            _ => {}
        }
        BrowserAnswer::Stay
    }

    /// Another order, keeping the selected entry selected.
    fn resort(&mut self, height: usize, change: impl FnOnce(&mut Self)) {
        let selected = self.selected();
        change(self);
        self.prepare();
        self.scroll.selected = selected.and_then(|s| self.position_of(&s)).unwrap_or(0);
        self.keep_visible(height);
    }

    fn move_by(&mut self, delta: isize, height: usize) {
        self.touched = true;
        self.scroll.move_by(delta, self.len(), height);
    }

    fn keep_visible(&mut self, height: usize) {
        self.scroll.keep_visible(self.len(), height);
    }

    fn enter(&mut self, height: usize) {
        let node = match (&self.order, &self.contents) {
            (Order::Tree(nodes), Contents::Ready { tree, .. }) => match nodes.get(self.scroll.selected) {
                Some(&id) if tree.kind(id) == NodeKind::Dir => id,
                _ => return,
            },
            (Order::Counting(top), _) => {
                if let Some(entry) = top.get(self.scroll.selected).filter(|e| e.kind == NodeKind::Dir) {
                    self.notice =
                        Some(format!("still counting: {}/ opens once every size is known", entry.name));
                    self.pending = Some(entry.name.clone());
                }
                return;
            }
            _ => return,
        };
        self.dir = node;
        self.scroll.selected = 0;
        self.scroll.offset = 0;
        self.prepare();
        self.keep_visible(height);
    }

    fn up(&mut self, height: usize) {
        let Contents::Ready { tree, .. } = &self.contents else { return };
        let Some(parent) = tree.parent(self.dir) else { return };
        let came_from = Selected::Node(std::mem::replace(&mut self.dir, parent));
        self.prepare();
        self.scroll.selected = self.position_of(&came_from).unwrap_or(0);
        self.scroll.offset = 0;
        self.keep_visible(height);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    /// `/big/blob` (100 bytes) and `/small` (1 byte).
    fn big_folder_and_small_file() -> Tree {
        let mut tree = Tree::new(b"v");
        let big = tree.add(NodeId::ROOT, b"big", NodeKind::Dir, 0);
        tree.add(big, b"blob", NodeKind::File, 100);
        tree.add(NodeId::ROOT, b"small", NodeKind::File, 1);
        tree.finish();
        tree
    }

    /// The first level while counting, the folder's size so far given.
    fn counting(big_so_far: u64) -> Progress {
        let entry =
            |name: &str, kind, size, files| crate::measure::TopEntry { name: name.into(), kind, size, files };
        let top = vec![entry("big", NodeKind::Dir, big_so_far, 1), entry("small", NodeKind::File, 1, 0)];
        Progress { bytes: big_so_far + 1, files: 2, top }
    }

    #[test]
    fn enter_goes_in_and_backspace_comes_back_to_the_same_row() {
        let tree = big_folder_and_small_file();
        let mut browser = Browser::new(Target::Volume("v".into()), "v".into(), 1);
        browser.counted(Ok((tree, SizeSource::Host)));
        browser.on_key(key(KeyCode::Enter), 10);
        assert_eq!(browser.path(), "/big");
        assert_eq!(browser.names(), ["blob"]);
        browser.on_key(key(KeyCode::Backspace), 10);
        assert_eq!((browser.path().as_str(), browser.scroll.selected), ("/", 0));
    }

    #[test]
    fn until_the_user_moves_the_first_row_stays_selected_as_the_count_reorders_rows() {
        let mut browser = Browser::new(Target::Volume("v".into()), "v".into(), 1);
        // While counting, the folder's size so far is below the file's.
        browser.progress(counting(0));
        assert_eq!(browser.row(0).map(|r| r.name), Some("small".to_owned()));
        let tree = big_folder_and_small_file();
        browser.counted(Ok((tree, SizeSource::Host)));
        assert_eq!((browser.scroll.selected, browser.row(0).map(|r| r.name)), (0, Some("big".to_owned())));
        browser.on_key(key(KeyCode::Enter), 10);
        assert_eq!(browser.path(), "/big");
    }

    #[test]
    fn enter_while_counting_opens_that_folder_once_it_is_counted() {
        let mut browser = Browser::new(Target::Volume("v".into()), "v".into(), 1);
        browser.progress(counting(50));
        browser.on_key(key(KeyCode::Enter), 10);
        assert_eq!(browser.path(), "/", "not counted yet");
        assert!(browser.notice.as_deref().is_some_and(|n| n.contains("big/")), "{:?}", browser.notice);
        let tree = big_folder_and_small_file();
        browser.counted(Ok((tree, SizeSource::Host)));
        assert_eq!(browser.path(), "/big");
        assert_eq!(browser.names(), ["blob"]);
        assert_eq!(browser.notice, None);
    }

    #[test]
    fn the_selection_follows_its_entry_not_its_name_when_the_sort_changes() {
        // Two names that show alike (not UTF-8): only the node tells them apart.
        let mut tree = Tree::new(b"v");
        tree.add(NodeId::ROOT, b"x\xfe", NodeKind::File, 20);
        tree.add(NodeId::ROOT, b"x\xff", NodeKind::File, 10);
        tree.finish();
        let mut browser = Browser::new(Target::Volume("v".into()), "v".into(), 1);
        browser.counted(Ok((tree, SizeSource::Host)));
        browser.on_key(key(KeyCode::Down), 10);
        let chosen = browser.row(browser.scroll.selected).map(|r| r.size);
        assert_eq!(chosen, Some(10));
        // By files (equal), then by name: the smaller file moves; the selection goes with it.
        browser.on_key(key(KeyCode::Char('s')), 10);
        browser.on_key(key(KeyCode::Char('s')), 10);
        assert_eq!(browser.row(browser.scroll.selected).map(|r| r.size), chosen);
    }
}
