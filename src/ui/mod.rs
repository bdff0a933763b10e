//! Drawing: `render` reads the app's state and draws a frame. Nothing here changes state or
//! talks to the engine.

mod browser;
mod chrome;
mod detail;
mod dialogs;
mod engines;
mod help;
mod inspect;
mod logs;
mod menu;
mod search;
mod table;
pub mod theme;
mod untrusted;

use std::time::SystemTime;

use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::{layout, App, Connection, Overlay};
use crate::model::{EngineError, Problem};
use crate::text::format::clock;
use untrusted::shown;

pub fn render(app: &App, frame: &mut Frame) {
    draw(app, frame);
    untrusted::guard(frame.buffer_mut());
}

fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if layout::too_small((area.width, area.height)) {
        too_small(frame, area);
        return;
    }
    let areas = layout::areas(area, app.banner(), app.view().rows.len());
    chrome::header(app, frame, areas.header);
    chrome::tabs(app, frame, areas.tabs);
    if let Connection::Unreachable { error, at, attempt } = &app.loading.connection {
        let body = Rect { height: areas.body.height - 1, y: areas.body.y + 1, ..areas.body };
        engine_error(app, error, *at, *attempt, frame, body);
    } else {
        chrome::banner(app, frame, areas.banner);
        table::render(app, frame, areas.table);
        detail::render(app, frame, areas.detail);
    }
    chrome::footer(app, frame, areas.footer);
    match &app.overlay {
        Some(Overlay::Inspect(view)) => inspect::render(view, app.spinner, frame, areas.body),
        Some(Overlay::Confirm(confirm)) => dialogs::confirm(confirm, app.spinner, app.now, frame, areas.body),
        Some(Overlay::Outcome(outcome)) => dialogs::outcome(outcome, frame, areas.body),
        Some(Overlay::Form(form)) => dialogs::form(form, app.spinner, frame, areas.body),
        Some(Overlay::Engines(picker)) => engines::render(picker, app.spinner, frame, areas.body),
        Some(Overlay::Browser(view)) => browser::render(view, app.spinner, frame, areas.body),
        Some(Overlay::Control(menu)) => menu::render(menu, app.spinner, frame, areas.body),
        Some(Overlay::Logs(view)) => logs::render(view, frame, areas.body),
        None => {}
    }
    if let Some(help) = &app.help {
        help::render(help, frame);
    }
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::styled("Terminal too small", theme::warning()),
        Line::raw(format!(
            "{}×{}; dockdu needs {}×{}",
            area.width,
            area.height,
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        )),
        Line::styled("Enlarge the window, or press q to quit", theme::dim()),
    ];
    let top = area.height.saturating_sub(3) / 2;
    let area = Rect { y: area.y + top, height: area.height - top, ..area };
    frame.render_widget(Paragraph::new(text).alignment(Alignment::Center).wrap(Wrap { trim: true }), area);
}

/// The first connect failed: what, why, what to try; retries go on by themselves.
fn engine_error(app: &App, error: &EngineError, at: SystemTime, attempt: u32, frame: &mut Frame, area: Rect) {
    let host = shown(&error.host);
    let headline = if error.problem == Problem::Timeout {
        format!("The Docker engine at {host} is not answering")
    } else {
        format!("Cannot use the Docker engine at {host}")
    };
    let text = vec![
        Line::raw(""),
        Line::styled(headline, theme::error()),
        Line::raw(""),
        Line::raw(format!("{} failed at {}: {}", shown(&error.action), clock(at), shown(&error.cause()))),
        Line::styled(format!("Hint: {}", shown(&error.hint())), theme::warning()),
        Line::raw(""),
        Line::raw(format!("{} retrying by itself (attempt {})", theme::spinner(app.spinner), attempt + 1)),
        Line::from(vec![
            Span::raw("Press "),
            Span::styled("r", theme::key()),
            Span::raw(" to retry now, "),
            Span::styled("q", theme::key()),
            Span::raw(" to quit."),
        ]),
    ];
    let block = Block::bordered().title(" Engine unavailable ").border_style(theme::error());
    frame.render_widget(
        Paragraph::new(text).block(block).alignment(Alignment::Center).wrap(Wrap { trim: true }),
        area,
    );
}
