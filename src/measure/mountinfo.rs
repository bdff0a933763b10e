//! Where a running container's root is on the host, from `/proc/<pid>/mountinfo`: the way to
//! reach a writable layer that lives in a containerd snapshot (Docker's containerd image store),
//! whose inspect names no folder. The overlayfs snapshotter mounts an overlay whose `upperdir` is
//! the container's own layer; the native snapshotter bind-mounts a whole copy of the root, which
//! is then the layer the engine measures.

use std::path::{Path, PathBuf};

/// A container's root as its mount table shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootMount {
    /// An overlay: the writable layer is its upper directory.
    Overlay { upper: PathBuf },
    /// A folder bind-mounted as the root: `root` within the filesystem on device `device`.
    Folder { device: String, root: PathBuf },
}

/// One line of a mount table: `id parent major:minor root mount-point options … - fstype
/// source super-options`; paths escape space, tab, newline and backslash as octal.
struct MountLine<'a> {
    device: &'a str,
    root: PathBuf,
    mount_point: PathBuf,
    fs_type: &'a str,
    super_options: &'a str,
}

fn parse_line(line: &str) -> Option<MountLine<'_>> {
    let (fields, after) = line.split_once(" - ")?;
    let fields: Vec<&str> = fields.split(' ').collect();
    let mut after = after.split(' ');
    let fs_type = after.next()?;
    let _source = after.next()?;
    Some(MountLine {
        device: fields.get(2)?,
        root: PathBuf::from(unescape(fields.get(3)?)),
        mount_point: PathBuf::from(unescape(fields.get(4)?)),
        fs_type,
        super_options: after.next().unwrap_or(""),
    })
}

fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes.get(i + 1..i + 4).filter(|d| d.iter().all(|b| (b'0'..=b'7').contains(b)));
        match (bytes[i], octal) {
            (b'\\', Some(d)) => {
                out.push((d[0] - b'0') * 64 + (d[1] - b'0') * 8 + (d[2] - b'0'));
                i += 4;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The container's root (`/`) in its own mount table.
pub fn root_mount(container_table: &str) -> Option<RootMount> {
    let line = container_table.lines().filter_map(parse_line).find(|m| m.mount_point == Path::new("/"))?;
    if line.fs_type == "overlay" {
        let upper = line.super_options.split(',').find_map(|o| o.strip_prefix("upperdir="))?;
        return Some(RootMount::Overlay { upper: PathBuf::from(unescape(upper)) });
    }
    Some(RootMount::Folder { device: line.device.to_owned(), root: line.root })
}

/// The host path of a folder `root` within the filesystem on `device`, through a mount of that
/// filesystem in the host's table (the deepest root that contains it).
pub fn host_path(host_table: &str, device: &str, root: &Path) -> Option<PathBuf> {
    host_table
        .lines()
        .filter_map(parse_line)
        .filter(|m| m.device == device && root.starts_with(&m.root))
        .max_by_key(|m| m.root.components().count())
        .and_then(|m| Some(m.mount_point.join(root.strip_prefix(&m.root).ok()?)))
}

/// The host folder holding a running container's writable layer, read from the mount tables
/// of its main process and of this process.
pub fn writable_layer(pid: u32) -> Option<(PathBuf, RootMount)> {
    let container = std::fs::read_to_string(format!("/proc/{pid}/mountinfo")).ok()?;
    let mount = root_mount(&container)?;
    let path = match &mount {
        RootMount::Overlay { upper } => upper.clone(),
        RootMount::Folder { device, root } => {
            host_path(&std::fs::read_to_string("/proc/self/mountinfo").ok()?, device, root)?
        }
    };
    Some((path, mount))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Seen here: a container on Engine 26's containerd image store, native snapshotter.
    const NATIVE: &str = "110 60 254:0 /tmp/dde/containerd/data/containerd/daemon/io.containerd.snapshotter.v1.native/snapshots/4 / rw,relatime master:3 - ext4 /dev/vda rw,discard\n\
        111 110 0:51 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n";
    const HOST: &str = "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard\n\
        40 27 254:0 /tmp /srv/with\\040space rw - ext4 /dev/vda rw\n\
        41 27 0:30 / /tmp rw - tmpfs tmpfs rw\n";

    #[test]
    fn a_native_snapshot_is_found_through_the_hosts_mount_of_its_filesystem() {
        let mount = root_mount(NATIVE).unwrap();
        let RootMount::Folder { device, root } = &mount else { panic!("{mount:?}") };
        assert_eq!(device, "254:0");
        let path = host_path(HOST, device, root).unwrap();
        // The deepest mount of the same filesystem wins.
        assert_eq!(
            path,
            Path::new("/srv/with space/dde/containerd/data/containerd/daemon/io.containerd.snapshotter.v1.native/snapshots/4")
        );
        assert_eq!(host_path(HOST, "0:99", root), None, "no mount of that filesystem");
    }

    #[test]
    fn an_overlay_root_names_its_upper_directory() {
        let table = "300 200 0:77 / / rw - overlay overlay rw,lowerdir=/s/1/fs:/s/2/fs,upperdir=/s/3/fs,workdir=/s/3/work\n";
        assert_eq!(root_mount(table), Some(RootMount::Overlay { upper: PathBuf::from("/s/3/fs") }));
        assert_eq!(root_mount("garbage\n1 2 3\n"), None);
    }
}
