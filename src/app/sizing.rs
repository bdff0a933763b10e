//! Which objects of one kind (containers, or volumes) are being sized, and which the engine's
//! events say changed since their size was taken. Sizes arrive one by one from tasks started
//! with a list generation; each object is asked of one task at a time.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// `K` is the object's id: a `ContainerId` or a `VolumeName`.
#[derive(Debug, Clone)]
pub struct Sizing<K> {
    /// Objects being sized → the generation of the task sizing them: their rows show a spinner
    /// until that task answers.
    waiting: HashMap<K, u64>,
    /// Changed since measured (an event said so, or `r`): measured again with the next list.
    changed: HashSet<K>,
}

impl<K> Default for Sizing<K> {
    fn default() -> Self {
        Sizing { waiting: HashMap::new(), changed: HashSet::new() }
    }
}

impl<K: Hash + Eq + Clone + Borrow<str>> Sizing<K> {
    /// What a new task of generation `seq` should size, from the listed objects and whether
    /// each already has its size: those changed, and those without a size that no task is
    /// sizing. Work under way is never asked again (a `/system/df` can take minutes), so the
    /// tasks are not superseded by newer ones.
    pub fn plan<'a>(&mut self, seq: u64, listed: impl IntoIterator<Item = (&'a K, bool)>) -> Vec<K>
    where
        K: 'a,
    {
        let listed: Vec<(&K, bool)> = listed.into_iter().collect();
        let keys: HashSet<&K> = listed.iter().map(|(key, _)| *key).collect();
        self.waiting.retain(|key, _| keys.contains(key));
        let ask: Vec<K> = listed
            .into_iter()
            .filter(|(key, sized)| {
                self.changed.contains::<K>(key) || (!sized && !self.waiting.contains_key::<K>(key))
            })
            .map(|(key, _)| key.clone())
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
    pub fn changed(&mut self, key: K) {
        self.changed.insert(key);
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
    use crate::model::VolumeName;

    fn names<const N: usize>(listed: [(&str, bool); N]) -> Vec<(VolumeName, bool)> {
        listed.map(|(name, sized)| (VolumeName::new(name), sized)).to_vec()
    }

    fn plan<const N: usize>(
        sizing: &mut Sizing<VolumeName>,
        seq: u64,
        listed: [(&str, bool); N],
    ) -> Vec<String> {
        let listed = names(listed);
        sizing.plan(seq, listed.iter().map(|(n, s)| (n, *s))).into_iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn a_plan_asks_for_the_changed_and_the_unsized_that_no_task_is_sizing() {
        let mut sizing = Sizing::<VolumeName>::default();
        assert_eq!(plan(&mut sizing, 1, [("a", false), ("b", false), ("c", true)]), ["a", "b"]);
        sizing.answered(1, "a");
        sizing.changed(VolumeName::new("c"));
        // "a" now has its size; "b" is still with the first task; "c" changed.
        assert_eq!(plan(&mut sizing, 2, [("a", true), ("b", false), ("c", true)]), ["c"]);
        assert!(plan(&mut sizing, 3, [("a", true), ("b", false), ("c", true)]).is_empty(), "all under way");
        sizing.answered(1, "b");
        sizing.answered(2, "c");
        assert_eq!(sizing.waiting(), 0);
        assert!(plan(&mut sizing, 4, [("a", true), ("b", true), ("c", true)]).is_empty());
    }

    #[test]
    fn an_unsized_object_whose_answer_had_no_size_is_asked_again() {
        let mut sizing = Sizing::<VolumeName>::default();
        plan(&mut sizing, 1, [("a", false)]);
        sizing.answered(1, "a");
        assert_eq!(plan(&mut sizing, 2, [("a", false)]), ["a"]);
    }

    #[test]
    fn only_the_task_sizing_it_now_ends_a_wait() {
        let mut sizing = Sizing::<VolumeName>::default();
        plan(&mut sizing, 1, [("a", false)]);
        sizing.changed(VolumeName::new("a"));
        plan(&mut sizing, 2, [("a", false)]);
        sizing.answered(1, "a");
        assert!(sizing.is_waiting("a"), "the first task's answer may predate the change");
        sizing.answered(2, "a");
        assert!(!sizing.is_waiting("a"));
    }

    #[test]
    fn objects_no_longer_listed_stop_waiting() {
        let mut sizing = Sizing::<VolumeName>::default();
        plan(&mut sizing, 1, [("gone", false)]);
        sizing.changed(VolumeName::new("also-gone"));
        assert!(plan(&mut sizing, 2, [("here", true)]).is_empty());
        assert!(!sizing.is_waiting("gone"));
    }
}
