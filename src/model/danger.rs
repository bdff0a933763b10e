//! Bind sources that hand the host to a container: the engine's socket (root on the host), the
//! host's root, its configuration, kernel interfaces, homes and the engine's own store.
//!
//! Where a subpath counts too:
//! - `/proc`, `/sys`, `/dev`: every subpath (`/proc/sysrq-trigger`, `/sys/fs/cgroup`, `/dev/sda`
//!   reach the kernel or a disk directly).
//! - the engine's data root, as the engine names it (`DockerRootDir` in `/info`: Docker's
//!   `--data-root`, `/var/lib/docker` by default; Podman's `GraphRoot`): every subpath (other
//!   containers' layers and volumes), and every folder holding it (`/var`, `/var/lib`). Until the
//!   engine has named it, no path is taken for it.
//! - the engine's socket: the socket itself, any `docker.sock` or `podman.sock`, and every folder
//!   holding the socket dockdu is connected to (`/run`, `/var/run`).
//! - `/`, `/etc`, `/boot`, `/root`, `/home`: the folder itself only. `/etc/localtime` or
//!   `/home/me/project` are ordinary binds; flagging them would bury the real ones.

use serde::Serialize;

/// Why a bind source is dangerous; the view turns it into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DangerKind {
    /// The engine's API socket: whoever reaches it is root on the host.
    EngineSocket,
    /// `/`: the whole host.
    HostRoot,
    /// `/etc`: users, passwords, sudoers, services.
    HostConfig,
    /// `/proc`: the host's processes and kernel settings.
    Proc,
    /// `/sys`: kernel, devices, cgroups.
    Sys,
    /// `/dev`: the host's devices, disks included.
    Devices,
    /// `/boot`: kernels and the boot loader.
    Boot,
    /// `/root`: root's home (ssh keys, shell start-up files).
    RootHome,
    /// `/home`: every user's home.
    Homes,
    /// The engine's data root (`/var/lib/docker` by default): every container's layers and volumes.
    EngineData,
}

/// A dangerous bind; a writable one is the loudest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Danger {
    pub kind: DangerKind,
    pub writable: bool,
}

/// Where the engine lives on its host, as far as dockdu knows: what a bind must not reach.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EnginePaths<'a> {
    /// The unix socket dockdu reaches the engine through, if it does (`unix:///var/run/docker.sock`
    /// or a bare path).
    pub socket: Option<&'a str>,
    /// The engine's data root (`DockerRootDir` from `/info`), once the engine has answered.
    pub root: Option<&'a str>,
}

const SOCKET_NAMES: [&str; 2] = ["docker.sock", "podman.sock"];

impl DangerKind {
    /// One line for the detail pane and the report: why this bind matters.
    pub fn why(self) -> &'static str {
        match self {
            Self::EngineSocket => {
                "the engine's socket: root on the host (it can start privileged containers)"
            }
            Self::HostRoot => "the host's whole file system",
            Self::HostConfig => "the host's configuration: users, passwords, sudoers, services",
            Self::Proc => "the host's processes and kernel settings",
            Self::Sys => "the host's kernel, devices and cgroups",
            Self::Devices => "the host's devices, its disks included",
            Self::Boot => "the host's kernels and boot loader",
            Self::RootHome => "root's home on the host: ssh keys, shell start-up files",
            Self::Homes => "every user's home on the host",
            Self::EngineData => "the engine's store: every container's layers and volumes",
        }
    }

    /// A short word for narrow columns and the report.
    pub fn label(self) -> &'static str {
        match self {
            Self::EngineSocket => "socket",
            Self::HostRoot => "host /",
            Self::HostConfig => "/etc",
            Self::Proc => "/proc",
            Self::Sys => "/sys",
            Self::Devices => "/dev",
            Self::Boot => "/boot",
            Self::RootHome => "/root",
            Self::Homes => "/home",
            Self::EngineData => "engine",
        }
    }
}

