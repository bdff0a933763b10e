//! The files of a container's log, read here: json-file's `<id>-json.log` and its rotated
//! `.1`…`.N` (`.gz` when compressed), `local`'s `local-logs/container.log*`.

use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::model::logs::{ContainerLogs, LogConfig, LogFile, LogSizeUnknown};
use crate::model::ContainerDetails;

/// Where a driver's files are: their folder and the name of the file written now.
fn location(config: &LogConfig, details: &ContainerDetails, id: &str) -> Option<(PathBuf, String)> {
    match config.driver.as_str() {
        "json-file" => {
            let path = match (&details.log_path, &details.folder) {
                (Some(path), _) => PathBuf::from(path),
                (None, Some(folder)) => Path::new(folder).join(format!("{id}-json.log")),
                (None, None) => return None,
            };
            let name = path.file_name()?.to_string_lossy().into_owned();
            Some((path.parent()?.to_path_buf(), name))
        }
        "local" => Some((Path::new(details.folder.as_ref()?).join("local-logs"), "container.log".to_owned())),
        _ => None,
    }
}

/// The log of the container `id`, read here (blocking: a few `lstat`s).
pub fn read(details: &ContainerDetails, id: &str) -> Option<ContainerLogs> {
    let config = details.log_config.clone()?;
    if !config.keeps_files() {
        return Some(ContainerLogs { config, files: Err(LogSizeUnknown::NoFile) });
    }
    let files = match location(&config, details, id) {
        Some((folder, current)) => files(&folder, &current),
        // A container that never started has no log, nor a path for one yet.
        None => Ok(Vec::new()),
    };
    Some(ContainerLogs { config, files })
}

/// What the engine's route knows: how the container logs, not what it takes.
pub fn remote(details: &ContainerDetails) -> Option<ContainerLogs> {
    let config = details.log_config.clone()?;
    let why = if config.keeps_files() { LogSizeUnknown::Remote } else { LogSizeUnknown::NoFile };
    Some(ContainerLogs { config, files: Err(why) })
}

/// Whether each planned file can be written here: the current one truncated, a rotated one
/// removed from its folder. The first that cannot is the answer.
pub fn writable(plan: &crate::model::plan::Plan) -> Result<(), String> {
    use crate::model::plan::LogFileAction;
    use rustix::fs::{access, Access};
    for file in &plan.logs {
        let path = Path::new(&file.path);
        let target = match file.action {
            LogFileAction::Truncate => path,
            LogFileAction::Remove => path.parent().unwrap_or(path),
        };
        access(target, Access::WRITE_OK)
            .map_err(|e| format!("cannot write {} here: {e}", target.display()))?;
    }
    Ok(())
}

fn files(folder: &Path, current: &str) -> Result<Vec<LogFile>, LogSizeUnknown> {
    let unreadable = |path: &Path, e: io::Error| {
        let why = format!("cannot read {}: {e}", path.display());
        if e.kind() == io::ErrorKind::PermissionDenied {
            LogSizeUnknown::Denied(why)
        } else {
            LogSizeUnknown::Unreadable(why)
        }
    };
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        // Never started: no log yet.
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(unreadable(folder, e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| unreadable(folder, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rotated = name.strip_prefix(current).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'));
        if !rotated {
            continue;
        }
        let meta = match entry.metadata() {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(unreadable(&entry.path(), e)),
        };
        if !meta.is_file() {
            continue;
        }
        files.push(LogFile {
            path: entry.path().display().to_string(),
            size: meta.len(),
            disk_usage: meta.blocks() * 512,
            current: name == current,
            identity: (meta.dev(), meta.ino()),
        });
    }
    files.sort_by(|a, b| {
        b.current.cmp(&a.current).then_with(|| alphanumeric_sort::compare_str(&a.path, &b.path))
    });
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(folder: &Path, driver: &str, max_size: Option<&str>) -> ContainerDetails {
        ContainerDetails {
            log_config: Some(LogConfig {
                driver: driver.to_owned(),
                max_size: max_size.map(str::to_owned),
                ..Default::default()
            }),
            folder: Some(folder.display().to_string()),
            ..Default::default()
        }
    }

    #[test]
    fn every_rotated_file_counts_and_the_current_one_comes_first() {
        let folder = std::env::temp_dir().join(format!("dockdu-logs-{}", std::process::id()));
        std::fs::create_dir_all(folder.join("local-logs")).unwrap();
        for (name, bytes) in
            [("c1-json.log", 10), ("c1-json.log.1", 20), ("c1-json.log.2.gz", 5), ("hosts", 99)]
        {
            std::fs::write(folder.join(name), vec![b'x'; bytes]).unwrap();
        }
        std::fs::write(folder.join("local-logs/container.log"), [0u8; 7]).unwrap();
        let json = read(&details(&folder, "json-file", None), "c1").unwrap();
        let local = read(&details(&folder, "local", Some("20m")), "c1").unwrap();
        let none = read(&details(&folder, "journald", None), "c1").unwrap();
        let _ = std::fs::remove_dir_all(&folder);

        assert_eq!(json.size(), Some(35));
        let names: Vec<bool> = json.files.as_ref().unwrap().iter().map(|f| f.current).collect();
        assert_eq!(names, [true, false, false]);
        assert!(json.unbounded());
        assert_eq!(local.size(), Some(7));
        assert!(!local.unbounded());
        assert_eq!(none.files, Err(LogSizeUnknown::NoFile));
        assert_eq!(none.size(), None);
        // Never started: the engine has no path for its log yet, and there is none.
        let created = ContainerDetails { folder: None, ..details(&folder, "json-file", None) };
        assert_eq!(read(&created, "c1").unwrap().size(), Some(0));
    }
}
