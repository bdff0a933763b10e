//! Sizes of directory trees, counted as the Docker Engine counts a writable layer or a local
//! volume (moby's `pkg/directory`): the `lstat` size of every entry that is not a directory (a
//! symlink counts the length of its target, a sparse file its apparent size, FIFOs, devices and
//! whiteouts 0), each hard-linked inode once, nothing followed. Engine-free: paths in, sizes out.
//!
//! `walk` sizes one tree and can report every entry to a `Visit`or (the same walk can build a
//! tree to browse); `Pool` sizes many trees at once on a bounded number of threads and hands
//! each result back as soon as it is known.

mod pool;
mod walk;

pub use pool::{default_threads, Pool};
pub use walk::{size, walk, Cancel, DirId, Kind, Total, Visit, WalkError};

#[cfg(test)]
mod tests;
