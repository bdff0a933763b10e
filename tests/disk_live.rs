//! `dockdu disk` and the logs it counts, on an engine of the test's own (`support::dockerd`):
//! its data root is the test's to plant leftovers in and to walk independently, and its
//! daemon.json sets no log options, so a container's json-file log has no bound unless the
//! container asks for one.
//!
//! Like every live test it needs the machine's engine, and fails (never skips) without one.

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bollard::models::{ContainerCreateBody, HostConfig, HostConfigLogConfig};
use bollard::query_parameters::{ListContainersOptions, LogsOptions};
use futures_util::StreamExt;
use serde_json::Value;

use support::dockerd::SecondDockerd;
use support::process::POLL;
use support::{dockdu, json_output, Scenario};

/// The longest a container may take to have written what it prints.
const LOG_WRITTEN: Duration = Duration::from_secs(60);
/// How many times the root is walked and reconciled before a difference counts: the engine may
/// write between the walks.
const ATTEMPTS: usize = 5;

/// What the busybox image runs to print `1`…`n`, one a line.
fn count_to(n: u32) -> String {
    format!("busybox seq 1 {n}")
}

/// A container that prints 1…3000 to a json-file log rotated at `max_size` × `max_file`, run
/// until it exits.
async fn run_to_exit_rotated(s: &Scenario, role: &str, max_size: &str, max_file: &str) -> String {
    let options = HashMap::from([
        ("max-size".to_owned(), max_size.to_owned()),
        ("max-file".to_owned(), max_file.to_owned()),
    ]);
    let body = ContainerCreateBody {
        cmd: Some(vec!["sh".to_owned(), "-c".to_owned(), count_to(3_000)]),
        host_config: Some(HostConfig {
            log_config: Some(HostConfigLogConfig {
                typ: Some("json-file".to_owned()),
                config: Some(options),
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let id = s.create_container_with(role, body).await;
    s.start(&id).await;
    assert_eq!(s.wait_exit(&id).await, 0);
    id
}

/// A container whose logging driver is `none`, run until it exits.
async fn run_to_exit_without_log(s: &Scenario) -> String {
    let body = ContainerCreateBody {
        cmd: Some(vec!["sh".to_owned(), "-c".to_owned(), "echo into the void".to_owned()]),
        host_config: Some(HostConfig {
            log_config: Some(HostConfigLogConfig { typ: Some("none".to_owned()), config: None }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let id = s.create_container_with("no-log", body).await;
    s.start(&id).await;
    assert_eq!(s.wait_exit(&id).await, 0);
    id
}

/// 64 random hex digits, as the engine names a container or a layer folder.
fn random_id() -> String {
    (0..4).map(|_| format!("{:016x}", support::rand_u64())).collect()
}

/// Writes `bytes` non-zero bytes (never sparse) at `path`, creating its folders.
fn plant(path: &Path, bytes: usize) {
    let parent = path.parent().expect("a parent folder");
    std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("creating {}: {e}", parent.display()));
    std::fs::write(path, vec![0xa5u8; bytes]).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

/// One entry as `lstat` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    size: u64,
    disk_usage: u64,
    dir: bool,
}

/// A tree walked here, independently of dockdu, by the engine's rule: `lstat` every entry, stay
/// on the top's filesystem, count the apparent size of every non-directory and the allocated
/// blocks of every inode (directories included), each inode once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Walk {
    size: u64,
    disk_usage: u64,
    /// Entries that are not directories, every name of a hard-linked inode.
    files: u64,
    entries: BTreeMap<PathBuf, Entry>,
    /// Entries on another filesystem, passed over.
    passed_over: BTreeSet<PathBuf>,
}

impl Walk {
    fn of(top: &Path) -> Walk {
        let lstat = |path: &Path| std::fs::symlink_metadata(path);
        let top_meta = lstat(top).unwrap_or_else(|e| panic!("lstat {}: {e}", top.display()));
        let device = top_meta.dev();
        let mut walk = Walk { disk_usage: top_meta.blocks() * 512, ..Default::default() };
        let mut seen = HashSet::from([(top_meta.dev(), top_meta.ino())]);
        let mut pending = vec![top.to_owned()];
        while let Some(dir) = pending.pop() {
            let listing = match std::fs::read_dir(&dir) {
                Ok(listing) => listing,
                // Removed between the listing of its parent and now.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => panic!("reading {}: {e}", dir.display()),
            };
            for entry in listing {
                let path = entry.unwrap_or_else(|e| panic!("reading {}: {e}", dir.display())).path();
                let meta = match lstat(&path) {
                    Ok(meta) => meta,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    Err(e) => panic!("lstat {}: {e}", path.display()),
                };
                if meta.dev() != device {
                    walk.passed_over.insert(path);
                    continue;
                }
                let dir = meta.is_dir();
                if seen.insert((meta.dev(), meta.ino())) {
                    walk.disk_usage += meta.blocks() * 512;
                    if !dir {
                        walk.size += meta.len();
                    }
                }
                if !dir {
                    walk.files += 1;
                }
                walk.entries
                    .insert(path.clone(), Entry { size: meta.len(), disk_usage: meta.blocks() * 512, dir });
                if dir {
                    pending.push(path);
                }
            }
        }
        walk
    }

    /// The log files of the containers `ids` (json-file's `<root>/containers/<id>/<id>-json.log`
    /// and its rotated files): (apparent size, bytes on disk).
    fn logs_of<'a>(&self, root: &Path, ids: impl IntoIterator<Item = &'a String>) -> (u64, u64) {
        let mut total = (0, 0);
        for id in ids {
            let folder = root.join("containers").join(id);
            let prefix = format!("{id}-json.log");
            for (path, entry) in self.entries.range(folder.clone()..) {
                if !path.starts_with(&folder) {
                    break;
                }
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                if path.parent() == Some(folder.as_path()) && !entry.dir && name.starts_with(&prefix) {
                    total.0 += entry.size;
                    total.1 += entry.disk_usage;
                }
            }
        }
        total
    }
}

/// A container's json-file log files as they are now: (apparent size, bytes on disk, files).
fn log_files(root: &Path, id: &str) -> (u64, u64, u64) {
    let folder = root.join("containers").join(id);
    let prefix = format!("{id}-json.log");
    let mut total = (0, 0, 0);
    for entry in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("reading {}: {e}", folder.display())) {
        let entry = entry.expect("a folder entry");
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let meta = std::fs::symlink_metadata(entry.path()).expect("lstat a log file");
            total = (total.0 + meta.len(), total.1 + meta.blocks() * 512, total.2 + 1);
        }
    }
    total
}

/// Waits (bounded) until the json-file log of `id` holds the line `line`.
async fn wait_for_log_line(root: &Path, id: &str, line: &str) {
    let path = root.join("containers").join(id).join(format!("{id}-json.log"));
    let needle = format!("\"log\":\"{line}\\n\"");
    let started = Instant::now();
    loop {
        let text = std::fs::read(&path).unwrap_or_default();
        if String::from_utf8_lossy(&text).contains(&needle) {
            return;
        }
        assert!(
            started.elapsed() < LOG_WRITTEN,
            "{} has no line {line:?} after {LOG_WRITTEN:?}",
            path.display()
        );
        tokio::time::sleep(POLL).await;
    }
}

/// The ids of every container the engine lists, running or not.
async fn listed_containers(docker: &bollard::Docker) -> BTreeSet<String> {
    let options = ListContainersOptions { all: true, ..Default::default() };
    let list = docker.list_containers(Some(options)).await.expect("the second engine's containers");
    list.into_iter().filter_map(|c| c.id).collect()
}

fn number(value: &Value, what: &str) -> u64 {
    value.as_u64().unwrap_or_else(|| panic!("{what} is not a number: {value}"))
}

fn part<'a>(report: &'a Value, kind: &str) -> &'a Value {
    let parts = report["parts"].as_array().expect("parts");
    parts.iter().find(|p| p["kind"] == kind).unwrap_or_else(|| panic!("no part {kind}: {report}"))
}

fn container<'a>(report: &'a Value, id: &str) -> &'a Value {
    let containers = report["containers"].as_array().expect("containers");
    containers.iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no container {id} in the report"))
}

