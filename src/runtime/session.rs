//! Handing the terminal to a shell or an attach inside a container, and taking it back.
//!
//! The explorer leaves the alternate screen and stops reading keys; raw mode stays on so every
//! key (Ctrl-C included) goes to the container. Bytes flow both ways through the Engine API; the
//! real terminal answers the shell's cursor-position query itself, since its reply arrives on
//! stdin and is forwarded like any key. Window size changes are passed on.
//!
//! Ctrl-P Ctrl-Q always returns to dockdu, also from a container without a terminal, which the
//! engine's own detach keys never reach; a stop signal from outside ends the session and dockdu.

use std::io::{stdout, Write};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

use super::signals::StopSignals;
use crate::app::SessionRequest;
use crate::engine::{Engine, EngineError, Problem};
use crate::text::sanitize::visible;

const CTRL_C: u8 = 0x03;
const CTRL_P: u8 = 0x10;
const CTRL_Q: u8 = 0x11;

/// How a session ended.
pub enum SessionEnd {
    /// The process exited, the user detached, or the session failed.
    Ended(Result<(), EngineError>),
    /// A signal from outside asked dockdu to stop.
    Stopped,
}

/// Runs the session on the plain terminal; returns when the process exits, the user detaches
/// or a stop signal arrives.
pub async fn run(engine: &Engine, request: &SessionRequest, stop: &mut StopSignals) -> SessionEnd {
    let failed = |e: std::io::Error| {
        EngineError::new(engine.host(), "handing over the terminal", Problem::Other, e.to_string())
    };
    if let Err(e) = execute!(stdout(), DisableMouseCapture, LeaveAlternateScreen, cursor::Show) {
        return SessionEnd::Ended(Err(failed(e)));
    }
    let end = converse(engine, request, stop).await;
    if let Err(e) = execute!(stdout(), EnterAlternateScreen, EnableMouseCapture) {
        return match end {
            SessionEnd::Stopped => SessionEnd::Stopped,
            SessionEnd::Ended(_) => SessionEnd::Ended(Err(failed(e))),
        };
    }
    end
}

async fn converse(engine: &Engine, request: &SessionRequest, stop: &mut StopSignals) -> SessionEnd {
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let opened = match &request.command {
        Some(command) => engine.exec(&request.container_id, command, size).await,
        None => engine.attach(&request.container_id, size).await,
    };
    let session = match opened {
        Ok(session) => session,
        Err(e) => return SessionEnd::Ended(Err(e)),
    };
    let what = match (&request.command, session.tty, session.stdin) {
        (Some(command), ..) => format!("{} in {} — exit to return to dockdu", command.join(" "), request.container),
        (None, true, true) => {
            format!("attached to {} — Ctrl-P Ctrl-Q detaches and returns to dockdu", request.container)
        }
        (None, _, true) => format!(
            "attached to {} (no terminal: output as lines) — Ctrl-P Ctrl-Q returns to dockdu",
            request.container
        ),
        (None, _, false) => format!(
            "attached to {}: its output only, it reads no input — Ctrl-P Ctrl-Q, Ctrl-C or q returns to dockdu",
            request.container
        ),
    };
    // The container's name is the engine's text: shown, never interpreted. A terminal that
    // cannot be written is found out by the session itself.
    let _ = write!(stdout(), "\r\n[dockdu] {}\r\n", visible(&what));
    let _ = stdout().flush();

    let detach = Detach { reads_input: session.stdin };
    let halt = Arc::new(AtomicBool::new(false));
    let (keys_sender, mut keys) = mpsc::channel::<Vec<u8>>(64);
    let reader = {
        let halt = halt.clone();
        tokio::task::spawn_blocking(move || forward_stdin(&halt, &keys_sender))
    };
    let resized = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::window_change());
    let mut resized = match resized {
        Ok(resized) => resized,
        Err(e) => {
            halt.store(true, Ordering::Relaxed);
            let _ = reader.await;
            return SessionEnd::Ended(Err(EngineError::new(
                engine.host(),
                "watching the window size",
                Problem::Other,
                e.to_string(),
            )));
        }
    };
    let (mut output, mut input, target, tty) = (session.output, session.input, session.target, session.tty);
    let mut out = tokio::io::stdout();
    // The last key of the previous read: Ctrl-P and Ctrl-Q may come in two reads.
    let mut previous = None;
    let end = loop {
        tokio::select! {
            chunk = output.next() => match chunk {
                Some(Ok(bytes)) => {
                    // Without a terminal the process writes bare newlines; raw mode would draw
                    // them as a staircase.
                    let bytes = if tty { bytes.to_vec() } else { crlf(&bytes) };
                    if out.write_all(&bytes).await.is_err() || out.flush().await.is_err() {
                        break SessionEnd::Ended(Ok(()));
                    }
                }
                Some(Err(e)) => break SessionEnd::Ended(Err(e)),
                None => break SessionEnd::Ended(Ok(())),
            },
            Some(bytes) = keys.recv() => {
                let leave = detach.asks_to_leave(previous, &bytes);
                previous = bytes.last().copied();
                if session.stdin && input.write_all(&bytes).await.is_err() && !leave {
                    break SessionEnd::Ended(Ok(()));
                }
                if leave {
                    break SessionEnd::Ended(Ok(()));
                }
            }
            _ = resized.recv() => {
                if let Ok(size) = crossterm::terminal::size() {
                    engine.resize(&target, size).await;
                }
            }
            () = stop.received() => break SessionEnd::Stopped,
        }
    };
    halt.store(true, Ordering::Relaxed);
    let _ = reader.await;
    end
}

