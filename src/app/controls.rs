//! `x`: start, stop, restart, pause, unpause or kill the selected container, from a small menu of
//! what applies to its state. Stop and kill are confirmed first; the engine's answer comes back
//! as a message, and the row changes when the engine's events say so.

use crossterm::event::{KeyCode, KeyEvent};

use super::panel::{Panel, RowKey};
use super::{Action, App, Effect, Focus, Overlay};
use crate::model::controls::{Control, ControlRequest};
use crate::model::{ContainerId, ContainerState, EngineError, Inventory};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    Choosing,
    /// Stop or kill, waiting for a yes.
    Confirming(Control),
    /// Sent; waiting for the engine's answer.
    Working(Control),
    /// The engine refused or failed: its whole message.
    Failed {
        control: Control,
        message: String,
    },
}

#[derive(Debug, Clone)]
pub struct ControlMenu {
    pub container: ContainerId,
    pub name: String,
    pub state: ContainerState,
    /// It has tmpfs mounts, whose contents a stop or a kill throws away.
    pub tmpfs: bool,
    /// What applies to `state`, in the menu's order.
    pub controls: Vec<Control>,
    pub selected: usize,
    pub stage: Stage,
}

/// What a key in the menu asks for.
pub enum MenuAnswer {
    Stay,
    Close,
    Go(ControlRequest),
}

impl ControlMenu {
    fn new(container: ContainerId, name: String, state: ContainerState, inventory: &Inventory) -> Self {
        let controls = Control::for_state(&state).to_vec();
        let tmpfs = inventory.tmpfs_mounts.iter().any(|t| t.container_id == container);
        ControlMenu { container, name, state, tmpfs, controls, selected: 0, stage: Stage::Choosing }
    }

    /// The container changed while the menu was open (an event): offer what applies now,
    /// keeping the highlighted control if it still does.
    pub fn refresh(&mut self, inventory: &Inventory) {
        let Some(container) = inventory.container(&self.container) else { return };
        if self.stage != Stage::Choosing || container.state == self.state {
            return;
        }
        let highlighted = self.controls.get(self.selected).copied();
        self.state = container.state.clone();
        self.controls = Control::for_state(&self.state).to_vec();
        self.selected = highlighted.and_then(|c| self.controls.iter().position(|&o| o == c)).unwrap_or(0);
    }

    fn request(&self, control: Control) -> ControlRequest {
        ControlRequest { id: self.container.clone(), name: self.name.clone(), control }
    }

