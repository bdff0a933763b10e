//! Journeys: keys typed as a person would, through the app's update function, then what they see.

mod app_fixture;

use app_fixture::*;
use dockdu::app::form::{FieldId, Submit};
use dockdu::app::panel::{Panel, SortColumn};
use dockdu::app::{App, Effect, EngineMsg, Focus, Msg, Overlay};
use dockdu::model::plan::{KeptReason, LogFileAction};
use dockdu::model::{
    Change, ChangeAction, ChangeKind, DangerKind, EngineDetails, EngineInfo, Measure, Problem,
};

fn names(app: &dockdu::app::App) -> Vec<String> {
    let inventory = &app.inventory;
    app.view()
        .rows
        .iter()
        .map(|&i| match app.nav.panel {
            Panel::Containers => inventory.containers[i].name.clone(),
            Panel::Volumes => inventory.volumes[i].name.to_string(),
            Panel::Binds => {
                format!("{} {}", inventory.bind_mounts[i].source, inventory.bind_mounts[i].container)
            }
            Panel::Tmpfs => inventory.tmpfs_mounts[i].tmpfs.destination.clone(),
            Panel::Images => inventory.images[i].reference(),
            Panel::BuildCache => inventory.build_cache.as_ref().unwrap().records[i].id.clone(),
            Panel::Disk => inventory.disk_lines[i].path.clone(),
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
    assert_eq!(app.view().sort.column, SortColumn::Logs);
    assert_eq!(names(&app), ["web", "db", "worker", "builder"], "by log size, the unknown one last");
    keys(&mut app, "D");
    assert_eq!(app.nav.measure, Measure::OnDisk);
    keys(&mut app, "sssss");
    assert_eq!(app.view().sort.column, SortColumn::Size);
    // db was sized by the engine, which never says its bytes on disk: unknown, last.
    assert_eq!(names(&app), ["web", "worker", "builder", "db"], "by bytes on disk");
    keys(&mut app, "D");
    keys(&mut app, "sss");
    assert_eq!(names(&app), ["builder", "db", "web", "worker"], "by name");
    keys(&mut app, "S");
    assert_eq!(names(&app), ["worker", "web", "db", "builder"], "by name, reversed");
}

#[test]
fn filtering_narrows_rows_as_you_type_and_esc_clears() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2/dang");
    assert!(app.nav.filter_input.is_some());
    assert_eq!(names(&app), ["old-logs"]);
    keys(&mut app, "\n");
    assert!(app.nav.filter_input.is_none());
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
    assert_eq!(app.nav.panel, Panel::Volumes);
    assert_eq!(selected_name(&app), "pgdata");
    keys(&mut app, "j");
    assert_eq!(selected_name(&app), "old-logs");
    keys(&mut app, "j");
    assert_eq!(selected_name(&app), "shared-cache");
    // Two users: Enter walks into the links, Enter again follows the chosen one.
    keys(&mut app, "\n");
    assert_eq!(app.nav.focus, Focus::Detail);
    keys(&mut app, "j\n");
    assert_eq!(app.nav.panel, Panel::Containers);
    assert_eq!(selected_name(&app), "worker");
    assert!(render(&app).contains("shared with web"));
    keys(&mut app, "\x08");
    assert_eq!(app.nav.panel, Panel::Volumes);
    assert_eq!(selected_name(&app), "shared-cache");
}

#[test]
fn following_a_container_mount_to_its_bind_and_its_volume() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "j"); // web
    assert_eq!(selected_name(&app), "web");
    keys(&mut app, "\njj\n"); // third link (mounts go by path: /cache, /run, /usr/…): the bind of /srv/www
    assert_eq!(app.nav.panel, Panel::Binds);
    assert_eq!(selected_name(&app), "/srv/www");
    assert_eq!(app.inventory.bind_mounts[app.view().selected_index().unwrap()].container, "web");
    keys(&mut app, "\x1b");
    assert_eq!((app.nav.panel, selected_name(&app)), (Panel::Containers, "web".to_owned()));
    keys(&mut app, "\n\n"); // first link: the shared-cache volume at /cache
    assert_eq!((app.nav.panel, selected_name(&app)), (Panel::Volumes, "shared-cache".to_owned()));
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
        EngineMsg::Changed(Change {
            kind: ChangeKind::Container,
            action: ChangeAction::parse(action),
            id: "x".into(),
        })
    };
    assert_eq!(feed(&mut app, change("create")), [Effect::RefreshAfter(dockdu::app::EVENT_DEBOUNCE)]);
    assert!(feed(&mut app, change("start")).is_empty(), "one refresh already pending");
    assert!(feed(&mut app, change("exec_start: sh")).is_empty());
    let effects = feed(&mut app, EngineMsg::RefreshDue);
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadLists { .. })));
}

