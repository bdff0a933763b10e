//! Handing the terminal to a shell or an attach inside a container, and taking it back.
//!
//! The explorer leaves the alternate screen and stops reading keys; raw mode stays on so every
//! key (Ctrl-C included) goes to the container. Bytes flow both ways through the Engine API; the
//! real terminal answers the shell's cursor-position query itself, since its reply arrives on
//! stdin and is forwarded like any key. Window size changes are passed on.

use std::io::{stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

use crate::app::SessionRequest;
use crate::engine::Engine;

/// Runs the session on the plain terminal; returns when the process exits or the user detaches.
pub async fn run(engine: &Engine, request: &SessionRequest) -> Result<(), String> {
    execute!(stdout(), DisableMouseCapture, LeaveAlternateScreen, cursor::Show).map_err(|e| e.to_string())?;
    let result = converse(engine, request).await;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture).map_err(|e| e.to_string())?;
    result
}

async fn converse(engine: &Engine, request: &SessionRequest) -> Result<(), String> {
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let what = match &request.command {
        Some(command) => format!("{} in {} — exit to return to dockdu", command.join(" "), request.container),
        None => format!("attached to {} — Ctrl-P Ctrl-Q detaches and returns to dockdu", request.container),
    };
    // The container's name is the engine's text: shown, never interpreted. A terminal that
    // cannot be written is found out by the session itself.
    let _ = write!(stdout(), "\r\n[dockdu] {}\r\n", crate::text::sanitize::visible(&what));
    let _ = stdout().flush();
    let session = match &request.command {
        Some(command) => engine.exec(&request.container_id, command, size).await,
        None => engine.attach(&request.container_id, size).await,
    }
    .map_err(|e| e.to_string())?;

    let stop = Arc::new(AtomicBool::new(false));
    let (keys_sender, mut keys) = mpsc::channel::<Vec<u8>>(64);
    let reader = {
        let stop = stop.clone();
        tokio::task::spawn_blocking(move || forward_stdin(&stop, &keys_sender))
    };
    let mut resized = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::window_change())
        .map_err(|e| e.to_string())?;
    let (mut output, mut input, target) = (session.output, session.input, session.target);
    let mut out = tokio::io::stdout();
    let result = loop {
        tokio::select! {
            chunk = output.next() => match chunk {
                Some(Ok(bytes)) => {
                    if out.write_all(&bytes).await.is_err() || out.flush().await.is_err() {
                        break Ok(());
                    }
                }
                Some(Err(e)) => break Err(e.to_string()),
                None => break Ok(()),
            },
            Some(bytes) = keys.recv() => {
                if input.write_all(&bytes).await.is_err() {
                    break Ok(());
                }
            }
            _ = resized.recv() => {
                if let Ok(size) = crossterm::terminal::size() {
                    engine.resize(&target, size).await;
                }
            }
        }
    };
    stop.store(true, Ordering::Relaxed);
    let _ = reader.await;
    result
}

/// Copies stdin to the session. Polls with a short timeout so it stops as soon as the session
/// ends, rather than swallowing the next key meant for the explorer.
fn forward_stdin(stop: &AtomicBool, keys: &mpsc::Sender<Vec<u8>>) {
    let mut buffer = [0u8; 4096];
    while !stop.load(Ordering::Relaxed) {
        let mut ready = libc::pollfd { fd: libc::STDIN_FILENO, events: libc::POLLIN, revents: 0 };
        // SAFETY: one valid pollfd, and a buffer we own for the read of at most its length.
        let count = unsafe { libc::poll(&mut ready, 1, 50) };
        if count <= 0 || ready.revents & libc::POLLIN == 0 {
            continue;
        }
        let read = unsafe { libc::read(libc::STDIN_FILENO, buffer.as_mut_ptr().cast(), buffer.len()) };
        let Ok(read) = usize::try_from(read) else { break };
        if read == 0 || keys.blocking_send(buffer[..read].to_vec()).is_err() {
            break;
        }
    }
}
