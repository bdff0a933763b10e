//! The real binary through engine trouble, as a person meets it: an engine that accepts and
//! never answers, a connection that drops and comes back, and being stopped from outside.

mod pty;
mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use support::relay::Relay;
use support::Scenario;

const SCREEN_LIMIT: Duration = Duration::from_secs(30);

/// A unix socket that accepts connections and never says a word.
fn silent_socket(dir: &Path) -> (PathBuf, std::thread::JoinHandle<()>) {
    let path = dir.join("silent.sock");
    let listener = std::os::unix::net::UnixListener::bind(&path).expect("binding the silent socket");
    let holder = std::thread::spawn(move || {
        let mut held = Vec::new();
        // Keeps every connection open, unread, until the test process ends.
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    (path, holder)
}

fn temp_dir(scenario: &Scenario) -> PathBuf {
    let dir = std::env::temp_dir().join(&scenario.run_id);
    std::fs::create_dir_all(&dir).expect("a temp dir");
    dir
}

#[test]
fn report_against_an_engine_that_never_answers_fails_within_the_timeout() {
    let dir = std::env::temp_dir().join(support::new_run_id());
    std::fs::create_dir_all(&dir).unwrap();
    let (socket, _holder) = silent_socket(&dir);
    let host = format!("unix://{}", socket.display());
    let started = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dockdu"))
        .args(["--host", &host, "--timeout", "2", "report"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("running dockdu");
    while child.try_wait().expect("waiting for dockdu").is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("dockdu report hung on an engine that never answers");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let elapsed = started.elapsed();
    let output = child.wait_with_output().expect("dockdu's output");
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    assert!(stderr.contains(&host) && stderr.contains("no answer within 2 s"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one clear line: {stderr:?}");
}

#[test]
fn the_explorer_says_an_engine_that_never_answers_is_not_answering_and_keeps_retrying() {
    let dir = std::env::temp_dir().join(support::new_run_id());
    std::fs::create_dir_all(&dir).unwrap();
    let (socket, _holder) = silent_socket(&dir);
    let host = format!("unix://{}", socket.display());
    let mut tui =
        pty::Pty::spawn(env!("CARGO_BIN_EXE_dockdu"), &["--host", &host, "--timeout", "1"], 100, 30);
    tui.wait_for("the not-answering screen", SCREEN_LIMIT, |s| {
        let text = s.contents();
        text.contains("is not answering") && text.contains("no answer within 1 s")
    });
    tui.wait_for("a retry after the first one", SCREEN_LIMIT, |s| s.contents().contains("(attempt 3)"));
    tui.send(b"q");
    let exit = tui.wait_exit(SCREEN_LIMIT);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(exit, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_engine_drops_and_comes_back_the_rows_return_without_a_key() {
    let scenario = Scenario::new().await;
    let dir = temp_dir(&scenario);
    let before = scenario.create_volume("before").await;
    let mut relay = Relay::unix(dir.join("engine.sock"));
    let host = relay.host();
    let run_id = scenario.run_id.clone();

    let (cut_tx, cut_rx) = std::sync::mpsc::channel::<()>();
    let (down_tx, down_rx) = tokio::sync::oneshot::channel::<()>();
    let (back_tx, back_rx) = std::sync::mpsc::channel::<()>();
    let (before_name, during_name) = (before.clone(), scenario.name("during"));
    let person = tokio::task::spawn_blocking(move || {
        let mut tui = pty::Pty::spawn(env!("CARGO_BIN_EXE_dockdu"), &["--host", &host], 120, 36);
        // Keys go once the first frame shows the terminal is in raw mode.
        tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
        tui.send(format!("2/{run_id}\r").as_bytes());
        tui.wait_for("the volume, live", SCREEN_LIMIT, |s| {
            let text = s.contents();
            text.contains(&before_name) && text.contains("● live")
        });
        let _ = cut_tx.send(());
        tui.wait_for("the outage in the header", SCREEN_LIMIT, |s| s.contents().contains("reconnecting"));
        assert!(tui.parser.screen().contents().contains(&before_name), "the last good rows stay");
        let _ = down_tx.send(());
        back_rx.recv_timeout(SCREEN_LIMIT).expect("the relay did not come back");
        // No key is pressed from here: the stream reconnects and a refresh follows by itself.
        tui.wait_for("live again, with the volume made during the outage", SCREEN_LIMIT * 2, |s| {
            let text = s.contents();
            text.contains("● live") && text.contains(&during_name) && text.contains(&before_name)
        });
        assert!(!tui.parser.screen().contents().contains("Engine unavailable"));
        tui.send(b"q");
        tui.wait_exit(SCREEN_LIMIT)
    });

    let cut = tokio::task::spawn_blocking(move || cut_rx.recv_timeout(SCREEN_LIMIT)).await.unwrap();
    if cut.is_ok() {
        relay.cut();
        if tokio::time::timeout(SCREEN_LIMIT, down_rx).await.is_ok() {
            scenario.create_volume("during").await;
            relay.reopen();
            let _ = back_tx.send(());
        }
    }
    let exit = person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    relay.cut();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(exit, Some(0));
}

/// INT, QUIT, TERM and HUP from another process leave the terminal as it was: main screen,
/// cursor shown, mouse reporting off, echo and line editing back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signal_from_outside_restores_the_terminal() {
    support::connect().await;
    for signal in [libc::SIGINT, libc::SIGQUIT, libc::SIGTERM, libc::SIGHUP] {
        let restored = tokio::task::spawn_blocking(move || {
            let mut tui = pty::Pty::spawn(env!("CARGO_BIN_EXE_dockdu"), &[], 100, 30);
            tui.wait_for("the explorer", SCREEN_LIMIT, |s| {
                s.alternate_screen() && s.contents().contains("Containers")
            });
            assert!(!tui.cooked(), "the explorer runs in raw mode");
            // SAFETY: kill has no memory-safety preconditions; the pid is our child's.
            unsafe { libc::kill(tui.pid() as i32, signal) };
            let exit = tui.wait_exit(SCREEN_LIMIT);
            let screen = tui.parser.screen();
            (
                exit,
                screen.alternate_screen(),
                screen.hide_cursor(),
                screen.mouse_protocol_mode() == vt100::MouseProtocolMode::None,
                tui.cooked(),
            )
        })
        .await
        .unwrap();
        assert_eq!(restored, (Some(0), false, false, true, true), "after signal {signal}");
    }
}
