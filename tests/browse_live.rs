//! Looking inside on a real engine: `dockdu du` over the same trees by both routes (walked here,
//! and read through the engine's archive stream) must give equal totals, equal to `/system/df`,
//! on every kind of entry the engine counts in its own way; a writable layer's entries carry the
//! marks of what it added, changed and deleted; each name of a hard-linked file shows the file's
//! size, marked, by both routes alike, and its folders count it once; and the helper container
//! that reads a dangling volume is never left behind, whether the read ends, is refused or is
//! cancelled.

mod support;

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use bollard::models::{ContainerCreateBody, HostConfig};
use serde_json::Value;

use support::Scenario;

/// Every kind of entry under `$ROOT`; `$1` is how many small files.
const ENTRIES: &str = r#"
set -e
R=$ROOT
busybox mkdir -p $R/many $R/closed $R/deep/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p $R/logs
busybox dd if=/dev/zero of=$R/logs/big.log bs=4096 count=256 2>/dev/null
busybox ln $R/logs/big.log $R/logs/big.log.1
echo hello > $R/original
busybox ln $R/original $R/second-name
busybox ln $R/original $R/deep/a/b/c/third-name
busybox ln -s $R/original $R/link
busybox dd if=/dev/zero of=$R/sparse bs=1 count=1 seek=3000000 2>/dev/null
busybox mkfifo $R/pipe
echo inside > $R/closed/inside
echo bottom > $R/deep/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/bottom
busybox chmod 000 $R/closed
i=0
while [ $i -lt $1 ]; do echo $i > $R/many/$i; i=$((i+1)); done
"#;

const SMALL_FILES: &str = "2000";

/// The size of `logs/big.log`, also named `logs/big.log.1`.
const BIG_LOG: u64 = 1 << 20;

/// A third name of `logs/big.log`, in another folder: in volumes only. Engine 20.10 on
/// fuse-overlayfs counts such an inode once per name in a stopped container's `SizeRw` now and
/// then (2 of 3 runs here; `/a/f` and `/b/g` every time), so the layer keeps its names in one
/// folder; a volume's size is a plain walk of its folder, which counts it once.
const ANOTHER_FOLDER: &str = "busybox mkdir -p $R/old\nbusybox ln $R/logs/big.log $R/old/big.log.2\n";

/// Every entry of `du --json`'s tree by path, with what a person reads of it: kind, size, files,
/// the hard-link mark and the change.
fn entries(tree: &Value) -> std::collections::BTreeMap<String, Value> {
    let mut all = std::collections::BTreeMap::new();
    let mut stack = vec![tree];
    while let Some(node) = stack.pop() {
        let seen =
            serde_json::json!([node["kind"], node["size"], node["files"], node["hard_link"], node["change"]]);
        all.insert(node["path"].as_str().expect("a path").to_owned(), seen);
        stack.extend(node["children"].as_array().into_iter().flatten());
    }
    all
}

/// The names of `big.log` under `folder` (`/` for a volume, `/fixture/` for the layer): each
/// shows the file's size, marked; `logs/` holding two names counts it once, and so does `old/`
/// holding the third where there is one.
fn assert_hard_links(tree: &Value, folder: &str, route: &str) {
    let all = entries(tree);
    let at = |path: &str| {
        all.get(&format!("{folder}{path}")).unwrap_or_else(|| panic!("{route}: no {folder}{path}"))
    };
    let third = all.contains_key(&format!("{folder}old/big.log.2"));
    let names = ["logs/big.log", "logs/big.log.1", "old/big.log.2"];
    for name in names.into_iter().take(if third { 3 } else { 2 }) {
        assert_eq!(at(name), &serde_json::json!(["file", BIG_LOG, 1, true, at(name)[4]]), "{route}: {name}");
    }
    assert_eq!((&at("logs")[1], &at("logs")[2]), (&Value::from(BIG_LOG), &Value::from(2)), "{route}: logs/");
    if third {
        assert_eq!((&at("old")[1], &at("old")[2]), (&Value::from(BIG_LOG), &Value::from(1)), "{route}: old/");
    }
    for name in ["original", "second-name", "deep/a/b/c/third-name"] {
        assert_eq!((&at(name)[1], &at(name)[3]), (&Value::from(6), &Value::from(true)), "{route}: {name}");
    }
    assert_eq!(at("sparse")[3], Value::Null, "{route}: a file with one name has no mark");
}

fn dockdu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockdu")).args(args).output().expect("cannot run dockdu")
}

