//! Container controls (`x`) and logs (`L`) through the app's update function: what a person
//! presses, what the app asks the runtime for, what the engine's answers change on screen; with
//! snapshots of the menu, the stop confirmation and the log view at 80×24.

mod app_fixture;

use std::collections::BTreeMap;

use app_fixture::*;
use dockdu::app::controls::Stage;
use dockdu::app::logs::{LogEvent, LogState, LOG_KEPT, LOG_TAIL};
use dockdu::app::panel::Panel;
use dockdu::app::{Action, App, Effect, EngineMsg, EventsState, Focus, Overlay};
use dockdu::model::controls::{Control, ControlRequest};
use dockdu::model::logs::{LogLine, LogStream, LogsFrom, LogsUnreadable};
use dockdu::model::{Change, ChangeAction, ChangeKind, ContainerFacts, ContainerId, Problem};

fn id(short: &str) -> ContainerId {
    ContainerId::new(short.repeat(64 / short.len()))
}

/// A paused container beside the fixture's (running db and web, exited worker, created builder).
fn paused() -> ContainerFacts {
    ContainerFacts {
        id: id("f6"),
        name: "frozen".into(),
        image: "nginx:1.27".into(),
        image_id: image_id("nginx:1.27").into(),
        state: "paused".into(),
        status: "Up 1 hour (Paused)".into(),
        created: 0,
        labels: BTreeMap::new(),
        mounts: vec![],
    }
}

fn menu(app: &App) -> &dockdu::app::controls::ControlMenu {
    match &app.overlay {
        Some(Overlay::Control(menu)) => menu,
        other => panic!("no controls menu open: {other:?}"),
    }
}

fn offered(app: &App) -> Vec<Control> {
    menu(app).controls.clone()
}

fn select(app: &mut App, name: &str) {
    keys(app, "1g");
    while selected_name(app) != name {
        let before = app.view().scroll.selected;
        keys(app, "j");
        assert_ne!(app.view().scroll.selected, before, "{name} is not in the Containers panel");
    }
}

fn control(container: &str, name: &str, control: Control) -> Effect {
    Effect::Perform(Action::Control(ControlRequest { id: id(container), name: name.into(), control }))
}

#[test]
fn x_offers_only_what_the_containers_state_allows() {
    let mut app = loaded_app_with(engine(), vec![paused()], 100, 30);
    select(&mut app, "web");
    keys(&mut app, "x");
    assert_eq!(offered(&app), [Control::Stop, Control::Restart, Control::Pause, Control::Kill]);
    let screen = render(&app);
    assert!(screen.contains("web (running)") && screen.contains("t  stop"), "{screen}");
    assert!(!screen.contains("s  start") && !screen.contains("unpause"), "{screen}");
    keys(&mut app, "\x1b");
    assert!(app.overlay.is_none(), "Esc closes the menu");

    select(&mut app, "worker");
    keys(&mut app, "x");
    assert_eq!(offered(&app), [Control::Start], "an exited container can only be started");
    keys(&mut app, "\x1b");
    select(&mut app, "builder");
    keys(&mut app, "x");
    assert_eq!(offered(&app), [Control::Start], "a created one too");
    keys(&mut app, "\x1b");
    select(&mut app, "frozen");
    keys(&mut app, "x");
    assert_eq!(offered(&app), [Control::Unpause, Control::Stop, Control::Kill]);
    let screen = render(&app);
    assert!(screen.contains("u  unpause") && !screen.contains("p  pause"), "{screen}");
}

