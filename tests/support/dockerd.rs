//! A second Docker daemon of the test's own, beside the machine's engine: `/usr/sbin/dockerd`
//! with its own data root, exec root, pidfile, socket, configuration file and engine key, so that
//! a test may plant files in its data root (never in the machine's). No containerd answers at
//! `/run/containerd`, so the daemon starts and supervises a containerd of its own under its exec
//! root; `start` checks that it did. Stopped, and everything it left removed, on drop.
//!
//! What running one here takes:
//! - the machine's `/etc/docker/daemon.json` sets `data-root` and `storage-driver`, and dockerd
//!   refuses to start when a flag repeats a key of its file: the daemon reads a file of ours;
//! - that file names an engine key of ours (`deprecated-key-path`): with the default one
//!   (`/etc/docker/key.json`) both engines would report the same engine ID;
//! - unix socket paths must stay below 108 bytes, and containerd's sockets live under the exec
//!   root: the exec root is a short folder of its own, `/tmp/ddu-<random>`;
//! - Engine 20.10 speaks API 1.41 at most and answers 400 to a request whose path names a newer
//!   version; bollard 0.21's paths name none (its `/v1.53` prefix is lost when it joins the
//!   absolute path of the call), so the daemon answers them at its own version and `docker()`
//!   needs no negotiation, like `support::connect()`;
//! - dockerd bind-mounts its data root onto itself (to make it a shared mount) and undoes it on
//!   a clean stop; container layers are fuse-overlayfs mounts, each with its own process, and the
//!   shims and those processes are reparented to init, outside the daemon's process tree. A daemon
//!   that had to be killed leaves all of them: drop ends every process that names one of this
//!   engine's folders (and their descendants: the containers), unmounts what is mounted under
//!   them, and removes the folders only when nothing is mounted there any more;
//! - the shims' sockets are in `/run/containerd/s`, shared with the machine's engine but named by
//!   a hash of the containerd address, so they never collide; each shim removes its own on exit,
//!   and drop removes those of shims it had to kill.
//!
//! Give the daemon a longer life than what uses it: create the `SecondDockerd` before a
//! `Scenario::on(second.docker())`, so that the scenario is dropped (and cleans up on this
//! engine) first.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bollard::{Docker, API_DEFAULT_VERSION};

use super::process::{spawn_service, without_docker_env, TempDir, POLL, SERVICE_START};

const DOCKERD: &str = "/usr/sbin/dockerd";
/// The longest the daemon may take to answer a ping: its containerd starts first.
const DAEMON_START: Duration = Duration::from_secs(30);
/// The longest the daemon may take to stop after SIGTERM: it stops running containers first, each
/// within its stop timeout (10 s by default).
const DAEMON_STOP: Duration = Duration::from_secs(20);
/// The longest a process may take to go after SIGKILL.
const KILLED: Duration = Duration::from_secs(5);
/// The longest one plain request on the socket may take.
const IO_TIMEOUT: Duration = Duration::from_secs(2);
/// bollard's request timeout, in seconds (its default).
const CLIENT_TIMEOUT: u64 = 120;
/// `sizeof(sockaddr_un.sun_path)`, counting the final NUL.
const SUN_PATH: usize = 108;

/// A short folder under /tmp, removed on drop.
struct ExecRoot(PathBuf);

impl ExecRoot {
    fn new() -> ExecRoot {
        for _ in 0..16 {
            let dir = PathBuf::from(format!("/tmp/ddu-{:08x}", super::rand_u64() as u32));
            match std::fs::create_dir(&dir) {
                Ok(()) => return ExecRoot(dir),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => panic!("creating {}: {e}", dir.display()),
            }
        }
        panic!("no free /tmp/ddu-<random> folder in 16 tries");
    }
}

impl Drop for ExecRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub struct SecondDockerd {
    /// Data root, pidfile, socket, configuration, engine key and log. `None` once left in place.
    dir: Option<TempDir>,
    /// `None` once left in place.
    exec_root: Option<ExecRoot>,
    /// Kept apart from the folders, to name them after they are gone.
    dir_path: PathBuf,
    data_root: PathBuf,
    exec_root_path: PathBuf,
    daemon: Child,
    run_id: String,
}

