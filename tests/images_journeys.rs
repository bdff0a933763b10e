//! Images and the build cache through the app's update function, keys as a person types them:
//! the panel, ownership both ways, a prune and a removal previewed exactly, read-only, and the
//! images' `/system/df` that waits for the volumes' sizes.

mod app_fixture;

use std::collections::BTreeSet;

use app_fixture::*;
use dockdu::app::panel::Panel;
use dockdu::app::{Action, Effect, EngineMsg, Overlay};
use dockdu::model::plan::KeptReason;
use dockdu::model::Problem;

fn sizes_images(effect: &Effect) -> bool {
    matches!(effect, Effect::SizeImages { .. })
}

fn only_sizes_images(effects: &[Effect]) -> bool {
    matches!(effects, [Effect::SizeImages { .. }])
}

fn names(app: &dockdu::app::App) -> Vec<String> {
    app.view().rows.iter().map(|&i| app.inventory.images[i].reference()).collect()
}

/// The plan the preview would carry out, by image reference.
fn previewed(app: &dockdu::app::App) -> Vec<String> {
    match &app.overlay {
        Some(Overlay::Confirm(confirm)) => confirm.plan.images.iter().map(|i| i.reference()).collect(),
        other => panic!("no preview open: {other:?}"),
    }
}

#[test]
fn five_lists_images_largest_first_and_an_image_leads_to_its_container_and_back() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "5");
    assert_eq!(app.nav.panel, Panel::Images);
    assert_eq!(
        names(&app),
        ["golang:1.23", "postgres:16", "nginx:1.27", "redis:7", "app:latest", "<none> f0f0f0f0f0f0"]
    );
    keys(&mut app, "s"); // unique size: app shares 80 MiB with the untagged one it replaced
    assert_eq!(names(&app)[4..], ["app:latest", "<none> f0f0f0f0f0f0"]);
    keys(&mut app, "/nginx\n");
    let screen = render(&app);
    assert!(screen.contains("nginx:1.27, nginx:latest") && screen.contains("used by (1)"), "{screen}");
    keys(&mut app, "\n"); // its one container
    assert_eq!((app.nav.panel, selected_name(&app)), (Panel::Containers, "web".to_owned()));
    keys(&mut app, "\x08");
    assert_eq!((app.nav.panel, selected_name(&app)), (Panel::Images, "nginx:1.27".to_owned()));
}

#[test]
fn a_containers_detail_links_to_its_image() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "/db\n");
    assert!(render(&app).contains("image b0b0b0b0b0b0"), "{}", render(&app));
    keys(&mut app, "\nG\n"); // its volume, its tmpfs, then the image: the last link
    assert_eq!((app.nav.panel, selected_name(&app)), (Panel::Images, "postgres:16".to_owned()));
}

#[test]
fn prune_previews_dangling_then_every_unused_image_and_confirming_sends_that_plan() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "5P");
    assert_eq!(previewed(&app), ["<none> f0f0f0f0f0f0"], "dangling only by default");
    keys(&mut app, "\t");
    assert_eq!(previewed(&app), ["redis:7", "<none> f0f0f0f0f0f0"], "never an image a container uses");
    let screen = render(&app);
    assert!(screen.contains("Will remove 2 images (125 MiB)"), "{screen}");
    let effects = keys(&mut app, "\n");
    let [Effect::Perform(Action::Remove(plan))] = effects.as_slice() else {
        panic!("Enter sent {effects:?}")
    };
    let ids: BTreeSet<&str> = plan.images.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, BTreeSet::from([image_id("redis:7").as_str(), &*format!("sha256:{}", "f0".repeat(32))]));
}

#[test]
fn removing_marked_images_keeps_the_one_in_use_naming_its_container() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "5/redis\n \x1b/nginx\n \x1b"); // mark redis, then nginx
    assert_eq!(app.marks.count(Panel::Images), 2);
    keys(&mut app, "d");
    let Some(Overlay::Confirm(confirm)) = &app.overlay else { panic!("no preview") };
    assert_eq!(previewed(&app), ["redis:7"]);
    assert_eq!(confirm.plan.kept[0].reason, KeptReason::InUse { users: vec!["web".into()] });
    assert!(render(&app).contains("in use by web"));
}

#[test]
fn read_only_refuses_image_writes_and_the_build_cache_has_none() {
    let mut app = loaded_app(100, 30);
    app.config.read_only = true;
    assert!(keys(&mut app, "5P").is_empty());
    assert!(app.overlay.is_none() && app.notice.as_deref().is_some_and(|n| n.contains("read-only")));
    app.config.read_only = false;
    keys(&mut app, "6");
    assert_eq!(app.view().rows.len(), 2);
    assert!(render(&app).contains("docker builder"), "the detail names the command that clears it");
    keys(&mut app, "P");
    assert!(app.overlay.is_none(), "no prune of the build cache");
    keys(&mut app, "d");
    assert!(app.overlay.is_none(), "no removal of a record");
}

