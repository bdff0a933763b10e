//! A second Docker daemon of the test's own (`support::dockerd`) runs beside the machine's engine
//! with its own data root: what its containers write lands there and nowhere else, the machine's
//! engine never sees them, and once dropped nothing of it is left running or mounted.
//!
//! Like every live test it needs the machine's engine, and fails (never skips) without one.

mod support;

use std::path::{Path, PathBuf};
use std::time::Instant;

use bollard::models::HostConfig;
use bollard::query_parameters::{InspectContainerOptions, ListContainersOptions, LogsOptions};
use futures_util::StreamExt;

use support::dockerd::{self, SecondDockerd};
use support::Scenario;

const LINES: &[&str] = &["first line from the second engine", "second line", "third, and last"];

/// The `log` fields of a json-file log, in order.
fn json_log_lines(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    text.lines()
        .map(|line| {
            let entry: serde_json::Value = serde_json::from_str(line).expect("a json-file log line");
            assert_eq!(entry["stream"], "stdout", "{line}");
            entry["log"].as_str().expect("a log field").to_owned()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_engine_runs_beside_the_machines_with_its_own_root() {
    // Panics with how to start one when the machine's engine does not answer.
    let machine = support::connect().await;
    let machine_info = machine.info().await.expect("the machine's engine's info");
    let machine_root = PathBuf::from(machine_info.docker_root_dir.clone().expect("its root dir"));

    let started = Instant::now();
    let second = SecondDockerd::start(&support::new_run_id());
    eprintln!("the second dockerd answered in {:?}", started.elapsed());
    let (socket, data_root, exec_root, pid) =
        (second.socket(), second.data_root().to_owned(), second.exec_root().to_owned(), second.pid());
    assert!(!data_root.starts_with(&machine_root) && !machine_root.starts_with(&data_root));
    let containerds: Vec<_> = dockerd::processes_naming(&exec_root)
        .into_iter()
        .filter(|(_, args)| args.first().is_some_and(|program| program.ends_with("containerd")))
        .collect();
    assert_eq!(
        containerds.len(),
        1,
        "one containerd of its own under {}: {containerds:?}",
        exec_root.display()
    );

    let info = second.docker().info().await.expect("the second engine's info");
    assert_eq!(info.docker_root_dir.as_deref(), Some(data_root.to_str().expect("a UTF-8 path")));
    assert_eq!(info.driver.as_deref(), Some("fuse-overlayfs"));
    assert_ne!(info.id, machine_info.id, "both engines report the same engine ID");

    {
        // Dropped before the engine it cleans up on.
        let scenario = Scenario::on(second.docker()).await;
        let script: String = LINES.iter().map(|line| format!("echo '{line}'; ")).collect();
        let id = scenario.run_to_exit("echo", &["sh", "-c", &script], HostConfig::default()).await;

        let options = LogsOptions { stdout: true, stderr: true, ..Default::default() };
        let mut logs = scenario.docker.logs(&id, Some(options));
        let mut read = Vec::new();
        while let Some(chunk) = logs.next().await {
            read.extend_from_slice(&chunk.expect("the container's logs").into_bytes());
        }
        let expected: String = LINES.iter().map(|line| format!("{line}\n")).collect();
        assert_eq!(String::from_utf8_lossy(&read), expected, "docker logs through bollard");

        let log_file = data_root.join("containers").join(&id).join(format!("{id}-json.log"));
        assert_eq!(json_log_lines(&log_file), expected.split_inclusive('\n').collect::<Vec<_>>());
        let inspected = scenario.inspect(&id).await;
        assert_eq!(inspected.log_path.as_deref(), log_file.to_str());

        // The machine's engine still answers, and knows nothing of it.
        machine.ping().await.expect("the machine's engine answers while the second runs");
        let filters = std::collections::HashMap::from([("id".to_owned(), vec![id.clone()])]);
        let options = ListContainersOptions { all: true, filters: Some(filters), ..Default::default() };
        let listed = machine.list_containers(Some(options)).await.expect("the machine's containers");
        assert!(listed.is_empty(), "the machine's engine lists the second's container: {listed:?}");
        let inspect = machine.inspect_container(&id, None::<InspectContainerOptions>).await;
        assert!(inspect.is_err(), "the machine's engine knows container {id}");
        assert!(!machine_root.join("containers").join(&id).exists());
    }

    let stopping = Instant::now();
    drop(second);
    eprintln!("the second dockerd and what it left were gone in {:?}", stopping.elapsed());
    assert!(!socket.exists(), "{} is still there", socket.display());
    assert!(!dockerd::alive(pid), "dockerd ({pid}) still runs");
    for root in [&data_root, &exec_root] {
        let left = dockerd::processes_naming(root);
        assert!(left.is_empty(), "still running for {}: {left:?}", root.display());
        let mounted = dockerd::mounts_under(root);
        assert!(mounted.is_empty(), "still mounted under {}: {mounted:?}", root.display());
        assert!(!root.exists(), "{} is still there", root.display());
    }

    machine.ping().await.expect("the machine's engine answers after the second stopped");
    let after = machine.info().await.expect("the machine's engine's info");
    assert_eq!(after.id, machine_info.id);
    assert_eq!(after.docker_root_dir, machine_info.docker_root_dir);
}
