//! Dialogs that lead to writes: the removal preview, its outcome, and the forms.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::theme;
use crate::actions::Outcome;
use crate::app::confirm::{Confirm, Scope, Subject};
use crate::app::form::{Form, Input};
use crate::cli::headline;
use crate::format::{pad, size, volume_name, Align};

fn dialog_area(body: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(body.width);
    let height = height.min(body.height);
    Rect { x: body.x + (body.width - width) / 2, y: body.y + (body.height - height) / 2, width, height }
}

fn frame_dialog(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'static>>, scroll: usize) {
    let block = Block::bordered()
        .title(Span::styled(format!(" {title} "), theme::title()))
        .border_style(theme::border(true));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((scroll as u16, 0)),
        area,
    );
}

pub fn confirm(confirm: &Confirm, tick: usize, frame: &mut Frame, body: Rect) {
    let plan = &confirm.plan;
    let mut lines: Vec<Line<'static>> = Vec::new();
    match &confirm.subject {
        Subject::Volumes { only: None, scope, label } => {
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
                Span::styled("  (Tab changes)", theme::dim()),
            ]));
            lines.push(Line::styled(
                " Only volumes no container uses, in any state, are ever pruned.",
                theme::dim(),
            ));
        }
        Subject::Containers { only, with_volumes, force } => {
            if only.is_none() {
                lines.push(Line::styled(" Stopped containers: exited, created or dead.", theme::dim()));
            }
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
    }
    lines.push(Line::raw(""));
    if plan.is_empty() {
        lines.push(Line::styled(" Nothing to remove.", theme::dim()));
    } else {
        lines.push(Line::styled(format!(" {}:", headline(plan, "Will remove")), theme::warning()));
    }
    for c in &plan.containers {
        lines.push(Line::from(vec![
            Span::raw(format!("  container {:<28} ", c.name)),
            Span::styled(format!("{:>10}", size(c.size_rw)), theme::size()),
            Span::raw("  "),
            Span::styled(c.state.clone(), theme::state(&c.state)),
            Span::styled(format!("  {}", c.status), theme::dim()),
        ]));
    }
    for v in &plan.volumes {
        let labels: Vec<String> = v.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        lines.push(Line::from(vec![
            Span::raw(format!("  volume    {:<28} ", volume_name(&v.name, v.anonymous))),
            Span::styled(format!("{:>10}", size(v.size)), theme::size()),
            Span::raw(format!("  {:<9}", if v.anonymous { "anonymous" } else { "named" })),
            Span::styled(format!("  {}", labels.join(",")), theme::dim()),
        ]));
    }
    if !plan.kept.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(" Kept:", theme::header_row()));
        for k in &plan.kept {
            lines.push(Line::raw(format!("  {:<38} {}", k.name, k.reason)));
        }
    }
    if confirm.working {
        lines.push(Line::raw(""));
        lines.push(Line::styled(format!(" {} removing…", theme::spinner(tick)), theme::warning()));
    }
    let area = dialog_area(body, 100, body.height.saturating_sub(2));
    frame_dialog(frame, area, confirm.title(), lines, confirm.scroll);
}

pub fn outcome(outcome: &Outcome, frame: &mut Frame, body: Rect) {
    let count = outcome.removed.len();
    let mut lines = vec![Line::styled(
        format!(
            " Removed {count} object{} ({}).",
            if count == 1 { "" } else { "s" },
            size(Some(outcome.reclaimed_bytes()))
        ),
        theme::title(),
    )];
    for r in &outcome.removed {
        lines.push(Line::raw(format!("  removed {:<9} {} ({})", r.kind, r.name, size(r.bytes))));
    }
    if !outcome.skipped.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(" Kept by the engine:", theme::warning()));
        for s in &outcome.skipped {
            lines.push(Line::raw(format!("  {:<9} {}: {}", s.kind, s.name, s.reason)));
        }
    }
    let height = (lines.len() as u16 + 2).max(5);
    frame_dialog(frame, dialog_area(body, 100, height), "Done", lines, 0);
}

pub fn form(form: &Form, tick: usize, frame: &mut Frame, body: Rect) {
    let mut lines = vec![Line::raw("")];
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let value = match &field.input {
            Input::Text(value) if focused => format!("{value}▏"),
            Input::Text(value) => value.clone(),
            Input::Toggle(on) => format!("[{}]", if *on { "yes" } else { "no" }),
            Input::Choice { options, .. } if options.is_empty() && form.images_pending => {
                "(listing local images…)".to_owned()
            }
            Input::Choice { options, .. } if options.is_empty() => "(none available)".to_owned(),
            Input::Choice { options, selected } => {
                format!("‹ {} ›", options.get(*selected).map_or("", String::as_str))
            }
        };
        let label_style = if focused { theme::key() } else { theme::dim() };
        lines.push(Line::from(vec![
            Span::styled(format!(" {}", pad(field.id.label(), 15, Align::Left)), label_style),
            Span::styled(value, if focused { theme::selected() } else { ratatui::style::Style::new() }),
            Span::styled(if focused { format!("   {}", field.hint) } else { String::new() }, theme::dim()),
        ]));
    }
    lines.push(Line::raw(""));
    if let Some(error) = &form.error {
        lines.push(Line::styled(format!(" {error}"), theme::error()));
    } else if form.working {
        lines.push(Line::styled(format!(" {} working…", theme::spinner(tick)), theme::warning()));
    }
    let height = lines.len() as u16 + 3;
    frame_dialog(frame, dialog_area(body, 90, height), &form.title(), lines, 0);
}
