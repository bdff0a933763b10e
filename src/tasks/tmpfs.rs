//! How much memory a running container's tmpfs holds, read on this machine with statfs through
//! `/proc/<pid>/root/<destination>`. Host I/O, blocking and quick: run it off the UI loop.

use std::collections::HashMap;

use crate::model::tmpfs::{TmpfsProbe, TmpfsUnread, TmpfsUse};
use crate::model::ContainerId;

/// Each probe's answer, keyed by (container id, destination).
pub fn read_all(probes: Vec<TmpfsProbe>) -> HashMap<(ContainerId, String), TmpfsUse> {
    probes
        .into_iter()
        .map(|p| {
            let used = used_bytes(p.pid, &p.destination);
            ((p.container_id, p.destination), used)
        })
        .collect()
}

/// Bytes in use on the tmpfs mounted at `destination` inside the root of process `pid`.
#[cfg(target_os = "linux")]
pub fn used_bytes(pid: u32, destination: &str) -> TmpfsUse {
    use rustix::fs::{OFlags, ResolveFlags};
    use rustix::io::Errno;

    const TMPFS_MAGIC: u64 = 0x0102_1994;
    let reason = |errno: Errno| match errno {
        Errno::ACCESS | Errno::PERM => TmpfsUnread::PermissionDenied,
        Errno::NOENT | Errno::SRCH | Errno::NOTDIR => TmpfsUnread::Gone,
        _ => TmpfsUnread::Failed,
    };
    let flags = OFlags::PATH | OFlags::CLOEXEC;
    let root =
        rustix::fs::open(format!("/proc/{pid}/root"), flags | OFlags::DIRECTORY, rustix::fs::Mode::empty())
            .map_err(reason)?;
    // The destination is resolved inside the container's root: a symlink there cannot lead to
    // the host's own files.
    let inside = destination.trim_start_matches('/');
    let inside = if inside.is_empty() { "." } else { inside };
    let resolve = ResolveFlags::IN_ROOT | ResolveFlags::NO_MAGICLINKS;
    let stats = match rustix::fs::openat2(&root, inside, flags, rustix::fs::Mode::empty(), resolve) {
        Ok(fd) => rustix::fs::fstatfs(&fd),
        // Kernels before 5.6 lack openat2: the mount point itself is what runc resolved safely.
        Err(Errno::NOSYS) => rustix::fs::statfs(format!("/proc/{pid}/root/{inside}")),
        Err(errno) => Err(errno),
    }
    .map_err(reason)?;
    #[allow(clippy::unnecessary_cast)] // the field's type differs between architectures
    let fs_type = stats.f_type as u64;
    if fs_type != TMPFS_MAGIC {
        return Err(TmpfsUnread::NotATmpfs);
    }
    let block = u64::try_from(stats.f_bsize).unwrap_or(0);
    Ok(stats.f_blocks.saturating_sub(stats.f_bfree).saturating_mul(block))
}

#[cfg(not(target_os = "linux"))]
pub fn used_bytes(_pid: u32, _destination: &str) -> TmpfsUse {
    Err(TmpfsUnread::Unsupported)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn own_pid() -> u32 {
        std::process::id()
    }

    #[test]
    fn a_tmpfs_here_reads_and_grows_by_what_is_written() {
        // /dev/shm is a tmpfs on every Linux this runs on; read through our own /proc root.
        let before = used_bytes(own_pid(), "/dev/shm").expect("/dev/shm is a readable tmpfs");
        let path = format!("/dev/shm/dockdu-tmpfs-test-{}", own_pid());
        std::fs::write(&path, vec![1u8; 256 << 10]).unwrap();
        let after = used_bytes(own_pid(), "/dev/shm");
        std::fs::remove_file(&path).unwrap();
        // Others may use /dev/shm too: most of ours shows, whatever they do meanwhile.
        assert!(after.unwrap() >= before + (192 << 10), "{before} → {after:?}");
    }

    #[test]
    fn what_is_not_a_tmpfs_or_not_there_says_why() {
        assert_eq!(used_bytes(own_pid(), "/proc"), Err(TmpfsUnread::NotATmpfs));
        assert_eq!(used_bytes(own_pid(), "/no/such/dir"), Err(TmpfsUnread::Gone));
        assert_eq!(used_bytes(u32::MAX, "/dev/shm"), Err(TmpfsUnread::Gone));
    }

    #[test]
    fn answers_are_keyed_by_container_and_destination() {
        let probe = |d: &str| TmpfsProbe { container_id: "c".into(), pid: own_pid(), destination: d.into() };
        let read = read_all(vec![probe("/dev/shm"), probe("/proc")]);
        assert!(read[&("c".into(), "/dev/shm".to_owned())].is_ok());
        assert_eq!(read[&("c".into(), "/proc".to_owned())], Err(TmpfsUnread::NotATmpfs));
    }
}
