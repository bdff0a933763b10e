//! Loading as a small state machine: connect once, then lists, sizes and inspections in
//! generations. A result from an older generation is dropped (its task was cancelled, but a
//! message may already be on its way); a failed request keeps the last good data on screen under
//! a banner, and is retried with backoff. Only a first connect that fails shows the full error
//! screen.

use std::time::{Duration, SystemTime};

use super::form::ImageList;
use super::images::ImageSizing;
use super::sizing::Sizing;
use crate::model::{ContainerId, EngineError, VolumeName};

/// Events come in bursts (a compose project starting): wait this long for the burst to end.
pub const EVENT_DEBOUNCE: Duration = Duration::from_millis(300);

/// Retries wait 0.5 s, 1 s, 2 s … up to 30 s.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(500 * 2u64.pow(attempt.min(6))).min(Duration::from_secs(30))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Connected,
    /// The first connect failed: the full error screen, while a connect is always scheduled or
    /// under way, with backoff (`r` retries now).
    Unreachable {
        error: EngineError,
        at: SystemTime,
        attempt: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Containers,
    Volumes,
}

/// What a failed request was for: the banner names it, and its next success clears it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    List(ListKind),
    Sizes,
}

/// A request that failed while the data on screen stayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trouble {
    pub part: Part,
    pub error: EngineError,
    pub at: SystemTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum EventsState {
    #[default]
    Off,
    Live,
    Reconnecting {
        attempt: u32,
        reason: String,
    },
}

#[derive(Debug, Clone)]
pub struct Loading {
    pub connection: Connection,
    pub events: EventsState,
    pub trouble: Option<Trouble>,
    /// The newest generation of lists asked for.
    generation: u64,
    /// The generation each list on screen came from, and the newest that answered (or failed).
    containers_applied: u64,
    volumes_applied: u64,
    containers_answered: u64,
    volumes_answered: u64,
    /// Containers being inspected and sized, and those to size again.
    pub containers: Sizing<ContainerId>,
    /// Volumes being sized, and those to size again.
    pub volumes: Sizing<VolumeName>,
    /// The images' shared sizes and the build cache.
    pub images: ImageSizing,
    /// `/info` answered (or failed): the images' route can be chosen.
    pub described: bool,
    /// Where the image list stands (the list is `sources.images`).
    pub image_list: ImageList,
    /// The newest image list asked for.
    image_generation: u64,
    /// The generation of the browser's count: each `o` starts a new one.
    pub browse_generation: u64,
    /// No container's log can be read here (a remote engine, files closed to this user), as
    /// the first inspects said: the LOGS column shows `—` at once rather than wait for each.
    pub logs_closed: bool,
    /// The walk of the engine's root, for the Disk panel.
    pub disk: super::disk::DiskWalk,
    pub disk_generation: u64,
    /// Failed list requests in a row, for the retry's backoff.
    failures: u32,
    refresh_pending: bool,
    watching_events: bool,
    /// The generation of the lists under way when the event stream first went live: they are
    /// asked for again once they have answered (see `first_live`).
    relist_after: Option<u64>,
}

impl Default for Loading {
    fn default() -> Self {
        Loading {
            connection: Connection::Connecting,
            events: EventsState::Off,
            trouble: None,
            generation: 0,
            containers_applied: 0,
            volumes_applied: 0,
            containers_answered: 0,
            volumes_answered: 0,
            containers: Sizing::default(),
            volumes: Sizing::default(),
            images: ImageSizing::default(),
            image_list: ImageList::NotLoaded,
            described: false,
            image_generation: 0,
            browse_generation: 0,
            logs_closed: false,
            disk: super::disk::DiskWalk::NotAsked,
            disk_generation: 0,
            failures: 0,
            refresh_pending: false,
            watching_events: false,
            relist_after: None,
        }
    }
}

impl Loading {
    pub fn connected(&self) -> bool {
        self.connection == Connection::Connected
    }

    pub fn connecting(&self) -> bool {
        self.connection == Connection::Connecting
    }

