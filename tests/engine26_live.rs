//! Engine 26 (API 1.45) beside the machine's engine, with the graph driver and with the
//! containerd image store (`support::engine26`, from `.ci/engines`): what only these engines
//! show. The number suites also run whole against each of them (`.ci/engines suites`).
//!
//! - On the containerd store, the engine's `LayersSize` also counts containers' snapshots
//!   (moby#52901, fixed in 29.6): dockdu's images total is the images' sizes with each shared
//!   layer once, and says so; a running container's snapshot is measured here and equals the
//!   engine's `SizeRw`, and looking inside walks it.
//! - From API 1.42, nothing dockdu does sends an untyped `/system/df` (which measures every
//!   layer and volume): the request log proves it, in the report, a prune preview and the
//!   explorer.

mod pty;
mod support;

use std::time::Duration;

use bollard::models::{ContainerCreateBody, HostConfig};
use serde_json::Value;

use support::engine26;
use support::Scenario;

const SCREEN_LIMIT: Duration = Duration::from_secs(30);

async fn dockdu(host: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--host", host];
    all.extend_from_slice(args);
    support::dockdu(&all).await
}

fn log_path(s: &Scenario, what: &str) -> String {
    std::env::temp_dir().join(format!("{}-{what}.log", s.run_id)).display().to_string()
}

