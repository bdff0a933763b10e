//! Truncating a container's log: file operations on the engine's own files, so they pass the
//! same door as every other write (`--read-only` refuses them here). The engine appends to its
//! log with `O_APPEND`, so a current file cut to 0 simply starts again, and `docker logs`
//! keeps working; rotated files are removed.

use std::io;
use std::os::unix::fs::MetadataExt;

use super::{Engine, EngineError, Problem};
use crate::model::plan::{LogFileAction, PlannedLogFile};

impl Engine {
    /// Does to one previewed file what the plan says. A file that is not the one previewed any
    /// more (rotated since) is left alone.
    pub async fn truncate_log_file(&self, file: &PlannedLogFile) -> Result<(), EngineError> {
        let action = match file.action {
            LogFileAction::Truncate => "truncating a log file",
            LogFileAction::Remove => "removing a rotated log file",
        };
        self.writable(action)?;
        if !self.is_local() {
            let detail = "the engine's files are on another machine";
            return Err(EngineError::new(&self.host, action, Problem::Other, detail));
        }
        let file = file.clone();
        let done = tokio::task::spawn_blocking(move || apply(&file)).await;
        let failed = |problem, detail: String| EngineError::new(&self.host, action, problem, detail);
        match done {
            Ok(Ok(())) => Ok(()),
            Ok(Err(Refusal::NotPreviewed)) => {
                Err(failed(Problem::Other, "it changed since the preview (rotated): left alone".to_owned()))
            }
            Ok(Err(Refusal::Io(e))) if e.kind() == io::ErrorKind::PermissionDenied => {
                Err(failed(Problem::PermissionDenied, e.to_string()))
            }
            Ok(Err(Refusal::Io(e))) if e.kind() == io::ErrorKind::NotFound => {
                Err(failed(Problem::Api(404), e.to_string()))
            }
            Ok(Err(Refusal::Io(e))) => Err(failed(Problem::Other, e.to_string())),
            Err(e) => Err(failed(Problem::Other, e.to_string())),
        }
    }
}

enum Refusal {
    NotPreviewed,
    Io(io::Error),
}

fn apply(file: &PlannedLogFile) -> Result<(), Refusal> {
    let same = |meta: &std::fs::Metadata| (meta.dev(), meta.ino()) == file.identity;
    match file.action {
        LogFileAction::Truncate => {
            // Opened first, then checked: what is cut is the very file previewed.
            let handle = std::fs::OpenOptions::new().write(true).open(&file.path).map_err(Refusal::Io)?;
            if !same(&handle.metadata().map_err(Refusal::Io)?) {
                return Err(Refusal::NotPreviewed);
            }
            handle.set_len(0).map_err(Refusal::Io)
        }
        LogFileAction::Remove => {
            if !same(&std::fs::symlink_metadata(&file.path).map_err(Refusal::Io)?) {
                return Err(Refusal::NotPreviewed);
            }
            std::fs::remove_file(&file.path).map_err(Refusal::Io)
        }
    }
}
