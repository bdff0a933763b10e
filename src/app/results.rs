//! Engine results into state: what each answer changes, and what to ask for next.

use super::form::{FormKind, ImageList};
use super::panel::Panel;
use super::{App, Effect, EngineMsg, Overlay, SessionRequest, Status, EVENT_DEBOUNCE};
use crate::engine::{Change, ChangeKind};
use crate::model::{self, ImageFacts};

impl App {
    pub(super) fn on_engine(&mut self, msg: EngineMsg) -> Vec<Effect> {
        match msg {
            EngineMsg::Connected(info) => {
                self.sources.engine = info;
                self.status.connecting = false;
                self.status.connected = true;
                self.status.error = None;
                let mut effects = self.reload(true);
                effects.push(Effect::Describe);
                if !self.watching_events {
                    self.watching_events = true;
                    effects.push(Effect::WatchEvents);
                }
                self.rebuild();
                effects
            }
            EngineMsg::Containers { seq, containers } if seq >= self.applied_containers => {
                self.applied_containers = seq;
                self.status.lists_loading = self.applied_volumes < seq;
                self.sources.tmpfs.retain(|id, _| containers.iter().any(|c| &c.id == id));
                let uninspected: Vec<String> = containers
                    .iter()
                    .filter(|c| !self.sources.tmpfs.contains_key(&c.id))
                    .map(|c| c.id.clone())
                    .collect();
                self.sources.containers = containers;
                self.rebuild();
                let mut effects = Vec::new();
                if !uninspected.is_empty() {
                    self.status.tmpfs_pending = uninspected.len();
                    effects.push(Effect::InspectTmpfs(uninspected));
                }
                if self.local {
                    let paths = model::Ownership::bind_sources(&self.sources.containers);
                    if !paths.is_empty() {
                        effects.push(Effect::ProbeHostPaths(paths));
                    }
                }
                effects
            }
            EngineMsg::Volumes { seq, volumes } if seq >= self.applied_volumes => {
                self.applied_volumes = seq;
                self.status.lists_loading = self.applied_containers < seq;
                self.sources.volumes = volumes;
                self.rebuild();
                vec![]
            }
            EngineMsg::Containers { .. } | EngineMsg::Volumes { .. } => vec![],
            EngineMsg::DiskUsage(usage) => {
                self.sources.disk_usage = Some(usage);
                self.status.sizes_error = None;
                self.rebuild();
                self.sizes_done()
            }
            EngineMsg::SizesFailed(error) => {
                self.status.sizes_error = Some(error);
                self.sizes_done()
            }
            EngineMsg::Tmpfs(found) => {
                self.status.tmpfs_pending = self.status.tmpfs_pending.saturating_sub(found.len());
                self.sources.tmpfs.extend(found);
                self.rebuild();
                vec![]
            }
            EngineMsg::HostPaths(paths) => {
                self.sources.host_paths = paths;
                self.rebuild();
                vec![]
            }
            EngineMsg::Inspected { target, result } => {
                if let Some(Overlay::Inspect(view)) = &mut self.overlay {
                    if view.target == target {
                        match result {
                            Ok(document) => view.set_document(document),
                            Err(error) => view.set_error(error),
                        }
                    }
                }
                vec![]
            }
            EngineMsg::Failed(error) => {
                self.status =
                    Status { error: Some(error), events: self.status.events.clone(), ..Status::default() };
                vec![]
            }
            EngineMsg::Events(state) => {
                self.status.events = state;
                vec![]
            }
            EngineMsg::Changed(change) => {
                if !is_relevant(&change) || self.refresh_pending || !self.status.connected {
                    return vec![];
                }
                self.refresh_pending = true;
                vec![Effect::RefreshAfter(EVENT_DEBOUNCE)]
            }
            EngineMsg::StorageDriver(driver) => {
                self.sources.engine.storage_driver = driver;
                self.inventory.engine.storage_driver = self.sources.engine.storage_driver.clone();
                vec![]
            }
            EngineMsg::Images(result) => self.on_images(result),
            EngineMsg::Removed(outcome) => {
                for marks in &mut self.marks {
                    marks.clear();
                }
                self.overlay = Some(Overlay::Outcome(outcome.into()));
                self.reload(false)
            }
            EngineMsg::VolumeCreated(result) => match result {
                Ok(name) => {
                    self.overlay = None;
                    self.notice = Some(format!("created volume {name}"));
                    self.pending_selection = Some((Panel::Volumes, name));
                    self.reload(false)
                }
                Err(error) => self.form_failed(error),
            },
            EngineMsg::ContainerCreated { result, name, shell } => match result {
                Ok(id) => {
                    self.overlay = None;
                    let mut effects = self.reload(false);
                    let name = if name.is_empty() { crate::format::short_id(&id).to_owned() } else { name };
                    if shell {
                        let command = Some(self.shell_command.clone());
                        effects.push(Effect::OpenSession(SessionRequest {
                            container_id: id,
                            container: name,
                            command,
                        }));
                    } else {
                        self.notice = Some(format!("started container {name}"));
                    }
                    effects
                }
                Err(error) => self.form_failed(error),
            },
            EngineMsg::SessionEnded { name, result } => {
                self.notice = Some(match result {
                    Ok(()) => format!("back from {name}"),
                    Err(error) => format!("session in {name} failed: {error}"),
                });
                self.reload(false)
            }
            EngineMsg::RefreshDue => {
                self.refresh_pending = false;
                if self.status.connected {
                    self.reload(false)
                } else {
                    vec![]
                }
            }
        }
    }

