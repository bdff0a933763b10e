//! A real-engine test harness: each test builds a `Scenario` with its own run id, creates its
//! containers and volumes through it, and the scenario removes them all when dropped (on success,
//! failure and panic alike).
//!
//! Rules kept here so that tests can share an engine with each other and with anything else
//! running on it:
//! - everything created carries the label `dockdu.test=<run id>`, and cleanup removes only what
//!   carries this run's label (plus the anonymous volumes of this run's containers, which Engine
//!   20.10 creates without labels, removed with their containers);
//! - containers run with network mode `none`;
//! - no sleeps as synchronisation: waits are on the engine's own answers, with a bound.
//!
//! Fixtures are set up with bollard directly; the code under test is dockdu's library and binary.

// Each test file uses its own part of the harness.
#![allow(dead_code)]

pub mod docker_config;
pub mod dockerd;
pub mod engine26;
pub mod podman;
pub mod process;
pub mod relay;
pub mod sshd;
pub mod tls;

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bollard::models::{ContainerCreateBody, ContainerInspectResponse, HostConfig, VolumeCreateRequest};
use bollard::query_parameters::{
    CreateContainerOptions, CreateImageOptions, InspectContainerOptions, ListContainersOptions,
    ListImagesOptions, ListVolumesOptions, RemoveContainerOptions, RemoveImageOptions, RemoveVolumeOptions,
    StartContainerOptions, StopContainerOptions, UploadToContainerOptions, WaitContainerOptions,
};
use bollard::Docker;
use futures_util::StreamExt;

use dockdu::engine::{Engine, HostChoice};
use dockdu::model::Inventory;

/// The label every test object carries; its value is the run id.
pub const LABEL: &str = "dockdu.test";
/// Test images are `dockdu-test/busybox:<run id>`.
pub const IMAGE_REPO: &str = "dockdu-test/busybox";
pub const MIB: u64 = 1024 * 1024;

const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";
const BUSYBOX: &str = "/bin/busybox";
const APPLETS: &[&str] = &["sh", "sleep", "dd", "true", "echo", "cat", "mkdir", "ls", "rm"];
const PING_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest a fixture container may take to exit.
const EXIT_TIMEOUT: Duration = Duration::from_secs(20);
/// The longest cleanup may take before it gives up and reports what is left.
const CLEANUP_TIMEOUT: Duration = Duration::from_secs(90);

/// `dockdu-test-<pid>-<counter>-<nanos>`: unique per test in this process and across processes.
pub fn new_run_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("dockdu-test-{}-{n}-{nanos}", std::process::id())
}

/// A random number, from std's randomly seeded hasher (no crate needed for a test name).
pub fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64));
    hasher.finish()
}

/// The engine address the tests (and dockdu) use: `DOCKER_HOST`, else the default socket.
pub fn docker_host() -> String {
    std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty()).unwrap_or_else(|| DEFAULT_HOST.to_owned())
}

fn no_engine(host: &str, why: impl std::fmt::Display) -> String {
    format!(
        "no Docker engine reachable at {host}: start one (e.g. `sudo dockerd --bridge=none \
         --iptables=false &`, or `bash .ci/run` which installs and starts it) — integration tests \
         never pass without an engine ({why})"
    )
}

/// A bollard client for setting up fixtures. Panics, never skips, when no engine answers.
pub async fn connect() -> Docker {
    let host = docker_host();
    if !host.starts_with("unix://") {
        panic!(
            "the test harness reaches the engine over a unix socket only; DOCKER_HOST={host} \
             (unset it or point it at a unix:// socket)"
        );
    }
    let docker = Docker::connect_with_local_defaults().unwrap_or_else(|e| panic!("{}", no_engine(&host, e)));
    match tokio::time::timeout(PING_TIMEOUT, docker.ping()).await {
        Ok(Ok(_)) => docker,
        Ok(Err(e)) => panic!("{}", no_engine(&host, e)),
        Err(_) => panic!("{}", no_engine(&host, format!("no answer to a ping in {PING_TIMEOUT:?}"))),
    }
}

