//! Owning the terminal: raw mode, the alternate screen and mouse capture on the way in, all of it
//! undone on the way out — on quit, on error and on panic.

use std::io::{stdout, IsTerminal};

use anyhow::{bail, Context, Result};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use ratatui::DefaultTerminal;

pub fn enter() -> Result<DefaultTerminal> {
    if !stdout().is_terminal() {
        bail!("the explorer needs a terminal; use `dockdu report` (or `report --json`) for output to a pipe or file");
    }
    // ratatui's hook restores raw mode and the screen; ours runs first to release the mouse.
    let terminal = ratatui::try_init().context("setting up the terminal")?;
    let restore_screen = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture);
        restore_screen(info);
    }));
    execute!(stdout(), EnableMouseCapture).context("enabling the mouse")?;
    Ok(terminal)
}

pub fn leave() {
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
}
