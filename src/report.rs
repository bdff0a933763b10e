//! `dockdu report`: the whole answer on stdout, as aligned text or one JSON document.

use std::fmt::Write;

use crate::format::{mode, size, volume_name};
use crate::model::Inventory;

pub fn json(inventory: &Inventory) -> String {
    // Serializing plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(inventory).unwrap_or_default()
}

pub fn text(inventory: &Inventory) -> String {
    let e = &inventory.engine;
    let t = &inventory.totals;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{} · Docker {} (API {}) · {} · {}\n",
        e.host,
        e.connection_warning().map(|w| format!(" ({w})")).unwrap_or_default(),
        e.server_version,
        e.api_version,
        e.os,
        e.storage_driver
    );

    let _ = writeln!(out, "CONTAINERS  {} · {} writable", t.containers, size(Some(t.containers_size_rw)));
    let rows = inventory.containers.iter().map(|c| {
        vec![
            c.name.clone(),
            c.state.clone(),
            size(c.size_rw),
            size(c.size_root_fs),
            c.mounts.len().to_string(),
            c.image.clone(),
        ]
    });
    table(&mut out, &["NAME", "STATE", "WRITABLE", "VIRTUAL", "MOUNTS", "IMAGE"], &[2, 3, 4], rows);

    let _ = writeln!(out, "VOLUMES  {} · {}", t.volumes, size(Some(t.volumes_size)));
    let rows = inventory.volumes.iter().map(|v| {
        let users: Vec<String> = v
            .containers
            .iter()
            .map(|o| format!("{}:{} ({})", o.container, o.destination, mode(o.rw)))
            .collect();
        let users = if users.is_empty() { "dangling".to_owned() } else { users.join(", ") };
        vec![
            volume_name(&v.name, v.anonymous),
            v.driver.clone(),
            size(v.size),
            v.ref_count.to_string(),
            users,
        ]
    });
    table(&mut out, &["NAME", "DRIVER", "SIZE", "USERS", "USED BY"], &[2, 3], rows);

    let _ = writeln!(
        out,
        "DANGLING VOLUMES  {} · {} reclaimable",
        t.dangling_volumes,
        size(Some(t.reclaimable_volume_bytes))
    );
    let rows = inventory.volumes.iter().filter(|v| v.dangling).map(|v| {
        let kind = if v.anonymous { "anonymous" } else { "named" };
        vec![
            volume_name(&v.name, v.anonymous),
            size(v.size),
            kind.to_owned(),
            v.created_at.clone().unwrap_or_default(),
        ]
    });
    table(&mut out, &["NAME", "SIZE", "KIND", "CREATED"], &[1], rows);

    let missing = inventory.bind_mounts.iter().filter(|b| b.source_exists == Some(false)).count();
    let _ =
        writeln!(out, "BIND MOUNTS  {} · {} with a missing host path", inventory.bind_mounts.len(), missing);
    let rows = inventory.bind_mounts.iter().map(|b| {
        let flag = match b.source_exists {
            Some(true) => "",
            Some(false) => "MISSING",
            None => "?",
        };
        vec![
            b.source.clone(),
            format!("{}:{}", b.container, b.destination),
            mode(b.rw).to_owned(),
            flag.to_owned(),
        ]
    });
    table(&mut out, &["HOST PATH", "CONTAINER:PATH", "MODE", "STATUS"], &[], rows);

    let _ = writeln!(out, "TMPFS MOUNTS  {}", inventory.tmpfs_mounts.len());
    let rows = inventory.tmpfs_mounts.iter().map(|m| {
        let limit = m.tmpfs.size_limit.map_or_else(|| "unlimited".to_owned(), |b| size(Some(b)));
        vec![
            m.container.clone(),
            m.tmpfs.destination.clone(),
            limit,
            m.tmpfs.mode.clone().unwrap_or_default(),
            m.tmpfs.options.join(","),
        ]
    });
    table(&mut out, &["CONTAINER", "PATH", "LIMIT", "MODE", "OPTIONS"], &[2], rows);
    out
}

/// Columns padded to their widest cell; sizes (the `right` columns) align on the right.
fn table(out: &mut String, headers: &[&str], right: &[usize], rows: impl Iterator<Item = Vec<String>>) {
    let rows: Vec<Vec<String>> = rows.collect();
    if rows.is_empty() {
        out.push_str("  (none)\n\n");
        return;
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::from(" ");
        for (i, cell) in cells.enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            text.push(' ');
            if right.contains(&i) {
                text.extend(std::iter::repeat_n(' ', pad));
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.extend(std::iter::repeat_n(' ', pad));
            }
            text.push(' ');
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(out, &mut headers.iter().copied());
    for row in &rows {
        line(out, &mut row.iter().map(String::as_str));
    }
    out.push('\n');
}
