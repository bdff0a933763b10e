//! What a person notices in the first hour, seen through the real binary in a real
//! pseudo-terminal against the real engine: the smallest sizes, where a list is, the detail
//! pane's scroll, statuses and measurement times that stay true, and the new-container form.
//! Each waits for what a person would see and fails with the screen it saw.

mod pty;
mod support;

use std::time::Duration;

use bollard::models::HostConfig;
use pty::has_line_with;
use support::Scenario;

const SCREEN_LIMIT: Duration = Duration::from_secs(30);
const RIGHT: &[u8] = b"\x1b[C";
const PAGE_DOWN: &[u8] = b"\x1b[6~";

fn line_with(screen: &vt100::Screen, part: &str) -> Option<String> {
    screen.contents().lines().find(|line| line.contains(part)).map(str::to_owned)
}

/// Runs `person` on a thread of its own (the pty is read blocking) and gives back its panic.
async fn as_a_person<T: Send + 'static>(person: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(person)
        .await
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()))
}

#[tokio::test(flavor = "multi_thread")]
async fn at_60x15_a_list_shows_three_rows_and_its_position_and_below_it_only_q_acts() {
    let scenario = Scenario::new().await;
    let mut names = Vec::new();
    for role in ["a", "b", "c", "d"] {
        names.push(scenario.create_volume(role).await);
    }
    let run_id = scenario.run_id.clone();
    as_a_person(move || {
        let mut tui = pty::Pty::spawn(env!("CARGO_BIN_EXE_dockdu"), &[], 60, 15);
        tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
        tui.send(format!("2/{run_id}\r").as_bytes());
        // The names share this run's long prefix: a row tells them apart by their ends.
        let row_of = |s: &vt100::Screen, role: &str| has_line_with(s, &[&format!("-{role} "), "local"]);
        tui.wait_for("three of the four volumes and where the list is", SCREEN_LIMIT, |s| {
            let shown = ["a", "b", "c", "d"].iter().filter(|role| row_of(s, role)).count();
            shown >= 3 && has_line_with(s, &["└", " 1/4 "])
        });
        tui.send(b"G");
        tui.wait_for("the last volume, at 4/4", SCREEN_LIMIT, |s| {
            has_line_with(s, &["└", " 4/4 "]) && row_of(s, "d") && s.contents().contains(&names[3])
        });

        tui.resize(40, 12);
        tui.wait_for("the request for a bigger window", SCREEN_LIMIT, |s| {
            s.contents().contains("Terminal too small")
        });
        // Keys that would open a dialog do nothing while nothing can be seen: had `P` opened the
        // prune preview, `q` (which a dialog ignores) would not quit.
        tui.send(b"P3q");
        assert_eq!(tui.wait_exit(SCREEN_LIMIT), Some(0), "{}", tui.parser.screen().contents());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_detail_pane_says_what_is_cut_and_scrolls_to_a_containers_last_mount() {
    let scenario = Scenario::new().await;
    let mut binds = Vec::new();
    for n in 1..=10 {
        let volume = scenario.create_volume(&format!("m{n}")).await;
        binds.push(format!("{volume}:/mount-{n}"));
    }
    let host_config = HostConfig { binds: Some(binds), ..Default::default() };
    scenario.create_container("many", &["sleep", "600"], host_config).await;
    let run_id = scenario.run_id.clone();
    as_a_person(move || {
        let mut tui = pty::Pty::spawn(env!("CARGO_BIN_EXE_dockdu"), &[], 80, 24);
        tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
        tui.send(format!("/{run_id}\r").as_bytes());
        // The filter kept (no cursor in the title), the pane cut and saying how to see the rest.
        tui.wait_for("the container's mounts, cut, saying so", SCREEN_LIMIT, |s| {
            let text = s.contents();
            text.contains("mounts (10)")
                && !text.contains('▏')
                && has_line_with(s, &["↓", "more", "→ to scroll"])
        });
        assert!(!tui.parser.screen().contents().contains("/mount-10"), "{}", tui.parser.screen().contents());
        tui.send(RIGHT);
        tui.send(PAGE_DOWN);
        tui.wait_for("the last mount, and what is above it", SCREEN_LIMIT, |s| {
            s.contents().contains("/mount-10") && has_line_with(s, &["┌ Details", "↑", "more"])
        });
        tui.send(b"q");
        assert_eq!(tui.wait_exit(SCREEN_LIMIT), Some(0));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_running_containers_status_and_its_measurement_age_move_on_without_a_key() {
    let scenario = Scenario::new().await;
    let id = scenario.create_container("ticking", &["sleep", "600"], HostConfig::default()).await;
    scenario.start(&id).await;
    let (run_id, name) = (scenario.run_id.clone(), scenario.name("ticking"));
    as_a_person(move || {
        let mut tui = pty::Pty::spawn(env!("CARGO_BIN_EXE_dockdu"), &[], 100, 30);
        tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
        tui.send(format!("/{run_id}\r").as_bytes());
        tui.wait_for("its status and a fresh measurement", SCREEN_LIMIT, |s| {
            has_line_with(s, &[&name, "running", "Up "]) && s.contents().contains("just now")
        });
        let first = line_with(tui.parser.screen(), "Up ").expect("a status line");
        // The engine said "Up" once; the screen keeps counting from its StartedAt.
        tui.wait_for("a later status, with no key pressed", SCREEN_LIMIT, |s| {
            line_with(s, "Up ").is_some_and(|line| line != first && line.contains("seconds"))
        });
        tui.wait_for("the measurement's age going on", SCREEN_LIMIT, |s| {
            has_line_with(s, &["writable", "s ago"])
        });
        tui.send(b"q");
        assert_eq!(tui.wait_exit(SCREEN_LIMIT), Some(0));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_new_container_form_edits_as_a_shell_keeps_its_choice_on_space_and_sets_labels() {
    let scenario = Scenario::new().await;
    let volume = scenario.create_volume("formed").await;
    let (run_id, image, name) =
        (scenario.run_id.clone(), scenario.image.clone(), scenario.name("formed-by-form"));
    let (typed_name, volume_name) = (name.clone(), volume.clone());
    as_a_person(move || {
        let mut tui = pty::Pty::spawn(env!("CARGO_BIN_EXE_dockdu"), &[], 100, 30);
        tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
        tui.send(format!("2/{run_id}\r").as_bytes());
        tui.wait_for("the volume", SCREEN_LIMIT, |s| has_line_with(s, &[&volume, "local"]));
        tui.send(b"a");
        tui.wait_for("the form with the images listed", SCREEN_LIMIT, |s| {
            s.contents().contains("New container on volume") && has_line_with(s, &["Image", "‹"])
        });
        // Mount path is focused: Ctrl-U clears it, as in a shell; the footer offers only what
        // a text field takes.
        tui.send(b"\x15/vol");
        tui.wait_for("the new mount path", SCREEN_LIMIT, |s| has_line_with(s, &["Mount path", "/vol"]));
        let footer = tui.parser.screen().contents().lines().last().unwrap_or_default().to_owned();
        assert!(footer.contains("Ctrl-U") && !footer.contains(" y "), "{footer}");
        // Name: a word typed by mistake goes with Ctrl-W.
        tui.send(format!("\t\tmistake \x17{typed_name}").as_bytes());
        tui.wait_for("the name", SCREEN_LIMIT, |s| has_line_with(s, &["Name", &typed_name]));
        assert!(!tui.parser.screen().contents().contains("mistake"), "{}", tui.parser.screen().contents());
        tui.send(b"\tsleep 600\t");
        tui.send(format!("dockdu.test={run_id}, role=formed").as_bytes());
        tui.wait_for("the labels", SCREEN_LIMIT, |s| has_line_with(s, &["Labels", "role=formed"]));
        // Network: a space typed by mistake leaves `none`.
        tui.send(b"\t ");
        tui.wait_for("network still none", SCREEN_LIMIT, |s| has_line_with(s, &["Network", "‹ none ›"]));
        // Image: back up to it and pick this test's image by its first letter, as a person would.
        for _ in 0..6 {
            tui.send(b"\x1b[A");
        }
        tui.wait_for("the Image field focused", SCREEN_LIMIT, |s| {
            has_line_with(s, &["Image", "←/→ to choose"])
        });
        let mut picked = false;
        for _ in 0..200 {
            let before = line_with(tui.parser.screen(), "│ Image ").unwrap_or_default();
            if before.contains(&image) {
                picked = true;
                break;
            }
            tui.send(b"d");
            tui.wait_for("the next image starting with d", SCREEN_LIMIT, |s| {
                line_with(s, "│ Image ").is_some_and(|line| line != before) || before.contains(&image)
            });
        }
        assert!(picked, "{image} never came up in the Image choice");
        tui.send(b"\r");
        tui.wait_for("the form to close on the new container", SCREEN_LIMIT, |s| {
            !s.contents().contains("New container on volume")
        });
        tui.send(b"q");
        assert_eq!(tui.wait_exit(SCREEN_LIMIT), Some(0));
    })
    .await;

    let made = scenario.inspect(&name).await;
    let config = made.config.expect("config");
    let labels = config.labels.unwrap_or_default();
    assert_eq!(labels.get("role").map(String::as_str), Some("formed"), "{labels:?}");
    assert_eq!(config.cmd, Some(vec!["sleep".to_owned(), "600".to_owned()]));
    let host = made.host_config.expect("host config");
    assert_eq!(host.network_mode.as_deref(), Some("none"));
    let mounts = made.mounts.unwrap_or_default();
    assert!(
        mounts
            .iter()
            .any(|m| m.name.as_deref() == Some(&volume_name) && m.destination.as_deref() == Some("/vol")),
        "{mounts:?}"
    );
}
