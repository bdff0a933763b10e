//! The removal preview: which objects go and how many bytes come back, before anything happens.
//! Confirming sends this exact plan; changing the scope recomputes it from what is on screen.

use std::collections::BTreeSet;

use crossterm::event::{KeyCode, KeyEvent};

use crate::model::plan::{self, KeptReason, Plan, VolumeScope};
use crate::model::Inventory;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// Dangling volumes in a scope, or only the chosen ones.
    Volumes { only: Option<BTreeSet<String>>, scope: Scope, label: String },
    /// Stopped containers, or only the chosen ones; optionally their anonymous volumes; running
    /// ones only after the explicit force step.
    Containers { only: Option<BTreeSet<String>>, with_volumes: bool, force: bool },
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
    pub scroll: usize,
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
        let mut confirm = Confirm { subject, plan: Plan::default(), scroll: 0, working: false };
        confirm.replan(inventory);
        confirm
    }

    pub fn title(&self) -> &'static str {
        match &self.subject {
            Subject::Volumes { only: None, .. } => "Prune volumes",
            Subject::Volumes { .. } => "Remove volumes",
            Subject::Containers { only: None, .. } => "Prune stopped containers",
            Subject::Containers { .. } => "Remove containers",
        }
    }

    /// Whether the force step applies: chosen containers, one of them running.
    pub fn needs_force(&self) -> bool {
        matches!(&self.subject, Subject::Containers { only: Some(_), force: false, .. })
            && self.plan.kept.iter().any(|k| matches!(k.reason, KeptReason::NeedsForce { .. }))
    }

    fn replan(&mut self, inventory: &Inventory) {
        self.plan = match &self.subject {
            Subject::Volumes { only: Some(names), .. } => plan::volume_removal(inventory, names),
            Subject::Volumes { only: None, scope, label } => match scope {
                Scope::Anonymous => plan::volume_prune(inventory, &VolumeScope::Anonymous),
                Scope::Dangling => plan::volume_prune(inventory, &VolumeScope::Dangling),
                Scope::Label => plan::volume_prune(inventory, &VolumeScope::Label(label.clone())),
            },
            Subject::Containers { only, with_volumes, force } => {
                plan::container_removal(inventory, only.as_ref(), *with_volumes, *force)
            }
        };
        self.scroll = 0;
    }

    pub fn on_key(&mut self, key: KeyEvent, inventory: &Inventory) -> Answer {
        if self.working {
            return Answer::Stay;
        }
        // While a label is typed, y and n are letters; Enter and Esc still decide.
        let typing_label = matches!(&self.subject, Subject::Volumes { only: None, scope: Scope::Label, .. });
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
            (_, KeyCode::Up) => self.scroll = self.scroll.saturating_sub(1),
            // The preview has about one line an object: no scrolling past them all.
            (_, KeyCode::Down) => {
                let objects = self.plan.containers.len() + self.plan.volumes.len() + self.plan.kept.len();
                self.scroll = (self.scroll + 1).min(objects);
            }
            (Subject::Volumes { only: None, scope, .. }, KeyCode::Tab | KeyCode::Right) => {
                *scope = match scope {
                    Scope::Anonymous => Scope::Dangling,
                    Scope::Dangling => Scope::Label,
                    Scope::Label => Scope::Anonymous,
                };
                self.replan(inventory);
            }
            (Subject::Volumes { only: None, scope, .. }, KeyCode::BackTab | KeyCode::Left) => {
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
            (Subject::Containers { with_volumes, .. }, KeyCode::Char('v')) => {
                *with_volumes = !*with_volumes;
                self.replan(inventory);
            }
            (Subject::Containers { only: Some(_), force, .. }, KeyCode::Char('f')) => {
                *force = !*force;
                self.replan(inventory);
            }
            _ => {}
        }
        Answer::Stay
    }
}
