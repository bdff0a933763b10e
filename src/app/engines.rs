//! `E`: the engines the user has (the docker contexts), each with its host and whether it
//! answers; typing filters; Enter switches the explorer to the chosen one; `-` goes back to the
//! previous engine from anywhere in the explorer.

use crossterm::event::{KeyCode, KeyEvent};

/// What probing a context found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    Checking,
    Answers {
        product: String,
        containers: usize,
        volumes: usize,
    },
    /// Why it cannot be used or reached, in a few words.
    Fails(String),
}

/// A context as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineRow {
    pub name: String,
    pub host: String,
    pub reach: Reach,
}

#[derive(Debug, Clone, Default)]
pub struct EnginePicker {
    /// `None` until the contexts have been read.
    pub rows: Option<Vec<EngineRow>>,
    pub filter: String,
    /// Position among the rows the filter shows.
    pub selected: usize,
    /// The context in use, and the one before it (marked, and where the selection starts).
    pub current: String,
    pub previous: Option<String>,
}

pub enum PickerAnswer {
    Stay,
    Close,
    Switch(String),
}

impl EnginePicker {
    pub fn new(current: &str, previous: Option<&str>) -> Self {
        EnginePicker {
            current: current.to_owned(),
            previous: previous.map(str::to_owned),
            ..Default::default()
        }
    }

    /// The rows the filter lets through (name or host containing it, any case).
    pub fn shown(&self) -> Vec<&EngineRow> {
        let needle = self.filter.to_lowercase();
        let rows = self.rows.iter().flatten();
        rows.filter(|row| {
            row.name.to_lowercase().contains(&needle) || row.host.to_lowercase().contains(&needle)
        })
        .collect()
    }

    /// The contexts were read: the selection starts on the previous engine, else the current one.
    pub fn set_rows(&mut self, rows: Vec<EngineRow>) {
        let start = self.previous.as_deref().unwrap_or(&self.current).to_owned();
        self.selected = rows.iter().position(|row| row.name == start).unwrap_or(0);
        self.rows = Some(rows);
    }

    pub fn set_reach(&mut self, name: &str, reach: Reach) {
        if let Some(row) = self.rows.iter_mut().flatten().find(|row| row.name == name) {
            row.reach = reach;
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> PickerAnswer {
        match key.code {
            KeyCode::Esc if !self.filter.is_empty() => self.set_filter(String::new()),
            KeyCode::Esc => return PickerAnswer::Close,
            KeyCode::Enter => {
                return match self.shown().get(self.selected) {
                    Some(row) => PickerAnswer::Switch(row.name.clone()),
                    None => PickerAnswer::Stay,
                }
            }
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down => self.selected = (self.selected + 1).min(self.shown().len().saturating_sub(1)),
            KeyCode::Backspace => {
                let mut filter = self.filter.clone();
                filter.pop();
                self.set_filter(filter);
            }
            KeyCode::Char(c) => {
                let filter = format!("{}{c}", self.filter);
                self.set_filter(filter);
            }
            _ => {}
        }
        PickerAnswer::Stay
    }

    /// A new filter keeps the selection on the same context when it still shows.
    fn set_filter(&mut self, filter: String) {
        let chosen = self.shown().get(self.selected).map(|row| row.name.clone());
        self.filter = filter;
        let shown = self.shown();
        self.selected = chosen.and_then(|name| shown.iter().position(|row| row.name == name)).unwrap_or(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn picker() -> EnginePicker {
        let row = |name: &str, host: &str| EngineRow {
            name: name.into(),
            host: host.into(),
            reach: Reach::Checking,
        };
        let mut picker = EnginePicker::new("default", Some("remote"));
        picker.set_rows(vec![
            row("default", "unix:///var/run/docker.sock"),
            row("podman", "unix:///run/podman/podman.sock"),
            row("remote", "ssh://me@box"),
        ]);
        picker
    }

    #[test]
    fn the_selection_starts_on_the_previous_engine_so_enter_goes_back() {
        let mut picker = picker();
        assert!(matches!(picker.on_key(key(KeyCode::Enter)), PickerAnswer::Switch(name) if name == "remote"));
    }

    #[test]
    fn typing_filters_by_name_or_host_and_enter_takes_the_selected_one() {
        let mut picker = picker();
        for c in "pod".chars() {
            picker.on_key(key(KeyCode::Char(c)));
        }
        let names: Vec<_> = picker.shown().iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["podman"]);
        assert!(matches!(picker.on_key(key(KeyCode::Enter)), PickerAnswer::Switch(name) if name == "podman"));
        picker.on_key(key(KeyCode::Esc));
        assert_eq!(picker.shown().len(), 3, "Esc clears the filter first");
        picker.filter = "ssh://".into();
        assert_eq!(picker.shown()[0].name, "remote", "hosts match too");
        picker.filter = "nothing".into();
        assert!(matches!(picker.on_key(key(KeyCode::Enter)), PickerAnswer::Stay));
    }

    #[test]
    fn a_probe_answer_fills_its_row() {
        let mut picker = picker();
        picker.set_reach(
            "podman",
            Reach::Answers { product: "Podman Engine".into(), containers: 2, volumes: 1 },
        );
        assert!(matches!(picker.rows.as_ref().unwrap()[1].reach, Reach::Answers { containers: 2, .. }));
        assert!(matches!(picker.on_key(key(KeyCode::Esc)), PickerAnswer::Close));
    }
}
