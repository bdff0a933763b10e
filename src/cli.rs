//! The write commands for scripts: `volume create`, `prune volumes`, `prune containers`. Each
//! prints its preview first; without `--yes` it asks on a terminal and refuses when there is none.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Result;
use serde_json::json;

use crate::actions::{self, Outcome};
use crate::engine::{Engine, VolumeSpec};
use crate::format::{size, volume_name};
use crate::model::plan::{self, Plan, VolumeScope};
use crate::model::{build, validate};

/// How a command ended, for the exit status.
#[derive(Debug, PartialEq, Eq)]
pub enum Finish {
    Done,
    /// Nothing was changed: the user said no, input was invalid, or there was no one to ask.
    Refused(String),
    /// Some planned objects were kept by the engine (they gained a user, say).
    Partial,
}

impl Finish {
    pub fn exit_code(&self) -> u8 {
        match self {
            Finish::Done => 0,
            Finish::Refused(_) => 2,
            Finish::Partial => 3,
        }
    }
}

pub struct Confirm {
    pub dry_run: bool,
    pub yes: bool,
    pub json: bool,
}

pub async fn create_volume(engine: &Engine, spec: VolumeSpec) -> Result<Finish> {
    if !spec.name.is_empty() {
        if let Err(why) = validate::docker_name(&spec.name) {
            return Ok(Finish::Refused(why));
        }
    }
    let name = engine.create_volume(&spec).await?;
    println!("{name}");
    Ok(Finish::Done)
}

pub async fn prune_volumes(
    engine: &Engine,
    scope: VolumeScope,
    label: Option<String>,
    confirm: Confirm,
) -> Result<Finish> {
    let inventory = build(&crate::collect::collect(engine).await?);
    let mut plan = plan::volume_prune(&inventory, &scope);
    if let Some(filter) = &label {
        plan.volumes.retain(|v| plan::label_matches(&v.labels, filter));
    }
    carry_out(engine, plan, confirm).await
}

pub async fn prune_containers(
    engine: &Engine,
    with_volumes: bool,
    label: Option<String>,
    confirm: Confirm,
) -> Result<Finish> {
    let inventory = build(&crate::collect::collect(engine).await?);
    let chosen = label.map(|filter| {
        let labelled = inventory.containers.iter().filter(|c| plan::label_matches(&c.labels, &filter));
        labelled.filter(|c| plan::is_stopped(&c.state)).map(|c| c.id.clone()).collect()
    });
    let plan = plan::container_removal(&inventory, chosen.as_ref(), with_volumes, false);
    carry_out(engine, plan, confirm).await
}

async fn carry_out(engine: &Engine, plan: Plan, confirm: Confirm) -> Result<Finish> {
    if confirm.json && (confirm.dry_run || plan.is_empty()) {
        println!("{}", serde_json::to_string_pretty(&json!({ "plan": plan, "dry_run": confirm.dry_run }))?);
        return Ok(Finish::Done);
    }
    if !confirm.json {
        print!("{}", preview(&plan));
    }
    if confirm.dry_run || plan.is_empty() {
        return Ok(Finish::Done);
    }
    if engine.is_read_only() {
        return Ok(Finish::Refused("read-only mode: nothing removed".to_owned()));
    }
    if !confirm.yes {
        if !std::io::stdin().is_terminal() {
            return Ok(Finish::Refused(
                "no terminal to confirm on: pass --yes to remove, nothing removed".to_owned(),
            ));
        }
        let question = format!("{}? [y/N] ", headline(&plan, "Remove"));
        if !ask(&question)? {
            return Ok(Finish::Refused("not confirmed: nothing removed".to_owned()));
        }
    }
    let outcome = actions::remove(engine, &plan).await;
    if confirm.json {
        println!("{}", serde_json::to_string_pretty(&json!({ "plan": plan, "outcome": outcome }))?);
    } else {
        print!("{}", report(&outcome));
    }
    Ok(if outcome.skipped.is_empty() { Finish::Done } else { Finish::Partial })
}

fn ask(question: &str) -> Result<bool> {
    eprint!("{question}");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// "Remove 2 containers and 3 volumes (1.2 GiB)"
pub fn headline(plan: &Plan, verb: &str) -> String {
    let mut parts = Vec::new();
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    if !plan.containers.is_empty() {
        parts.push(count(plan.containers.len(), "container"));
    }
    if !plan.volumes.is_empty() {
        parts.push(count(plan.volumes.len(), "volume"));
    }
    let at_least = if plan.has_unknown_sizes() { "at least " } else { "" };
    format!("{verb} {} ({at_least}{})", parts.join(" and "), size(Some(plan.reclaimed_bytes())))
}

pub fn preview(plan: &Plan) -> String {
    let mut out = String::new();
    if plan.is_empty() {
        out.push_str("Nothing to remove.\n");
    } else {
        out.push_str(&format!("{}:\n", headline(plan, "Would remove")));
    }
    for c in &plan.containers {
        out.push_str(&format!("  container {:<30} {:>10}  {}\n", c.name, size(c.size_rw), c.status));
    }
    for v in &plan.volumes {
        let kind = if v.anonymous { "anonymous" } else { "named" };
        let labels: Vec<String> = v.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        out.push_str(&format!(
            "  volume    {:<30} {:>10}  {kind}  {}\n",
            volume_name(&v.name, v.anonymous),
            size(v.size),
            labels.join(",")
        ));
    }
    for k in &plan.kept {
        out.push_str(&format!("  kept      {:<30} {}\n", k.name, k.reason));
    }
    out
}

pub fn report(outcome: &Outcome) -> String {
    let mut out = format!(
        "Removed {} object{} ({}).\n",
        outcome.removed.len(),
        if outcome.removed.len() == 1 { "" } else { "s" },
        size(Some(outcome.reclaimed_bytes()))
    );
    for r in &outcome.removed {
        out.push_str(&format!("  removed {} {} ({})\n", r.kind, r.name, size(r.bytes)));
    }
    for s in &outcome.skipped {
        out.push_str(&format!("  kept    {} {}: {}\n", s.kind, s.name, s.reason));
    }
    out
}
