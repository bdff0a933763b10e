//! Sizes of directory trees, counted as the Docker Engine counts a writable layer or a local
//! volume (moby's `pkg/directory`): the `lstat` size of every entry that is not a directory (a
//! symlink counts the length of its target, a sparse file its apparent size, FIFOs, devices and
//! whiteouts 0), each hard-linked inode once, nothing followed. Engine-free: paths in, sizes out.
//!
//! `walk` sizes one tree and can report every entry to a `Visit`or; `local::build` uses it to
//! fill a compact `Tree` to browse, and `tar::TarTree` fills the same tree from the engine's
//! archive stream; `Pool` sizes many trees at once on a bounded number of threads and hands
//! each result back as soon as it is known.

pub mod image_layers;
pub mod layerdb;
pub mod local;
mod many;
pub mod mountinfo;
mod pool;
pub mod tar;
pub mod tree;
mod walk;

pub use local::{Layout, Progress, TopEntry};
pub use many::{count_once, tally_each};
pub use pool::{default_threads, Pool};
pub use tree::{natural, sorted_children, Change, NodeId, NodeKind, SortBy, Tree};
pub use walk::{
    allocated, size, tally, walk, Bounds, Cancel, DirId, Inode, Kind, Tally, Total, Visit, WalkError,
};

#[cfg(test)]
mod tests;
