//! Engine results into state: what each answer changes, and what to ask for next.

use super::form::{FormKind, ImageList};
use super::loading::{backoff, Connection, ListKind, Part, Trouble, EVENT_DEBOUNCE};
use super::panel::Panel;
use super::{App, Effect, EngineMsg, Overlay, SessionRequest};
use crate::engine::{Change, ChangeKind};
use crate::model::{self, ImageFacts};

impl App {
    pub(super) fn on_engine(&mut self, msg: EngineMsg) -> Vec<Effect> {
        match msg {
            EngineMsg::Connected(info) => {
                self.sources.engine = info;
                self.loading.connection = Connection::Connected;
                let mut effects = self.reload(true);
                effects.push(Effect::Describe);
                if self.loading.start_watching() {
                    effects.push(Effect::WatchEvents);
                }
                self.rebuild();
                effects
            }
            EngineMsg::ConnectFailed { error, at } => {
                let attempt = match &self.loading.connection {
                    Connection::Unreachable { attempt, .. } => attempt + 1,
                    _ => 0,
                };
                self.loading.connection = Connection::Unreachable { error, at, attempt };
                vec![Effect::ConnectAfter(backoff(attempt))]
            }
            EngineMsg::Containers { seq, containers } => {
                if !self.loading.accept_list(ListKind::Containers, seq) {
                    return vec![];
                }
                self.sources.tmpfs.retain(|id, _| containers.iter().any(|c| &c.id == id));
                let uninspected: Vec<String> = containers
                    .iter()
                    .filter(|c| !self.sources.tmpfs.contains_key(&c.id))
                    .map(|c| c.id.clone())
                    .collect();
                self.sources.containers = containers;
                self.rebuild();
                // Replaces any inspection still running for an older list.
                self.loading.tmpfs_pending = uninspected.len();
                let mut effects = Vec::new();
                if !uninspected.is_empty() {
                    effects.push(Effect::InspectTmpfs { seq, ids: uninspected });
                }
                if self.local {
                    let paths = model::Ownership::bind_sources(&self.sources.containers);
                    if !paths.is_empty() {
                        effects.push(Effect::ProbeHostPaths { seq, paths });
                    }
                }
                effects
            }
            EngineMsg::Volumes { seq, volumes } => {
                if self.loading.accept_list(ListKind::Volumes, seq) {
                    self.sources.volumes = volumes;
                    self.rebuild();
                }
                vec![]
            }
            EngineMsg::ListFailed { seq, list, error, at } => {
                match self.loading.list_failed(list, seq, error, at) {
                    Some(delay) => vec![Effect::RefreshAfter(delay)],
                    None => vec![],
                }
            }
            EngineMsg::DiskUsage(usage) => {
                self.sources.disk_usage = Some(usage);
                self.loading.clear_trouble(Part::Sizes);
                self.rebuild();
                self.sizes_done()
            }
            EngineMsg::SizesFailed { error, at } => {
                self.loading.trouble = Some(Trouble { part: Part::Sizes, error, at });
                self.sizes_done()
            }
            EngineMsg::Tmpfs { seq, found } => {
                if seq == self.loading.generation() {
                    self.loading.tmpfs_pending = self.loading.tmpfs_pending.saturating_sub(found.len());
                }
                // Facts about containers still listed are good whatever list asked for them.
                let listed: Vec<_> = found
                    .into_iter()
                    .filter(|(id, _)| self.sources.containers.iter().any(|c| &c.id == id))
                    .collect();
                if !listed.is_empty() {
                    self.sources.tmpfs.extend(listed);
                    self.rebuild();
                }
                vec![]
            }
            EngineMsg::HostPaths { seq, paths } => {
                if seq >= self.loading.generation() {
                    self.sources.host_paths = paths;
                    self.rebuild();
                }
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
            EngineMsg::Events(state) => {
                self.loading.events = state;
                vec![]
            }
            EngineMsg::Changed(change) => {
                if !is_relevant(&change) || !self.loading.connected() || !self.loading.want_refresh() {
                    return vec![];
                }
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
            EngineMsg::ContextsListed(rows) => {
                if let Some(Overlay::Engines(picker)) = &mut self.overlay {
                    picker.set_rows(rows);
                }
                vec![]
            }
            EngineMsg::ContextReach { name, reach } => {
                if let Some(Overlay::Engines(picker)) = &mut self.overlay {
                    picker.set_reach(&name, reach);
                }
                vec![]
            }
            EngineMsg::SwitchFailed(error) => {
                self.notice = Some(error);
                vec![]
            }
            // A refresh the events asked for (a burst ended, or the stream came back after an
            // outage): the lists again; or, if the engine was never reached, a connect now.
            EngineMsg::RefreshDue => {
                self.loading.refresh_fired();
                match self.loading.connection {
                    Connection::Connected => self.reload(false),
                    Connection::Unreachable { .. } => vec![Effect::Connect],
                    Connection::Connecting => vec![],
                }
            }
        }
    }

    /// Lists and sizes again. A full refresh also re-inspects every container.
    pub(super) fn reload(&mut self, full: bool) -> Vec<Effect> {
        if full {
            self.sources.tmpfs.clear();
        }
        let seq = self.loading.next_generation();
        let mut effects = vec![Effect::LoadLists { seq }];
        if self.loading.start_sizes() {
            effects.push(Effect::LoadSizes);
        }
        effects
    }

    pub(super) fn sizes_done(&mut self) -> Vec<Effect> {
        if self.loading.sizes_done() {
            vec![Effect::LoadSizes]
        } else {
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
                "create"
                    | "destroy"
                    | "remove"
                    | "start"
                    | "die"
                    | "stop"
                    | "pause"
                    | "unpause"
                    | "rename"
                    | "update"
            )
        }
        // Podman says `remove` where Docker says `destroy`.
        ChangeKind::Volume => matches!(action, "create" | "destroy" | "remove" | "mount" | "unmount"),
    }
}