/// dockdu's engine, chosen the way the binary chooses it (from `DOCKER_HOST`).
pub fn engine() -> Engine {
    let docker_host = std::env::var("DOCKER_HOST").ok();
    Engine::new(&HostChoice {
        flag: None,
        docker_host: docker_host.as_deref(),
        tls_verify: None,
        cert_path: None,
        home: None,
        default_host: dockdu::engine::DEFAULT_HOST,
        ..Default::default()
    })
    .expect("dockdu cannot set up a client for the engine")
}

/// The library's whole answer, as `dockdu report` would build it (sizes measured here where
/// they can be).
pub async fn inventory() -> Inventory {
    inventory_by(dockdu::tasks::sizes::Route::Host).await
}

/// The library's whole answer, with sizes by the route given.
pub async fn inventory_by(route: dockdu::tasks::sizes::Route) -> Inventory {
    let sources =
        dockdu::tasks::collect::collect(&engine(), route).await.expect("dockdu::tasks::collect failed");
    dockdu::model::build(&sources)
}

/// Runs the dockdu binary (no shell) off the async workers, with no terminal on stdin so a
/// write command never asks.
pub async fn dockdu(args: &[&str]) -> std::process::Output {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_dockdu"))
            .args(&args)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("cannot run dockdu")
    })
    .await
    .expect("the dockdu runner panicked")
}

/// A rootfs holding the host's static busybox, its applets as symlinks, and an empty /tmp.
pub fn rootfs_tar() -> &'static [u8] {
    static ROOTFS: OnceLock<Vec<u8>> = OnceLock::new();
    ROOTFS.get_or_init(|| {
        let busybox = std::fs::read(BUSYBOX).unwrap_or_else(|e| {
            panic!(
                "cannot read {BUSYBOX} ({e}): install busybox-static (`apt-get install busybox-static`, \
                 or `bash .ci/run` which installs it) — the test image is built from it"
            )
        });
        if is_dynamically_linked(&busybox) {
            panic!(
                "{BUSYBOX} is dynamically linked and cannot run in an image without libc: install \
                 busybox-static (`apt-get install busybox-static`)"
            );
        }
        let mut tar = tar::Builder::new(Vec::new());
        append_dir(&mut tar, "bin", 0o755);
        append_dir(&mut tar, "tmp", 0o1777);
        let mut header = file_header(busybox.len() as u64, 0o755);
        tar.append_data(&mut header, "bin/busybox", busybox.as_slice()).expect("tar: busybox");
        for applet in APPLETS {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(tar::EntryType::Symlink);
            header.set_size(0);
            header.set_mode(0o777);
            header.set_mtime(MTIME);
            tar.append_link(&mut header, format!("bin/{applet}"), "busybox").expect("tar: symlink");
        }
        tar.into_inner().expect("tar: finish")
    })
}

const MTIME: u64 = 1_700_000_000;

/// Whether a 64-bit little-endian ELF asks for a program interpreter (`PT_INTERP`), i.e. needs
/// a dynamic loader. Anything else is left for the engine to judge.
fn is_dynamically_linked(elf: &[u8]) -> bool {
    const PT_INTERP: u32 = 3;
    let (Some(b"\x7fELF"), Some(2), Some(1)) = (elf.get(..4), elf.get(4), elf.get(5)) else {
        return false;
    };
    let u16_at = |at: usize| elf.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize);
    let u64_at = |at: usize| elf.get(at..at + 8).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes);
    let (Some(phoff), Some(phentsize), Some(phnum)) = (u64_at(0x20), u16_at(0x36), u16_at(0x38)) else {
        return false;
    };
    (0..phnum).any(|i| {
        let at = phoff as usize + i * phentsize;
        elf.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])) == Some(PT_INTERP)
    })
}

fn file_header(size: u64, mode: u32) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Regular);
    header.set_size(size);
    header.set_mode(mode);
    header.set_mtime(MTIME);
    header
}

fn append_dir(tar: &mut tar::Builder<Vec<u8>>, path: &str, mode: u32) {
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Directory);
    header.set_size(0);
    header.set_mode(mode);
    header.set_mtime(MTIME);
    tar.append_data(&mut header, path, std::io::empty()).expect("tar: directory");
}

/// A tar holding one file of `bytes` zero bytes.
pub fn file_tar(name: &str, bytes: u64) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = file_header(bytes, 0o644);
    tar.append_data(&mut header, name, std::io::repeat(0).take(bytes)).expect("tar: file");
    tar.into_inner().expect("tar: finish")
}