impl SecondDockerd {
    /// Starts the daemon, labelled `dockdu.test=<run id>`, and waits (bounded) until it answers a
    /// ping; panics with its log if it exits first, takes too long, or did not start a containerd
    /// of its own.
    pub fn start(run_id: &str) -> SecondDockerd {
        let dir = TempDir::new("dockerd");
        let exec_root = ExecRoot::new();
        let data_root = dir.sub("data-root");
        let path = |name: &str| dir.path().join(name);
        let socket = path("docker.sock");
        for unix_socket in [socket.clone(), exec_root.0.join("containerd/containerd.sock.ttrpc")] {
            assert!(
                unix_socket.as_os_str().len() < SUN_PATH,
                "{} is too long for a unix socket ({SUN_PATH} bytes at most): shorten the temp dir",
                unix_socket.display()
            );
        }
        let config = serde_json::json!({ "deprecated-key-path": path("key.json") });
        std::fs::write(path("daemon.json"), config.to_string()).expect("writing daemon.json");

        let mut command = Command::new(DOCKERD);
        without_docker_env(&mut command)
            .arg("--data-root")
            .arg(&data_root)
            .arg("--exec-root")
            .arg(&exec_root.0)
            .arg("--pidfile")
            .arg(path("docker.pid"))
            .arg("-H")
            .arg(format!("unix://{}", socket.display()))
            .arg("--config-file")
            .arg(path("daemon.json"))
            .args(["--storage-driver", "fuse-overlayfs", "--bridge=none", "--iptables=false"])
            .args(["--ip6tables=false", "--label"])
            .arg(format!("{}={run_id}", super::LABEL));
        let daemon = spawn_service(command, &path("dockerd.log"), "install docker.io (`bash .ci/run` does)");
        // From here on, a panic drops the daemon: stopped, and its folders removed.
        let mut second = SecondDockerd {
            dir_path: dir.path().to_owned(),
            data_root,
            exec_root_path: exec_root.0.clone(),
            dir: Some(dir),
            exec_root: Some(exec_root),
            daemon,
            run_id: run_id.to_owned(),
        };
        second.wait_until_it_answers();
        let containerd = second.exec_root_path.join("containerd/containerd.toml");
        let own = processes_naming(&second.exec_root_path).iter().any(|(_, args)| {
            args.first().is_some_and(|a| a.ends_with("containerd")) && args.contains(&path_text(&containerd))
        });
        if !own {
            panic!(
                "dockerd did not start a containerd of its own under {} (does one answer at \
                 /run/containerd/containerd.sock?); its log:\n{}",
                second.exec_root_path.display(),
                second.log_text()
            );
        }
        second
    }

    fn wait_until_it_answers(&mut self) {
        let started = Instant::now();
        let limit = DAEMON_START.max(SERVICE_START);
        loop {
            if matches!(get(&self.socket(), "/_ping"), Ok((200, body)) if body == b"OK") {
                return;
            }
            if let Ok(Some(status)) = self.daemon.try_wait() {
                panic!("dockerd exited ({status}) before answering; its log:\n{}", self.log_text());
            }
            if started.elapsed() > limit {
                panic!("dockerd did not answer within {limit:?}; its log:\n{}", self.log_text());
            }
            std::thread::sleep(POLL);
        }
    }

    pub fn socket(&self) -> PathBuf {
        self.dir_path.join("docker.sock")
    }

    /// `unix://<socket>`, for `DOCKER_HOST` or `--host`.
    pub fn host(&self) -> String {
        format!("unix://{}", self.socket().display())
    }

    /// The daemon's `--data-root`: where its images, containers and volumes live.
    pub fn data_root(&self) -> &Path {
        &self.data_root
    }

    /// The daemon's `--exec-root` (its containerd's state and sockets are under it).
    pub fn exec_root(&self) -> &Path {
        &self.exec_root_path
    }

    pub fn log(&self) -> PathBuf {
        self.dir_path.join("dockerd.log")
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(self.log()).unwrap_or_default()
    }

    /// The daemon's process id.
    pub fn pid(&self) -> u32 {
        self.daemon.id()
    }

    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    /// A bollard client for this daemon (which answered a ping in `start`).
    pub fn docker(&self) -> Docker {
        Docker::connect_with_unix(&path_text(&self.socket()), CLIENT_TIMEOUT, API_DEFAULT_VERSION)
            .unwrap_or_else(|e| panic!("connecting to the second dockerd at {}: {e}", self.host()))
    }
}

