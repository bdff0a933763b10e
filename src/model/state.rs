//! A container's state, decided on as a type: the engine's word is kept only to show it.

use std::fmt;
use std::time::SystemTime;

use serde::{Serialize, Serializer};

use crate::text::format::human_duration;

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

/// When a container's state began, and how it ended, from its inspect: what its status line is
/// made of, so the line is written when it is drawn and stays true.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StateTimes {
    pub started_at: Option<SystemTime>,
    pub finished_at: Option<SystemTime>,
    pub exit_code: Option<i64>,
    pub health: Option<Health>,
}

/// A health check's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Starting,
    Healthy,
    Unhealthy,
}

impl ContainerState {
    /// The status line as `docker ps` writes it, for the time `now`: `Up 3 minutes (healthy)`,
    /// `Exited (3) 10 minutes ago`, `Up 2 hours (Paused)`, `Restarting (1) 5 seconds ago`.
    /// `None` when the inspect lacks the time this state's line needs.
    pub fn status(&self, times: &StateTimes, now: SystemTime) -> Option<String> {
        let since = |at: SystemTime| human_duration(now.duration_since(at).unwrap_or_default());
        let exit = times.exit_code.unwrap_or_default();
        Some(match self {
            ContainerState::Paused => format!("Up {} (Paused)", since(times.started_at?)),
            ContainerState::Restarting => format!("Restarting ({exit}) {} ago", since(times.finished_at?)),
            ContainerState::Running => {
                let health = match times.health {
                    Some(Health::Starting) => " (health: starting)",
                    Some(Health::Healthy) => " (healthy)",
                    Some(Health::Unhealthy) => " (unhealthy)",
                    None => "",
                };
                format!("Up {}{health}", since(times.started_at?))
            }
            ContainerState::Removing => "Removal In Progress".to_owned(),
            ContainerState::Dead => "Dead".to_owned(),
            ContainerState::Created => "Created".to_owned(),
            ContainerState::Exited | ContainerState::Stopped => {
                format!("Exited ({exit}) {} ago", since(times.finished_at?))
            }
            ContainerState::Other(_) => return None,
        })
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
    fn a_status_is_written_for_the_time_it_is_drawn() {
        use std::time::Duration;
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let times =
            StateTimes { started_at: Some(start), health: Some(Health::Healthy), ..Default::default() };
        let running = ContainerState::Running;
        let at = |seconds| start + Duration::from_secs(seconds);
        assert_eq!(running.status(&times, at(14)).as_deref(), Some("Up 14 seconds (healthy)"));
        assert_eq!(running.status(&times, at(3 * 3600)).as_deref(), Some("Up 3 hours (healthy)"));
        let ended = StateTimes { finished_at: Some(start), exit_code: Some(3), ..Default::default() };
        assert_eq!(
            ContainerState::Exited.status(&ended, at(600)).as_deref(),
            Some("Exited (3) 10 minutes ago")
        );
        assert_eq!(
            ContainerState::Created.status(&StateTimes::default(), at(600)).as_deref(),
            Some("Created")
        );
        assert_eq!(running.status(&StateTimes::default(), at(1)), None, "no start time: the list's words");
    }

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
