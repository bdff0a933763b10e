//! Engine results into state: what each answer changes, and what to ask for next.

use std::collections::HashSet;
use std::time::SystemTime;

use super::loading::{backoff, Connection, EventsState, ListKind, Part, Trouble, EVENT_DEBOUNCE};
use super::panel::{Panel, RowKey};
use super::{App, Effect, EngineMsg, Overlay, SessionRequest};
use crate::model::sized::VolumesSized;
use crate::model::{self, ChangeKind, EngineError, Sources, VolumeFacts, VolumeName};

impl App {
    pub(super) fn on_engine(&mut self, msg: EngineMsg) -> Vec<Effect> {
        match msg {
            EngineMsg::DiskProgress { seq, progress } => {
                self.on_disk_progress(seq, progress);
                vec![]
            }
            EngineMsg::DiskWalked { seq, result } => {
                self.on_disk_walked(seq, result);
                vec![]
            }
            EngineMsg::BrowseProgress { seq, progress } => {
                if let Some(Overlay::Browser(browser)) = &mut self.overlay {
                    if browser.seq == seq {
                        browser.progress(progress);
                    }
                }
                vec![]
            }
            EngineMsg::Browsed { seq, result } => {
                if let Some(Overlay::Browser(browser)) = &mut self.overlay {
                    if browser.seq == seq {
                        browser.counted(result);
                    }
                }
                vec![]
            }
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
                let listed: HashSet<&str> = containers.iter().map(|c| c.id.as_str()).collect();
                self.sources.tmpfs.retain(|id, _| listed.contains(id.as_str()));
                self.sources.pids.retain(|id, _| listed.contains(id.as_str()));
                self.sources.state_times.retain(|id, _| listed.contains(id.as_str()));
                self.sources.tmpfs_used.retain(|(id, _), _| listed.contains(id.as_str()));
                self.sources.sizes.containers.retain(|id, _| listed.contains(id.as_str()));
                let sources = &self.sources;
                let sized =
                    |id: &str| sources.tmpfs.contains_key(id) && sources.sizes.containers.contains_key(id);
                let ids = self.loading.containers.plan(seq, containers.iter().map(|c| (&c.id, sized(&c.id))));
                self.sources.containers = containers;
                self.rebuild();
                let mut effects = Vec::new();
                if ids.is_empty() {
                    // Nothing to size: the images' turn may have come.
                    effects.extend(self.size_images_if_due());
                } else {
                    effects.push(Effect::InspectContainers { seq, ids });
                }
                if self.sources.local {
                    let paths = model::Ownership::bind_sources(&self.sources.containers);
                    if !paths.is_empty() {
                        effects.push(Effect::ProbeHostPaths { seq, paths });
                    }
                }
                effects.extend(self.read_tmpfs());
                if self.loading.relist_due() {
                    effects.extend(self.reload(false));
                }
                effects
            }
            EngineMsg::Volumes { seq, volumes } => {
                if !self.loading.accept_list(ListKind::Volumes, seq) {
                    return vec![];
                }
                self.sources.sizes.volumes.retain(|name, _| volumes.iter().any(|v| &v.name == name));
                let sized = &self.sources.sizes.volumes;
                let names = self
                    .loading
                    .volumes
                    .plan(seq, volumes.iter().map(|v| (&v.name, sized.contains_key(&v.name))));
                let names: HashSet<VolumeName> = names.into_iter().collect();
                let asked: Vec<VolumeFacts> =
                    volumes.iter().filter(|v| names.contains(&v.name)).cloned().collect();
                self.sources.volumes = volumes;
                self.rebuild();
                let mut effects = if asked.is_empty() {
                    // Nothing to size: the images' turn, if they are listed.
                    self.size_images_if_due()
                } else {
                    vec![Effect::SizeVolumes { seq, volumes: asked }]
                };
                if self.loading.relist_due() {
                    effects.extend(self.reload(false));
                }
                effects
            }
            EngineMsg::ListFailed { seq, list, error, at } => {
                self.loading.list_failed(list, seq, error, at).map(Effect::RefreshAfter).into_iter().collect()
            }
            EngineMsg::ContainersSized { seq, found } => {
                for (id, sized) in found {
                    self.loading.containers.answered(seq, &id);
                    // Facts about containers still listed are good whatever list asked for them.
                    let (Some(sized), true) = (sized, self.sources.containers.iter().any(|c| c.id == id))
                    else {
                        continue;
                    };
                    if let Some(sizes) = sized.sizes {
                        self.sources.sizes.containers.insert(id.clone(), sizes);
                    }
                    match sized.details.pid {
                        Some(pid) => self.sources.pids.insert(id.clone(), pid),
                        None => self.sources.pids.remove(&id),
                    };
                    self.sources.state_times.insert(id.clone(), sized.details.times);
                    if let Some(Err(why)) = sized.logs.as_ref().map(|log| &log.files) {
                        self.loading.logs_closed |= why.closes_every_log();
                    }
                    match sized.logs {
                        Some(log) => self.sources.logs.insert(id.clone(), log),
                        None => self.sources.logs.remove(&id),
                    };
                    self.sources.tmpfs.insert(id, sized.details.tmpfs);
                }
                self.rebuild();
                let mut effects: Vec<Effect> = self.read_tmpfs().into_iter().collect();
                effects.extend(self.size_images_if_due());
                effects
            }
            EngineMsg::VolumesSized { seq, sized, at } => {
                for piece in sized {
                    self.on_volumes_sized(seq, piece, at);
                }
                let listed: HashSet<&str> = self.sources.containers.iter().map(|c| c.id.as_str()).collect();
                self.sources.sizes.containers.retain(|id, _| listed.contains(id.as_str()));
                self.rebuild();
                self.size_images_if_due()
            }
            EngineMsg::HostPaths { seq, paths } => {
                if seq >= self.loading.generation() {
                    self.sources.host_paths = paths;
                    self.rebuild();
                }
                vec![]
            }
            EngineMsg::TmpfsUsed { seq, used } => {
                // Read every 5 s: most readings change nothing, and then nothing is rebuilt.
                if seq >= self.loading.generation() && used != self.sources.tmpfs_used {
                    self.sources.tmpfs_used = used;
                    self.rebuild();
                }
                vec![]
            }
            EngineMsg::Inspected { target, result } => {
                if let Some(Overlay::Inspect(view)) = &mut self.overlay {
                    if view.target == target {
                        match result {
                            Ok(document) => view.set_document(document),
                            Err(error) => view.set_error(error.to_string()),
                        }
                    }
                }
                vec![]
            }
            EngineMsg::Events(state) => {
                let first_live = self.loading.events == EventsState::Off && state == EventsState::Live;
                self.loading.events = state;
                // A stream that comes back after an outage asks for its own refresh (`RefreshDue`).
                if first_live && self.loading.first_live() {
                    return self.reload(false);
                }
                vec![]
            }
            EngineMsg::Changed(change) => {
                let mut effects = self.log_container_started(change.kind, change.action, &change.id);
                if !change.is_relevant() || !self.loading.connected() {
                    return effects;
                }
                if change.changes_size() {
                    match change.kind {
                        ChangeKind::Container => self.loading.containers.changed(change.id.as_str().into()),
                        ChangeKind::Volume => self.loading.volumes.changed(change.id.as_str().into()),
                        // The image list comes with every refresh; a new or gone image is measured
                        // by the images' own `/system/df` (see `size_images_if_due`).
                        ChangeKind::Image => {}
                    }
                }
                if self.loading.want_refresh() {
                    effects.push(Effect::RefreshAfter(EVENT_DEBOUNCE));
                }
                effects
            }
            EngineMsg::Details(details) => {
                // The data root decides which binds are flagged: build again.
                self.loading.described = true;
                if let Some(details) = details {
                    self.sources.engine.set_details(details);
                    self.rebuild();
                }
                // The images' route depends on the store and the data root.
                self.size_images_if_due()
            }
            EngineMsg::Images { seq, result } => self.on_images(seq, result),
            EngineMsg::ImagesSized(result) => self.on_images_sized(result),
            EngineMsg::Removed(outcome) => {
                self.marks.clear();
                self.overlay = Some(Overlay::Outcome(outcome.into()));
                self.reload(false)
            }
            EngineMsg::VolumeCreated(result) => match result {
                Ok(name) => {
                    self.overlay = None;
                    self.notice = Some(format!("created volume {name}"));
                    self.nav.pending_selection = Some((Panel::Volumes, RowKey::Volume(name)));
                    self.reload(false)
                }
                Err(error) => self.form_failed(error),
            },
            EngineMsg::ContainerCreated { result, name, shell } => match result {
                Ok(id) => {
                    self.overlay = None;
                    let mut effects = self.reload(false);
                    let name =
                        if name.is_empty() { crate::text::format::short_id(&id).to_owned() } else { name };
                    if shell {
                        let command = Some(self.config.shell_command.clone());
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
                self.notice = Some(error.to_string());
                vec![]
            }
            EngineMsg::Controlled { request, result } => self.controlled(request, result),
            EngineMsg::Log { seq, event } => self.on_log(seq, event),
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

    /// Read every running container's tmpfs again (each read replaces the one before).
    pub(super) fn read_tmpfs(&self) -> Option<Effect> {
        let probes: Vec<_> = self.sources.tmpfs_probes().collect();
        (!probes.is_empty()).then_some(Effect::ReadTmpfs { seq: self.loading.generation(), probes })
    }

    /// The lists again, and with them the sizes of what changed. A full refresh measures every
    /// container and volume again (and re-inspects every container); the sizes on screen stay
    /// until the new ones arrive.
    pub(super) fn reload(&mut self, full: bool) -> Vec<Effect> {
        let seq = self.relist(full);
        vec![Effect::LoadLists { seq }, self.loading.ask_images()]
    }

    /// A new generation of lists; a full one measures everything again.
    fn relist(&mut self, full: bool) -> u64 {
        if full {
            for c in &self.sources.containers {
                self.loading.containers.changed(c.id.clone());
            }
            for v in &self.sources.volumes {
                self.loading.volumes.changed(v.name.clone());
            }
            self.refresh_image_sizes();
        }
        self.loading.next_generation()
    }

    fn on_volumes_sized(&mut self, seq: u64, piece: VolumesSized, at: SystemTime) {
        let listed = |sources: &Sources, name: &str| sources.volumes.iter().any(|v| v.name == name);
        match piece {
            VolumesSized::One(name, size) => {
                self.loading.volumes.answered(seq, &name);
                if listed(&self.sources, &name) {
                    self.sources.sizes.volumes.insert(name, size);
                }
            }
            VolumesSized::Engine { names, usage } => {
                for name in &names {
                    self.loading.volumes.answered(seq, name);
                }
                let names: Vec<&VolumeName> =
                    names.iter().filter(|name| listed(&self.sources, name)).collect();
                self.sources.sizes.engine_volumes(&usage, names.into_iter().map(VolumeName::as_str));
                self.sources.sizes.engine_containers(&usage);
                // A `/system/df` that measured everything measured the images too.
                self.images_measured_by(&usage);
                self.loading.clear_trouble(Part::Sizes);
            }
            VolumesSized::Failed { names, error } => {
                for name in &names {
                    self.loading.volumes.answered(seq, name);
                }
                self.loading.trouble = Some(Trouble { part: Part::Sizes, error, at });
            }
        }
    }

    /// The model again from the sources, keeping each panel's selection on the same object.
    pub(super) fn rebuild(&mut self) {
        // The root's walk is not built from the sources: it stays until walked again.
        let disk = self.inventory.disk.take();
        let disk_lines = std::mem::take(&mut self.inventory.disk_lines);
        self.inventory = model::build(&self.sources);
        self.inventory.disk = disk;
        self.inventory.disk_lines = disk_lines;
        for panel in Panel::ALL {
            self.refresh_rows(panel);
        }
        if let Some(Overlay::Control(menu)) = &mut self.overlay {
            menu.refresh(&self.inventory);
        }
        if let Some((panel, key)) = self.nav.pending_selection.clone() {
            let shown =
                self.nav.views[panel.index()].rows.iter().any(|&i| panel.row_key(&self.inventory, i) == key);
            if shown && self.overlay.is_none() {
                self.nav.pending_selection = None;
                self.select_key(panel, &key);
            }
        }
    }

    pub(super) fn form_failed(&mut self, error: EngineError) -> Vec<Effect> {
        let error = error.to_string();
        if let Some(Overlay::Form(form)) = &mut self.overlay {
            form.working = false;
            form.error = Some(error);
        } else {
            self.notice = Some(error);
        }
        vec![]
    }
}
