//! Processes and places a test starts and must clean up: temporary folders, loopback ports, and
//! programs run with a bound on their time (never a shell string: argument lists only).

use std::fs::File;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub const POLL: Duration = Duration::from_millis(20);
/// The longest a helper (stunnel, sshd, podman's service) may take to listen.
pub const SERVICE_START: Duration = Duration::from_secs(20);
/// The longest one dockdu run may take.
pub const DOCKDU_RUN: Duration = Duration::from_secs(60);

/// A folder under the system's temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(role: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("{}-{role}", super::new_run_id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A subfolder, created.
    pub fn sub(&self, name: &str) -> PathBuf {
        let dir = self.0.join(name);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
        dir
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a loopback port");
    listener.local_addr().expect("its address").port()
}

/// Waits (bounded) until `port` accepts connections, or `child` has died.
pub fn wait_for_port(what: &str, port: u16, child: &mut Child, log: &Path) {
    let started = Instant::now();
    loop {
        if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return;
        }
        let log = || std::fs::read_to_string(log).unwrap_or_default();
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited ({status}) before listening on {port}; its log:\n{}", log());
        }
        if started.elapsed() > SERVICE_START {
            panic!("{what} did not listen on {port} within {SERVICE_START:?}; its log:\n{}", log());
        }
        std::thread::sleep(POLL);
    }
}

/// Starts a helper service with its output in `log`; `install` says how to get it when missing.
pub fn spawn_service(mut command: Command, log: &Path, install: &str) -> Child {
    let log_file = File::create(log).unwrap_or_else(|e| panic!("creating {}: {e}", log.display()));
    command
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().expect("the log file"))
        .stderr(log_file)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {:?} ({e}): {install}", command.get_program()))
}

/// No Docker variable of the caller's reaches `command`: the test decides them all.
pub fn without_docker_env(command: &mut Command) -> &mut Command {
    for name in ["DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKDU_LOG"] {
        command.env_remove(name);
    }
    command
}

pub struct Run {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `command` to its end, at most `limit`, its output captured in `dir`; off the async workers.
pub async fn run_bounded(mut command: Command, dir: PathBuf, limit: Duration) -> Run {
    tokio::task::spawn_blocking(move || {
        let (stdout_path, stderr_path) = (dir.join("stdout"), dir.join("stderr"));
        let mut child = command
            .stdout(File::create(&stdout_path).expect("stdout file"))
            .stderr(File::create(&stderr_path).expect("stderr file"))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {:?}: {e}", command.get_program()));
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("waiting for the program") {
                break status;
            }
            if started.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{:?} did not finish within {limit:?}; stderr so far:\n{}",
                    command.get_program(),
                    std::fs::read_to_string(&stderr_path).unwrap_or_default()
                );
            }
            std::thread::sleep(POLL);
        };
        let read = |path: &Path| std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
        Run { status, stdout: read(&stdout_path), stderr: read(&stderr_path) }
    })
    .await
    .expect("the runner panicked")
}
