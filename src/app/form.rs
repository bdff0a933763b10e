//! Forms: create a volume; start a container on a volume. Input is checked with Docker's rules
//! before anything is sent; the engine's own refusals come back into the form.

use crossterm::event::{KeyCode, KeyEvent};

use crate::engine::{ContainerSpec, VolumeSpec};
use crate::model::validate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Text,
    Toggle,
    Choice(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
    pub input: Input,
    pub hint: &'static str,
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

const YES: &str = "yes";
const NO: &str = "no";
pub const START_DETACHED: &str = "start detached";
pub const START_WITH_SHELL: &str = "start and open a shell";
pub const NETWORKS: [&str; 3] = ["none", "bridge", "host"];

fn text(label: &'static str, value: &str, hint: &'static str) -> Field {
    Field { label, value: value.to_owned(), input: Input::Text, hint }
}

impl Form {
    pub fn create_volume() -> Self {
        Form {
            kind: FormKind::CreateVolume,
            fields: vec![
                text("Name", "", "empty: an anonymous volume, named by the engine"),
                text("Driver", "local", ""),
                text("Labels", "", "key=value, key2=value2"),
                text("Driver options", "", "key=value, e.g. type=tmpfs,device=tmpfs"),
            ],
            focus: 0,
            error: None,
            working: false,
        }
    }

    /// `images` are the local image references; the form needs at least one.
    pub fn attach(volume: &str, images: Vec<String>) -> Self {
        let image = images.first().cloned().unwrap_or_default();
        Form {
            kind: FormKind::Attach { volume: volume.to_owned() },
            fields: vec![
                Field {
                    label: "Image", value: image, input: Input::Choice(images), hint: "←/→ to choose"
                },
                text("Mount path", "/data", "where the volume appears in the container"),
                Field {
                    label: "Read-only",
                    value: NO.to_owned(),
                    input: Input::Toggle,
                    hint: "space toggles",
                },
                text("Name", "", "empty: the engine picks one"),
                text("Command", "", "empty: the image's own; quotes group words"),
                Field {
                    label: "Network",
                    value: NETWORKS[0].to_owned(),
                    input: Input::Choice(NETWORKS.map(str::to_owned).to_vec()),
                    hint: "←/→ to choose",
                },
                Field {
                    label: "Then",
                    value: START_DETACHED.to_owned(),
                    input: Input::Choice(vec![START_DETACHED.to_owned(), START_WITH_SHELL.to_owned()]),
                    hint: "←/→ to choose",
                },
            ],
            focus: 1,
            error: None,
            working: false,
        }
    }

    pub fn title(&self) -> String {
        match &self.kind {
            FormKind::CreateVolume => "Create a volume".to_owned(),
            FormKind::Attach { volume } => format!("New container on volume {volume}"),
        }
    }

    fn value(&self, label: &str) -> &str {
        self.fields.iter().find(|f| f.label == label).map_or("", |f| f.value.trim())
    }

    pub fn on_key(&mut self, key: KeyEvent) -> FormAnswer {
        if self.working {
            return FormAnswer::Stay;
        }
        let count = self.fields.len();
        let field = &mut self.fields[self.focus];
        match (key.code, &field.input) {
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
            (KeyCode::Char(' '), Input::Toggle) => {
                field.value = if field.value == YES { NO } else { YES }.to_owned();
            }
            (KeyCode::Left | KeyCode::Right | KeyCode::Char(' '), Input::Choice(options))
                if !options.is_empty() =>
            {
                let at = options.iter().position(|o| *o == field.value).unwrap_or(0);
                let next =
                    if key.code == KeyCode::Left { at + options.len() - 1 } else { at + 1 } % options.len();
                field.value = options[next].clone();
            }
            (KeyCode::Backspace, Input::Text) => {
                field.value.pop();
            }
            (KeyCode::Char(c), Input::Text) => field.value.push(c),
            _ => {}
        }
        FormAnswer::Stay
    }

    /// Checks every field; the first problem is the answer.
    pub fn submit(&self) -> Result<Submit, String> {
        match &self.kind {
            FormKind::CreateVolume => {
                let name = self.value("Name").to_owned();
                if !name.is_empty() {
                    validate::docker_name(&name)?;
                }
                let driver = self.value("Driver");
                Ok(Submit::CreateVolume(VolumeSpec {
                    name,
                    driver: if driver.is_empty() { "local" } else { driver }.to_owned(),
                    labels: validate::key_values(self.value("Labels"))?,
                    options: validate::key_values(self.value("Driver options"))?,
                }))
            }
            FormKind::Attach { volume } => {
                let image = self.value("Image").to_owned();
                if image.is_empty() {
                    return Err("no local image to run: import or build one first".to_owned());
                }
                let mount_path = self.value("Mount path").to_owned();
                validate::mount_path(&mount_path)?;
                let name = self.value("Name").to_owned();
                if !name.is_empty() {
                    validate::docker_name(&name)?;
                }
                let shell = self.value("Then") == START_WITH_SHELL;
                Ok(Submit::CreateContainer {
                    spec: ContainerSpec {
                        image,
                        name,
                        command: validate::command_words(self.value("Command"))?,
                        volume: volume.clone(),
                        mount_path,
                        read_only: self.value("Read-only") == YES,
                        network_mode: self.value("Network").to_owned(),
                        labels: Vec::new(),
                        interactive: true,
                    },
                    shell,
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
        for _ in 0..4 {
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
