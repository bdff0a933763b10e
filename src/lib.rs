//! dockdu: where does my Docker disk go, and who owns it?

pub mod collect;
pub mod engine;
pub mod format;
pub mod model;
pub mod report;
