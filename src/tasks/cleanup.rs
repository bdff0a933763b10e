//! Work that must finish however dockdu ends: removing the helper containers made to read a
//! volume. A removal runs as a task of its own, so a cancelled read still removes its helper;
//! and every removal is kept here until it ends, so whoever owns the way out (the explorer's
//! runtime, a script command) awaits `finish` before leaving: on `q`, `Ctrl-C`, a signal, a
//! switch to another engine, a panic.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::{BoxFuture, FutureExt, Shared};

/// One removal under way; cloned by whoever waits for it.
pub type Removal = Shared<BoxFuture<'static, ()>>;

#[derive(Clone, Default)]
pub struct Cleanup {
    removals: Arc<Mutex<Vec<Removal>>>,
}

impl Cleanup {
    /// Runs `work` to its end whatever happens to the caller (it may be dropped meanwhile);
    /// `finish` waits for it. The caller may await the returned handle too.
    pub fn ensure(&self, work: impl Future<Output = ()> + Send + 'static) -> Removal {
        let task = tokio::spawn(work);
        let removal = async move {
            // A panic in the removal is its own: it is over either way.
            let _ = task.await;
        }
        .boxed()
        .shared();
        let mut removals = self.removals.lock().unwrap_or_else(|e| e.into_inner());
        removals.retain(|r| r.peek().is_none());
        removals.push(removal.clone());
        removal
    }

    /// How many removals have not ended yet.
    pub fn pending(&self) -> usize {
        let removals = self.removals.lock().unwrap_or_else(|e| e.into_inner());
        removals.iter().filter(|r| r.peek().is_none()).count()
    }

    /// Waits, at most `within`, for every removal started so far to end. Returns false when
    /// some had not ended in time (they are left to the engine's own timeouts).
    pub async fn finish(&self, within: Duration) -> bool {
        let removals = std::mem::take(&mut *self.removals.lock().unwrap_or_else(|e| e.into_inner()));
        tokio::time::timeout(within, futures_util::future::join_all(removals)).await.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;

    #[tokio::test]
    async fn a_removal_whose_caller_was_dropped_still_ends_before_finish_returns() {
        let cleanup = Cleanup::default();
        let done = Arc::new(AtomicBool::new(false));
        let (release, wait) = tokio::sync::oneshot::channel::<()>();
        {
            let done = done.clone();
            // The caller goes away at once; the work waits for a signal first.
            drop(cleanup.ensure(async move {
                let _ = wait.await;
                done.store(true, Ordering::SeqCst);
            }));
        }
        assert_eq!(cleanup.pending(), 1);
        let _ = release.send(());
        assert!(cleanup.finish(Duration::from_secs(5)).await);
        assert!(done.load(Ordering::SeqCst), "finish returned before the removal ended");
        assert_eq!(cleanup.pending(), 0);
    }

    #[tokio::test]
    async fn finish_gives_up_after_its_bound() {
        let cleanup = Cleanup::default();
        drop(cleanup.ensure(std::future::pending()));
        assert!(!cleanup.finish(Duration::from_millis(20)).await);
    }
}
