//! A search typed in a view that scrolls text (inspect, the log): `/` starts it, the query edits
//! as in a shell, `Enter` keeps it, `Esc` drops it. The view finds and walks its own matches.

use crossterm::event::{KeyCode, KeyEvent};

use super::input::TextInput;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    input: TextInput,
    typing: bool,
}

/// What a key did to the search, for the view to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The query changed: find the matches again.
    Edited,
    /// `Enter`: the query stays, go to a match.
    Kept,
    /// `Esc`: the query is gone.
    Dropped,
    /// Nothing a view needs to act on.
    Nothing,
}

impl Search {
    /// A search already holding `query`, kept (not being typed).
    pub fn kept(query: &str) -> Self {
        Search { input: TextInput::new(query), typing: false }
    }

    pub fn query(&self) -> &str {
        self.input.text()
    }

    pub fn typing(&self) -> bool {
        self.typing
    }

    /// The query before and after the cursor, for drawing it.
    pub fn split(&self) -> (&str, &str) {
        self.input.split()
    }

    /// `/`: a new query.
    pub fn start(&mut self) {
        self.input.clear();
        self.typing = true;
    }

    /// A key while the query is being typed.
    pub fn on_key(&mut self, key: KeyEvent) -> Step {
        match key.code {
            KeyCode::Enter => {
                self.typing = false;
                Step::Kept
            }
            KeyCode::Esc => {
                self.typing = false;
                self.input.clear();
                Step::Dropped
            }
            _ => {
                let before = self.input.text().to_owned();
                self.input.on_key(key);
                if self.input.text() == before {
                    Step::Nothing
                } else {
                    Step::Edited
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyModifiers;

    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn a_query_is_typed_edited_as_in_a_shell_kept_or_dropped() {
        let mut search = Search::default();
        search.start();
        for c in "error 42".chars() {
            assert_eq!(search.on_key(key(KeyCode::Char(c))), Step::Edited);
        }
        assert_eq!(search.on_key(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL)), Step::Edited);
        assert_eq!(search.query(), "error ");
        assert_eq!(search.on_key(key(KeyCode::Left)), Step::Nothing);
        assert_eq!(search.on_key(key(KeyCode::Enter)), Step::Kept);
        assert_eq!((search.query(), search.typing()), ("error ", false));
        search.start();
        assert_eq!(search.query(), "", "/ starts a new query");
        search.on_key(key(KeyCode::Char('x')));
        assert_eq!(search.on_key(key(KeyCode::Esc)), Step::Dropped);
        assert_eq!((search.query(), search.typing()), ("", false));
    }
}
