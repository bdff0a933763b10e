//! The inspect overlay: the engine's whole document as pretty JSON, with environment values and
//! secret-looking labels and options masked until asked for, and a search that walks the matching
//! lines.

use serde_json::Value;

use super::scroll::Scroll;
use super::search::Search;
use crate::model::{ContainerId, ImageId, VolumeName};
use crate::text::secrets::{self, MASK};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Container { id: ContainerId, name: String },
    Volume { name: VolumeName },
    Image { id: ImageId, name: String },
}

impl Target {
    pub fn title(&self) -> String {
        match self {
            Target::Container { name, .. } => format!("container {name}"),
            Target::Volume { name } => format!("volume {name}"),
            Target::Image { name, .. } => format!("image {name}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct InspectView {
    /// What is shown: an engine reply is taken only if it is for this target.
    pub target: Target,
    document: Option<Value>,
    pub lines: Vec<String>,
    pub error: Option<String>,
    pub revealed: bool,
    pub scroll: Scroll,
    /// The search being typed (`/`), or the last one confirmed.
    pub search: Search,
    pub matches: Vec<usize>,
    pub current_match: Option<usize>,
}

impl InspectView {
    pub fn loading(target: &Target) -> Self {
        InspectView {
            target: target.clone(),
            document: None,
            lines: Vec::new(),
            error: None,
            revealed: false,
            scroll: Scroll::default(),
            search: Search::default(),
            matches: Vec::new(),
            current_match: None,
        }
    }

    pub fn title(&self) -> String {
        self.target.title()
    }

    pub fn is_loading(&self) -> bool {
        self.document.is_none() && self.error.is_none()
    }

    pub fn set_document(&mut self, document: Value) {
        self.document = Some(document);
        self.render_lines();
    }

    pub fn set_error(&mut self, error: String) {
        self.error = Some(error);
    }

    pub fn toggle_reveal(&mut self) {
        self.revealed = !self.revealed;
        self.render_lines();
    }

    fn render_lines(&mut self) {
        let Some(document) = &self.document else { return };
        let text = if self.revealed {
            serde_json::to_string_pretty(document)
        } else {
            serde_json::to_string_pretty(&masked(document))
        };
        self.lines = text.unwrap_or_default().lines().map(str::to_owned).collect();
        self.find_matches();
    }

    pub fn scroll_by(&mut self, delta: isize, height: usize) {
        self.scroll.scroll_by(delta, self.lines.len(), height);
    }

    pub fn scroll_to_end(&mut self, height: usize) {
        self.scroll.scroll_to_end(self.lines.len(), height);
    }

    pub fn find_matches(&mut self) {
        let needle = self.search.query().to_lowercase();
        self.matches = if needle.is_empty() {
            Vec::new()
        } else {
            self.lines
                .iter()
                .enumerate()
                .filter(|(_, l)| l.to_lowercase().contains(&needle))
                .map(|(i, _)| i)
                .collect()
        };
        self.current_match = None;
    }

    /// Moves to the next (or previous) match after the top of the view, wrapping around.
    pub fn next_match(&mut self, forward: bool) {
        if self.matches.is_empty() {
            return;
        }
        let count = self.matches.len();
        let next = match self.current_match {
            Some(i) if forward => (i + 1) % count,
            Some(i) => (i + count - 1) % count,
            None if forward => self.matches.iter().position(|&l| l >= self.scroll.offset).unwrap_or(0),
            None => self.matches.iter().rposition(|&l| l <= self.scroll.offset).unwrap_or(count - 1),
        };
        self.current_match = Some(next);
        self.scroll.offset = self.matches[next].saturating_sub(2);
    }
}

/// Maps of key → value whose secret-looking keys are masked: labels anywhere (a container's
/// `Config.Labels`, a volume's `Labels`) and driver options (a volume's `Options`, a mount's
/// `DriverConfig.Options`).
const KEYED_MAPS: [&str; 2] = ["Labels", "Options"];

/// A copy with every `Config.Env` value hidden and the values of secret-looking labels and
/// options too: names stay readable, secrets do not show by accident.
fn masked(document: &Value) -> Value {
    let mut copy = document.clone();
    if let Some(env) = copy.pointer_mut("/Config/Env").and_then(Value::as_array_mut) {
        for entry in env {
            if let Some((name, _)) = entry.as_str().and_then(|e| e.split_once('=')) {
                *entry = Value::String(format!("{name}={MASK}"));
            }
        }
    }
    mask_keyed_maps(&mut copy);
    copy
}

fn mask_keyed_maps(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            for (name, inner) in fields.iter_mut() {
                if let (true, Value::Object(map)) = (KEYED_MAPS.contains(&name.as_str()), &mut *inner) {
                    for (key, entry) in map.iter_mut() {
                        if secrets::is_secret_key(key) && !entry.is_null() {
                            *entry = Value::String(MASK.to_owned());
                        }
                    }
                }
                mask_keyed_maps(inner);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_keyed_maps),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> InspectView {
        let mut view = InspectView::loading(&Target::Volume { name: "v".into() });
        view.set_document(serde_json::json!({
            "Config": {"Env": ["PASSWORD=hunter2", "PATH=/bin"], "Image": "busybox"},
            "Name": "/web",
        }));
        view
    }

    #[test]
    fn environment_values_are_masked_until_revealed() {
        let mut view = view();
        let text = view.lines.join("\n");
        assert!(!text.contains("hunter2") && text.contains("PASSWORD=••••••") && text.contains("busybox"));
        view.toggle_reveal();
        assert!(view.lines.join("\n").contains("PASSWORD=hunter2"));
    }

    #[test]
    fn secret_looking_labels_and_driver_options_are_masked_until_revealed() {
        let mut view = InspectView::loading(&Target::Volume { name: "share".into() });
        view.set_document(serde_json::json!({
            "Name": "share",
            "Labels": {"team": "ops", "api_token": "tok-123"},
            "Options": {"type": "cifs", "o": "addr=nas", "Password": "hunter2"},
            "Mounts": [{"VolumeOptions": {"DriverConfig": {"Options": {"secret": "deep-1"}}}}],
        }));
        let text = view.lines.join("\n");
        for hidden in ["tok-123", "hunter2", "deep-1"] {
            assert!(!text.contains(hidden), "{hidden} shows:\n{text}");
        }
        assert!(text.contains("\"api_token\": \"••••••\"") && text.contains("\"team\": \"ops\""));
        assert!(text.contains("\"type\": \"cifs\"") && text.contains("addr=nas"));
        view.toggle_reveal();
        let text = view.lines.join("\n");
        assert!(text.contains("tok-123") && text.contains("hunter2") && text.contains("deep-1"));
    }

    #[test]
    fn search_walks_matches_both_ways_and_wraps() {
        let mut view = view();
        view.search = Search::kept("=");
        view.find_matches();
        assert_eq!(view.matches.len(), 2);
        view.next_match(true);
        let first = view.current_match;
        view.next_match(true);
        assert_ne!(view.current_match, first);
        view.next_match(true);
        assert_eq!(view.current_match, first, "wraps around");
        view.next_match(false);
        assert_eq!(view.current_match, Some(1));
    }
}
