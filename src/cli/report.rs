//! `dockdu report`: the whole answer on stdout, as aligned text or one JSON document. Secret
//! looking labels and driver options are masked in both unless the user asks to see them.

use std::fmt::Write;

use crate::app::columns::{self, Column, Face};
use crate::cli::output::{self, table};
use crate::model::{ImagesSizeSource, Inventory, Volume};
use crate::text::format::{danger_marker, size, width};
use crate::text::sanitize::visible;
use crate::text::secrets::masked_map;

pub fn json(inventory: &Inventory, reveal_secrets: bool) -> String {
    // Serializing plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(&*shown(inventory, reveal_secrets)).unwrap_or_default()
}

/// The inventory as the JSON document shows it: secrets masked unless revealed.
pub fn shown(inventory: &Inventory, reveal_secrets: bool) -> std::borrow::Cow<'_, Inventory> {
    if reveal_secrets {
        std::borrow::Cow::Borrowed(inventory)
    } else {
        std::borrow::Cow::Owned(with_secrets_masked(inventory))
    }
}

/// A copy whose container labels, volume labels and volume driver options hide secrets.
fn with_secrets_masked(inventory: &Inventory) -> Inventory {
    let mut copy = inventory.clone();
    for c in &mut copy.containers {
        c.labels = masked_map(&c.labels, false);
    }
    for v in &mut copy.volumes {
        v.labels = masked_map(&v.labels, false);
        v.options = masked_map(&v.options, false);
    }
    copy
}

const INDENT: &str = "  ";

/// The report for a person: sections of whole rows, fitted to `fit` columns when on a terminal.
pub fn text(inventory: &Inventory, reveal_secrets: bool, fit: Option<usize>) -> String {
    let e = &inventory.engine;
    let t = &inventory.totals;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{} · context {} · {} {} (API {}) · {} · {}",
        visible(&e.host),
        e.connection_warning().map(|w| format!(" ({w})")).unwrap_or_default(),
        visible(&e.context),
        visible(&e.product),
        visible(&e.server_version),
        visible(&e.api_version),
        visible(&e.os),
        visible(&e.storage_driver)
    );
    out.push('\n');

    let face = Face::Report { reveal_secrets };
    let unbounded = match t.logs_unbounded {
        0 => String::new(),
        n => format!(" ({} {n} without max-size: they grow until the disk is full)", danger_marker(false)),
    };
    let _ = writeln!(
        out,
        "CONTAINERS  {} · {} writable · {} logs{unbounded}",
        t.containers,
        size(Some(t.containers_size_rw)),
        size(Some(t.logs_size))
    );
    section(&mut out, fit, columns::CONTAINERS.report, &inventory.containers, &face);

    let _ = writeln!(out, "VOLUMES  {} · {}", t.volumes, size(Some(t.volumes_size)));
    section(&mut out, fit, columns::VOLUMES.report, &inventory.volumes, &face);

    let on_disk = match t.reclaimable_volume_disk_usage {
        Some(bytes) if t.dangling_volumes > 0 => format!(" ({} on disk)", size(Some(bytes))),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "DANGLING VOLUMES  {} · {} reclaimable{on_disk}",
        t.dangling_volumes,
        size(Some(t.reclaimable_volume_bytes))
    );
    let dangling: Vec<&Volume> = inventory.volumes.iter().filter(|v| v.dangling).collect();
    section(&mut out, fit, columns::DANGLING_VOLUMES, dangling, &face);

    let missing = inventory.bind_mounts.iter().filter(|b| b.source_exists == Some(false)).count();
    let dangers = inventory.bind_mounts.iter().filter_map(|b| b.danger);
    let writable = dangers.clone().filter(|d| d.writable).count();
    let _ = writeln!(
        out,
        "BIND MOUNTS  {} · {} with a missing host path · {} hand the host to a container ({} writable)",
        inventory.bind_mounts.len(),
        missing,
        dangers.count(),
        writable
    );
    section(&mut out, fit, columns::BINDS.report, &inventory.bind_mounts, &face);

    let _ =
        writeln!(out, "TMPFS MOUNTS  {} · {} in RAM", inventory.tmpfs_mounts.len(), size(Some(t.tmpfs_used)));
    section(&mut out, fit, columns::TMPFS.report, &inventory.tmpfs_mounts, &face);

    // Where the engine's own total cannot be trusted, say what the number is.
    let images_source = match t.images_size_source {
        Some(source @ (ImagesSizeSource::Images | ImagesSizeSource::EngineUnreliable)) => {
            format!(" ({})", source.words())
        }
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "IMAGES  {} · {}{images_source} · {} reclaimable (unused images' unique sizes)",
        t.images,
        known_size(t.images_size),
        size(Some(t.reclaimable_image_bytes))
    );
    section(&mut out, fit, columns::IMAGES.report, &inventory.images, &face);
    build_cache(&mut out, fit, inventory, &face);
    let _ = writeln!(out, "RECLAIMABLE  {}", size(Some(t.reclaimable_bytes)));
    match fit {
        Some(fit) => out.lines().map(|line| fitted_line(line, fit)).collect(),
        None => out,
    }
}

