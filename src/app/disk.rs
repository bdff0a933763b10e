//! The Disk panel's walk of the engine's root: asked for when the panel is first opened (never
//! before: the explorer's first frame and names do not wait for it) and on `r` there; its
//! progress shown while it walks; a newer walk replaces an older one.

use super::panel::Panel;
use super::{App, Effect};
use crate::model::disk::{DiskProgress, DiskReport, DiskUnreadable};

/// Where the walk of the engine's root stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum DiskWalk {
    #[default]
    NotAsked,
    /// Walking (generation `seq`); how far, once it has said.
    Walking {
        seq: u64,
        progress: Option<DiskProgress>,
    },
    Walked,
    /// The root cannot be read here: the panel says why and shows the engine's own counts.
    Unreadable(DiskUnreadable),
}

impl App {
    /// Starts a walk of the root, replacing one under way.
    pub(super) fn walk_disk(&mut self) -> Vec<Effect> {
        self.loading.disk_generation += 1;
        let seq = self.loading.disk_generation;
        self.loading.disk = DiskWalk::Walking { seq, progress: None };
        vec![Effect::WalkDisk { seq }]
    }

    /// The Disk panel opened: its walk starts the first time.
    pub(super) fn disk_panel_opened(&mut self) -> Vec<Effect> {
        if self.nav.panel == Panel::Disk
            && self.loading.disk == DiskWalk::NotAsked
            && self.loading.connected()
        {
            self.walk_disk()
        } else {
            vec![]
        }
    }

    pub(super) fn on_disk_progress(&mut self, seq: u64, progress: DiskProgress) {
        if let DiskWalk::Walking { seq: walking, progress: shown } = &mut self.loading.disk {
            if *walking == seq {
                *shown = Some(progress);
            }
        }
    }

    pub(super) fn on_disk_walked(&mut self, seq: u64, result: Result<Box<DiskReport>, DiskUnreadable>) {
        if !matches!(self.loading.disk, DiskWalk::Walking { seq: walking, .. } if walking == seq) {
            return;
        }
        match result {
            Ok(report) => {
                self.inventory.disk_lines = report.lines();
                self.inventory.disk = Some(*report);
                self.loading.disk = DiskWalk::Walked;
            }
            // Cancelled by a newer walk, whose answer comes next.
            Err(DiskUnreadable::Cancelled) => {}
            Err(why) => {
                self.inventory.disk = None;
                self.inventory.disk_lines.clear();
                self.loading.disk = DiskWalk::Unreadable(why);
            }
        }
        self.refresh_rows(Panel::Disk);
    }
}
