//! The real binary in a real pseudo-terminal, read by a terminal emulator, against the real
//! engine, used as a person would: look for a labelled container and its size, switch to
//! Volumes, see the owner, watch a new owner arrive from the event stream, quit.

mod pty;
mod support;

use std::time::Duration;

use bollard::models::HostConfig;
use pty::has_line_with;
use support::Scenario;

const SCREEN_LIMIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread")]
async fn a_container_and_its_volume_show_with_sizes_and_owners_live_then_q_quits() {
    let scenario = Scenario::new().await;
    let volume = scenario.create_volume("data").await;
    let host_config = HostConfig { binds: Some(vec![format!("{volume}:/data")]), ..Default::default() };
    let container = scenario.create_container("owner", &["sleep", "600"], host_config).await;
    scenario.put_file(&container, "/", "layer.bin", 2 << 20).await;
    let (owner, second, run_id) = (scenario.name("owner"), scenario.name("second"), scenario.run_id.clone());

    // The screen is read on a thread of its own; the engine work of the live step happens here,
    // once the screen shows the volume, so the new owner cannot be in the first lists.
    let (volume_shown, shown) = tokio::sync::oneshot::channel::<String>();
    let (owner_added, added) = std::sync::mpsc::channel::<()>();
    let person = tokio::task::spawn_blocking(move || {
        let mut tui = pty::Pty::spawn(env!("CARGO_BIN_EXE_dockdu"), &[], 120, 40);
        tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
        // The engine is shared: filter to this test's objects, as a person on a busy host would.
        // A kept filter shows in the title without the typing cursor.
        let filtered = format!("/{run_id} ");
        tui.send(format!("/{run_id}\r").as_bytes());
        tui.wait_for("the container with its writable size", SCREEN_LIMIT, |s| {
            s.contents().contains(&filtered) && has_line_with(s, &[&owner, "2 MiB"])
        });
        tui.send(format!("2/{run_id}\r").as_bytes());
        tui.wait_for("the volume with its owner", SCREEN_LIMIT, |s| {
            let text = s.contents();
            text.contains("Volumes by") && text.contains(&filtered) && text.contains("used by (1)")
        });
        let _ = volume_shown.send(tui.parser.screen().contents());
        added.recv_timeout(SCREEN_LIMIT).expect("the second owner was not created");
        // Live: a second owner created behind dockdu's back shows up without a key press.
        tui.wait_for("the new owner, from the event stream", SCREEN_LIMIT, |s| {
            s.contents().contains("used by (2)") && has_line_with(s, &[&second, "/more (ro)"])
        });
        tui.send(b"q");
        tui.wait_exit(SCREEN_LIMIT)
    });

    let Ok(Ok(screen)) = tokio::time::timeout(SCREEN_LIMIT * 3, shown).await else {
        // The reader's failed wait panicked with the screen it saw: show that, or say so.
        person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
        panic!("the volume screen never came");
    };
    let host_config = HostConfig { binds: Some(vec![format!("{volume}:/more:ro")]), ..Default::default() };
    scenario.create_container("second", &["sleep", "600"], host_config).await;
    let _ = owner_added.send(());
    assert!(screen.contains(&volume), "{screen}");
    assert!(
        has_line(&screen, &[&scenario.name("owner"), "/data (rw)"]),
        "the owner and its mount path are in the detail pane:\n{screen}"
    );
    let exit = person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert_eq!(exit, Some(0), "dockdu exits with status 0 on q");
}

fn has_line(text: &str, parts: &[&str]) -> bool {
    text.lines().any(|line| parts.iter().all(|part| line.contains(part)))
}

/// `e` hands the terminal to a shell in the container and takes it back: the shell's output is
/// on the main screen, `exit` returns to the same panel with the explorer redrawn.
#[tokio::test(flavor = "multi_thread")]
async fn a_shell_from_the_explorer_runs_in_the_container_and_exit_comes_back() {
    let scenario = Scenario::new().await;
    let container = scenario.create_container("shell", &["sleep", "600"], HostConfig::default()).await;
    scenario.start(&container).await;
    let (name, run_id) = (scenario.name("shell"), scenario.run_id.clone());
    let person = tokio::task::spawn_blocking(move || {
        let mut tui = pty::Pty::spawn(env!("CARGO_BIN_EXE_dockdu"), &[], 120, 40);
        tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
        tui.send(format!("/{run_id}\r").as_bytes());
        tui.wait_for("the running container", SCREEN_LIMIT, |s| has_line_with(s, &[&name, "running"]));
        tui.send(b"e");
        tui.wait_for("the shell on the main screen", SCREEN_LIMIT, |s| {
            !s.alternate_screen() && s.contents().contains(&format!("sh in {name}"))
        });
        // The shell's own `$((…))` proves the line ran inside, not as our echo of the keys.
        tui.send(b"echo made-$((6*7))-inside\r");
        tui.wait_for("the shell's answer", SCREEN_LIMIT, |s| s.contents().contains("made-42-inside"));
        tui.send(b"exit\r");
        tui.wait_for("the explorer back, on the same panel", SCREEN_LIMIT, |s| {
            s.alternate_screen() && s.contents().contains(&format!("back from {name}"))
        });
        tui.send(b"q");
        tui.wait_exit(SCREEN_LIMIT)
    });
    let exit = person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert_eq!(exit, Some(0));
}

