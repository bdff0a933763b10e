//! Reading tmpfs options the way Docker does, and which tmpfs mounts can be read here for how
//! much memory they hold.

use serde::Serialize;

use super::facts::TmpfsFacts;
use super::ContainerId;

/// Why a tmpfs's use is not known; the view turns it into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TmpfsUnread {
    /// Asked for, not answered yet.
    Pending,
    /// The engine is on another machine: its containers' files are not here.
    RemoteEngine,
    /// The container is not running: a tmpfs exists only while it runs, and holds nothing.
    NotRunning,
    /// The engine named no process for the running container.
    NoPid,
    /// The container's root (`/proc/<pid>/root`) is closed to this user.
    PermissionDenied,
    /// The process or the destination went away while reading.
    Gone,
    /// The destination is not a tmpfs any more (something was mounted over it).
    NotATmpfs,
    /// This operating system has no `/proc/<pid>/root`.
    Unsupported,
    /// Any other error from the kernel.
    Failed,
}

/// What a tmpfs holds in memory: bytes, or why that is not known.
pub type TmpfsUse = Result<u64, TmpfsUnread>;

/// One tmpfs to read: the destination inside the container whose main process is `pid`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TmpfsProbe {
    pub container_id: ContainerId,
    pub pid: u32,
    pub destination: String,
}

impl TmpfsUnread {
    /// A word or two for table cells and the report.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "reading",
            Self::RemoteEngine => "remote engine",
            Self::NotRunning => "not running",
            Self::NoPid => "no process",
            Self::PermissionDenied => "permission denied",
            Self::Gone => "gone",
            Self::NotATmpfs => "not a tmpfs",
            Self::Unsupported => "unsupported",
            Self::Failed => "failed",
        }
    }

    /// The reason in words, for the detail pane and the report.
    pub fn why(self) -> &'static str {
        match self {
            Self::Pending => "reading…",
            Self::RemoteEngine => "the engine is on another machine",
            Self::NotRunning => "the container is not running (its tmpfs holds nothing)",
            Self::NoPid => "the engine named no process for the container",
            Self::PermissionDenied => "permission denied reading the container's root (run as root)",
            Self::Gone => "the container's process or the destination went away",
            Self::NotATmpfs => "something else is mounted there now",
            Self::Unsupported => "this system has no /proc/<pid>/root",
            Self::Failed => "the kernel refused to tell",
        }
    }
}

/// `--tmpfs /path:rw,size=16m,mode=1770` → size in bytes, octal mode, the other options.
pub fn parse_tmpfs_options(destination: &str, options: &str) -> TmpfsFacts {
    let mut facts =
        TmpfsFacts { destination: destination.to_owned(), size_limit: None, mode: None, options: Vec::new() };
    for option in options.split(',').map(str::trim).filter(|o| !o.is_empty()) {
        match option.split_once('=') {
            Some(("size", value)) if parse_ram_size(value).is_some() => {
                facts.size_limit = parse_ram_size(value)
            }
            Some(("mode", value)) if is_octal(value) => facts.mode = Some(value.to_owned()),
            _ => facts.options.push(option.to_owned()),
        }
    }
    facts
}

/// `--mount type=tmpfs` keeps size and mode as numbers; the mode is the decimal value of the octal
/// permission bits (1016 → "1770").
pub fn tmpfs_from_mount(
    destination: &str,
    size_bytes: Option<i64>,
    mode: Option<u32>,
    options: Vec<String>,
) -> TmpfsFacts {
    TmpfsFacts {
        destination: destination.to_owned(),
        size_limit: size_bytes.and_then(|s| u64::try_from(s).ok()).filter(|s| *s > 0),
        mode: mode.map(|m| format!("{m:o}")),
        options,
    }
}

/// The tmpfs mounts to read: those of running containers with a known process, on an engine on
/// this machine. `tmpfs` maps container ids to their mounts, `pids` to their main process.
pub fn probes<'a>(
    running: impl IntoIterator<Item = &'a str> + 'a,
    tmpfs: &'a std::collections::HashMap<ContainerId, Vec<TmpfsFacts>>,
    pids: &'a std::collections::HashMap<ContainerId, u32>,
) -> impl Iterator<Item = TmpfsProbe> + 'a {
    running.into_iter().flat_map(move |id| {
        let found = tmpfs.get(id).zip(pids.get(id).copied());
        found.into_iter().flat_map(move |(mounts, pid)| {
            mounts.iter().map(move |m| TmpfsProbe {
                container_id: id.into(),
                pid,
                destination: m.destination.clone(),
            })
        })
    })
}

fn is_octal(value: &str) -> bool {
    !value.is_empty() && value.chars().all(|c| ('0'..='7').contains(&c))
}

/// Docker's `RAMInBytes`: a number with an optional binary unit k, m, g, t, p (`16m`, `1.5G`,
/// `64MiB`, `512kb`); k/m/g are powers of 1024.
pub fn parse_ram_size(value: &str) -> Option<u64> {
    let value = value.trim();
    let split = value.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().ok()?;
    let unit = unit.trim_start().to_ascii_lowercase();
    let unit = unit.strip_suffix('b').unwrap_or(&unit);
    let unit = unit.strip_suffix('i').unwrap_or(unit);
    let power = match unit {
        "" => 0,
        "k" => 1,
        "m" => 2,
        "g" => 3,
        "t" => 4,
        "p" => 5,
        _ => return None,
    };
    let bytes = number * 1024f64.powi(power);
    (bytes.is_finite() && bytes >= 0.0).then_some(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_binary_as_docker_reads_them() {
        assert_eq!(parse_ram_size("16m"), Some(16 * 1024 * 1024));
        assert_eq!(parse_ram_size("16M"), Some(16_777_216));
        assert_eq!(parse_ram_size("64MiB"), Some(64 << 20));
        assert_eq!(parse_ram_size("512kb"), Some(512 << 10));
        assert_eq!(parse_ram_size("1g"), Some(1 << 30));
        assert_eq!(parse_ram_size("1.5g"), Some(3 << 29));
        assert_eq!(parse_ram_size("4096"), Some(4096));
        assert_eq!(parse_ram_size("50%"), None);
        assert_eq!(parse_ram_size("m"), None);
        assert_eq!(parse_ram_size("12x"), None);
    }

    #[test]
    fn tmpfs_flag_options_split_into_size_mode_and_the_rest() {
        let facts = parse_tmpfs_options("/t", "rw,size=16m,mode=1770,noexec");
        assert_eq!(facts.destination, "/t");
        assert_eq!(facts.size_limit, Some(16_777_216));
        assert_eq!(facts.mode.as_deref(), Some("1770"));
        assert_eq!(facts.options, ["rw", "noexec"]);
    }

    #[test]
    fn tmpfs_without_options_has_no_limit() {
        let facts = parse_tmpfs_options("/run", "");
        assert_eq!((facts.size_limit, facts.mode, facts.options.len()), (None, None, 0));
    }

    #[test]
    fn unreadable_size_stays_an_option() {
        let facts = parse_tmpfs_options("/t", "size=50%");
        assert_eq!(facts.size_limit, None);
        assert_eq!(facts.options, ["size=50%"]);
    }

    #[test]
    fn mount_syntax_mode_is_decimal_of_octal() {
        let facts = tmpfs_from_mount("/t2", Some(1_048_576), Some(1016), vec![]);
        assert_eq!(facts.mode.as_deref(), Some("1770"));
        assert_eq!(facts.size_limit, Some(1_048_576));
        assert_eq!(tmpfs_from_mount("/t", Some(0), None, vec![]).size_limit, None);
    }
}
