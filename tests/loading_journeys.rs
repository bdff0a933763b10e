//! Loading through engine trouble, as the app sees it: a failed request keeps the last good data
//! under a banner and is retried; an older generation's answer never replaces a newer one; a first
//! connect that fails is retried with backoff; an event stream that comes back refreshes, and so
//! does one that goes live for the first time.

mod app_fixture;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use app_fixture::*;
use dockdu::app::loading::{backoff, ListKind, Part};
use dockdu::app::{App, Connection, Effect, EngineMsg, EventsState, Slot};
use dockdu::model::{EngineError, Problem, VolumeName};
use dockdu::tasks::sizes::VolumesSized;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn at_0941() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(86_400 * 20_000 + 9 * 3600 + 41 * 60 + 5)
}

fn timeout(action: &str) -> EngineError {
    EngineError::new("unix:///var/run/docker.sock", action, Problem::Timeout, "no answer within 30 s")
}

fn screen(app: &App) -> String {
    let (width, height) = app.terminal;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| dockdu::ui::render(app, frame)).unwrap();
    terminal.backend().to_string()
}

/// The generation of the lists the app asked for in these effects.
fn lists_asked(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadLists { seq } => Some(*seq),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no lists asked for in {effects:?}"))
}

#[test]
fn a_failed_list_keeps_the_rows_under_a_banner_and_retries_until_it_answers() {
    let mut app = loaded_app(80, 24);
    let seq = lists_asked(&keys(&mut app, "r"));
    let failed = EngineMsg::ListFailed {
        seq,
        list: ListKind::Volumes,
        error: timeout("listing volumes"),
        at: at_0941(),
    };
    assert_eq!(feed(&mut app, failed), [Effect::RefreshAfter(backoff(0))]);
    assert_eq!(app.inventory.volumes.len(), 4, "the last good volumes stay");
    assert!(app.banner());
    let shown = screen(&app);
    insta::assert_snapshot!("banner_after_a_failed_list", shown);
    assert!(shown.contains("listing volumes failed at 09:41:05 UTC") && shown.contains("web"), "{shown}");

    // The retry fails too: the wait doubles. Then it answers: the banner goes.
    let seq = lists_asked(&feed(&mut app, EngineMsg::RefreshDue));
    let failed = EngineMsg::ListFailed {
        seq,
        list: ListKind::Volumes,
        error: timeout("listing volumes"),
        at: at_0941(),
    };
    assert_eq!(feed(&mut app, failed), [Effect::RefreshAfter(backoff(1))]);
    let seq = lists_asked(&feed(&mut app, EngineMsg::RefreshDue));
    feed(&mut app, EngineMsg::Containers { seq, containers: containers() });
    assert!(app.banner(), "containers answering says nothing about volumes");
    feed(&mut app, EngineMsg::Volumes { seq, volumes: volumes() });
    assert!(!app.banner());
    assert!(!screen(&app).contains("failed"));
}

#[test]
fn a_failure_from_an_older_generation_is_dropped() {
    let mut app = loaded_app(80, 24);
    let old = lists_asked(&keys(&mut app, "r"));
    let new = lists_asked(&keys(&mut app, "r"));
    assert!(new > old);
    let stale = EngineMsg::ListFailed {
        seq: old,
        list: ListKind::Containers,
        error: timeout("listing containers"),
        at: at_0941(),
    };
    assert!(feed(&mut app, stale).is_empty());
    assert!(!app.banner());
    feed(&mut app, EngineMsg::Containers { seq: new, containers: vec![] });
    feed(&mut app, EngineMsg::Containers { seq: old, containers: containers() });
    assert!(app.inventory.containers.is_empty(), "the older list came last but is not shown");
}

