//! The real binary in a real pseudo-terminal (tmux) against the real engine, used as a person
//! would: look for a labelled container and its size, switch to Volumes, see the owner, quit.

mod support;

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use bollard::models::HostConfig;
use support::Scenario;

const SCREEN_TIMEOUT: Duration = Duration::from_secs(30);

/// A private tmux server for one test, killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(socket: String, program: &str, width: u16, height: u16) -> Tmux {
        let tmux = Tmux { socket };
        let (width, height) = (width.to_string(), height.to_string());
        // remain-on-exit keeps the pane after dockdu quits so its exit status can be read.
        let output = tmux.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            &width,
            "-y",
            &height,
            program,
            ";",
            "set-option",
            "-t",
            "t",
            "remain-on-exit",
            "on",
        ]);
        assert!(output.status.success(), "tmux failed to start: {}", String::from_utf8_lossy(&output.stderr));
        tmux
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("running tmux (bash .ci/run installs it)")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }

    /// Polls the screen until `seen` holds, at most SCREEN_TIMEOUT.
    fn wait_for(&self, what: &str, seen: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if seen(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < SCREEN_TIMEOUT,
                "waited {SCREEN_TIMEOUT:?} for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn exit_status(&self) -> Option<String> {
        let out = self.run(&["display-message", "-p", "-t", "t", "#{pane_dead} #{pane_dead_status}"]);
        let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        text.strip_prefix("1 ").map(str::to_owned)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_container_and_its_volume_show_with_sizes_and_owners_live_then_q_quits() {
    let scenario = Scenario::new().await;
    let volume = scenario.create_volume("data").await;
    let host_config = HostConfig { binds: Some(vec![format!("{volume}:/data")]), ..Default::default() };
    let container = scenario.create_container("owner", &["sleep", "600"], host_config).await;
    scenario.put_file(&container, "/", "layer.bin", 2 << 20).await;
    let owner = scenario.name("owner");

    let tmux = Tmux::start(format!("dockdu-{}", scenario.run_id), env!("CARGO_BIN_EXE_dockdu"), 120, 40);
    tmux.wait_for("the first frame", |s| s.contains("Containers"));
    // The engine is shared: filter to this test's objects, as a person on a busy host would.
    tmux.keys(&["/", &scenario.run_id, "Enter"]);
    tmux.wait_for("the container with its writable size", |screen| {
        screen.lines().any(|line| line.contains(&owner) && line.contains("2 MiB"))
    });

    tmux.keys(&["2", "/", &scenario.run_id, "Enter"]);
    let screen = tmux.wait_for("the volume with its owner", |screen| {
        screen.contains("Volumes by") && screen.contains(&volume) && screen.contains("used by (1)")
    });
    assert!(
        screen.lines().any(|line| line.contains(&owner) && line.contains("/data (rw)")),
        "the owner and its mount path are in the detail pane:\n{screen}"
    );

    // Live: a second owner created behind dockdu's back shows up without a key press.
    let host_config = HostConfig { binds: Some(vec![format!("{volume}:/more:ro")]), ..Default::default() };
    scenario.create_container("second", &["sleep", "600"], host_config).await;
    let second = scenario.name("second");
    tmux.wait_for("the new owner, from the event stream", |screen| {
        screen.contains("used by (2)")
            && screen.lines().any(|line| line.contains(&second) && line.contains("/more (ro)"))
    });

    tmux.keys(&["q"]);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = tmux.exit_status() {
            break status;
        }
        assert!(start.elapsed() < SCREEN_TIMEOUT, "dockdu did not exit after q:\n{}", tmux.screen());
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status, "0", "dockdu exits with status 0 on q");
}