async fn du(args: &[&str]) -> Value {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let output = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        dockdu(&args)
    })
    .await
    .expect("dockdu");
    assert!(output.status.success(), "dockdu failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("du --json is JSON")
}

/// `/system/df`'s sizes: volumes by name, containers' SizeRw by id.
async fn engine_numbers() -> (Value, Value) {
    let (df, _) = tokio::task::spawn_blocking(support::system_df).await.expect("system df");
    let items = |old: &str, new: &str| df[new]["Items"].as_array().or_else(|| df[old].as_array()).cloned();
    let volumes = items("Volumes", "VolumeUsage").unwrap_or_default();
    let containers = items("Containers", "ContainerUsage").unwrap_or_default();
    (Value::Array(volumes), Value::Array(containers))
}

fn child<'a>(node: &'a Value, name: &str) -> &'a Value {
    node["children"]
        .as_array()
        .and_then(|c| c.iter().find(|n| n["name"] == name))
        .unwrap_or_else(|| panic!("no {name} in {node}"))
}

async fn fill_volume(s: &Scenario, role: &str, keep_writer: bool) -> String {
    let volume = s.create_volume(role).await;
    let script = format!("{ENTRIES}{ANOTHER_FOLDER}");
    let writer = s.run_on_volume(&format!("writes-{role}"), &volume, &script, &[SMALL_FILES]).await;
    if !keep_writer {
        s.remove_container(&writer).await;
    }
    volume
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_routes_give_the_engines_totals_for_volumes_and_a_writable_layer() {
    let s = Scenario::new().await;
    let in_use = fill_volume(&s, "in-use", true).await;
    let dangling = fill_volume(&s, "dangling", false).await;
    // A writable layer with every kind of entry, a hard link to an image file (copies it up), a
    // modified image file and a file deleted from the image (a whiteout).
    let script = format!("{ENTRIES}\nbusybox ln /bin/busybox $R/busybox-again\nbusybox ln -sf /bin/busybox /bin/cat\nrm /bin/sleep\n");
    let layer = s
        .create_container_with(
            "layer",
            ContainerCreateBody {
                cmd: Some(vec!["sh".into(), "-c".into(), script, "entries".into(), SMALL_FILES.into()]),
                env: Some(vec!["ROOT=/fixture".to_owned()]),
                ..Default::default()
            },
        )
        .await;
    s.start(&layer).await;
    assert_eq!(s.wait_exit(&layer).await, 0, "the layer's script failed");

    let (volumes, containers) = engine_numbers().await;
    for volume in [&in_use, &dangling] {
        let engine_size = volumes
            .as_array()
            .and_then(|v| v.iter().find(|v| v["Name"] == volume.as_str()))
            .and_then(|v| v["UsageData"]["Size"].as_u64())
            .expect("/system/df sizes the volume");
        let here = du(&["du", "volume", volume, "--json", "--depth", "30"]).await;
        let through = du(&["du", "volume", volume, "--json", "--depth", "30", "--via-engine"]).await;
        assert_eq!((here["source"].as_str(), through["source"].as_str()), (Some("host"), Some("engine")));
        assert_eq!(here["size"].as_u64(), Some(engine_size), "{volume} measured here vs /system/df");
        assert_eq!(through["size"].as_u64(), Some(engine_size), "{volume} through the engine vs /system/df");
        assert_eq!(here["files"], through["files"], "{volume}: the same entries by both routes");
        assert_eq!(here["target"], serde_json::json!({"kind": "volume", "name": volume}));
        assert!(here["tree"]["files"].as_u64() > Some(2000), "thousands of files");
        // Children biggest first, paths from the root.
        let first = &here["tree"]["children"][0];
        assert_eq!((first["name"].as_str(), first["path"].as_str()), (Some("sparse"), Some("/sparse")));
        assert!(entries(&here["tree"]).contains_key("/old/big.log.2"), "a name in another folder");
        assert_hard_links(&here["tree"], "/", "here");
        assert_hard_links(&through["tree"], "/", "through the engine");
        assert_eq!(entries(&here["tree"]), entries(&through["tree"]), "{volume}: both routes, name by name");
        let shallow = du(&["du", "volume", volume, "--json"]).await;
        assert!(shallow["tree"]["children"][0].get("children").is_none(), "--depth 1 by default");
        assert!(s.helpers_of(volume).await.is_empty(), "no helper container left for {volume}");
    }

    let layer_rw = containers
        .as_array()
        .and_then(|c| c.iter().find(|c| c["Id"] == layer.as_str()))
        .map(|c| c["SizeRw"].as_u64().unwrap_or(0))
        .expect("/system/df lists the container");
    let name = s.name("layer");
    let here = du(&["du", "container", &name, "--json", "--depth", "30"]).await;
    let through = du(&["du", "container", &name, "--json", "--depth", "30", "--via-engine"]).await;
    if support::engine_under_test().snapshots() {
        // A stopped container's containerd snapshot is mounted nowhere: both routes read its
        // changes through the engine, while SizeRw counts the native snapshot's whole root (a
        // running one's is walked here: tests/engine26_live.rs).
        assert_eq!((here["source"].as_str(), through["source"].as_str()), (Some("engine"), Some("engine")));
        assert_eq!(here["size"], through["size"]);
        assert!(here["size"].as_u64() < Some(layer_rw), "{} vs SizeRw {layer_rw}", here["size"]);
    } else {
        assert_eq!(here["size"].as_u64(), Some(layer_rw), "the layer measured here vs SizeRw");
        assert_eq!(through["size"].as_u64(), Some(layer_rw), "the layer through the engine vs SizeRw");
    }
    for tree in [&here["tree"], &through["tree"]] {
        assert_eq!(child(tree, "fixture")["change"], "added");
        let bin = child(tree, "bin");
        assert_eq!(bin["change"], "changed");
        assert_eq!(child(bin, "cat")["change"], "changed", "a modified image file");
        let sleep = child(bin, "sleep");
        assert_eq!((&sleep["change"], sleep["size"].as_u64()), (&Value::from("deleted"), Some(0)));
    }
    // Copied up by a hard link, unchanged: in the layer, though the engine's list of changes
    // leaves it out (so only the walk here sees it).
    if !support::engine_under_test().snapshots() {
        assert_eq!(child(child(&here["tree"], "bin"), "busybox")["change"], "changed");
    }

    assert_hard_links(&here["tree"], "/fixture/", "the layer here");
    assert_hard_links(&through["tree"], "/fixture/", "the layer through the engine");
    let fixture = |tree: &Value| {
        let mut all = entries(tree);
        all.retain(|path, _| path.starts_with("/fixture"));
        // Its other name is /bin/busybox: the walk here marks both, while the engine's archive
        // of /fixture alone cannot know it has another (a layer is read folder by folder).
        let again = all.remove("/fixture/busybox-again").expect("busybox-again");
        (all, again[1].clone())
    };
    let (here_fixture, here_again) = fixture(&here["tree"]);
    let (through_fixture, through_again) = fixture(&through["tree"]);
    assert_eq!(here_fixture, through_fixture, "the layer's /fixture by both routes, name by name");
    assert_eq!(here_again, through_again, "busybox's other name shows its size by both routes");
    if !support::engine_under_test().snapshots() {
        assert_eq!(child(child(&here["tree"], "bin"), "busybox")["size"], here_again);
        assert_eq!(child(child(&here["tree"], "bin"), "busybox")["hard_link"], true);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bind_source_by_both_routes_and_unknown_names_exit_1() {
    let s = Scenario::new().await;
    let dir = s.host_dir("bind");
    std::fs::create_dir_all(dir.join("sub")).expect("sub");
    std::fs::write(dir.join("sub/file"), vec![1u8; 1234]).expect("file");
    std::os::unix::fs::symlink("abc", dir.join("link")).expect("link");
    let path = dir.to_str().expect("a path").to_owned();
    s.create_container(
        "binds",
        &["true"],
        HostConfig { binds: Some(vec![format!("{path}:/b")]), ..Default::default() },
    )
    .await;
    let here = du(&["du", "bind", &path, "--json"]).await;
    let through = du(&["du", "bind", &path, "--json", "--via-engine"]).await;
    assert_eq!(here["size"].as_u64(), Some(1237));
    assert_eq!((through["size"].as_u64(), through["source"].as_str()), (Some(1237), Some("engine")));

    let missing = s.name("no-such-volume");
    let output =
        tokio::task::spawn_blocking(move || dockdu(&["du", "volume", &missing])).await.expect("dockdu");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no such volume"), "{output:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_helper_container_is_refused_in_read_only_and_never_left_behind() {
    let s = Scenario::new().await;
    let volume = fill_volume(&s, "dangling", false).await;
    let args_volume = volume.clone();
    let output = tokio::task::spawn_blocking(move || {
        dockdu(&["--read-only", "du", "volume", &args_volume, "--via-engine"])
    })
    .await
    .expect("dockdu");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("--read-only"), "{output:?}");
    assert!(s.helpers_of(&volume).await.is_empty());

    // Cancelled while it reads: the helper goes anyway.
    let engine = support::engine();
    let target = dockdu::tasks::browse::Target::Volume(volume.clone());
    let cleanup = dockdu::tasks::cleanup::Cleanup::default();
    let task = {
        let cleanup = cleanup.clone();
        tokio::spawn(async move {
            dockdu::tasks::browse::measure(&engine, &target, true, Box::new(|_| {}), &cleanup).await
        })
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = false;
    while !task.is_finished() && Instant::now() < deadline {
        if !s.helpers_of(&volume).await.is_empty() {
            seen = true;
            break;
        }
    }
    task.abort();
    let _ = task.await;
    // What the read left to clean up is done once its owner's cleanup has finished.
    assert!(cleanup.finish(Duration::from_secs(20)).await, "the helper's removal did not end");
    assert!(s.helpers_of(&volume).await.is_empty(), "the helper container outlived the cancelled read");
    eprintln!("helper seen before the cancel: {seen}");
}

/// A helper made from an image that declares a `VOLUME` gets an anonymous volume at create; its
/// removal takes that with it, and never the volume it was made to read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_helper_leaves_no_anonymous_volume_of_its_image_and_keeps_the_one_it_read() {
    let s = Scenario::new().await;
    let volume = s.create_volume("read").await;
    let tag = s.name("declares");
    let options = bollard::query_parameters::CreateImageOptions {
        from_src: Some("-".to_owned()),
        repo: Some("dockdu-test/busybox".to_owned()),
        tag: Some(tag.clone()),
        changes: vec![format!("LABEL dockdu.test={}", s.run_id), "VOLUME /declared".to_owned()],
        ..Default::default()
    };
    let body = bollard::body_full(support::file_tar("x", 1).into());
    let mut progress = s.docker.create_image(Some(options), Some(body), None);
    while let Some(step) = futures_util::StreamExt::next(&mut progress).await {
        step.expect("importing an image that declares a volume");
    }
    let image = format!("dockdu-test/busybox:{tag}");
    let engine = support::engine();
    let id = engine.create_helper(&s.name("helper"), &image, &volume).await.expect("the helper");
    let inspected = s.inspect(&id).await;
    let anonymous: Vec<String> = inspected
        .mounts
        .unwrap_or_default()
        .into_iter()
        .filter(|m| m.destination.as_deref() == Some("/declared"))
        .filter_map(|m| m.name)
        .collect();
    assert_eq!(anonymous.len(), 1, "the image's VOLUME made one at create");
    engine.remove_helper(&id).await.expect("removing the helper");
    let left = s.docker.inspect_volume(&anonymous[0]).await.is_ok();
    if left {
        // Not labelled, so the scenario would not find it: removed here before failing.
        let _ = s
            .docker
            .remove_volume(&anonymous[0], None::<bollard::query_parameters::RemoveVolumeOptions>)
            .await;
    }
    assert!(!left, "the helper's anonymous volume {} was left behind", anonymous[0]);
    s.docker.inspect_volume(&volume).await.expect("the volume it read is kept");
    let _ = s.docker.remove_image(&image, None::<bollard::query_parameters::RemoveImageOptions>, None).await;
}

/// An anonymous volume is found back by a unique prefix of its name, as `report` and the
/// explorer show it cut (`52184f5b67bb…`); a prefix that fits two exits 1 naming both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn du_takes_an_anonymous_volume_by_a_unique_prefix_and_names_both_of_an_ambiguous_one() {
    let s = Scenario::new().await;
    let shared = format!("{:08x}", support::rand_u64() as u32);
    let first = s.create_anonymous_looking_volume(&format!("{shared}a")).await;
    let second = s.create_anonymous_looking_volume(&format!("{shared}b")).await;
    let unique = &first[..shared.len() + 4];
    let found = du(&["du", "volume", unique, "--json"]).await;
    assert_eq!(found["target"]["name"], Value::from(first.as_str()), "the prefix names the whole volume");

    let prefix = shared.clone();
    let output =
        tokio::task::spawn_blocking(move || dockdu(&["du", "volume", &prefix])).await.expect("dockdu");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&first) && stderr.contains(&second), "both candidates named: {stderr}");
}
