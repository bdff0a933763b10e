//! dockdu: where does my Docker disk go, and who owns it?
//!
//! The folders are the layers, and imports only point down (`tests/architecture.rs` checks):
//! `text` and `measure` (engine-free helpers) → `model` (facts, ids, plans; no I/O) → `engine`
//! (the one door to the Engine API) → `tasks` (the I/O the app and the scripts ask for) → `app`
//! (state and `update`, no I/O) → `ui` (drawing only) → `runtime` (the loop) → `cli` (the
//! script face and the entry point).

// No unsafe code anywhere: system calls go through rustix and tokio.
#![forbid(unsafe_code)]
// Errors are values the user sees; a panic is a bug.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod app;
pub mod cli;
pub mod engine;
pub mod measure;
pub mod model;
pub mod runtime;
pub mod tasks;
pub mod text;
pub mod ui;