#[test]
fn refresh_key_reloads_the_lists_and_measures_everything_again_keeping_the_sizes_meanwhile() {
    let mut app = loaded_app(100, 30);
    let effects = keys(&mut app, "r");
    let seq = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadLists { seq } => Some(*seq),
            _ => None,
        })
        .expect("the lists are asked for");
    let effects = feed(&mut app, EngineMsg::Containers { seq, containers: containers() });
    let inspected = effects.iter().find_map(|e| match e {
        Effect::InspectContainers { seq: s, ids } if *s == seq => Some(ids.len()),
        _ => None,
    });
    assert_eq!(inspected, Some(4), "every container is inspected and measured again: {effects:?}");
    let effects = feed(&mut app, EngineMsg::Volumes { seq, volumes: volumes() });
    let sized = effects.iter().find_map(|e| match e {
        Effect::SizeVolumes { seq: s, volumes } if *s == seq => Some(volumes.len()),
        _ => None,
    });
    assert_eq!(sized, Some(4), "every volume is measured again: {effects:?}");
    assert!(app.inventory.sizes_known, "the sizes on screen stay until the new ones arrive");
    assert_eq!(app.inventory.volume("pgdata").and_then(|v| v.size), Some(1536 << 20));
}

#[test]
fn help_opens_on_question_mark_and_closes_on_esc() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "?");
    assert!(app.help.is_some());
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
    // The query edits as in a shell: Ctrl-W takes back a word typed by mistake.
    keys(&mut app, "/nothing");
    app.update(ctrl('w'));
    keys(&mut app, "PASSWORD\n");
    let Some(Overlay::Inspect(view)) = &app.overlay else { panic!("inspect closed") };
    assert_eq!(view.search.query(), "PASSWORD");
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
    app.update(mouse(MouseEventKind::Down(MouseButton::Left), 7)); // second row of the table
    assert_eq!(selected_name(&app), "web");
}

#[test]
fn marking_two_volumes_and_removing_previews_the_unused_one_and_keeps_the_used_one() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2 "); // pgdata (used by db), cursor moves to old-logs
    keys(&mut app, " "); // old-logs (dangling)
    assert_eq!(app.marks.count(Panel::Volumes), 2);
    keys(&mut app, "d");
    let Some(Overlay::Confirm(preview)) = &app.overlay else { panic!("no preview") };
    let going: Vec<&str> = preview.plan.volumes.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(going, ["old-logs"]);
    assert_eq!(preview.plan.kept[0].name, "pgdata");
    assert_eq!(preview.plan.kept[0].reason, KeptReason::InUse { users: vec!["db".into()] });
    let effects = keys(&mut app, "y");
    assert!(
        matches!(effects.as_slice(), [Effect::Perform(dockdu::app::Action::Remove(plan))] if plan.volumes.len() == 1)
    );
    assert!(app.busy(), "the spinner turns while the engine works");
    assert!(keys(&mut app, "y").is_empty(), "a second confirm sends nothing");
}

#[test]
fn volume_prune_scope_changes_what_the_preview_lists_and_esc_cancels() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2P");
    let plan = |app: &dockdu::app::App| match &app.overlay {
        Some(Overlay::Confirm(c)) => c.plan.volumes.iter().map(|v| v.name.clone()).collect::<Vec<_>>(),
        _ => panic!("no preview"),
    };
    assert!(plan(&app).is_empty(), "the only anonymous volume is in use");
    keys(&mut app, "\t");
    assert_eq!(plan(&app), ["old-logs"], "all dangling");
    keys(&mut app, "\tteam=dev");
    assert!(plan(&app).is_empty(), "no dangling volume has team=dev");
    keys(&mut app, "\x08\x08\x08ops");
    assert_eq!(plan(&app), ["old-logs"]);
    assert!(keys(&mut app, "\x1b").is_empty());
    assert!(app.overlay.is_none(), "Esc cancels and nothing is sent");
}

