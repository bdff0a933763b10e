//! The tasks under way: one per slot (work started in a slot cancels the older task there), and
//! the others. Every way out ends them all and waits until each has stopped, so what a task
//! leaves to clean up when dropped (a helper container) is handed to the cleanup first.

use std::collections::HashMap;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::app::{EngineMsg, Slot};

/// Sizes go out at most this often (the first at once), so a thousand of them are a few model
/// rebuilds and redraws, not a thousand.
const BATCH_EVERY: Duration = Duration::from_millis(100);

#[derive(Default)]
pub struct Tasks {
    slots: HashMap<Slot, JoinHandle<()>>,
    others: Vec<JoinHandle<()>>,
}

impl Tasks {
    pub fn track(&mut self, slot: Option<Slot>, handle: JoinHandle<()>) {
        self.others.retain(|task| !task.is_finished());
        match slot {
            Some(slot) => {
                if let Some(older) = self.slots.insert(slot, handle) {
                    // Kept until it has stopped: a way out must wait for what its drop hands on.
                    older.abort();
                    self.others.push(older);
                }
            }
            None => self.others.push(handle),
        }
    }

    /// Cancels every task and waits (at most `within`) until each has stopped: a cancelled
    /// task is dropped at its next step, not at once.
    pub async fn end_all(&mut self, within: Duration) {
        let tasks: Vec<JoinHandle<()>> =
            self.slots.drain().map(|(_, task)| task).chain(self.others.drain(..)).collect();
        for task in &tasks {
            task.abort();
        }
        let _ = tokio::time::timeout(within, futures_util::future::join_all(tasks)).await;
    }
}

impl Drop for Tasks {
    fn drop(&mut self) {
        for task in self.slots.values().chain(&self.others) {
            task.abort();
        }
    }
}

/// A task whose one result goes to the app.
pub fn spawn(
    sender: mpsc::Sender<EngineMsg>,
    work: impl std::future::Future<Output = EngineMsg> + Send + 'static,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let _ = sender.send(work.await).await;
    })
}

/// Passes results on as they come: the first at once, then at most one message per
/// `BATCH_EVERY`. Returns when the results end or the app has gone.
pub async fn send_in_batches<T>(
    mut results: impl futures_util::Stream<Item = T> + Unpin,
    sender: &mpsc::Sender<EngineMsg>,
    message: impl Fn(Vec<T>) -> EngineMsg,
) {
    use tokio::time::{sleep_until, Instant};
    let mut held = Vec::new();
    // When the held results go out; `None` while none are held.
    let mut due: Option<Instant> = None;
    let mut last_sent: Option<Instant> = None;
    loop {
        let send_now = tokio::select! {
            next = results.next() => match next {
                Some(result) => {
                    held.push(result);
                    let ready_at = last_sent.map_or_else(Instant::now, |t| t + BATCH_EVERY);
                    due = Some(ready_at);
                    ready_at <= Instant::now()
                }
                None => {
                    if !held.is_empty() {
                        let _ = sender.send(message(held)).await;
                    }
                    return;
                }
            },
            () = sleep_until(due.unwrap_or_else(Instant::now)), if due.is_some() => true,
        };
        if send_now {
            last_sent = Some(Instant::now());
            due = None;
            if sender.send(message(std::mem::take(&mut held))).await.is_err() {
                return;
            }
        }
    }
}
