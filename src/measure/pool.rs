//! Many trees at once on a bounded number of threads: each result is handed back the moment
//! its tree is done, and dropping the pool stops the walks still under way.

use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

use super::walk::{size, Cancel, Total, WalkError};

type Job = Box<dyn FnOnce(&Cancel) + Send>;

/// As many walkers as the machine has cores: walks are mostly system calls, and more threads
/// than cores only queue in the kernel.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

pub struct Pool {
    queue: Option<Sender<Job>>,
    jobs: Arc<Mutex<Receiver<Job>>>,
    threads: usize,
    /// Walkers started so far.
    started: Mutex<usize>,
    cancel: Cancel,
}

impl Pool {
    /// A pool of at most `threads` walkers (at least one), started as work arrives.
    pub fn new(threads: usize) -> Self {
        let (queue, jobs) = channel();
        Pool {
            queue: Some(queue),
            jobs: Arc::new(Mutex::new(jobs)),
            threads: threads.max(1),
            started: Mutex::new(0),
            cancel: Cancel::default(),
        }
    }

    /// Sizes the tree at `root` on one of the pool's threads; `done` receives the result there.
    pub fn measure(&self, root: PathBuf, done: impl FnOnce(Result<Total, WalkError>) + Send + 'static) {
        let job: Job = Box::new(move |cancel| done(size(&root, cancel)));
        self.submit(job);
    }

    fn submit(&self, job: Job) {
        let started = {
            let mut started = self.started.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if *started < self.threads && self.start_walker() {
                *started += 1;
            }
            *started
        };
        if started == 0 {
            // No thread could be started: walk here rather than never.
            job(&self.cancel);
            return;
        }
        if let Some(queue) = &self.queue {
            // The walkers hold the receiver for as long as this sender lives.
            let _ = queue.send(job);
        }
    }

    fn start_walker(&self) -> bool {
        let jobs = Arc::clone(&self.jobs);
        let cancel = self.cancel.clone();
        let walker = move || loop {
            // The lock is held only while waiting for the next job, never while walking.
            let next = jobs.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).recv();
            match next {
                Ok(job) => job(&cancel),
                Err(_) => return,
            }
        };
        std::thread::Builder::new().name("dockdu-measure".to_owned()).spawn(walker).is_ok()
    }

    /// Stops every walk: those under way and those waiting end with `WalkError::Cancelled`.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }
}

/// Walks left when the pool goes (the task that wanted them was cancelled) are stopped; the
/// walkers end once the queue is empty.
impl Drop for Pool {
    fn drop(&mut self) {
        self.cancel.cancel();
        self.queue = None;
    }
}
