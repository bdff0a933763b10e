//! Dialogs that lead to writes: the removal preview, its outcome, and the forms.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::theme;
use super::untrusted::{fitted, fitted_middle, key_values, padded, shown};
use crate::app::confirm::{Confirm, Pick, Scope, Subject};
use crate::app::form::{Form, Input};
use crate::app::layout;
use crate::app::outcome::{LineKind, OutcomeView};
use crate::model::plan::{ImageScope, LogFileAction};
use crate::text::format::{pad, size, volume_name, width, wrap, Align};

/// The narrowest the name column gets, so short names still line up with a readable gap.
const NAME_MIN_COLUMNS: usize = 28;
/// What a row holds besides the name: "  container " or "  volume    ", a size, a state or kind.
const ROW_COLUMNS_BESIDES_NAME: usize = 12 + 1 + 10 + 2 + 10;
const SIZE_COLUMNS: usize = 10;
const STATE_COLUMNS: usize = 10;
const LABEL_COLUMNS: usize = 15;

fn frame_dialog(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'static>>, scroll: usize) {
    let block = Block::bordered()
        .title(Span::styled(
            format!(" {} ", fitted(title, usize::from(area.width.saturating_sub(4)))),
            theme::title(),
        ))
        .border_style(theme::border(true));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((scroll as u16, 0)),
        area,
    );
}

/// A row of the preview on one line of `columns`: its spans, then `last` (labels, a status: text
/// of any length) cut with `…` where the dialog ends. A row that wrapped would start a line
/// that reads as another row.
fn one_line(mut row: Vec<Span<'static>>, last: &str, style: Style, columns: usize) -> Line<'static> {
    let used: usize = row.iter().map(Span::width).sum();
    row.push(Span::styled(fitted(last, columns.saturating_sub(used)), style));
    Line::from(row)
}

/// "Only the 3 containers matching filter “web”."
fn filtered_note<K>(pick: &Pick<K>, noun: &str) -> Option<Line<'static>> {
    let Pick::Filtered { filter, keys } = pick else { return None };
    let plural = if keys.len() == 1 { "" } else { "s" };
    Some(Line::styled(
        format!(" Only the {} {noun}{plural} matching filter “{}”.", keys.len(), fitted(filter, 40)),
        theme::warning(),
    ))
}

