//! `dockdu report --all-contexts`: every docker context's report side by side. Contexts are asked
//! at once, each within its own bound; one that cannot be reached is an error entry and the
//! others still report. The text ends with totals across the engines that answered.

use std::fmt::Write;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::cli::output;
use crate::cli::report;
use crate::cli::writes::Finish;
use crate::engine::{Engine, EngineError, Problem, Settings};
use crate::model::{self, Inventory, Totals};
use crate::tasks::sizes::Route;
use crate::text::format::size;
use crate::text::sanitize::visible;

/// A whole report (lists, sizes, inspections) may take this many `--timeout`s before its
/// context counts as not answering: `/system/df` alone takes a while on a big host.
const REPORT_BOUND_IN_TIMEOUTS: u32 = 4;

/// One context's answer.
pub struct Entry {
    pub name: String,
    pub host: String,
    pub outcome: Result<Inventory, EngineError>,
}

/// Asks every context at once; each has `timeout` per request and a bound on its whole report.
/// `engine_sizes`: every size from the engines, none measured here.
pub async fn gather(settings: &Settings, timeout: Duration, engine_sizes: bool) -> Vec<Entry> {
    let asks = settings.contexts().into_iter().map(|context| async move {
        let target = match context.target {
            Ok(target) => target,
            Err(error) => return Entry { name: context.name, host: String::new(), outcome: Err(error) },
        };
        let bound = timeout * REPORT_BOUND_IN_TIMEOUTS;
        let outcome = match Engine::connect(&target, timeout) {
            Ok(engine) => {
                let route = Route::choose(&engine, engine_sizes);
                match tokio::time::timeout(bound, crate::tasks::collect::collect(&engine, route)).await {
                    Ok(sources) => sources.map(|sources| model::build(&sources)),
                    Err(_) => {
                        let detail = format!("no whole report within {} s", bound.as_secs());
                        Err(EngineError::new(&target.host, "reporting", Problem::Timeout, detail))
                    }
                }
            }
            Err(error) => Err(error),
        };
        Entry { name: context.name, host: target.host, outcome }
    });
    futures_util::future::join_all(asks).await
}

/// Prints the fleet report; exits 1 when some context could not report (the rest is printed).
pub async fn report(
    settings: &Settings,
    timeout: Duration,
    json: bool,
    reveal_secrets: bool,
    engine_sizes: bool,
) -> anyhow::Result<Finish> {
    let entries = gather(settings, timeout, engine_sizes).await;
    if json {
        output::json(&serde_json::to_string_pretty(&document(&entries, reveal_secrets))?)?;
    } else {
        output::text(&text(&entries, reveal_secrets, output::terminal_width()))?;
    }
    match entries.iter().filter(|e| e.outcome.is_err()).count() {
        0 => Ok(Finish::Done),
        failed => Err(anyhow::anyhow!("{failed} of {} contexts could not report", entries.len())),
    }
}

#[derive(Serialize)]
struct ContextDocument {
    name: String,
    host: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<Value>,
}

/// `{"contexts": [{"name", "host", "error"?, "report"?}]}`, `report` being `report --json`'s document.
pub fn document(entries: &[Entry], reveal_secrets: bool) -> Value {
    let contexts: Vec<ContextDocument> = entries
        .iter()
        .map(|entry| {
            let (error, report) = match &entry.outcome {
                Ok(inventory) => {
                    (None, serde_json::to_value(&*report::shown(inventory, reveal_secrets)).ok())
                }
                Err(error) => (Some(error.to_string()), None),
            };
            ContextDocument { name: entry.name.clone(), host: entry.host.clone(), error, report }
        })
        .collect();
    serde_json::json!({ "contexts": contexts })
}