/// Where a disk report and an independent walk of the same root disagree, in words; empty when
/// they agree.
fn disagreements(report: &Value, walk: &Walk) -> Vec<String> {
    let mut found = Vec::new();
    let parts = report["parts"].as_array().expect("parts");
    let sum = |key: &str| parts.iter().map(|p| number(&p[key], key)).sum::<u64>();
    let root = &report["root"];
    let (total, disk_usage) =
        (number(&root["total"], "root.total"), number(&root["disk_usage"], "root.disk_usage"));
    if sum("size") != total {
        found.push(format!("the parts' sizes add up to {}, root.total is {total}", sum("size")));
    }
    if sum("disk_usage") != disk_usage {
        found.push(format!(
            "the parts' disk_usage add up to {}, root.disk_usage is {disk_usage}",
            sum("disk_usage")
        ));
    }
    if total != walk.size {
        found.push(format!("root.total is {total}, the walk here counted {}", walk.size));
    }
    if disk_usage != walk.disk_usage {
        found.push(format!("root.disk_usage is {disk_usage}, the walk here counted {}", walk.disk_usage));
    }
    if sum("files") != walk.files {
        found.push(format!(
            "the parts' files add up to {}, the walk here counted {}",
            sum("files"),
            walk.files
        ));
    }
    found
}

