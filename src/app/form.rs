//! Forms: create a volume; start a container on a volume. Input is checked with Docker's rules
//! before anything is sent; the engine's own refusals come back into the form.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::input::TextInput;
use crate::model::spec::{ContainerSpec, VolumeSpec};
use crate::model::{validate, ImageFacts};

/// Each field of each form, so the form is read by id and never by the words on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    Name,
    Driver,
    Labels,
    DriverOptions,
    Image,
    MountPath,
    ReadOnly,
    Command,
    Network,
    Then,
}

impl FieldId {
    pub fn label(self) -> &'static str {
        match self {
            FieldId::Name => "Name",
            FieldId::Driver => "Driver",
            FieldId::Labels => "Labels",
            FieldId::DriverOptions => "Driver options",
            FieldId::Image => "Image",
            FieldId::MountPath => "Mount path",
            FieldId::ReadOnly => "Read-only",
            FieldId::Command => "Command",
            FieldId::Network => "Network",
            FieldId::Then => "Then",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Text(TextInput),
    Toggle(bool),
    /// One of `options`; `selected` indexes it (and means nothing while it is empty).
    Choice {
        options: Vec<String>,
        selected: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Field {
    pub id: FieldId,
    pub input: Input,
    pub hint: &'static str,
}

impl Field {
    /// The chosen option, or `None` for an empty choice or another kind of input.
    fn chosen(&self) -> Option<&str> {
        match &self.input {
            Input::Choice { options, selected } => options.get(*selected).map(String::as_str),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    CreateVolume,
    /// A new container that mounts this volume.
    Attach {
        volume: String,
    },
}

#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    pub working: bool,
    /// The local images are still being listed: the Image choice fills in when they arrive.
    pub images_pending: bool,
}

/// What the form asks to be done once its input checks out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submit {
    CreateVolume(VolumeSpec),
    CreateContainer { spec: ContainerSpec, shell: bool },
}

pub enum FormAnswer {
    Stay,
    Cancel,
    Submit(Submit),
}

/// What happens once the new container exists, in the order the Then choice offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterStart {
    Detached,
    Shell,
}

impl AfterStart {
    pub const ALL: [AfterStart; 2] = [AfterStart::Detached, AfterStart::Shell];

    pub fn label(self) -> &'static str {
        match self {
            AfterStart::Detached => "start detached",
            AfterStart::Shell => "start and open a shell",
        }
    }
}

/// Network modes offered, the engine's own words; the first is the default.
pub const NETWORKS: [&str; 3] = ["none", "bridge", "host"];

fn text(id: FieldId, value: &str, hint: &'static str) -> Field {
    Field { id, input: Input::Text(TextInput::new(value)), hint }
}

fn choice(id: FieldId, options: Vec<String>) -> Field {
    Field { id, input: Input::Choice { options, selected: 0 }, hint: "←/→ to choose" }
}

/// Where the image list stands (the list itself is `Sources::images`, shared with the Images
/// panel): listed with every refresh, and asked for when the attach form opens without one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ImageList {
    #[default]
    NotLoaded,
    Loading,
    Loaded,
    Failed,
}

impl ImageList {
    /// Whether opening the form should ask the engine: never asked, the last try failed, or the
    /// engine had none (one may have been imported since).
    pub fn wants_loading(self, images: &[ImageFacts]) -> bool {
        match self {
            ImageList::NotLoaded | ImageList::Failed => true,
            ImageList::Loaded => images.is_empty(),
            ImageList::Loading => false,
        }
    }
}

impl Form {
    pub fn create_volume() -> Self {
        Form {
            kind: FormKind::CreateVolume,
            fields: vec![
                text(FieldId::Name, "", "empty: an anonymous volume, named by the engine"),
                text(FieldId::Driver, "local", ""),
                text(FieldId::Labels, "", "key=value, key2=value2"),
                text(FieldId::DriverOptions, "", "key=value, e.g. type=tmpfs,device=tmpfs"),
            ],
            focus: 0,
            error: None,
            working: false,
            images_pending: false,
        }
    }

    /// `images` are the local image references; the form needs at least one.
    pub fn attach(volume: &str, images: Vec<String>) -> Self {
        Form {
            kind: FormKind::Attach { volume: volume.to_owned() },
            fields: vec![
                choice(FieldId::Image, images),
                text(FieldId::MountPath, "/data", "where the volume appears in the container"),
                Field { id: FieldId::ReadOnly, input: Input::Toggle(false), hint: "space toggles" },
                text(FieldId::Name, "", "empty: the engine picks one"),
                text(FieldId::Command, "", "empty: the image's own; quotes group words"),
                text(FieldId::Labels, "", "key=value, key2=value2"),
                choice(FieldId::Network, NETWORKS.map(str::to_owned).to_vec()),
                choice(FieldId::Then, AfterStart::ALL.map(|a| a.label().to_owned()).to_vec()),
            ],
            focus: 1,
            error: None,
            working: false,
            images_pending: false,
        }
    }

    pub fn title(&self) -> String {
        match &self.kind {
            FormKind::CreateVolume => "Create a volume".to_owned(),
            FormKind::Attach { volume } => format!("New container on volume {volume}"),
        }
    }

    fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// A text field's value, trimmed.
    fn value(&self, id: FieldId) -> &str {
        match self.field(id).map(|f| &f.input) {
            Some(Input::Text(value)) => value.text().trim(),
            _ => "",
        }
    }

    fn toggled(&self, id: FieldId) -> bool {
        matches!(self.field(id).map(|f| &f.input), Some(Input::Toggle(true)))
    }

    fn chosen(&self, id: FieldId) -> &str {
        self.field(id).and_then(Field::chosen).unwrap_or_default()
    }

    fn chosen_index(&self, id: FieldId) -> usize {
        match self.field(id).map(|f| &f.input) {
            Some(Input::Choice { selected, .. }) => *selected,
            _ => 0,
        }
    }

    /// A late image list fills the Image choice in place: what was typed, the focus, the choice
    /// already made and whether the form is with the engine all stay as they are.
    pub fn set_images(&mut self, images: Vec<String>) {
        self.images_pending = false;
        let Some(field) = self.fields.iter_mut().find(|f| f.id == FieldId::Image) else { return };
        let current = field.chosen().map(str::to_owned);
        let selected = current.and_then(|c| images.iter().position(|i| *i == c)).unwrap_or(0);
        field.input = Input::Choice { options: images, selected };
    }

    /// The image list could not be had: the form says so, and stays open.
    pub fn images_failed(&mut self, error: &crate::model::EngineError) {
        self.images_pending = false;
        self.error = Some(format!("listing images failed: {error}"));
    }

    /// The focused field's kind of input, for the footer's keys.
    pub fn focused(&self) -> &Input {
        &self.fields[self.focus].input
    }

    pub fn on_key(&mut self, key: KeyEvent) -> FormAnswer {
        if self.working {
            return FormAnswer::Stay;
        }
        let count = self.fields.len();
        let field = &mut self.fields[self.focus];
        let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match (key.code, &mut field.input) {
            (KeyCode::Esc, _) => return FormAnswer::Cancel,
            (KeyCode::Enter, _) => match self.submit() {
                Ok(submit) => {
                    self.error = None;
                    self.working = true;
                    return FormAnswer::Submit(submit);
                }
                Err(why) => self.error = Some(why),
            },
            (KeyCode::Tab | KeyCode::Down, _) => self.focus = (self.focus + 1) % count,
            (KeyCode::BackTab | KeyCode::Up, _) => self.focus = (self.focus + count - 1) % count,
            (_, Input::Text(value)) => {
                value.on_key(key);
            }
            (KeyCode::Char(' '), Input::Toggle(on)) if plain => *on = !*on,
            // Only arrows change a choice: a space typed by mistake leaves it as it is.
            (KeyCode::Left | KeyCode::Right, Input::Choice { options, selected }) if !options.is_empty() => {
                let step = if key.code == KeyCode::Left { options.len() - 1 } else { 1 };
                *selected = (*selected + step) % options.len();
            }
            // A letter picks the next option starting with it.
            (KeyCode::Char(c), Input::Choice { options, selected }) if plain && !options.is_empty() => {
                let starts = |o: &String| o.chars().next().is_some_and(|f| f.eq_ignore_ascii_case(&c));
                let next = (1..=options.len())
                    .map(|i| (*selected + i) % options.len())
                    .find(|&i| starts(&options[i]));
                if let Some(next) = next {
                    *selected = next;
                }
            }
            _ => {}
        }
        // An error shown goes once what was typed is valid (or says what is wrong now).
        if self.error.is_some() && !self.working {
            self.error = self.submit().err();
        }
        FormAnswer::Stay
    }

