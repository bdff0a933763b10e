//! Objects an attacker (or an unlucky script) could leave on an engine, run through everything
//! that shows them: a volume labelled with an escape sequence that would retitle the terminal
//! and clear it, a CJK label, a secret-looking label; a container whose bind mount's host path
//! holds a colour escape, a newline and CJK. `report`, a prune preview and the explorer must
//! show these as text, never let the terminal interpret them, keep the columns lined up, and
//! hide the secret unless asked; `report --json` must keep every value exact. The explorer's
//! prune preview shows the labels as `report` does, and a bidi override as `\u{202e}`.

mod pty;
mod support;

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use bollard::models::{HostConfig, Mount, MountType, VolumeCreateRequest};
use serde_json::Value;

use dockdu::text::format::width;
use dockdu::text::sanitize::visible;
use dockdu::text::secrets::MASK;
use support::Scenario;

const EVIL: &str = "\x1b]0;PWN\x07\x1b[2J";
const EVIL_SHOWN: &str = "evil=\\x1b]0;PWN\\x07\\x1b[2J";
const CJK_KEY: &str = "説明";
const CJK_VALUE: &str = "データベース";
const SECRET: &str = "hunter2";
/// A bidi override: raw, it makes the rest of the line read backwards.
const BIDI: &str = "a\u{202e}b";
const BIDI_SHOWN: &str = "bidi=a\\u{202e}b";
const SCREEN_LIMIT: Duration = Duration::from_secs(30);

struct Hostile {
    scenario: Scenario,
    volume: String,
    container: String,
    host_path: String,
}

async fn hostile() -> Hostile {
    let scenario = Scenario::new().await;
    let volume = scenario.name("hostile");
    let mut labels = scenario.labels();
    labels.insert("evil".to_owned(), EVIL.to_owned());
    labels.insert(CJK_KEY.to_owned(), CJK_VALUE.to_owned());
    // The local driver refuses options it does not know, so the secret is a label.
    labels.insert("password".to_owned(), SECRET.to_owned());
    labels.insert("bidi".to_owned(), BIDI.to_owned());
    let request =
        VolumeCreateRequest { name: Some(volume.clone()), labels: Some(labels), ..Default::default() };
    scenario.docker.create_volume(request).await.expect("creating the hostile volume");

    let dir = scenario.host_dir("evil\x1b[41m\nデータ");
    let host_path = dir.to_str().expect("a UTF-8 temp path").to_owned();
    let bind = Mount {
        typ: Some(MountType::BIND),
        source: Some(host_path.clone()),
        target: Some("/evil".to_owned()),
        ..Default::default()
    };
    let host_config = HostConfig { mounts: Some(vec![bind]), ..Default::default() };
    scenario.create_container("binder", &["true"], host_config).await;
    let container = scenario.name("binder");
    Hostile { scenario, volume, container, host_path }
}

/// Runs the dockdu binary (no shell, no terminal) off the async workers; it must succeed.
async fn dockdu(args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let shown = args.join(" ");
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_dockdu"))
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .expect("cannot run dockdu")
    })
    .await
    .expect("the dockdu runner panicked");
    assert!(output.status.success(), "dockdu {shown}: {}", String::from_utf8_lossy(&output.stderr));
    output
}

/// The text a terminal would receive, checked for bytes it would act on.
fn terminal_text(output: &Output, what: &str) -> String {
    for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        assert!(!bytes.contains(&0x1b), "{what}: a raw ESC reached {stream}");
        assert!(!bytes.contains(&0x07), "{what}: a raw BEL reached {stream}");
    }
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn line_with<'a>(text: &'a str, parts: &[&str], what: &str) -> &'a str {
    text.lines()
        .find(|line| parts.iter().all(|part| line.contains(part)))
        .unwrap_or_else(|| panic!("{what}: no line holds {parts:?}:\n{text}"))
}