/// Which keys return to dockdu.
struct Detach {
    /// The process reads what is typed: only Ctrl-P Ctrl-Q leaves, everything else is its.
    reads_input: bool,
}

impl Detach {
    /// Whether these bytes (after `previous`, the last byte read before) ask to leave.
    fn asks_to_leave(&self, previous: Option<u8>, bytes: &[u8]) -> bool {
        let detach_keys = std::iter::once(previous)
            .chain(bytes.iter().copied().map(Some))
            .collect::<Vec<_>>()
            .windows(2)
            .any(|pair| pair == [Some(CTRL_P), Some(CTRL_Q)]);
        let nothing_reads = !self.reads_input && bytes.iter().any(|b| matches!(*b, CTRL_C | b'q'));
        detach_keys || nothing_reads
    }
}

/// Newlines as a terminal in raw mode needs them (`\r\n`), leaving existing `\r\n` alone.
fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 16);
    let mut previous = 0u8;
    for &byte in bytes {
        if byte == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(byte);
        previous = byte;
    }
    out
}

/// Copies stdin to the session. Polls with a short timeout so it stops as soon as the session
/// ends, rather than swallowing the next key meant for the explorer.
fn forward_stdin(halt: &AtomicBool, keys: &mpsc::Sender<Vec<u8>>) {
    use rustix::event::{poll, PollFd, PollFlags, Timespec};
    let stdin = std::io::stdin();
    let fd = stdin.as_fd();
    let mut buffer = [0u8; 4096];
    let wait = Timespec { tv_sec: 0, tv_nsec: 50_000_000 };
    while !halt.load(Ordering::Relaxed) {
        let mut ready = [PollFd::new(&fd, PollFlags::IN)];
        match poll(&mut ready, Some(&wait)) {
            Ok(0) => continue,
            Ok(_) if ready[0].revents().intersects(PollFlags::IN | PollFlags::HUP) => {}
            Ok(_) => continue,
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => break,
        }
        match rustix::io::read(fd, &mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(read) => {
                if keys.blocking_send(buffer[..read].to_vec()).is_err() {
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctrl_p_ctrl_q_leaves_also_across_two_reads_and_other_keys_stay_with_the_process() {
        let shell = Detach { reads_input: true };
        assert!(shell.asks_to_leave(None, &[b'a', CTRL_P, CTRL_Q]));
        assert!(shell.asks_to_leave(Some(CTRL_P), &[CTRL_Q]));
        assert!(!shell.asks_to_leave(Some(b'x'), &[CTRL_Q]));
        assert!(!shell.asks_to_leave(None, &[CTRL_C, b'q', CTRL_P]), "the shell's own keys");
        let deaf = Detach { reads_input: false };
        assert!(deaf.asks_to_leave(None, b"q"));
        assert!(deaf.asks_to_leave(None, &[CTRL_C]));
    }

    #[test]
    fn bare_newlines_become_crlf_and_existing_ones_stay() {
        assert_eq!(crlf(b"a\nb\r\nc\n"), b"a\r\nb\r\nc\r\n");
    }
}
