//! The detail of a Disk row: what the part holds or why a path is not the engine's, how to get
//! its space back, and the root and its filesystem the parts add up to.

use super::{field, heading, piece, plain, quiet, Row, Tone};
use crate::app::App;
use crate::model::disk::{self, DiskLineKind, DiskReport};
use crate::text::format::{permille, size};
use crate::text::sanitize::visible;

pub(super) fn line(app: &App, index: usize) -> Vec<Row> {
    let Some(line) = app.inventory.disk_lines.get(index) else { return Vec::new() };
    let mut out = vec![Row::of(vec![
        piece(
            line.label(),
            if matches!(line.kind, DiskLineKind::Unaccounted(_)) { Tone::Warning } else { Tone::Title },
        ),
        plain(format!("  {} ", size(Some(line.size)))),
        quiet(format!(
            "({} on disk) in {} file{} · {} of the root",
            size(Some(line.disk_usage)),
            line.files,
            if line.files == 1 { "" } else { "s" },
            permille(line.permille)
        )),
    ])];
    out.push(field("path", visible(&line.path).into_owned()));
    match line.kind {
        DiskLineKind::Part(kind) => out.push(field("holds", kind.explain())),
        DiskLineKind::Unaccounted(why) => {
            out.push(Row::of(vec![quiet(format!("{:<11}", "why")), piece(why.label(), Tone::Warning)]));
            out.push(field("reclaim", format!("{}.", why.remedy())));
            out.push(Row::plain(
                "dockdu never removes it: the engine may be using a folder it has not recorded yet.",
            ));
        }
    }
    out.push(Row::of(vec![quiet("o looks inside it (this filesystem only)")]));
    if let Some(report) = &app.inventory.disk {
        out.extend(root(report));
    }
    out
}

/// What the parts add up to, and how that compares with the filesystem's used space.
fn root(report: &DiskReport) -> Vec<Row> {
    let root = &report.root;
    let files = report.files();
    let mut out = vec![
        heading("the engine's root"),
        field(
            "total",
            format!(
                "{} ({} on disk) in {files} files under {}",
                size(Some(root.total)),
                size(Some(root.disk_usage)),
                visible(&root.path)
            ),
        ),
    ];
    if let Some(fs) = root.filesystem {
        out.push(field(
            "filesystem",
            format!("{} · {} used · {} free", size(Some(fs.size)), size(Some(fs.used)), size(Some(fs.free))),
        ));
        // Both in bytes on disk: the filesystem knows nothing of apparent sizes.
        let share = permille(disk::permille(root.disk_usage, fs.used));
        out.push(field("share", format!("the root occupies {share} of the filesystem's used space")));
    }
    if !report.other_filesystems.is_empty() {
        let count = report.other_filesystems.len();
        let what = if count == 1 { "folder" } else { "folders" };
        out.push(field(
            "mounts",
            format!("{count} {what} on other filesystems passed over (running containers' roots, tmpfs)"),
        ));
    }
    out
}
