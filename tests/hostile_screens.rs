//! Names, labels, file names and engine messages that carry escape sequences, a bell, newlines,
//! a bidi override (U+202E) and a secret, through every place the explorer draws them, on
//! ratatui's TestBackend. Each must read as the CLI shows it (`\x1b`, `\n`, `\u{202e}`), never
//! reach the terminal raw nor vanish silently, and the secret stays `••••••`.

mod app_fixture;

use app_fixture::*;
use dockdu::app::engines::{EngineRow, Reach};
use dockdu::app::{App, Effect, EngineMsg};
use dockdu::measure::{NodeId, NodeKind, Tree};
use dockdu::model::{ContainerFacts, EngineInfo, SizeSource, VolumeFacts};
use dockdu::text::sanitize::{is_escaped, visible};
use dockdu::text::secrets::MASK;

/// A name that would reorder its row, clear the screen, ring, and start a line of its own.
const NAME: &str = "ok\u{202e}exe.txt\x1b[2J\x07\nrow";
const NAME_SHOWN: &str = "ok\\u{202e}exe.txt\\x1b[2J\\x07\\nrow";
/// The label: raw, it would colour, retitle, and fake a line of the preview.
const EVIL: &str = "\x1b[31mRED\x1b]0;PWNED\x07\nFAKE: Will remove 0 volumes";
/// As much of it as a preview row at 160 columns has room for.
const EVIL_PREFIX: &str = "evil=\\x1b[31mRED";
const SECRET: &str = "hunter2";

fn hostile_container() -> ContainerFacts {
    plain_container("f7", NAME, "busybox\u{202e}:latest")
}

fn hostile_volume() -> VolumeFacts {
    volume("hostile-vol", &[("api_token", SECRET), ("evil", EVIL)])
}

fn hostile_app(width: u16, height: u16) -> App {
    let engine = EngineInfo { context: "ctx\u{202e}lived".into(), ..engine() };
    loaded_app_with_volumes(engine, vec![hostile_container()], vec![hostile_volume()], width, height)
}

/// The screen holds no character a terminal would act on or reorder by, and nothing a widget
/// drew past `ui/untrusted.rs` (the last guard turns that into `�`); the secret is not on it.
fn assert_safe(screen: &str) {
    for line in screen.lines() {
        assert!(!line.chars().any(is_escaped), "a raw control or bidi character on screen:\n{line:?}");
    }
    assert!(!screen.contains('�'), "a widget drew untrusted text raw:\n{screen}");
    assert!(!screen.contains(SECRET), "the secret shows:\n{screen}");
}

fn line_with<'a>(screen: &'a str, part: &str) -> &'a str {
    screen
        .lines()
        .find(|line| line.contains(part))
        .unwrap_or_else(|| panic!("no line holds {part:?}:\n{screen}"))
}

#[test]
fn a_containers_name_reads_as_text_in_the_table_the_detail_and_the_header() {
    let mut app = hostile_app(200, 40);
    keys(&mut app, "/ok\n");
    let screen = render(&app);
    insta::assert_snapshot!("hostile_container", screen);
    assert_safe(&screen);
    let row = line_with(&screen, "exited     busybox");
    assert!(row.starts_with(&format!("│{NAME_SHOWN}  ")) && row.contains("busybox\\u{202e}:latest"), "{row}");
    assert!(screen.lines().filter(|l| l.contains(NAME_SHOWN)).count() >= 2, "table and detail:\n{screen}");
    assert!(line_with(&screen, "dockdu").contains("context ctx\\u{202e}lived"), "{screen}");
}

#[test]
fn a_volumes_labels_in_the_removal_preview_are_masked_and_shown_as_text() {
    let mut app = hostile_app(160, 40);
    keys(&mut app, "2/hostile\nd");
    let screen = render(&app);
    insta::assert_snapshot!("hostile_remove_preview", screen);
    assert_safe(&screen);
    // The labels end the row, masked, the escapes as text, cut with `…` where the dialog ends:
    // a row never wraps into a line of its own.
    let row = line_with(&screen, "volume    hostile-vol");
    assert!(row.contains(&format!("named      api_token={MASK},{EVIL_PREFIX}…│")), "{row}");
    assert!(!screen.lines().any(|l| l.trim_start_matches(['│', ' ']).starts_with("FAKE")), "{screen}");
}