    /// Lists and sizes again. A full refresh also re-inspects every container.
    pub(super) fn reload(&mut self, full: bool) -> Vec<Effect> {
        if full {
            self.sources.tmpfs.clear();
        }
        self.next_seq += 1;
        self.status.lists_loading = true;
        let mut effects = vec![Effect::LoadLists { seq: self.next_seq }];
        // The engine runs one disk usage at a time; a request during one is served after it.
        if self.status.sizes_loading {
            self.sizes_again = true;
        } else {
            self.status.sizes_loading = true;
            effects.push(Effect::LoadSizes);
        }
        effects
    }

    pub(super) fn sizes_done(&mut self) -> Vec<Effect> {
        if std::mem::take(&mut self.sizes_again) {
            vec![Effect::LoadSizes]
        } else {
            self.status.sizes_loading = false;
            vec![]
        }
    }

    /// The model again from the sources, keeping each panel's selection on the same object.
    pub(super) fn rebuild(&mut self) {
        self.inventory = model::build(&self.sources);
        for panel in Panel::ALL {
            self.refresh_rows(panel);
        }
        if let Some((panel, key)) = self.pending_selection.clone() {
            let shown =
                self.views[panel.index()].rows.iter().any(|&i| panel.row_key(&self.inventory, i) == key);
            if shown && self.overlay.is_none() {
                self.pending_selection = None;
                self.select_key(panel, &key);
            }
        }
    }

    pub(super) fn form_failed(&mut self, error: String) -> Vec<Effect> {
        if let Some(Overlay::Form(form)) = &mut self.overlay {
            form.working = false;
            form.error = Some(error);
        } else {
            self.notice = Some(error);
        }
        vec![]
    }

    /// The image list fills an open attach form in place; it is kept for the next form too.
    pub(super) fn on_images(&mut self, result: Result<Vec<ImageFacts>, String>) -> Vec<Effect> {
        let attach_form = match &mut self.overlay {
            Some(Overlay::Form(form)) if matches!(form.kind, FormKind::Attach { .. }) => Some(form),
            _ => None,
        };
        match result {
            Ok(images) => {
                if let Some(form) = attach_form {
                    form.set_images(images.iter().map(ImageFacts::reference).collect());
                }
                self.images = ImageList::Loaded(images);
            }
            Err(error) => {
                if let Some(form) = attach_form {
                    form.images_failed(&error);
                }
                self.images = ImageList::Failed;
            }
        }
        vec![]
    }
}

/// Changes that alter what the panels show (not exec, attach, top, …).
fn is_relevant(change: &Change) -> bool {
    let action = change.action.split(':').next().unwrap_or_default();
    match change.kind {
        ChangeKind::Container => {
            matches!(
                action,
                "create" | "destroy" | "start" | "die" | "stop" | "pause" | "unpause" | "rename" | "update"
            )
        }
        ChangeKind::Volume => matches!(action, "create" | "destroy" | "mount" | "unmount"),
    }
}