#[test]
fn a_failed_size_run_is_named_in_the_banner_and_the_sizes_stay() {
    let mut app = loaded_app(80, 24);
    let before = app.inventory.totals.volumes_size;
    let seq = lists_asked(&keys(&mut app, "r"));
    feed(&mut app, EngineMsg::Volumes { seq, volumes: volumes() });
    let names: Vec<VolumeName> = volumes().into_iter().map(|v| v.name).collect();
    let failed = VolumesSized::Failed { names: names.clone(), error: timeout("measuring disk usage") };
    feed(&mut app, EngineMsg::VolumesSized { seq, sized: vec![failed], at: at_0941() });
    assert_eq!(app.loading.trouble.as_ref().map(|t| t.part), Some(Part::Sizes));
    assert_eq!(app.inventory.totals.volumes_size, before);
    assert_eq!(app.loading.volumes.waiting(), 0, "no spinner waits for an answer that came");
    assert!(screen(&app).contains("measuring sizes failed at 09:41:05 UTC"));
    let answered = VolumesSized::Engine { names, usage: disk_usage() };
    feed(&mut app, EngineMsg::VolumesSized { seq, sized: vec![answered], at: at_0941() });
    assert!(!app.banner());
}

#[test]
fn inspections_of_an_older_list_still_count_but_host_paths_of_one_do_not() {
    let mut app = loaded_app(80, 24);
    let old = app.loading.generation();
    let new = lists_asked(&keys(&mut app, "r"));
    let effects = feed(&mut app, EngineMsg::Containers { seq: new, containers: containers() });
    assert!(effects
        .iter()
        .any(|e| matches!(e, Effect::InspectContainers { seq, ids } if *seq == new && ids.len() == 4)));
    assert_eq!(app.loading.containers.waiting(), 4);
    // The older task's answer: `web` has lost its tmpfs mount since.
    let mut found = container_sizes();
    for (id, sized) in &mut found {
        if id.starts_with("a1") {
            sized.as_mut().unwrap().details.tmpfs.clear();
        }
    }
    feed(&mut app, EngineMsg::ContainersSized { seq: old, found });
    assert_eq!(app.loading.containers.waiting(), 4, "an older task's batch does not count for the new one");
    assert_eq!(app.inventory.tmpfs_mounts.len(), 1, "but its facts about listed containers are used");
    feed(&mut app, EngineMsg::HostPaths { seq: old, paths: Default::default() });
    assert!(app.inventory.bind_mounts.iter().any(|b| b.source_exists == Some(false)), "older probe dropped");
}

#[test]
fn a_first_connect_that_fails_is_retried_with_growing_waits_and_r_retries_now() {
    let mut app = App::new("unix:///var/run/docker.sock", true, (80, 24), Default::default());
    assert_eq!(app.start(), [Effect::Connect]);
    let failed = || EngineMsg::ConnectFailed { error: timeout("connecting"), at: at_0941() };
    assert_eq!(feed(&mut app, failed()), [Effect::ConnectAfter(backoff(0))]);
    assert_eq!(feed(&mut app, failed()), [Effect::ConnectAfter(backoff(1))]);
    assert!(matches!(app.loading.connection, Connection::Unreachable { attempt: 1, .. }));
    let shown = screen(&app);
    assert!(
        shown.contains("is not answering") && shown.contains("retrying by itself (attempt 2)"),
        "{shown}"
    );
    assert_eq!(keys(&mut app, "r"), [Effect::Connect]);
    // An event stream that comes back while the engine was never reached asks for a connect.
    assert_eq!(feed(&mut app, EngineMsg::RefreshDue), [Effect::Connect]);
    let effects = feed(&mut app, EngineMsg::Connected(engine()));
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadLists { .. })));
    assert!(effects.contains(&Effect::WatchEvents));
    assert!(app.loading.connected());
}

