//! Against the real engine: a running container's tmpfs shows what it holds in RAM, and binds
//! that hand the host to a container are flagged, through `dockdu report` as a process.

mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bollard::models::HostConfig;
use serde_json::Value;

use support::{dockdu, Scenario};

const KIB: u64 = 1024;

async fn report_json() -> Value {
    let output = dockdu(&["report", "--json"]).await;
    assert!(
        output.status.success(),
        "dockdu report --json failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("dockdu report --json prints JSON")
}

fn entries<'a>(json: &'a Value, list: &str, container: &str) -> Vec<&'a Value> {
    json[list].as_array().expect("a list").iter().filter(|m| m["container"] == container).collect()
}

fn tmpfs_at(destination: &str) -> HostConfig {
    HostConfig {
        tmpfs: Some(HashMap::from([(destination.to_owned(), "size=4m".to_owned())])),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_containers_tmpfs_shows_the_bytes_written_into_it() {
    let s = Scenario::new().await;
    let cmd = ["sh", "-c", "dd if=/dev/zero of=/t/f bs=1024 count=512 && sleep 600"];
    let writer = s.create_container("writer", &cmd, tmpfs_at("/t")).await;
    s.create_container("idle", &["true"], tmpfs_at("/t")).await;
    s.start(&writer).await;

    // dd runs after the start returns: poll, with a bound, until its 512 KiB show.
    let deadline = Instant::now() + Duration::from_secs(30);
    let (json, mount) = loop {
        let json = report_json().await;
        let mount = entries(&json, "tmpfs_mounts", &s.name("writer"))[0].clone();
        if mount["used"].as_u64().is_some_and(|used| used >= 512 * KIB) || Instant::now() > deadline {
            break (json, mount);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let used = mount["used"].as_u64().unwrap_or_else(|| panic!("no use read: {mount}"));
    assert!((512 * KIB..=4 << 20).contains(&used), "{mount}");
    assert_eq!(mount["used_unknown"], Value::Null);
    assert!(json["totals"]["tmpfs_used"].as_u64().unwrap() >= used, "the total holds it");

    // A container that never ran has a tmpfs that holds nothing, and says so.
    let idle = entries(&json, "tmpfs_mounts", &s.name("idle"))[0];
    assert_eq!((&idle["used"], &idle["used_unknown"]), (&Value::Null, &Value::from("not_running")), "{idle}");

    let text = String::from_utf8_lossy(&dockdu(&["report"]).await.stdout).into_owned();
    let idle = s.name("idle");
    let tmpfs = text.split("TMPFS MOUNTS").nth(1).expect("the tmpfs section");
    let row = tmpfs.lines().find(|l| l.contains(&idle)).expect("the idle row");
    assert!(row.contains("— not running"), "{row}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writable_bind_of_the_engine_socket_is_flagged() {
    let s = Scenario::new().await;
    let binds = ["/var/run/docker.sock:/var/run/docker.sock".to_owned(), "/etc:/host/etc:ro".to_owned()];
    let name = s.name("ci");
    s.create_container("ci", &["true"], HostConfig { binds: Some(binds.to_vec()), ..Default::default() })
        .await;

    let json = report_json().await;
    let binds = entries(&json, "bind_mounts", &name);
    let danger = |source: &str| binds.iter().find(|b| b["source"] == source).map(|b| b["danger"].clone());
    assert_eq!(
        danger("/var/run/docker.sock"),
        Some(serde_json::json!({"kind": "engine_socket", "writable": true})),
        "{binds:?}"
    );
    assert_eq!(danger("/etc"), Some(serde_json::json!({"kind": "host_config", "writable": false})));

    let text = String::from_utf8_lossy(&dockdu(&["report"]).await.stdout).into_owned();
    let row = text.lines().find(|l| l.contains(&format!("{name}:/var/run/docker.sock"))).expect("the row");
    assert!(row.trim_end().ends_with("!! socket"), "{row}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bind_into_the_data_root_the_engine_names_is_flagged_and_the_report_names_the_root() {
    let s = Scenario::new().await;
    let info = s.docker.info().await.expect("docker info");
    let root = info.docker_root_dir.expect("the engine names its DockerRootDir");
    let name = s.name("backup");
    let binds = vec![format!("{root}/volumes:/backup:ro")];
    s.create_container("backup", &["true"], HostConfig { binds: Some(binds), ..Default::default() }).await;

    let json = report_json().await;
    assert_eq!(json["engine"]["root_dir"], root.as_str(), "{}", json["engine"]);
    let binds = entries(&json, "bind_mounts", &name);
    assert_eq!(binds.len(), 1, "{binds:?}");
    assert_eq!(binds[0]["danger"], serde_json::json!({"kind": "engine_data", "writable": false}));
}