#[test]
fn removing_a_running_container_takes_an_explicit_force_step() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "d"); // db is running
    let Some(Overlay::Confirm(preview)) = &app.overlay else { panic!("no preview") };
    assert!(preview.needs_force(), "db is kept as needing force, and the preview offers f");
    assert!(render(&app).contains("press f to force"));
    assert!(keys(&mut app, "\n").is_empty(), "Enter alone removes nothing");
    keys(&mut app, "f");
    let effects = keys(&mut app, "\n");
    let [Effect::Perform(dockdu::app::Action::Remove(plan))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(plan.force);
    assert_eq!(plan.containers[0].name, "db");
}

#[test]
fn container_prune_can_take_their_anonymous_volumes_too() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "P");
    let plan = |app: &dockdu::app::App| match &app.overlay {
        Some(Overlay::Confirm(c)) => c.plan.clone(),
        _ => panic!("no preview"),
    };
    let names: Vec<String> = plan(&app).containers.into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["worker", "builder"], "stopped ones only");
    assert!(plan(&app).volumes.is_empty());
    keys(&mut app, "v");
    assert_eq!(plan(&app).volumes[0].name, ANON);
}

#[test]
fn read_only_mode_refuses_every_write_key_with_a_notice() {
    let mut app = loaded_app(100, 30);
    app.config.read_only = true;
    for typed in ["d", "P", "e", "A", "2c", "2a", "2d", "2P"] {
        let effects = keys(&mut app, typed);
        assert!(effects.is_empty(), "{typed} produced {effects:?}");
        assert!(app.overlay.is_none());
        assert!(
            app.notice.as_deref().unwrap_or_default().starts_with("read-only mode"),
            "{typed}: {:?}",
            app.notice
        );
        keys(&mut app, "1");
    }
}

#[test]
fn the_engines_refusal_shows_in_the_form() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2cdata");
    let effects = keys(&mut app, "\n");
    assert!(matches!(effects.as_slice(), [Effect::Perform(_)]));
    feed(
        &mut app,
        EngineMsg::VolumeCreated(Err(engine_error(Problem::Api(409), "volume name is already in use"))),
    );
    let Some(Overlay::Form(form)) = &app.overlay else { panic!("the form closed") };
    assert!(
        form.error.as_deref().is_some_and(|e| e.contains("HTTP 409: volume name is already in use")),
        "{:?}",
        form.error
    );
    assert!(!form.working);
}

#[test]
fn a_created_volume_is_selected_when_it_appears() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2cfresh\n");
    feed(&mut app, EngineMsg::VolumeCreated(Ok("fresh".into())));
    let mut volumes = volumes();
    volumes.push(dockdu::model::VolumeFacts {
        name: "fresh".into(),
        driver: "local".into(),
        ..Default::default()
    });
    feed(&mut app, EngineMsg::Volumes { seq: 9, volumes });
    assert_eq!((app.nav.panel, selected_name(&app)), (Panel::Volumes, "fresh".to_owned()));
}

