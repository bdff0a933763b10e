//! The removal preview: which objects go and how many bytes come back, before anything happens.
//! Confirming sends this exact plan; changing the scope recomputes it from what is on screen.

use std::collections::BTreeSet;

use crossterm::event::{KeyCode, KeyEvent};

use super::scroll::Scroll;
use crate::model::plan::{self, ImageScope, KeptReason, Plan, VolumeScope};
use crate::model::{ContainerId, ImageId, Inventory, VolumeName};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// Dangling volumes in a scope (a prune), or the chosen ones (a removal).
    Volumes { pick: Pick<VolumeName>, scope: Scope, label: String },
    /// Stopped containers (a prune), or the chosen ones (a removal); optionally their anonymous
    /// volumes; chosen running ones only after the explicit force step.
    Containers { pick: Pick<ContainerId>, with_volumes: bool, force: bool },
    /// Unused images in a scope (a prune), or the chosen ones (a removal): never one in use.
    Images { pick: Pick<ImageId>, scope: ImageScope },
    /// The chosen containers' logs: truncated, not removed.
    Logs { ids: BTreeSet<ContainerId> },
}

/// Which objects a preview is about, by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick<K> {
    /// A prune of everything in scope on the host.
    Everything,
    /// A prune of only the rows the panel's filter showed.
    Filtered { filter: String, keys: BTreeSet<K> },
    /// A removal of these: the marked ones, or the selected one.
    Chosen(BTreeSet<K>),
}

impl<K> Pick<K> {
    pub fn is_removal(&self) -> bool {
        matches!(self, Pick::Chosen(_))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Anonymous,
    Dangling,
    Label,
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub subject: Subject,
    pub plan: Plan,
    pub scroll: Scroll,
    /// Sent to the engine; waiting for the outcome.
    pub working: bool,
}

/// What a key in the preview asks for.
pub enum Answer {
    Stay,
    Cancel,
    Go(Plan),
}

impl Confirm {
    pub fn new(subject: Subject, inventory: &Inventory) -> Self {
        let mut confirm =
            Confirm { subject, plan: Plan::default(), scroll: Scroll::default(), working: false };
        confirm.replan(inventory);
        confirm
    }

    pub fn title(&self) -> &'static str {
        match &self.subject {
            Subject::Volumes { pick: Pick::Chosen(_), .. } => "Remove volumes",
            Subject::Volumes { .. } => "Prune volumes",
            Subject::Containers { pick: Pick::Chosen(_), .. } => "Remove containers",
            Subject::Containers { .. } => "Prune stopped containers",
            Subject::Images { pick: Pick::Chosen(_), .. } => "Remove images",
            Subject::Images { .. } => "Prune images",
            Subject::Logs { .. } => "Truncate logs",
        }
    }

    /// About how many lines the preview has: one an object, two a log file (its path apart).
    fn lines(&self) -> usize {
        self.plan.len() + self.plan.logs.len() + self.plan.kept.len() + 1
    }

    /// A label filter is being typed: `y` and `n` are letters there.
    pub fn typing_label(&self) -> bool {
        matches!(&self.subject, Subject::Volumes { pick, scope: Scope::Label, .. } if !pick.is_removal())
    }

    /// Whether Tab changes what the prune takes: a prune of volumes or images.
    pub fn has_scope(&self) -> bool {
        match &self.subject {
            Subject::Volumes { pick, .. } => !pick.is_removal(),
            Subject::Images { pick, .. } => !pick.is_removal(),
            Subject::Containers { .. } | Subject::Logs { .. } => false,
        }
    }

    /// Whether the force step applies: chosen containers, one of them running.
    pub fn needs_force(&self) -> bool {
        matches!(&self.subject, Subject::Containers { pick: Pick::Chosen(_), force: false, .. })
            && self.plan.kept.iter().any(|k| matches!(k.reason, KeptReason::NeedsForce { .. }))
    }

