//! The browser, as a person uses it: `o` on a volume or a container opens it, the first level
//! shows while the rest is counted, Enter goes in, Backspace comes back to the same row, `s`
//! sorts, Esc closes back to the same panel and row (and stops the count); each name of a
//! hard-linked file shows its size marked `H`, and its folders count it once.

mod app_fixture;

use app_fixture::*;
use dockdu::app::browser::Contents;
use dockdu::app::panel::Panel;
use dockdu::app::{App, Effect, EngineMsg, Overlay};
use dockdu::measure::{Change, NodeId, NodeKind, Progress, TopEntry, Tree};
use dockdu::model::SizeSource;
use dockdu::tasks::browse::{BrowseError, Target};

fn browser(app: &App) -> &dockdu::app::browser::Browser {
    match &app.overlay {
        Some(Overlay::Browser(browser)) => browser,
        other => panic!("no browser open: {other:?}"),
    }
}

fn rows(app: &App) -> Vec<String> {
    browser(app).names()
}

/// A volume's tree: logs/ (two big files), cache/ (many small ones), a file and a link.
fn volume_tree() -> Tree {
    let mut tree = Tree::new(b"shared");
    let logs = tree.add(NodeId::ROOT, b"logs", NodeKind::Dir, 0);
    tree.add(logs, b"app.log", NodeKind::File, 40_000_000);
    tree.add(logs, b"old.log", NodeKind::File, 9_000_000);
    let cache = tree.add(NodeId::ROOT, b"cache", NodeKind::Dir, 0);
    for i in 0..120 {
        tree.add(cache, format!("entry-{i}").as_bytes(), NodeKind::File, 10_000);
    }
    tree.add(NodeId::ROOT, b"settings.json", NodeKind::File, 2_000);
    tree.add(NodeId::ROOT, b"current", NodeKind::Symlink, 7);
    tree.finish();
    tree
}

fn layer_tree() -> Tree {
    let mut tree = Tree::new(b"web");
    let tmp = tree.add(NodeId::ROOT, b"tmp", NodeKind::Dir, 0);
    tree.set_change(tmp, Some(Change::Changed));
    let upload = tree.add(tmp, b"upload.bin", NodeKind::File, 5_000_000);
    tree.set_change(upload, Some(Change::Added));
    let etc = tree.add(NodeId::ROOT, b"etc", NodeKind::Dir, 0);
    tree.set_change(etc, Some(Change::Changed));
    let conf = tree.add(etc, b"nginx.conf", NodeKind::File, 900);
    tree.set_change(conf, Some(Change::Changed));
    let gone = tree.add(etc, b"default.conf", NodeKind::Other, 0);
    tree.set_change(gone, Some(Change::Deleted));
    tree.finish();
    tree
}

fn open(app: &mut App, typed: &str) -> u64 {
    let effects = keys(app, typed);
    match effects.as_slice() {
        [Effect::Browse { seq, .. }] => *seq,
        other => panic!("o should start a count, got {other:?}"),
    }
}