impl SecondDockerd {
    /// SIGTERM, a bounded wait (the daemon stops its containers and its containerd first), then
    /// SIGKILL if it is still there.
    fn stop(&mut self) {
        if !matches!(self.daemon.try_wait(), Ok(None)) {
            return;
        }
        // SAFETY: kill(2) takes no memory; the pid is our child's, not yet reaped, so still its.
        unsafe { libc::kill(self.daemon.id() as libc::pid_t, libc::SIGTERM) };
        let daemon = &mut self.daemon;
        if wait_for(|| !matches!(daemon.try_wait(), Ok(None)), DAEMON_STOP) {
            return;
        }
        eprintln!("dockerd ({}) ignored SIGTERM for {DAEMON_STOP:?}: killing it", self.run_id);
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

impl Drop for SecondDockerd {
    fn drop(&mut self) {
        let mut problems = Vec::new();
        self.stop();
        let roots = [self.dir_path.clone(), self.exec_root_path.clone()];
        // Its containerd, shims, containers and fuse-overlayfs processes, if the daemon left any.
        let left = descendants(
            &roots.iter().flat_map(|root| processes_naming(root)).map(|(pid, _)| pid).collect::<Vec<_>>(),
        );
        if !left.is_empty() {
            eprintln!("the second dockerd ({}) left processes {left:?}: killing them", self.run_id);
            for pid in &left {
                // SAFETY: kill(2) takes no memory; these processes name this engine's folders
                // (or descend from one that does): they are this test's.
                unsafe { libc::kill(*pid as libc::pid_t, libc::SIGKILL) };
            }
            if !wait_for(|| left.iter().all(|pid| !alive(*pid)), KILLED) {
                let alive: Vec<_> = left.iter().filter(|pid| alive(**pid)).collect();
                problems.push(format!("processes {alive:?} outlived SIGKILL by {KILLED:?}"));
            }
        }
        remove_shim_sockets(&self.exec_root_path);
        let failures = unmount_under(&roots);
        let mounted: Vec<PathBuf> = roots.iter().flat_map(|root| mounts_under(root)).collect();
        if mounted.is_empty() {
            drop(self.exec_root.take());
            drop(self.dir.take());
        } else {
            // Removing through a mount could reach files outside the test's folders.
            problems
                .push(format!("still mounted, so the folders are left in place: {mounted:?} ({failures:?})"));
            std::mem::forget(self.exec_root.take());
            std::mem::forget(self.dir.take());
        }
        if !problems.is_empty() {
            let message = format!(
                "the second dockerd ({}, log {}): {}",
                self.run_id,
                self.log().display(),
                problems.join("; ")
            );
            if std::thread::panicking() {
                eprintln!("{message}");
            } else {
                panic!("{message}");
            }
        }
    }
}

/// Where containerd 1.6's shims put their sockets, whoever started them (the machine's engine too).
const SHIM_SOCKETS: &str = "/run/containerd/s";

/// Removes the sockets of this engine's shims, named in their bundles' `address` files: a shim
/// removes its own when it exits, but not when it is killed. Called once they are all gone.
fn remove_shim_sockets(exec_root: &Path) {
    let tasks = exec_root.join("containerd/daemon/io.containerd.runtime.v2.task");
    let bundles = std::fs::read_dir(tasks)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|namespace| std::fs::read_dir(namespace.path()).into_iter().flatten().flatten());
    for bundle in bundles {
        let Ok(address) = std::fs::read_to_string(bundle.path().join("address")) else { continue };
        let Some(socket) = address.trim().strip_prefix("unix://").map(PathBuf::from) else { continue };
        if socket.parent() == Some(Path::new(SHIM_SOCKETS)) {
            let _ = std::fs::remove_file(&socket);
        }
    }
}

/// One HTTP/1.0 GET on a unix socket, read to the end (each read and write bounded): the status
/// and the body.
fn get(socket: &Path, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
    let mut stream = UnixStream::connect(socket)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: docker\r\n\r\n")?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let bad = || std::io::Error::other(format!("not an HTTP answer: {}", String::from_utf8_lossy(&answer)));
    let end = answer.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(bad)?;
    let head = String::from_utf8_lossy(&answer[..end]);
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    Ok((status, answer[end + 4..].to_vec()))
}

/// Polls `done` until it holds (true) or `limit` has passed (false).
fn wait_for(mut done: impl FnMut() -> bool, limit: Duration) -> bool {
    let started = Instant::now();
    loop {
        if done() {
            return true;
        }
        if started.elapsed() > limit {
            return false;
        }
        std::thread::sleep(POLL);
    }
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

struct Process {
    pid: u32,
    parent: u32,
    args: Vec<String>,
}

/// The living processes other than this one (zombies are gone already: only their exit status is
/// left for their parent), read from /proc.
fn processes() -> Vec<Process> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    let me = std::process::id();
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|name| name.parse::<u32>().ok()) else {
            continue;
        };
        let Some((state, parent)) = state_and_parent(pid) else { continue };
        if pid == me || state == 'Z' {
            continue;
        }
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let args = cmdline
            .split(|b| *b == 0)
            .filter(|arg| !arg.is_empty())
            .map(|arg| String::from_utf8_lossy(arg).into_owned())
            .collect();
        found.push(Process { pid, parent, args });
    }
    found
}

