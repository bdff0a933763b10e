//! What a removal did, object by object: what went (and its bytes) and what the engine kept.

use std::fmt;

use serde::Serialize;

/// What a removal did, object by object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub removed: Vec<Removed>,
    pub skipped: Vec<Skipped>,
}

/// Which kind of object a removal touched; `"container"`, `"volume"` or `"image"` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectKind {
    Container,
    Volume,
    Image,
    /// One file of a container's log, truncated or removed.
    #[serde(rename = "log_file")]
    LogFile,
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            ObjectKind::Container => "container",
            ObjectKind::Volume => "volume",
            ObjectKind::Image => "image",
            ObjectKind::LogFile => "log file",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removed {
    pub kind: ObjectKind,
    pub name: String,
    pub bytes: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub kind: ObjectKind,
    pub name: String,
    pub reason: String,
}

impl Outcome {
    pub fn reclaimed_bytes(&self) -> u64 {
        self.removed.iter().filter_map(|r| r.bytes).sum()
    }

    /// "Removed 2 objects (1 MiB)", or for a truncate "Freed 2 log files (1 MiB)".
    pub fn summary(&self) -> String {
        let logs = !self.removed.is_empty() && self.removed.iter().all(|r| r.kind == ObjectKind::LogFile);
        let (verb, what) = if logs { ("Freed", "log file") } else { ("Removed", "object") };
        let n = self.removed.len();
        let bytes = crate::text::format::size(Some(self.reclaimed_bytes()));
        format!("{verb} {n} {what}{} ({bytes}).", if n == 1 { "" } else { "s" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_serialise_as_the_lowercase_words_scripts_read() {
        let removed = Removed { kind: ObjectKind::Volume, name: "v".into(), bytes: None };
        let skipped = Skipped { kind: ObjectKind::Container, name: "c".into(), reason: "in use".into() };
        let json = serde_json::to_value(Outcome { removed: vec![removed], skipped: vec![skipped] }).unwrap();
        assert_eq!(json["removed"][0]["kind"], "volume");
        assert_eq!(json["skipped"][0]["kind"], "container");
        assert_eq!(format!("{:<10}|", ObjectKind::Volume), "volume    |");
    }
}
