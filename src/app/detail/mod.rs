//! What the detail pane says about the selected row, as data: rows of pieces, each with a tone
//! and, for a row that leads somewhere, the index of its link (the order of `App::links`). The
//! app wraps them to the pane's width, so it knows how many rows there are, scrolls within them
//! and says what is cut; the ui only colours the tones. Untrusted text (names, labels, paths) is
//! made visible here, and secret-looking labels masked.

mod disk;
mod images;
mod objects;

use crate::model::ContainerState;
use crate::text::format::width;

use super::App;

/// One row of the pane.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    pub link: Option<usize>,
    pub pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub tone: Tone,
}

/// What a piece means beyond its words; the ui gives each its colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tone {
    Plain,
    /// The object's name, first.
    Title,
    /// Secondary: field names, where a number came from.
    Quiet,
    /// A section's heading: `mounts (2)`.
    Heading,
    Warning,
    Error,
    Size,
    /// A container's state (`None`: gone).
    State(Option<ContainerState>),
    /// A bind that hands the host to the container.
    Danger {
        writable: bool,
    },
}

impl Row {
    fn of(pieces: Vec<Piece>) -> Row {
        Row { link: None, pieces }
    }

    fn link(link: usize, pieces: Vec<Piece>) -> Row {
        Row { link: Some(link), pieces }
    }

    /// One plain row of `text`.
    pub fn plain(text: impl Into<String>) -> Row {
        Row::of(vec![plain(text)])
    }

    pub fn text(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }
}

fn piece(text: impl Into<String>, tone: Tone) -> Piece {
    Piece { text: text.into(), tone }
}

fn plain(text: impl Into<String>) -> Piece {
    piece(text, Tone::Plain)
}

fn quiet(text: impl Into<String>) -> Piece {
    piece(text, Tone::Quiet)
}

/// `name       value`: a field and its value.
fn field(name: &str, value: impl Into<String>) -> Row {
    Row::of(vec![quiet(format!("{name:<11}")), plain(value)])
}

fn heading(text: impl Into<String>) -> Row {
    Row::of(vec![piece(text, Tone::Heading)])
}

impl App {
    /// The detail pane's rows for the selected row, wrapped to `columns`.
    pub fn detail_rows(&self, columns: usize) -> Vec<Row> {
        let Some(index) = self.view().selected_index() else { return Vec::new() };
        wrap(objects::rows(self, index), columns)
    }
}

/// Rows longer than `columns` go on in the next rows (broken at a space where one is near), each
/// piece keeping its tone; a continuation keeps its row's link.
pub fn wrap(rows: Vec<Row>, columns: usize) -> Vec<Row> {
    let columns = columns.max(1);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if width(&row.text()) <= columns {
            out.push(row);
            continue;
        }
        // Characters with their piece's index, cut into lines of at most `columns`.
        let chars: Vec<(char, usize)> =
            row.pieces.iter().enumerate().flat_map(|(i, p)| p.text.chars().map(move |c| (c, i))).collect();
        let mut start = 0;
        while start < chars.len() {
            let mut used = 0;
            let mut end = start;
            while end < chars.len() {
                let w = unicode_width::UnicodeWidthChar::width(chars[end].0).unwrap_or(0);
                if used + w > columns {
                    break;
                }
                used += w;
                end += 1;
            }
            // Break between fields (a run of spaces) or else after the last space of a full
            // line, unless that leaves it nearly empty; the next line starts at a word.
            if end < chars.len() {
                let space = |i: usize| chars[i].0 == ' ';
                let between_fields =
                    (start + columns / 2..end).rev().find(|&i| i > 0 && space(i) && space(i - 1));
                let after_word = (start + columns / 3..end).rev().find(|&i| space(i));
                if let Some(at) = between_fields.or(after_word) {
                    end = at + 1;
                    while end < chars.len() && space(end) {
                        end += 1;
                    }
                }
            }
            let end = end.max(start + 1);
            let mut pieces: Vec<Piece> = Vec::new();
            for &(c, i) in &chars[start..end] {
                match pieces.last_mut() {
                    Some(last) if last.tone == row.pieces[i].tone => last.text.push(c),
                    _ => pieces.push(piece(c.to_string(), row.pieces[i].tone.clone())),
                }
            }
            out.push(Row { link: row.link, pieces });
            start = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_row_breaks_between_fields_before_splitting_a_field_from_its_value() {
        let row = Row::of(vec![plain("size 1.5 GiB · 2 min ago   driver local   created today")]);
        let rows = wrap(vec![row], 40);
        assert_eq!(
            rows.iter().map(Row::text).collect::<Vec<_>>(),
            ["size 1.5 GiB · 2 min ago   ", "driver local   created today"]
        );
    }

    #[test]
    fn a_long_row_wraps_at_a_space_keeping_tones_and_its_link() {
        let row = Row::link(3, vec![quiet("labels     "), plain("team=ops tier=database-primary")]);
        let rows = wrap(vec![row], 24);
        assert_eq!(
            rows.iter().map(Row::text).collect::<Vec<_>>(),
            ["labels     team=ops ", "tier=database-primary"]
        );
        assert!(rows.iter().all(|r| r.link == Some(3)));
        assert_eq!(rows[0].pieces[0], quiet("labels     "));
        let word = wrap(vec![Row::of(vec![plain("x".repeat(30))])], 24);
        assert_eq!(word.len(), 2, "no space: cut where the row ends");
    }
}