    fn replan(&mut self, inventory: &Inventory) {
        self.plan = match &self.subject {
            Subject::Volumes { pick: Pick::Chosen(names), .. } => plan::volume_removal(inventory, names),
            Subject::Volumes { pick, scope, label } => {
                let scope = match scope {
                    Scope::Anonymous => VolumeScope::Anonymous,
                    Scope::Dangling => VolumeScope::Dangling,
                    Scope::Label => VolumeScope::Label(label.clone()),
                };
                let mut plan = plan::volume_prune(inventory, &scope);
                if let Pick::Filtered { keys, .. } = pick {
                    plan.volumes.retain(|v| keys.contains(&v.name));
                }
                plan
            }
            Subject::Containers { pick: Pick::Chosen(ids), with_volumes, force } => {
                plan::container_removal(inventory, Some(ids), *with_volumes, *force)
            }
            Subject::Containers { pick, with_volumes, .. } => {
                let within = match pick {
                    Pick::Filtered { keys, .. } => Some(keys),
                    _ => None,
                };
                plan::container_prune(inventory, within, *with_volumes)
            }
            Subject::Images { pick: Pick::Chosen(ids), .. } => plan::image_removal(inventory, ids),
            Subject::Logs { ids } => plan::log_truncation(inventory, ids),
            Subject::Images { pick, scope } => {
                let mut plan = plan::image_prune(inventory, *scope);
                if let Pick::Filtered { keys, .. } = pick {
                    plan.images.retain(|i| keys.contains(&i.id));
                }
                plan
            }
        };
        self.scroll = Scroll::default();
    }

    pub fn on_key(&mut self, key: KeyEvent, inventory: &Inventory) -> Answer {
        if self.working {
            return Answer::Stay;
        }
        // While a label is typed, y and n are letters; Enter and Esc still decide.
        let typing_label = self.typing_label();
        let confirms = key.code == KeyCode::Enter || (key.code == KeyCode::Char('y') && !typing_label);
        if confirms {
            if self.plan.is_empty() {
                return Answer::Stay;
            }
            self.working = true;
            return Answer::Go(self.plan.clone());
        }
        match (&mut self.subject, key.code) {
            (_, KeyCode::Esc) => return Answer::Cancel,
            (_, KeyCode::Char('n')) if !typing_label => return Answer::Cancel,
            // The preview has about one line an object: no scrolling past them all.
            (_, KeyCode::Up) => self.scroll.scroll_by(-1, self.lines(), 1),
            (_, KeyCode::Down) => self.scroll.scroll_by(1, self.lines(), 1),
            (Subject::Volumes { pick, scope, .. }, KeyCode::Tab | KeyCode::Right) if !pick.is_removal() => {
                *scope = match scope {
                    Scope::Anonymous => Scope::Dangling,
                    Scope::Dangling => Scope::Label,
                    Scope::Label => Scope::Anonymous,
                };
                self.replan(inventory);
            }
            (Subject::Volumes { pick, scope, .. }, KeyCode::BackTab | KeyCode::Left)
                if !pick.is_removal() =>
            {
                *scope = match scope {
                    Scope::Anonymous => Scope::Label,
                    Scope::Dangling => Scope::Anonymous,
                    Scope::Label => Scope::Dangling,
                };
                self.replan(inventory);
            }
            (Subject::Volumes { scope: Scope::Label, label, .. }, KeyCode::Backspace) => {
                label.pop();
                self.replan(inventory);
            }
            (Subject::Volumes { scope: Scope::Label, label, .. }, KeyCode::Char(c)) => {
                label.push(c);
                self.replan(inventory);
            }
            (
                Subject::Images { pick, scope },
                KeyCode::Tab | KeyCode::Right | KeyCode::BackTab | KeyCode::Left,
            ) if !pick.is_removal() => {
                *scope = match scope {
                    ImageScope::Dangling => ImageScope::Unused,
                    ImageScope::Unused => ImageScope::Dangling,
                };
                self.replan(inventory);
            }
            (Subject::Containers { with_volumes, .. }, KeyCode::Char('v')) => {
                *with_volumes = !*with_volumes;
                self.replan(inventory);
            }
            (Subject::Containers { pick: Pick::Chosen(_), force, .. }, KeyCode::Char('f')) => {
                *force = !*force;
                self.replan(inventory);
            }
            _ => {}
        }
        Answer::Stay
    }
}
