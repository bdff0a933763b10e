//! dockdu: where does my Docker disk go, and who owns it?

pub mod actions;
pub mod app;
pub mod cli;
pub mod collect;
pub mod engine;
pub mod format;
pub mod model;
pub mod report;
pub mod runtime;
pub mod session;
pub mod terminal;
pub mod ui;
