//! Which objects of one kind (containers, or volumes) are being sized, and which the engine's
//! events say changed since their size was taken. Sizes arrive one by one from a task per list
//! generation; a newer task takes over whatever the older one had not answered yet.

use std::collections::HashSet;

#[derive(Debug, Clone, Default)]
pub struct Sizing {
    /// The generation of the newest sizing task.
    seq: u64,
    /// Asked of that task and not answered yet: their rows show a spinner.
    waiting: HashSet<String>,
    /// Changed since measured (an event said so, or `r`): measured again with the next list.
    changed: HashSet<String>,
}

impl Sizing {
    /// What a new task of generation `seq` should size, from the listed objects and whether
    /// each already has its size: those without one, those changed, and those the task it
    /// replaces was still sizing. They are waiting from now on.
    pub fn plan<'a>(&mut self, seq: u64, listed: impl IntoIterator<Item = (&'a str, bool)>) -> Vec<String> {
        let ask: Vec<String> = listed
            .into_iter()
            .filter(|(key, sized)| !sized || self.changed.contains(*key) || self.waiting.contains(*key))
            .map(|(key, _)| key.to_owned())
            .collect();
        self.changed.clear();
        self.waiting = ask.iter().cloned().collect();
        self.seq = seq;
        ask
    }

    /// An answer about `key` from the task of generation `seq`; only the newest task's answers
    /// end the wait (an older one's may predate a change).
    pub fn answered(&mut self, seq: u64, key: &str) {
        if seq == self.seq {
            self.waiting.remove(key);
        }
    }

    /// The object changed: size it again with the next list.
    pub fn changed(&mut self, key: &str) {
        self.changed.insert(key.to_owned());
    }

    pub fn is_waiting(&self, key: &str) -> bool {
        self.waiting.contains(key)
    }

    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_asks_for_the_unsized_the_changed_and_what_the_older_task_left() {
        let mut sizing = Sizing::default();
        assert_eq!(sizing.plan(1, [("a", false), ("b", false), ("c", true)]), ["a", "b"]);
        sizing.answered(1, "a");
        sizing.changed("c");
        // "a" now has its size; "b" is still out with the older task; "c" changed.
        assert_eq!(sizing.plan(2, [("a", true), ("b", false), ("c", true)]), ["b", "c"]);
        assert_eq!(sizing.plan(3, [("a", true), ("b", true), ("c", true)]), ["b", "c"], "still waiting");
        sizing.answered(3, "b");
        sizing.answered(3, "c");
        assert!(sizing.plan(4, [("a", true), ("b", true), ("c", true)]).is_empty());
    }

    #[test]
    fn only_the_newest_tasks_answers_end_a_wait() {
        let mut sizing = Sizing::default();
        sizing.plan(1, [("a", false)]);
        sizing.plan(2, [("a", false)]);
        sizing.answered(1, "a");
        assert!(sizing.is_waiting("a"));
        sizing.answered(2, "a");
        assert!(!sizing.is_waiting("a"));
        assert_eq!(sizing.waiting(), 0);
    }

    #[test]
    fn objects_no_longer_listed_stop_waiting() {
        let mut sizing = Sizing::default();
        sizing.plan(1, [("gone", false)]);
        sizing.changed("also-gone");
        assert!(sizing.plan(2, [("here", true)]).is_empty());
        assert!(!sizing.is_waiting("gone"));
    }
}
