//! dockdu: where does my Docker disk go, and who owns it?

// Errors are values the user sees; a panic is a bug.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod actions;
pub mod app;
pub mod browse;
pub mod cli;
pub mod collect;
pub mod contexts;
pub mod engine;
pub mod fleet;
pub mod format;
pub mod measure;
pub mod model;
pub mod output;
pub mod plugin;
pub mod report;
pub mod runtime;
pub mod sanitize;
pub mod secrets;
pub mod session;
pub mod sizes;
pub mod terminal;
pub mod tmpfs_use;
pub mod ui;