#[test]
fn a_shell_opens_only_in_a_running_container() {
    let mut app = loaded_app(100, 30);
    let effects = keys(&mut app, "e");
    let [Effect::OpenSession(request)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(
        (request.container.as_str(), request.command.as_deref()),
        ("db", Some(&["sh".to_owned()][..]))
    );
    keys(&mut app, "jj"); // worker: exited
    assert!(keys(&mut app, "e").is_empty());
    assert!(app.notice.as_deref().unwrap().contains("not running"));
    let effects = keys(&mut app, "gA");
    let [Effect::OpenSession(request)] = effects.as_slice() else { panic!("A on db sent {effects:?}") };
    assert_eq!((request.container.as_str(), request.command.as_deref()), ("db", None), "attach: no command");
    assert_eq!(request.container_id, app.inventory.containers[app.view().selected_index().unwrap()].id);
    assert!(app.notice.is_none());
}

fn image(reference: &str) -> dockdu::model::ImageFacts {
    dockdu::model::ImageFacts {
        id: format!("sha256:{reference}").into(),
        tags: vec![reference.into()],
        ..Default::default()
    }
}

fn form(app: &dockdu::app::App) -> &dockdu::app::form::Form {
    match &app.overlay {
        Some(Overlay::Form(form)) => form,
        other => panic!("no form open: {other:?}"),
    }
}

#[test]
fn the_attach_form_keeps_what_was_typed_when_the_image_list_arrives_and_submits_once() {
    let mut app = loaded_app_before_images(100, 30);
    assert!(keys(&mut app, "2a").is_empty(), "the list asked for with the others is on its way");
    assert!(render(&app).contains("listing local images"));
    keys(&mut app, "\t\tmine"); // the Name field
    feed_images(&mut app, Ok(vec![image("busybox:latest"), image("alpine:3")]));
    assert_eq!(form(&app).focus, 3, "the focus stays on Name");
    let screen = render(&app);
    assert!(screen.contains("mine▏") && screen.contains("‹ busybox:latest ›"), "{screen}");

    let effects = keys(&mut app, "\n");
    let [Effect::Perform(dockdu::app::Action::Submit(Submit::CreateContainer { spec, .. }))] =
        effects.as_slice()
    else {
        panic!("Enter sent {effects:?}")
    };
    assert_eq!(
        (spec.name.as_str(), spec.image.as_str(), spec.volume.as_str()),
        ("mine", "busybox:latest", "pgdata")
    );
    // A late second answer while the engine works: the form stays working and Enter sends nothing.
    feed_images(&mut app, Ok(vec![image("other:1")]));
    assert!(form(&app).working);
    assert!(keys(&mut app, "\n").is_empty(), "no second submit");

    feed(
        &mut app,
        EngineMsg::ContainerCreated {
            result: Err(engine_error(Problem::Api(500), "no space left")),
            name: "mine".into(),
            shell: false,
        },
    );
    keys(&mut app, "\x1b");
    assert!(keys(&mut app, "a").is_empty(), "the image list is loaded once, not on every open");
    assert!(render(&app).contains("‹ other:1 ›"));
}

#[test]
fn a_failed_image_list_is_asked_for_again_on_the_next_open() {
    let mut app = loaded_app_before_images(100, 30);
    assert!(keys(&mut app, "2a").is_empty(), "the list asked for with the others is on its way");
    assert!(keys(&mut app, "\x1ba").is_empty(), "one request at a time");
    feed_images(&mut app, Err(engine_error(Problem::Other, "engine went away")));
    assert!(form(&app).error.as_deref().unwrap().contains("engine went away"));
    keys(&mut app, "\x1b");
    assert!(matches!(keys(&mut app, "a").as_slice(), [Effect::LoadImages { .. }]));
}

#[test]
fn the_outcome_lists_what_the_engine_kept_first_and_scrolls_to_the_last_removal() {
    use crossterm::event::KeyCode;
    use dockdu::tasks::actions::{ObjectKind, Outcome, Removed, Skipped};
    let mut app = loaded_app(100, 30);
    let removed = (0..40)
        .map(|i| Removed { kind: ObjectKind::Volume, name: format!("gone-{i:02}"), bytes: Some(1 << 20) })
        .collect();
    let skipped = vec![Skipped {
        kind: ObjectKind::Volume,
        name: "shared-cache".into(),
        reason: "in use: volume is in use - [c3c3c3]".into(),
    }];
    feed(&mut app, EngineMsg::Removed(Outcome { removed, skipped }));
    let screen = render(&app);
    let (kept, first_removed) = (screen.find("shared-cache").unwrap(), screen.find("gone-00").unwrap());
    assert!(kept < first_removed, "kept comes first:\n{screen}");
    assert!(screen.contains("volume is in use - [c3c3c3]") && !screen.contains("gone-39"));

    app.update(key(KeyCode::PageDown));
    app.update(key(KeyCode::PageDown));
    let screen = render(&app);
    assert!(screen.contains("gone-39") && !screen.contains("shared-cache"), "{screen}");
    let scroll = |app: &dockdu::app::App| match &app.overlay {
        Some(Overlay::Outcome(view)) => view.scroll.offset,
        _ => panic!("the outcome closed"),
    };
    let bottom = scroll(&app);
    app.update(key(KeyCode::Down));
    assert_eq!(scroll(&app), bottom, "no scrolling past the last line");
    app.update(key(KeyCode::Up));
    assert_eq!(scroll(&app), bottom - 1, "one press up moves one line");
    app.update(key(KeyCode::Home));
    assert!(render(&app).contains("shared-cache"));
    keys(&mut app, "\x1b");
    assert!(app.overlay.is_none());
}

#[test]
fn prune_on_a_filtered_container_panel_takes_only_the_rows_shown_and_says_so() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "/wor\n");
    keys(&mut app, "P");
    let Some(Overlay::Confirm(preview)) = &app.overlay else { panic!("no preview") };
    let going: Vec<&str> = preview.plan.containers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(going, ["worker"], "builder is stopped too, but the filter hides it");
    let screen = render(&app);
    assert!(screen.contains("Only the 1 container matching filter “wor”"), "{screen}");
    assert!(screen.contains("Prune stopped containers"));
    keys(&mut app, "\x1b\x1b"); // close, clear the filter

    // A filter that shows a running container too: it is not offered, nor kept as needing force.
    keys(&mut app, "/o\nP");
    let Some(Overlay::Confirm(preview)) = &app.overlay else { panic!("no preview") };
    let going: Vec<&str> = preview.plan.containers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(going, ["worker", "builder"]);
    assert!(preview.plan.kept.is_empty() && !preview.needs_force());
    assert!(render(&app).contains("Only the 3 containers matching filter “o”"));
}

