//! Looking inside: what to look at, and why a look failed.

use super::EngineError;

/// What to look inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Volume(String),
    /// A container, by name or id: its writable layer.
    Container(String),
    /// A bind mount's host path.
    Bind(String),
    /// A folder under the engine's root, read here only and on its own filesystem only.
    Path(String),
}

impl Target {
    pub fn kind(&self) -> &'static str {
        match self {
            Target::Volume(_) => "volume",
            Target::Container(_) => "container",
            Target::Bind(_) => "bind",
            Target::Path(_) => "folder",
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Target::Volume(name) | Target::Container(name) | Target::Bind(name) | Target::Path(name) => name,
        }
    }
}

/// Why a tree could not be had. The caller chooses the exit status by the variant.
#[derive(Debug)]
pub enum BrowseError {
    /// No such volume, container or path.
    NotFound(String),
    /// A prefix that fits several: the message names them.
    Ambiguous(String),
    /// Not allowed or not possible as asked; nothing was changed.
    Refused(String),
    Engine(EngineError),
    Other(String),
}

impl std::fmt::Display for BrowseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BrowseError::NotFound(why)
            | BrowseError::Ambiguous(why)
            | BrowseError::Refused(why)
            | BrowseError::Other(why) => f.write_str(why),
            BrowseError::Engine(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BrowseError {}

impl From<EngineError> for BrowseError {
    fn from(e: EngineError) -> Self {
        if e.is_refusal() {
            BrowseError::Refused(e.to_string())
        } else {
            BrowseError::Engine(e)
        }
    }
}