/// The danger of binding `source` (a host path), `rw` or not, into a container of the engine at
/// `engine`.
pub fn classify(source: &str, rw: bool, engine: EnginePaths) -> Option<Danger> {
    kind(source, engine).map(|kind| Danger { kind, writable: rw })
}

fn kind(source: &str, engine: EnginePaths) -> Option<DangerKind> {
    let source = normalize(source)?;
    if source == "/" {
        return Some(DangerKind::HostRoot);
    }
    let name = source.rsplit('/').next().unwrap_or_default();
    let socket = engine.socket.and_then(|s| normalize(s.strip_prefix("unix://").unwrap_or(s)));
    if SOCKET_NAMES.contains(&name) || socket.is_some_and(|socket| within(&socket, &source)) {
        return Some(DangerKind::EngineSocket);
    }
    if engine.root.and_then(normalize).is_some_and(|root| within(&source, &root) || within(&root, &source)) {
        return Some(DangerKind::EngineData);
    }
    let whole = [
        ("/etc", DangerKind::HostConfig),
        ("/boot", DangerKind::Boot),
        ("/root", DangerKind::RootHome),
        ("/home", DangerKind::Homes),
    ];
    if let Some((_, kind)) = whole.iter().find(|(path, _)| source == *path) {
        return Some(*kind);
    }
    let subtrees = [("/proc", DangerKind::Proc), ("/sys", DangerKind::Sys), ("/dev", DangerKind::Devices)];
    subtrees.iter().find(|(path, _)| within(&source, path)).map(|(_, kind)| *kind)
}