    /// Checks every field; the first problem is the answer.
    pub fn submit(&self) -> Result<Submit, String> {
        match &self.kind {
            FormKind::CreateVolume => {
                let name = self.value(FieldId::Name).to_owned();
                if !name.is_empty() {
                    validate::docker_name(&name)?;
                }
                let driver = self.value(FieldId::Driver);
                Ok(Submit::CreateVolume(VolumeSpec {
                    name,
                    driver: if driver.is_empty() { "local" } else { driver }.to_owned(),
                    labels: validate::key_values(self.value(FieldId::Labels))?,
                    options: validate::key_values(self.value(FieldId::DriverOptions))?,
                }))
            }
            FormKind::Attach { volume } => {
                let image = self.chosen(FieldId::Image).to_owned();
                if image.is_empty() && self.images_pending {
                    return Err("the local images are still being listed: a moment".to_owned());
                }
                if image.is_empty() {
                    return Err("no local image to run: import or build one first".to_owned());
                }
                let mount_path = self.value(FieldId::MountPath).to_owned();
                validate::mount_path(&mount_path)?;
                let name = self.value(FieldId::Name).to_owned();
                if !name.is_empty() {
                    validate::docker_name(&name)?;
                }
                let after = AfterStart::ALL.get(self.chosen_index(FieldId::Then)).copied();
                Ok(Submit::CreateContainer {
                    spec: ContainerSpec {
                        image,
                        name,
                        command: validate::command_words(self.value(FieldId::Command))?,
                        volume: volume.clone(),
                        mount_path,
                        read_only: self.toggled(FieldId::ReadOnly),
                        network_mode: self.chosen(FieldId::Network).to_owned(),
                        labels: validate::key_values(self.value(FieldId::Labels))?,
                        interactive: true,
                    },
                    shell: after == Some(AfterStart::Shell),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn type_into(form: &mut Form, text: &str) {
        for c in text.chars() {
            form.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    fn press(form: &mut Form, code: KeyCode) -> FormAnswer {
        form.on_key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn an_invalid_volume_name_stays_in_the_form_with_the_reason() {
        let mut form = Form::create_volume();
        type_into(&mut form, "bad name!");
        assert!(matches!(press(&mut form, KeyCode::Enter), FormAnswer::Stay));
        assert!(form.error.as_deref().unwrap().contains("not a valid name"));
        assert!(!form.working);
    }

    #[test]
    fn a_volume_with_labels_and_options() {
        let mut form = Form::create_volume();
        type_into(&mut form, "cache");
        press(&mut form, KeyCode::Tab);
        press(&mut form, KeyCode::Tab);
        type_into(&mut form, "team=ops, tier=db");
        let FormAnswer::Submit(Submit::CreateVolume(spec)) = press(&mut form, KeyCode::Enter) else {
            panic!()
        };
        assert_eq!(spec.name, "cache");
        assert_eq!(spec.driver, "local");
        assert_eq!(spec.labels, [("team".into(), "ops".into()), ("tier".into(), "db".into())]);
    }

    #[test]
    fn attach_defaults_to_data_read_write_no_network_and_the_images_command() {
        let mut form = Form::attach("pgdata", vec!["busybox:latest".into(), "alpine:3".into()]);
        let FormAnswer::Submit(Submit::CreateContainer { spec, shell }) = press(&mut form, KeyCode::Enter)
        else {
            panic!("{:?}", form.error)
        };
        assert_eq!(
            (spec.image.as_str(), spec.mount_path.as_str(), spec.read_only, spec.network_mode.as_str()),
            ("busybox:latest", "/data", false, "none")
        );
        assert!(spec.command.is_empty() && !shell);
        assert_eq!(spec.volume, "pgdata");
    }

    #[test]
    fn attach_choices_toggle_and_cycle() {
        let mut form = Form::attach("v", vec!["a:1".into(), "b:2".into()]);
        press(&mut form, KeyCode::Up); // image
        press(&mut form, KeyCode::Right);
        press(&mut form, KeyCode::Down);
        press(&mut form, KeyCode::Down); // read-only
        press(&mut form, KeyCode::Char(' '));
        for _ in 0..5 {
            press(&mut form, KeyCode::Down); // then
        }
        press(&mut form, KeyCode::Right);
        let FormAnswer::Submit(Submit::CreateContainer { spec, shell }) = press(&mut form, KeyCode::Enter)
        else {
            panic!()
        };
        assert_eq!((spec.image.as_str(), spec.read_only, shell), ("b:2", true, true));
    }

    #[test]
    fn images_arriving_late_fill_the_choice_and_keep_what_was_typed() {
        let mut form = Form::attach("v", vec![]);
        form.images_pending = true;
        press(&mut form, KeyCode::Down);
        press(&mut form, KeyCode::Down); // name
        type_into(&mut form, "mine");
        press(&mut form, KeyCode::Enter);
        assert!(form.error.as_deref().unwrap().contains("still being listed"));
        form.set_images(vec!["a:1".into(), "b:2".into()]);
        assert_eq!((form.focus, form.value(FieldId::Name)), (3, "mine"));
        assert_eq!(form.chosen(FieldId::Image), "a:1");
        let FormAnswer::Submit(Submit::CreateContainer { spec, .. }) = press(&mut form, KeyCode::Enter)
        else {
            panic!("{:?}", form.error)
        };
        assert_eq!((spec.image.as_str(), spec.name.as_str()), ("a:1", "mine"));
    }

    #[test]
    fn a_new_image_list_keeps_the_image_chosen() {
        let mut form = Form::attach("v", vec!["a:1".into(), "b:2".into()]);
        press(&mut form, KeyCode::Up);
        press(&mut form, KeyCode::Right);
        form.set_images(vec!["c:3".into(), "b:2".into(), "a:1".into()]);
        assert_eq!(form.chosen(FieldId::Image), "b:2");
    }

    #[test]
    fn attach_needs_an_image_and_an_absolute_path() {
        let mut form = Form::attach("v", vec![]);
        press(&mut form, KeyCode::Enter);
        assert!(form.error.as_deref().unwrap().contains("no local image"));
        let mut form = Form::attach("v", vec!["a:1".into()]);
        press(&mut form, KeyCode::Backspace);
        press(&mut form, KeyCode::Backspace);
        press(&mut form, KeyCode::Backspace);
        press(&mut form, KeyCode::Backspace);
        press(&mut form, KeyCode::Backspace);
        type_into(&mut form, "data");
        press(&mut form, KeyCode::Enter);
        assert!(form.error.as_deref().unwrap().contains("absolute path"));
    }
}