#[test]
fn stop_asks_first_naming_the_container_then_sends_one_control() {
    let mut app = loaded_app(100, 30);
    select(&mut app, "web");
    keys(&mut app, "x");
    assert!(keys(&mut app, "t").is_empty(), "nothing is sent before the yes");
    assert_eq!(menu(&app).stage, Stage::Confirming(Control::Stop));
    let screen = render(&app);
    assert!(screen.contains("Stop container web?") && screen.contains("stop timeout"), "{screen}");
    keys(&mut app, "n");
    assert_eq!(menu(&app).stage, Stage::Choosing, "n goes back to the menu, nothing sent");
    assert_eq!(keys(&mut app, "ty"), [control("a1", "web", Control::Stop)]);
    assert_eq!(menu(&app).stage, Stage::Working(Control::Stop));
    assert!(keys(&mut app, "y").is_empty(), "a second yes sends nothing more");
    assert!(render(&app).contains("stopping web…"));
    // The event stream is live: the row changes when its events say so, not from here.
    let effects = feed(
        &mut app,
        EngineMsg::Controlled {
            request: ControlRequest { id: id("a1"), name: "web".into(), control: Control::Stop },
            result: Ok(()),
        },
    );
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.overlay.is_none());
    assert_eq!(app.notice.as_deref(), Some("stopped web"));
}

#[test]
fn kill_asks_first_too_while_restart_pause_and_start_go_at_once() {
    let mut app = loaded_app(100, 30);
    select(&mut app, "web");
    keys(&mut app, "x");
    assert!(keys(&mut app, "K").is_empty());
    assert!(render(&app).contains("Kill container web?"));
    assert_eq!(keys(&mut app, "\n"), [control("a1", "web", Control::Kill)], "Enter confirms");

    let mut app = loaded_app(100, 30);
    select(&mut app, "web");
    // Enter on the highlighted row: the second, restart.
    assert_eq!(keys(&mut app, "xj\n"), [control("a1", "web", Control::Restart)]);
    let mut app = loaded_app(100, 30);
    select(&mut app, "db");
    assert_eq!(keys(&mut app, "xp"), [control("b2", "db", Control::Pause)]);
    keys(&mut app, "\x1b");
    select(&mut app, "worker");
    assert_eq!(keys(&mut app, "xs"), [control("c3", "worker", Control::Start)]);
}

#[test]
fn read_only_refuses_x_with_a_notice_and_sends_nothing() {
    let mut app = loaded_app(100, 30);
    app.config.read_only = true;
    select(&mut app, "web");
    assert!(keys(&mut app, "x").is_empty());
    assert!(app.overlay.is_none());
    assert_eq!(app.notice.as_deref(), Some("read-only mode: controlling containers is disabled"));
    // The log is a read: it still opens.
    assert!(matches!(keys(&mut app, "L").as_slice(), [Effect::FollowLogs { .. }]));
}

#[test]
fn a_failure_shows_the_engines_whole_message_in_the_dialog() {
    let mut app = loaded_app(80, 24);
    select(&mut app, "db");
    assert_eq!(keys(&mut app, "xp"), [control("b2", "db", Control::Pause)]);
    let detail = "Cannot pause container b2b2: OCI runtime pause failed: unable to freeze: the cgroup \
                  freezer is not available on this host (cgroup v1 without the freezer controller)";
    let error = engine_error(Problem::Api(500), detail);
    let request = ControlRequest { id: id("b2"), name: "db".into(), control: Control::Pause };
    feed(&mut app, EngineMsg::Controlled { request, result: Err(error) });
    let Stage::Failed { message, .. } = &menu(&app).stage else { panic!("{:?}", menu(&app).stage) };
    assert!(message.contains(detail), "{message}");
    let screen = render(&app);
    assert!(screen.contains("Could not pause db"), "{screen}");
    // Wrapped inside the dialog, every word of it.
    for part in
        ["500: Cannot pause container b2b2", "unable to freeze", "(cgroup v1 without the freezer controller)"]
    {
        assert!(screen.contains(part), "{part} is not on screen:\n{screen}");
    }
    keys(&mut app, "\x1b");
    assert!(app.overlay.is_none());
}

