//! The words and numbers every face uses: sizes and names formatted, untrusted text made
//! visible, secrets masked.

pub mod format;
pub mod sanitize;
pub mod secrets;
