//! Which objects of one kind (containers, or volumes) are being sized, and which the engine's
//! events say changed since their size was taken. Sizes arrive one by one from tasks started
//! with a list generation; each object is asked of one task at a time.

use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Default)]
pub struct Sizing {
    /// Objects being sized → the generation of the task sizing them: their rows show a spinner
    /// until that task answers.
    waiting: HashMap<String, u64>,
    /// Changed since measured (an event said so, or `r`): measured again with the next list.
    changed: HashSet<String>,
}

impl Sizing {
    /// What a new task of generation `seq` should size, from the listed objects and whether
    /// each already has its size: those changed, and those without a size that no task is
    /// sizing. Work under way is never asked again (a `/system/df` can take minutes), so the
    /// tasks are not superseded by newer ones.
    pub fn plan<'a>(&mut self, seq: u64, listed: impl IntoIterator<Item = (&'a str, bool)>) -> Vec<String> {
        let listed: Vec<(&str, bool)> = listed.into_iter().collect();
        let keys: HashSet<&str> = listed.iter().map(|(key, _)| *key).collect();
        self.waiting.retain(|key, _| keys.contains(key.as_str()));
        let ask: Vec<String> = listed
            .into_iter()
            .filter(|(key, sized)| {
                self.changed.contains(*key) || (!sized && !self.waiting.contains_key(*key))
            })
            .map(|(key, _)| key.to_owned())
            .collect();
        self.changed.clear();
        for key in &ask {
            self.waiting.insert(key.clone(), seq);
        }
        ask
    }

    /// An answer about `key` from the task of generation `seq`. Only the task that sizes it now
    /// ends the wait: an older one's answer may predate a change.
    pub fn answered(&mut self, seq: u64, key: &str) {
        if self.waiting.get(key) == Some(&seq) {
            self.waiting.remove(key);
        }
    }

    /// The object changed: size it again with the next list.
    pub fn changed(&mut self, key: &str) {
        self.changed.insert(key.to_owned());
    }

    pub fn is_waiting(&self, key: &str) -> bool {
        self.waiting.contains_key(key)
    }

    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_asks_for_the_changed_and_the_unsized_that_no_task_is_sizing() {
        let mut sizing = Sizing::default();
        assert_eq!(sizing.plan(1, [("a", false), ("b", false), ("c", true)]), ["a", "b"]);
        sizing.answered(1, "a");
        sizing.changed("c");
        // "a" now has its size; "b" is still with the first task; "c" changed.
        assert_eq!(sizing.plan(2, [("a", true), ("b", false), ("c", true)]), ["c"]);
        assert!(sizing.plan(3, [("a", true), ("b", false), ("c", true)]).is_empty(), "all under way");
        sizing.answered(1, "b");
        sizing.answered(2, "c");
        assert_eq!(sizing.waiting(), 0);
        assert!(sizing.plan(4, [("a", true), ("b", true), ("c", true)]).is_empty());
    }

    #[test]
    fn an_unsized_object_whose_answer_had_no_size_is_asked_again() {
        let mut sizing = Sizing::default();
        sizing.plan(1, [("a", false)]);
        sizing.answered(1, "a");
        assert_eq!(sizing.plan(2, [("a", false)]), ["a"]);
    }

    #[test]
    fn only_the_task_sizing_it_now_ends_a_wait() {
        let mut sizing = Sizing::default();
        sizing.plan(1, [("a", false)]);
        sizing.changed("a");
        sizing.plan(2, [("a", false)]);
        sizing.answered(1, "a");
        assert!(sizing.is_waiting("a"), "the first task's answer may predate the change");
        sizing.answered(2, "a");
        assert!(!sizing.is_waiting("a"));
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