/// Each context's report under its name, then the totals across the engines that answered.
pub fn text(entries: &[Entry], reveal_secrets: bool, fit: Option<usize>) -> String {
    let mut out = String::new();
    let mut sum = Totals::default();
    for entry in entries {
        let _ = writeln!(out, "=== context {} · {}", visible(&entry.name), visible(&entry.host));
        match &entry.outcome {
            Ok(inventory) => {
                out.push_str(&report::text(inventory, reveal_secrets, fit));
                add(&mut sum, &inventory.totals);
            }
            Err(error) => {
                let _ = writeln!(out, "  error: {}\n", visible(&error.to_string()));
            }
        }
    }
    let answered = entries.iter().filter(|e| e.outcome.is_ok()).count();
    let _ = writeln!(
        out,
        "ALL ENGINES  {answered} of {} contexts reported · containers {} · {} writable · volumes {} · {} · \
         dangling {} · {} reclaimable",
        entries.len(),
        sum.containers,
        size(Some(sum.containers_size_rw)),
        sum.volumes,
        size(Some(sum.volumes_size)),
        sum.dangling_volumes,
        size(Some(sum.reclaimable_volume_bytes)),
    );
    out
}

fn add(sum: &mut Totals, totals: &Totals) {
    sum.containers += totals.containers;
    sum.containers_size_rw += totals.containers_size_rw;
    sum.volumes += totals.volumes;
    sum.volumes_size += totals.volumes_size;
    sum.dangling_volumes += totals.dangling_volumes;
    sum.reclaimable_volume_bytes += totals.reclaimable_volume_bytes;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EngineInfo, Volume};

    fn reporting(name: &str, volumes: usize, bytes: u64) -> Entry {
        let volume = |i: usize| Volume {
            name: format!("{name}-{i}").into(),
            size: Some(bytes),
            dangling: true,
            labels: [("api_token".to_owned(), "s3cret".to_owned())].into(),
            ..Default::default()
        };
        let volumes: Vec<Volume> = (0..volumes).map(volume).collect();
        let totals = Totals {
            volumes: volumes.len(),
            volumes_size: bytes * volumes.len() as u64,
            dangling_volumes: volumes.len(),
            reclaimable_volume_bytes: bytes * volumes.len() as u64,
            ..Default::default()
        };
        let engine =
            EngineInfo { context: name.into(), host: format!("tcp://{name}:2375"), ..Default::default() };
        let inventory = Inventory { engine, volumes, totals, ..Default::default() };
        Entry { name: name.into(), host: format!("tcp://{name}:2375"), outcome: Ok(inventory) }
    }

    fn unreachable(name: &str) -> Entry {
        let error = EngineError::new("ssh://gone", "connecting", Problem::Ssh, "Connection refused");
        Entry { name: name.into(), host: "ssh://gone".into(), outcome: Err(error) }
    }

    #[test]
    fn json_puts_each_report_or_error_under_its_context_with_secrets_masked() {
        let entries = [reporting("a", 1, 10), unreachable("b")];
        let doc = document(&entries, false);
        let contexts = doc["contexts"].as_array().unwrap();
        assert_eq!(
            (contexts[0]["name"].as_str(), contexts[0]["host"].as_str()),
            (Some("a"), Some("tcp://a:2375"))
        );
        assert_eq!(contexts[0]["report"]["volumes"][0]["name"], "a-0");
        assert_eq!(contexts[0]["report"]["volumes"][0]["labels"]["api_token"], crate::text::secrets::MASK);
        assert!(contexts[0].get("error").is_none());
        assert!(contexts[1]["error"].as_str().unwrap().contains("ssh: Connection refused"));
        assert!(contexts[1].get("report").is_none());
    }

    #[test]
    fn text_ends_with_totals_across_the_engines_that_answered() {
        let text = text(&[reporting("a", 2, 1024), reporting("b", 1, 1024), unreachable("c")], false, None);
        assert!(text.contains("=== context a · tcp://a:2375") && text.contains("=== context c · ssh://gone"));
        assert!(text.contains("  error: connecting failed on ssh://gone: ssh: Connection refused"), "{text}");
        let last = text.lines().last().unwrap();
        assert!(last.starts_with("ALL ENGINES  2 of 3 contexts reported"), "{last}");
        assert!(
            last.contains("volumes 3 · 3 KiB") && last.contains("dangling 3 · 3 KiB reclaimable"),
            "{last}"
        );
    }
}
