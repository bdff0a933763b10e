//! sshd on a free loopback port, with a host key and a client key made here (`ssh-keygen`), and
//! the client side dockdu uses: a `bin/ssh` that runs the system ssh with this test's own config
//! (keys, known hosts), so neither `~/.ssh` nor the system's sshd is read or written. The far
//! side is this machine: its `docker system dial-stdio` reaches the test engine. Killed and
//! removed on drop.

use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::process::{free_port, spawn_service, wait_for_port, TempDir};

/// The client's ssh: the system one with the test's config. The config's path comes from the
/// environment, so the script holds no generated text.
const SSH_WRAPPER: &str = "#!/bin/sh\nexec /usr/bin/ssh -F \"$DOCKDU_TEST_SSH_CONFIG\" \"$@\"\n";
/// sshd's privilege separation folder, which a machine without a running sshd may lack.
const PRIVSEP_DIR: &str = "/run/sshd";

pub struct Sshd {
    pub dir: TempDir,
    child: Child,
    pub port: u16,
    log: PathBuf,
}

fn keygen(path: &Path) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "dockdu-test", "-f"])
        .arg(path)
        .stdin(Stdio::null())
        .status()
        .unwrap_or_else(|e| {
            panic!("cannot run ssh-keygen ({e}): install openssh-client (or `bash .ci/run`)")
        });
    assert!(status.success(), "ssh-keygen for {} failed", path.display());
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

impl Sshd {
    /// sshd accepting the test's client key for the current user; the sessions it starts reach
    /// the test engine with an empty docker config of their own.
    pub fn start() -> Sshd {
        let dir = TempDir::new("sshd");
        let path = |name: &str| dir.path().join(name);
        keygen(&path("host_key"));
        keygen(&path("client_key"));
        std::fs::copy(path("client_key.pub"), path("authorized_keys")).expect("authorized_keys");
        let remote_config = dir.sub("remote-docker-config");
        let port = free_port();
        let config = [
            "ListenAddress 127.0.0.1".to_owned(),
            format!("Port {port}"),
            format!("HostKey {}", path("host_key").display()),
            "PidFile none".to_owned(),
            format!("AuthorizedKeysFile {}", path("authorized_keys").display()),
            "StrictModes no".to_owned(),
            "UsePAM no".to_owned(),
            "PasswordAuthentication no".to_owned(),
            "KbdInteractiveAuthentication no".to_owned(),
            "PermitRootLogin prohibit-password".to_owned(),
            format!("SetEnv DOCKER_CONFIG={} DOCKER_HOST={}", remote_config.display(), super::docker_host()),
            "LogLevel VERBOSE".to_owned(),
        ];
        write(&path("sshd_config"), &(config.join("\n") + "\n"));
        if !Path::new(PRIVSEP_DIR).exists() {
            std::fs::create_dir_all(PRIVSEP_DIR).expect("creating sshd's privilege separation folder");
        }
        let log = path("sshd.log");
        let mut command = Command::new("/usr/sbin/sshd");
        command.args(["-D", "-e", "-f"]).arg(path("sshd_config"));
        let mut child = spawn_service(command, &log, "install openssh-server (or `bash .ci/run`)");
        wait_for_port("sshd", port, &mut child, &log);

        let known_hosts = format!("[127.0.0.1]:{port} {}", read(&path("host_key.pub")));
        write(&path("known_hosts"), &known_hosts);
        let client_config = [
            "Host *".to_owned(),
            format!("  IdentityFile {}", path("client_key").display()),
            "  IdentitiesOnly yes".to_owned(),
            format!("  UserKnownHostsFile {}", path("known_hosts").display()),
            "  GlobalKnownHostsFile /dev/null".to_owned(),
            "  StrictHostKeyChecking yes".to_owned(),
        ];
        write(&path("ssh_config"), &(client_config.join("\n") + "\n"));
        let bin = dir.sub("bin");
        write(&bin.join("ssh"), SSH_WRAPPER);
        std::fs::set_permissions(bin.join("ssh"), std::fs::Permissions::from_mode(0o755)).expect("chmod ssh");
        Sshd { dir, child, port, log }
    }

    /// `ssh://USER@127.0.0.1:PORT`, the current user.
    pub fn host(&self) -> String {
        format!("ssh://{}@127.0.0.1:{}", current_user(), self.port)
    }

    /// What dockdu's environment needs for its `ssh` to be the test's: PATH first, the config.
    pub fn client_env(&self) -> Vec<(&'static str, OsString)> {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut paths = vec![self.dir.path().join("bin")];
        paths.extend(std::env::split_paths(&path));
        let path = std::env::join_paths(paths).expect("a PATH");
        vec![("PATH", path), ("DOCKDU_TEST_SSH_CONFIG", self.dir.path().join("ssh_config").into_os_string())]
    }

    /// A client key sshd does not know, in place of the real one: for a refused login.
    pub fn forget_client_key(&self) {
        keygen(&self.dir.path().join("stranger_key"));
        let config = read(&self.dir.path().join("ssh_config")).replace("client_key", "stranger_key");
        write(&self.dir.path().join("ssh_config"), &config);
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// ssh processes still running for this sshd (by the port on their command line).
    pub fn clients_left(&self) -> Vec<String> {
        let port = self.port.to_string();
        let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
        entries
            .flatten()
            .filter_map(|entry| std::fs::read(entry.path().join("cmdline")).ok())
            .map(|cmdline| {
                cmdline
                    .split(|&b| b == 0)
                    .map(|a| String::from_utf8_lossy(a).into_owned())
                    .collect::<Vec<_>>()
            })
            .filter(|args| {
                args.first().is_some_and(|a| a.ends_with("ssh"))
                    && args.windows(2).any(|pair| pair[0] == "-p" && pair[1] == port)
            })
            .map(|args| args.join(" "))
            .collect()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The user the tests run as (root in CI), by the `id` command rather than `$USER`, which a
/// CI environment may not set.
fn current_user() -> String {
    let output = Command::new("id").arg("-un").output().expect("running id -un");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}