/// `dockdu disk --json` with the walks before and after it, until the root held still across
/// both walks and dockdu agrees with them (at most `ATTEMPTS` times). Returns the last report,
/// the walk, and every disagreement seen on the way.
async fn reconcile_until_still(host: &str, root: &Path) -> (Value, Walk, Vec<String>) {
    let mut seen = Vec::new();
    for attempt in 1..=ATTEMPTS {
        let before = Walk::of(root);
        let report = json_output(&dockdu(&["--host", host, "disk", "--json"]).await);
        let after = Walk::of(root);
        if before != after {
            let changed: Vec<_> = before
                .entries
                .iter()
                .filter(|(path, entry)| after.entries.get(*path) != Some(entry))
                .map(|(path, _)| path.display().to_string())
                .chain(
                    after
                        .entries
                        .keys()
                        .filter(|p| !before.entries.contains_key(*p))
                        .map(|p| p.display().to_string()),
                )
                .collect();
            seen.push(format!("attempt {attempt}: the root changed during the run: {changed:?}"));
            continue;
        }
        let found = disagreements(&report, &after);
        if found.is_empty() {
            return (report, after, seen);
        }
        seen.push(format!("attempt {attempt}: {}", found.join("; ")));
        if attempt == ATTEMPTS {
            return (report, after, seen);
        }
    }
    panic!("the root never held still for a walk, a dockdu run and a walk: {seen:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disk_places_every_byte_of_the_root_names_the_leftovers_and_counts_every_log() {
    let started = Instant::now();
    let second = SecondDockerd::start(&support::new_run_id());
    let (host, root) = (second.host(), second.data_root().to_owned());
    {
        // Dropped before the engine it cleans up on.
        let s = Scenario::on(second.docker()).await;
        let docker = s.docker.clone();

        // A: the daemon's defaults, json-file without max-size: unbounded. Stays running, so its
        // fuse-overlayfs root and its shm are mounted under the root while it is walked.
        let a_script = format!("{}; exec sleep 3600", count_to(20_000));
        let a = s.create_container("unbounded", &["sh", "-c", &a_script], HostConfig::default()).await;
        s.start(&a).await;
        const LAYER_FILE: u64 = 1_234_567;
        s.put_file(&a, "/tmp", "layer.bin", LAYER_FILE).await;

        // B: bounded by its own log options; prints and exits.
        let b = run_to_exit_rotated(&s, "bounded", "1m", "2").await;

        // C: logs nothing anywhere.
        let c = run_to_exit_without_log(&s).await;

        // A named volume holding 250,000 bytes, written through a container.
        const VOLUME_FILE: u64 = 250_000;
        let volume = s.create_volume("data").await;
        let writer = s
            .run_on_volume(
                "writer",
                &volume,
                "dd if=/dev/zero of=\"$ROOT/f\" bs=1000 count=250 2>/dev/null",
                &[],
            )
            .await;

        wait_for_log_line(&root, &a, "20000").await;
        wait_for_log_line(&root, &b, "3000").await;

        // What the engine does not know: planted in its root, each a size of its own.
        let orphan = random_id();
        let removed = random_id();
        let planted: [(PathBuf, PathBuf, u64, &str); 4] = [
            (
                root.join("fuse-overlayfs").join(&orphan),
                PathBuf::from("diff/blob"),
                300_000,
                "orphaned_layer",
            ),
            (
                root.join("containers").join(&removed),
                PathBuf::from(format!("{removed}-json.log")),
                123_456,
                "removed_container",
            ),
            (root.join("volumes").join(s.name("gone")), PathBuf::from("_data/f"), 7_777, "removed_volume"),
            (root.join("tmp").join("leftover"), PathBuf::from("x"), 4_321, "temporary"),
        ];
        for (folder, file, bytes, _) in &planted {
            plant(&folder.join(file), *bytes as usize);
        }
        // A second name for the orphan's blob: its bytes count once, its names twice.
        let blob = planted[0].0.join(&planted[0].1);
        std::fs::hard_link(&blob, blob.with_file_name("blob-again")).expect("a hard link");
        eprintln!("set up in {:?}", started.elapsed());

        // 3. The root reconciled, against a walk of our own.
        let reconciling = Instant::now();
        let (report, walk, seen) = reconcile_until_still(&host, &root).await;
        eprintln!("reconciled in {:?} (on the way: {seen:?})", reconciling.elapsed());
        assert!(
            disagreements(&report, &walk).is_empty(),
            "dockdu disk and the walk here disagree: {seen:#?}\n{report:#}"
        );
        assert_eq!(report["root"]["path"], root.to_str().expect("a UTF-8 root"));
        assert!(
            walk.passed_over.iter().any(|p| p.ends_with("merged")),
            "the running container's fuse-overlayfs root was not passed over: {:?}",
            walk.passed_over
        );
        // dockdu names every folder it passed over, as this walk did.
        let mut passed_over: Vec<String> = walk.passed_over.iter().map(|p| p.display().to_string()).collect();
        passed_over.sort();
        let named: Vec<String> = report["other_filesystems"]
            .as_array()
            .expect("other_filesystems")
            .iter()
            .map(|p| p.as_str().expect("a path").to_owned())
            .collect();
        assert_eq!(named, passed_over, "the folders on other filesystems");

        let unaccounted: BTreeMap<String, (String, u64, u64, u64)> = report["unaccounted"]
            .as_array()
            .expect("unaccounted")
            .iter()
            .map(|u| {
                let path = u["path"].as_str().expect("a path").to_owned();
                let why = u["why"].as_str().expect("a why").to_owned();
                (
                    path,
                    (
                        why,
                        number(&u["size"], "size"),
                        number(&u["disk_usage"], "disk_usage"),
                        number(&u["files"], "files"),
                    ),
                )
            })
            .collect();
        let expected: BTreeMap<String, (String, u64, u64, u64)> = planted
            .iter()
            .map(|(folder, _, bytes, why)| {
                let on_disk = Walk::of(folder).disk_usage;
                let files = if *why == "orphaned_layer" { 2 } else { 1 };
                (folder.display().to_string(), (why.to_string(), *bytes, on_disk, files))
            })
            .collect();
        assert_eq!(unaccounted, expected, "the paths not accounted for: (why, size, disk_usage, files)");
        let unaccounted_part = part(&report, "unaccounted");
        assert_eq!(number(&unaccounted_part["size"], "size"), 300_000 + 123_456 + 7_777 + 4_321);
        assert_eq!(
            number(&unaccounted_part["disk_usage"], "disk_usage"),
            expected.values().map(|(_, _, on_disk, _)| on_disk).sum::<u64>()
        );

        let listed = listed_containers(&docker).await;
        assert_eq!(listed, BTreeSet::from([a.clone(), b.clone(), c.clone(), writer.clone()]));
        let (logs_size, logs_on_disk) = walk.logs_of(&root, &listed);
        let logs_part = part(&report, "container_logs");
        assert_eq!(
            (number(&logs_part["size"], "size"), number(&logs_part["disk_usage"], "disk_usage")),
            (logs_size, logs_on_disk),
            "container_logs against the lstat sizes of every listed container's json-file log"
        );
        // 20,000 lines of at least `{"log":"1\n","stream":"stdout","time":"…"}`.
        assert!(logs_size > 20_000 * 50, "{logs_size}");
        assert!(number(&part(&report, "volumes")["size"], "volumes") >= VOLUME_FILE);
        assert!(number(&part(&report, "container_layers")["size"], "container_layers") >= LAYER_FILE);
        let busybox = std::fs::metadata("/bin/busybox").expect("the host's busybox").len();
        assert!(number(&part(&report, "image_layers")["size"], "image_layers") >= busybox);

        // 4. Each container's log, as the report tells it.
        let report = json_output(&dockdu(&["--host", &host, "report", "--json"]).await);
        let logs = |id: &str| container(&report, id)["logs"].clone();
        let (a_size, a_on_disk, a_files) = log_files(&root, &a);
        let a_logs = logs(&a);
        assert_eq!(
            (&a_logs["driver"], &a_logs["size"], &a_logs["disk_usage"], &a_logs["files"]),
            (&Value::from("json-file"), &Value::from(a_size), &Value::from(a_on_disk), &Value::from(a_files)),
            "A's log: {a_logs}"
        );
        assert_eq!(a_logs["unbounded"], true, "{a_logs}");
        assert!(a_logs["max_size"].is_null(), "{a_logs}");

        let (b_size, b_on_disk, _) = log_files(&root, &b);
        let b_logs = logs(&b);
        assert_eq!(
            (&b_logs["size"], &b_logs["disk_usage"]),
            (&Value::from(b_size), &Value::from(b_on_disk)),
            "{b_logs}"
        );
        assert_eq!(
            (&b_logs["driver"], &b_logs["unbounded"], &b_logs["max_size"], &b_logs["max_file"]),
            (&Value::from("json-file"), &Value::from(false), &Value::from("1m"), &Value::from("2")),
            "B's log: {b_logs}"
        );

        let c_logs = logs(&c);
        assert_eq!(c_logs["driver"], "none", "{c_logs}");
        assert!(c_logs["size"].is_null(), "{c_logs}");
        assert!(c_logs["size_unknown"].as_str().is_some_and(|why| !why.is_empty()), "{c_logs}");
        assert_eq!(c_logs["unbounded"], false, "{c_logs}");

        let containers = report["containers"].as_array().expect("containers");
        let known_sizes: u64 = containers.iter().filter_map(|c| c["logs"]["size"].as_u64()).sum();
        let (writer_size, _, _) = log_files(&root, &writer);
        assert_eq!(known_sizes, a_size + b_size + writer_size);
        assert_eq!(report["totals"]["logs_size"], known_sizes, "{:#}", report["totals"]);
        assert_eq!(report["totals"]["logs_size"], logs_size, "the report's and disk's logs differ");
        // A and the volume's writer log with the daemon's defaults: no max-size.
        let unbounded: BTreeSet<&str> = containers
            .iter()
            .filter(|c| c["logs"]["unbounded"] == true)
            .filter_map(|c| c["id"].as_str())
            .collect();
        assert_eq!(unbounded, BTreeSet::from([a.as_str(), writer.as_str()]));
        assert_eq!(report["totals"]["logs_unbounded"], 2, "{:#}", report["totals"]);

        // 5. The same, for a person.
        let text = dockdu(&["--host", &host, "disk"]).await;
        assert!(text.status.success(), "{}", String::from_utf8_lossy(&text.stderr));
        let text = String::from_utf8_lossy(&text.stdout);
        eprintln!("dockdu disk said:\n{text}");
        for (folder, _, _, _) in &planted {
            assert!(
                text.contains(&*folder.to_string_lossy()),
                "dockdu disk does not name {}:\n{text}",
                folder.display()
            );
        }
        for why in ["orphaned layer", "removed container", "removed volume", "temporary files"] {
            assert!(text.contains(why), "dockdu disk does not say {why:?}:\n{text}");
        }
    }
    drop(second);
    eprintln!("the whole test took {:?}", started.elapsed());
}

/// A container's json-file log files as they are now, by path: (apparent size, inode).
fn log_file_states(root: &Path, id: &str) -> BTreeMap<String, (u64, u64)> {
    let folder = root.join("containers").join(id);
    let prefix = format!("{id}-json.log");
    let listing = std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("reading {}: {e}", folder.display()));
    listing
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.file_name().is_some_and(|name| name.to_string_lossy().starts_with(&prefix)))
        .map(|path| {
            let meta = std::fs::symlink_metadata(&path).expect("lstat a log file");
            (path.display().to_string(), (meta.len(), meta.ino()))
        })
        .collect()
}