#[test]
fn prune_on_a_filtered_volume_panel_takes_only_the_rows_shown() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2/cache\nP\t"); // all dangling, among the rows shown
    let Some(Overlay::Confirm(preview)) = &app.overlay else { panic!("no preview") };
    assert!(preview.plan.is_empty(), "old-logs is dangling but not shown; shared-cache is in use");
    assert!(render(&app).contains("Only the 1 volume matching filter “cache”"));
    keys(&mut app, "\x1b\x1bP\t");
    let Some(Overlay::Confirm(preview)) = &app.overlay else { panic!("no preview") };
    assert_eq!(preview.plan.volumes[0].name, "old-logs", "without a filter the prune sees every volume");
}

#[test]
fn a_tmpfs_flag_mount_counts_for_its_container_and_links_both_ways() {
    let mut app = loaded_app(100, 30);
    let mounts = |app: &dockdu::app::App, name: &str| {
        app.inventory.containers.iter().find(|c| c.name == name).unwrap().mounts.len()
    };
    assert_eq!(mounts(&app, "db"), 2, "its volume and its --tmpfs /dev/shm");
    assert_eq!(mounts(&app, "web"), 3, "the --mount type=tmpfs /run counts once");
    assert_eq!(selected_name(&app), "db");
    assert!(render(&app).contains("tmpfs → /dev/shm (rw)"));
    keys(&mut app, "\n\n"); // the first link (/dev/shm before /var/…): the tmpfs mount
    assert_eq!((app.nav.panel, selected_name(&app)), (Panel::Tmpfs, "/dev/shm".to_owned()));
    keys(&mut app, "\n"); // its one link: the container
    assert_eq!((app.nav.panel, selected_name(&app)), (Panel::Containers, "db".to_owned()));
}

#[test]
fn an_inspect_answer_is_taken_only_for_the_target_on_screen() {
    let mut app = loaded_app(100, 30);
    let effects = keys(&mut app, "i");
    let [Effect::Inspect(target)] = effects.as_slice() else { panic!("{effects:?}") };
    let web = app.inventory.containers.iter().find(|c| c.name == "web").unwrap().id.clone();
    let other = dockdu::app::inspect::Target::Container { id: web, name: "db".into() };
    feed(&mut app, EngineMsg::Inspected { target: other, result: Ok(serde_json::json!({"Name": "/web"})) });
    let Some(Overlay::Inspect(view)) = &app.overlay else { panic!("inspect closed") };
    assert!(view.is_loading(), "an answer for another container, even under the same name, is not shown");
    feed(
        &mut app,
        EngineMsg::Inspected { target: target.clone(), result: Ok(serde_json::json!({"Name": "/db"})) },
    );
    assert!(render(&app).contains("\"/db\""));
}

#[test]
fn a_control_chord_neither_types_its_letter_nor_runs_its_key() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut app = loaded_app(100, 30);
    let chord = |c| dockdu::app::Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    assert!(app.update(chord('d')).is_empty());
    assert!(app.overlay.is_none(), "Ctrl-D is not d: no removal preview");
    keys(&mut app, "/we");
    app.update(chord('j'));
    assert_eq!(app.view().filter, "we", "Ctrl-J typed nothing into the filter");
}