    /// The newest lists have not all answered yet.
    pub fn lists_loading(&self) -> bool {
        self.containers_answered < self.generation || self.volumes_answered < self.generation
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// A new generation of lists; returns it.
    pub(super) fn next_generation(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }

    /// Whether a list from `generation` should replace the one on screen; marks it answered.
    pub(super) fn accept_list(&mut self, kind: ListKind, generation: u64) -> bool {
        let (applied, answered) = match kind {
            ListKind::Containers => (&mut self.containers_applied, &mut self.containers_answered),
            ListKind::Volumes => (&mut self.volumes_applied, &mut self.volumes_answered),
        };
        if generation < *applied {
            return false;
        }
        *applied = generation;
        *answered = (*answered).max(generation);
        self.failures = 0;
        self.clear_trouble(Part::List(kind));
        true
    }

    /// A list request failed: keeps the data, raises the banner; returns the retry's delay, or
    /// `None` when the failure is stale (a newer generation is already asked for).
    pub(super) fn list_failed(
        &mut self,
        kind: ListKind,
        generation: u64,
        error: EngineError,
        at: SystemTime,
    ) -> Option<Duration> {
        if generation < self.generation {
            return None;
        }
        match kind {
            ListKind::Containers => self.containers_answered = generation,
            ListKind::Volumes => self.volumes_answered = generation,
        }
        self.trouble = Some(Trouble { part: Part::List(kind), error, at });
        // The retry asks for lists after the stream went live.
        self.relist_after = None;
        let delay = backoff(self.failures);
        self.failures += 1;
        Some(delay)
    }

    pub(super) fn clear_trouble(&mut self, part: Part) {
        if self.trouble.as_ref().is_some_and(|t| t.part == part) {
            self.trouble = None;
        }
    }

    /// Both lists have answered at least once: the panels show what is there.
    pub fn lists_shown(&self) -> bool {
        self.containers_applied > 0 && self.volumes_applied > 0
    }

    /// Whether sizes are still coming for some listed object.
    pub fn sizing(&self) -> bool {
        self.containers.waiting() > 0 || self.volumes.waiting() > 0
    }

    /// A new image list: its effect, as the newest generation.
    pub(super) fn ask_images(&mut self) -> super::Effect {
        if self.image_list != ImageList::Loaded {
            self.image_list = ImageList::Loading;
        }
        self.image_generation += 1;
        super::Effect::LoadImages { seq: self.image_generation }
    }

    pub fn image_generation(&self) -> u64 {
        self.image_generation
    }

    /// Whether an image list of generation `seq` is the newest asked for (an older one's task
    /// was cancelled, but its answer may already be on its way).
    pub(super) fn accept_images(&self, seq: u64) -> bool {
        seq == self.image_generation
    }

    /// Debounces event-driven refreshes; true when a refresh timer should start.
    pub(super) fn want_refresh(&mut self) -> bool {
        !std::mem::replace(&mut self.refresh_pending, true)
    }

    pub(super) fn refresh_fired(&mut self) {
        self.refresh_pending = false;
    }

    /// True the first time only: the event watcher runs for the whole session.
    pub(super) fn start_watching(&mut self) -> bool {
        !std::mem::replace(&mut self.watching_events, true)
    }

    /// The event stream is live for the first time. It opened on a connection of its own (over
    /// ssh, a slow one), so whatever changed between the lists and now is in neither: true when
    /// the lists are to be asked again now. Lists under way may have been read before the stream
    /// began too; they are left to answer (cancelling them would hold back the first screen) and
    /// `relist_due` asks again after them.
    pub(super) fn first_live(&mut self) -> bool {
        if self.lists_loading() {
            self.relist_after = Some(self.generation);
            return false;
        }
        true
    }

    /// True once the lists that were under way when the stream went live have answered, unless
    /// newer lists (asked for after it) have been asked for since.
    pub(super) fn relist_due(&mut self) -> bool {
        !self.lists_loading() && self.relist_after.take() == Some(self.generation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Problem;

    fn error() -> EngineError {
        EngineError::new("unix:///x", "listing volumes", Problem::Timeout, "no answer within 30 s")
    }

    #[test]
    fn an_older_list_never_replaces_a_newer_one() {
        let mut loading = Loading::default();
        let first = loading.next_generation();
        let second = loading.next_generation();
        assert!(loading.accept_list(ListKind::Containers, second));
        assert!(!loading.accept_list(ListKind::Containers, first));
        assert!(loading.lists_loading(), "volumes of the newest generation are still out");
        assert!(loading.accept_list(ListKind::Volumes, second));
        assert!(!loading.lists_loading());
    }

    #[test]
    fn a_failure_raises_the_banner_backs_off_and_the_next_success_clears_it() {
        let mut loading = Loading::default();
        let generation = loading.next_generation();
        let at = SystemTime::UNIX_EPOCH;
        assert_eq!(loading.list_failed(ListKind::Volumes, generation, error(), at), Some(backoff(0)));
        assert_eq!(loading.trouble.as_ref().map(|t| t.part), Some(Part::List(ListKind::Volumes)));
        let generation = loading.next_generation();
        assert_eq!(loading.list_failed(ListKind::Volumes, generation, error(), at), Some(backoff(1)));
        assert_eq!(loading.list_failed(ListKind::Volumes, generation - 1, error(), at), None, "stale");
        let generation = loading.next_generation();
        loading.accept_list(ListKind::Containers, generation);
        assert!(loading.trouble.is_some(), "a containers list says nothing about volumes");
        loading.accept_list(ListKind::Volumes, generation);
        assert!(loading.trouble.is_none());
    }

    #[test]
    fn lists_asked_after_the_stream_went_live_are_not_asked_again() {
        let mut loading = Loading::default();
        let under_way = loading.next_generation();
        assert!(!loading.first_live(), "the lists under way answer first");
        let newer = loading.next_generation();
        for generation in [under_way, newer] {
            loading.accept_list(ListKind::Containers, generation);
            loading.accept_list(ListKind::Volumes, generation);
            assert!(!loading.relist_due(), "generation {generation}");
        }
    }

    #[test]
    fn a_failed_list_under_way_when_the_stream_went_live_is_left_to_its_retry() {
        let mut loading = Loading::default();
        let under_way = loading.next_generation();
        assert!(!loading.first_live());
        let retry = loading.list_failed(ListKind::Containers, under_way, error(), SystemTime::UNIX_EPOCH);
        assert_eq!(retry, Some(backoff(0)));
        loading.accept_list(ListKind::Volumes, under_way);
        assert!(!loading.relist_due(), "the retry lists again");
    }

    #[test]
    fn backoff_doubles_up_to_thirty_seconds() {
        assert_eq!(backoff(0), Duration::from_millis(500));
        assert_eq!(backoff(1), Duration::from_secs(1));
        assert_eq!(backoff(5), Duration::from_secs(16));
        assert_eq!(backoff(9), Duration::from_secs(30));
    }
}
