//! The real binary in a pseudo-terminal against the real engine, used as a person would: `x` on
//! a running container refuses under `--read-only`, and without it stops the container after the
//! confirmation, the row turning to exited from the engine's events; `L` on a container printing
//! numbered lines shows the last ones, then a new one arriving while it follows, `/` finds a line
//! above, `Esc` comes back to the same row.

mod pty;
mod support;

use std::time::Duration;

use bollard::models::HostConfig;
use dockdu::model::logs::LogsFrom;
use pty::has_line_with;
use support::Scenario;

const SCREEN_LIMIT: Duration = Duration::from_secs(30);
const DOCKDU: &str = env!("CARGO_BIN_EXE_dockdu");

/// Runs until stopped, and ends at once on SIGTERM.
const SERVER: &str = "trap 'exit 0' TERM; while true; do sleep 0.1; done";

/// The engine's own word for the container's state.
async fn state(s: &Scenario, id: &str) -> String {
    let status = s.inspect(id).await.state.and_then(|state| state.status);
    status.map(|status| status.to_string()).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn x_is_refused_read_only_and_otherwise_stops_the_container_after_a_confirmation() {
    let s = Scenario::new().await;
    let id = s.create_container("stopme", &["sh", "-c", SERVER], HostConfig::default()).await;
    s.start(&id).await;
    let (name, run_id) = (s.name("stopme"), s.run_id.clone());
    let person = tokio::task::spawn_blocking(move || {
        let filter = format!("/{run_id}\r");
        let mut tui = pty::Pty::spawn(DOCKDU, &["--read-only"], 120, 40);
        tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
        tui.send(filter.as_bytes());
        tui.wait_for("the running container", SCREEN_LIMIT, |s| has_line_with(s, &[&name, "running"]));
        tui.send(b"x");
        tui.wait_for("the read-only notice", SCREEN_LIMIT, |s| {
            s.contents().contains("read-only mode: controlling containers is disabled")
        });
        tui.send(b"q");
        assert_eq!(tui.wait_exit(SCREEN_LIMIT), Some(0));

        let mut tui = pty::Pty::spawn(DOCKDU, &[], 120, 40);
        tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
        tui.send(filter.as_bytes());
        tui.wait_for("the running container", SCREEN_LIMIT, |s| has_line_with(s, &[&name, "running"]));
        tui.send(b"x");
        tui.wait_for("the menu of what applies", SCREEN_LIMIT, |s| {
            has_line_with(s, &[&format!("{name} (running)")]) && has_line_with(s, &["t  stop"])
        });
        assert!(
            !tui.parser.screen().contents().contains("s  start"),
            "a running container is not offered a start"
        );
        tui.send(b"t");
        tui.wait_for("the confirmation naming it", SCREEN_LIMIT, |s| {
            s.contents().contains(&format!("Stop container {name}?"))
        });
        tui.send(b"y");
        tui.wait_for("the row exited, from the engine's events", SCREEN_LIMIT, |s| {
            has_line_with(s, &[&name, "exited"]) && !s.contents().contains("Stop container")
        });
        tui.send(b"q");
        tui.wait_exit(SCREEN_LIMIT)
    });
    let exit = person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert_eq!(exit, Some(0));
    assert_eq!(state(&s, &id).await, "exited", "the engine says so too");
}

/// line-1…line-1500, then waits for /tmp/go and prints one more line.
const NUMBERED: &str = "i=0; while [ $i -lt 1500 ]; do i=$((i+1)); echo line-$i; done; \
    while [ ! -e /tmp/go ]; do sleep 0.1; done; echo line-after-go; \
    trap 'exit 0' TERM; while true; do sleep 0.1; done";

#[tokio::test(flavor = "multi_thread")]
async fn l_shows_the_last_lines_then_a_new_one_while_following_and_slash_finds_one() {
    let s = Scenario::new().await;
    let id = s.create_container("numbers", &["sh", "-c", NUMBERED], HostConfig::default()).await;
    s.start(&id).await;
    // All 1,500 lines are written before the view opens, so it shows exactly the last 1,000.
    let mut log = support::engine().follow_logs(&id, &LogsFrom::Tail(1)).await.expect("the log opens");
    loop {
        let line = tokio::time::timeout(SCREEN_LIMIT, log.next()).await.expect("line-1500 never came");
        if line.expect("the log ended").expect("the log broke").text == "line-1500" {
            break;
        }
    }
    drop(log);
    let (name, run_id) = (s.name("numbers"), s.run_id.clone());
    let (following, go) = std::sync::mpsc::channel::<()>();
    let (written, written_seen) = tokio::sync::oneshot::channel::<()>();
    let person = tokio::task::spawn_blocking(move || {
        let mut tui = pty::Pty::spawn(DOCKDU, &[], 120, 40);
        tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
        tui.send(format!("/{run_id}\r").as_bytes());
        tui.wait_for("the running container", SCREEN_LIMIT, |s| has_line_with(s, &[&name, "running"]));
        tui.send(b"L");
        let title = format!("log {name} · following");
        tui.wait_for("the last lines, following", SCREEN_LIMIT, |s| {
            let text = s.contents();
            text.contains(&title) && has_line_with(s, &["line-1500"]) && text.contains("1000 lines")
        });
        let _ = written.send(());
        go.recv_timeout(SCREEN_LIMIT).expect("the new line was not asked for");
        tui.wait_for("the new line, while following", SCREEN_LIMIT, |s| {
            s.contents().contains(&title) && has_line_with(s, &["line-after-go"])
        });
        tui.send(b"/line-1234\r");
        tui.wait_for("the line found, the view paused on it", SCREEN_LIMIT, |s| {
            let text = s.contents();
            has_line_with(s, &["line-1234"])
                && text.contains("/line-1234  1/1")
                && text.contains(&format!("log {name} · paused at line"))
        });
        tui.send(b"\x1b");
        tui.wait_for("the Containers panel on the same row", SCREEN_LIMIT, |s| {
            let text = s.contents();
            !text.contains("┌ log ")
                && text.contains("Containers by")
                && has_line_with(s, &[&name, "running"])
        });
        tui.send(b"q");
        tui.wait_exit(SCREEN_LIMIT)
    });
    if tokio::time::timeout(SCREEN_LIMIT * 3, written_seen).await.is_ok() {
        s.put_file(&id, "/tmp", "go", 0).await;
        let _ = following.send(());
    }
    let exit = person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert_eq!(exit, Some(0));
}

/// A measure, not a check (`cargo test --test controls_tui_live -- --ignored --nocapture`): a
/// container writing `CHATTY_LINES` lines every 0.1 s (default 1,000: about 10,000 a second), its
/// log open and following in dockdu; how fast the lines really come, how long typed keys take to
/// show, and dockdu's CPU and memory meanwhile.
#[tokio::test(flavor = "multi_thread")]
#[ignore]
async fn measure_a_chatty_containers_log() {
    let per_tick: u32 = std::env::var("CHATTY_LINES").ok().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let script = format!(
        "i=0; while true; do j=0; while [ $j -lt {per_tick} ]; do j=$((j+1)); i=$((i+1)); \
         echo \"line-$i GET /api/items?page=$j 200 1.2ms\"; done; sleep 0.1; done"
    );
    let s = Scenario::new().await;
    let id = s.create_container("chatty", &["sh", "-c", &script], HostConfig::default()).await;
    s.start(&id).await;
    let (name, run_id) = (s.name("chatty"), s.run_id.clone());
    let person = tokio::task::spawn_blocking(move || {
        let mut tui = pty::Pty::spawn(DOCKDU, &[], 120, 40);
        tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
        tui.send(format!("/{run_id}\r").as_bytes());
        tui.wait_for("the running container", SCREEN_LIMIT, |s| has_line_with(s, &[&name, "running"]));
        tui.send(b"L");
        tui.wait_for("its log, dropping old lines", SCREEN_LIMIT, |s| s.contents().contains("dropped"));
        let seen = |tui: &pty::Pty| {
            let text = tui.parser.screen().contents();
            let dropped =
                text.split("the oldest ").nth(1).and_then(|r| r.split(' ').next()?.parse::<u64>().ok());
            dropped.unwrap_or(0) + 10_000
        };
        tui.drain();
        let (lines_before, cpu_before, at) =
            (seen(&tui), pty::cpu_time(tui.pid()), std::time::Instant::now());
        let window = Duration::from_secs(10);
        while at.elapsed() < window {
            tui.drain();
            std::thread::sleep(Duration::from_millis(50));
        }
        tui.drain();
        let elapsed = at.elapsed().as_secs_f64();
        let rate = (seen(&tui) - lines_before) as f64 / elapsed;
        let cpu = (pty::cpu_time(tui.pid()) - cpu_before).as_secs_f64() / elapsed * 100.0;
        // Keys while following: a search typed letter by letter, each timed to the frame that shows it.
        let mut typed = String::from("/");
        let mut delays = Vec::new();
        for c in "/line-4242".chars() {
            if c != '/' {
                typed.push(c);
            }
            let sent = tui.send(c.to_string().as_bytes());
            let shown = tui.wait_for("the typed key", SCREEN_LIMIT, |s| s.contents().contains(&typed));
            delays.push(shown.saturating_duration_since(sent));
        }
        tui.send(b"\x1b");
        tui.wait_for("the search cleared", SCREEN_LIMIT, |s| s.contents().contains("/ to search"));
        let sent = tui.send(b"\x1b");
        let closed = tui.wait_for("the view closed", SCREEN_LIMIT, |s| !s.contents().contains("┌ log "));
        delays.push(closed.saturating_duration_since(sent));
        let (rss, peak) = pty::memory(tui.pid());
        tui.send(b"q");
        let exit = tui.wait_exit(SCREEN_LIMIT);
        delays.sort();
        println!(
            "lines arriving: {rate:.0}/s; dockdu CPU while following: {cpu:.1}% of a core; keys to frame: \
             median {:?}, max {:?} ({} keys); RSS {} MiB (peak {} MiB)",
            delays[delays.len() / 2],
            delays[delays.len() - 1],
            delays.len(),
            rss >> 20,
            peak >> 20
        );
        exit
    });
    let exit = person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert_eq!(exit, Some(0));
}
