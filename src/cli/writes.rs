//! The write commands for scripts: `volume create`, `prune volumes`, `prune containers`,
//! `prune images`. Each
//! prints its preview first; without `--yes` it asks on a terminal and refuses when there is none.

use std::io::{BufRead, IsTerminal};
use std::time::SystemTime;

use anyhow::Result;
use serde_json::json;

use crate::cli::output::{self, key_values, table, Column, Delivery};
use crate::engine::{Engine, VolumeSpec};
use crate::model::plan::{self, ImageScope, Plan, VolumeScope};
use crate::model::{build, resolve, validate};
use crate::tasks::actions::{self, Outcome};
use crate::tasks::sizes::Route;
use crate::text::format::size;
use crate::text::secrets::masked_map;

/// How a command ended, for the exit status.
#[derive(Debug, PartialEq, Eq)]
pub enum Finish {
    Done,
    /// Nothing was changed: the user said no, input was invalid, or there was no one to ask.
    Refused(String),
    /// Some planned objects were kept by the engine (they gained a user, say).
    Partial,
    /// A stop signal (Ctrl-C) ended the command; what it had made was cleaned up.
    Interrupted,
}

impl Finish {
    pub fn exit_code(&self) -> u8 {
        match self {
            Finish::Done => 0,
            Finish::Refused(_) => 2,
            Finish::Partial => 3,
            Finish::Interrupted => 130,
        }
    }
}

pub struct Confirm {
    pub dry_run: bool,
    pub yes: bool,
    pub json: bool,
    /// Show secret-looking label values in the preview instead of a mask.
    pub reveal_secrets: bool,
}

pub async fn create_volume(engine: &Engine, spec: VolumeSpec) -> Result<Finish> {
    if !spec.name.is_empty() {
        if let Err(why) = validate::docker_name(&spec.name) {
            return Ok(Finish::Refused(why));
        }
    }
    let name = engine.create_volume(&spec).await?;
    output::text(&format!("{name}\n"))?;
    Ok(Finish::Done)
}

pub async fn prune_volumes(
    engine: &Engine,
    route: Route,
    scope: VolumeScope,
    label: Option<String>,
    confirm: Confirm,
) -> Result<Finish> {
    let inventory = build(&crate::tasks::collect::collect(engine, route).await?);
    let mut plan = plan::volume_prune(&inventory, &scope);
    if let Some(filter) = &label {
        plan.volumes.retain(|v| plan::label_matches(&v.labels, filter));
    }
    carry_out(engine, plan, confirm).await
}

pub async fn prune_containers(
    engine: &Engine,
    route: Route,
    with_volumes: bool,
    label: Option<String>,
    confirm: Confirm,
) -> Result<Finish> {
    let inventory = build(&crate::tasks::collect::collect(engine, route).await?);
    let chosen = label.map(|filter| {
        let labelled = inventory.containers.iter().filter(|c| plan::label_matches(&c.labels, &filter));
        labelled.filter(|c| c.state.is_stopped()).map(|c| c.id.clone()).collect()
    });
    let plan = plan::container_removal(&inventory, chosen.as_ref(), with_volumes, false);
    carry_out(engine, plan, confirm).await
}

pub async fn prune_images(
    engine: &Engine,
    route: Route,
    scope: ImageScope,
    label: Option<String>,
    confirm: Confirm,
) -> Result<Finish> {
    let inventory = build(&crate::tasks::collect::collect(engine, route).await?);
    let mut plan = plan::image_prune(&inventory, scope);
    if let Some(filter) = &label {
        let labelled = |id: &str| inventory.image(id).is_some_and(|i| plan::label_matches(&i.labels, filter));
        plan.images.retain(|i| labelled(&i.id));
    }
    carry_out(engine, plan, confirm).await
}

