//! Drawing: `render` reads the app's state and draws a frame. Nothing here changes state or
//! talks to the engine.

mod chrome;
mod detail;
mod dialogs;
mod help;
mod inspect;
pub mod layout;
mod table;
pub mod theme;

use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::{App, Overlay};

/// Every key the help lists, for tests that check it all shows.
pub fn help_keys() -> &'static [(&'static str, &'static str)] {
    help::KEYS
}

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if layout::too_small((area.width, area.height)) {
        too_small(frame, area);
        return;
    }
    let areas = layout::areas(area);
    chrome::header(app, frame, areas.header);
    chrome::tabs(app, frame, areas.tabs);
    if let Some(error) = &app.status.error {
        engine_error(
            app,
            error,
            frame,
            Rect { height: areas.body.height - 1, y: areas.body.y + 1, ..areas.body },
        );
    } else {
        table::render(app, frame, areas.table);
        detail::render(app, frame, areas.detail);
    }
    chrome::footer(app, frame, areas.footer);
    match &app.overlay {
        Some(Overlay::Help) => help::render(frame, areas.body),
        Some(Overlay::Inspect(view)) => inspect::render(view, app.spinner, frame, areas.body),
        Some(Overlay::Confirm(confirm)) => dialogs::confirm(confirm, app.spinner, frame, areas.body),
        Some(Overlay::Outcome(outcome)) => dialogs::outcome(outcome, frame, areas.body),
        Some(Overlay::Form(form)) => dialogs::form(form, app.spinner, frame, areas.body),
        None => {}
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

fn engine_error(app: &App, error: &crate::engine::EngineError, frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::raw(""),
        Line::styled(format!("Cannot use the Docker engine at {}", error.host), theme::error()),
        Line::raw(""),
        Line::raw(format!("{} failed: {}", error.action, error.cause())),
        Line::styled(format!("Hint: {}", error.hint()), theme::warning()),
        Line::raw(""),
        Line::from(if app.status.connecting {
            vec![Span::raw(format!("{} retrying…", theme::spinner(app.spinner)))]
        } else {
            vec![
                Span::raw("Press "),
                Span::styled("r", theme::key()),
                Span::raw(" to retry, "),
                Span::styled("q", theme::key()),
                Span::raw(" to quit."),
            ]
        }),
    ];
    let block = Block::bordered().title(" Engine unavailable ").border_style(theme::error());
    frame.render_widget(
        Paragraph::new(text).block(block).alignment(Alignment::Center).wrap(Wrap { trim: true }),
        area,
    );
}
