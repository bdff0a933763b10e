//! Text the explorer did not write (names, labels, paths, engine messages, file names) on its
//! way to the screen. Every widget draws such text through here, so the explorer shows it as the
//! CLI does: control characters, newlines and bidi overrides as visible escapes (`\x1b`, `\n`,
//! `\u{202e}`), never interpreted, never silently dropped; secret-looking labels and options
//! masked. Widths are counted on what is shown, so a cut (`…`) falls where the screen ends.

use std::borrow::Cow;
use std::collections::BTreeMap;

use ratatui::buffer::Buffer;

use crate::text::format::{fit, fit_middle, pad, Align};
use crate::text::sanitize::{is_escaped, visible};
use crate::text::secrets;

/// `raw` as the screen shows it.
pub fn shown(raw: &str) -> Cow<'_, str> {
    visible(raw)
}

/// `raw` as shown, cut to `columns` with `…`.
pub fn fitted(raw: &str, columns: usize) -> String {
    fit(&visible(raw), columns).into_owned()
}

/// `raw` shown visibly, cut in its middle to at most `columns` (names and paths).
pub fn fitted_middle(raw: &str, columns: usize) -> String {
    fit_middle(&visible(raw), columns).into_owned()
}

/// `raw` as shown, cut or padded to exactly `columns`.
pub fn padded(raw: &str, columns: usize, align: Align) -> String {
    pad(&visible(raw), columns, align)
}

/// `k=v,k2=v2` as a detail row shows each.
pub fn key_values(map: &BTreeMap<String, String>, reveal: bool) -> String {
    visible(&secrets::key_values(map, reveal)).into_owned()
}

/// The last line of defence, run on every frame: a cell still holding a character the
/// sanitiser would have escaped (a widget that drew untrusted text past this module) shows `�`
/// instead, so a bidi override never reaches the terminal. ratatui already drops C0 and C1
/// controls; zero-width ones such as U+202E it would append to the cell before.
pub fn guard(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        if cell.symbol().chars().any(is_escaped) {
            cell.set_symbol("�");
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;
    use ratatui::text::Line;
    use ratatui::widgets::Widget;

    use super::*;

    #[test]
    fn labels_are_masked_and_their_escapes_shown() {
        let labels = [("api_token".to_owned(), "hunter2".to_owned())].into();
        assert_eq!(key_values(&labels, false), format!("api_token={}", secrets::MASK));
        assert_eq!(key_values(&labels, true), "api_token=hunter2");
        let labels = [("evil\u{202e}".to_owned(), "\x1b]0;PWN\x07\nFAKE".to_owned())].into();
        assert_eq!(key_values(&labels, false), "evil\\u{202e}=\\x1b]0;PWN\\x07\\nFAKE");
        assert_eq!(fitted("a\nb-long-name", 6), "a\\nb-…");
    }

    #[test]
    fn a_bidi_override_a_widget_left_in_a_cell_never_reaches_the_terminal() {
        let area = Rect::new(0, 0, 4, 1);
        let mut buffer = Buffer::empty(area);
        // Drawn raw, the override joins the cell before it, and the terminal would get it.
        Line::raw("ab\u{202e}").render(area, &mut buffer);
        assert_eq!(buffer[(1, 0)].symbol(), "b\u{202e}");
        guard(&mut buffer);
        assert_eq!((buffer[(0, 0)].symbol(), buffer[(1, 0)].symbol()), ("a", "�"));
    }
}