#[test]
fn a_failure_after_the_dialog_was_hidden_opens_it_again() {
    let mut app = loaded_app(100, 30);
    select(&mut app, "web");
    assert_eq!(keys(&mut app, "xty"), [control("a1", "web", Control::Stop)]);
    keys(&mut app, "\x1b");
    assert!(app.overlay.is_none(), "Esc hides the wait; the stop goes on");
    let request = ControlRequest { id: id("a1"), name: "web".into(), control: Control::Stop };
    let error = engine_error(Problem::Timeout, "no answer within 40 s");
    feed(&mut app, EngineMsg::Controlled { request, result: Err(error) });
    assert!(matches!(menu(&app).stage, Stage::Failed { control: Control::Stop, .. }));
}

#[test]
fn x_and_l_act_on_the_container_of_a_bind_row_and_of_a_volumes_user_link() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "3");
    assert_eq!(app.nav.panel, Panel::Binds);
    let bind = &app.inventory.bind_mounts[app.view().selected_index().unwrap()];
    let (container, name) = (bind.container_id.clone(), bind.container.clone());
    keys(&mut app, "x");
    assert_eq!((&menu(&app).container, &menu(&app).name), (&container, &name));
    keys(&mut app, "\x1b");
    // Volumes: shared-cache has two users; the second link is worker.
    keys(&mut app, "2jj\nj");
    assert_eq!(app.nav.focus, Focus::Detail);
    keys(&mut app, "x");
    assert_eq!(menu(&app).name, "worker");
    keys(&mut app, "\x1b");
    let effects = keys(&mut app, "L");
    assert!(
        matches!(effects.as_slice(), [Effect::FollowLogs { container, .. }] if *container == id("c3")),
        "{effects:?}"
    );
    // An image or a volume row names no container.
    keys(&mut app, "\x1b\x1b5");
    assert!(keys(&mut app, "x").is_empty() && app.overlay.is_none());
    assert!(app.notice.as_deref().unwrap_or_default().contains("select one"));
}

#[test]
fn the_row_and_the_detail_change_from_the_engines_events_and_the_open_menu_follows() {
    let mut app = loaded_app(100, 30);
    select(&mut app, "web");
    keys(&mut app, "x");
    // The engine's die event, then the refresh it asks for, lists web exited.
    let die = Change { kind: ChangeKind::Container, action: ChangeAction::Die, id: id("a1").to_string() };
    let effects = feed(&mut app, EngineMsg::Changed(die));
    assert_eq!(effects, [Effect::RefreshAfter(dockdu::app::EVENT_DEBOUNCE)]);
    let effects = feed(&mut app, EngineMsg::RefreshDue);
    let seq = effects.iter().find_map(|e| if let Effect::LoadLists { seq } = e { Some(*seq) } else { None });
    let mut listed = containers();
    for c in &mut listed {
        if c.name == "web" {
            c.state = "exited".into();
            c.status = "Exited (0) 1 second ago".into();
        }
    }
    feed(&mut app, EngineMsg::Containers { seq: seq.expect("a list"), containers: listed });
    assert_eq!(offered(&app), [Control::Start], "the open menu offers what applies now");
    keys(&mut app, "\x1b");
    let screen = render(&app);
    assert!(screen.lines().any(|l| l.contains("web") && l.contains("exited")), "{screen}");
    assert!(screen.contains("Exited (0) 1 second ago"), "the detail too:\n{screen}");
}

#[test]
fn without_a_live_event_stream_a_control_lists_again() {
    let mut app = loaded_app(100, 30);
    app.loading.events = EventsState::Reconnecting { attempt: 1, reason: "the engine restarted".into() };
    select(&mut app, "worker");
    assert_eq!(keys(&mut app, "xs"), [control("c3", "worker", Control::Start)]);
    let request = ControlRequest { id: id("c3"), name: "worker".into(), control: Control::Start };
    let effects = feed(&mut app, EngineMsg::Controlled { request, result: Ok(()) });
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadLists { .. })), "{effects:?}");
}

// --- the log view ---

fn lines(range: std::ops::RangeInclusive<usize>) -> Vec<LogLine> {
    range
        .map(|n| LogLine {
            stream: LogStream::Stdout,
            text: format!("request {n} served"),
            timestamp: Some(format!("2026-12-05T10:00:00.{n:09}Z")),
        })
        .collect()
}

