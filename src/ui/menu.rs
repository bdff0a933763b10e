//! `x`: the container controls menu, the confirmation of stop and kill, the wait for the engine
//! and its refusal, in one small box over the panels.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use super::theme;
use crate::app::controls::{ControlMenu, Stage};
use crate::model::controls::Control;
use crate::text::format::{fit, pad, wrap, Align};
use crate::text::sanitize::visible;

/// The widest the box gets; narrower terminals get all they have.
const WIDTH: u16 = 66;
const VERB_COLUMNS: usize = 9;

pub fn render(menu: &ControlMenu, tick: usize, frame: &mut Frame, body: Rect) {
    let width = WIDTH.min(body.width);
    let columns = usize::from(width.saturating_sub(4));
    let name = visible(&menu.name).into_owned();
    let (title, lines) = match &menu.stage {
        Stage::Choosing => (format!("{name} ({})", menu.state), choices(menu, columns)),
        Stage::Confirming(control) => (format!("{} container {name}?", capitalised(control.verb())), {
            let mut lines = explain(*control, &name, menu.tmpfs, columns);
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled(" y/Enter", theme::key()),
                Span::raw(format!(" {}   ", control.verb())),
                Span::styled("n/Esc", theme::key()),
                Span::raw(" back"),
            ]));
            lines
        }),
        Stage::Working(control) => {
            let mut text = format!("{} {} {name}…", theme::spinner(tick), control.doing());
            if control.waits_for_stop() {
                text.push_str(" the engine answers once it has stopped, within its stop timeout");
            }
            let lines = wrap(&text, columns).into_iter().map(|l| Line::raw(format!(" {l}"))).collect();
            (format!("{} {name}", capitalised(control.doing())), lines)
        }
        Stage::Failed { control, message } => {
            let lines = wrap(&visible(message), columns)
                .into_iter()
                .map(|l| Line::styled(format!(" {l}"), theme::error()))
                .collect();
            (format!("Could not {} {name}", control.verb()), lines)
        }
    };
    let height = (lines.len() as u16 + 2).min(body.height);
    let area =
        Rect { x: body.x + (body.width - width) / 2, y: body.y + (body.height - height) / 2, width, height };
    let block = Block::bordered()
        .title(Span::styled(format!(" {} ", fit(&title, columns)), theme::title()))
        .border_style(theme::border(true));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// One line a control: its key, its verb, what it does; the highlighted one reversed.
fn choices(menu: &ControlMenu, columns: usize) -> Vec<Line<'static>> {
    menu.controls
        .iter()
        .enumerate()
        .map(|(i, control)| {
            let what = fit(control.describe(), columns.saturating_sub(VERB_COLUMNS + 4)).into_owned();
            let line = Line::from(vec![
                Span::styled(format!(" {} ", control.key()), theme::key()),
                Span::raw(format!(" {}", pad(control.verb(), VERB_COLUMNS, Align::Left))),
                Span::styled(what, theme::dim()),
            ]);
            if i == menu.selected {
                line.style(theme::selected())
            } else {
                line
            }
        })
        .collect()
}

/// What stop and kill do to the container, before the user says yes.
fn explain(control: Control, name: &str, tmpfs: bool, columns: usize) -> Vec<Line<'static>> {
    let what = match control {
        Control::Kill => format!(
            "The engine sends {name} SIGKILL at once: its processes end without a chance to finish \
             what they are writing."
        ),
        _ => format!(
            "The engine sends {name} its stop signal (SIGTERM unless set), waits its stop timeout \
             (10 s unless set), then kills it."
        ),
    };
    let keeps = if tmpfs {
        "Its writable layer and volumes stay; what its tmpfs mounts hold is gone."
    } else {
        "Its writable layer and volumes stay."
    };
    let mut lines = vec![Line::raw("")];
    for text in [what.as_str(), keeps] {
        lines.extend(wrap(text, columns).into_iter().map(|l| Line::raw(format!(" {l}"))));
    }
    lines
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The footer's keys for the menu in its stage.
pub fn footer_keys(menu: &ControlMenu) -> Vec<(&'static str, &'static str)> {
    match &menu.stage {
        Stage::Choosing => vec![("↑↓", "choose"), ("Enter", "do it"), ("Esc", "close")],
        Stage::Confirming(control) => vec![("Enter/y", control.verb()), ("Esc/n", "back")],
        Stage::Working(control) => vec![("", control.doing()), ("Esc", "hide (it goes on)")],
        Stage::Failed { .. } => vec![("Esc", "close")],
    }
}
