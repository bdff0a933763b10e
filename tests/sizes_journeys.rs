//! Sizes arriving one by one, as a person watching the explorer sees them: rows fill in while
//! the others keep their spinner, the selection stays on its object as rows re-sort, the detail
//! pane says where each number came from, and only what the engine's events say changed is
//! measured again. No engine involved.

mod app_fixture;

use app_fixture::*;
use dockdu::app::{App, Effect, EngineMsg};
use dockdu::model::{Change, ChangeAction, ChangeKind, ContainerId};
use dockdu::tasks::sizes::ContainerSized;

const SPINNER: [char; 8] = ['⣾', '⣽', '⣻', '⢿', '⡿', '⣟', '⣯', '⣷'];

/// Connected, both lists in, no size yet.
fn listed_app() -> App {
    let mut app = App::new("unix:///var/run/docker.sock", true, (140, 30), Default::default());
    app.now = measured_at() + std::time::Duration::from_secs(120);
    app.start();
    feed(&mut app, EngineMsg::Connected(engine()));
    feed(&mut app, EngineMsg::Containers { seq: 1, containers: containers() });
    feed(&mut app, EngineMsg::Volumes { seq: 1, volumes: volumes() });
    app
}

/// The sized answer for the containers whose names are given.
fn sized(names: &[&str]) -> Vec<(ContainerId, Option<ContainerSized>)> {
    let ids: Vec<ContainerId> =
        containers().into_iter().filter(|c| names.contains(&c.name.as_str())).map(|c| c.id).collect();
    container_sizes().into_iter().filter(|(id, _)| ids.contains(id)).collect()
}

/// The table row showing `name`.
fn row<'a>(screen: &'a str, name: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.starts_with(&format!("│{name} ")))
        .unwrap_or_else(|| panic!("no row {name}:\n{screen}"))
}

#[test]
fn sizes_fill_in_one_by_one_and_the_spinner_stays_on_the_rows_still_waiting() {
    let mut app = listed_app();
    let screen = render(&app);
    for name in ["web", "db", "worker", "builder"] {
        assert!(row(&screen, name).contains(SPINNER), "{name} waits:\n{screen}");
    }
    assert!(screen.contains("measuring 4 containers · 4 volumes"), "{screen}");

    feed(&mut app, EngineMsg::ContainersSized { seq: 1, found: sized(&["db"]) });
    let screen = render(&app);
    insta::assert_snapshot!("one_size_in", screen);
    assert!(row(&screen, "db").contains("300 MiB") && !row(&screen, "db").contains(SPINNER), "{screen}");
    for name in ["web", "worker", "builder"] {
        assert!(row(&screen, name).contains(SPINNER), "{name} still waits:\n{screen}");
    }
    assert!(screen.contains("measuring 3 containers · 4 volumes"), "{screen}");
    assert!(!app.inventory.sizes_known, "the totals wait for every size");

    feed(&mut app, EngineMsg::ContainersSized { seq: 1, found: sized(&["web", "worker", "builder"]) });
    feed(&mut app, EngineMsg::VolumesSized { seq: 1, sized: volume_sizes(), at: std::time::UNIX_EPOCH });
    let screen = render(&app);
    assert!(!screen.lines().skip(1).any(|l| l.contains(SPINNER)), "no spinner left:\n{screen}");
    assert!(app.inventory.sizes_known);
    assert!(!app.busy(), "nothing in flight, nothing ticks: the disk is not polled");
}

#[test]
fn the_selected_container_stays_selected_while_sizes_reorder_the_rows() {
    let mut app = listed_app();
    // By size, unknown sizes sort by name: builder, db, web, worker. Choose worker.
    keys(&mut app, "jjj");
    assert_eq!(selected_name(&app), "worker");
    feed(&mut app, EngineMsg::ContainersSized { seq: 1, found: sized(&["db", "web"]) });
    assert_eq!(selected_name(&app), "worker", "db and web moved above it");
    let position = app.view().scroll.selected;
    feed(&mut app, EngineMsg::ContainersSized { seq: 1, found: sized(&["worker", "builder"]) });
    assert_eq!(selected_name(&app), "worker");
    assert_eq!(
        app.view().scroll.selected,
        2,
        "worker is third by size (db, web, worker, builder); was {position}"
    );
}

