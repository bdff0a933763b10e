//! What can be done to a container from the explorer (`x`), decided by its state: only what
//! applies is offered, so a stopped container is never offered a pause.

use super::{ContainerId, ContainerState};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Control {
    Start,
    Stop,
    Restart,
    Pause,
    Unpause,
    Kill,
}

impl Control {
    /// What applies to a container in this state, in the menu's order. A dead container or one
    /// being removed takes none; neither does a state neither engine used when this was written.
    pub fn for_state(state: &ContainerState) -> &'static [Control] {
        use Control::*;
        match state {
            ContainerState::Created | ContainerState::Exited | ContainerState::Stopped => &[Start],
            ContainerState::Running => &[Stop, Restart, Pause, Kill],
            // The engine stops and kills a paused container too (it thaws it to deliver the signal).
            ContainerState::Paused => &[Unpause, Stop, Kill],
            // In a restart loop: only ending it makes sense.
            ContainerState::Restarting => &[Stop, Kill],
            ContainerState::Removing | ContainerState::Dead | ContainerState::Other(_) => &[],
        }
    }

    /// Its key in the menu. Kill is the shifted letter: a slip of `k` (up, in every list) must
    /// not choose it.
    pub fn key(self) -> char {
        match self {
            Control::Start => 's',
            Control::Stop => 't',
            Control::Restart => 'r',
            Control::Pause => 'p',
            Control::Unpause => 'u',
            Control::Kill => 'K',
        }
    }

    /// The verb, as the menu and the confirmation say it: "stop".
    pub fn verb(self) -> &'static str {
        match self {
            Control::Start => "start",
            Control::Stop => "stop",
            Control::Restart => "restart",
            Control::Pause => "pause",
            Control::Unpause => "unpause",
            Control::Kill => "kill",
        }
    }

    /// While it runs: "stopping".
    pub fn doing(self) -> &'static str {
        match self {
            Control::Start => "starting",
            Control::Stop => "stopping",
            Control::Restart => "restarting",
            Control::Pause => "pausing",
            Control::Unpause => "unpausing",
            Control::Kill => "killing",
        }
    }

    /// Once done: "stopped".
    pub fn done(self) -> &'static str {
        match self {
            Control::Start => "started",
            Control::Stop => "stopped",
            Control::Restart => "restarted",
            Control::Pause => "paused",
            Control::Unpause => "unpaused",
            Control::Kill => "killed",
        }
    }

    /// What it does, in a few words, beside its key in the menu.
    pub fn describe(self) -> &'static str {
        match self {
            Control::Start => "run it again",
            Control::Stop => "stop signal, then kill after its stop timeout",
            Control::Restart => "stop, then start",
            Control::Pause => "freeze its processes",
            Control::Unpause => "thaw its processes",
            Control::Kill => "SIGKILL at once",
        }
    }

    /// Stop and kill end the container's work: they are confirmed first.
    pub fn needs_confirmation(self) -> bool {
        matches!(self, Control::Stop | Control::Kill)
    }

    /// Whether the engine waits for the container's stop timeout before answering.
    pub fn waits_for_stop(self) -> bool {
        matches!(self, Control::Stop | Control::Restart)
    }
}

/// One control of one container, as the user confirmed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlRequest {
    pub id: ContainerId,
    /// For messages: the engine's answer names the container the way the user saw it.
    pub name: String,
    pub control: Control,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_applies_to_the_state_is_offered() {
        let offered = |word: &str| Control::for_state(&ContainerState::parse(word)).to_vec();
        assert_eq!(offered("running"), [Control::Stop, Control::Restart, Control::Pause, Control::Kill]);
        assert_eq!(offered("paused"), [Control::Unpause, Control::Stop, Control::Kill]);
        for stopped in ["exited", "created", "stopped"] {
            assert_eq!(offered(stopped), [Control::Start], "{stopped}");
        }
        assert!(offered("dead").is_empty() && offered("removing").is_empty());
        assert!(offered("configured").is_empty(), "an unknown state is offered nothing");
    }

    #[test]
    fn every_control_has_its_own_key_and_only_stop_and_kill_ask_first() {
        use Control::*;
        let all = [Start, Stop, Restart, Pause, Unpause, Kill];
        let keys: std::collections::HashSet<char> = all.iter().map(|c| c.key()).collect();
        assert_eq!(keys.len(), all.len());
        assert!(!keys.contains(&'j') && !keys.contains(&'k'), "the menu moves with j and k");
        let asking: Vec<Control> = all.into_iter().filter(|c| c.needs_confirmation()).collect();
        assert_eq!(asking, [Stop, Kill]);
    }
}