#[test]
fn a_running_containers_tmpfs_is_read_off_the_loop_on_a_local_engine_only() {
    let inspected = |local: bool| {
        let mut app = App::new(&engine().host, local, (100, 30), Default::default());
        app.start();
        feed(&mut app, EngineMsg::Connected(engine()));
        feed(&mut app, EngineMsg::Containers { seq: 1, containers: containers() });
        let effects = feed(&mut app, EngineMsg::ContainersSized { seq: 1, found: container_sizes() });
        (app, effects)
    };
    let (mut app, effects) = inspected(true);
    let probes: Vec<(u32, String)> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::ReadTmpfs { probes, .. } => Some(probes.iter().map(|p| (p.pid, p.destination.clone()))),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(probes.len(), 2, "web's /run and db's /dev/shm: {probes:?}");
    assert!(probes.contains(&(4101, "/run".to_owned())) && probes.contains(&(4102, "/dev/shm".to_owned())));
    let used = tmpfs_used(&app);
    feed(&mut app, used);
    assert_eq!(app.inventory.totals.tmpfs_used, 3 << 19);
    // Writes into a tmpfs fire no engine event: the runtime's timer asks again.
    assert!(app.reads_tmpfs());
    let again = app.update(Msg::TmpfsDue);
    assert!(matches!(&again[..], [Effect::ReadTmpfs { probes, .. }] if probes.len() == 2), "{again:?}");
    let (remote, effects) = inspected(false);
    assert!(!effects.iter().any(|e| matches!(e, Effect::ReadTmpfs { .. })), "remote: nothing to read here");
    assert!(!remote.reads_tmpfs(), "remote: no timer either");
}

#[test]
fn a_bind_of_the_engines_data_root_is_flagged_once_the_engine_names_it_wherever_it_is() {
    // Connected: /version answered, /info not yet.
    let engine = EngineInfo { storage_driver: String::new(), root_dir: None, ..engine() };
    let mut app = loaded_app_with(engine, vec![store_reading_container()], 120, 30);
    let danger = |app: &App, source: &str| {
        let bind = app.inventory.bind_mounts.iter().find(|b| b.source == source).expect("the bind");
        bind.danger.map(|d| d.kind)
    };
    assert_eq!(danger(&app, "/srv/docker-data/volumes"), None, "no root known yet");
    assert_eq!(danger(&app, "/var/lib/docker"), None, "nor taken for granted");

    let details = EngineDetails {
        storage_driver: "overlay2".into(),
        root_dir: Some("/srv/docker-data".into()),
        containerd_store: false,
    };
    assert_eq!(feed(&mut app, EngineMsg::Details(Some(details))), []);
    assert_eq!(danger(&app, "/srv/docker-data/volumes"), Some(DangerKind::EngineData));
    assert_eq!(danger(&app, "/var/lib/docker"), None, "the default, not this engine's store");
    assert_eq!(app.inventory.engine.storage_driver, "overlay2", "the header's driver too");
    keys(&mut app, "3");
    let screen = render(&app);
    assert!(screen.lines().any(|l| l.starts_with("│!  /srv/docker-data/volumes")), "marked:\n{screen}");
    assert!(screen.lines().any(|l| l.starts_with("│   /var/lib/docker")), "unmarked:\n{screen}");
}

fn ctrl(c: char) -> Msg {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

#[test]
fn slash_on_a_kept_filter_opens_it_selected_typing_replaces_it_and_an_arrow_edits_it() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2/dang\n");
    assert_eq!(app.view().filter, "dang");
    keys(&mut app, "/pg");
    assert_eq!(app.view().filter, "pg", "typing after / replaces the kept filter");
    assert_eq!(names(&app), ["pgdata"]);
    keys(&mut app, "\n");
    keys(&mut app, "/");
    app.update(key(crossterm::event::KeyCode::End));
    keys(&mut app, "da");
    assert_eq!(app.view().filter, "pgda", "after a movement, typing edits it");
    app.update(ctrl('w'));
    assert_eq!(app.view().filter, "", "Ctrl-W removes the word before the cursor");
    assert_eq!(app.view().rows.len(), 4);
}