pub fn confirm(confirm: &Confirm, tick: usize, now: std::time::SystemTime, frame: &mut Frame, body: Rect) {
    let plan = &confirm.plan;
    let area = layout::list_dialog(body);
    // As wide as the widest name, so names sharing a long prefix stay apart; `…` only past the
    // dialog's width.
    let widest = (plan.containers.iter().map(|c| width(&shown(&c.name))))
        .chain(plan.volumes.iter().map(|v| width(&shown(&volume_name(&v.name, v.anonymous)))))
        .chain(plan.images.iter().map(|i| width(&shown(&i.reference()))))
        .chain(plan.kept.iter().map(|k| width(&shown(&k.name)).saturating_sub(10)))
        .max()
        .unwrap_or(0);
    let room = usize::from(area.width.saturating_sub(2)).saturating_sub(ROW_COLUMNS_BESIDES_NAME);
    let name_columns = widest.max(NAME_MIN_COLUMNS).min(room);
    let mut lines: Vec<Line<'static>> = Vec::new();
    match &confirm.subject {
        Subject::Volumes { pick, scope, label } if !pick.is_removal() => {
            let choice = |this: Scope, text: String| {
                let style = if *scope == this { theme::active_tab() } else { theme::dim() };
                Span::styled(format!(" {text} "), style)
            };
            let cursor = if *scope == Scope::Label { "▏" } else { "" };
            lines.push(Line::from(vec![
                Span::raw(" scope "),
                choice(Scope::Anonymous, "anonymous only".to_owned()),
                Span::raw(" "),
                choice(Scope::Dangling, "all dangling".to_owned()),
                Span::raw(" "),
                choice(Scope::Label, format!("by label: {label}{cursor}")),
            ]));
            lines.push(Line::styled(
                " Only volumes no container uses, in any state, are ever pruned.",
                theme::dim(),
            ));
            lines.extend(filtered_note(pick, "volume"));
        }
        Subject::Containers { pick, with_volumes, force } => {
            if !pick.is_removal() {
                lines.push(Line::styled(" Stopped containers: exited, created or dead.", theme::dim()));
            }
            lines.extend(filtered_note(pick, "container"));
            let yes_no = if *with_volumes { "yes" } else { "no" };
            lines.push(Line::from(vec![
                Span::raw(" also remove their anonymous volumes: "),
                Span::styled(yes_no, theme::key()),
                Span::styled("  (v toggles)", theme::dim()),
            ]));
            if *force {
                lines.push(Line::styled(
                    " FORCE: running containers are stopped and removed (f undoes)",
                    theme::error(),
                ));
            } else if confirm.needs_force() {
                lines.push(Line::styled(
                    " A running container stays unless you press f to force its removal.",
                    theme::warning(),
                ));
            }
        }
        Subject::Volumes { .. } => {
            lines.push(Line::styled(
                " A volume in use is never removed: the engine refuses it.",
                theme::dim(),
            ));
        }
        Subject::Logs { .. } => {
            lines.push(Line::styled(
                " The file the engine writes to is cut to 0 bytes (it goes on appending, and the log \
                 keeps working); rotated files are removed. Sizes: apparent, then on disk.",
                theme::dim(),
            ));
        }
        Subject::Images { pick, scope } => {
            if !pick.is_removal() {
                let choice = |this: ImageScope| {
                    let style = if *scope == this { theme::active_tab() } else { theme::dim() };
                    Span::styled(format!(" {} ", this.label()), style)
                };
                lines.push(Line::from(vec![
                    Span::raw(" scope "),
                    choice(ImageScope::Dangling),
                    Span::raw(" "),
                    choice(ImageScope::Unused),
                ]));
                lines.extend(filtered_note(pick, "image"));
            }
            lines.push(Line::styled(
                " An image a container uses (in any state) is never removed; each is checked again \
                 just before. Sizes are the bytes each frees (its unique size).",
                theme::dim(),
            ));
        }
    }
    lines.push(Line::raw(""));
    if plan.is_empty() {
        lines.push(Line::styled(" Nothing to remove.", theme::dim()));
    } else {
        let verb = format!("Will {}", plan.verb().to_lowercase());
        lines.push(Line::styled(format!(" {}:", plan.headline(&verb)), theme::warning()));
    }
    let columns = usize::from(area.width.saturating_sub(2));
    for c in &plan.containers {
        let row = vec![
            Span::raw(format!("  container {} ", padded(&c.name, name_columns, Align::Left))),
            Span::styled(pad(&size(c.size_rw), SIZE_COLUMNS, Align::Right), theme::size()),
            Span::raw("  "),
            Span::styled(padded(c.state.as_str(), STATE_COLUMNS, Align::Left), theme::state(Some(&c.state))),
        ];
        lines.push(one_line(row, &c.status_at(now), theme::dim(), columns));
    }
    for v in &plan.volumes {
        let row = vec![
            Span::raw(format!(
                "  volume    {} ",
                padded(&volume_name(&v.name, v.anonymous), name_columns, Align::Left)
            )),
            Span::styled(pad(&size(v.size), SIZE_COLUMNS, Align::Right), theme::size()),
            Span::raw(format!("  {}", pad(if v.anonymous { "anonymous" } else { "named" }, 9, Align::Left))),
        ];
        // As the CLI's preview shows them: secrets masked, escapes visible.
        lines.push(one_line(row, &format!("  {}", key_values(&v.labels, false)), theme::dim(), columns));
    }
    for i in &plan.images {
        let what = crate::model::images::other_tags(&i.tags);
        let row = vec![
            Span::raw(format!("  image     {} ", padded(&i.reference(), name_columns, Align::Left))),
            Span::styled(pad(&size(i.size), SIZE_COLUMNS, Align::Right), theme::size()),
        ];
        lines.push(one_line(row, &format!("  {what}"), theme::dim(), columns));
    }
    for l in &plan.logs {
        let what = match l.action {
            LogFileAction::Truncate => "  truncate ",
            LogFileAction::Remove => "  remove   ",
        };
        // The path on a line of its own, cut in the middle: its file name tells current from rotated.
        let row = vec![
            Span::raw(what),
            Span::styled(pad(&size(Some(l.size)), SIZE_COLUMNS, Align::Right), theme::size()),
        ];
        let rest = format!("  {} on disk  {}", size(Some(l.disk_usage)), shown(&l.container));
        lines.push(one_line(row, &rest, theme::dim(), columns));
        lines.push(Line::styled(
            format!("    {}", fitted_middle(&l.path, columns.saturating_sub(4))),
            theme::dim(),
        ));
    }
    if !plan.kept.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(" Kept:", theme::header_row()));
        for k in &plan.kept {
            let row = vec![Span::raw(format!("  {} ", padded(&k.name, name_columns + 10, Align::Left)))];
            lines.push(one_line(row, &k.reason.to_string(), Style::new(), columns));
        }
    }
    if confirm.working {
        lines.push(Line::raw(""));
        let doing = if plan.truncates() { "truncating" } else { "removing" };
        lines.push(Line::styled(format!(" {} {doing}…", theme::spinner(tick)), theme::warning()));
    }
    frame_dialog(frame, area, confirm.title(), lines, confirm.scroll.offset);
}

