//! Truncating containers' logs, planned: each file of each chosen log, what happens to it (the
//! current one cut to 0, a rotated one removed) and its bytes; a log that cannot be truncated
//! here is kept, with why. The plan is a `Plan`'s `logs`, carried out like any removal.

use std::collections::BTreeSet;

use serde::Serialize;

use super::plan::{Kept, KeptReason, Plan};
use super::{ContainerId, Inventory};

/// What happens to one file of a container's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFileAction {
    /// The file the engine writes to: cut to 0 bytes. The engine appends, so its next line
    /// starts the file again and `docker logs` keeps working.
    Truncate,
    /// A rotated file: removed.
    Remove,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedLogFile {
    pub container: String,
    pub container_id: ContainerId,
    pub path: String,
    pub action: LogFileAction,
    pub size: u64,
    pub disk_usage: u64,
    /// The file as previewed (device, inode): a file rotated since is not this one.
    #[serde(skip)]
    pub identity: (u64, u64),
}

/// The chosen containers' logs: every file of each, current one first. A log that cannot be
/// truncated here is kept, with why.
pub fn log_truncation(inventory: &Inventory, ids: &BTreeSet<ContainerId>) -> Plan {
    let mut plan = Plan::default();
    for container in inventory.containers.iter().filter(|c| ids.contains(&c.id)) {
        let kept =
            |why: String| Kept { name: container.name.clone(), reason: KeptReason::LogNotHere { why } };
        let Some(logs) = &container.logs else {
            plan.kept.push(kept("the engine did not say how it logs".to_owned()));
            continue;
        };
        if !logs.config.keeps_files() {
            let driver = &logs.config.driver;
            plan.kept.push(kept(if super::logs::sends_elsewhere(driver) {
                format!("the {driver} driver keeps no file to truncate")
            } else {
                format!("dockdu truncates json-file and local logs, not {driver}")
            }));
            continue;
        }
        match &logs.files {
            Ok(files) => plan.logs.extend(files.iter().map(|file| PlannedLogFile {
                container: container.name.clone(),
                container_id: container.id.clone(),
                path: file.path.clone(),
                action: if file.current { LogFileAction::Truncate } else { LogFileAction::Remove },
                size: file.size,
                disk_usage: file.disk_usage,
                identity: file.identity,
            })),
            Err(why) => plan.kept.push(kept(why.reason(&logs.config.driver))),
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_plan_truncates_the_current_file_removes_rotated_ones_and_keeps_a_driver_without_files() {
        use crate::model::logs::{ContainerLogs, LogConfig, LogFile};
        let file = |path: &str, size, current| LogFile {
            path: path.into(),
            size,
            disk_usage: 4096,
            current,
            identity: (1, size),
        };
        let json = ContainerLogs {
            config: LogConfig { driver: "json-file".into(), ..Default::default() },
            files: Ok(vec![file("/c/a-json.log", 100, true), file("/c/a-json.log.1", 900, false)]),
        };
        let journald = ContainerLogs {
            config: LogConfig { driver: "journald".into(), ..Default::default() },
            files: Err(crate::model::logs::LogSizeUnknown::NoFile),
        };
        let container = |id: &str, logs| super::super::Container {
            id: id.into(),
            name: format!("n-{id}"),
            logs: Some(logs),
            ..Default::default()
        };
        let inventory = Inventory {
            containers: vec![container("a", json), container("b", journald)],
            ..Default::default()
        };
        let plan = log_truncation(&inventory, &["a".into(), "b".into()].into());
        let actions: Vec<(&str, LogFileAction)> =
            plan.logs.iter().map(|l| (l.path.as_str(), l.action)).collect();
        assert_eq!(
            actions,
            [("/c/a-json.log", LogFileAction::Truncate), ("/c/a-json.log.1", LogFileAction::Remove)]
        );
        assert_eq!(plan.kept.len(), 1);
        assert_eq!(
            plan.kept[0].reason.to_string(),
            "log not truncated: the journald driver keeps no file to truncate"
        );
        assert!(plan.truncates());
        assert_eq!(plan.headline(plan.verb()), "Truncate 2 log files of 1 container (1000 B, 8 KiB on disk)");
    }
}