#[test]
fn the_images_disk_usage_waits_for_the_containers_and_volumes_sizes_and_runs_once() {
    let mut app = dockdu::app::App::new(&engine().host, true, (100, 30), Default::default());
    app.start();
    let effects = connect(&mut app, engine());
    assert!(
        effects.iter().any(|e| matches!(e, Effect::LoadImages { .. })),
        "the list comes with the others: {effects:?}"
    );
    let listed = feed_images(&mut app, Ok(images()));
    assert!(listed.is_empty(), "the volume list, and with it their sizing, is not in yet: {listed:?}");
    feed(&mut app, EngineMsg::Containers { seq: 1, containers: containers() });
    let volumes = feed(&mut app, EngineMsg::Volumes { seq: 1, volumes: volumes() });
    assert!(!volumes.iter().any(sizes_images), "volumes are still being sized: {volumes:?}");
    keys(&mut app, "5");
    assert!(render(&app).contains("golang:1.23"), "names at once, before any size");
    let sized =
        feed(&mut app, EngineMsg::VolumesSized { seq: 1, sized: volume_sizes(), at: std::time::UNIX_EPOCH });
    // A container still waiting may be waiting for a `/system/df`: the images' must not go first.
    assert!(!sized.iter().any(sizes_images), "containers are still being sized: {sized:?}");
    let sized = feed(&mut app, EngineMsg::ContainersSized { seq: 1, found: container_sizes() });
    assert!(sized.iter().any(sizes_images), "{sized:?}");
    assert!(feed_images(&mut app, Ok(images())).is_empty(), "one at a time");
    feed(&mut app, EngineMsg::ImagesSized(Ok(Box::new(image_usage()))));
    assert!(app.inventory.images_sizes_known);
    assert!(feed_images(&mut app, Ok(images())).is_empty(), "nothing new to measure");
    let fewer: Vec<_> = images().into_iter().skip(1).collect();
    assert!(only_sizes_images(&feed_images(&mut app, Ok(fewer))), "one went: totals changed");
    feed(&mut app, EngineMsg::ImagesSized(Ok(Box::new(image_usage()))));
    let effects = keys(&mut app, "r");
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadImages { .. })));
    let sized = feed_images(&mut app, Ok(images()));
    assert!(only_sizes_images(&sized), "r measures them again: {sized:?}");
}

#[test]
fn with_no_volume_to_size_the_images_are_measured_once_the_lists_are_in_and_containers_sized() {
    let mut app = dockdu::app::App::new(&engine().host, true, (100, 30), Default::default());
    app.start();
    connect(&mut app, engine());
    assert!(feed_images(&mut app, Ok(images())).is_empty());
    feed(&mut app, EngineMsg::Containers { seq: 1, containers: containers() });
    feed(&mut app, EngineMsg::ContainersSized { seq: 1, found: container_sizes() });
    assert!(only_sizes_images(&feed(&mut app, EngineMsg::Volumes { seq: 1, volumes: Vec::new() })));
}

#[test]
fn a_failed_images_disk_usage_shows_question_marks_and_r_asks_again() {
    let mut app = loaded_app_before_images(100, 30);
    assert!(only_sizes_images(&feed_images(&mut app, Ok(images()))));
    feed(
        &mut app,
        EngineMsg::ImagesSized(Err(engine_error(
            Problem::Api(500),
            "a disk usage operation is already running",
        ))),
    );
    keys(&mut app, "5");
    let screen = render(&app);
    assert!(screen.contains("shared size unknown: HTTP 500: a disk usage operation"), "{screen}");
    assert!(feed_images(&mut app, Ok(images())).is_empty(), "not again by itself");
    keys(&mut app, "r");
    assert!(only_sizes_images(&feed_images(&mut app, Ok(images()))));
}

#[test]
fn an_image_imported_or_removed_elsewhere_refreshes_the_panel() {
    use dockdu::model::{Change, ChangeAction, ChangeKind};
    let mut app = loaded_app(100, 30);
    let change = |action: &str| {
        EngineMsg::Changed(Change {
            kind: ChangeKind::Image,
            action: ChangeAction::parse(action),
            id: "sha256:ab".into(),
        })
    };
    assert_eq!(feed(&mut app, change("untag")), [Effect::RefreshAfter(dockdu::app::EVENT_DEBOUNCE)]);
    assert!(feed(&mut app, change("import")).is_empty(), "one refresh for the burst");
    let refresh = feed(&mut app, EngineMsg::RefreshDue);
    assert!(refresh.iter().any(|e| matches!(e, Effect::LoadImages { .. })), "{refresh:?}");
}