/// The `/system/df` requests a request log records.
fn disk_usage_requests(log: &str) -> Vec<String> {
    let text = std::fs::read_to_string(log).unwrap_or_else(|e| panic!("reading the request log {log}: {e}"));
    let _ = std::fs::remove_file(log);
    assert!(text.contains("/containers/json"), "the log records requests: {text}");
    text.lines().filter(|l| l.contains("/system/df")).map(str::to_owned).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_containerd_store_the_images_total_is_proven_and_a_running_containers_snapshot_is_measured_here(
) {
    let host = &engine26::engines().containerd;
    eprintln!("engine under test: Engine 26 with the containerd image store at {host}");
    let s = Scenario::on(engine26::docker(host)).await;
    let writer = s
        .create_container_with(
            "writer",
            ContainerCreateBody {
                cmd: Some(
                    [
                        "sh",
                        "-c",
                        "dd if=/dev/zero of=/blob bs=1000 count=3000 && : > /done && exec sleep 600",
                    ]
                    .map(str::to_owned)
                    .to_vec(),
                ),
                host_config: Some(HostConfig::default()),
                ..Default::default()
            },
        )
        .await;
    s.start(&writer).await;
    s.wait_for_file(&writer, "/done").await;
    // An image on top of the scenario's: the busybox layer is shared by the two.
    let child = s.commit(&writer, "child").await;

    let images_df = support::get_json_on(host, "/system/df?type=image");
    let containers_df = support::get_json_on(host, "/system/df?type=container");
    let log = log_path(&s, "containerd-report");
    let report = support::json_output(&dockdu(host, &["--log", &log, "report", "--json"]).await);

    // The engine's own images, and the one shared layer (every image here shares only
    // busybox's: the scenario images of this engine are all imported from the same rootfs).
    let images = images_df["Images"].as_array().expect("Images");
    let number = |v: &Value, key: &str| v[key].as_u64().unwrap_or_else(|| panic!("{key} in {v}"));
    assert!(images.iter().any(|i| i["Id"] == child.as_str()), "the child is listed: {images_df}");
    let shared: std::collections::BTreeSet<u64> =
        images.iter().map(|i| number(i, "SharedSize")).filter(|n| *n > 0).collect();
    assert_eq!(shared.len(), 1, "one shared layer: {images_df}");
    let sizes: u64 = images.iter().map(|i| number(i, "Size")).sum();
    let shared_sizes: u64 = images.iter().map(|i| number(i, "SharedSize")).sum();
    let expected = sizes - shared_sizes + shared.first().copied().unwrap_or(0);
    let layers_size = number(&images_df, "LayersSize");
    assert!(layers_size > expected, "the engine's own total counts the container's snapshot too");

    let totals = &report["totals"];
    assert_eq!(
        (totals["images_size"].as_u64(), totals["images_size_source"].as_str()),
        (Some(expected), Some("images")),
        "the images' sizes, the shared layer once (LayersSize said {layers_size})"
    );
    let text = dockdu(host, &["report"]).await;
    let text = String::from_utf8_lossy(&text.stdout);
    let line = text.lines().find(|l| l.starts_with("IMAGES")).expect("the images' heading");
    assert!(line.contains("shared layers once"), "{line}");

    // The running container's snapshot, found through its mounts and walked here.
    let engine_rw = containers_df["Containers"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["Id"] == writer.as_str()))
        .map(|c| number(c, "SizeRw"))
        .expect("the writer in /system/df");
    let ours = report["containers"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == writer.as_str()).cloned())
        .expect("the writer in the report");
    assert_eq!(
        (ours["size_rw"].as_u64(), ours["size_source"].as_str()),
        (Some(engine_rw), Some("snapshot")),
        "measured here as containerd counts it: {ours}"
    );
    assert!(engine_rw > 3_000_000 + 1_900_000, "the native snapshot holds the whole root: {engine_rw}");
    let requests = disk_usage_requests(&log);
    assert!(requests.iter().all(|l| l.contains("/system/df?type=")), "{requests:?}");

    // Looking inside walks the same snapshot, the container's changes marked.
    let du = support::json_output(&dockdu(host, &["du", "container", &s.name("writer"), "--json"]).await);
    assert_eq!(du["source"], "snapshot", "{du}");
    let blob =
        du["tree"]["children"].as_array().and_then(|c| c.iter().find(|n| n["name"] == "blob").cloned());
    let blob = blob.unwrap_or_else(|| panic!("no /blob in {}", du["tree"]));
    assert_eq!((blob["size"].as_u64(), blob["change"].as_str()), (Some(3_000_000), Some("added")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_api_1_42_no_untyped_system_df_is_sent_by_the_report_a_prune_or_the_explorer() {
    let engines = engine26::engines();
    for (host, store) in [(&engines.graph, "graph driver"), (&engines.containerd, "containerd image store")] {
        eprintln!("engine under test: Engine 26 with the {store} at {host}");
        let s = Scenario::on(engine26::docker(host)).await;
        let volume = s.create_volume("data").await;
        s.create_container(
            "user",
            &["true"],
            HostConfig { binds: Some(vec![format!("{volume}:/data")]), ..Default::default() },
        )
        .await;
        let log = log_path(&s, "report");
        let report = dockdu(host, &["--log", &log, "report", "--json"]).await;
        support::json_output(&report);
        let log_prune = log_path(&s, "prune");
        let label = format!("label=dockdu.test={}", s.run_id);
        let prune = dockdu(
            host,
            &["--log", &log_prune, "prune", "volumes", "--filter", &label, "--dry-run", "--json"],
        )
        .await;
        support::json_output(&prune);
        for log in [log, log_prune] {
            let requests = disk_usage_requests(&log);
            assert!(requests.iter().all(|l| l.contains("/system/df?type=")), "{store}: {requests:?}");
        }

        // The explorer, as a person uses it: the images' sizes and the build cache come in.
        let log = log_path(&s, "explorer");
        let (host_arg, log_arg, run_id) = (host.clone(), log.clone(), s.run_id.clone());
        let screen = tokio::task::spawn_blocking(move || {
            let args = ["--host", &host_arg, "--log", &log_arg];
            let mut tui = pty::Pty::spawn(env!("CARGO_BIN_EXE_dockdu"), &args, 120, 30);
            tui.wait_for("the images' total and the build cache", SCREEN_LIMIT, |s| {
                let text = s.contents();
                text.contains("Images ")
                    && !text.contains("Images 0 · …")
                    && text.contains("Build cache 0 · 0 B")
            });
            tui.send(format!("5/{run_id}\r").as_bytes());
            tui.wait_for("the scenario's image", SCREEN_LIMIT, |s| s.contents().contains(&run_id));
            let screen = tui.parser.screen().contents();
            tui.send(b"q");
            tui.wait_exit(SCREEN_LIMIT);
            screen
        })
        .await
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
        let requests = disk_usage_requests(&log);
        assert!(requests.iter().all(|l| l.contains("/system/df?type=")), "{store}: {requests:?}\n{screen}");
    }
}