#[test]
fn the_detail_pane_says_where_each_size_came_from() {
    let mut app = loaded_app(100, 30);
    // db's sizes came from the engine, web's were measured here.
    let screen = render(&app);
    assert!(screen.contains("writable   300 MiB from the engine"), "{screen}");
    keys(&mut app, "j");
    let screen = render(&app);
    assert!(screen.contains("writable   12 MiB measured here"), "{screen}");
    keys(&mut app, "2");
    let screen = render(&app);
    assert!(screen.contains("1.5 GiB measured here"), "{screen}");
    keys(&mut app, "j");
    let screen = render(&app);
    assert!(screen.contains("250 MiB from the engine"), "old-logs came from /system/df:\n{screen}");
}

/// The generation asked for by a refresh the events caused.
fn refresh(app: &mut App) -> u64 {
    feed(app, EngineMsg::RefreshDue)
        .iter()
        .find_map(|e| match e {
            Effect::LoadLists { seq } => Some(*seq),
            _ => None,
        })
        .expect("the lists are asked for again")
}

#[test]
fn only_what_the_events_say_changed_is_measured_again_and_keeps_its_size_meanwhile() {
    let mut app = loaded_app(100, 30);
    let web = containers().into_iter().find(|c| c.name == "web").expect("web").id;
    let event = |kind, action: &str, id: &str| {
        EngineMsg::Changed(Change { kind, action: ChangeAction::parse(action), id: id.into() })
    };
    assert_eq!(
        feed(&mut app, event(ChangeKind::Container, "die", &web)),
        [Effect::RefreshAfter(dockdu::app::EVENT_DEBOUNCE)]
    );
    feed(&mut app, event(ChangeKind::Container, "exec_start: sh", &web));
    feed(&mut app, event(ChangeKind::Volume, "unmount", "pgdata"));
    let seq = refresh(&mut app);

    let effects = feed(&mut app, EngineMsg::Containers { seq, containers: containers() });
    assert!(effects.contains(&Effect::InspectContainers { seq, ids: vec![web.clone()] }), "{effects:?}");
    let effects = feed(&mut app, EngineMsg::Volumes { seq, volumes: volumes() });
    let pgdata: Vec<_> = volumes().into_iter().filter(|v| v.name == "pgdata").collect();
    assert!(effects.contains(&Effect::SizeVolumes { seq, volumes: pgdata }), "{effects:?}");
    let screen = render(&app);
    assert!(row(&screen, "web").contains("12 MiB"), "the last size stays until the new one:\n{screen}");

    // Its new size arrives; a later refresh with no event between measures nothing.
    feed(&mut app, EngineMsg::ContainersSized { seq, found: sized(&["web"]) });
    assert!(!app.loading.containers.is_waiting(&web));
    let seq = refresh(&mut app);
    let effects = feed(&mut app, EngineMsg::Containers { seq, containers: containers() });
    assert!(!effects.iter().any(|e| matches!(e, Effect::InspectContainers { .. })), "{effects:?}");
}

#[test]
fn an_event_during_a_size_run_asks_only_for_what_changed_and_the_run_goes_on() {
    let mut app = listed_app();
    let event = EngineMsg::Changed(Change {
        kind: ChangeKind::Volume,
        action: ChangeAction::Mount,
        id: "pgdata".into(),
    });
    feed(&mut app, event);
    let seq = refresh(&mut app);
    let effects = feed(&mut app, EngineMsg::Volumes { seq, volumes: volumes() });
    let asked: Vec<Vec<String>> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::SizeVolumes { volumes, .. } => Some(volumes.iter().map(|v| v.name.to_string()).collect()),
            _ => None,
        })
        .collect();
    assert_eq!(asked, [vec!["pgdata".to_owned()]], "the first run's other volumes stay with it");
    // The first run answers (its /system/df was not thrown away): the others stop waiting,
    // pgdata waits for the newer run.
    feed(&mut app, EngineMsg::VolumesSized { seq: 1, sized: volume_sizes(), at: std::time::UNIX_EPOCH });
    assert!(app.loading.volumes.is_waiting("pgdata"));
    assert_eq!(app.loading.volumes.waiting(), 1);
}