/// The JSON a successful dockdu printed.
pub fn json_output(output: &std::process::Output) -> serde_json::Value {
    assert!(output.status.success(), "dockdu failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

/// One test's objects on the engine. Dropping it removes them all.
pub struct Scenario {
    pub docker: Docker,
    pub run_id: String,
    /// `dockdu-test/busybox:<run id>`, imported for this scenario.
    pub image: String,
    host_dirs: Mutex<Vec<PathBuf>>,
    /// The engine cleanup reaches: `None` for the default one, connected afresh (as `new` has it).
    own_engine: Option<Docker>,
}

impl Scenario {
    /// Connects (panicking if no engine answers) and imports this scenario's image.
    pub async fn new() -> Scenario {
        let docker = connect().await;
        let engine = tokio::task::spawn_blocking(engine_under_test).await.expect("describing the engine");
        eprintln!("engine under test: {engine}");
        Scenario::with(docker, None).await
    }

    /// On an engine of the test's own (`dockerd::SecondDockerd::docker()`): imports this
    /// scenario's image there, and cleans up there on drop, so that engine must outlive the
    /// scenario (create it first).
    pub async fn on(docker: Docker) -> Scenario {
        Scenario::with(docker.clone(), Some(docker)).await
    }

    async fn with(docker: Docker, own_engine: Option<Docker>) -> Scenario {
        let run_id = new_run_id();
        let image = format!("{IMAGE_REPO}:{run_id}");
        // Built before the import, so that a failing import is cleaned up too.
        let scenario = Scenario { docker, run_id, image, host_dirs: Mutex::new(Vec::new()), own_engine };
        scenario.import_image().await;
        scenario
    }

    /// `docker import`: `POST /images/create?fromSrc=-` with the rootfs as the body.
    async fn import_image(&self) {
        let options = CreateImageOptions {
            from_src: Some("-".to_owned()),
            repo: Some(IMAGE_REPO.to_owned()),
            tag: Some(self.run_id.clone()),
            changes: vec![format!("LABEL {LABEL}={}", self.run_id), r#"CMD ["/bin/sh"]"#.to_owned()],
            ..Default::default()
        };
        let body = bollard::body_full(bytes::Bytes::from_static(rootfs_tar()));
        let mut progress = self.docker.create_image(Some(options), Some(body), None);
        while let Some(step) = progress.next().await {
            step.unwrap_or_else(|e| panic!("importing the test image {}: {e}", self.image));
        }
    }

    /// An untagged (dangling) image of one file of `bytes` bytes, labelled like the scenario's:
    /// imported without a name, which leaves it dangling on both stores (moving a tag off an
    /// image removes it on the containerd store). Returns its id.
    pub async fn import_untagged(&self, role: &str, bytes: u64) -> String {
        let body = file_tar(&format!("{}.bin", self.name(role)), bytes);
        let options = CreateImageOptions {
            from_src: Some("-".to_owned()),
            changes: vec![format!("LABEL {LABEL}={}", self.run_id), r#"CMD ["/bin/sh"]"#.to_owned()],
            ..Default::default()
        };
        let mut progress =
            self.docker.create_image(Some(options), Some(bollard::body_full(body.into())), None);
        let mut id = None;
        while let Some(step) = progress.next().await {
            let step = step.unwrap_or_else(|e| panic!("importing an untagged image: {e}"));
            // The import's last word is the new image's id.
            id = step.status.filter(|s| s.starts_with("sha256:")).or(id);
        }
        id.expect("the import names the image it made")
    }

    /// The engine's own size of an image, as its image list gives it (on the containerd store
    /// the inspect's `Size` is another number: the content alone).
    pub async fn image_size(&self, id: &str) -> u64 {
        let options =
            ListImagesOptions { all: true, filters: Some(label_filter(&self.run_id)), ..Default::default() };
        let images = self.docker.list_images(Some(options)).await.expect("listing images");
        let image = images.into_iter().find(|i| i.id == id).unwrap_or_else(|| panic!("{id} is not listed"));
        u64::try_from(image.size).expect("the image's size")
    }

    /// Another image, imported as `dockdu-test/busybox:<run id>-<role>` and labelled like the
    /// scenario's: one file of `bytes` bytes (nothing to run; containers come from `image`), so
    /// its id and unique size are its own. Returns its id.
    pub async fn import_image_as(&self, role: &str, bytes: u64) -> String {
        // Named by run: another scenario's same-sized file would be the same layer, shared.
        let body = file_tar(&format!("{}.bin", self.name(role)), bytes);
        let tag = self.name(role);
        let options = CreateImageOptions {
            from_src: Some("-".to_owned()),
            repo: Some(IMAGE_REPO.to_owned()),
            tag: Some(tag.clone()),
            changes: vec![format!("LABEL {LABEL}={}", self.run_id), r#"CMD ["/bin/sh"]"#.to_owned()],
            ..Default::default()
        };
        let mut progress =
            self.docker.create_image(Some(options), Some(bollard::body_full(body.into())), None);
        while let Some(step) = progress.next().await {
            step.unwrap_or_else(|e| panic!("importing {tag}: {e}"));
        }
        let image =
            self.docker.inspect_image(&format!("{IMAGE_REPO}:{tag}")).await.expect("inspect the import");
        image.id.expect("an image id")
    }

    /// Commits a container as `dockdu-test/busybox:<run id>-<role>`, labelled like the scenario's:
    /// an image whose layers are its image's and what the container wrote. Returns its id.
    pub async fn commit(&self, container: &str, role: &str) -> String {
        let tag = self.name(role);
        let options = bollard::query_parameters::CommitContainerOptions {
            container: Some(container.to_owned()),
            repo: Some(IMAGE_REPO.to_owned()),
            tag: Some(tag.clone()),
            pause: false,
            ..Default::default()
        };
        let config = bollard::models::ContainerConfig { labels: Some(self.labels()), ..Default::default() };
        let answer = self.docker.commit_container(options, config).await;
        answer.unwrap_or_else(|e| panic!("committing {tag}: {e}")).id
    }

    /// Waits, within a bound, until `path` exists in the container (written by its command).
    pub async fn wait_for_file(&self, container: &str, path: &str) {
        let give_up = std::time::Instant::now() + EXIT_TIMEOUT;
        loop {
            let options = bollard::query_parameters::DownloadFromContainerOptions { path: path.to_owned() };
            let mut archive = self.docker.download_from_container(container, Some(options));
            if matches!(archive.next().await, Some(Ok(_))) {
                return;
            }
            assert!(std::time::Instant::now() < give_up, "{path} never appeared in {container}");
            // Nothing to wait on: the engine sends no event when a container writes a file.
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The run id is the first part of every name, so tests can find their own objects.
    pub fn name(&self, role: &str) -> String {
        format!("{}-{role}", self.run_id)
    }

    pub fn labels(&self) -> HashMap<String, String> {
        HashMap::from([(LABEL.to_owned(), self.run_id.clone())])
    }

    /// A named local volume `<run id>-<role>`, labelled.
    pub async fn create_volume(&self, role: &str) -> String {
        self.create_volume_named(self.name(role)).await
    }

    /// A local volume called `name`, labelled.
    async fn create_volume_named(&self, name: String) -> String {
        let request = VolumeCreateRequest {
            name: Some(name.clone()),
            labels: Some(self.labels()),
            ..Default::default()
        };
        self.docker.create_volume(request).await.unwrap_or_else(|e| panic!("creating volume {name}: {e}"));
        name
    }

    /// A volume named as the engine names an anonymous one (64 hex digits), starting with
    /// `prefix`; the rest is random.
    pub async fn create_anonymous_looking_volume(&self, prefix: &str) -> String {
        let random: String = (0..4).map(|_| format!("{:016x}", rand_u64())).collect();
        self.create_volume_named(format!("{prefix}{}", &random[prefix.len()..])).await
    }

    /// A container `<run id>-<role>` of this scenario's image running `cmd`, with `host_config`
    /// (binds, mounts, tmpfs). Returns its id.
    pub async fn create_container(&self, role: &str, cmd: &[&str], host_config: HostConfig) -> String {
        let body = ContainerCreateBody {
            cmd: Some(cmd.iter().map(|s| s.to_string()).collect()),
            host_config: Some(host_config),
            ..Default::default()
        };
        self.create_container_with(role, body).await
    }

    /// As `create_container`, from a whole create body; label and network mode are set here, and
    /// the image unless the body names one.
    pub async fn create_container_with(&self, role: &str, mut body: ContainerCreateBody) -> String {
        let name = self.name(role);
        body.image.get_or_insert_with(|| self.image.clone());
        body.labels.get_or_insert_with(HashMap::new).extend(self.labels());
        body.host_config.get_or_insert_with(HostConfig::default).network_mode = Some("none".to_owned());
        let options = CreateContainerOptions { name: Some(name.clone()), ..Default::default() };
        let created = self
            .docker
            .create_container(Some(options), body)
            .await
            .unwrap_or_else(|e| panic!("creating container {name}: {e}"));
        created.id
    }

    pub async fn start(&self, id: &str) {
        self.docker
            .start_container(id, None::<StartContainerOptions>)
            .await
            .unwrap_or_else(|e| panic!("starting container {id}: {e}"));
    }

    /// Waits (on the engine's wait call, at most 20 s) until the container is not running, and
    /// returns its exit code.
    pub async fn wait_exit(&self, id: &str) -> i64 {
        let options = WaitContainerOptions { condition: "not-running".to_owned() };
        let mut wait = self.docker.wait_container(id, Some(options));
        let answer = tokio::time::timeout(EXIT_TIMEOUT, wait.next())
            .await
            .unwrap_or_else(|_| panic!("container {id} still running after {EXIT_TIMEOUT:?}"));
        match answer {
            Some(Ok(response)) => response.status_code,
            // bollard turns a non-zero exit into an error.
            Some(Err(bollard::errors::Error::DockerContainerWaitError { code, .. })) => code,
            Some(Err(e)) => panic!("waiting for container {id}: {e}"),
            None => panic!("waiting for container {id}: the engine closed the wait without an answer"),
        }
    }

    /// Creates, starts and waits for a container that must exit 0. Returns its id.
    pub async fn run_to_exit(&self, role: &str, cmd: &[&str], host_config: HostConfig) -> String {
        let id = self.create_container(role, cmd, host_config).await;
        self.start(&id).await;
        let code = self.wait_exit(&id).await;
        assert_eq!(code, 0, "container {} ({cmd:?}) exited with {code}", self.name(role));
        id
    }

    /// Runs `sh -c script entries args…` with `ROOT=/data` in a container `<run id>-<role>` that
    /// mounts `volume` at `/data`; it must exit 0. Returns the container's id.
    pub async fn run_on_volume(&self, role: &str, volume: &str, script: &str, args: &[&str]) -> String {
        let mut cmd = vec!["sh".to_owned(), "-c".to_owned(), script.to_owned(), "entries".to_owned()];
        cmd.extend(args.iter().map(|a| a.to_string()));
        let body = ContainerCreateBody {
            cmd: Some(cmd),
            env: Some(vec!["ROOT=/data".to_owned()]),
            host_config: Some(HostConfig {
                binds: Some(vec![format!("{volume}:/data")]),
                ..Default::default()
            }),
            ..Default::default()
        };
        let id = self.create_container_with(role, body).await;
        self.start(&id).await;
        assert_eq!(self.wait_exit(&id).await, 0, "the script of {} failed", self.name(role));
        id
    }

    /// dockdu's helper containers (label `dockdu.helper`) that mount `volume`.
    pub async fn helpers_of(&self, volume: &str) -> Vec<String> {
        let filters = HashMap::from([
            ("label".to_owned(), vec![HELPER_LABEL.to_owned()]),
            ("volume".to_owned(), vec![volume.to_owned()]),
        ]);
        let options = bollard::query_parameters::ListContainersOptions {
            all: true,
            filters: Some(filters),
            ..Default::default()
        };
        let list = self.docker.list_containers(Some(options)).await.expect("containers");
        list.into_iter().filter_map(|c| c.id).collect()
    }

    pub async fn stop(&self, id: &str) {
        let options = StopContainerOptions { t: Some(1), ..Default::default() };
        self.docker.stop_container(id, Some(options)).await.unwrap_or_else(|e| panic!("stopping {id}: {e}"));
    }

    /// Removes a container (forced) with its anonymous volumes, which carry no label to be found by
    /// later.
    pub async fn remove_container(&self, id: &str) {
        let options = RemoveContainerOptions { force: true, v: true, ..Default::default() };
        self.docker
            .remove_container(id, Some(options))
            .await
            .unwrap_or_else(|e| panic!("removing {id}: {e}"));
    }

    pub async fn inspect(&self, id: &str) -> ContainerInspectResponse {
        self.docker
            .inspect_container(id, None::<InspectContainerOptions>)
            .await
            .unwrap_or_else(|e| panic!("inspecting {id}: {e}"))
    }

    /// `PUT /containers/ID/archive`: writes a file of `bytes` bytes at `dir/file` into the
    /// container's writable layer (or a volume mounted there), started or not.
    pub async fn put_file(&self, id: &str, dir: &str, file: &str, bytes: u64) {
        let options = UploadToContainerOptions { path: dir.to_owned(), ..Default::default() };
        let tar = bollard::body_full(file_tar(file, bytes).into());
        self.docker
            .upload_to_container(id, Some(options), tar)
            .await
            .unwrap_or_else(|e| panic!("writing {dir}/{file} into {id}: {e}"));
    }

    /// A fresh host folder `<tmp>/<run id>-<role>`, removed with the scenario.
    pub fn host_dir(&self, role: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(self.name(role));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
        self.host_dirs.lock().unwrap_or_else(|e| e.into_inner()).push(dir.clone());
        dir
    }

    /// What `cleanup` would remove now (containers, volumes, images), for checks.
    pub async fn leftovers(&self) -> Vec<String> {
        leftovers(&self.docker, &self.run_id).await.unwrap_or_else(|e| vec![format!("cannot list: {e}")])
    }
}

impl Drop for Scenario {
    fn drop(&mut self) {
        let run_id = self.run_id.clone();
        let own_engine = self.own_engine.clone();
        let dirs = std::mem::take(&mut *self.host_dirs.lock().unwrap_or_else(|e| e.into_inner()));
        // Drop cannot await, and this thread may be inside a runtime: clean up on a thread of its own.
        let outcome = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            let result = match runtime {
                Ok(runtime) => runtime.block_on(async {
                    tokio::time::timeout(CLEANUP_TIMEOUT, cleanup(&run_id, own_engine))
                        .await
                        .unwrap_or_else(|_| Err(format!("cleanup gave up after {CLEANUP_TIMEOUT:?}")))
                }),
                Err(e) => Err(format!("no runtime for cleanup: {e}")),
            };
            for dir in dirs {
                let _ = std::fs::remove_dir_all(&dir);
            }
            result
        })
        .join()
        .unwrap_or_else(|_| Err("the cleanup thread panicked".to_owned()));
        if let Err(problem) = outcome {
            let message = format!("cleanup of {} left objects behind: {problem}", self.run_id);
            if std::thread::panicking() {
                eprintln!("{message}");
            } else {
                panic!("{message}");
            }
        }
    }
}

/// What dockdu labels its helper containers with (`engine::write::HELPER_LABEL`).
const HELPER_LABEL: &str = "dockdu.helper";

fn label_filter(run_id: &str) -> HashMap<String, Vec<String>> {
    HashMap::from([("label".to_owned(), vec![format!("{LABEL}={run_id}")])])
}

/// Removes this run's containers (with their anonymous volumes), then its volumes, then its image;
/// then checks that nothing carrying its label is left.
async fn cleanup(run_id: &str, own_engine: Option<Docker>) -> Result<(), String> {
    let docker = match own_engine {
        Some(docker) => docker,
        None => Docker::connect_with_local_defaults().map_err(|e| e.to_string())?,
    };
    let mut problems = Vec::new();

    for id in container_ids(&docker, run_id).await? {
        let options = RemoveContainerOptions { force: true, v: true, ..Default::default() };
        if let Err(e) = docker.remove_container(&id, Some(options)).await {
            if !is_not_found(&e) {
                problems.push(format!("container {id}: {e}"));
            }
        }
    }
    for name in volume_names(&docker, run_id).await? {
        if let Err(e) = docker.remove_volume(&name, None::<RemoveVolumeOptions>).await {
            if !is_not_found(&e) {
                problems.push(format!("volume {name}: {e}"));
            }
        }
    }
    // A committed image is a child of the image it was made from, and the engine refuses to
    // remove a parent first (409): children go in an earlier round, each round removing what it
    // can, until a round removes nothing.
    let mut images = image_ids(&docker, run_id).await?;
    loop {
        let mut refused = Vec::new();
        let mut errors = Vec::new();
        for id in &images {
            let options = RemoveImageOptions { force: true, ..Default::default() };
            match docker.remove_image(id, Some(options), None).await {
                Err(e) if is_conflict(&e) => refused.push(id.clone()),
                Err(e) if !is_not_found(&e) => errors.push(format!("image {id}: {e}")),
                _ => {}
            }
        }
        problems.extend(errors);
        if refused.is_empty() || refused.len() == images.len() {
            problems.extend(refused.iter().map(|id| format!("image {id}: refused (dependent child images)")));
            break;
        }
        images = refused;
    }

    let left = leftovers(&docker, run_id).await?;
    if left.is_empty() {
        Ok(())
    } else {
        Err(format!("still there: {left:?}; errors: {problems:?}"))
    }
}

async fn leftovers(docker: &Docker, run_id: &str) -> Result<Vec<String>, String> {
    let mut left = Vec::new();
    left.extend(container_ids(docker, run_id).await?.into_iter().map(|id| format!("container {id}")));
    left.extend(volume_names(docker, run_id).await?.into_iter().map(|name| format!("volume {name}")));
    left.extend(image_ids(docker, run_id).await?.into_iter().map(|id| format!("image {id}")));
    Ok(left)
}

fn is_conflict(error: &bollard::errors::Error) -> bool {
    matches!(error, bollard::errors::Error::DockerResponseServerError { status_code: 409, .. })
}

fn is_not_found(error: &bollard::errors::Error) -> bool {
    matches!(error, bollard::errors::Error::DockerResponseServerError { status_code: 404, .. })
}

/// This run's containers. A container inherits its image's labels, and dockdu makes a helper
/// container (label `dockdu.helper`) from whichever image is smallest, perhaps another run's: a
/// helper is this run's only when it reads one of this run's volumes, so that a run never removes
/// another's helper while that run's dockdu is still using or removing it.
async fn container_ids(docker: &Docker, run_id: &str) -> Result<Vec<String>, String> {
    let options =
        ListContainersOptions { all: true, filters: Some(label_filter(run_id)), ..Default::default() };
    let containers =
        docker.list_containers(Some(options)).await.map_err(|e| format!("listing containers: {e}"))?;
    let volumes = volume_names(docker, run_id).await?;
    let ours = |c: &bollard::models::ContainerSummary| {
        let helper = c.labels.as_ref().is_some_and(|labels| labels.contains_key(HELPER_LABEL));
        !helper
            || (c.mounts.iter().flatten()).any(|m| m.name.as_ref().is_some_and(|name| volumes.contains(name)))
    };
    Ok(containers.into_iter().filter(ours).filter_map(|c| c.id).collect())
}

async fn volume_names(docker: &Docker, run_id: &str) -> Result<Vec<String>, String> {
    let options = ListVolumesOptions { filters: Some(label_filter(run_id)) };
    let list = docker.list_volumes(Some(options)).await.map_err(|e| format!("listing volumes: {e}"))?;
    Ok(list.volumes.unwrap_or_default().into_iter().map(|v| v.name).collect())
}

async fn image_ids(docker: &Docker, run_id: &str) -> Result<Vec<String>, String> {
    let options = ListImagesOptions { filters: Some(label_filter(run_id)), ..Default::default() };
    let images = docker.list_images(Some(options)).await.map_err(|e| format!("listing images: {e}"))?;
    Ok(images.into_iter().map(|i| i.id).collect())
}

/// One plain HTTP/1.0 GET on the engine's unix socket, read to the end: (status, body). No
/// client library in between, so what it measures is the engine alone.
pub fn plain_get(path: &str) -> (u16, Vec<u8>) {
    plain_get_on(&docker_host(), path)
}

/// `plain_get` on the engine at `host` (`unix://…`).
pub fn plain_get_on(host: &str, path: &str) -> (u16, Vec<u8>) {
    use std::io::Write;
    let socket = host.strip_prefix("unix://").unwrap_or_else(|| panic!("not a unix socket: {host}"));
    let mut stream =
        std::os::unix::net::UnixStream::connect(socket).unwrap_or_else(|e| panic!("{}", no_engine(host, e)));
    write!(stream, "GET {path} HTTP/1.0\r\nHost: docker\r\n\r\n").expect("sending a request");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("reading the answer");
    let end = answer.windows(4).position(|w| w == b"\r\n\r\n").expect("an HTTP answer");
    let head = String::from_utf8_lossy(&answer[..end]).into_owned();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status line");
    (status, answer[end + 4..].to_vec())
}

/// The engine the tests run against (`DOCKER_HOST`), as it describes itself: each test names it
/// in its output, so a failure says which of the engines it was.
#[derive(Debug, Clone)]
pub struct EngineUnderTest {
    pub host: String,
    pub product: String,
    pub version: String,
    pub api: (u32, u32),
    pub driver: String,
    /// Docker's containerd image store: layers are containerd snapshots.
    pub containerd_store: bool,
}

impl EngineUnderTest {
    /// Containers' writable layers are measured as containerd counts a snapshot (blocks on disk),
    /// and only while they run.
    pub fn snapshots(&self) -> bool {
        self.containerd_store
    }
}

impl std::fmt::Display for EngineUnderTest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let store = if self.containerd_store { "containerd image store" } else { "graph driver" };
        let (major, minor) = self.api;
        write!(
            f,
            "{} {} (API {major}.{minor}, {store} {}) at {}",
            self.product, self.version, self.driver, self.host
        )
    }
}

/// What `/version` and `/info` say of the engine at `DOCKER_HOST`, asked once per test binary.
pub fn engine_under_test() -> &'static EngineUnderTest {
    static ENGINE: OnceLock<EngineUnderTest> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let version = get_json_on(&docker_host(), "/version");
        let info = get_json_on(&docker_host(), "/info");
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
        let api = text(&version["ApiVersion"]);
        let (major, minor) = api.split_once('.').expect("an API version");
        let product = version["Components"][0]["Name"].as_str().unwrap_or("Engine");
        let product = if text(&version["Platform"]["Name"]).contains("Podman") || product.contains("Podman") {
            "Podman Engine".to_owned()
        } else {
            "Docker Engine".to_owned()
        };
        let containerd_store = info["DriverStatus"].as_array().is_some_and(|pairs| {
            pairs
                .iter()
                .any(|p| p[0] == "driver-type" && text(&p[1]).starts_with("io.containerd.snapshotter"))
        });
        EngineUnderTest {
            host: docker_host(),
            product,
            version: text(&version["Version"]),
            api: (major.parse().expect("major"), minor.parse().expect("minor")),
            driver: text(&info["Driver"]),
            containerd_store,
        }
    })
}

