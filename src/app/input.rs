//! One line of text being typed, edited as in a shell: `←` `→` `Home` `End` move, `Backspace`
//! and `Delete` remove, `Ctrl-A`/`Ctrl-E` go to the start/end, `Ctrl-U` clears before the
//! cursor, `Ctrl-W` removes the word before it, `Ctrl-K` after it. Text reopened for editing
//! (a kept filter) starts selected: the first character typed replaces it, a movement keeps it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// The cursor, as a byte offset on a character boundary.
    cursor: usize,
    /// The whole text is selected: typing replaces it.
    selected: bool,
}

impl TextInput {
    pub fn new(text: &str) -> Self {
        TextInput { text: text.to_owned(), cursor: text.len(), selected: false }
    }

    /// The text, selected as a whole, to be edited or replaced.
    pub fn reopened(text: &str) -> Self {
        TextInput { selected: !text.is_empty(), ..TextInput::new(text) }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text before and after the cursor, for drawing it.
    pub fn split(&self) -> (&str, &str) {
        self.text.split_at(self.cursor)
    }

    pub fn is_selected(&self) -> bool {
        self.selected
    }

    pub fn clear(&mut self) {
        *self = TextInput::default();
    }

    /// Applies an editing key; false when the key is not one (the caller may use it).
    pub fn on_key(&mut self, key: KeyEvent) -> bool {
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        let selected = std::mem::replace(&mut self.selected, false);
        match key.code {
            KeyCode::Char('a') if control => self.cursor = 0,
            KeyCode::Char('e') if control => self.cursor = self.text.len(),
            KeyCode::Char('u') if control => {
                self.text.drain(..self.cursor);
                self.cursor = 0;
            }
            KeyCode::Char('k') if control => self.text.truncate(self.cursor),
            KeyCode::Char('w') if control => {
                let before = &self.text[..self.cursor];
                let start = before.trim_end().rfind(char::is_whitespace).map_or(0, |at| at + 1);
                self.text.drain(start..self.cursor);
                self.cursor = start;
            }
            KeyCode::Char(_) if control || key.modifiers.contains(KeyModifiers::ALT) => {
                self.selected = selected;
                return false;
            }
            KeyCode::Char(c) => {
                if selected {
                    self.clear();
                }
                self.text.insert(self.cursor, c);
                self.cursor += c.len_utf8();
            }
            KeyCode::Backspace if selected => self.clear(),
            KeyCode::Backspace => {
                if let Some(c) = self.text[..self.cursor].chars().next_back() {
                    self.cursor -= c.len_utf8();
                    self.text.remove(self.cursor);
                }
            }
            KeyCode::Delete if selected => self.clear(),
            KeyCode::Delete => {
                if self.cursor < self.text.len() {
                    self.text.remove(self.cursor);
                }
            }
            KeyCode::Left => {
                if let Some(c) = self.text[..self.cursor].chars().next_back() {
                    self.cursor -= c.len_utf8();
                }
            }
            KeyCode::Right => {
                if let Some(c) = self.text[self.cursor..].chars().next() {
                    self.cursor += c.len_utf8();
                }
            }
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.text.len(),
            _ => {
                self.selected = selected;
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(input: &mut TextInput, text: &str) {
        for c in text.chars() {
            input.on_key(key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn keys_edit_as_in_a_shell() {
        let mut input = TextInput::new("");
        typed(&mut input, "key=valüe other");
        input.on_key(ctrl('w'));
        assert_eq!(input.text(), "key=valüe ");
        input.on_key(ctrl('a'));
        typed(&mut input, "x");
        assert_eq!(input.split(), ("x", "key=valüe "));
        input.on_key(ctrl('e'));
        input.on_key(key(KeyCode::Left));
        input.on_key(key(KeyCode::Left));
        input.on_key(key(KeyCode::Backspace));
        assert_eq!(input.text(), "xkey=vale ");
        input.on_key(ctrl('k'));
        assert_eq!(input.text(), "xkey=val");
        input.on_key(ctrl('u'));
        assert_eq!(input.text(), "");
        assert!(!input.on_key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT)), "not an editing key");
    }

    #[test]
    fn reopened_text_is_replaced_by_typing_and_kept_by_a_movement() {
        let mut input = TextInput::reopened("web");
        typed(&mut input, "db");
        assert_eq!(input.text(), "db", "typing replaces the kept text");
        let mut input = TextInput::reopened("web");
        input.on_key(key(KeyCode::End));
        typed(&mut input, "-1");
        assert_eq!(input.text(), "web-1", "after a movement, typing edits it");
    }
}
