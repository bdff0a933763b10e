//! A container's state, decided on as a type: the engine's word is kept only to show it.

use std::fmt;

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum ContainerState {
    #[default]
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
    /// Podman's word for a container that ran and ended (Docker says `exited`).
    Stopped,
    /// A word neither engine used when this was written (Podman's `configured`, `initialized`):
    /// shown as it is, never taken for running.
    Other(String),
}

impl ContainerState {
    pub fn parse(word: &str) -> ContainerState {
        match word {
            "created" => ContainerState::Created,
            "running" => ContainerState::Running,
            "paused" => ContainerState::Paused,
            "restarting" => ContainerState::Restarting,
            "removing" => ContainerState::Removing,
            "exited" => ContainerState::Exited,
            "dead" => ContainerState::Dead,
            "stopped" => ContainerState::Stopped,
            other => ContainerState::Other(other.to_owned()),
        }
    }

    /// The engine's word.
    pub fn as_str(&self) -> &str {
        match self {
            ContainerState::Created => "created",
            ContainerState::Running => "running",
            ContainerState::Paused => "paused",
            ContainerState::Restarting => "restarting",
            ContainerState::Removing => "removing",
            ContainerState::Exited => "exited",
            ContainerState::Dead => "dead",
            ContainerState::Stopped => "stopped",
            ContainerState::Other(word) => word,
        }
    }

    pub fn is_running(&self) -> bool {
        *self == ContainerState::Running
    }

    /// Not running, and removable without force.
    pub fn is_stopped(&self) -> bool {
        matches!(
            self,
            ContainerState::Exited | ContainerState::Created | ContainerState::Dead | ContainerState::Stopped
        )
    }
}

impl From<&str> for ContainerState {
    fn from(word: &str) -> Self {
        ContainerState::parse(word)
    }
}

impl fmt::Display for ContainerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for ContainerState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_reads_back_as_itself_and_unknown_ones_are_never_running() {
        for word in [
            "created",
            "running",
            "paused",
            "restarting",
            "removing",
            "exited",
            "dead",
            "stopped",
            "configured",
        ] {
            assert_eq!(ContainerState::parse(word).as_str(), word);
        }
        assert!(!ContainerState::parse("configured").is_running());
        assert!(!ContainerState::parse("configured").is_stopped());
        assert!(ContainerState::parse("stopped").is_stopped());
        assert_eq!(serde_json::to_string(&ContainerState::Running).unwrap(), "\"running\"");
    }
}