/// `o` on a volume opens what fills it, biggest first; Enter goes into a folder, Backspace
/// comes back, Esc returns to the Volumes panel on the same volume.
#[tokio::test(flavor = "multi_thread")]
async fn o_looks_inside_a_volume_and_esc_comes_back_to_it() {
    let scenario = Scenario::new().await;
    let volume = scenario.create_volume("inside").await;
    let script = "mkdir -p /data/logs && dd if=/dev/zero of=/data/logs/app.log bs=1024 count=3072 \
                  && echo hi > /data/readme";
    scenario.run_on_volume("writer", &volume, script, &[]).await;
    let run_id = scenario.run_id.clone();
    let person = tokio::task::spawn_blocking(move || {
        let mut tui = pty::Pty::spawn(env!("CARGO_BIN_EXE_dockdu"), &[], 120, 40);
        tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
        tui.send(format!("2/{run_id}\r").as_bytes());
        // 3 MiB and 3 bytes.
        tui.wait_for("the volume with its size", SCREEN_LIMIT, |s| has_line_with(s, &[&volume, "3.0 MiB"]));
        tui.send(b"o");
        tui.wait_for("the volume's first level, biggest first", SCREEN_LIMIT, |s| {
            let text = s.contents();
            let (logs, readme) = (text.find("logs/"), text.find("readme"));
            text.contains(&format!("inside volume {volume}"))
                && matches!((logs, readme), (Some(l), Some(r)) if l < r)
        });
        tui.send(b"\r");
        tui.wait_for("inside logs/", SCREEN_LIMIT, |s| has_line_with(s, &["3 MiB", "app.log"]));
        tui.send(b"\x7f");
        tui.wait_for("back at the root", SCREEN_LIMIT, |s| has_line_with(s, &["readme"]));
        tui.send(b"\x1b");
        tui.wait_for("the Volumes panel on the same volume", SCREEN_LIMIT, |s| {
            let text = s.contents();
            !has_line_with(s, &["SHARE", "FILES"])
                && text.contains("Volumes by")
                && has_line_with(s, &[&volume, "3.0 MiB"])
        });
        tui.send(b"q");
        tui.wait_exit(SCREEN_LIMIT)
    });
    let exit = person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert_eq!(exit, Some(0));
}

/// `A` on a container started without a terminal (`-d`, not `-it`) shows its lines as lines,
/// Ctrl-P Ctrl-Q comes back (the engine's own detach keys never reach such a container), and a
/// TERM from outside while attached ends dockdu with the terminal restored.
#[tokio::test(flavor = "multi_thread")]
async fn attaching_to_a_container_without_a_terminal_shows_lines_detaches_and_ends_on_a_signal() {
    let scenario = Scenario::new().await;
    let script = "i=0; while true; do echo tick-$i; i=$((i+1)); sleep 1; done";
    let container = scenario.create_container("ticker", &["sh", "-c", script], HostConfig::default()).await;
    scenario.start(&container).await;
    let (name, run_id) = (scenario.name("ticker"), scenario.run_id.clone());
    let person = tokio::task::spawn_blocking(move || {
        let mut tui = pty::Pty::spawn(env!("CARGO_BIN_EXE_dockdu"), &[], 120, 40);
        tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
        tui.send(format!("/{run_id}\r").as_bytes());
        tui.wait_for("the running container", SCREEN_LIMIT, |s| has_line_with(s, &[&name, "running"]));
        tui.send(b"A");
        tui.wait_for("two of its lines, each from the left edge", SCREEN_LIMIT, |s| {
            let lines: Vec<String> = s.contents().lines().map(str::to_owned).collect();
            let ticks = lines.iter().filter(|l| l.starts_with("tick-")).count();
            !s.alternate_screen()
                && lines.iter().any(|l| l.contains("reads no input") && l.contains("Ctrl-P Ctrl-Q"))
                && ticks >= 2
                && !lines.iter().any(|l| l.trim_start().starts_with("tick-") && !l.starts_with("tick-"))
        });
        tui.send(b"\x10\x11");
        tui.wait_for("the explorer back", SCREEN_LIMIT, |s| {
            s.alternate_screen() && s.contents().contains(&format!("back from {name}"))
        });
        tui.send(b"A");
        tui.wait_for("attached again", SCREEN_LIMIT, |s| {
            !s.alternate_screen() && s.contents().contains("tick-")
        });
        let killed = std::process::Command::new("kill").args(["-TERM", &tui.pid().to_string()]).status();
        assert!(killed.is_ok_and(|status| status.success()));
        let exit = tui.wait_exit(SCREEN_LIMIT);
        (exit, tui.cooked())
    });
    let (exit, cooked) = person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert_eq!(exit, Some(0), "TERM while attached ends dockdu as q does");
    assert!(cooked, "the terminal is back in its cooked state");
}
