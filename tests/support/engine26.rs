//! Engine 26 beside the machine's engine, twice: with the graph driver and with the containerd
//! image store, both from `.ci/engines` (the script a developer uses too), started here when
//! they are not running yet. `.ci/run` stops them at the end; a developer runs
//! `.ci/engines stop`.

use std::process::Command;
use std::sync::OnceLock;

use bollard::{Docker, API_DEFAULT_VERSION};

pub struct Engines26 {
    /// `unix://…` of the daemon with the graph driver (fuse-overlayfs).
    pub graph: String,
    /// `unix://…` of the daemon with the containerd image store (native snapshotter).
    pub containerd: String,
}

/// Both daemons, answering. Panics with the script's words when they cannot be started.
pub fn engines() -> &'static Engines26 {
    static ENGINES: OnceLock<Engines26> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/engines");
        let output = Command::new("bash").args([script, "start"]).output().expect("running .ci/engines");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "Engine 26 did not start (`.ci/engines start`, which needs root and Debian's package \
             archive): {}{stdout}",
            String::from_utf8_lossy(&output.stderr)
        );
        let value = |key: &str| {
            stdout
                .lines()
                .find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
                .unwrap_or_else(|| panic!("no {key} in what .ci/engines printed: {stdout}"))
                .to_owned()
        };
        Engines26 { graph: value("DOCKDU_ENGINE_26_GRAPH"), containerd: value("DOCKDU_ENGINE_26_CONTAINERD") }
    })
}

/// A bollard client for the engine at `host` (`unix://…`).
pub fn docker(host: &str) -> Docker {
    let socket = host.strip_prefix("unix://").unwrap_or_else(|| panic!("not a unix socket: {host}"));
    Docker::connect_with_unix(socket, 120, API_DEFAULT_VERSION)
        .unwrap_or_else(|e| panic!("connecting to Engine 26 at {host}: {e}"))
}