fn current_log(root: &Path, id: &str) -> PathBuf {
    root.join("containers").join(id).join(format!("{id}-json.log"))
}

fn size_of(path: &Path) -> u64 {
    std::fs::symlink_metadata(path).unwrap_or_else(|e| panic!("lstat {}: {e}", path.display())).len()
}

/// What the engine's logs call gives for `id` (stdout and stderr), or its error.
async fn engine_logs(docker: &bollard::Docker, id: &str) -> Result<String, bollard::errors::Error> {
    let options = LogsOptions { stdout: true, stderr: true, ..Default::default() };
    let mut stream = docker.logs(id, Some(options));
    let mut read = Vec::new();
    while let Some(chunk) = stream.next().await {
        read.extend_from_slice(&chunk?.into_bytes());
    }
    Ok(String::from_utf8_lossy(&read).into_owned())
}

/// The numbers of the `tick N` lines in a log.
fn ticks(log: &str) -> Vec<u64> {
    log.lines().filter_map(|line| line.strip_prefix("tick ")?.parse().ok()).collect()
}

/// `dockdu logs truncate …` as one JSON document, with its exit code.
async fn truncate_json(host: &str, args: &[&str]) -> (Option<i32>, Value, String) {
    let mut all = vec!["--host", host];
    all.extend_from_slice(args);
    let output = dockdu(&all).await;
    let document = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "dockdu {all:?}: no JSON on stdout ({e}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code(), document, String::from_utf8_lossy(&output.stderr).into_owned())
}