#[test]
fn a_volume_opens_on_its_first_level_while_counting_then_goes_in_and_back() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2j");
    let row_before = app.view().scroll.selected;
    let seq = open(&mut app, "o");
    assert!(matches!(browser(&app).target, Target::Volume(_)));
    assert!(app.busy(), "the spinner turns while counting");

    // The first level, sizes so far: shown biggest first; a folder asked for opens once counted.
    let top = |name: &str, kind, size| TopEntry { name: name.to_owned(), kind, size, files: 1 };
    let progress = Progress {
        bytes: 3_000,
        files: 3,
        top: vec![top("cache", NodeKind::Dir, 1_000), top("logs", NodeKind::Dir, 2_000)],
    };
    feed(&mut app, EngineMsg::BrowseProgress { seq, progress });
    assert_eq!(rows(&app), ["logs", "cache"]);
    keys(&mut app, "\n");
    assert!(browser(&app).notice.as_deref().is_some_and(|n| n.contains("still counting")));
    assert!(render(&app).contains("counting…"));

    // A stale count's answer is dropped; the current one fills the browser.
    feed(&mut app, EngineMsg::Browsed { seq: seq - 1, result: Err(BrowseError::Other("old".into())) });
    assert!(browser(&app).counting());
    feed(&mut app, EngineMsg::Browsed { seq, result: Ok((volume_tree(), SizeSource::Host)) });
    assert!(matches!(browser(&app).contents, Contents::Ready { .. }));
    assert_eq!(browser(&app).path(), "/logs", "the folder Enter asked for, now counted");
    keys(&mut app, "\x08");
    assert_eq!(rows(&app), ["logs", "cache", "settings.json", "current"]);
    keys(&mut app, "j\n");
    assert_eq!(browser(&app).path(), "/cache");
    assert_eq!(browser(&app).len(), 120);
    keys(&mut app, "\x08");
    assert_eq!((browser(&app).path().as_str(), browser(&app).scroll.selected), ("/", 1), "back on cache");
    keys(&mut app, "s");
    assert_eq!(rows(&app), ["cache", "current", "logs", "settings.json"], "by name");
    keys(&mut app, "s");
    assert_eq!(rows(&app)[0], "cache", "by file count: 120 files");

    let effects = keys(&mut app, "\x1b");
    assert_eq!(effects, [Effect::StopBrowsing], "closing stops the count");
    assert!(app.overlay.is_none());
    assert_eq!(
        (app.nav.panel, app.view().scroll.selected),
        (Panel::Volumes, row_before),
        "the same panel and row"
    );
}

#[test]
fn a_containers_layer_shows_what_it_added_changed_and_deleted() {
    let mut app = loaded_app(100, 30);
    let seq = open(&mut app, "o");
    assert!(matches!(browser(&app).target, Target::Container(_)));
    feed(&mut app, EngineMsg::Browsed { seq, result: Ok((layer_tree(), SizeSource::Engine)) });
    let screen = render(&app);
    assert!(screen.contains("Lost when the container is removed"), "{screen}");
    assert!(screen.contains("measured by the engine"), "{screen}");
    keys(&mut app, "j\n");
    let view = browser(&app);
    let marks: Vec<_> = (0..view.len()).filter_map(|i| view.row(i)).map(|r| (r.name, r.change)).collect();
    assert_eq!(
        marks,
        [
            ("nginx.conf".to_owned(), Some(Change::Changed)),
            ("default.conf".to_owned(), Some(Change::Deleted))
        ]
    );
}

#[test]
fn a_failed_count_says_why_and_tmpfs_has_nothing_to_open() {
    let mut app = loaded_app(100, 30);
    let seq = open(&mut app, "2o");
    feed(
        &mut app,
        EngineMsg::Browsed { seq, result: Err(BrowseError::NotFound("no such volume: shared".into())) },
    );
    assert!(render(&app).contains("no such volume: shared"));
    keys(&mut app, "\x1b4");
    assert!(keys(&mut app, "o").is_empty());
    assert!(app.overlay.is_none());
}

#[test]
fn the_browser_at_80x24() {
    let mut app = loaded_app(80, 24);
    let seq = open(&mut app, "2o");
    feed(&mut app, EngineMsg::Browsed { seq, result: Ok((volume_tree(), SizeSource::Host)) });
    insta::assert_snapshot!("browser_volume_80x24", render(&app));
    keys(&mut app, "\x1b1");
    let seq = open(&mut app, "o");
    feed(&mut app, EngineMsg::Browsed { seq, result: Ok((layer_tree(), SizeSource::Engine)) });
    keys(&mut app, "j\n");
    insta::assert_snapshot!("browser_layer_80x24", render(&app));
}

