//! The keys that change things: marks, create, attach, prune, remove, shell and attach. Each
//! opens a preview or a form (or refuses in read-only mode); nothing is sent from here.

use std::collections::BTreeSet;

use super::confirm::{Confirm, Pick, Scope, Subject};
use super::form::{Form, ImageList};
use super::panel::Panel;
use super::{App, Effect, Overlay, SessionRequest};
use crate::model::plan::ImageScope;
use crate::model::ImageFacts;

impl App {
    /// Says why a write key does nothing in read-only mode; true when it is refused.
    pub(super) fn refused_read_only(&mut self, what: &str) -> bool {
        if self.read_only {
            self.notice = Some(format!("read-only mode: {what} is disabled"));
        }
        self.read_only
    }

    fn selected_key(&self) -> Option<String> {
        self.view().selected_index().map(|i| self.panel.row_key(&self.inventory, i))
    }

    pub(super) fn toggle_mark(&mut self) {
        if !matches!(self.panel, Panel::Containers | Panel::Volumes | Panel::Images) {
            self.notice = Some("marks are for containers, volumes and images".to_owned());
            return;
        }
        if let Some(key) = self.selected_key() {
            let marks = &mut self.marks[self.panel.index()];
            if !marks.remove(&key) {
                marks.insert(key);
            }
            self.move_by(1);
        }
    }

    /// The marked rows, or else the selected one.
    fn chosen(&self) -> BTreeSet<String> {
        let marks = &self.marks[self.panel.index()];
        if marks.is_empty() {
            self.selected_key().into_iter().collect()
        } else {
            marks.clone()
        }
    }

    pub(super) fn create_volume(&mut self) -> Vec<Effect> {
        if self.panel != Panel::Volumes {
            self.notice = Some("c creates a volume: switch to Volumes (2)".to_owned());
        } else if !self.refused_read_only("creating a volume") {
            self.overlay = Some(Overlay::Form(Form::create_volume()));
        }
        vec![]
    }

    pub(super) fn attach_volume(&mut self) -> Vec<Effect> {
        if self.panel != Panel::Volumes {
            self.notice = Some("a attaches a volume to a new container: switch to Volumes (2)".to_owned());
            return vec![];
        }
        let Some(volume) = self.selected_key() else { return vec![] };
        if self.refused_read_only("attaching a volume") {
            return vec![];
        }
        let references = self.sources.images.iter().map(ImageFacts::reference).collect();
        let mut form = Form::attach(&volume, references);
        // One request at a time, and none once there are images to choose from.
        let load = self.images.wants_loading(&self.sources.images);
        if load {
            self.images = ImageList::Loading;
        }
        form.images_pending = self.images == ImageList::Loading;
        self.overlay = Some(Overlay::Form(form));
        if load {
            vec![Effect::LoadImages]
        } else {
            vec![]
        }
    }

    /// What `P` acts on: the marked rows; else the rows the filter shows; else everything.
    fn prune_pick(&self) -> Pick {
        let marks = &self.marks[self.panel.index()];
        let view = self.view();
        if !marks.is_empty() {
            Pick::Chosen(marks.clone())
        } else if !view.filter.is_empty() {
            let keys = view.rows.iter().map(|&i| self.panel.row_key(&self.inventory, i)).collect();
            Pick::Filtered { filter: view.filter.clone(), keys }
        } else {
            Pick::Everything
        }
    }

    pub(super) fn prune(&mut self) -> Vec<Effect> {
        let pick = self.prune_pick();
        let subject = match self.panel {
            Panel::Volumes => Subject::Volumes { pick, scope: Scope::Anonymous, label: String::new() },
            Panel::Containers => Subject::Containers { pick, with_volumes: false, force: false },
            Panel::Images => Subject::Images { pick, scope: ImageScope::Dangling },
            _ => {
                self.notice =
                    Some("P prunes containers, volumes or images: switch to panel 1, 2 or 5".to_owned());
                return vec![];
            }
        };
        if !self.refused_read_only("pruning") {
            self.overlay = Some(Overlay::Confirm(Confirm::new(subject, &self.inventory)));
        }
        vec![]
    }

    pub(super) fn remove(&mut self) -> Vec<Effect> {
        let pick = Pick::Chosen(self.chosen());
        let subject = match self.panel {
            Panel::Volumes => Subject::Volumes { pick, scope: Scope::Anonymous, label: String::new() },
            Panel::Containers => Subject::Containers { pick, with_volumes: false, force: false },
            Panel::Images => Subject::Images { pick, scope: ImageScope::Dangling },
            _ => {
                self.notice =
                    Some("d removes containers, volumes or images: switch to panel 1, 2 or 5".to_owned());
                return vec![];
            }
        };
        if self.view().rows.is_empty() || self.refused_read_only("removing") {
            return vec![];
        }
        self.overlay = Some(Overlay::Confirm(Confirm::new(subject, &self.inventory)));
        vec![]
    }

    /// The container of the selected row, in any panel but Volumes.
    pub(super) fn selected_container_id(&self) -> Option<String> {
        let index = self.view().selected_index()?;
        let inventory = &self.inventory;
        match self.panel {
            Panel::Containers => Some(inventory.containers[index].id.clone()),
            Panel::Volumes | Panel::Images | Panel::BuildCache => None,
            Panel::Binds => Some(inventory.bind_mounts[index].container_id.clone()),
            Panel::Tmpfs => Some(inventory.tmpfs_mounts[index].container_id.clone()),
        }
    }

    /// `e` (a shell) or `A` (attach) in the selected running container.
    pub(super) fn session(&mut self, shell: bool) -> Vec<Effect> {
        let Some(container) = self.selected_container_id().and_then(|id| self.inventory.container(&id))
        else {
            self.notice = Some("select a container first".to_owned());
            return vec![];
        };
        if container.state != "running" {
            self.notice = Some(format!("{} is {}, not running", container.name, container.state));
            return vec![];
        }
        let request = SessionRequest {
            container_id: container.id.clone(),
            container: container.name.clone(),
            command: shell.then(|| self.shell_command.clone()),
        };
        if self.refused_read_only(if shell { "a shell" } else { "attaching" }) {
            return vec![];
        }
        vec![Effect::OpenSession(request)]
    }
}