/// Truncates the named containers' logs: each file previewed, then (confirmed) the current
/// one cut to 0 and the rotated ones removed. Nothing happens unless every named log can be
/// truncated here.
pub async fn truncate_logs(
    engine: &Engine,
    route: Route,
    names: &[String],
    confirm: Confirm,
) -> Result<Finish> {
    let sources = crate::tasks::collect::collect(engine, route).await?;
    let mut ids = std::collections::BTreeSet::new();
    for name in names {
        match resolve::container(&sources.containers, name) {
            Ok(found) => ids.insert(found.id.clone()),
            Err(unresolved) => return Ok(Finish::Refused(unresolved.message("container", name))),
        };
    }
    let plan = plan::log_truncation(&build(&sources), &ids);
    let refusal = if !plan.kept.is_empty() {
        let why: Vec<String> = plan.kept.iter().map(|k| format!("{}: {}", k.name, k.reason)).collect();
        Some(format!("{}: nothing truncated", why.join("; ")))
    } else {
        crate::tasks::log_files::writable(&plan).err().map(|why| format!("{why}: nothing truncated"))
    };
    if let Some(why) = refusal {
        if confirm.json {
            let document =
                json!({ "plan": plan, "dry_run": confirm.dry_run, "outcome": null, "refused": why });
            output::json(&serde_json::to_string_pretty(&document)?)?;
        } else {
            output::text(&preview(&plan, confirm.reveal_secrets, output::terminal_width()))?;
        }
        return Ok(Finish::Refused(why));
    }
    carry_out(engine, plan, confirm).await
}

async fn carry_out(engine: &Engine, plan: Plan, confirm: Confirm) -> Result<Finish> {
    // With `--json`, one document at the end, whatever happened: the plan, what was done
    // (`outcome`: null when nothing was sent) and, when nothing was, why (`refused`).
    let document = |outcome: Option<&Outcome>, refused: Option<&str>| -> Result<()> {
        let shown = shown_plan(&plan, confirm.reveal_secrets);
        let document =
            json!({ "plan": shown, "dry_run": confirm.dry_run, "outcome": outcome, "refused": refused });
        output::json(&serde_json::to_string_pretty(&document)?)?;
        Ok(())
    };
    let delivery = if confirm.json {
        Delivery::Delivered
    } else {
        output::text(&preview(&plan, confirm.reveal_secrets, output::terminal_width()))?
    };
    if confirm.dry_run || plan.is_empty() {
        if confirm.json {
            let nothing = Outcome::default();
            document((!confirm.dry_run).then_some(&nothing), None)?;
        }
        return Ok(Finish::Done);
    }
    let (verb, nothing) =
        if plan.truncates() { ("truncate", "nothing truncated") } else { ("remove", "nothing removed") };
    let refused = if engine.is_read_only() {
        Some(format!("read-only mode: {nothing}"))
    } else if confirm.yes {
        None
    } else if !std::io::stdin().is_terminal() {
        Some(format!("no terminal to confirm on: pass --yes to {verb}, {nothing}"))
    } else if delivery == Delivery::ReaderGone {
        // Asking about a preview no one could read would be asking blind.
        Some(format!("the preview could not be shown: {nothing}"))
    } else if !ask(&format!("{}? [y/N] ", plan.headline(plan.verb())))? {
        Some(format!("not confirmed: {nothing}"))
    } else {
        None
    };
    if let Some(why) = refused {
        if confirm.json {
            document(None, Some(&why))?;
        }
        return Ok(Finish::Refused(why));
    }
    let outcome = actions::remove(engine, &plan).await;
    if confirm.json {
        document(Some(&outcome), None)?;
    } else {
        output::text(&report(&outcome, output::terminal_width()))?;
    }
    Ok(if outcome.skipped.is_empty() { Finish::Done } else { Finish::Partial })
}

/// The plan as JSON shows it: secret-looking label values masked unless revealed.
fn shown_plan(plan: &Plan, reveal_secrets: bool) -> Plan {
    let mut shown = plan.clone();
    for v in &mut shown.volumes {
        v.labels = masked_map(&v.labels, reveal_secrets);
    }
    shown
}

