//! Sizes measured here against the engine's own, on a real engine: one fixture whose writable
//! layer and volumes hold every kind of entry the engine counts in its own way (hard links, a
//! hard link to an image file, symlinks, a sparse file, a FIFO, a folder with mode 000, a file
//! deleted from the image, thousands of small files), an untouched container, a dangling volume
//! and a volume with mount options. `dockdu report --json` measured here, with
//! `--engine-sizes`, and as a docker-group user who cannot read the engine's files must all
//! agree with `/system/df` itself, object by object.

mod support;

use std::collections::{BTreeMap, HashMap};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output};

use bollard::models::{HostConfig, VolumeCreateRequest};
use serde_json::Value;

use support::{dockdu, Scenario};

/// Every kind of entry under `$ROOT`; `$1` is how many small files.
const ENTRIES: &str = r#"
set -e
R=$ROOT
busybox mkdir -p $R/many $R/closed $R/deep/a/b/c
echo hello > $R/original
busybox ln $R/original $R/second-name
busybox ln $R/original $R/deep/a/b/c/third-name
busybox ln -s $R/original $R/link
busybox ln -s /nowhere/at/all $R/dangling-link
busybox dd if=/dev/zero of=$R/sparse bs=1 count=1 seek=5000000 2>/dev/null
busybox mkfifo $R/pipe
echo inside > $R/closed/inside
busybox chmod 000 $R/closed
i=0
while [ $i -lt $1 ]; do echo $i > $R/many/$i; i=$((i+1)); done
"#;

const SMALL_FILES: &str = "3000";

/// A container's writable and virtual sizes and where they came from.
type ContainerSizes = (Option<u64>, Option<u64>, Option<String>);
/// A volume's size and where it came from.
type VolumeSize = (Option<u64>, Option<String>);
/// Sizes by name, without their sources: what the routes must agree on.
type Numbers<'a> = (Vec<(&'a str, Option<u64>, Option<u64>)>, Vec<(&'a str, Option<u64>)>);

/// The sizes one route gave for this scenario's objects, by name.
#[derive(Debug, PartialEq)]
struct Sizes {
    containers: BTreeMap<String, ContainerSizes>,
    volumes: BTreeMap<String, VolumeSize>,
}

impl Sizes {
    fn from_report(report: &Value, s: &Scenario) -> Sizes {
        let ours = |v: &&Value| v["name"].as_str().is_some_and(|n| n.starts_with(&s.run_id));
        let source = |v: &Value| v["size_source"].as_str().map(str::to_owned);
        let containers = report["containers"]
            .as_array()
            .expect("containers")
            .iter()
            .filter(ours)
            .map(|c| {
                let name = c["name"].as_str().unwrap_or_default().to_owned();
                (name, (c["size_rw"].as_u64(), c["size_root_fs"].as_u64(), source(c)))
            })
            .collect();
        let volumes = report["volumes"]
            .as_array()
            .expect("volumes")
            .iter()
            .filter(ours)
            .map(|v| (v["name"].as_str().unwrap_or_default().to_owned(), (v["size"].as_u64(), source(v))))
            .collect();
        Sizes { containers, volumes }
    }

    /// The numbers alone, for comparing routes.
    fn numbers(&self) -> Numbers<'_> {
        (
            self.containers.iter().map(|(n, (rw, root, _))| (n.as_str(), *rw, *root)).collect(),
            self.volumes.iter().map(|(n, (size, _))| (n.as_str(), *size)).collect(),
        )
    }

    fn sources(&self) -> Vec<Option<&str>> {
        let containers = self.containers.values().map(|(_, _, s)| s.as_deref());
        containers.chain(self.volumes.values().map(|(_, s)| s.as_deref())).collect()
    }
}

/// This scenario's sizes as `/system/df` itself gives them, in either of its shapes.
fn engine_sizes(df: &Value, s: &Scenario, names: &HashMap<String, String>) -> Sizes {
    let items = |old: &str, new: &str| -> Vec<Value> {
        df[new]["Items"].as_array().or_else(|| df[old].as_array()).cloned().unwrap_or_default()
    };
    let size = |v: &Value| v.as_i64().and_then(|n| u64::try_from(n).ok());
    let containers = items("Containers", "ContainerUsage")
        .iter()
        .filter_map(|c| {
            let name = names.get(c["Id"].as_str()?)?.clone();
            // The engine leaves SizeRw out when it is zero.
            Some((name, (Some(size(&c["SizeRw"]).unwrap_or(0)), size(&c["SizeRootFs"]), None)))
        })
        .collect();
    let volumes = items("Volumes", "VolumeUsage")
        .iter()
        .filter(|v| v["Name"].as_str().is_some_and(|n| n.starts_with(&s.run_id)))
        .map(|v| (v["Name"].as_str().unwrap_or_default().to_owned(), (size(&v["UsageData"]["Size"]), None)))
        .collect();
    Sizes { containers, volumes }
}

