//! The foundation against a real Docker Engine: negotiation, sizes (measured here), volume
//! ownership both ways, dangling volumes, tmpfs in both syntaxes, bind sources that vanished,
//! anonymous volumes, and `dockdu report` as a process.
//!
//! Each test builds its own `Scenario` (own run id, own labelled objects, removed on drop) and
//! looks only at its own objects: the engine is shared with other tests running in parallel.

mod support;

use std::collections::BTreeMap;

use bollard::models::{ContainerCreateBody, HostConfig, Mount, MountTmpfsOptions, MountType};
use serde_json::Value;

use dockdu::model::{Container, Inventory, MountKind, Volume};
use support::{dockdu, Scenario, MIB};

const KIB: u64 = 1024;

fn container<'a>(inventory: &'a Inventory, name: &str) -> &'a Container {
    inventory.containers.iter().find(|c| c.name == name).unwrap_or_else(|| {
        let names: Vec<_> = inventory.containers.iter().map(|c| &c.name).collect();
        panic!("container {name} missing from the inventory; it has {names:?}")
    })
}

fn volume<'a>(inventory: &'a Inventory, name: &str) -> &'a Volume {
    inventory.volume(name).unwrap_or_else(|| {
        let names: Vec<_> = inventory.volumes.iter().map(|v| &v.name).collect();
        panic!("volume {name} missing from the inventory; it has {names:?}")
    })
}