/// A line wider than the terminal: a heading or the engine's line goes on in the next lines,
/// broken after its ` · ` separators (tables are fitted already).
fn fitted_line(line: &str, fit: usize) -> String {
    if width(line) <= fit || !line.contains(" · ") {
        return format!("{line}\n");
    }
    let mut out = String::new();
    let mut current = String::new();
    for (i, part) in line.split(" · ").enumerate() {
        let piece = if i == 0 { part.to_owned() } else { format!(" · {part}") };
        if !current.is_empty() && width(&current) + width(&piece) > fit {
            out.push_str(&current);
            out.push('\n');
            current = format!("   {}", piece.trim_start_matches(" · "));
        } else {
            current.push_str(&piece);
        }
    }
    out.push_str(&current);
    out.push('\n');
    out
}

/// "unknown" instead of a number the engine has not given.
fn known_size(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "unknown".to_owned(), |b| size(Some(b)))
}

fn build_cache(out: &mut String, fit: Option<usize>, inventory: &Inventory, face: &Face) {
    let Some(cache) = &inventory.build_cache else {
        out.push_str("BUILD CACHE  unknown (the engine did not measure it)\n\n");
        return;
    };
    let _ = writeln!(
        out,
        "BUILD CACHE  {} · {} · {} reclaimable (docker builder prune)",
        cache.count,
        size(Some(cache.size)),
        size(Some(cache.reclaimable))
    );
    section(out, fit, columns::BUILD_CACHE.report, &cache.records, face);
}

