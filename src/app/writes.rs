//! The keys that change things: marks, create, attach, prune, remove, shell and attach. Each
//! opens a preview or a form (or refuses in read-only mode); nothing is sent from here.

use std::collections::BTreeSet;

use super::confirm::{Confirm, Pick, Scope, Subject};
use super::form::{Form, ImageList};
use super::panel::{Panel, RowKey};
use super::{App, Effect, Overlay, SessionRequest};
use crate::model::plan::ImageScope;
use crate::model::{ContainerId, ImageFacts};

impl App {
    /// Says why a write key does nothing in read-only mode; true when it is refused.
    pub(super) fn refused_read_only(&mut self, what: &str) -> bool {
        if self.config.read_only {
            self.notice = Some(format!("read-only mode: {what} is disabled"));
        }
        self.config.read_only
    }

    fn selected_key(&self) -> Option<RowKey> {
        self.view().selected_index().map(|i| self.nav.panel.row_key(&self.inventory, i))
    }

    pub(super) fn toggle_mark(&mut self) {
        let Some(key) = self.selected_key() else { return };
        if self.marks.toggle(&key) {
            self.move_by(1);
        } else {
            self.notice = Some("marks are for containers, volumes and images".to_owned());
        }
    }

    /// Marks every row the panel shows (the filter's, when one is set).
    pub(super) fn mark_all_shown(&mut self) {
        let keys: Vec<RowKey> =
            self.view().rows.iter().map(|&i| self.nav.panel.row_key(&self.inventory, i)).collect();
        let mut marked = 0;
        for key in &keys {
            if !self.marks.contains(key) {
                marked += usize::from(self.marks.toggle(key));
            }
        }
        if marked == 0 && self.marks.count(self.nav.panel) == 0 {
            self.notice = Some("marks are for containers, volumes and images".to_owned());
        }
    }

    pub(super) fn clear_marks(&mut self) {
        let count = self.marks.containers.len() + self.marks.volumes.len() + self.marks.images.len();
        self.marks.clear();
        if count > 0 {
            self.notice = Some(format!("cleared {count} mark{}", if count == 1 { "" } else { "s" }));
        }
    }

    /// Esc with marks set: said first, so one Esc too many does not lose a careful selection.
    pub(super) fn ask_to_clear_marks(&mut self) {
        let count = self.marks.count(self.nav.panel);
        self.notice = Some(format!("{count} marked: Esc again clears the marks (u clears them too)"));
        self.nav.esc_clears_marks = true;
    }

    pub(super) fn create_volume(&mut self) -> Vec<Effect> {
        if self.nav.panel != Panel::Volumes {
            self.notice = Some("c creates a volume: switch to Volumes (2)".to_owned());
        } else if !self.refused_read_only("creating a volume") {
            self.overlay = Some(Overlay::Form(Form::create_volume()));
        }
        vec![]
    }

    pub(super) fn attach_volume(&mut self) -> Vec<Effect> {
        if self.nav.panel != Panel::Volumes {
            self.notice = Some("a attaches a volume to a new container: switch to Volumes (2)".to_owned());
            return vec![];
        }
        let Some(RowKey::Volume(volume)) = self.selected_key() else { return vec![] };
        if self.refused_read_only("attaching a volume") {
            return vec![];
        }
        let references = self.sources.images.iter().map(ImageFacts::reference).collect();
        let mut form = Form::attach(&volume, references);
        // One request at a time, and none once there are images to choose from.
        let load = self.loading.image_list.wants_loading(&self.sources.images);
        let effects = if load { vec![self.loading.ask_images()] } else { vec![] };
        form.images_pending = self.loading.image_list == ImageList::Loading;
        self.overlay = Some(Overlay::Form(form));
        effects
    }

