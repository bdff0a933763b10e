//! The Disk panel, on the TestBackend: opened, it asks for the walk of the engine's root (and
//! only then); the answer lists the parts in order and what is not accounted for, each with why;
//! `o` looks inside the selected folder; a root that cannot be read says why and shows the
//! engine's own counts.

mod app_fixture;

use app_fixture::*;
use dockdu::app::disk::DiskWalk;
use dockdu::app::panel::Panel;
use dockdu::app::{Effect, EngineMsg, Overlay};
use dockdu::model::browse::Target;
use dockdu::model::disk::{
    DiskPart, DiskProgress, DiskReport, DiskRoot, DiskUnreadable, Filesystem, PartKind, Unaccounted, Why,
};

const ROOT: &str = "/var/lib/docker";

/// A root of 10.8 GiB with an orphaned layer, a removed container's folder and leftovers in tmp.
fn report() -> DiskReport {
    let part = |kind, size: u64, disk_usage: u64, files, folder: &str| DiskPart {
        kind,
        size,
        disk_usage,
        files,
        path: format!("{ROOT}/{folder}"),
    };
    let unaccounted = vec![
        Unaccounted {
            path: format!("{ROOT}/overlay2/3f9c0e4d5b6a79881726354433221100aabbccddeeff00112233445566778899"),
            size: 2 << 30,
            disk_usage: (2 << 30) + (8 << 20),
            files: 41_230,
            why: Why::OrphanedLayer,
        },
        Unaccounted {
            path: format!(
                "{ROOT}/containers/0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de"
            ),
            size: 700 << 20,
            disk_usage: 700 << 20,
            files: 6,
            why: Why::RemovedContainer,
        },
        Unaccounted {
            path: format!("{ROOT}/tmp/docker-import-118"),
            size: 90 << 20,
            disk_usage: 90 << 20,
            files: 1,
            why: Why::Temporary,
        },
    ];
    let unaccounted_total: u64 = unaccounted.iter().map(|u| u.size).sum();
    let parts = vec![
        part(PartKind::ImageLayers, 5 << 30, (5 << 30) + (300 << 20), 180_000, "overlay2"),
        part(PartKind::ContainerLayers, 316 << 20, 330 << 20, 2_000, "overlay2"),
        part(PartKind::ContainerLogs, 1224 << 20, 1224 << 20, 5, "containers"),
        part(PartKind::ContainerFiles, 40 << 10, 96 << 10, 40, "containers"),
        part(PartKind::Volumes, 1800 << 20, 2100 << 20, 50_000, "volumes"),
        part(PartKind::BuildCache, 300 << 20, 310 << 20, 900, "buildkit"),
        part(PartKind::Containerd, 0, 0, 0, "containerd"),
        part(PartKind::Metadata, 12 << 20, 14 << 20, 800, "image"),
        DiskPart {
            kind: PartKind::Unaccounted,
            size: unaccounted_total,
            disk_usage: unaccounted_total + (8 << 20),
            files: 41_237,
            path: ROOT.to_owned(),
        },
    ];
    DiskReport {
        root: DiskRoot {
            path: ROOT.to_owned(),
            filesystem: Some(Filesystem { size: 100 << 30, used: 40 << 30, free: 60 << 30 }),
            total: parts.iter().map(|p| p.size).sum(),
            disk_usage: parts.iter().map(|p| p.disk_usage).sum(),
        },
        parts,
        unaccounted,
        other_filesystems: vec![format!("{ROOT}/overlay2/aaaa/merged")],
    }
}

/// The app on the Disk panel with the walk answered.
fn walked_app(width: u16, height: u16) -> dockdu::app::App {
    let mut app = loaded_app(width, height);
    let effects = keys(&mut app, "7");
    let [Effect::WalkDisk { seq }] = effects.as_slice() else { panic!("{effects:?}") };
    feed(&mut app, EngineMsg::DiskWalked { seq: *seq, result: Ok(Box::new(report())) });
    app
}

