//! Every panel, dialog and the browser at the stated minimum size (60×15): each panel shows at
//! least three rows and a detail pane that can be read; below the minimum, a request to enlarge
//! the window that takes no key but `q`.

mod app_fixture;

use app_fixture::*;
use dockdu::app::logs::LogEvent;
use dockdu::app::{App, Effect, EngineMsg, Msg, Overlay};
use dockdu::measure::{NodeId, NodeKind, Tree};
use dockdu::model::logs::{LogLine, LogStream};
use dockdu::model::SizeSource;

const MIN: (u16, u16) = (60, 15);

fn smallest() -> App {
    loaded_app(MIN.0, MIN.1)
}

fn snapshot(name: &str, app: &App) {
    insta::assert_snapshot!(name, render(app));
}

/// The table's data rows on screen: between the column header and the table's bottom border.
fn table_rows(screen: &str) -> usize {
    let lines: Vec<&str> = screen.lines().collect();
    let top = lines.iter().position(|l| l.starts_with('┌')).expect("the table");
    let bottom = lines.iter().skip(top + 1).position(|l| l.starts_with('└')).expect("its bottom") + top + 1;
    bottom - top - 2
}

#[test]
fn every_panel_shows_three_rows_and_a_detail_at_the_minimum_size() {
    for (key, name) in [
        ("1", "containers"),
        ("2", "volumes"),
        ("3", "binds"),
        ("4", "tmpfs"),
        ("5", "images"),
        ("6", "cache"),
    ] {
        let mut app = smallest();
        keys(&mut app, key);
        let screen = render(&app);
        assert!(table_rows(&screen) >= 3, "{name}: fewer than three rows:\n{screen}");
        assert!(screen.contains("Details"), "{name}: no detail pane:\n{screen}");
        snapshot(&format!("panel_{name}_60x15"), &app);
    }
}

#[test]
fn the_detail_pane_with_the_keys_at_the_minimum_size() {
    let mut app = smallest();
    keys(&mut app, "l");
    snapshot("detail_focus_60x15", &app);
}

#[test]
fn dialogs_at_the_minimum_size() {
    let mut app = smallest();
    keys(&mut app, "2c");
    snapshot("create_volume_60x15", &app);

    let mut app = smallest();
    keys(&mut app, "2a");
    feed_images(&mut app, Ok(images()));
    snapshot("attach_form_60x15", &app);

    let mut app = smallest();
    keys(&mut app, "2P");
    snapshot("prune_preview_60x15", &app);

    let mut app = smallest();
    keys(&mut app, "2d");
    snapshot("remove_preview_60x15", &app);

    let mut app = smallest();
    keys(&mut app, "1x");
    snapshot("controls_menu_60x15", &app);

    let mut app = smallest();
    keys(&mut app, "?");
    snapshot("help_60x15", &app);

    let mut app = smallest();
    keys(&mut app, "i");
    let target = match &app.overlay {
        Some(Overlay::Inspect(view)) => view.target.clone(),
        other => panic!("{other:?}"),
    };
    let document = serde_json::json!({"Id": "b2b2", "Name": "/db", "Config": {"Env": ["PGPASSWORD=secret"]}});
    feed(&mut app, EngineMsg::Inspected { target, result: Ok(document) });
    snapshot("inspect_60x15", &app);

    let mut app = smallest();
    keys(&mut app, "E");
    snapshot("engines_60x15", &app);
}

#[test]
fn the_log_and_the_browser_at_the_minimum_size() {
    let mut app = smallest();
    let effects = keys(&mut app, "L");
    let [Effect::FollowLogs { seq, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    let seq = *seq;
    let lines = (1..=40)
        .map(|n| LogLine { stream: LogStream::Stdout, text: format!("request {n} served"), timestamp: None })
        .collect();
    feed(&mut app, EngineMsg::Log { seq, event: LogEvent::Opened });
    feed(&mut app, EngineMsg::Log { seq, event: LogEvent::Lines(lines) });
    snapshot("log_60x15", &app);

    let mut app = smallest();
    let seq = match keys(&mut app, "2o").as_slice() {
        [Effect::Browse { seq, .. }] => *seq,
        other => panic!("{other:?}"),
    };
    let mut tree = Tree::new(b"pgdata");
    let base = tree.add(NodeId::ROOT, b"base", NodeKind::Dir, 0);
    for n in 0..6 {
        tree.add(base, format!("file-{n}").as_bytes(), NodeKind::File, 1000 * (n + 1));
    }
    tree.add(NodeId::ROOT, b"PG_VERSION", NodeKind::File, 3);
    tree.finish();
    feed(&mut app, EngineMsg::Browsed { seq, result: Ok((tree, SizeSource::Host)) });
    snapshot("browser_60x15", &app);
}

#[test]
fn below_the_minimum_only_q_acts() {
    let mut app = loaded_app(40, 12);
    let panel = app.nav.panel;
    for typed in ["2", "3", "d", "P", "x", "/", "\t", "?"] {
        assert!(keys(&mut app, typed).is_empty(), "{typed:?} acted below the minimum");
    }
    assert_eq!((app.nav.panel, app.overlay.is_none(), app.help.is_none()), (panel, true, true));
    snapshot("too_small_40x12", &app);
    let quit = app.update(Msg::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('q'))));
    assert_eq!(quit, [Effect::Quit]);
}

#[test]
fn at_the_minimum_width_tabs_and_totals_are_whole_and_a_click_finds_a_shortened_tab() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    use dockdu::app::panel::Panel;
    let mut app = smallest();
    let screen = render(&app);
    let lines: Vec<&str> = screen.lines().collect();
    // One header line at this height, then the tabs.
    let (header, tabs) = (lines[0], lines[1]);
    for total in header.split("  ").filter(|t| t.contains(" · ")) {
        assert!(total.trim_end().ends_with('B'), "a total cut short: {total:?} in {header:?}");
    }
    for n in 1..=7 {
        assert!(
            tabs.contains(&format!(" {n} ")) || tabs.contains(&format!(" {n}·")),
            "tab {n} cut: {tabs:?}"
        );
    }
    // Click the last tab where it is drawn, whatever its form.
    let column = u16::try_from(tabs.trim_end().chars().count() - 2).unwrap();
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row: 1,
        modifiers: KeyModifiers::NONE,
    };
    app.update(Msg::Mouse(click));
    assert_eq!(app.nav.panel, Panel::Disk);
}

#[test]
fn help_at_the_minimum_size_wraps_what_a_key_does_and_scrolls_to_the_last_key() {
    let mut app = smallest();
    keys(&mut app, "?");
    let first = render(&app);
    assert!(first.contains("a page / the first or last row (Home"), "{first}");
    assert!(first.contains("│                     End)"), "the rest of a line goes under it:\n{first}");
    for _ in 0..10 {
        app.update(Msg::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::PageDown)));
    }
    let last = render(&app);
    assert!(last.contains("this help / quit"), "{last}");
    assert!(!last.contains("more ┘"), "nothing left below:\n{last}");
}