/// Display columns before `part` in `line`.
fn column_of(line: &str, part: &str) -> usize {
    width(&line[..line.find(part).unwrap_or_else(|| panic!("{part:?} not in {line:?}"))])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_text_shows_hostile_labels_and_paths_as_text_in_lined_up_columns() {
    let h = hostile().await;
    let path_shown = visible(&h.host_path).into_owned();

    let report = dockdu(&["report"]).await;
    let text = terminal_text(&report, "report");
    let row = line_with(&text, &[&h.volume, EVIL_SHOWN], "the volume's row");
    assert!(
        row.contains(&format!("password={MASK}")) && row.contains(&format!("{CJK_KEY}={CJK_VALUE}")),
        "{row}"
    );
    assert!(!text.contains(SECRET), "the secret label is masked:\n{text}");

    // The path's newline is shown, so its row goes on to the container on the same line, and
    // the CJK in it does not push the next columns out of line.
    let owner = format!("{}:/evil", h.container);
    let bind_row = line_with(&text, &[&path_shown, &owner], "the bind's row");
    let header = line_with(&text, &["HOST PATH", "CONTAINER:PATH"], "the bind header");
    assert_eq!(column_of(bind_row, &owner), column_of(header, "CONTAINER:PATH"), "\n{header}\n{bind_row}");
    assert_eq!(column_of(bind_row, "rw"), column_of(header, "MODE"), "\n{header}\n{bind_row}");
    assert!(!text.lines().any(|line| line.starts_with("データ")), "the newline started a line:\n{text}");

    let revealed = terminal_text(&dockdu(&["report", "--reveal-secrets"]).await, "report --reveal-secrets");
    line_with(&revealed, &[&h.volume, &format!("password={SECRET}")], "the revealed volume");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prune_preview_shows_hostile_labels_as_text_and_masks_the_secret() {
    let h = hostile().await;
    let filter = format!("label=dockdu.test={}", h.scenario.run_id);
    let args = ["prune", "volumes", "--scope", "dangling", "--filter", &filter, "--dry-run"];

    let preview = terminal_text(&dockdu(&args).await, "the prune preview");
    assert!(preview.starts_with("Would remove 1 volume"), "{preview}");
    let row = line_with(&preview, &[&h.volume, EVIL_SHOWN, &format!("{CJK_KEY}={CJK_VALUE}")], "the preview");
    assert!(row.contains(&format!("password={MASK}")) && !preview.contains(SECRET), "{preview}");

    let revealed = terminal_text(&dockdu(&[&["--reveal-secrets"][..], &args[..]].concat()).await, "revealed");
    line_with(&revealed, &[&h.volume, EVIL_SHOWN, &format!("password={SECRET}")], "the revealed preview");
    assert!(h.scenario.leftovers().await.iter().any(|o| o.contains(&h.volume)), "a dry run removes nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_json_keeps_hostile_values_exact_and_masks_only_secrets() {
    let h = hostile().await;
    let parse = |output: Output| -> Value { serde_json::from_slice(&output.stdout).expect("report JSON") };
    let volume_labels = |json: &Value| {
        let volumes = json["volumes"].as_array().expect("volumes");
        volumes.iter().find(|v| v["name"] == h.volume.as_str()).expect("the hostile volume")["labels"].clone()
    };

    let json = parse(dockdu(&["report", "--json"]).await);
    let labels = volume_labels(&json);
    assert_eq!(labels["evil"], EVIL);
    assert_eq!(labels[CJK_KEY], CJK_VALUE);
    assert_eq!(labels["password"], MASK, "secrets are masked in JSON too unless revealed");
    let binds = json["bind_mounts"].as_array().expect("bind_mounts");
    let bind = binds.iter().find(|b| b["container"] == h.container.as_str()).expect("the hostile bind");
    assert_eq!(bind["source"], h.host_path.as_str());

    let revealed = parse(dockdu(&["--reveal-secrets", "report", "--json"]).await);
    assert_eq!(volume_labels(&revealed)["password"], SECRET);
}

/// What the terminal was asked to do besides drawing.
#[derive(Default)]
struct TerminalEvents {
    titles: Vec<String>,
    bells: usize,
}

impl vt100::Callbacks for TerminalEvents {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(String::from_utf8_lossy(title).into_owned());
    }

    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(String::from_utf8_lossy(name).into_owned());
    }

    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_explorer_shows_hostile_labels_as_text_and_the_terminal_keeps_its_title() {
    let h = hostile().await;
    let (run_id, volume, container) = (h.scenario.run_id.clone(), h.volume.clone(), h.container.clone());
    let exit = tokio::task::spawn_blocking(move || {
        let events = TerminalEvents::default();
        let mut tui = pty::Pty::spawn_with(env!("CARGO_BIN_EXE_dockdu"), &[], 160, 50, events);
        tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
        tui.send(format!("2/{run_id}\r").as_bytes());
        tui.wait_for("the hostile volume's labels", SCREEN_LIMIT, |s| {
            let text = s.contents();
            text.contains(&volume) && text.contains(EVIL_SHOWN)
        });
        let screen = tui.parser.screen().contents();
        assert!(screen.contains(&format!("{CJK_KEY}={CJK_VALUE}")), "{screen}");
        assert!(screen.contains(&format!("password={MASK}")) && !screen.contains(SECRET), "{screen}");
        assert!(screen.contains(BIDI_SHOWN) && !screen.contains('\u{202e}'), "{screen}");
        // `\x1b[2J` did not clear the screen: the header and tabs drawn before it are still there.
        assert!(screen.contains("dockdu") && screen.contains("Volumes"), "{screen}");

        // The prune preview of the volumes the filter shows, all dangling ones: the labels on
        // the volume's row as `report` shows them (the first, `bidi`, sorts first), cut with `…`
        // where the dialog ends rather than wrapped into a line of their own.
        tui.send(b"P\t");
        tui.wait_for("the prune preview of the hostile volume", SCREEN_LIMIT, |s| {
            let text = s.contents();
            text.contains("Will remove 1 volume") && text.contains(&format!("volume    {volume}"))
        });
        let screen = tui.parser.screen().contents();
        let row = screen.lines().find(|l| l.contains(&format!("volume    {volume}"))).unwrap_or_default();
        assert!(row.contains(&format!("named      {BIDI_SHOWN},")) && row.contains("…│"), "{screen}");
        assert!(!screen.contains('\u{202e}') && !screen.contains(SECRET), "{screen}");
        tui.send(b"\x1b");
        tui.wait_for("the preview closed", SCREEN_LIMIT, |s| !s.contents().contains("Will remove"));

        tui.send(format!("3/{run_id}\r").as_bytes());
        tui.wait_for("the hostile bind", SCREEN_LIMIT, |s| {
            let text = s.contents();
            text.contains(&container) && text.contains("データ")
        });
        let events = tui.parser.callbacks();
        assert!(events.titles.iter().all(|t| !t.contains("PWN")), "retitled: {:?}", events.titles);
        assert_eq!(events.bells, 0, "the terminal rang");
        tui.send(b"q");
        tui.wait_exit(SCREEN_LIMIT)
    })
    .await
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert_eq!(exit, Some(0), "dockdu exits with status 0 on q");
}