#[test]
fn the_event_stream_coming_back_refreshes_without_a_key() {
    let mut app = loaded_app(80, 24);
    feed(
        &mut app,
        EngineMsg::Events(EventsState::Reconnecting { attempt: 1, reason: "connection refused".into() }),
    );
    assert!(screen(&app).contains("events reconnecting"));
    feed(&mut app, EngineMsg::Events(EventsState::Live));
    let effects = feed(&mut app, EngineMsg::RefreshDue);
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadLists { .. })), "{effects:?}");
    assert!(screen(&app).contains("● live"));
}

/// Connected to an engine reached over ssh: the first lists asked for, of this generation.
fn connected_over_ssh(app: &mut App) -> u64 {
    app.start();
    lists_asked(&feed(app, EngineMsg::Connected(engine())))
}

#[test]
fn an_event_stream_first_live_after_the_lists_answered_lists_again() {
    // Over ssh the stream has a connection of its own and can go live well after the lists: what
    // changed in between is on no list and in no event.
    let mut app = App::new("ssh://me@far", false, (80, 24), Default::default());
    let first = connected_over_ssh(&mut app);
    feed(&mut app, EngineMsg::Containers { seq: first, containers: containers() });
    feed(&mut app, EngineMsg::Volumes { seq: first, volumes: volumes() });
    assert!(!app.loading.lists_loading());
    let effects = feed(&mut app, EngineMsg::Events(EventsState::Live));
    assert!(lists_asked(&effects) > first, "{effects:?}");
}

#[test]
fn lists_under_way_when_the_event_stream_first_goes_live_are_kept_then_asked_again() {
    // They may have been read before the engine began telling: asked again, but once they have
    // answered, for cancelling them would hold back the first screen.
    let mut app = App::new("ssh://me@far", false, (80, 24), Default::default());
    let first = connected_over_ssh(&mut app);
    let effects = feed(&mut app, EngineMsg::Events(EventsState::Live));
    assert!(!effects.iter().any(|e| matches!(e, Effect::LoadLists { .. })), "{effects:?}");
    let effects = feed(&mut app, EngineMsg::Containers { seq: first, containers: containers() });
    assert!(!effects.iter().any(|e| matches!(e, Effect::LoadLists { .. })), "{effects:?}");
    let effects = feed(&mut app, EngineMsg::Volumes { seq: first, volumes: volumes() });
    assert!(lists_asked(&effects) > first, "{effects:?}");
    assert_eq!(app.inventory.volumes.len(), 4, "the first lists are shown meanwhile");
}

#[test]
fn newer_lists_and_connects_supersede_the_older_task_but_sizing_is_never_thrown_away() {
    assert_eq!(Effect::LoadLists { seq: 1 }.slot(), Some(Slot::Lists));
    assert_eq!(
        Effect::LoadImages { seq: 1 }.slot(),
        Some(Slot::Images),
        "a newer image list cancels the older"
    );
    let sizing =
        [Effect::InspectContainers { seq: 1, ids: vec![] }, Effect::SizeVolumes { seq: 1, volumes: vec![] }];
    assert!(sizing.iter().all(|e| e.slot().is_none()), "sizing under way is never thrown away");
    assert_eq!(Effect::ConnectAfter(backoff(0)).slot(), Effect::Connect.slot());
}

#[test]
fn an_older_image_list_answering_after_a_newer_one_was_asked_is_dropped() {
    let mut app = loaded_app(100, 30);
    let images_asked = |effects: &[Effect]| {
        effects.iter().find_map(|e| if let Effect::LoadImages { seq } = e { Some(*seq) } else { None })
    };
    let older = images_asked(&keys(&mut app, "r")).expect("r lists the images");
    let newer = images_asked(&keys(&mut app, "r")).expect("and again");
    assert!(newer > older);
    let before = app.inventory.images.len();
    feed(&mut app, EngineMsg::Images { seq: older, result: Ok(Vec::new()) });
    assert_eq!(app.inventory.images.len(), before, "a stale answer replaced the list");
    feed(&mut app, EngineMsg::Images { seq: newer, result: Ok(Vec::new()) });
    assert!(app.inventory.images.is_empty());
}
