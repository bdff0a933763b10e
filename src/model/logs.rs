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
