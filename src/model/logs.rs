//! A container's log as the engine gives it: lines, each from stdout or stderr (or a terminal,
//! which mixes both), and the reasons a log cannot be read.

use super::EngineError;

/// Where a line was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogStream {
    Stdout,
    Stderr,
    /// The container has a terminal: stdout and stderr arrive as one stream.
    Terminal,
}

/// One line of a log, without its newline: the engine's text, not yet made safe to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub stream: LogStream,
    pub text: String,
    /// When the engine logged it (RFC 3339, the engine's clock): where to pick up after a restart.
    pub timestamp: Option<String>,
}

/// Why a log was not opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogsUnreadable {
    /// The container's logging driver keeps nothing the engine can read back (`none`, and on
    /// engines without dual logging `syslog`, `journald`, `gelf`, …).
    NotKept {
        /// `HostConfig.LogConfig.Type`, when the inspect said.
        driver: Option<String>,
        /// The engine's own words.
        detail: String,
    },
    Failed(EngineError),
}

impl LogsUnreadable {
    /// One line, for the footer: `L` says this instead of opening an empty view.
    pub fn line(&self, container: &str) -> String {
        match self {
            LogsUnreadable::NotKept { driver: Some(driver), .. } => {
                format!("{container} keeps no log: its logging driver “{driver}” does not support reading")
            }
            LogsUnreadable::NotKept { driver: None, detail } => {
                format!("{container} keeps no log: {}", detail.trim())
            }
            LogsUnreadable::Failed(error) => error.to_string(),
        }
    }
}

/// Where a log starts: its last lines, or just after a line already shown (a container that
/// started again while its log was open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogsFrom {
    Tail(usize),
    /// After this line's timestamp (as `LogLine::timestamp` gave it).
    After(String),
}

/// Drivers that keep nothing here (they send the lines elsewhere, or drop them). Any other
/// driver (Podman's k8s-file, a plugin) may keep a file, in a form dockdu does not read.
pub fn sends_elsewhere(driver: &str) -> bool {
    matches!(
        driver,
        "none"
            | "journald"
            | "syslog"
            | "gelf"
            | "fluentd"
            | "awslogs"
            | "splunk"
            | "gcplogs"
            | "etwlogs"
            | "logentries"
    )
}

/// How a container logs, as its inspect says (`HostConfig.LogConfig`, the daemon's defaults
/// merged in).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogConfig {
    /// `json-file`, `local`, `journald`, `none`, …; an empty `Type` is Docker's default, json-file.
    pub driver: String,
    pub max_size: Option<String>,
    pub max_file: Option<String>,
    pub compress: Option<String>,
}

impl LogConfig {
    /// Drivers whose files dockdu reads (and can truncate).
    pub fn keeps_files(&self) -> bool {
        matches!(self.driver.as_str(), "json-file" | "local")
    }

    /// json-file without `max-size` grows for as long as the container writes. (`local` rotates
    /// at 20 MB × 5 files unless told otherwise.)
    pub fn unbounded(&self) -> bool {
        self.driver == "json-file" && self.max_size.is_none()
    }
}

/// One file of a container's log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogFile {
    pub path: String,
    pub size: u64,
    pub disk_usage: u64,
    /// The file the engine writes to now (truncated to 0 by a truncate; the others are removed).
    pub current: bool,
    /// (device, inode): a truncate touches only the file it previewed.
    #[serde(skip)]
    pub identity: (u64, u64),
}

/// Why a log's size is not known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogSizeUnknown {
    /// The engine's files are on another machine.
    Remote,
    /// The driver keeps no file dockdu can read (journald, syslog, none, …).
    NoFile,
    /// The engine's files are closed to this user (they are root's): so are every container's.
    Denied(String),
    /// The files could not be read.
    Unreadable(String),
}

impl LogSizeUnknown {
    /// No container's log can be read here: the engine is elsewhere, or its files are closed.
    pub fn closes_every_log(&self) -> bool {
        matches!(self, LogSizeUnknown::Remote | LogSizeUnknown::Denied(_))
    }

    pub fn reason(&self, driver: &str) -> String {
        match self {
            LogSizeUnknown::Remote => "the engine's files are on another machine".to_owned(),
            LogSizeUnknown::NoFile if sends_elsewhere(driver) => {
                format!("the {driver} driver keeps no file here")
            }
            LogSizeUnknown::NoFile => format!("dockdu reads json-file and local logs, not {driver}"),
            LogSizeUnknown::Denied(why) | LogSizeUnknown::Unreadable(why) => why.clone(),
        }
    }
}

/// A container's log: how it is kept and what it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerLogs {
    pub config: LogConfig,
    /// Every file, the current one first; `Err` with the reason where they cannot be read.
    pub files: Result<Vec<LogFile>, LogSizeUnknown>,
}

impl ContainerLogs {
    pub fn size(&self) -> Option<u64> {
        self.files.as_ref().ok().map(|files| files.iter().map(|f| f.size).sum())
    }

    pub fn disk_usage(&self) -> Option<u64> {
        self.files.as_ref().ok().map(|files| files.iter().map(|f| f.disk_usage).sum())
    }

    pub fn unbounded(&self) -> bool {
        self.config.unbounded()
    }
}

/// `report --json`'s `containers[].logs`.
impl serde::Serialize for ContainerLogs {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("driver", &self.config.driver)?;
        map.serialize_entry("size", &self.size())?;
        map.serialize_entry("disk_usage", &self.disk_usage())?;
        map.serialize_entry("files", &self.files.as_ref().ok().map(Vec::len))?;
        map.serialize_entry("max_size", &self.config.max_size)?;
        map.serialize_entry("max_file", &self.config.max_file)?;
        map.serialize_entry("compress", &self.config.compress)?;
        map.serialize_entry("unbounded", &self.unbounded())?;
        if let Err(unknown) = &self.files {
            map.serialize_entry("size_unknown", &unknown.reason(&self.config.driver))?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_driver_that_sends_lines_elsewhere_keeps_no_file_and_another_is_one_dockdu_does_not_read() {
        let reason = |driver| LogSizeUnknown::NoFile.reason(driver);
        assert_eq!(reason("journald"), "the journald driver keeps no file here");
        assert_eq!(reason("k8s-file"), "dockdu reads json-file and local logs, not k8s-file");
        let json = LogConfig { driver: "json-file".into(), ..Default::default() };
        assert!(json.unbounded() && json.keeps_files());
        let bounded = LogConfig { max_size: Some("10m".into()), ..json };
        assert!(!bounded.unbounded());
        let local = LogConfig { driver: "local".into(), ..Default::default() };
        assert!(!local.unbounded(), "local rotates unless told otherwise");
    }
}