/// On an engine before API 1.42 the volumes' `/system/df` measures everything: its images and
/// build cache answer the first load's measurement, and no second one is asked.
#[test]
fn an_old_engines_volumes_disk_usage_measures_the_images_too_and_none_is_asked_again() {
    let mut app = dockdu::app::App::new(&engine().host, true, (100, 30), Default::default());
    app.start();
    connect(&mut app, engine());
    feed_images(&mut app, Ok(images()));
    feed(&mut app, EngineMsg::Containers { seq: 1, containers: containers() });
    feed(&mut app, EngineMsg::Volumes { seq: 1, volumes: volumes() });
    let mut everything = disk_usage();
    let images = image_usage();
    (everything.images, everything.build_cache) = (images.images, images.build_cache);
    let names = volumes().into_iter().map(|v| v.name).collect();
    let sized = vec![dockdu::tasks::sizes::VolumesSized::Engine { names, usage: everything }];
    let after_volumes = feed(&mut app, EngineMsg::VolumesSized { seq: 1, sized, at: std::time::UNIX_EPOCH });
    let after_containers = feed(&mut app, EngineMsg::ContainersSized { seq: 1, found: container_sizes() });
    assert!(
        !after_volumes.iter().any(sizes_images) && !after_containers.iter().any(sizes_images),
        "{after_volumes:?} {after_containers:?}"
    );
    assert!(app.inventory.images_sizes_known && app.inventory.build_cache.is_some());
}

/// An old local engine with a graph driver (API 1.41, as root): the images' sizes are read from
/// its layer store, never a `/system/df` (which walks every layer and volume for tens of seconds
/// there); the build cache, which only `/system/df` knows, waits until its panel opens or `r`.
#[test]
fn an_old_local_engine_reads_the_layer_store_and_measures_the_build_cache_only_when_asked() {
    use dockdu::model::images_total::ImagesRoute;
    let mut app = loaded_app_before_images(120, 30);
    let asked = feed_images(&mut app, Ok(images()));
    let layer_store = Some(("/var/lib/docker".to_owned(), "overlay2".to_owned()));
    match &asked[..] {
        [Effect::SizeImages { route: ImagesRoute { layer_store: store, prove_total: false }, listed }] => {
            assert_eq!(store, &layer_store);
            assert_eq!(listed.len(), images().len());
        }
        other => panic!("the layer store's route: {other:?}"),
    }
    // The layer store's answer: the images, no build cache.
    let mut read_here = image_usage();
    read_here.build_cache = None;
    if let Some(images) = read_here.images.as_mut() {
        images.source = dockdu::model::ImagesSizeSource::LayerStore;
    }
    let after = feed(&mut app, EngineMsg::ImagesSized(Ok(Box::new(read_here))));
    assert!(after.is_empty(), "nothing more asked by itself: {after:?}");
    assert!(app.inventory.images_sizes_known && app.inventory.build_cache.is_none());
    let header = render(&app);
    assert!(header.contains("Build cache – · not measured (6)"), "{header}");
    assert!(feed_images(&mut app, Ok(images())).is_empty(), "a relist asks nothing either");

    // Opening the Build cache panel asks the engine, whose `/system/df` is the only one to know.
    let opened = keys(&mut app, "6");
    match &opened[..] {
        [Effect::SizeImages { route: ImagesRoute { layer_store: None, .. }, .. }] => {}
        other => panic!("the engine's route: {other:?}"),
    }
    assert!(render(&app).contains("Measuring the build cache"), "{}", render(&app));
    feed(&mut app, EngineMsg::ImagesSized(Ok(Box::new(image_usage()))));
    assert!(app.inventory.build_cache.is_some());
    assert!(keys(&mut app, "1").is_empty() && keys(&mut app, "6").is_empty(), "measured once");

    // `r` elsewhere measures it again, with everything else, from the engine.
    let mut app = loaded_app_before_images(120, 30);
    feed_images(&mut app, Ok(images()));
    let mut read_here = image_usage();
    read_here.build_cache = None;
    feed(&mut app, EngineMsg::ImagesSized(Ok(Box::new(read_here))));
    keys(&mut app, "r");
    let asked = feed_images(&mut app, Ok(images()));
    match &asked[..] {
        [Effect::SizeImages { route: ImagesRoute { layer_store: None, .. }, .. }] => {}
        other => panic!("r asks the engine for the build cache: {other:?}"),
    }
}