fn ask(question: &str) -> Result<bool> {
    output::question(question)?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// The columns of a preview or outcome row: what happens, to what, its size, and the rest.
const ROW: [Column; 4] =
    [Column::left("").kept(), Column::left("").kept(), Column::right(""), Column::left("")];

pub fn preview(plan: &Plan, reveal_secrets: bool, fit: Option<usize>) -> String {
    let mut out = String::new();
    let logs_only = plan.kept.iter().all(|k| matches!(k.reason, plan::KeptReason::LogNotHere { .. }));
    if plan.is_empty() && logs_only && !plan.kept.is_empty() {
        out.push_str("Nothing to truncate.\n");
    } else if plan.is_empty() {
        out.push_str("Nothing to remove.\n");
    } else {
        out.push_str(&format!("{}:\n", plan.headline(&format!("Would {}", plan.verb().to_lowercase()))));
    }
    let containers = plan.containers.iter().map(|c| {
        vec!["container".to_owned(), c.name.clone(), size(c.size_rw), c.status_at(SystemTime::now())]
    });
    let volumes = plan.volumes.iter().map(|v| {
        let kind = if v.anonymous { "anonymous" } else { "named" };
        let labels = key_values(&v.labels, reveal_secrets);
        vec!["volume".to_owned(), v.name.to_string(), size(v.size), format!("{kind}  {labels}")]
    });
    let images = plan.images.iter().map(|i| {
        let note = crate::model::images::other_tags(&i.tags);
        vec![
            "image".to_owned(),
            i.reference(),
            size(i.size),
            format!("{note}  {}", i.id).trim_start().to_owned(),
        ]
    });
    let logs = plan.logs.iter().map(|l| {
        let what = match l.action {
            plan::LogFileAction::Truncate => "truncate to 0",
            plan::LogFileAction::Remove => "remove (rotated)",
        };
        let on_disk = size(Some(l.disk_usage));
        vec![
            what.to_owned(),
            l.path.clone(),
            size(Some(l.size)),
            format!("{on_disk} on disk  {}", l.container),
        ]
    });
    let kept = plan
        .kept
        .iter()
        .map(|k| vec!["kept".to_owned(), k.name.clone(), String::new(), k.reason.to_string()]);
    let rows: Vec<Vec<String>> = containers.chain(volumes).chain(images).chain(logs).chain(kept).collect();
    table(&mut out, "  ", &ROW, false, &rows, fit);
    out
}

pub fn report(outcome: &Outcome, fit: Option<usize>) -> String {
    let mut out = format!("{}\n", outcome.summary());
    let removed = outcome.removed.iter().map(|r| {
        let done = if r.kind == actions::ObjectKind::LogFile { "freed" } else { "removed" };
        vec![format!("{done} {}", r.kind), r.name.clone(), size(r.bytes), String::new()]
    });
    let kept = outcome
        .skipped
        .iter()
        .map(|s| vec![format!("kept {}", s.kind), s.name.clone(), String::new(), s.reason.to_string()]);
    let rows: Vec<Vec<String>> = removed.chain(kept).collect();
    table(&mut out, "  ", &ROW, false, &rows, fit);
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::plan::{Kept, PlannedVolume};
    use crate::tasks::actions::{ObjectKind, Removed, Skipped};
    use crate::text::format::width;
    use crate::text::secrets::MASK;

    fn plan() -> Plan {
        let volume = |name: &str, labels: &[(&str, &str)]| PlannedVolume {
            name: name.into(),
            size: Some(1024),
            disk_usage: None,
            anonymous: false,
            labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>(),
        };
        Plan {
            volumes: vec![
                volume("evil", &[("evil", "\x1b]0;PWN\x07\x1b[2J"), ("db_password", "hunter2")]),
                volume("a-much-longer-volume-name", &[("説明", "データ")]),
            ],
            kept: vec![Kept {
                name: "used".to_owned(),
                reason: crate::model::plan::KeptReason::InUse { users: vec!["web".to_owned()] },
            }],
            ..Plan::default()
        }
    }

    #[test]
    fn the_preview_shows_escapes_as_text_masks_secrets_and_lines_up_sizes() {
        let text = preview(&plan(), false, None);
        assert!(!text.contains(['\x1b', '\x07']), "{text}");
        assert!(
            text.contains("evil=\\x1b]0;PWN\\x07\\x1b[2J") && text.contains(&format!("db_password={MASK}"))
        );
        assert!(!text.contains("hunter2"), "{text}");
        let size_ends: Vec<usize> = text
            .lines()
            .filter(|l| l.contains("1 KiB"))
            .map(|l| width(&l[..l.find("1 KiB").unwrap() + "1 KiB".len()]))
            .collect();
        assert_eq!(size_ends.len(), 2, "{text}");
        assert_eq!(size_ends[0], size_ends[1], "sizes line up:\n{text}");
        assert!(preview(&plan(), true, None).contains("db_password=hunter2"));
    }

    #[test]
    fn the_outcome_shows_what_went_and_why_the_rest_stayed_on_one_line_each() {
        let outcome = Outcome {
            removed: vec![Removed { kind: ObjectKind::Volume, name: "idle".to_owned(), bytes: Some(2048) }],
            skipped: vec![Skipped {
                kind: ObjectKind::Volume,
                name: "late".to_owned(),
                reason: "in use: volume is in use\n- [\x1b[2Jabc]".to_owned(),
            }],
        };
        let text = report(&outcome, None);
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(text.contains("removed volume  idle  2 KiB"), "{text}");
        assert!(text.contains("kept volume     late") && text.contains("in use\\n- [\\x1b[2Jabc]"), "{text}");
    }
}