#[test]
fn the_form_edits_text_as_a_shell_does_and_a_space_never_changes_a_choice() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2a");
    feed_images(&mut app, Ok(vec![image("busybox:latest")]));
    // Command: typed, then edited with Ctrl-A, Ctrl-E, Ctrl-W, Ctrl-U.
    keys(&mut app, "\t\t\tsleep 1000");
    app.update(ctrl('w'));
    keys(&mut app, "600");
    app.update(ctrl('a'));
    keys(&mut app, "x");
    app.update(ctrl('e'));
    assert_eq!(form_value(&app, FieldId::Command), "xsleep 600");
    app.update(ctrl('u'));
    assert_eq!(form_value(&app, FieldId::Command), "");
    // Labels, then Network: a space typed there leaves `none` chosen.
    keys(&mut app, "\tteam=ops, tier=db\t ");
    assert!(render(&app).contains("‹ none ›"), "a space changed the network");
    let effects = keys(&mut app, "\n");
    let [Effect::Perform(dockdu::app::Action::Submit(Submit::CreateContainer { spec, .. }))] =
        effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.network_mode, "none");
    assert_eq!(spec.labels, [("team".to_owned(), "ops".to_owned()), ("tier".to_owned(), "db".to_owned())]);
}

fn form_value(app: &App, id: FieldId) -> String {
    let field = form(app).fields.iter().find(|f| f.id == id).expect("the field");
    match &field.input {
        dockdu::app::form::Input::Text(input) => input.text().to_owned(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_forms_error_clears_as_soon_as_the_field_is_valid() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2c");
    keys(&mut app, "bad name!\n");
    assert!(form(&app).error.as_deref().is_some_and(|e| e.contains("not a valid name")));
    keys(&mut app, "\x08");
    assert!(form(&app).error.is_some(), "`bad name` is still not a name");
    app.update(ctrl('w'));
    assert_eq!(form(&app).error, None, "`bad` is a name: the error went");
}

#[test]
fn the_footer_offers_only_the_keys_the_focused_field_takes() {
    let mut app = loaded_app(120, 30);
    keys(&mut app, "2a");
    feed_images(&mut app, Ok(vec![image("busybox:latest")]));
    let footer = |app: &App| render(app).lines().last().unwrap_or_default().to_owned();
    assert!(
        footer(&app).contains("Ctrl-U clear") && !footer(&app).contains("space"),
        "text: {}",
        footer(&app)
    );
    keys(&mut app, "\t");
    assert!(
        footer(&app).contains("space toggle") && !footer(&app).contains("Ctrl-U"),
        "toggle: {}",
        footer(&app)
    );
    keys(&mut app, "\t\t\t\t");
    assert!(
        footer(&app).contains("←→ choose") && !footer(&app).contains("space"),
        "choice: {}",
        footer(&app)
    );
    keys(&mut app, "\x1b2P\t\t");
    assert!(!footer(&app).contains("Enter/y"), "y is a letter while a label is typed: {}", footer(&app));
}

#[test]
fn the_filter_matches_a_labels_key_value_or_both_but_never_a_secrets_value() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2/team=ops");
    assert_eq!(names(&app), ["old-logs"]);
    keys(&mut app, "\x1b/compose.project");
    assert_eq!(names(&app), ["pgdata"], "by the key");
    keys(&mut app, "\x1b/shop");
    assert_eq!(names(&app), ["pgdata"], "by the value");
}

#[test]
fn star_marks_every_row_shown_esc_asks_before_clearing_and_u_clears() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2/a\n*");
    let shown = app.view().rows.len();
    assert!(shown > 1);
    assert_eq!(app.marks.count(Panel::Volumes), shown, "every row the filter shows");
    keys(&mut app, "\x1b");
    assert!(app.view().filter.is_empty(), "the first Esc clears the filter");
    keys(&mut app, "\x1b");
    assert_eq!(app.marks.count(Panel::Volumes), shown, "the next one only asks");
    assert!(app.notice.as_deref().is_some_and(|n| n.contains("Esc again clears")), "{:?}", app.notice);
    keys(&mut app, "\x1b");
    assert_eq!(app.marks.count(Panel::Volumes), 0, "and the one after clears");
    keys(&mut app, "* j\x1b");
    assert!(app.marks.count(Panel::Volumes) > 0, "another key in between: the Esc only asks again");
    keys(&mut app, "u");
    assert_eq!(app.marks, Default::default());
}