/// One section's table from the panel's column descriptions, or `(none)`, then a blank line.
fn section<'r, R: 'r>(
    out: &mut String,
    fit: Option<usize>,
    columns: &[Column<R>],
    rows: impl IntoIterator<Item = &'r R>,
    face: &Face,
) {
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|row| columns.iter().map(|column| (column.cell)(row, face).text.into_owned()).collect())
        .collect();
    if rows.is_empty() {
        out.push_str("  (none)\n");
    } else {
        // The first column names the row: it gives way last.
        let columns: Vec<output::Column> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| output::Column { title: c.header, align: c.align, kept: i == 0 })
            .collect();
        table(out, INDENT, &columns, true, &rows, fit);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::{BindMount, Volume};
    use crate::text::secrets::MASK;

    fn hostile() -> Inventory {
        let labels = BTreeMap::from([
            ("evil".to_owned(), "\x1b]0;PWN\x07\x1b[2J".to_owned()),
            ("db_password".to_owned(), "hunter2".to_owned()),
        ]);
        let options = BTreeMap::from([("password".to_owned(), "cifs-pass".to_owned())]);
        let volume = Volume {
            name: "vol".into(),
            driver: "local".into(),
            labels,
            options,
            dangling: true,
            ..Default::default()
        };
        let bind = |source: &str, container: &str| BindMount {
            source: source.into(),
            destination: "/d".into(),
            container: container.into(),
            container_id: "id".into(),
            rw: true,
            source_exists: Some(true),
            danger: None,
        };
        Inventory {
            volumes: vec![volume],
            bind_mounts: vec![bind("/srv/データ\x1b[41m\nx", "web"), bind("/srv/a", "db")],
            ..Default::default()
        }
    }

    #[test]
    fn text_shows_escapes_visibly_and_masks_secrets_unless_revealed() {
        let text = text(&hostile(), false, None);
        assert!(!text.contains(['\x1b', '\x07']), "{text}");
        assert!(text.contains("evil=\\x1b]0;PWN\\x07\\x1b[2J"), "{text}");
        assert!(text.contains(&format!("db_password={MASK}")) && text.contains(&format!("password={MASK}")));
        assert!(!text.contains("hunter2") && !text.contains("cifs-pass"), "{text}");
        let revealed = super::text(&hostile(), true, None);
        assert!(revealed.contains("db_password=hunter2") && revealed.contains("password=cifs-pass"));
    }

    #[test]
    fn a_bind_path_with_a_newline_stays_on_its_row_and_the_columns_line_up() {
        let text = text(&hostile(), false, None);
        let at_container =
            |line: &str, what: &str| line.find(what).map(|i| crate::text::format::width(&line[..i]));
        let header = text.lines().find(|l| l.contains("HOST PATH")).unwrap();
        let web = text.lines().find(|l| l.contains("/srv/データ\\x1b[41m\\nx")).unwrap();
        let db = text.lines().find(|l| l.contains("/srv/a ")).unwrap();
        assert!(web.contains("web:/d"), "the row goes on after the newline: {web}");
        let column = at_container(header, "CONTAINER:PATH");
        assert_eq!(at_container(web, "web:/d"), column, "{text}");
        assert_eq!(at_container(db, "db:/d"), column, "{text}");
    }

    #[test]
    fn binds_that_hand_the_host_over_are_marked_in_text_and_json() {
        let mut inventory = hostile();
        inventory.bind_mounts[1].source = "/var/run/docker.sock".into();
        inventory.bind_mounts[1].danger =
            Some(crate::model::Danger { kind: crate::model::DangerKind::EngineSocket, writable: true });
        let text = text(&inventory, false, None);
        assert!(text.contains("· 1 hand the host to a container (1 writable)"), "{text}");
        let row = text.lines().find(|l| l.contains("/var/run/docker.sock")).unwrap();
        assert!(row.trim_end().ends_with("!! socket"), "{row}");
        let json: serde_json::Value = serde_json::from_str(&json(&inventory, false)).unwrap();
        assert_eq!(
            json["bind_mounts"][1]["danger"],
            serde_json::json!({"kind": "engine_socket", "writable": true})
        );
        assert_eq!(json["bind_mounts"][0]["danger"], serde_json::Value::Null);
    }

    #[test]
    fn json_masks_secrets_by_default_and_keeps_other_values_exact() {
        let masked: serde_json::Value = serde_json::from_str(&json(&hostile(), false)).unwrap();
        let volume = &masked["volumes"][0];
        assert_eq!(volume["labels"]["evil"], "\x1b]0;PWN\x07\x1b[2J");
        assert_eq!(volume["labels"]["db_password"], MASK);
        assert_eq!(volume["options"]["password"], MASK);
        assert_eq!(masked["bind_mounts"][0]["source"], "/srv/データ\x1b[41m\nx");
        let revealed: serde_json::Value = serde_json::from_str(&json(&hostile(), true)).unwrap();
        assert_eq!(revealed["volumes"][0]["labels"]["db_password"], "hunter2");
        assert_eq!(revealed["volumes"][0]["options"]["password"], "cifs-pass");
    }
}