fn report(output: Output) -> Value {
    support::json_output(&output)
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
}

/// Checks that the fixture really holds what it claims, read straight from the host.
fn assert_has_every_kind(root: &Path, whiteout: Option<&Path>) {
    let meta = |p: &str| std::fs::symlink_metadata(root.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    assert!(meta("second-name").nlink() >= 3, "hard links");
    assert!(meta("link").file_type().is_symlink() && meta("dangling-link").file_type().is_symlink());
    let sparse = meta("sparse");
    assert!(sparse.len() == 5_000_001 && sparse.blocks() * 512 < 1 << 20, "a sparse file");
    assert!(meta("pipe").file_type().is_fifo());
    assert_eq!(meta("closed").permissions().mode() & 0o777, 0, "a folder with mode 000");
    let many: Vec<String> = std::fs::read_dir(root.join("many"))
        .expect("many")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        // fuse-overlayfs marks a folder made in the layer opaque with an empty `.wh..wh..opq`.
        .filter(|name| !name.starts_with(".wh."))
        .collect();
    let odd: Vec<&String> = many.iter().filter(|n| n.parse::<u32>().is_err()).collect();
    assert_eq!((many.len(), odd), (3000, vec![]), "thousands of small files in {}", root.display());
    if let Some(deleted) = whiteout {
        let w = std::fs::symlink_metadata(deleted).expect("the deleted file's mark");
        assert!(w.file_type().is_char_device() && w.rdev() == 0, "a whiteout (character device 0/0)");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sizes_measured_here_equal_the_engines_on_every_kind_of_entry() {
    assert!(is_root(), "this test reads the engine's files and runs dockdu as another user: run it as root");
    let s = Scenario::new().await;
    let env = |root: &str| Some(vec![format!("ROOT={root}")]);

    // A writable layer with every kind of entry, a hard link to an image file (which copies
    // it up) and a file deleted from the image (a whiteout).
    let layer_script = format!("{ENTRIES}\nbusybox ln /bin/busybox $R/busybox-again\nrm /bin/sleep\n");
    let layer = s
        .create_container_with(
            "layer",
            bollard::models::ContainerCreateBody {
                cmd: Some(vec!["sh".into(), "-c".into(), layer_script, "entries".into(), SMALL_FILES.into()]),
                env: env("/fixture"),
                ..Default::default()
            },
        )
        .await;
    s.start(&layer).await;
    assert_eq!(s.wait_exit(&layer).await, 0, "the layer's script failed");
    // A volume with the same entries, in use; another whose only container is gone.
    let mut volumes = Vec::new();
    for role in ["in-use", "dangling"] {
        let volume = s.create_volume(role).await;
        let writer = s.run_on_volume(&format!("writes-{role}"), &volume, ENTRIES, &[SMALL_FILES]).await;
        if role == "dangling" {
            s.remove_container(&writer).await;
        }
        volumes.push(volume);
    }
    // The engine sizes no volume with mount options: neither does dockdu.
    let tmpfs_volume = s.name("tmpfs");
    let request = VolumeCreateRequest {
        name: Some(tmpfs_volume.clone()),
        labels: Some(s.labels()),
        driver_opts: Some(HashMap::from([
            ("type".to_owned(), "tmpfs".to_owned()),
            ("device".to_owned(), "tmpfs".to_owned()),
        ])),
        ..Default::default()
    };
    s.docker.create_volume(request).await.expect("creating a volume with options");
    s.create_container("untouched", &["true"], HostConfig::default()).await;

    let engine_under_test = support::engine_under_test();
    // On the containerd store a stopped container's snapshot is found by no mount: the engine
    // measures it (a running one's: tests/engine26_live.rs).
    let layers_here = !engine_under_test.snapshots();
    if layers_here {
        let upper = s.inspect(&layer).await.graph_driver.and_then(|mut g| g.data.remove("UpperDir"));
        let upper = upper.expect("the engine names the writable layer's folder (overlay2, fuse-overlayfs)");
        let upper = Path::new(&upper);
        assert_has_every_kind(&upper.join("fixture"), Some(&upper.join("bin/sleep")));
    }
    for volume in &volumes {
        let mountpoint = s.docker.inspect_volume(volume).await.expect("volume").mountpoint;
        assert_has_every_kind(Path::new(&mountpoint), None);
    }

    let log = std::env::temp_dir().join(format!("{}-requests.log", s.run_id));
    let here_report = report(dockdu(&["report", "--json", "--log", log.to_str().expect("a path")]).await);
    let here = Sizes::from_report(&here_report, &s);
    let from_engine = report(dockdu(&["report", "--json", "--engine-sizes"]).await);
    let from_engine = Sizes::from_report(&from_engine, &s);
    let (df, _) = tokio::task::spawn_blocking(support::system_df).await.expect("system df");
    let names: HashMap<String, String> = here_report["containers"]
        .as_array()
        .expect("containers")
        .iter()
        .filter_map(|c| Some((c["id"].as_str()?.to_owned(), c["name"].as_str()?.to_owned())))
        .filter(|(_, name)| name.starts_with(&s.run_id))
        .collect();
    let mut engine = engine_sizes(&df, &s, &names);
    assert!(!engine.volumes.contains_key(&tmpfs_volume), "/system/df leaves out a volume with options");
    engine.volumes.insert(tmpfs_volume.clone(), (None, None));

    assert_eq!(here.containers.len(), 3, "{here:?}");
    assert_eq!(here.volumes.len(), 3, "{here:?}");
    assert_eq!(here.numbers(), engine.numbers(), "measured here vs /system/df");
    assert_eq!(from_engine.numbers(), engine.numbers(), "--engine-sizes vs /system/df");
    let (tmpfs_size, tmpfs_source) = &here.volumes[&tmpfs_volume];
    assert_eq!((tmpfs_size, tmpfs_source), (&None, &None), "no one measures a volume with options");
    let measurable = |sizes: &Sizes| -> Vec<Option<String>> {
        let mut sources: Vec<Option<String>> =
            sizes.sources().into_iter().map(|s| s.map(str::to_owned)).collect();
        sources.retain(Option::is_some);
        sources
    };
    let layer_source = if layers_here { "host" } else { "engine" };
    assert!(here.containers.values().all(|c| c.2.as_deref() == Some(layer_source)), "{here:?}");
    assert!(
        here.volumes.values().filter(|v| v.1.is_some()).all(|v| v.1.as_deref() == Some("host")),
        "{here:?}"
    );
    assert_eq!(measurable(&here).len(), 5, "3 containers and 2 volumes measured: {here:?}");
    assert!(measurable(&from_engine).iter().all(|s| s.as_deref() == Some("engine")), "{from_engine:?}");
    let layer_name = s.name("layer");
    assert!(
        here.containers[&layer_name].0 > Some(5_000_000 + 1_982_000),
        "the sparse file and the copied-up image file count"
    );
    // A native snapshot is a whole copy of the root: the engine counts all of it.
    let untouched = here.containers[&s.name("untouched")].0;
    if engine_under_test.snapshots() {
        assert!(untouched > Some(1_900_000), "the image's copy: {untouched:?}");
    } else {
        assert_eq!(untouched, Some(0));
    }

    let requests = std::fs::read_to_string(&log).expect("the request log");
    let _ = std::fs::remove_file(&log);
    assert!(requests.contains("/containers/json"), "the log records requests: {requests}");
    // The images' shared sizes and the build cache come only from the engine: one `/system/df`,
    // and only per type from API 1.42.
    let disk_usage: Vec<&str> = requests.lines().filter(|l| l.contains("/system/df")).collect();
    assert!(disk_usage.len() <= 1, "{requests}");
    if engine_under_test.api >= (1, 42) {
        assert!(disk_usage.iter().all(|l| l.contains("/system/df?type=")), "{requests}");
    }
    let ours = |line: &&str| names.keys().any(|id| line.contains(id.as_str()));
    let sized_inspects = requests.lines().filter(|l| l.contains("?size=1")).filter(ours).count();
    assert_eq!(sized_inspects, if layers_here { 0 } else { 3 }, "{requests}");

    // A docker-group user reaches the socket but not the engine's files: the engine's numbers.
    // Such a user has a home of their own, not root's: a docker config folder they can read.
    let host = support::docker_host();
    let socket = host.strip_prefix("unix://").expect("a unix socket");
    let socket_group = std::fs::metadata(socket).expect("the engine's socket").gid();
    let config = support::docker_config::DockerConfig::new();
    let env = config.env();
    let as_group_user = tokio::task::spawn_blocking(move || {
        let output = Command::new("setpriv")
            .args(["--reuid=65534", &format!("--regid={socket_group}"), "--clear-groups"])
            .args([env!("CARGO_BIN_EXE_dockdu"), "report", "--json"])
            .envs(env)
            .output()
            .expect("setpriv");
        report(output)
    });
    let as_group_user = Sizes::from_report(&as_group_user.await.expect("report"), &s);
    assert_eq!(as_group_user.numbers(), engine.numbers(), "as a docker-group user vs /system/df");
    assert!(measurable(&as_group_user).iter().all(|s| s.as_deref() == Some("engine")), "{as_group_user:?}");
}