/// Makes a file immutable (`chattr +i`: not even root may write it) until dropped.
struct Immutable(PathBuf);

impl Immutable {
    fn set(path: &Path) -> Immutable {
        let status =
            std::process::Command::new("chattr").arg("+i").arg(path).status().expect("running chattr");
        assert!(status.success(), "chattr +i {} failed", path.display());
        Immutable(path.to_owned())
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        // Else the engine's folders could not be removed after the test.
        let _ = std::process::Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_truncate_frees_a_running_containers_log_and_refuses_what_it_cannot_do() {
    let started = Instant::now();
    let second = SecondDockerd::start(&support::new_run_id());
    let (host, root) = (second.host(), second.data_root().to_owned());
    {
        // Dropped before the engine it cleans up on.
        let s = Scenario::on(second.docker()).await;

        // D: many lines, then one every ~100 ms for as long as it runs; the daemon's defaults
        // (json-file, no bound).
        let d_script = format!(
            "{}; i=0; while true; do i=$((i+1)); echo \"tick $i\"; sleep 0.1; done",
            count_to(20_000)
        );
        let d = s.create_container("ticking", &["sh", "-c", &d_script], HostConfig::default()).await;
        s.start(&d).await;
        let d_name = s.name("ticking");

        // E: rotated at 10 kB into 3 files, then exited: its files hold still.
        let e = run_to_exit_rotated(&s, "rotated", "10k", "3").await;
        let e_name = s.name("rotated");

        // C: logs nothing anywhere.
        run_to_exit_without_log(&s).await;
        let c_name = s.name("no-log");

        wait_for_log_line(&root, &d, "tick 1").await;
        wait_for_log_line(&root, &e, "3000").await;
        let e_files = log_file_states(&root, &e);
        assert_eq!(e_files.len(), 3, "E's log rotated into 3 files: {e_files:?}");
        let d_log = current_log(&root, &d);
        eprintln!("set up in {:?}", started.elapsed());

        // The preview: each file of each log, with its bytes (apparent and on disk).
        let before_preview = size_of(&d_log);
        let (code, preview, stderr) =
            truncate_json(&host, &["logs", "truncate", &d_name, &e_name, "--dry-run", "--json"]).await;
        assert_eq!(code, Some(0), "{stderr}\n{preview:#}");
        assert_eq!(
            (&preview["dry_run"], &preview["outcome"], &preview["refused"]),
            (&Value::from(true), &Value::Null, &Value::Null),
            "{preview:#}"
        );
        let planned: BTreeMap<String, Value> = preview["plan"]["logs"]
            .as_array()
            .expect("plan.logs")
            .iter()
            .map(|file| (file["path"].as_str().expect("a path").to_owned(), file.clone()))
            .collect();
        let mut expected_paths: BTreeSet<String> = e_files.keys().cloned().collect();
        expected_paths.insert(d_log.display().to_string());
        assert_eq!(planned.keys().cloned().collect::<BTreeSet<_>>(), expected_paths, "{preview:#}");
        for (path, file) in &planned {
            let meta = std::fs::symlink_metadata(path).expect("lstat a planned file");
            let current = !path.contains("-json.log.");
            assert_eq!(file["action"], if current { "truncate" } else { "remove" }, "{file}");
            if path.contains(&e) {
                assert_eq!(file["size"], meta.len(), "{file}");
                assert_eq!(file["disk_usage"], meta.blocks() * 512, "{file}");
            } else {
                let planned_size = number(&file["size"], "size");
                assert!(
                    planned_size >= before_preview && planned_size <= meta.len(),
                    "{file}: {before_preview}..{}",
                    meta.len()
                );
                assert!(number(&file["disk_usage"], "disk_usage") > 0, "{file}");
            }
        }
        let after_preview = size_of(&d_log);
        assert!(
            after_preview >= before_preview,
            "--dry-run shrank D's log: {before_preview} → {after_preview}"
        );
        assert_eq!(log_file_states(&root, &e), e_files, "--dry-run changed E's files");

        let text = dockdu(&["--host", &host, "logs", "truncate", &d_name, &e_name, "--dry-run"]).await;
        assert_eq!(text.status.code(), Some(0), "{}", String::from_utf8_lossy(&text.stderr));
        let text = String::from_utf8_lossy(&text.stdout);
        for path in &expected_paths {
            assert!(text.contains(path.as_str()), "the preview does not name {path}:\n{text}");
        }
        assert!(text.contains("on disk"), "the preview does not say the bytes on disk:\n{text}");

        // Refused, with exit code 2 and a reason, changing nothing: read-only mode…
        let before = size_of(&d_log);
        let (code, refused, stderr) =
            truncate_json(&host, &["--read-only", "logs", "truncate", &d_name, &e_name, "--yes", "--json"])
                .await;
        assert_eq!(code, Some(2), "{stderr}\n{refused:#}");
        assert!(refused["refused"].as_str().is_some_and(|why| why.contains("read-only")), "{refused:#}");
        assert!(refused["outcome"].is_null(), "{refused:#}");
        let read_only = dockdu(&["--host", &host, "--read-only", "logs", "truncate", &d_name, "--yes"]).await;
        assert_eq!(read_only.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&read_only.stderr).contains("read-only"), "{read_only:?}");
        assert!(size_of(&d_log) >= before, "--read-only shrank D's log");
        assert_eq!(log_file_states(&root, &e), e_files, "--read-only changed E's files");

        // …a driver that keeps no file…
        let (code, refused, stderr) =
            truncate_json(&host, &["logs", "truncate", &c_name, "--yes", "--json"]).await;
        assert_eq!(code, Some(2), "{stderr}\n{refused:#}");
        assert!(refused["refused"].as_str().is_some_and(|why| why.contains("none")), "{refused:#}");
        assert!(refused["outcome"].is_null(), "{refused:#}");
        assert!(!stderr.trim().is_empty(), "no reason on stderr");

        // …and a file that cannot be written, not even by root.
        let immutable = Immutable::set(&current_log(&root, &e));
        let (code, refused, stderr) =
            truncate_json(&host, &["logs", "truncate", &e_name, "--yes", "--json"]).await;
        drop(immutable);
        assert_eq!(code, Some(2), "{stderr}\n{refused:#}");
        let why = refused["refused"].as_str().unwrap_or_default();
        assert!(why.contains(&*current_log(&root, &e).to_string_lossy()), "{refused:#}");
        assert!(refused["outcome"].is_null(), "{refused:#}");
        assert!(size_of(&d_log) >= before, "a refusal shrank D's log");
        assert_eq!(log_file_states(&root, &e), e_files, "a refusal changed E's files");

        // Confirmed: D's current file cut to 0, E's cut and its rotated files removed.
        let last_tick_before = ticks(&engine_logs(&s.docker, &d).await.expect("D's logs")).into_iter().max();
        let (code, done, stderr) =
            truncate_json(&host, &["logs", "truncate", &d_name, &e_name, "--yes", "--json"]).await;
        let after = size_of(&d_log);
        assert_eq!(code, Some(0), "{stderr}\n{done:#}");
        assert!(done["refused"].is_null(), "{done:#}");
        assert_eq!(done["outcome"]["skipped"], serde_json::json!([]), "{done:#}");
        let touched: BTreeSet<String> = done["outcome"]["removed"]
            .as_array()
            .expect("outcome.removed")
            .iter()
            .map(|r| r["name"].as_str().expect("a name").to_owned())
            .collect();
        assert_eq!(touched, expected_paths, "{done:#}");
        let planned_d = done["plan"]["logs"]
            .as_array()
            .expect("plan.logs")
            .iter()
            .find(|f| f["path"] == d_log.to_str().expect("a UTF-8 path"))
            .map(|f| number(&f["size"], "size"))
            .expect("D's log in the plan");
        assert!(after < planned_d, "D's log is {after} bytes after the truncate, {planned_d} before");
        let e_now = log_file_states(&root, &e);
        assert_eq!(
            e_now.iter().map(|(path, (size, _))| (path.clone(), *size)).collect::<Vec<_>>(),
            [(current_log(&root, &e).display().to_string(), 0)],
            "E's log after the truncate"
        );
        eprintln!("D's log: {planned_d} bytes planned, {after} right after the truncate");

        // The engine goes on appending from offset 0, and its logs call reads what came after.
        let polling = Instant::now();
        let kept = loop {
            let log = engine_logs(&s.docker, &d).await.expect("D's logs after the truncate");
            let numbers = ticks(&log);
            if numbers.len() >= 2 && numbers.iter().max() > last_tick_before.as_ref() {
                break log;
            }
            assert!(polling.elapsed() < LOG_WRITTEN, "no new line in D's logs after the truncate: {log:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert!(
            kept.lines().all(|line| line.starts_with("tick ")),
            "the lines before the truncate came back: {kept}"
        );
        let numbers = ticks(&kept);
        assert!(
            numbers.windows(2).all(|w| w[1] == w[0] + 1),
            "lines lost or repeated after the truncate: {numbers:?}"
        );
        let head = std::fs::read(&d_log).expect("reading D's log");
        assert_eq!(head.first(), Some(&b'{'), "D's log does not start with a line (a hole?)");
        assert!(!head.contains(&0), "D's log holds NUL bytes (a hole before the new lines)");
        assert_eq!(engine_logs(&s.docker, &e).await.expect("E's logs after the truncate"), "");
        eprintln!("a new line came back {:?} after the truncate", polling.elapsed());
    }
    drop(second);
    eprintln!("the whole test took {:?}", started.elapsed());
}
