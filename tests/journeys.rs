//! Journeys: keys typed as a person would, through the app's update function, then what they see.

mod app_fixture;

use app_fixture::*;
use dockdu::app::panel::{Panel, SortColumn};
use dockdu::app::{Effect, EngineMsg, Focus, Overlay};
use dockdu::engine::{Change, ChangeKind};

fn names(app: &dockdu::app::App) -> Vec<String> {
    let inventory = &app.inventory;
    app.view()
        .rows
        .iter()
        .map(|&i| match app.panel {
            Panel::Containers => inventory.containers[i].name.clone(),
            Panel::Volumes => inventory.volumes[i].name.clone(),
            Panel::Binds => {
                format!("{} {}", inventory.bind_mounts[i].source, inventory.bind_mounts[i].container)
            }
            Panel::Tmpfs => inventory.tmpfs_mounts[i].tmpfs.destination.clone(),
        })
        .collect()
}

#[test]
fn containers_open_sorted_by_writable_size_and_sort_keys_change_it() {
    let mut app = loaded_app(100, 30);
    assert_eq!(names(&app), ["db", "web", "worker", "builder"]);
    keys(&mut app, "s");
    assert_eq!(app.view().sort.column, SortColumn::VirtualSize);
    assert_eq!(names(&app), ["builder", "db", "web", "worker"]);
    keys(&mut app, "s");
    assert_eq!(names(&app), ["builder", "db", "web", "worker"], "by name");
    keys(&mut app, "S");
    assert_eq!(names(&app), ["worker", "web", "db", "builder"], "by name, reversed");
}

#[test]
fn filtering_narrows_rows_as_you_type_and_esc_clears() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2/dang");
    assert!(app.filter_typing);
    assert_eq!(names(&app), ["old-logs"]);
    keys(&mut app, "\n");
    assert!(!app.filter_typing);
    assert_eq!(app.view().filter, "dang");
    keys(&mut app, "\x1b");
    assert_eq!(app.view().rows.len(), 4);
    keys(&mut app, "/zzz");
    assert!(render(&app).contains("No volumes match “zzz”"));
}

#[test]
fn following_a_volume_to_its_container_and_back() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2");
    assert_eq!(app.panel, Panel::Volumes);
    assert_eq!(selected_name(&app), "pgdata");
    keys(&mut app, "j");
    assert_eq!(selected_name(&app), "old-logs");
    keys(&mut app, "j");
    assert_eq!(selected_name(&app), "shared-cache");
    // Two users: Enter walks into the links, Enter again follows the chosen one.
    keys(&mut app, "\n");
    assert_eq!(app.focus, Focus::Links);
    keys(&mut app, "j\n");
    assert_eq!(app.panel, Panel::Containers);
    assert_eq!(selected_name(&app), "worker");
    assert!(render(&app).contains("shared with web"));
    keys(&mut app, "\x08");
    assert_eq!(app.panel, Panel::Volumes);
    assert_eq!(selected_name(&app), "shared-cache");
}

#[test]
fn following_a_container_mount_to_its_bind_and_its_volume() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "j"); // web
    assert_eq!(selected_name(&app), "web");
    keys(&mut app, "\n\n"); // first link: the bind of /srv/www
    assert_eq!(app.panel, Panel::Binds);
    assert_eq!(selected_name(&app), "/srv/www");
    assert_eq!(app.inventory.bind_mounts[app.view().selected_index().unwrap()].container, "web");
    keys(&mut app, "\x1b");
    assert_eq!((app.panel, selected_name(&app)), (Panel::Containers, "web".to_owned()));
    keys(&mut app, "\nj\n"); // second link: the shared-cache volume
    assert_eq!((app.panel, selected_name(&app)), (Panel::Volumes, "shared-cache".to_owned()));
}

#[test]
fn selection_stays_on_the_same_container_when_a_refresh_removes_another() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "jj");
    assert_eq!(selected_name(&app), "worker");
    let mut containers = containers();
    containers.retain(|c| c.name != "db");
    feed(&mut app, EngineMsg::Containers { seq: 2, containers });
    assert_eq!(selected_name(&app), "worker");
    assert_eq!(names(&app), ["web", "worker", "builder"]);
}