    /// What `P` or `d` acts on, of the objects `of` picks from a row: the marked ones; for a
    /// removal else the selected one; for a prune else the rows the filter shows, else
    /// everything.
    fn pick<K: Ord + Clone>(
        &self,
        marked: &BTreeSet<K>,
        of: impl Fn(RowKey) -> Option<K>,
        removal: bool,
    ) -> Pick<K> {
        let view = self.view();
        let key = |i: &usize| of(self.nav.panel.row_key(&self.inventory, *i));
        if !marked.is_empty() {
            Pick::Chosen(marked.clone())
        } else if removal {
            Pick::Chosen(view.selected_index().as_ref().and_then(key).into_iter().collect())
        } else if !view.filter.is_empty() {
            Pick::Filtered { filter: view.filter.clone(), keys: view.rows.iter().filter_map(key).collect() }
        } else {
            Pick::Everything
        }
    }

    /// The preview of `P` (a prune) or `d` (a removal) in this panel.
    fn removal_subject(&self, removal: bool) -> Option<Subject> {
        let marks = &self.marks;
        Some(match self.nav.panel {
            Panel::Volumes => {
                let pick = self.pick(
                    &marks.volumes,
                    |k| if let RowKey::Volume(n) = k { Some(n) } else { None },
                    removal,
                );
                Subject::Volumes { pick, scope: Scope::Anonymous, label: String::new() }
            }
            Panel::Containers => {
                let pick = self.pick(
                    &marks.containers,
                    |k| if let RowKey::Container(id) = k { Some(id) } else { None },
                    removal,
                );
                Subject::Containers { pick, with_volumes: false, force: false }
            }
            Panel::Images => {
                let pick = self.pick(
                    &marks.images,
                    |k| if let RowKey::Image(id) = k { Some(id) } else { None },
                    removal,
                );
                Subject::Images { pick, scope: ImageScope::Dangling }
            }
            Panel::Binds | Panel::Tmpfs | Panel::BuildCache | Panel::Disk => return None,
        })
    }

    /// `T`: the preview of truncating the marked (or the selected) containers' logs.
    pub(super) fn truncate_logs(&mut self) -> Vec<Effect> {
        if self.nav.panel != Panel::Containers {
            self.notice = Some("T truncates containers' logs: switch to panel 1".to_owned());
            return vec![];
        }
        if self.view().rows.is_empty() || self.refused_read_only("truncating logs") {
            return vec![];
        }
        let Pick::Chosen(ids) = self.pick(
            &self.marks.containers,
            |k| if let RowKey::Container(id) = k { Some(id) } else { None },
            true,
        ) else {
            return vec![];
        };
        self.overlay = Some(Overlay::Confirm(Confirm::new(Subject::Logs { ids }, &self.inventory)));
        vec![]
    }

    pub(super) fn prune(&mut self) -> Vec<Effect> {
        let Some(subject) = self.removal_subject(false) else {
            self.notice =
                Some("P prunes containers, volumes or images: switch to panel 1, 2 or 5".to_owned());
            return vec![];
        };
        if !self.refused_read_only("pruning") {
            self.overlay = Some(Overlay::Confirm(Confirm::new(subject, &self.inventory)));
        }
        vec![]
    }

    pub(super) fn remove(&mut self) -> Vec<Effect> {
        let Some(subject) = self.removal_subject(true) else {
            self.notice =
                Some("d removes containers, volumes or images: switch to panel 1, 2 or 5".to_owned());
            return vec![];
        };
        if self.view().rows.is_empty() || self.refused_read_only("removing") {
            return vec![];
        }
        self.overlay = Some(Overlay::Confirm(Confirm::new(subject, &self.inventory)));
        vec![]
    }

    /// The container of the selected row, in any panel but Volumes.
    pub(super) fn selected_container_id(&self) -> Option<ContainerId> {
        let index = self.view().selected_index()?;
        let inventory = &self.inventory;
        match self.nav.panel {
            Panel::Containers => Some(inventory.containers[index].id.clone()),
            Panel::Volumes | Panel::Images | Panel::BuildCache | Panel::Disk => None,
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
        if !container.state.is_running() {
            self.notice = Some(format!("{} is {}, not running", container.name, container.state));
            return vec![];
        }
        let request = SessionRequest {
            container_id: container.id.clone(),
            container: container.name.clone(),
            command: shell.then(|| self.config.shell_command.clone()),
        };
        if self.refused_read_only(if shell { "a shell" } else { "attaching" }) {
            return vec![];
        }
        vec![Effect::OpenSession(request)]
    }
}