    /// A control chosen: asked about first if it ends the container's work.
    fn choose(&mut self, control: Control) -> MenuAnswer {
        if control.needs_confirmation() {
            self.stage = Stage::Confirming(control);
            MenuAnswer::Stay
        } else {
            self.stage = Stage::Working(control);
            MenuAnswer::Go(self.request(control))
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> MenuAnswer {
        match self.stage.clone() {
            Stage::Choosing => match key.code {
                KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('x') => MenuAnswer::Close,
                KeyCode::Up | KeyCode::Char('k') => {
                    self.selected = self.selected.saturating_sub(1);
                    MenuAnswer::Stay
                }
                KeyCode::Down | KeyCode::Char('j') => {
                    self.selected = (self.selected + 1).min(self.controls.len().saturating_sub(1));
                    MenuAnswer::Stay
                }
                KeyCode::Enter => match self.controls.get(self.selected) {
                    Some(&control) => self.choose(control),
                    None => MenuAnswer::Close,
                },
                KeyCode::Char(c) => match self.controls.iter().find(|control| control.key() == c) {
                    Some(&control) => self.choose(control),
                    None => MenuAnswer::Stay,
                },
                _ => MenuAnswer::Stay,
            },
            Stage::Confirming(control) => match key.code {
                KeyCode::Enter | KeyCode::Char('y') => {
                    self.stage = Stage::Working(control);
                    MenuAnswer::Go(self.request(control))
                }
                KeyCode::Esc | KeyCode::Char('n') => {
                    self.stage = Stage::Choosing;
                    MenuAnswer::Stay
                }
                _ => MenuAnswer::Stay,
            },
            // The engine's answer comes as a notice if the dialog is gone by then.
            Stage::Working(_) => match key.code {
                KeyCode::Esc => MenuAnswer::Close,
                _ => MenuAnswer::Stay,
            },
            Stage::Failed { .. } => match key.code {
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => MenuAnswer::Close,
                _ => MenuAnswer::Stay,
            },
        }
    }
}

impl App {
    /// The container `x` and `L` act on: the selected one on Containers (its detail pane
    /// included), the one a bind or tmpfs row belongs to, or the container a link in the detail
    /// pane points at (a volume's or an image's users).
    pub(super) fn target_container(&self) -> Option<ContainerId> {
        if self.nav.focus == Focus::Detail && self.nav.panel != Panel::Containers {
            if let Some(RowKey::Container(id)) = self.links().get(self.nav.link).map(|l| l.key.clone()) {
                return Some(id);
            }
        }
        self.selected_container_id()
    }

    /// `x`: the controls that apply to the container's state now.
    pub(super) fn open_controls(&mut self) -> Vec<Effect> {
        let Some(container) = self.target_container().and_then(|id| self.inventory.container(&id)) else {
            self.notice = Some("x controls a container: select one (1), or a bind or tmpfs row".to_owned());
            return vec![];
        };
        let (id, name, state) = (container.id.clone(), container.name.clone(), container.state.clone());
        let menu = ControlMenu::new(id, name, state, &self.inventory);
        if menu.controls.is_empty() {
            self.notice =
                Some(format!("{} is {}: nothing to start or stop", container.name, container.state));
            return vec![];
        }
        if !self.refused_read_only("controlling containers") {
            self.overlay = Some(Overlay::Control(menu));
        }
        vec![]
    }

    /// What the engine said to a control. Success closes the dialog (the row follows from the
    /// engine's events); a failure shows the engine's whole message.
    pub(super) fn controlled(
        &mut self,
        request: ControlRequest,
        result: Result<(), EngineError>,
    ) -> Vec<Effect> {
        let ours = |overlay: &Option<Overlay>| {
            matches!(overlay, Some(Overlay::Control(menu))
                if menu.container == request.id && menu.stage == Stage::Working(request.control))
        };
        match result {
            Ok(()) => {
                if ours(&self.overlay) {
                    self.overlay = None;
                }
                self.notice = Some(format!("{} {}", request.control.done(), request.name));
                // Without a live event stream nothing else would show the new state.
                if self.loading.events == super::EventsState::Live {
                    vec![]
                } else {
                    self.reload(false)
                }
            }
            Err(error) => {
                let message = error.to_string();
                let waiting = ours(&self.overlay);
                match &mut self.overlay {
                    Some(Overlay::Control(menu)) if waiting => {
                        menu.stage = Stage::Failed { control: request.control, message };
                    }
                    None => {
                        let state = self.container_state(&request.id).cloned().unwrap_or_default();
                        let mut menu = ControlMenu::new(
                            request.id.clone(),
                            request.name.clone(),
                            state,
                            &self.inventory,
                        );
                        menu.stage = Stage::Failed { control: request.control, message };
                        self.overlay = Some(Overlay::Control(menu));
                    }
                    Some(_) => self.notice = Some(message),
                }
                vec![]
            }
        }
    }
}

/// A key in the menu, into effects.
pub(super) fn menu_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(Overlay::Control(menu)) = &mut app.overlay else { return vec![] };
    match menu.on_key(key) {
        MenuAnswer::Stay => vec![],
        MenuAnswer::Close => {
            app.overlay = None;
            vec![]
        }
        MenuAnswer::Go(request) => vec![Effect::Perform(Action::Control(request))],
    }
}