/// `path` is `folder` or inside it (both normalized).
fn within(path: &str, folder: &str) -> bool {
    folder == "/" || path.strip_prefix(folder).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// An absolute path without `.`, `..`, repeated or trailing slashes, and with `/var/run` (a link
/// to `/run` on every current distribution) read as `/run`. `None` for a relative path.
fn normalize(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    if parts.starts_with(&["var", "run"]) {
        parts.remove(0);
    }
    Some(format!("/{}", parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Docker's default `--data-root`, reached through its default socket.
    const DOCKER: EnginePaths =
        EnginePaths { socket: Some("unix:///var/run/docker.sock"), root: Some("/var/lib/docker") };

    fn kind_of(source: &str) -> Option<DangerKind> {
        classify(source, true, DOCKER).map(|d| d.kind)
    }

    fn kind_on(source: &str, engine: EnginePaths) -> Option<DangerKind> {
        classify(source, true, engine).map(|d| d.kind)
    }

    #[test]
    fn the_engine_socket_is_flagged_by_name_by_path_and_through_its_folder() {
        assert_eq!(kind_of("/var/run/docker.sock"), Some(DangerKind::EngineSocket));
        assert_eq!(kind_of("/run/docker.sock"), Some(DangerKind::EngineSocket));
        assert_eq!(kind_of("/run/user/1000/podman/podman.sock"), Some(DangerKind::EngineSocket));
        assert_eq!(kind_of("/var/run"), Some(DangerKind::EngineSocket));
        assert_eq!(kind_of("/run/"), Some(DangerKind::EngineSocket));
        let custom = EnginePaths { socket: Some("/srv/engine/api.sock"), root: None };
        assert_eq!(kind_on("/srv/engine", custom), Some(DangerKind::EngineSocket));
        let remote = EnginePaths { socket: Some("tcp://10.0.0.1:2375"), root: None };
        assert_eq!(kind_on("/srv/engine", remote), None);
        assert_eq!(kind_of("/run/lock"), None, "a sibling of the socket is not the socket");
    }

    #[test]
    fn whole_trees_are_flagged_only_as_a_whole() {
        assert_eq!(kind_of("/"), Some(DangerKind::HostRoot));
        assert_eq!(kind_of("//"), Some(DangerKind::HostRoot));
        assert_eq!(kind_of("/etc"), Some(DangerKind::HostConfig));
        assert_eq!(kind_of("/etc/"), Some(DangerKind::HostConfig));
        assert_eq!(kind_of("/boot"), Some(DangerKind::Boot));
        assert_eq!(kind_of("/root"), Some(DangerKind::RootHome));
        assert_eq!(kind_of("/home"), Some(DangerKind::Homes));
        assert_eq!(kind_of("/etc/localtime"), None);
        assert_eq!(kind_of("/home/me/project"), None);
        assert_eq!(kind_of("/etcetera"), None);
    }

    #[test]
    fn kernel_interfaces_and_the_engine_store_are_flagged_with_their_subpaths() {
        assert_eq!(kind_of("/proc"), Some(DangerKind::Proc));
        assert_eq!(kind_of("/proc/sysrq-trigger"), Some(DangerKind::Proc));
        assert_eq!(kind_of("/sys/fs/cgroup"), Some(DangerKind::Sys));
        assert_eq!(kind_of("/dev/sda"), Some(DangerKind::Devices));
        assert_eq!(kind_of("/var/lib/docker"), Some(DangerKind::EngineData));
        assert_eq!(kind_of("/var/lib/docker/volumes/x/_data"), Some(DangerKind::EngineData));
        assert_eq!(kind_of("/var"), Some(DangerKind::EngineData), "it holds the store");
        assert_eq!(kind_of("/var/lib/dockerd"), None);
        assert_eq!(kind_of("/devices"), None);
    }

    #[test]
    fn the_engines_data_root_is_the_one_it_names_wherever_it_is() {
        let moved = EnginePaths { root: Some("/srv/docker-data/"), ..DOCKER };
        assert_eq!(kind_on("/srv/docker-data", moved), Some(DangerKind::EngineData));
        assert_eq!(kind_on("/srv/docker-data/volumes/x/_data", moved), Some(DangerKind::EngineData));
        assert_eq!(kind_on("/srv", moved), Some(DangerKind::EngineData), "it holds the store");
        assert_eq!(kind_on("/srv/docker-data2", moved), None);
        assert_eq!(kind_on("/var/lib/docker", moved), None, "not this engine's store");
        assert_eq!(kind_on("/var", moved), None);
        let podman = EnginePaths { socket: None, root: Some("/var/lib/containers/storage") };
        assert_eq!(kind_on("/var/lib/containers/storage/volumes", podman), Some(DangerKind::EngineData));
        assert_eq!(kind_on("/var/lib/docker", podman), None);
        let dotted = EnginePaths { root: Some("/data/./docker/../engine"), ..DOCKER };
        assert_eq!(kind_on("/data/engine/overlay2", dotted), Some(DangerKind::EngineData));
    }

    #[test]
    fn until_the_engine_names_its_data_root_no_path_is_taken_for_it() {
        let unknown = EnginePaths { root: None, ..DOCKER };
        assert_eq!(kind_on("/var/lib/docker", unknown), None);
        assert_eq!(kind_on("/var/lib/docker/volumes/x/_data", unknown), None);
        assert_eq!(kind_on("/var/run/docker.sock", unknown), Some(DangerKind::EngineSocket));
        assert_eq!(kind_on("/etc", unknown), Some(DangerKind::HostConfig));
        let relative = EnginePaths { root: Some("docker"), ..DOCKER };
        assert_eq!(kind_on("/docker", relative), None, "a relative root names no host path");
    }

    #[test]
    fn dots_are_read_as_the_engine_reads_them() {
        assert_eq!(kind_of("/srv/../etc"), Some(DangerKind::HostConfig));
        assert_eq!(kind_of("/srv/./data"), None);
        assert_eq!(kind_of("relative/etc"), None);
    }

    #[test]
    fn writable_is_carried_so_the_view_can_be_loudest_there() {
        let unknown = EnginePaths::default();
        assert_eq!(
            classify("/etc", false, unknown),
            Some(Danger { kind: DangerKind::HostConfig, writable: false })
        );
        assert_eq!(
            classify("/etc", true, unknown),
            Some(Danger { kind: DangerKind::HostConfig, writable: true })
        );
        assert_eq!(classify("/srv/www", true, DOCKER), None);
    }
}