/// From `/proc/<pid>/stat`: the state letter and the parent's pid (after the command's name,
/// which is in parentheses and may hold spaces and parentheses itself).
fn state_and_parent(pid: u32) -> Option<(char, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let mut fields = stat[stat.rfind(')')? + 1..].split_whitespace();
    let state = fields.next()?.chars().next()?;
    Some((state, fields.next()?.parse().ok()?))
}

/// Whether `pid` is a living process (not gone, not a zombie).
pub fn alive(pid: u32) -> bool {
    state_and_parent(pid).is_some_and(|(state, _)| state != 'Z')
}

/// The living processes with an argument that is `root` or names something under it: for this
/// engine's folders, its dockerd, containerd, shims and fuse-overlayfs processes. Pid and
/// arguments.
pub fn processes_naming(root: &Path) -> Vec<(u32, Vec<String>)> {
    let root = path_text(root);
    let under = format!("{root}/");
    processes()
        .into_iter()
        .filter(|p| p.args.iter().any(|arg| *arg == root || arg.contains(&under)))
        .map(|p| (p.pid, p.args))
        .collect()
}

/// `pids` and every living process descending from one of them (a shim's container).
fn descendants(pids: &[u32]) -> Vec<u32> {
    let all = processes();
    let mut found: Vec<u32> = pids.to_vec();
    loop {
        let more: Vec<u32> = all
            .iter()
            .filter(|p| found.contains(&p.parent) && !found.contains(&p.pid))
            .map(|p| p.pid)
            .collect();
        if more.is_empty() {
            return found;
        }
        found.extend(more);
    }
}

/// The mount points at `root` or under it, in this process's mount namespace (which dockerd
/// shares), as listed in /proc/self/mountinfo.
pub fn mounts_under(root: &Path) -> Vec<PathBuf> {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    mountinfo
        .lines()
        .filter_map(|line| line.split(' ').nth(4))
        .map(|point| PathBuf::from(unescape_mount_point(point)))
        .filter(|point| point.starts_with(root))
        .collect()
}

/// mountinfo writes a space, tab, newline and backslash in a path as `\` and three octal digits.
fn unescape_mount_point(point: &str) -> String {
    let bytes = point.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal =
            bytes.get(i + 1..i + 4).and_then(|d| u8::from_str_radix(std::str::from_utf8(d).ok()?, 8).ok());
        match (bytes[i], octal) {
            (b'\\', Some(byte)) => {
                out.push(byte);
                i += 4;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Unmounts (lazily, deepest first) everything mounted under `roots`: `umount -l`, else
/// `fusermount -u -z`. Returns what failed, for the report if something stays mounted.
fn unmount_under(roots: &[PathBuf]) -> Vec<String> {
    let mut points: Vec<PathBuf> = roots.iter().flat_map(|root| mounts_under(root)).collect();
    points.sort_by_key(|point| std::cmp::Reverse(point.components().count()));
    let mut failures = Vec::new();
    for point in points {
        let attempts: [(&str, &[&str]); 2] = [("umount", &["-l"]), ("fusermount", &["-u", "-z"])];
        let mut errors = Vec::new();
        for (program, args) in attempts {
            match Command::new(program).args(args).arg(&point).stdin(Stdio::null()).output() {
                Ok(output) if output.status.success() => {
                    errors.clear();
                    break;
                }
                Ok(output) => {
                    errors.push(format!("{program}: {}", String::from_utf8_lossy(&output.stderr).trim()))
                }
                Err(e) => errors.push(format!("{program}: {e}")),
            }
        }
        if !errors.is_empty() {
            failures.push(format!("{}: {}", point.display(), errors.join(", ")));
        }
    }
    failures
}