/// A JSON answer from the engine at `host`, which must be 200.
pub fn get_json_on(host: &str, path: &str) -> serde_json::Value {
    let (status, body) = plain_get_on(host, path);
    assert_eq!(status, 200, "{path} on {host}: {}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{path} on {host} is not JSON: {e}"))
}

/// How long another client's `/system/df` may keep ours waiting.
const DF_PATIENCE: Duration = Duration::from_secs(600);

/// `GET /system/df`, waiting (with a bound) while another client's run holds the engine: it
/// refuses a second one at once. Returns the answer and how long the engine took to give it.
pub fn system_df() -> (serde_json::Value, Duration) {
    let give_up = std::time::Instant::now() + DF_PATIENCE;
    loop {
        let started = std::time::Instant::now();
        let (status, body) = plain_get("/system/df");
        let took = started.elapsed();
        let text = String::from_utf8_lossy(&body);
        if status == 500 && text.contains("a disk usage operation is already running") {
            assert!(
                std::time::Instant::now() < give_up,
                "another /system/df held the engine for {DF_PATIENCE:?}"
            );
            // Polling an answer that only another client can end: no event to wait on.
            std::thread::sleep(Duration::from_millis(200));
            continue;
        }
        assert_eq!(status, 200, "/system/df: {text}");
        return (serde_json::from_slice(&body).expect("/system/df is JSON"), took);
    }
}
