//! What a removal did, as a scrollable list: what the engine kept (and why) first, since those
//! need the user's attention, then what went. After a big prune the kept rows are reachable.

use super::scroll::Scroll;
use crate::model::outcome::Outcome;
use crate::text::format::{pad, size, wrap, Align};
use crate::text::sanitize::visible;

/// Columns of the kind ("container", "volume"), of the name (at least) and of a size.
const KIND_COLUMNS: usize = 9;
const NAME_MIN_COLUMNS: usize = 34;
const SIZE_COLUMNS: usize = 10;

#[derive(Debug, Clone)]
pub struct OutcomeView {
    pub outcome: Outcome,
    /// First line shown.
    pub scroll: Scroll,
}

/// How a line of the outcome reads: the view styles each kind its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Summary,
    KeptHeading,
    Kept,
    RemovedHeading,
    Removed,
    Blank,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeLine {
    pub kind: LineKind,
    pub text: String,
}

impl From<Outcome> for OutcomeView {
    fn from(outcome: Outcome) -> Self {
        OutcomeView { outcome, scroll: Scroll::default() }
    }
}

impl OutcomeView {
    /// Every line at this inner width: a kept object's reason (often the engine's whole message)
    /// wraps under its name rather than being cut.
    pub fn lines(&self, columns: usize) -> Vec<OutcomeLine> {
        let line = |kind, text: String| OutcomeLine { kind, text };
        let (removed, kept) = (&self.outcome.removed, &self.outcome.skipped);
        let mut summary = self.outcome.summary();
        if !kept.is_empty() {
            summary.push_str(&format!(" The engine kept {}.", kept.len()));
        }
        let mut lines: Vec<OutcomeLine> = wrap(&summary, columns.saturating_sub(1))
            .into_iter()
            .map(|part| line(LineKind::Summary, format!(" {part}")))
            .collect();
        // As wide as the widest name, so names sharing a long prefix stay apart; a dialog too
        // narrow for it shortens names (with `…`) before anything else.
        let names = removed.iter().map(|r| &r.name).chain(kept.iter().map(|k| &k.name));
        let widest = names.map(|n| crate::text::format::width(&visible(n))).max().unwrap_or(0);
        let room = columns.saturating_sub(2 + KIND_COLUMNS + 2 + SIZE_COLUMNS);
        let name_columns = widest.max(NAME_MIN_COLUMNS).min(room);
        let row = |kind: &str, name: &str, rest: &str| row(kind, name, name_columns, rest);
        if !kept.is_empty() {
            lines.push(line(LineKind::Blank, String::new()));
            lines.push(line(LineKind::KeptHeading, " Kept by the engine:".to_owned()));
            let indent = 2 + KIND_COLUMNS + 1;
            for skipped in kept {
                lines.push(line(LineKind::Kept, row(&skipped.kind.to_string(), &skipped.name, "")));
                for part in wrap(&visible(&skipped.reason), columns.saturating_sub(indent + 1)) {
                    lines.push(line(LineKind::Kept, format!("{}{part}", " ".repeat(indent))));
                }
            }
        }
        if !removed.is_empty() {
            lines.push(line(LineKind::Blank, String::new()));
            let heading = if self
                .outcome
                .removed
                .iter()
                .all(|r| r.kind == crate::model::outcome::ObjectKind::LogFile)
            {
                " Truncated or removed:"
            } else {
                " Removed:"
            };
            lines.push(line(LineKind::RemovedHeading, heading.to_owned()));
            for r in removed {
                let bytes = pad(&size(r.bytes), SIZE_COLUMNS, Align::Right);
                lines.push(line(LineKind::Removed, row(&r.kind.to_string(), &r.name, &bytes)));
            }
        }
        lines
    }

    /// Moves by `delta` lines, keeping the last line at the bottom at most.
    pub fn scroll_by(&mut self, delta: isize, (columns, rows): (usize, usize)) {
        self.scroll.scroll_by(delta, self.lines(columns).len(), rows);
    }
}

/// Names and reasons are the engine's text: shown visibly, as everywhere on screen, so a newline
/// cannot break the list and widths count what shows.
fn row(kind: &str, name: &str, name_columns: usize, rest: &str) -> String {
    let kind = pad(kind, KIND_COLUMNS, Align::Left);
    let name = pad(&visible(name), name_columns, Align::Left);
    format!("  {kind} {name} {rest}").trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::outcome::{ObjectKind, Removed, Skipped};

    fn view(removed: usize, kept: usize) -> OutcomeView {
        let removed = (0..removed)
            .map(|i| Removed { kind: ObjectKind::Volume, name: format!("gone-{i}"), bytes: Some(1024) })
            .collect();
        let skipped = (0..kept)
            .map(|i| Skipped {
                kind: ObjectKind::Volume,
                name: format!("kept-{i}"),
                reason: "in use: remove kept: volume is in use - [3f1c0e9d7a2b4c6d8e0f1a2b3c4d5e6f]".into(),
            })
            .collect();
        Outcome { removed, skipped }.into()
    }

    #[test]
    fn kept_objects_come_before_removed_ones_and_their_reason_wraps_whole() {
        let lines = view(3, 1).lines(40);
        let kinds: Vec<LineKind> = lines.iter().map(|l| l.kind).collect();
        let first_kept = kinds.iter().position(|k| *k == LineKind::Kept).unwrap();
        let first_removed = kinds.iter().position(|k| *k == LineKind::Removed).unwrap();
        assert!(first_kept < first_removed);
        // Every character of the reason is there, whatever the line breaks.
        let bare = |text: &str| text.split_whitespace().collect::<String>();
        let text: String = lines.iter().map(|l| bare(&l.text)).collect();
        assert!(text
            .contains(&bare("in use: remove kept: volume is in use - [3f1c0e9d7a2b4c6d8e0f1a2b3c4d5e6f]")));
        assert!(lines.iter().all(|l| crate::text::format::width(&l.text) <= 40), "{lines:#?}");
    }

    #[test]
    fn long_names_sharing_a_prefix_stay_whole_when_the_dialog_has_room() {
        let long = |end: &str| format!("dockdu-test-1371-0-797295299-a-rather-long-{end}");
        let removed = ["idle", "late"]
            .map(|end| Removed { kind: ObjectKind::Volume, name: long(end), bytes: None })
            .to_vec();
        let view: OutcomeView = Outcome { removed, skipped: vec![] }.into();
        let text: Vec<String> = view.lines(98).into_iter().map(|l| l.text).collect();
        assert!(
            text.iter().any(|l| l.contains(&long("idle"))) && text.iter().any(|l| l.contains(&long("late")))
        );
        let narrow: Vec<String> = view.lines(50).into_iter().map(|l| l.text).collect();
        assert!(narrow.iter().all(|l| crate::text::format::width(l) <= 50), "{narrow:#?}");
    }

    #[test]
    fn scrolling_stops_with_the_last_line_at_the_bottom() {
        let mut view = view(30, 2);
        let total = view.lines(60).len();
        view.scroll_by(1000, (60, 10));
        assert_eq!(view.scroll.offset, total - 10);
        view.scroll_by(-3, (60, 10));
        assert_eq!(view.scroll.offset, total - 13);
        view.scroll_by(-1000, (60, 10));
        assert_eq!(view.scroll.offset, 0);
    }
}