/// A container with more to say than the pane holds: the border says how much is cut and how to
/// see it; `→` gives the pane the keys, `PgDn` scrolls, the top then says what is above.
#[test]
fn the_detail_pane_says_what_is_cut_and_scrolls_to_it() {
    let mut labelled = hazardous_container();
    labelled.labels = (1..=14).map(|i| (format!("label-{i:02}"), format!("value {i}"))).collect();
    let mut app = loaded_app_with(engine(), vec![labelled], 80, 24);
    keys(&mut app, "/ci-runner\n");
    let screen = render(&app);
    assert!(screen.contains("more · → to scroll") && !screen.contains("label-14"), "{screen}");
    keys(&mut app, "l");
    assert_eq!(app.nav.focus, Focus::Detail);
    app.update(key(crossterm::event::KeyCode::PageDown));
    app.update(key(crossterm::event::KeyCode::PageDown));
    let screen = render(&app);
    assert!(screen.contains("label-14=value 14") && screen.contains("↑ 12 more"), "{screen}");
    assert!(!screen.contains("more · "), "nothing below the last row: {screen}");
    keys(&mut app, "\x1b");
    assert_eq!(app.nav.focus, Focus::Table);
}

/// A status line is written from the engine's timestamps when it is drawn, so it stays true; a
/// size says when it was measured; the clock ticks every second while something shown is young.
#[test]
fn statuses_and_measured_times_are_written_for_the_moment_they_are_drawn() {
    use std::time::Duration;
    let mut app = loaded_app(100, 30);
    let started = app.now - Duration::from_secs(14);
    let web = containers().into_iter().find(|c| c.name == "web").expect("web");
    let times = dockdu::model::StateTimes { started_at: Some(started), ..Default::default() };
    let details = dockdu::model::ContainerDetails { times, ..Default::default() };
    let sized = dockdu::tasks::sizes::ContainerSized { details, sizes: None, logs: None };
    feed(&mut app, EngineMsg::ContainersSized { seq: 1, found: vec![(web.id.clone(), Some(sized))] });
    keys(&mut app, "/web\n");
    assert!(render(&app).contains("Up 14 seconds"), "{}", render(&app));
    assert_eq!(app.clock_interval(), Some(Duration::from_secs(1)), "a young status: every second");
    app.now += Duration::from_secs(70);
    assert!(render(&app).contains("Up About a minute"), "{}", render(&app));
    assert_eq!(app.clock_interval(), Some(Duration::from_secs(30)));
    keys(&mut app, "\x1b/db\n");
    assert!(render(&app).contains("from the engine · 3 min ago"), "{}", render(&app));
}

#[test]
fn truncating_a_log_previews_each_file_with_both_sizes_and_confirming_sends_exactly_those_files() {
    let mut app = loaded_app(100, 30);
    // db (first by size) logs to json-file, rotated at 10m × 3: three files.
    keys(&mut app, "T");
    let Some(Overlay::Confirm(preview)) = &app.overlay else { panic!("no preview") };
    let files: Vec<(&str, LogFileAction, u64)> =
        preview.plan.logs.iter().map(|l| (l.path.rsplit('/').next().unwrap(), l.action, l.size)).collect();
    let json = format!("{}-json.log", "b2".repeat(32));
    assert_eq!(
        files,
        [
            (json.as_str(), LogFileAction::Truncate, 4 << 20),
            (&format!("{json}.1"), LogFileAction::Remove, 10 << 20),
            (&format!("{json}.2"), LogFileAction::Remove, 10 << 20),
        ]
    );
    let screen = render(&app);
    assert!(screen.contains("Will truncate 3 log files of 1 container (24 MiB, 24 MiB on disk)"), "{screen}");
    assert!(screen.contains("Enter/y truncate"), "{screen}");
    let effects = keys(&mut app, "y");
    let [Effect::Perform(dockdu::app::Action::Remove(plan))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(plan.truncates() && plan.logs.len() == 3 && plan.containers.is_empty(), "{plan:?}");
}

#[test]
fn a_log_that_keeps_no_file_is_kept_with_why_and_nothing_can_be_confirmed() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "/builder\n"); // builder logs to `none`
    keys(&mut app, "T");
    let Some(Overlay::Confirm(preview)) = &app.overlay else { panic!("no preview") };
    assert!(preview.plan.logs.is_empty());
    assert_eq!(
        preview.plan.kept[0].reason.to_string(),
        "log not truncated: the none driver keeps no file to truncate"
    );
    assert!(keys(&mut app, "y").is_empty(), "nothing to send");
}
