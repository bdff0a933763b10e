//! The one sanitiser for text that reaches a terminal: report text, prune previews and outcomes,
//! error lines, and the explorer's screen (through `ui/untrusted.rs`). Names, labels, paths and
//! engine messages are the engine's or another user's text: an escape sequence in them could
//! retitle the terminal or clear the lines above a `[y/N]`. Control characters are shown, never
//! interpreted. JSON output does not come here: serde escapes it exactly.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every control character written visibly: `\n`, `\t`, `\r`, `\x1b`, `\u{9b}`.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x100 && is_escaped(c) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_escaped(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether `visible` writes `c` as an escape: C0, DEL and C1 controls (C1's CSI, `\u{9b}`,
/// starts a sequence on many terminals), and the bidirectional overrides that make a line read
/// differently from what it holds.
pub fn is_escaped(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_untouched_and_not_copied() {
        assert!(matches!(visible("web-1 データ /srv"), Cow::Borrowed("web-1 データ /srv")));
    }

    #[test]
    fn escape_sequences_and_newlines_are_shown_not_interpreted() {
        assert_eq!(visible("evil=\x1b]0;PWN\x07\x1b[2J"), "evil=\\x1b]0;PWN\\x07\\x1b[2J");
        assert_eq!(visible("/srv/a\nb\tc\r"), "/srv/a\\nb\\tc\\r");
        assert_eq!(visible("\u{9b}31m \u{7f}"), "\\x9b31m \\x7f");
        assert_eq!(visible("a\u{202e}b"), "a\\u{202e}b");
    }
}
