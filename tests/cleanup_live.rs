//! Nothing is left behind, whichever way dockdu is left: a helper container made to read a
//! dangling volume through the engine is removed when the user presses Ctrl-C while it counts,
//! when a signal arrives from outside, and when `E` switches to another engine meanwhile.

mod pty;
mod support;

use std::time::{Duration, Instant};

use support::docker_config::DockerConfig;
use support::Scenario;

const SCREEN_LIMIT: Duration = Duration::from_secs(30);
const DOCKDU: &str = env!("CARGO_BIN_EXE_dockdu");

/// A volume no container uses, holding a 64 GiB sparse file: read through the engine's archive
/// stream it takes far longer than the tests (the engine sends every zero), so the count is
/// still under way when the test acts, whatever the machine's speed. It costs no disk.
async fn slow_dangling_volume(s: &Scenario) -> String {
    let volume = s.create_volume("slow").await;
    let script = "dd if=/dev/zero of=/data/sparse bs=1048576 seek=65536 count=0";
    let writer = s.run_on_volume("sparse", &volume, script, &[]).await;
    s.remove_container(&writer).await;
    volume
}

/// Waits (bounded) until the explorer's helper container for `volume` exists.
async fn helper_appears(s: &Scenario, volume: &str) {
    let deadline = Instant::now() + SCREEN_LIMIT;
    while s.helpers_of(volume).await.is_empty() {
        assert!(Instant::now() < deadline, "no helper container was made for {volume}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Opens the explorer on the engine route (`--engine-sizes`: every read goes through the engine),
/// on the Volumes panel filtered to `volume`, and presses `o` on it.
fn open_browser_on(tui: &mut pty::Pty, volume: &str) {
    tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
    tui.send(format!("2/{volume}\r").as_bytes());
    tui.wait_for("the dangling volume", SCREEN_LIMIT, |s| s.contents().contains("dangling"));
    tui.send(b"o");
    tui.wait_for("the browser counting", SCREEN_LIMIT, |s| {
        s.contents().contains(&format!("volume {volume}")) && s.contents().contains("counting…")
    });
}

/// The browser is still counting: what the test does next happens while the helper reads.
fn still_counting(tui: &mut pty::Pty) {
    tui.drain();
    assert!(tui.parser.screen().contents().contains("counting…"), "the count ended before the test acted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_while_a_helper_container_counts_removes_it_before_dockdu_exits() {
    let s = Scenario::new().await;
    let volume = slow_dangling_volume(&s).await;
    let (opened, browser_open) = tokio::sync::oneshot::channel::<()>();
    let (seen, helper_seen) = std::sync::mpsc::channel::<()>();
    let name = volume.clone();
    let person = tokio::task::spawn_blocking(move || {
        let mut tui = pty::Pty::spawn(DOCKDU, &["--engine-sizes"], 120, 40);
        open_browser_on(&mut tui, &name);
        let _ = opened.send(());
        helper_seen.recv_timeout(SCREEN_LIMIT).expect("the helper was never seen");
        still_counting(&mut tui);
        tui.send(b"\x03");
        tui.wait_exit(SCREEN_LIMIT)
    });
    if tokio::time::timeout(SCREEN_LIMIT * 2, browser_open).await.is_ok_and(|r| r.is_ok()) {
        helper_appears(&s, &volume).await;
        let _ = seen.send(());
    }
    let exit = person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert_eq!(exit, Some(0), "Ctrl-C ends dockdu as q does");
    assert!(s.helpers_of(&volume).await.is_empty(), "the helper container outlived dockdu");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_term_signal_while_a_helper_container_counts_removes_it_before_dockdu_exits() {
    let s = Scenario::new().await;
    let volume = slow_dangling_volume(&s).await;
    let (opened, browser_open) = tokio::sync::oneshot::channel::<u32>();
    let name = volume.clone();
    let person = tokio::task::spawn_blocking(move || {
        let mut tui = pty::Pty::spawn(DOCKDU, &["--engine-sizes"], 120, 40);
        open_browser_on(&mut tui, &name);
        still_counting(&mut tui);
        let _ = opened.send(tui.pid());
        tui.wait_exit(SCREEN_LIMIT)
    });
    if let Ok(Ok(pid)) = tokio::time::timeout(SCREEN_LIMIT * 2, browser_open).await {
        helper_appears(&s, &volume).await;
        let killed = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status();
        assert!(killed.is_ok_and(|status| status.success()), "kill -TERM {pid}");
    }
    let exit = person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert_eq!(exit, Some(0), "TERM ends dockdu as q does");
    assert!(s.helpers_of(&volume).await.is_empty(), "the helper container outlived dockdu");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_engines_while_a_helper_container_counts_removes_it() {
    let s = Scenario::new().await;
    let volume = slow_dangling_volume(&s).await;
    let config = DockerConfig::new();
    config.create_context("same-engine", &format!("host={}", support::docker_host()));
    let env = config.env();
    let (opened, browser_open) = tokio::sync::oneshot::channel::<()>();
    let (seen, helper_seen) = std::sync::mpsc::channel::<()>();
    let (switched, switch_done) = tokio::sync::oneshot::channel::<()>();
    let (checked, check_done) = std::sync::mpsc::channel::<()>();
    let name = volume.clone();
    let person = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &std::ffi::OsStr)> = env.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
        let mut tui = pty::Pty::spawn_env(DOCKDU, &["--engine-sizes"], &env, 120, 40);
        open_browser_on(&mut tui, &name);
        let _ = opened.send(());
        helper_seen.recv_timeout(SCREEN_LIMIT).expect("the helper was never seen");
        still_counting(&mut tui);
        // The engine list opens over the browser; its count goes on until the switch.
        tui.send(b"E");
        tui.wait_for("the context list", SCREEN_LIMIT, |s| s.contents().contains("same-engine"));
        tui.send(b"same-engine\r");
        tui.wait_for("the other context in the header", SCREEN_LIMIT, |s| {
            s.contents().contains("context same-engine")
        });
        let _ = switched.send(());
        check_done.recv_timeout(SCREEN_LIMIT).expect("the check did not end");
        tui.send(b"q");
        tui.wait_exit(SCREEN_LIMIT)
    });
    if tokio::time::timeout(SCREEN_LIMIT * 2, browser_open).await.is_ok_and(|r| r.is_ok()) {
        helper_appears(&s, &volume).await;
        let _ = seen.send(());
    }
    // The switch is done (dockdu still runs, on the other context): the helper is gone already.
    let switched_in_time = tokio::time::timeout(SCREEN_LIMIT * 2, switch_done).await.is_ok_and(|r| r.is_ok());
    let left = s.helpers_of(&volume).await;
    let _ = checked.send(());
    let exit = person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert!(switched_in_time, "the switch never showed");
    assert!(left.is_empty(), "the helper container outlived the switch: {left:?}");
    assert_eq!(exit, Some(0));
}