fn log(app: &App) -> &dockdu::app::logs::LogView {
    match &app.overlay {
        Some(Overlay::Logs(view)) => view,
        other => panic!("no log view open: {other:?}"),
    }
}

/// `L` on web, the engine opening its log and sending the last `LOG_TAIL` lines.
fn web_log(width: u16, height: u16) -> (App, u64) {
    let mut app = loaded_app(width, height);
    select(&mut app, "web");
    let effects = keys(&mut app, "L");
    let [Effect::FollowLogs { seq, container, from }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!((container, from), (&id("a1"), &LogsFrom::Tail(LOG_TAIL)));
    let seq = *seq;
    feed(&mut app, EngineMsg::Log { seq, event: LogEvent::Opened });
    feed(&mut app, EngineMsg::Log { seq, event: LogEvent::Lines(lines(1..=1000)) });
    (app, seq)
}

fn title(screen: &str) -> &str {
    screen.lines().find(|l| l.contains("┌ log ")).unwrap_or_else(|| panic!("no log view:\n{screen}"))
}

#[test]
fn l_shows_the_last_lines_then_follows_new_ones() {
    let mut app = loaded_app(100, 30);
    select(&mut app, "web");
    let effects = keys(&mut app, "L");
    let seq = match effects.as_slice() {
        [Effect::FollowLogs { seq, .. }] => *seq,
        other => panic!("{other:?}"),
    };
    let screen = render(&app);
    assert!(!screen.contains("┌ log "), "nothing is drawn before the engine answers:\n{screen}");
    assert!(screen.contains("opening the log…"), "{screen}");
    feed(&mut app, EngineMsg::Log { seq, event: LogEvent::Opened });
    feed(&mut app, EngineMsg::Log { seq, event: LogEvent::Lines(lines(1..=1000)) });
    let screen = render(&app);
    assert!(title(&screen).contains("log web · following"), "{screen}");
    assert!(screen.contains("request 1000 served") && !screen.contains("request 900 served"), "{screen}");
    feed(&mut app, EngineMsg::Log { seq, event: LogEvent::Lines(lines(1001..=1001)) });
    assert!(render(&app).contains("request 1001 served"), "the new line comes into view");
}

#[test]
fn scrolling_up_pauses_following_and_end_resumes_it() {
    let (mut app, seq) = web_log(100, 30);
    keys(&mut app, "kk");
    assert!(!log(&app).following);
    assert!(title(&render(&app)).contains("paused at line 998/1000"), "{}", render(&app));
    feed(&mut app, EngineMsg::Log { seq, event: LogEvent::Lines(lines(1001..=1005)) });
    let screen = render(&app);
    assert!(title(&screen).contains("paused at line 998/1005"), "the view stays put:\n{screen}");
    assert!(!screen.contains("request 1005 served"));
    keys(&mut app, "G");
    let screen = render(&app);
    assert!(title(&screen).contains("following") && screen.contains("request 1005 served"), "{screen}");
    // Scrolling back down to the last line follows again too.
    keys(&mut app, "kj");
    assert!(log(&app).following);
}

#[test]
fn slash_searches_marks_the_matches_and_n_walks_them() {
    let (mut app, seq) = web_log(100, 30);
    let mut trouble = lines(1001..=1003);
    trouble[1].text = "ERROR disk full on /var/lib/data".into();
    trouble[1].stream = LogStream::Stderr;
    feed(&mut app, EngineMsg::Log { seq, event: LogEvent::Lines(trouble) });
    keys(&mut app, "/error\n");
    let view = log(&app);
    assert_eq!(view.matches.len(), 1, "case does not matter");
    assert_eq!(view.current_match, Some(0));
    let screen = render(&app);
    assert!(screen.contains("▌ ERROR disk full"), "the stderr line is marked:\n{screen}");
    assert!(screen.contains("/error  1/1"), "{screen}");
    keys(&mut app, "/request 12\n");
    let view = log(&app);
    assert_eq!(view.matches.len(), 11, "request 12 and 120–129");
    let first = view.current_match;
    keys(&mut app, "n");
    assert_ne!(log(&app).current_match, first);
    keys(&mut app, "N");
    assert_eq!(log(&app).current_match, first);
    assert!(!log(&app).following, "a match above pauses following");
    let screen = render(&app);
    assert!(title(&screen).contains("paused at line"), "{screen}");
}

#[test]
fn esc_returns_to_the_same_panel_and_row_and_stops_the_reading() {
    let (mut app, _) = web_log(100, 30);
    assert_eq!(keys(&mut app, "\x1b"), [Effect::StopLogs]);
    assert!(app.overlay.is_none());
    assert_eq!((app.nav.panel, selected_name(&app)), (Panel::Containers, "web".to_owned()));
    // From a tmpfs row: back to the tmpfs row.
    keys(&mut app, "4j");
    let before = selected_name(&app);
    keys(&mut app, "L");
    assert_eq!(keys(&mut app, "\x1b"), [Effect::StopLogs]);
    assert_eq!((app.nav.panel, selected_name(&app)), (Panel::Tmpfs, before));
}

#[test]
fn a_driver_that_keeps_nothing_says_so_in_one_line_instead_of_an_empty_view() {
    let mut app = loaded_app(100, 30);
    select(&mut app, "db");
    let effects = keys(&mut app, "L");
    let [Effect::FollowLogs { seq, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    let why = LogsUnreadable::NotKept {
        driver: Some("none".into()),
        detail: "configured logging driver does not support reading".into(),
    };
    feed(&mut app, EngineMsg::Log { seq: *seq, event: LogEvent::Unreadable(why) });
    assert!(app.overlay.is_none());
    let notice = app.notice.clone().unwrap_or_default();
    assert_eq!(notice, "db keeps no log: its logging driver “none” does not support reading");
    let screen = render(&app);
    assert!(!screen.contains("┌ log ") && screen.contains(&notice), "{screen}");
}

#[test]
fn an_older_logs_lines_are_dropped_and_another_containers_log_replaces_it() {
    let (mut app, old) = web_log(100, 30);
    keys(&mut app, "\x1b");
    select(&mut app, "db");
    let effects = keys(&mut app, "L");
    let [Effect::FollowLogs { seq, container, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    assert!(*seq > old && *container == id("b2"));
    assert_eq!(
        Effect::FollowLogs { seq: *seq, container: id("b2"), from: LogsFrom::Tail(1) }.slot(),
        Some(dockdu::app::Slot::Logs),
        "one slot: the older reading is cancelled"
    );
    let seq = *seq;
    feed(&mut app, EngineMsg::Log { seq, event: LogEvent::Opened });
    feed(&mut app, EngineMsg::Log { seq: old, event: LogEvent::Lines(lines(5000..=5001)) });
    assert!(log(&app).lines.is_empty(), "web's late lines do not show in db's log");
}

#[test]
fn at_most_ten_thousand_lines_are_kept_and_the_title_says_so() {
    let (mut app, seq) = web_log(80, 24);
    feed(&mut app, EngineMsg::Log { seq, event: LogEvent::Lines(lines(1001..=12_000)) });
    let view = log(&app);
    assert_eq!((view.lines.len(), view.dropped), (LOG_KEPT, 2_000));
    let screen = render(&app);
    assert!(screen.contains("10000 lines kept, the oldest 2000 dropped"), "{screen}");
    assert!(screen.contains("request 12000 served"));
}

#[test]
fn engine_text_is_shown_not_interpreted() {
    let (mut app, seq) = web_log(100, 30);
    let hostile = LogLine {
        stream: LogStream::Stderr,
        text: "\x1b]0;PWNED\x07 title \x1b[2J cleared\r".into(),
        timestamp: None,
    };
    feed(&mut app, EngineMsg::Log { seq, event: LogEvent::Lines(vec![hostile]) });
    let screen = render(&app);
    assert!(screen.contains("▌ \\x1b]0;PWNED\\x07 title \\x1b[2J cleared\\r"), "{screen}");
}

#[test]
fn a_log_that_ends_picks_up_after_its_last_line_when_the_container_starts_again() {
    let (mut app, seq) = web_log(100, 30);
    feed(&mut app, EngineMsg::Log { seq, event: LogEvent::Ended(None) });
    assert_eq!(log(&app).state, LogState::Ended(None));
    assert!(title(&render(&app)).contains("ended"));
    let start = Change { kind: ChangeKind::Container, action: ChangeAction::Start, id: id("a1").to_string() };
    let effects = feed(&mut app, EngineMsg::Changed(start));
    let follow = effects.iter().find_map(|e| match e {
        Effect::FollowLogs { seq, container, from } => Some((*seq, container.clone(), from.clone())),
        _ => None,
    });
    let (next, container, from) = follow.expect("the log is read again");
    assert!(next > seq && container == id("a1"));
    assert_eq!(from, LogsFrom::After("2026-12-05T10:00:00.000001000Z".into()), "after the last line shown");
    assert_eq!(log(&app).lines.len(), 1000, "what was shown stays");
}

#[test]
fn a_start_that_comes_before_the_old_runs_end_still_picks_up() {
    let (mut app, seq) = web_log(100, 30);
    let restart =
        Change { kind: ChangeKind::Container, action: ChangeAction::Restart, id: id("a1").to_string() };
    let effects = feed(&mut app, EngineMsg::Changed(restart));
    assert!(!effects.iter().any(|e| matches!(e, Effect::FollowLogs { .. })), "still reading: {effects:?}");
    let effects = feed(&mut app, EngineMsg::Log { seq, event: LogEvent::Ended(None) });
    assert!(
        matches!(effects.as_slice(), [Effect::FollowLogs { from: LogsFrom::After(_), .. }]),
        "{effects:?}"
    );
    assert_eq!(log(&app).state, LogState::Following);
}

// --- snapshots at 80×24, each looked at before it was accepted ---

#[test]
fn snapshot_the_controls_menu_at_80x24() {
    let mut app = loaded_app(80, 24);
    select(&mut app, "web");
    keys(&mut app, "xj");
    insta::assert_snapshot!("controls_menu_80x24", render(&app));
}

#[test]
fn snapshot_the_stop_confirmation_at_80x24() {
    let mut app = loaded_app(80, 24);
    select(&mut app, "web");
    keys(&mut app, "xt");
    insta::assert_snapshot!("stop_confirmation_80x24", render(&app));
}

#[test]
fn snapshot_the_log_view_at_80x24() {
    let (mut app, seq) = web_log(80, 24);
    let mut tail = lines(1001..=1004);
    tail[1] = LogLine {
        stream: LogStream::Stderr,
        text: "upstream timed out\t(110: Connection timed out) while reading".into(),
        timestamp: None,
    };
    feed(&mut app, EngineMsg::Log { seq, event: LogEvent::Lines(tail) });
    keys(&mut app, "/timed out\n");
    insta::assert_snapshot!("log_view_80x24", render(&app));
}

#[test]
fn a_following_view_still_ends_on_the_newest_line_after_the_terminal_grows() {
    let (mut app, _) = web_log(80, 24);
    app.update(dockdu::app::Msg::Resize(100, 40));
    let screen = render(&app);
    let last = screen.lines().rev().find(|l| l.contains("request")).unwrap_or_default();
    assert!(last.contains("request 1000 served"), "{screen}");
    assert!(screen.contains("request 970 served"), "the taller view is filled:\n{screen}");
}

#[test]
fn switching_engines_closes_the_log() {
    let (mut app, _) = web_log(100, 30);
    let other = dockdu::model::EngineInfo { context: "other".into(), ..engine() };
    app.switched(other, false);
    assert!(app.overlay.is_none(), "the old engine's log is gone with it");
}