fn binds(binds: &[&str]) -> HostConfig {
    HostConfig { binds: Some(binds.iter().map(|b| b.to_string()).collect()), ..Default::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn negotiates_the_engines_api_version() {
    let docker = support::connect().await;
    let version = docker.version().await.expect("docker version");
    let engine = support::engine();
    let info = engine.negotiate().await.expect("negotiate");

    let server_api = version.api_version.expect("the engine names its API version");
    let parse = |v: &str| -> (u32, u32) {
        let (major, minor) = v.split_once('.').expect("major.minor");
        (major.parse().expect("major"), minor.parse().expect("minor"))
    };
    assert!(parse(&info.api_version) <= parse(&server_api), "{} > engine's {server_api}", info.api_version);
    if parse(&server_api) <= (1, 53) {
        assert_eq!(info.api_version, server_api, "an engine dockdu can read is spoken to in its own version");
    }
    assert_eq!(Some(info.server_version.as_str()), version.version.as_deref());
    assert_eq!(info.host, support::docker_host());
    assert!(!info.os.is_empty(), "{info:?}");
    // The storage driver and data root come from /info, asked beside the lists, not before them.
    let details = engine.details().await.expect("info");
    let engines_own = docker.info().await.expect("docker info");
    assert!(!details.storage_driver.is_empty());
    assert_eq!(Some(&details.storage_driver), engines_own.driver.as_ref());
    assert_eq!(details.root_dir, engines_own.docker_root_dir, "the engine's DockerRootDir");
    let reported = support::inventory().await.engine;
    assert_eq!((reported.storage_driver, reported.root_dir), (details.storage_driver, details.root_dir));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_containers_writable_layer_shows_the_bytes_it_wrote() {
    let s = Scenario::new().await;
    // Written through the archive call into a container that never ran.
    let uploaded = s.create_container("uploaded", &["true"], HostConfig::default()).await;
    s.put_file(&uploaded, "/tmp", "blob", 3 * MIB).await;
    // Written by the container itself.
    s.run_to_exit(
        "dd",
        &["dd", "if=/dev/zero", "of=/tmp/blob", "bs=1024", "count=2048"],
        HostConfig::default(),
    )
    .await;
    s.create_container("untouched", &["true"], HostConfig::default()).await;

    let inventory = support::inventory().await;
    assert!(inventory.sizes_known);
    for (role, written) in [("uploaded", 3 * MIB), ("dd", 2 * MIB)] {
        let c = container(&inventory, &s.name(role));
        let size_rw = c.size_rw.unwrap_or_else(|| panic!("{role}: no writable size: {c:?}"));
        assert!(size_rw >= written, "{role}: size_rw {size_rw} < {written}");
        let root = c.size_root_fs.unwrap_or_else(|| panic!("{role}: no virtual size: {c:?}"));
        assert!(root >= size_rw, "{role}: size_root_fs {root} < size_rw {size_rw}");
    }
    let untouched = container(&inventory, &s.name("untouched")).size_rw;
    if support::engine_under_test().snapshots() {
        // The native snapshotter's snapshot is a whole copy of the root, and the engine counts it.
        assert!(untouched > Some(MIB), "{untouched:?}");
    } else {
        // The engine leaves SizeRw out when it is zero: zero, not unknown.
        assert_eq!(untouched, Some(0));
    }
    assert!(inventory.totals.containers_size_rw >= 5 * MIB);
    assert!(inventory.totals.containers >= 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_volume_lists_both_containers_with_paths_and_modes() {
    let s = Scenario::new().await;
    let shared = s.create_volume("shared").await;
    let writer = s.create_container("writer", &["sleep", "600"], binds(&[&format!("{shared}:/data")])).await;
    s.start(&writer).await;
    s.create_container("reader", &["true"], binds(&[&format!("{shared}:/ro:ro")])).await;

    let inventory = support::inventory().await;
    let v = volume(&inventory, &shared);
    assert_eq!(v.ref_count, 2);
    assert!(!v.dangling && !v.anonymous);
    assert_eq!(v.labels.get(support::LABEL), Some(&s.run_id));
    let users: Vec<_> =
        v.containers.iter().map(|o| (o.container.as_str(), o.destination.as_str(), o.rw)).collect();
    let (writer_name, reader_name) = (s.name("writer"), s.name("reader"));
    let mut expected = vec![(writer_name.as_str(), "/data", true), (reader_name.as_str(), "/ro", false)];
    expected.sort();
    assert_eq!(users, expected);
    assert_eq!(inventory.ownership.volume_owners(&shared), v.containers.as_slice());

    // And the other way: each container's mounts name the volume.
    for (name, destination, rw) in expected {
        let c = container(&inventory, name);
        let mount = c
            .mounts
            .iter()
            .find(|m| m.name.as_deref() == Some(shared.as_str()))
            .unwrap_or_else(|| panic!("{name} does not list {shared}: {:?}", c.mounts));
        assert_eq!(
            (&mount.kind, mount.destination.as_str(), mount.rw),
            (&MountKind::Volume, destination, rw)
        );
    }
    assert_eq!(container(&inventory, &writer_name).state, dockdu::model::ContainerState::Running);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_volume_left_by_its_only_container_is_dangling_and_reclaimable() {
    let s = Scenario::new().await;
    let left = s.create_volume("left").await;
    let filler = s
        .run_to_exit(
            "filler",
            &["dd", "if=/dev/zero", "of=/v/blob", "bs=1024", "count=100"],
            binds(&[&format!("{left}:/v")]),
        )
        .await;
    s.remove_container(&filler).await;

    let inventory = support::inventory().await;
    let v = volume(&inventory, &left);
    assert!(v.dangling, "{v:?}");
    assert_eq!(v.ref_count, 0);
    assert!(v.containers.is_empty());
    assert!(!v.anonymous);
    let size = v.size.unwrap_or_else(|| panic!("no size for {left}: {v:?}"));
    assert!((100 * KIB..MIB).contains(&size), "size {size} of a volume holding 100 KiB");
    assert!(inventory.totals.dangling_volumes >= 1);
    assert!(inventory.totals.reclaimable_volume_bytes >= size);
    assert!(inventory.totals.volumes_size >= size);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tmpfs_limits_and_modes_come_from_both_syntaxes() {
    let s = Scenario::new().await;
    let flag = HostConfig {
        tmpfs: Some([("/t".to_owned(), "rw,size=16m,mode=1770".to_owned())].into()),
        ..Default::default()
    };
    s.create_container("flag", &["true"], flag).await;
    let mount = HostConfig {
        mounts: Some(vec![Mount {
            target: Some("/t2".to_owned()),
            typ: Some(MountType::TMPFS),
            tmpfs_options: Some(MountTmpfsOptions {
                size_bytes: Some(1_048_576),
                mode: Some(1016),
                ..Default::default()
            }),
            ..Default::default()
        }]),
        ..Default::default()
    };
    s.create_container("mount", &["true"], mount).await;

    let inventory = support::inventory().await;
    let tmpfs = |role: &str| {
        let name = s.name(role);
        let mounts: Vec<_> = inventory.tmpfs_mounts.iter().filter(|t| t.container == name).collect();
        assert_eq!(mounts.len(), 1, "{role}: {mounts:?}");
        &mounts[0].tmpfs
    };
    let t = tmpfs("flag");
    assert_eq!(
        (t.destination.as_str(), t.size_limit, t.mode.as_deref()),
        ("/t", Some(16_777_216), Some("1770"))
    );
    assert!(t.options.iter().any(|o| o == "rw"), "{t:?}");
    let t = tmpfs("mount");
    assert_eq!(
        (t.destination.as_str(), t.size_limit, t.mode.as_deref()),
        ("/t2", Some(1_048_576), Some("1770"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bind_mounts_tell_whether_the_host_folder_still_exists() {
    let s = Scenario::new().await;
    let gone = s.host_dir("gone");
    let kept = s.host_dir("kept");
    let (gone_path, kept_path) = (gone.to_string_lossy().into_owned(), kept.to_string_lossy().into_owned());
    s.create_container(
        "binder",
        &["true"],
        binds(&[&format!("{gone_path}:/b:ro"), &format!("{kept_path}:/k")]),
    )
    .await;
    std::fs::remove_dir(&gone).expect("removing the bound folder");

    let inventory = support::inventory().await;
    let name = s.name("binder");
    let bind = |source: &str| {
        inventory
            .bind_mounts
            .iter()
            .find(|b| b.container == name && b.source == source)
            .unwrap_or_else(|| panic!("no bind of {source} for {name}: {:?}", inventory.bind_mounts))
    };
    let b = bind(&gone_path);
    assert_eq!((b.destination.as_str(), b.rw, b.source_exists), ("/b", false, Some(false)));
    let b = bind(&kept_path);
    assert_eq!((b.destination.as_str(), b.rw, b.source_exists), ("/k", true, Some(true)));
    let owners: Vec<_> =
        inventory.ownership.host_path_owners(&kept_path).iter().map(|o| &o.container).collect();
    assert_eq!(owners, [&name]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_volume_is_reported_anonymous() {
    let s = Scenario::new().await;
    let body = ContainerCreateBody {
        cmd: Some(vec!["true".to_owned()]),
        volumes: Some(vec!["/anon".to_owned()]),
        ..Default::default()
    };
    let id = s.create_container_with("anon", body).await;
    let inspect = s.inspect(&id).await;
    let anon = inspect
        .mounts
        .unwrap_or_default()
        .into_iter()
        .find(|m| m.destination.as_deref() == Some("/anon"))
        .and_then(|m| m.name)
        .expect("the engine made a volume for /anon");

    let inventory = support::inventory().await;
    let v = volume(&inventory, &anon);
    assert!(v.anonymous, "{v:?}");
    assert!(!v.dangling);
    assert_eq!(v.ref_count, 1);
    assert_eq!(v.containers[0].container, s.name("anon"));
    assert_eq!((v.containers[0].destination.as_str(), v.containers[0].rw), ("/anon", true));

    // It carries no label on Engine 20.10, so it goes with its container.
    s.remove_container(&id).await;
    match s.docker.inspect_volume(&anon).await {
        Err(bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }) => {}
        other => panic!("anonymous volume {anon} outlived its container: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_json_agrees_with_the_library() {
    let s = Scenario::new().await;
    let shared = s.create_volume("shared").await;
    let left = s.create_volume("left").await;
    let layer = s.create_container("layer", &["true"], binds(&[&format!("{shared}:/data")])).await;
    s.put_file(&layer, "/tmp", "blob", MIB).await;
    s.create_container("reader", &["true"], binds(&[&format!("{shared}:/ro:ro")])).await;
    let filler = s.create_container("filler", &["true"], binds(&[&format!("{left}:/v")])).await;
    s.put_file(&filler, "/v", "blob", 100 * KIB).await;
    s.remove_container(&filler).await;

    let output = dockdu(&["report", "--json"]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "dockdu report --json failed: {stderr}");
    let json: Value = serde_json::from_slice(&output.stdout).expect("dockdu report --json prints JSON");
    let library = support::inventory().await;

    for (key, fields) in [
        ("engine", &["host", "server_version", "api_version", "os", "storage_driver", "root_dir"][..]),
        (
            "totals",
            &[
                "containers",
                "containers_size_rw",
                "volumes",
                "volumes_size",
                "dangling_volumes",
                "reclaimable_volume_bytes",
            ][..],
        ),
    ] {
        for field in fields {
            assert!(!json[key][field].is_null(), "{key}.{field} missing: {}", json[key]);
        }
    }
    for key in ["containers", "volumes", "bind_mounts", "tmpfs_mounts"] {
        assert!(json[key].is_array(), "{key} is not a list");
    }
    assert_eq!(json["engine"]["host"], support::docker_host());
    assert_eq!(json["engine"]["api_version"], library.engine.api_version);

    let volumes: BTreeMap<&str, &Value> =
        json["volumes"].as_array().unwrap().iter().map(|v| (v["name"].as_str().unwrap(), v)).collect();
    for v in volumes.values() {
        assert_eq!(
            v["ref_count"].as_u64().unwrap() as usize,
            v["containers"].as_array().unwrap().len(),
            "{v}"
        );
    }
    for name in [&shared, &left] {
        let (ours, theirs) = (volume(&library, name), volumes[name.as_str()]);
        assert_eq!(theirs["size"].as_u64(), ours.size, "{name} size");
        assert_eq!(theirs["ref_count"].as_u64(), Some(ours.ref_count as u64), "{name} ref_count");
        assert_eq!(theirs["dangling"].as_bool(), Some(ours.dangling), "{name} dangling");
        assert_eq!(theirs["anonymous"].as_bool(), Some(ours.anonymous), "{name} anonymous");
        let owners: Vec<_> = theirs["containers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["container"].as_str().unwrap(),
                    o["destination"].as_str().unwrap(),
                    o["rw"].as_bool().unwrap(),
                )
            })
            .collect();
        let expected: Vec<_> =
            ours.containers.iter().map(|o| (o.container.as_str(), o.destination.as_str(), o.rw)).collect();
        assert_eq!(owners, expected, "{name} owners");
    }
    assert_eq!(volumes[shared.as_str()]["ref_count"], 2);
    assert_eq!(volumes[left.as_str()]["dangling"], true);
    assert!(volumes[left.as_str()]["size"].as_u64().unwrap() >= 100 * KIB);

    for role in ["layer", "reader"] {
        let name = s.name(role);
        let theirs = json["containers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name.as_str())
            .unwrap_or_else(|| panic!("{name} missing from the JSON"));
        let ours = container(&library, &name);
        assert_eq!(theirs["size_rw"].as_u64(), ours.size_rw, "{name} size_rw");
        assert_eq!(theirs["size_root_fs"].as_u64(), ours.size_root_fs, "{name} size_root_fs");
        assert_eq!(theirs["mounts"].as_array().unwrap().len(), ours.mounts.len(), "{name} mounts");
    }
    assert!(container(&library, &s.name("layer")).size_rw.unwrap() >= MIB);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_host_is_one_line_naming_it() {
    let host = "unix:///nonexistent.sock";
    let output = dockdu(&["--host", host, "report"]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "dockdu succeeded without an engine: {stderr}");
    assert!(output.stdout.is_empty(), "{}", String::from_utf8_lossy(&output.stdout));
    assert_eq!(stderr.trim_end().lines().count(), 1, "not one line: {stderr:?}");
    assert!(stderr.contains(host) && stderr.contains("daemon running"), "{stderr:?}");
    assert!(!stderr.contains("panicked"), "{stderr:?}");
}

/// A tcp:// host reaches the engine too: a loopback port relays to the unix socket, and the
/// report through it names the same containers as the one through the socket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tcp_host_reaches_the_same_engine() {
    let s = Scenario::new().await;
    let name = s.name("over-tcp");
    s.create_container("over-tcp", &["true"], HostConfig::default()).await;

    let relay = support::relay::Relay::tcp().await;
    let host = relay.host();
    let output = dockdu(&["--host", &host, "report", "--json"]).await;
    drop(relay);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).expect("report JSON");
    assert_eq!(json["engine"]["host"], host);
    assert!(json["containers"].as_array().unwrap().iter().any(|c| c["name"] == name.as_str()));
    assert_eq!(
        json["bind_mounts"].as_array().unwrap().iter().filter(|b| !b["source_exists"].is_null()).count(),
        0,
        "over tcp the engine may be elsewhere: host paths are not checked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_names_each_engine_request() {
    // A volume to size: on an empty engine dockdu has no reason to ask for /system/df.
    let s = Scenario::new().await;
    s.create_volume("logged").await;
    let path = std::env::temp_dir().join(format!("{}.log", support::new_run_id()));
    let log = path.to_string_lossy().into_owned();
    // The engine's sizes, so that /system/df is among the requests.
    let output = dockdu(&["--log", &log, "report", "--json", "--engine-sizes"]).await;
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let _ = std::fs::remove_file(&path);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    for request in ["/version", "/containers/json", "/volumes", "/system/df"] {
        assert!(
            text.lines().any(|l| l.contains(request) && l.contains("status=200")),
            "{request} not logged:\n{text}"
        );
    }
}
