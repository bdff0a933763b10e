//! The walker on real trees in the temp folder: each case is a kind of entry the engine counts
//! in its own way, checked against the number the engine would give.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::fs;
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use super::*;

/// A fresh folder in the temp dir, removed (whatever its modes) when dropped.
struct Tree(PathBuf);

impl Tree {
    fn new(role: &str) -> Tree {
        use std::sync::atomic::{AtomicU32, Ordering};
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("dockdu-measure-{}-{n}-{role}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        Tree(dir)
    }

    fn file(&self, path: &str, bytes: usize) -> PathBuf {
        let path = self.0.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, vec![b'x'; bytes]).unwrap();
        path
    }

    fn size(&self) -> Total {
        size(&self.0, &Cancel::default()).unwrap()
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        // A folder with mode 000 cannot be emptied by a user who is not root: open it first.
        let _ = Command::new("chmod").args(["-R", "u+rwx"]).arg(&self.0).status();
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn is_root() -> bool {
    fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
}

fn run(program: &str, args: &[&OsStr]) {
    let status = Command::new(program).args(args).status().unwrap();
    assert!(status.success(), "{program} {args:?} failed: {status}");
}

#[test]
fn files_and_symlinks_count_their_lstat_size_and_folders_nothing() {
    let tree = Tree::new("plain");
    tree.file("a", 100);
    tree.file("deep/er/b", 20);
    fs::create_dir_all(tree.0.join("empty/nested")).unwrap();
    // A symlink counts the length of its target string, never what it points to.
    symlink("a-target-of-23-letters!", tree.0.join("link")).unwrap();
    symlink(tree.0.join("deep"), tree.0.join("to-a-folder")).unwrap();
    let to_folder = tree.0.join("deep").as_os_str().len() as u64;
    assert_eq!(counted(tree.size()), (100 + 20 + 23 + to_folder, 4));
}

#[test]
fn each_hard_linked_inode_counts_once() {
    let tree = Tree::new("links");
    let original = tree.file("original", 1000);
    fs::hard_link(&original, tree.0.join("second-name")).unwrap();
    fs::create_dir(tree.0.join("sub")).unwrap();
    fs::hard_link(&original, tree.0.join("sub/third-name")).unwrap();
    tree.file("other", 5);
    assert_eq!(counted(tree.size()), (1005, 4));
}

#[test]
fn a_hard_link_to_a_file_outside_the_tree_counts_once_inside_it() {
    let outside = Tree::new("outside");
    let inside = Tree::new("inside");
    let original = outside.file("original", 700);
    fs::hard_link(&original, inside.0.join("only-name-here")).unwrap();
    assert_eq!(inside.size().bytes, 700);
}

#[test]
fn a_sparse_file_counts_its_apparent_size() {
    let tree = Tree::new("sparse");
    let file = fs::File::create(tree.0.join("sparse")).unwrap();
    file.set_len(64 << 20).unwrap();
    let on_disk = fs::metadata(tree.0.join("sparse")).unwrap().blocks() * 512;
    assert!(on_disk < 1 << 20, "the file really is sparse: {on_disk} bytes on disk");
    assert_eq!(tree.size().bytes, 64 << 20);
}

#[test]
fn disk_usage_counts_allocated_blocks_folders_included_and_each_inode_once() {
    let tree = Tree::new("blocks");
    let sparse = fs::File::create(tree.0.join("sparse")).unwrap();
    sparse.set_len(50 << 20).unwrap();
    fs::create_dir(tree.0.join("small")).unwrap();
    for i in 0..100 {
        fs::write(tree.0.join("small").join(i.to_string()), b"ab").unwrap();
    }
    fs::hard_link(tree.0.join("small/0"), tree.0.join("again")).unwrap();
    let blocks = |path: &Path| fs::symlink_metadata(path).unwrap().blocks() * 512;
    let mut expected = blocks(&tree.0) + blocks(&tree.0.join("small")) + blocks(&tree.0.join("sparse"));
    expected += (0..100).map(|i| blocks(&tree.0.join("small").join(i.to_string()))).sum::<u64>();
    let total = tree.size();
    assert_eq!(total.bytes, (50 << 20) + 200);
    assert_eq!(total.disk_usage, expected);
    assert!(total.disk_usage < 50 << 20, "the sparse file occupies little: {}", total.disk_usage);
}

#[test]
fn a_fifo_counts_zero() {
    let tree = Tree::new("fifo");
    run("mkfifo", &[tree.0.join("pipe").as_os_str()]);
    tree.file("f", 3);
    assert_eq!(counted(tree.size()), (3, 2));
}

#[test]
fn a_whiteout_counts_zero_and_is_told_apart() {
    let tree = Tree::new("whiteout");
    // Any user may make a whiteout (device 0/0) since Linux 5.8; other devices need root.
    run("mknod", &[tree.0.join("deleted").as_os_str(), OsStr::new("c"), OsStr::new("0"), OsStr::new("0")]);
    tree.file("kept", 9);
    let mut seen = Entries::default();
    let total = walk(&tree.0, &mut seen, &Cancel::default()).unwrap();
    assert_eq!(counted(total), (9, 2));
    assert_eq!(seen.kinds[&OsString::from("deleted")], (Kind::Whiteout, 0));
    assert_eq!(seen.kinds[&OsString::from("kept")], (Kind::File, 9));
}

#[test]
fn thousands_of_small_files_add_up() {
    let tree = Tree::new("many");
    for i in 0..5000 {
        tree.file(&format!("d{}/f{i}", i % 50), 3);
    }
    assert_eq!(counted(tree.size()), (15_000, 5000));
}

#[test]
fn a_root_that_is_not_there_is_no_size() {
    let tree = Tree::new("gone");
    let missing = tree.0.join("missing");
    match size(&missing, &Cancel::default()) {
        Err(WalkError::Unreadable { path, .. }) => assert_eq!(path, missing),
        other => panic!("expected no size, got {other:?}"),
    }
}

/// Root reads a folder with mode 000 and counts it, as the engine (root) does; any other user
/// is told which folder it cannot read, never given a smaller number.
#[test]
fn a_folder_with_mode_000_is_counted_by_root_and_unreadable_to_anyone_else() {
    let tree = Tree::new("closed-root");
    tree.file("closed/inside", 42);
    tree.file("open", 1);
    let closed = tree.0.join("closed");
    fs::set_permissions(&closed, fs::Permissions::from_mode(0o000)).unwrap();
    match (is_root(), size(&tree.0, &Cancel::default())) {
        (true, Ok(total)) => assert_eq!(counted(total), (43, 2)),
        (false, Err(WalkError::Unreadable { path, error })) => {
            assert_eq!((path, error.kind()), (closed, std::io::ErrorKind::PermissionDenied))
        }
        (root, other) => panic!("as {}: {other:?}", if root { "root" } else { "another user" }),
    }
}

/// The child half of the next test: sizes `DOCKDU_MEASURE_TREE` as whoever runs it.
#[test]
#[ignore = "run by a_folder_that_cannot_be_read_makes_the_tree_no_size, as another user"]
fn helper_size_as_another_user() {
    let Some(root) = std::env::var_os("DOCKDU_MEASURE_TREE") else { return };
    match size(Path::new(&root), &Cancel::default()) {
        Ok(total) => println!("SIZE {}", total.bytes),
        Err(e) => println!("NO SIZE {e}"),
    }
}

#[test]
fn a_folder_that_cannot_be_read_makes_the_tree_no_size() {
    let tree = Tree::new("closed-user");
    tree.file("closed/inside", 42);
    tree.file("open", 1);
    fs::set_permissions(tree.0.join("closed"), fs::Permissions::from_mode(0o000)).unwrap();
    let answer = if is_root() {
        // Root reads everything: walk as `nobody` instead, in a child of this same test binary.
        let output = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(std::env::current_exe().unwrap())
            .args(["--exact", "measure::tests::helper_size_as_another_user", "--ignored", "--nocapture"])
            .env("DOCKDU_MEASURE_TREE", &tree.0)
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    } else {
        match size(&tree.0, &Cancel::default()) {
            Ok(total) => format!("SIZE {}", total.bytes),
            Err(e) => format!("NO SIZE {e}"),
        }
    };
    let closed = tree.0.join("closed");
    assert!(
        answer.contains(&format!("NO SIZE cannot read {}: Permission denied", closed.display())),
        "{answer}"
    );
}

/// What a visitor was told: each entry's kind, size and inode if it has other names, and each
/// folder's parent.
#[derive(Default)]
struct Entries {
    kinds: HashMap<OsString, (Kind, u64)>,
    inodes: HashMap<OsString, Option<Inode>>,
    dirs: HashMap<DirId, (DirId, OsString)>,
    parents: HashMap<OsString, DirId>,
}

impl Visit for Entries {
    fn dir(&mut self, id: DirId, parent: DirId, name: &OsStr) {
        self.dirs.insert(id, (parent, name.to_owned()));
    }

    fn entry(&mut self, parent: DirId, name: &OsStr, kind: Kind, size: u64, linked: Option<Inode>) {
        self.kinds.insert(name.to_owned(), (kind, size));
        self.inodes.insert(name.to_owned(), linked);
        self.parents.insert(name.to_owned(), parent);
    }
}

impl Entries {
    /// The path of an entry from the root, rebuilt from the parents the walk reported.
    fn path_of(&self, name: &str) -> String {
        let mut parts = vec![name.to_owned()];
        let mut at = self.parents[OsStr::new(name)];
        while at != DirId::ROOT {
            let (parent, dir) = &self.dirs[&at];
            parts.push(dir.to_string_lossy().into_owned());
            at = *parent;
        }
        parts.reverse();
        parts.join("/")
    }
}

#[test]
fn a_visitor_can_rebuild_the_tree_and_sees_each_name_of_an_inode_with_its_size() {
    let tree = Tree::new("visit");
    let first = tree.file("a/b/first", 10);
    fs::create_dir_all(tree.0.join("c")).unwrap();
    fs::hard_link(&first, tree.0.join("c/second")).unwrap();
    symlink("first", tree.0.join("a/b/link")).unwrap();
    let mut seen = Entries::default();
    let total = walk(&tree.0, &mut seen, &Cancel::default()).unwrap();
    assert_eq!(counted(total), (15, 3));
    assert_eq!(seen.path_of("first"), "a/b/first");
    assert_eq!(seen.path_of("second"), "c/second");
    assert_eq!(seen.path_of("link"), "a/b/link");
    assert_eq!(seen.kinds[OsStr::new("link")], (Kind::Symlink, 5));
    // Both names tell the inode's size and the same inode; the total holds it once.
    assert_eq!(
        (seen.kinds[OsStr::new("first")], seen.kinds[OsStr::new("second")]),
        ((Kind::File, 10), (Kind::File, 10))
    );
    let inode = seen.inodes[OsStr::new("first")];
    assert!(inode.is_some());
    assert_eq!(seen.inodes[OsStr::new("second")], inode);
    assert_eq!(seen.inodes[OsStr::new("link")], None);
}

#[test]
fn the_pool_hands_back_every_tree_on_at_most_its_threads() {
    let trees: Vec<Tree> = (0..12)
        .map(|i| {
            let tree = Tree::new(&format!("pool{i}"));
            for f in 0..=i {
                tree.file(&format!("f{f}"), 100);
            }
            tree
        })
        .collect();
    let pool = Pool::new(2);
    let (sender, results) = mpsc::channel();
    for (i, tree) in trees.iter().enumerate() {
        let sender = sender.clone();
        pool.measure(tree.0.clone(), move |result| {
            let _ = sender.send((i, result.map(|t| t.bytes).ok(), std::thread::current().id()));
        });
    }
    drop(sender);
    let answers: Vec<_> = results.iter().collect();
    assert_eq!(answers.len(), 12);
    for (i, bytes, _) in &answers {
        assert_eq!(*bytes, Some(100 * (*i as u64 + 1)), "tree {i}");
    }
    let threads: HashSet<_> = answers.iter().map(|(_, _, thread)| *thread).collect();
    assert!(threads.len() <= 2, "{} threads walked", threads.len());
    assert!(!threads.contains(&std::thread::current().id()), "walks run on the pool's threads");
}

#[test]
fn a_cancelled_pool_stops_its_walks() {
    let tree = Tree::new("cancel");
    tree.file("f", 1);
    let pool = Pool::new(1);
    pool.cancel();
    let (sender, result) = mpsc::channel();
    pool.measure(tree.0.clone(), move |r| {
        let _ = sender.send(r);
    });
    let answer = result.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(matches!(answer, Err(WalkError::Cancelled)), "{answer:?}");
}

#[test]
fn the_browsing_tree_adds_up_to_the_walk_and_tells_the_first_level_early() {
    let tree = Tree::new("browse");
    tree.file("big/deep/a", 3000);
    tree.file("big/b", 10);
    tree.file("small/c", 5);
    tree.file("top", 7);
    fs::hard_link(tree.0.join("big/b"), tree.0.join("small/b-again")).unwrap();
    let mut told = Vec::new();
    let built = local::build(&tree.0, Layout::Plain, &Cancel::default(), &mut |progress| told.push(progress))
        .unwrap();
    assert_eq!(built.size(NodeId::ROOT), tree.size().bytes);
    assert_eq!(u64::from(built.files(NodeId::ROOT)), tree.size().entries);
    let first = told.first().expect("the first level is told before the walk ends");
    let mut names: Vec<_> = first.top.iter().map(|e| e.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["big", "small", "top"]);
    let order: Vec<_> =
        sorted_children(&built, NodeId::ROOT, SortBy::Size).iter().map(|c| built.name_lossy(*c)).collect();
    // `small` holds a name of `big/b`: it counts those 10 bytes too (and the root once).
    assert_eq!(order, ["big", "small", "top"]);
}

#[test]
fn a_layers_whiteouts_are_deleted_entries_of_size_zero() {
    let tree = Tree::new("layer");
    tree.file("etc/new", 4);
    tree.file("etc/.wh.gone", 0);
    tree.file("etc/.wh..wh..opq", 0);
    tree.file("var/.wh..opq", 0);
    tree.file("var/.wh..wh..opq", 0);
    let built = local::build(&tree.0, Layout::Layer, &Cancel::default(), &mut |_| {}).unwrap();
    let var = built.child(NodeId::ROOT, b"var").unwrap();
    assert_eq!(built.children(var).count(), 0, "fuse-overlayfs's opaque markers are no entries");
    let etc = built.child(NodeId::ROOT, b"etc").unwrap();
    let gone = built.child(etc, b"gone").expect("the whiteout names the deleted file");
    assert_eq!((built.change(gone), built.size(gone)), (Some(Change::Deleted), 0));
    assert_eq!(built.children(etc).count(), 2, "the opaque marker is no entry");
}

/// Every entry of a browsing tree by path, as `du` shows it: kind, size, files, hard-link mark.
fn listing(tree: &super::tree::Tree) -> BTreeMap<String, (NodeKind, u64, u32, bool)> {
    let mut entries = BTreeMap::new();
    let root = (tree.kind(NodeId::ROOT), tree.size(NodeId::ROOT), tree.files(NodeId::ROOT), false);
    entries.insert("/".to_owned(), root);
    tree.each_path(NodeId::ROOT, |id, path| {
        let entry = (tree.kind(id), tree.size(id), tree.files(id), tree.is_hard_link(id));
        entries.insert(String::from_utf8_lossy(path).into_owned(), entry);
    });
    entries
}

/// The size of `big.log`, whose three names are `logs/big.log`, `logs/big.log.1` and
/// `old/big.log.2`, beside a file of 10 bytes `other`.
const BIG: u64 = 4 << 20;

/// What both routes must show of that tree: each name the file's size, marked; `logs/` (two
/// names) and `old/` (one) count it once each, and so does the root (not three times).
fn rotated_logs() -> BTreeMap<String, (NodeKind, u64, u32, bool)> {
    use NodeKind::{Dir, File};
    [
        ("/", (Dir, BIG + 10, 4, false)),
        ("/logs", (Dir, BIG, 2, false)),
        ("/logs/big.log", (File, BIG, 1, true)),
        ("/logs/big.log.1", (File, BIG, 1, true)),
        ("/old", (Dir, BIG, 1, false)),
        ("/old/big.log.2", (File, BIG, 1, true)),
        ("/other", (File, 10, 1, false)),
    ]
    .into_iter()
    .map(|(path, entry)| (path.to_owned(), entry))
    .collect()
}

/// `rotated_logs` on disk, the file first written under `first` and linked to the other names.
fn rotated_logs_on_disk(first: &str) -> Tree {
    let tree = Tree::new("rotated");
    fs::create_dir_all(tree.0.join("logs")).unwrap();
    fs::create_dir_all(tree.0.join("old")).unwrap();
    fs::File::create(tree.0.join(first)).unwrap().set_len(BIG).unwrap();
    for name in ["logs/big.log", "logs/big.log.1", "old/big.log.2"].into_iter().filter(|n| *n != first) {
        fs::hard_link(tree.0.join(first), tree.0.join(name)).unwrap();
    }
    tree.file("other", 10);
    tree
}

/// `rotated_logs` as the engine's archive of `/data`: `first` is the regular file carrying the
/// bytes, each other name a hard-link entry (typeflag `1`, size 0) naming it, in `order`.
fn rotated_logs_archive(order: &[&str], first: &str) -> Vec<u8> {
    let mut builder = ::tar::Builder::new(Vec::new());
    for path in order {
        let mut header = ::tar::Header::new_gnu();
        let full = format!("data/{path}");
        if path.ends_with('/') {
            header.set_entry_type(::tar::EntryType::Directory);
            header.set_size(0);
            builder.append_data(&mut header, &full, &[][..]).unwrap();
        } else if *path == first {
            header.set_size(BIG);
            builder.append_data(&mut header, &full, std::io::Read::take(std::io::repeat(0), BIG)).unwrap();
        } else if *path == "other" {
            header.set_size(10);
            builder.append_data(&mut header, &full, &[1u8; 10][..]).unwrap();
        } else {
            header.set_entry_type(::tar::EntryType::Link);
            header.set_size(0);
            builder.append_link(&mut header, &full, format!("data/{first}")).unwrap();
        }
    }
    builder.into_inner().unwrap()
}

fn through_tar(archive: &[u8]) -> super::tree::Tree {
    let mut progress = |_| {};
    let mut tar = super::tar::TarTree::new(b"data", true, &mut progress);
    for piece in archive.chunks(700) {
        tar.feed(piece).unwrap();
    }
    tar.finish()
}

#[test]
fn each_name_of_a_hard_linked_file_shows_its_size_walked_here_whichever_name_comes_first() {
    for first in ["logs/big.log", "old/big.log.2", "logs/big.log.1"] {
        let on_disk = rotated_logs_on_disk(first);
        let built = local::build(&on_disk.0, Layout::Plain, &Cancel::default(), &mut |_| {}).unwrap();
        assert_eq!(listing(&built), rotated_logs(), "written first as {first}");
        assert_eq!(built.size(NodeId::ROOT), on_disk.size().bytes, "the engine's total");
    }
}

#[test]
fn each_name_of_a_hard_linked_file_shows_its_size_through_the_engine_whichever_name_comes_first() {
    let orders: [(&[&str], &str); 3] = [
        (&["logs/", "logs/big.log", "logs/big.log.1", "old/", "old/big.log.2", "other"], "logs/big.log"),
        (&["old/", "old/big.log.2", "logs/", "logs/big.log", "logs/big.log.1", "other"], "old/big.log.2"),
        (&["other", "logs/", "logs/big.log.1", "logs/big.log", "old/", "old/big.log.2"], "logs/big.log.1"),
    ];
    for (order, first) in orders {
        let tree = through_tar(&rotated_logs_archive(order, first));
        assert_eq!(listing(&tree), rotated_logs(), "archived first as {first}");
    }
}

#[test]
fn both_routes_agree_name_by_name_on_hard_links() {
    let here = local::build(
        &rotated_logs_on_disk("old/big.log.2").0,
        Layout::Plain,
        &Cancel::default(),
        &mut |_| {},
    )
    .unwrap();
    let order = ["logs/", "logs/big.log", "logs/big.log.1", "old/", "old/big.log.2", "other"];
    let through = through_tar(&rotated_logs_archive(&order, "logs/big.log"));
    assert_eq!(listing(&here), listing(&through));
}

#[test]
fn while_counting_each_first_level_folder_holds_a_hard_linked_file_once() {
    let mut told = Vec::new();
    let mut progress = |p: Progress| told.push(p);
    let mut growing = local::Growing::new(b"data", &mut progress);
    let logs = growing.add(NodeId::ROOT, None, b"logs", NodeKind::Dir, 0);
    let first = growing.add(logs, Some(logs), b"big.log", NodeKind::File, BIG);
    growing.add_hard_link(logs, Some(logs), b"big.log.1", first);
    let old = growing.add(NodeId::ROOT, None, b"old", NodeKind::Dir, 0);
    growing.add_hard_link(old, Some(old), b"big.log.2", first);
    growing.add_hard_link(old, Some(old), b"big.log.3", first);
    growing.add_hard_link(NodeId::ROOT, None, b"big.log.4", first);
    growing.tell(true);
    drop(growing);
    let last = told.last().expect("progress told");
    let size_of = |name: &str| last.top.iter().find(|e| e.name == name).map(|e| (e.size, e.files));
    assert_eq!(
        (size_of("logs"), size_of("old"), size_of("big.log.4")),
        (Some((BIG, 2)), Some((BIG, 2)), Some((BIG, 1)))
    );
    assert_eq!((last.bytes, last.files), (BIG, 5), "the inode once in the running total");
}

/// A layer through the engine keeps only what its changes name: a layer's file that is another
/// name of an image file (left out) still shows and counts that file's size, marked.
#[test]
fn a_layers_hard_link_to_a_left_out_image_file_shows_its_size_through_the_engine() {
    for (image_file_first, order) in
        [(true, ["bin/", "bin/busybox", "bin/zz"]), (false, ["bin/", "bin/aa", "bin/busybox"])]
    {
        let mut builder = ::tar::Builder::new(Vec::new());
        let (first, second) =
            if image_file_first { ("bin/busybox", "bin/zz") } else { ("bin/aa", "bin/busybox") };
        let mut dir = ::tar::Header::new_gnu();
        dir.set_entry_type(::tar::EntryType::Directory);
        builder.append_data(&mut dir, order[0], &[][..]).unwrap();
        let mut file = ::tar::Header::new_gnu();
        file.set_size(1000);
        builder.append_data(&mut file, first, &[0u8; 1000][..]).unwrap();
        let mut link = ::tar::Header::new_gnu();
        link.set_entry_type(::tar::EntryType::Link);
        builder.append_link(&mut link, second, first).unwrap();
        let archive = builder.into_inner().unwrap();
        let layer_name = if image_file_first { "/bin/zz" } else { "/bin/aa" };
        let changes: HashMap<Vec<u8>, Change> =
            [(b"/bin".to_vec(), Change::Changed), (layer_name.as_bytes().to_vec(), Change::Added)].into();
        let mut progress = |_| {};
        let mut tar = super::tar::TarTree::new(b"/", false, &mut progress).layer(&changes);
        tar.feed(&archive).unwrap();
        let tree = tar.finish();
        use NodeKind::{Dir, File};
        let expected: BTreeMap<String, _> = [
            ("/".to_owned(), (Dir, 1000, 1, false)),
            ("/bin".to_owned(), (Dir, 1000, 1, false)),
            (layer_name.to_owned(), (File, 1000, 1, true)),
        ]
        .into();
        assert_eq!(listing(&tree), expected, "the image file first: {image_file_first}");
    }
}

/// Apparent bytes and entries: what the engine's rule decides.
fn counted(total: Total) -> (u64, u64) {
    (total.bytes, total.entries)
}
