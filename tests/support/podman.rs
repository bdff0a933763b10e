//! A Podman service of the test's own, on a unix socket in a temporary folder: private storage
//! (`--root`, `--runroot`, `--tmpdir`) and XDG folders, so nothing touches a user's Podman; a
//! `containers.conf` with `default_ulimits` (without it, containers created through the API fail
//! to start here with "error setting rlimit type 7"); the busybox test image imported with
//! `podman import`. Everything is labelled with the run id; the service is killed and what it
//! holds removed on drop (never `system reset`, which also deletes networks outside the storage).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Instant;

use super::process::{spawn_service, TempDir, POLL, SERVICE_START};

/// `containers.conf`: the ulimits, and a network folder of the test's own.
fn containers_conf(dir: &Path) -> String {
    let networks = dir.join("networks");
    format!(
        "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]\n\n[network]\n\
         network_config_dir = \"{}\"\n",
        networks.display()
    )
}

pub struct Podman {
    pub dir: TempDir,
    pub run_id: String,
    /// `localhost/dockdu-test/busybox:<run id>`.
    pub image: String,
    service: Child,
}

impl Podman {
    /// Starts the service, waits (bounded) until it answers a ping, imports the test image.
    pub fn start(run_id: &str) -> Podman {
        let dir = TempDir::new("podman");
        std::fs::write(dir.path().join("containers.conf"), containers_conf(dir.path()))
            .expect("containers.conf");
        for sub in ["root", "runroot", "tmp", "xdg-runtime", "xdg-config", "xdg-data", "networks"] {
            dir.sub(sub);
        }
        let socket = dir.path().join("podman.sock");
        let log = dir.path().join("service.log");
        let mut command = Podman::command_in(dir.path());
        command.args(["system", "service", "--time=0"]).arg(format!("unix://{}", socket.display()));
        let mut service = spawn_service(command, &log, "install podman (`bash .ci/run` does)");
        let started = Instant::now();
        while !answers(&socket) {
            let log = || std::fs::read_to_string(&log).unwrap_or_default();
            if let Ok(Some(status)) = service.try_wait() {
                panic!("podman's service exited ({status}) before answering; its log:\n{}", log());
            }
            if started.elapsed() > SERVICE_START {
                let _ = service.kill();
                panic!("podman's service did not answer within {SERVICE_START:?}; its log:\n{}", log());
            }
            std::thread::sleep(POLL);
        }
        let image = format!("localhost/{}:{run_id}", super::IMAGE_REPO);
        let podman = Podman { dir, run_id: run_id.to_owned(), image, service };
        let tar = podman.dir.path().join("rootfs.tar");
        std::fs::write(&tar, super::rootfs_tar()).expect("writing the rootfs tar");
        let label = format!("LABEL {}={run_id}", super::LABEL);
        podman.run(&[
            "import",
            "--change",
            &label,
            "--change",
            "CMD [\"/bin/sh\"]",
            &tar.to_string_lossy(),
            &podman.image,
        ]);
        podman
    }

    /// `podman` with the test's storage, folders and configuration.
    fn command_in(dir: &Path) -> Command {
        let mut command = Command::new("podman");
        command
            .arg("--root")
            .arg(dir.join("root"))
            .arg("--runroot")
            .arg(dir.join("runroot"))
            .arg("--tmpdir")
            .arg(dir.join("tmp"))
            .args(["--events-backend", "file", "--cgroup-manager", "cgroupfs"])
            .env("CONTAINERS_CONF", dir.join("containers.conf"))
            .env("XDG_RUNTIME_DIR", dir.join("xdg-runtime"))
            .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
            .env("XDG_DATA_HOME", dir.join("xdg-data"));
        command
    }

    /// Runs the podman CLI on the test's storage; panics with its stderr if it fails.
    pub fn run(&self, args: &[&str]) -> String {
        let output: Output = Podman::command_in(self.dir.path())
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run podman {args:?}: {e}"));
        assert!(
            output.status.success(),
            "podman {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    pub fn socket(&self) -> PathBuf {
        self.dir.path().join("podman.sock")
    }

    pub fn host(&self) -> String {
        format!("unix://{}", self.socket().display())
    }

    /// `<run id>-<role>`, like the Docker scenario's names.
    pub fn name(&self, role: &str) -> String {
        format!("{}-{role}", self.run_id)
    }

    pub fn label(&self) -> String {
        format!("{}={}", super::LABEL, self.run_id)
    }
}

/// Whether something answers HTTP on the socket.
fn answers(socket: &Path) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::os::unix::net::UnixStream::connect(socket) else { return false };
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(2)));
    if stream.write_all(b"GET /_ping HTTP/1.0\r\nHost: podman\r\n\r\n").is_err() {
        return false;
    }
    let mut answer = [0u8; 12];
    stream.read_exact(&mut answer).is_ok() && answer.starts_with(b"HTTP/1.")
}

impl Drop for Podman {
    fn drop(&mut self) {
        let _ = self.service.kill();
        let _ = self.service.wait();
        // Everything lives in the test's own storage: removing all of it removes only the test's
        // objects, and unmounts their layers so the folder can go.
        for args in [
            &["rm", "--all", "--force", "--time", "0"][..],
            &["volume", "rm", "--all", "--force"],
            &["rmi", "--all", "--force"],
        ] {
            let removed = Podman::command_in(self.dir.path())
                .args(args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            if !removed.is_ok_and(|status| status.success()) {
                eprintln!("podman {args:?} failed in {}", self.dir.path().display());
            }
        }
    }
}
