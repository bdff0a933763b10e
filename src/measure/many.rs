//! Many trees tallied at once on a few threads, each inode counted once between them: the
//! pieces of one large tree (an engine's root) walked in parallel, adding up to what one walk
//! of the whole would count.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::walk::{tally, Bounds, Cancel, Inode, Tally, Total, WalkError};

/// Tallies each of `roots` within `bounds` on at most `threads` threads; `done` hears of each
/// tree as it finishes (from the thread that walked it). Results come back in `roots`' order.
pub fn tally_each(
    roots: &[PathBuf],
    bounds: Bounds,
    threads: usize,
    cancel: &Cancel,
    done: &(dyn Fn(&Total) + Sync),
) -> Vec<Result<Tally, WalkError>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Tally, WalkError>>>> =
        Mutex::new((0..roots.len()).map(|_| None).collect());
    let work = || loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(root) = roots.get(index) else { return };
        let result =
            if cancel.is_cancelled() { Err(WalkError::Cancelled) } else { tally(root, bounds, cancel) };
        if let Ok(tally) = &result {
            done(&tally.total);
        }
        results.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(result);
    };
    std::thread::scope(|scope| {
        for _ in 1..threads.clamp(1, roots.len().max(1)) {
            scope.spawn(work);
        }
        work();
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.unwrap_or(Err(WalkError::Cancelled)))
        .collect()
}

/// A tree's total less the hard-linked inodes an earlier tree already counted (`seen` holds
/// those, and gains this tree's).
pub fn count_once(seen: &mut HashSet<Inode>, tally: Tally) -> Total {
    let mut total = tally.total;
    for (inode, (bytes, disk_usage)) in tally.linked {
        if !seen.insert(inode) {
            total.bytes -= bytes;
            total.disk_usage -= disk_usage;
        }
    }
    total
}
