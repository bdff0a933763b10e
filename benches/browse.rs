//! Looking inside, measured: a volume of 100,000 files opened by both routes (walked here, and
//! read through the engine's archive stream from a container that mounts it), to the first level
//! and to the whole tree; and the memory of a 1,000,000-entry tree. Run it with
//! `cargo bench --bench browse` as root on a host with a Docker Engine; `FILES` resizes the volume.

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bollard::models::HostConfig;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dockdu::app::browser::Browser;
use dockdu::measure::{local, Cancel, Layout, NodeId, NodeKind, Tree};
use dockdu::tasks::browse::{self, Target};

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// A tree of `entries` entries: folders of 1,000 files named like `file-000123`.
fn big_tree(entries: usize) -> Tree {
    let mut tree = Tree::new(b"root");
    let mut dir = NodeId::ROOT;
    for i in 0..entries - 1 {
        if i % 1000 == 0 {
            dir = tree.add(NodeId::ROOT, format!("dir-{i:07}").as_bytes(), NodeKind::Dir, 0);
        } else {
            tree.add(dir, format!("file-{i:07}").as_bytes(), NodeKind::File, i as u64);
        }
    }
    tree.finish();
    tree
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let entries = 1_000_000;
    let tree = big_tree(entries);
    let per_entry = tree.heap_bytes() as f64 / tree.len() as f64;
    println!(
        "| bytes per entry, 1,000,000-entry tree | ≤ 200 | {per_entry:.1} | {} |",
        verdict(per_entry <= 200.0)
    );
    drop(tree);

    // Keys in the browser on a folder of 100,000 entries: the work between the key and the frame.
    let mut flat = Tree::new(b"flat");
    for i in 0..100_000u64 {
        flat.add(NodeId::ROOT, format!("file-{i:06}").as_bytes(), NodeKind::File, i * 7 % 1000);
    }
    flat.finish();
    let mut outer = Tree::new(b"outer");
    let inner = outer.add(NodeId::ROOT, b"flat", NodeKind::Dir, 0);
    for i in 0..100_000u64 {
        outer.add(inner, format!("file-{i:06}").as_bytes(), NodeKind::File, i * 7 % 1000);
    }
    outer.finish();
    let mut browser = Browser::new(Target::Volume("flat".into()), "flat".into(), 1);
    let started = Instant::now();
    browser.counted(Ok((outer, dockdu::model::SizeSource::Host)));
    let ready = started.elapsed();
    let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
    let started = Instant::now();
    browser.on_key(key(KeyCode::Enter), 40);
    let enter = started.elapsed();
    let started = Instant::now();
    browser.on_key(key(KeyCode::Char('s')), 40);
    let sort = started.elapsed();
    let started = Instant::now();
    browser.on_key(key(KeyCode::Backspace), 40);
    let up = started.elapsed();
    // Again, now that the folder's memory has been touched once.
    browser.on_key(key(KeyCode::Char('s')), 40);
    browser.on_key(key(KeyCode::Char('s')), 40);
    let started = Instant::now();
    browser.on_key(key(KeyCode::Enter), 40);
    let again = started.elapsed();
    let worst = enter.max(sort).max(up).max(again);
    println!(
        "| browser keys on a folder of 100,000 entries: Enter; s; Backspace; Enter again | ≤ 16 ms | {}; {}; {}; {} | {} |",
        ms(enter),
        ms(sort),
        ms(up),
        ms(again),
        verdict(worst <= Duration::from_millis(16))
    );
    println!("| the count arriving (tree to rows) | — | {} | |", ms(ready));
    drop((flat, browser));

    let files: usize = std::env::var("FILES").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let s = support::Scenario::new().await;
    let volume = s.create_volume("browse").await;
    let mountpoint = s.docker.inspect_volume(&volume).await.expect("volume").mountpoint;
    let root = std::path::PathBuf::from(&mountpoint);
    for i in 0..files {
        let dir = root.join(format!("d{:03}", i % 100));
        if i < 100 {
            std::fs::create_dir_all(&dir).expect("a folder");
        }
        std::fs::write(dir.join(format!("f{i}")), i.to_string()).expect("a file");
    }
    // Never started: only so the engine route has a container that mounts the volume.
    s.create_container(
        "reader",
        &["true"],
        HostConfig { binds: Some(vec![format!("{volume}:/data")]), ..Default::default() },
    )
    .await;

    let mut first = None;
    let started = Instant::now();
    let tree = local::build(&root, Layout::Plain, &Cancel::default(), &mut |_| {
        first.get_or_insert_with(|| started.elapsed());
    })
    .expect("walk");
    let whole = started.elapsed();
    let first = first.unwrap_or(whole);
    println!("| {files} files, local: first level | — | {} | |", ms(first));
    println!("| {files} files, local: whole tree ({} entries) | — | {} | |", tree.len(), ms(whole));

    let engine = support::engine();
    let cleanup = dockdu::tasks::cleanup::Cleanup::default();
    let first = Arc::new(Mutex::new(None));
    let started = Instant::now();
    let seen = Arc::clone(&first);
    let browsed = browse::measure(
        &engine,
        &Target::Volume(volume.clone()),
        true,
        Box::new(move |_| {
            let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
            seen.get_or_insert_with(|| started.elapsed());
        }),
        &cleanup,
    )
    .await
    .expect("through the engine");
    let whole = started.elapsed();
    let first = first.lock().unwrap_or_else(|e| e.into_inner()).unwrap_or(whole);
    println!("| {files} files, engine route: first level (partial) | — | {} | |", ms(first));
    println!("| {files} files, engine route: whole tree | — | {} | |", ms(whole));
    assert_eq!(browsed.tree.size(NodeId::ROOT), tree.size(NodeId::ROOT), "both routes agree");
}

fn verdict(pass: bool) -> &'static str {
    if pass {
        "pass"
    } else {
        "FAIL"
    }
}
