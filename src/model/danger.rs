//! Bind sources that hand the host to a container: the engine's socket (root on the host), the
//! host's root, its configuration, kernel interfaces, homes and the engine's own store.
//!
//! Where a subpath counts too:
//! - `/proc`, `/sys`, `/dev`: every subpath (`/proc/sysrq-trigger`, `/sys/fs/cgroup`, `/dev/sda`
//!   reach the kernel or a disk directly).
//! - `/var/lib/docker`: every subpath (other containers' layers and volumes), and every folder
//!   holding it (`/var`, `/var/lib`).
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
    /// `/var/lib/docker`: every container's layers and volumes.
    EngineData,
}

/// A dangerous bind; a writable one is the loudest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Danger {
    pub kind: DangerKind,
    pub writable: bool,
}

const ENGINE_DATA: &str = "/var/lib/docker";
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

/// The danger of binding `source` (a host path), `rw` or not. `engine_socket` is the unix socket
/// dockdu reaches the engine through, if it does (`unix:///var/run/docker.sock` or a bare path).
pub fn classify(source: &str, rw: bool, engine_socket: Option<&str>) -> Option<Danger> {
    kind(source, engine_socket).map(|kind| Danger { kind, writable: rw })
}

fn kind(source: &str, engine_socket: Option<&str>) -> Option<DangerKind> {
    let source = normalize(source)?;
    if source == "/" {
        return Some(DangerKind::HostRoot);
    }
    let name = source.rsplit('/').next().unwrap_or_default();
    let socket = engine_socket.and_then(|s| normalize(s.strip_prefix("unix://").unwrap_or(s)));
    if SOCKET_NAMES.contains(&name) || socket.is_some_and(|socket| within(&socket, &source)) {
        return Some(DangerKind::EngineSocket);
    }
    if within(&source, ENGINE_DATA) || within(ENGINE_DATA, &source) {
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

    const SOCKET: Option<&str> = Some("unix:///var/run/docker.sock");

    fn kind_of(source: &str) -> Option<DangerKind> {
        classify(source, true, SOCKET).map(|d| d.kind)
    }

    #[test]
    fn the_engine_socket_is_flagged_by_name_by_path_and_through_its_folder() {
        assert_eq!(kind_of("/var/run/docker.sock"), Some(DangerKind::EngineSocket));
        assert_eq!(kind_of("/run/docker.sock"), Some(DangerKind::EngineSocket));
        assert_eq!(kind_of("/run/user/1000/podman/podman.sock"), Some(DangerKind::EngineSocket));
        assert_eq!(kind_of("/var/run"), Some(DangerKind::EngineSocket));
        assert_eq!(kind_of("/run/"), Some(DangerKind::EngineSocket));
        let custom = Some("/srv/engine/api.sock");
        assert_eq!(classify("/srv/engine", false, custom).map(|d| d.kind), Some(DangerKind::EngineSocket));
        assert_eq!(classify("/srv/engine", false, Some("tcp://10.0.0.1:2375")), None);
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
    fn dots_are_read_as_the_engine_reads_them() {
        assert_eq!(kind_of("/srv/../etc"), Some(DangerKind::HostConfig));
        assert_eq!(kind_of("/srv/./data"), None);
        assert_eq!(kind_of("relative/etc"), None);
    }

    #[test]
    fn writable_is_carried_so_the_view_can_be_loudest_there() {
        assert_eq!(
            classify("/etc", false, None),
            Some(Danger { kind: DangerKind::HostConfig, writable: false })
        );
        assert_eq!(
            classify("/etc", true, None),
            Some(Danger { kind: DangerKind::HostConfig, writable: true })
        );
        assert_eq!(classify("/srv/www", true, SOCKET), None);
    }
}