#[test]
fn the_root_is_walked_only_when_the_disk_panel_opens_and_again_on_r() {
    let mut app = loaded_app(100, 30);
    assert_eq!(app.loading.disk, DiskWalk::NotAsked, "nothing walks the root before the panel opens");
    let effects = keys(&mut app, "7");
    assert_eq!(app.nav.panel, Panel::Disk);
    let [Effect::WalkDisk { seq: first }] = effects.as_slice() else { panic!("{effects:?}") };
    let first = *first;
    // While it walks, the panel says how far it got.
    let progress = DiskProgress { bytes: 3 << 30, files: 12_345, folders_done: 40, folders: 1_005 };
    feed(&mut app, EngineMsg::DiskProgress { seq: first, progress });
    assert!(
        render(&app).contains("Walking /var/lib/docker: 12345 files · 3 GiB · 40/1005 folders"),
        "{}",
        render(&app)
    );
    // Leaving and coming back does not walk again; r does, and a late answer of the first is dropped.
    keys(&mut app, "1");
    assert!(keys(&mut app, "7").is_empty());
    let effects = keys(&mut app, "r");
    assert!(effects.iter().any(|e| matches!(e, Effect::WalkDisk { seq } if *seq > first)), "{effects:?}");
    feed(&mut app, EngineMsg::DiskWalked { seq: first, result: Ok(Box::new(report())) });
    assert!(app.inventory.disk_lines.is_empty(), "the superseded walk's answer is not shown");
}

#[test]
fn the_parts_come_in_order_then_each_path_not_accounted_for_with_why() {
    let app = walked_app(160, 40);
    let labels: Vec<&str> = app.view().rows.iter().map(|&i| app.inventory.disk_lines[i].label()).collect();
    assert_eq!(
        labels,
        [
            "image layers",
            "container layers",
            "container logs",
            "container files",
            "volumes",
            "build cache",
            "engine metadata",
            "not accounted for",
            "orphaned layer",
            "removed container",
            "temporary files",
        ],
        "the empty containerd part is left out"
    );
    insta::assert_snapshot!("disk_panel_160x40", render(&app));
}

#[test]
fn an_orphaned_layer_says_how_to_reclaim_it_and_o_looks_inside_that_folder() {
    let mut app = walked_app(100, 30);
    keys(&mut app, "/orphaned\n");
    let screen = render(&app);
    assert!(screen.contains("stop the engine, then delete the folder"), "{screen}");
    assert!(screen.contains("dockdu never removes it"), "{screen}");
    let effects = keys(&mut app, "o");
    let [Effect::Browse { target: Target::Path(path), .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(path.starts_with("/var/lib/docker/overlay2/3f9c0e4d"), "{path}");
    assert!(matches!(app.overlay, Some(Overlay::Browser(_))));
}

#[test]
fn the_disk_panel_at_80x24() {
    let app = walked_app(80, 24);
    insta::assert_snapshot!("disk_panel_80x24", render(&app));
}

#[test]
fn a_root_closed_to_this_user_says_so_and_shows_what_the_engine_counts() {
    let mut app = loaded_app(160, 40);
    let effects = keys(&mut app, "7");
    let [Effect::WalkDisk { seq }] = effects.as_slice() else { panic!("{effects:?}") };
    let why =
        DiskUnreadable::Denied { path: ROOT.to_owned(), error: "Permission denied (os error 13)".to_owned() };
    feed(&mut app, EngineMsg::DiskWalked { seq: *seq, result: Err(why) });
    let screen = render(&app);
    assert!(screen.contains("cannot read /var/lib/docker") && screen.contains("run as root"), "{screen}");
    assert!(screen.contains("What the engine counts itself: images 1.6 GiB"), "{screen}");
    insta::assert_snapshot!("disk_panel_unreadable", screen);
}

#[test]
fn the_truncate_preview_at_80x24() {
    let mut app = loaded_app(80, 24);
    keys(&mut app, "T"); // db: three files, the current one first
    insta::assert_snapshot!("truncate_preview_80x24", render(&app));
}
