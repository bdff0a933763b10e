//! Marked rows (Space): `d` and `P` act on them. Kept by id, per kind of object.

use std::collections::BTreeSet;

use super::panel::{Panel, RowKey};
use crate::model::{ContainerId, ImageId, VolumeName};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    pub containers: BTreeSet<ContainerId>,
    pub volumes: BTreeSet<VolumeName>,
    pub images: BTreeSet<ImageId>,
}

impl Marks {
    /// Marks the row's object, or unmarks it; false for rows that cannot be marked.
    pub fn toggle(&mut self, key: &RowKey) -> bool {
        fn flip<K: Ord + Clone>(set: &mut BTreeSet<K>, key: &K) {
            if !set.remove(key) {
                set.insert(key.clone());
            }
        }
        match key {
            RowKey::Container(id) => flip(&mut self.containers, id),
            RowKey::Volume(name) => flip(&mut self.volumes, name),
            RowKey::Image(id) => flip(&mut self.images, id),
            RowKey::Mount(..) | RowKey::CacheRecord(_) | RowKey::DiskLine(..) => return false,
        }
        true
    }

    pub fn contains(&self, key: &RowKey) -> bool {
        match key {
            RowKey::Container(id) => self.containers.contains(id),
            RowKey::Volume(name) => self.volumes.contains(name),
            RowKey::Image(id) => self.images.contains(id),
            RowKey::Mount(..) | RowKey::CacheRecord(_) | RowKey::DiskLine(..) => false,
        }
    }

    /// How many rows of this panel are marked.
    pub fn count(&self, panel: Panel) -> usize {
        match panel {
            Panel::Containers => self.containers.len(),
            Panel::Volumes => self.volumes.len(),
            Panel::Images => self.images.len(),
            Panel::Binds | Panel::Tmpfs | Panel::BuildCache | Panel::Disk => 0,
        }
    }

    pub fn clear(&mut self) {
        *self = Marks::default();
    }
}