pub fn outcome(view: &OutcomeView, frame: &mut Frame, body: Rect) {
    let area = layout::list_dialog(body);
    let (columns, rows) =
        (usize::from(area.width.saturating_sub(2)), usize::from(area.height.saturating_sub(2)));
    let lines: Vec<Line<'static>> = view
        .lines(columns)
        .into_iter()
        .map(|line| {
            let style = match line.kind {
                LineKind::Summary => theme::title(),
                LineKind::KeptHeading => theme::warning(),
                LineKind::RemovedHeading => theme::header_row(),
                LineKind::Kept | LineKind::Removed | LineKind::Blank => ratatui::style::Style::new(),
            };
            Line::styled(line.text, style)
        })
        .collect();
    // A resize since the last key may have made the list shorter than the scroll.
    let scroll = view.scroll.offset.min(lines.len().saturating_sub(rows));
    frame_dialog(frame, area, "Done", lines, scroll);
}

/// Forms take the same place as the other dialogs: their border on the panels' borders, and room
/// below the fields for an engine error of several lines.
pub fn form(form: &Form, tick: usize, frame: &mut Frame, body: Rect) {
    let area = layout::list_dialog(body);
    let columns = usize::from(area.width.saturating_sub(2));
    let mut lines = vec![Line::raw("")];
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let value = match &field.input {
            Input::Text(value) if focused => {
                let (before, after) = value.split();
                format!("{before}▏{after}")
            }
            Input::Text(value) => value.text().to_owned(),
            Input::Toggle(on) => format!("[{}]", if *on { "yes" } else { "no" }),
            Input::Choice { options, .. } if options.is_empty() && form.images_pending => {
                "(listing local images…)".to_owned()
            }
            Input::Choice { options, .. } if options.is_empty() => "(none available)".to_owned(),
            // Image tags, from the engine.
            Input::Choice { options, selected } => {
                format!("‹ {} ›", shown(options.get(*selected).map_or("", String::as_str)))
            }
        };
        let label_style = if focused { theme::key() } else { theme::dim() };
        let hint_fits = 1 + LABEL_COLUMNS + width(&value) + 3 + width(field.hint) <= columns;
        lines.push(Line::from(vec![
            Span::styled(format!(" {}", pad(field.id.label(), LABEL_COLUMNS, Align::Left)), label_style),
            Span::styled(value, if focused { theme::selected() } else { ratatui::style::Style::new() }),
            // The hint only where it fits beside the value: wrapped, it would read as a field.
            Span::styled(
                if focused && hint_fits { format!("   {}", field.hint) } else { String::new() },
                theme::dim(),
            ),
        ]));
    }
    lines.push(Line::raw(""));
    if let Some(error) = &form.error {
        // Wrapped here, so the height fits it exactly: the engine's whole message stays readable.
        for part in wrap(&shown(error), columns.saturating_sub(2)) {
            lines.push(Line::styled(format!(" {part}"), theme::error()));
        }
    } else if form.working {
        lines.push(Line::styled(format!(" {} working…", theme::spinner(tick)), theme::warning()));
    }
    frame_dialog(frame, area, &form.title(), lines, 0);
}