#[test]
fn a_volumes_labels_in_the_prune_preview_are_masked_and_shown_as_text() {
    let mut app = hostile_app(160, 40);
    keys(&mut app, "2P\t"); // all dangling
    let screen = render(&app);
    insta::assert_snapshot!("hostile_prune_preview", screen);
    assert_safe(&screen);
    let row = line_with(&screen, "volume    hostile-vol");
    assert!(row.contains(&format!("named      api_token={MASK},{EVIL_PREFIX}…│")), "{row}");
}

#[test]
fn a_file_name_in_the_browser_reads_as_text() {
    let mut app = hostile_app(120, 30);
    let effects = keys(&mut app, "2/hostile\no");
    let [Effect::Browse { seq, .. }] = effects.as_slice() else {
        panic!("o should start a count: {effects:?}")
    };
    let mut tree = Tree::new(b"hostile-vol");
    tree.add(NodeId::ROOT, NAME.as_bytes(), NodeKind::File, 4096);
    tree.add(NodeId::ROOT, b"plain.txt", NodeKind::File, 10);
    tree.finish();
    feed(&mut app, EngineMsg::Browsed { seq: *seq, result: Ok((tree, SizeSource::Host)) });
    let screen = render(&app);
    insta::assert_snapshot!("hostile_browser", screen);
    assert_safe(&screen);
    assert!(line_with(&screen, "4 KiB  ████").contains(&format!(" {NAME_SHOWN}  ")), "{screen}");
    assert!(line_with(&screen, "inside volume").contains("hostile-vol"), "{screen}");
}

#[test]
fn an_engine_pickers_context_names_hosts_and_errors_read_as_text() {
    let mut app = hostile_app(120, 30);
    keys(&mut app, "E");
    let row =
        |name: &str, host: &str| EngineRow { name: name.into(), host: host.into(), reach: Reach::Checking };
    let evil_context = "evil\x1b]0;PWNED\x07\u{202e}ctx";
    feed(
        &mut app,
        EngineMsg::ContextsListed(vec![
            row("default", "unix:///var/run/docker.sock"),
            row(evil_context, "ssh://a\nb"),
        ]),
    );
    let failing = Reach::Fails("ssh: \x1b[31mdenied\x07".into());
    feed(&mut app, EngineMsg::ContextReach { name: evil_context.into(), reach: failing });
    let screen = render(&app);
    insta::assert_snapshot!("hostile_engines", screen);
    assert_safe(&screen);
    let row = line_with(&screen, "ssh://a");
    assert!(row.contains("evil\\x1b]0;PWNED\\… "), "cut to its column with …: {row}");
    assert!(row.contains("ssh://a\\nb") && row.contains("✗ ssh: \\x1b[31mdenied\\x07"), "{row}");
}

#[test]
fn inspect_and_a_removals_outcome_show_engine_text_as_text() {
    let mut app = hostile_app(160, 40);
    let effects = keys(&mut app, "/ok\ni");
    let [Effect::Inspect(target)] = effects.as_slice() else { panic!("{effects:?}") };
    let document =
        serde_json::json!({"Name": format!("/{NAME}"), "Config": {"Labels": {"note": "a\u{202e}b"}}});
    feed(&mut app, EngineMsg::Inspected { target: target.clone(), result: Ok(document) });
    let screen = render(&app);
    assert_safe(&screen);
    assert!(line_with(&screen, "inspect container").contains(NAME_SHOWN), "{screen}");
    assert!(line_with(&screen, "\"note\"").contains("a\\u{202e}b"), "{screen}");

    let outcome = dockdu::model::outcome::Outcome {
        removed: vec![dockdu::model::outcome::Removed {
            kind: dockdu::model::outcome::ObjectKind::Container,
            name: NAME.into(),
            bytes: Some(4096),
        }],
        skipped: vec![dockdu::model::outcome::Skipped {
            kind: dockdu::model::outcome::ObjectKind::Volume,
            name: "hostile-vol".into(),
            reason: format!("in use \u{202e}by {NAME}"),
        }],
    };
    keys(&mut app, "\x1b");
    feed(&mut app, EngineMsg::Removed(outcome));
    let screen = render(&app);
    insta::assert_snapshot!("hostile_outcome", screen);
    assert_safe(&screen);
    assert!(line_with(&screen, "container").contains(NAME_SHOWN), "{screen}");
    assert!(screen.contains(visible("in use \u{202e}by").as_ref()), "{screen}");
}