/// A volume whose `logs/` holds one 4 MiB file under two names, with a third name in `old/`.
fn hard_linked_tree() -> Tree {
    let mut tree = Tree::new(b"logs");
    let logs = tree.add(NodeId::ROOT, b"logs", NodeKind::Dir, 0);
    let first = tree.add(logs, b"big.log", NodeKind::File, 4 << 20);
    let second = tree.add(logs, b"big.log.1", NodeKind::File, 4 << 20);
    tree.hard_link(second, first);
    tree.add(logs, b"small.log", NodeKind::File, 1_000);
    let old = tree.add(NodeId::ROOT, b"old", NodeKind::Dir, 0);
    let third = tree.add(old, b"big.log.2", NodeKind::File, 4 << 20);
    tree.hard_link(third, first);
    tree.finish();
    tree
}

#[test]
fn each_name_of_a_hard_linked_file_shows_its_size_marked_and_counts_once() {
    let mut app = loaded_app(80, 24);
    let seq = open(&mut app, "2o");
    feed(&mut app, EngineMsg::Browsed { seq, result: Ok((hard_linked_tree(), SizeSource::Host)) });
    let sizes = |app: &App| {
        let view = browser(app);
        (0..view.len()).filter_map(|i| view.row(i)).map(|r| (r.name, r.size, r.hard_link)).collect::<Vec<_>>()
    };
    assert_eq!(browser(&app).totals(), (4 * 1024 * 1024 + 1_000, 4), "the file once in the volume's total");
    assert_eq!(
        sizes(&app),
        [("logs".to_owned(), 4 * 1024 * 1024 + 1_000, false), ("old".to_owned(), 4 << 20, false)]
    );
    keys(&mut app, "\n");
    assert_eq!(
        sizes(&app),
        [
            ("big.log".to_owned(), 4 << 20, true),
            ("big.log.1".to_owned(), 4 << 20, true),
            ("small.log".to_owned(), 1_000, false)
        ]
    );
    insta::assert_snapshot!("browser_hard_links_80x24", render(&app));
}

/// `d2` before `d19`, by files folders with more first (a file is one), and `S` turns any order
/// around, the selection staying on its entry.
#[test]
fn the_browser_sorts_names_naturally_by_files_too_and_s_reverses() {
    let mut tree = Tree::new(b"v");
    let d19 = tree.add(NodeId::ROOT, b"d19", NodeKind::Dir, 0);
    tree.add(d19, b"a", NodeKind::File, 1);
    let d2 = tree.add(NodeId::ROOT, b"d2", NodeKind::Dir, 0);
    for name in [b"a", b"b", b"c"] {
        tree.add(d2, name, NodeKind::File, 1);
    }
    tree.add(NodeId::ROOT, b"big", NodeKind::File, 100);
    tree.finish();
    let mut app = loaded_app(80, 24);
    let seq = match keys(&mut app, "2o").as_slice() {
        [Effect::Browse { seq, .. }] => *seq,
        effects => panic!("{effects:?}"),
    };
    feed(&mut app, EngineMsg::Browsed { seq, result: Ok((tree, SizeSource::Host)) });
    assert_eq!(browser(&app).names(), ["big", "d2", "d19"], "by size");
    keys(&mut app, "s");
    assert_eq!(browser(&app).names(), ["big", "d2", "d19"], "by name, naturally: d2 before d19");
    keys(&mut app, "s");
    assert_eq!(browser(&app).names(), ["d2", "big", "d19"], "by files: 3, then the file and d19 (1 each)");
    keys(&mut app, "S");
    assert_eq!(browser(&app).names(), ["d19", "big", "d2"], "reversed");
    assert!(render(&app).contains("by files, reversed"));
}

#[test]
fn o_on_a_bind_whose_host_path_is_missing_says_why_and_opens_nothing() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "3/gone\n");
    assert!(keys(&mut app, "o").is_empty(), "no count started");
    assert!(app.overlay.is_none());
    assert!(render(&app).contains("/home/me/gone does not exist on this host"), "{}", render(&app));
}
