//! Colours that carry meaning: states, warnings, what is selected.

use ratatui::style::{Color, Modifier, Style};

use crate::model::ContainerState;

/// A container's state; `None` for one that is gone.
pub fn state(state: Option<&ContainerState>) -> Style {
    let color = match state {
        Some(ContainerState::Running) => Color::Green,
        Some(ContainerState::Created | ContainerState::Paused) => Color::Yellow,
        Some(ContainerState::Restarting) => Color::Magenta,
        Some(ContainerState::Exited | ContainerState::Dead | ContainerState::Stopped) => Color::Red,
        _ => Color::Gray,
    };
    Style::new().fg(color)
}

pub fn title() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn warning() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

/// A bind that hands the host to a container: a writable one loudest.
pub fn danger(writable: bool) -> Style {
    if writable {
        Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(Color::LightRed)
    }
}

pub fn size() -> Style {
    Style::new().fg(Color::LightBlue)
}

pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn header_row() -> Style {
    Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub fn active_tab() -> Style {
    Style::new().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn border(focused: bool) -> Style {
    if focused {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new().fg(Color::DarkGray)
    }
}

/// Braille spinner frames, one per tick.
pub fn spinner(tick: usize) -> &'static str {
    const FRAMES: [&str; 8] = ["⣾", "⣽", "⣻", "⢿", "⡿", "⣟", "⣯", "⣷"];
    FRAMES[tick % FRAMES.len()]
}
