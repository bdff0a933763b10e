//! `dockdu disk`: the engine's root reconciled, as text or one JSON document. Where the root
//! cannot be read here, it says why and shows what the engine itself counts.

use std::fmt::Write;

use serde::Serialize;

use crate::cli::output::{table, Column};
use crate::model::disk::{self, DiskReport, DiskUnreadable, PartKind, Why};
use crate::model::Totals;
use crate::text::format::{permille, size};
use crate::text::sanitize::visible;

/// What the engine counts itself, for a root that cannot be read here.
#[derive(Debug, Clone, Serialize)]
pub struct EngineCounts {
    pub images_size: Option<u64>,
    pub containers_size_rw: u64,
    pub volumes_size: u64,
    pub build_cache_size: Option<u64>,
}

impl EngineCounts {
    pub fn from_totals(totals: &Totals) -> EngineCounts {
        EngineCounts {
            images_size: totals.images_size,
            containers_size_rw: totals.containers_size_rw,
            volumes_size: totals.volumes_size,
            build_cache_size: totals.build_cache_size,
        }
    }
}

pub fn json(report: &DiskReport) -> String {
    serde_json::to_string_pretty(report).unwrap_or_default()
}

/// The document for a root that could not be read: the same keys, with `null` sizes, the reason
/// and the engine's own counts.
pub fn unreadable_json(path: Option<&str>, why: &DiskUnreadable, counts: Option<&EngineCounts>) -> String {
    serde_json::json!({
        "root": { "path": path, "filesystem": null, "total": null, "disk_usage": null },
        "unreadable": why.to_string(),
        "engine_counts": counts,
        "parts": [],
        "unaccounted": [],
    })
    .to_string()
}

pub fn unreadable_text(path: Option<&str>, why: &DiskUnreadable, counts: Option<&EngineCounts>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", visible(path.unwrap_or("the engine's root")), visible(&why.to_string()));
    if let Some(c) = counts {
        let _ =
            writeln!(out, "\nWhat the engine counts itself (logs, orphans and its own files are not in it):");
        let rows = vec![
            vec!["images".to_owned(), size(c.images_size)],
            vec!["containers' writable layers".to_owned(), size(Some(c.containers_size_rw))],
            vec!["volumes".to_owned(), size(Some(c.volumes_size))],
            vec!["build cache".to_owned(), size(c.build_cache_size)],
        ];
        table(&mut out, "  ", &[Column::left("PART"), Column::right("SIZE")], true, &rows, None);
    }
    out
}

/// The report for a person, fitted to `fit` columns when on a terminal.
pub fn text(report: &DiskReport, fit: Option<usize>) -> String {
    let mut out = String::new();
    let root = &report.root;
    if let Some(fs) = root.filesystem {
        let _ = writeln!(
            out,
            "Filesystem of {}: {} · {} used · {} free",
            visible(&root.path),
            size(Some(fs.size)),
            size(Some(fs.used)),
            size(Some(fs.free))
        );
    }
    let files = report.files();
    let _ = writeln!(
        out,
        "{} holds {} ({} on disk) in {} files\n",
        visible(&root.path),
        size(Some(root.total)),
        size(Some(root.disk_usage)),
        files
    );
    let share = |bytes: u64| match root.total {
        0 => "—".to_owned(),
        total => permille(disk::permille(bytes, total)),
    };
    let rows: Vec<Vec<String>> = report
        .parts
        .iter()
        .filter(|p| p.files > 0 || p.disk_usage > 0 || p.kind != PartKind::Containerd)
        .map(|p| {
            vec![
                p.kind.label().to_owned(),
                size(Some(p.size)),
                size(Some(p.disk_usage)),
                p.files.to_string(),
                share(p.size),
            ]
        })
        .chain(std::iter::once(vec![
            "total".to_owned(),
            size(Some(root.total)),
            size(Some(root.disk_usage)),
            files.to_string(),
            share(root.total),
        ]))
        .collect();
    let columns = [
        Column::left("PART"),
        Column::right("SIZE"),
        Column::right("ON DISK"),
        Column::right("FILES"),
        Column::right("SHARE"),
    ];
    table(&mut out, "  ", &columns, true, &rows, fit);
    if report.unaccounted.is_empty() {
        out.push_str("\nEverything under the root belongs to an image, a container, a volume, the build cache or the engine.\n");
    } else {
        out.push_str("\nNot accounted for: no image, container or volume of the engine's names these, and no prune removes them.\n");
        let rows: Vec<Vec<String>> = report
            .unaccounted
            .iter()
            .map(|u| {
                vec![size(Some(u.size)), size(Some(u.disk_usage)), u.why.label().to_owned(), u.path.clone()]
            })
            .collect();
        let columns =
            [Column::right("SIZE"), Column::right("ON DISK"), Column::left("WHY"), Column::left("PATH")];
        table(&mut out, "  ", &columns, true, &rows, fit);
        // One line a remedy, naming the reasons it is for.
        let mut whys: Vec<Why> = report.unaccounted.iter().map(|u| u.why).collect();
        whys.sort();
        whys.dedup();
        let mut remedies: Vec<(&str, Vec<&str>)> = Vec::new();
        for why in whys {
            match remedies.iter_mut().find(|(remedy, _)| *remedy == why.remedy()) {
                Some((_, labels)) => labels.push(why.label()),
                None => remedies.push((why.remedy(), vec![why.label()])),
            }
        }
        for (remedy, labels) in remedies {
            let _ = writeln!(out, "  {}: {remedy}.", labels.join(", "));
        }
        out.push_str(
            "  dockdu never removes them: the engine may be using a folder it has not recorded yet.\n",
        );
    }
    if !report.other_filesystems.is_empty() {
        // Every running container has its merged root mounted here: a few are enough to say so.
        const SHOWN: usize = 5;
        let passed = &report.other_filesystems;
        let _ = writeln!(
            out,
            "\nPassed over: {} folder{} on other filesystems under the root (running containers' merged \
             roots, tmpfs mounts), not counted:",
            passed.len(),
            if passed.len() == 1 { "" } else { "s" }
        );
        for path in passed.iter().take(SHOWN) {
            let _ = writeln!(out, "  {}", visible(path));
        }
        if passed.len() > SHOWN {
            let _ =
                writeln!(out, "  and {} more (`dockdu disk --json` lists them all)", passed.len() - SHOWN);
        }
    }
    out
}