#[test]
fn stale_list_results_are_ignored() {
    let mut app = loaded_app(100, 30);
    feed(&mut app, EngineMsg::Containers { seq: 3, containers: containers() });
    feed(&mut app, EngineMsg::Containers { seq: 2, containers: vec![] });
    assert_eq!(app.inventory.containers.len(), 4);
}

#[test]
fn engine_events_are_debounced_into_one_refresh() {
    let mut app = loaded_app(100, 30);
    let change = |action: &str| {
        EngineMsg::Changed(Change { kind: ChangeKind::Container, action: action.into(), id: "x".into() })
    };
    assert_eq!(feed(&mut app, change("create")), [Effect::RefreshAfter(dockdu::app::EVENT_DEBOUNCE)]);
    assert!(feed(&mut app, change("start")).is_empty(), "one refresh already pending");
    assert!(feed(&mut app, change("exec_start: sh")).is_empty());
    let effects = feed(&mut app, EngineMsg::RefreshDue);
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadLists { .. })));
    assert!(effects.contains(&Effect::LoadSizes));
}

#[test]
fn refresh_key_reloads_lists_and_sizes_and_reinspects() {
    let mut app = loaded_app(100, 30);
    let effects = keys(&mut app, "r");
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadLists { .. })));
    assert!(effects.contains(&Effect::LoadSizes));
    assert!(app.sources.tmpfs.is_empty(), "containers are inspected again");
}

#[test]
fn help_opens_on_question_mark_and_closes_on_esc() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "?");
    assert!(matches!(app.overlay, Some(Overlay::Help)));
    keys(&mut app, "\x1b");
    assert!(app.overlay.is_none());
}

#[test]
fn inspect_asks_the_engine_then_searches_and_reveals() {
    let mut app = loaded_app(100, 30);
    let effects = keys(&mut app, "i");
    let [Effect::Inspect(target)] = effects.as_slice() else {
        panic!("expected one inspect, got {effects:?}")
    };
    feed(
        &mut app,
        EngineMsg::Inspected {
            target: target.clone(),
            result: Ok(serde_json::json!({"Name": "/db", "Config": {"Env": ["POSTGRES_PASSWORD=s3cret"]}})),
        },
    );
    assert!(!render(&app).contains("s3cret"));
    keys(&mut app, "/PASSWORD\n");
    let Some(Overlay::Inspect(view)) = &app.overlay else { panic!("inspect closed") };
    assert_eq!(view.matches.len(), 1);
    keys(&mut app, "v");
    assert!(render(&app).contains("POSTGRES_PASSWORD=s3cret"));
    keys(&mut app, "\x1b");
    assert!(app.overlay.is_none());
}

#[test]
fn quit_on_q_and_ctrl_c() {
    let mut app = loaded_app(100, 30);
    assert_eq!(keys(&mut app, "q"), [Effect::Quit]);
    let ctrl_c = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('c'),
        crossterm::event::KeyModifiers::CONTROL,
    );
    assert_eq!(app.update(dockdu::app::Msg::Key(ctrl_c)), [Effect::Quit]);
}

#[test]
fn paging_and_ends_move_within_the_rows() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "G");
    assert_eq!(selected_name(&app), "builder");
    keys(&mut app, "g");
    assert_eq!(selected_name(&app), "db");
    app.update(key(crossterm::event::KeyCode::PageDown));
    assert_eq!(selected_name(&app), "builder");
}

#[test]
fn the_mouse_wheel_scrolls_and_a_click_selects() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mut app = loaded_app(100, 30);
    let mouse = |kind, row| {
        dockdu::app::Msg::Mouse(MouseEvent { kind, column: 10, row, modifiers: KeyModifiers::NONE })
    };
    app.update(mouse(MouseEventKind::ScrollDown, 10));
    assert_eq!(selected_name(&app), "builder");
    app.update(mouse(MouseEventKind::Down(MouseButton::Left), 6)); // second row of the table
    assert_eq!(selected_name(&app), "web");
}
