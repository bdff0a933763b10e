//! Signals that ask dockdu to stop from outside (kill, Ctrl-\ or an INT sent by another process,
//! a closed terminal): the loop, or an attached session, returns and everything is cleaned up as
//! on `q`.

use anyhow::Result;
use tokio::signal::unix::{signal, Signal, SignalKind};

pub struct StopSignals(Vec<Signal>);

impl StopSignals {
    /// Installed before the terminal changes: a signal from then on finds this handler, not the
    /// default action that would leave the terminal raw.
    pub fn new() -> Result<Self> {
        let kinds =
            [SignalKind::terminate(), SignalKind::hangup(), SignalKind::interrupt(), SignalKind::quit()];
        Ok(StopSignals(kinds.into_iter().map(signal).collect::<std::io::Result<_>>()?))
    }

    pub async fn received(&mut self) {
        let waits = self.0.iter_mut().map(|s| Box::pin(s.recv()));
        futures_util::future::select_all(waits).await;
    }
}
