//! The I/O the app and the scripts ask for, on top of the engine and the measuring library:
//! sizes, looking inside, removals and creations, the whole inventory, tmpfs use.

pub mod actions;
pub mod browse;
pub mod cleanup;
pub mod collect;
pub mod disk;
pub mod image_sizes;
pub mod log_files;
pub mod sizes;
pub mod tmpfs;
