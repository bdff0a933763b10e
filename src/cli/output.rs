//! The one way the script commands' text leaves for stdout and stderr. Every line passes
//! `sanitize::visible`, so an escape sequence in a label or a path is shown, never interpreted.
//! A reader that went away (`| head -1`) ends the output quietly; any other failure to write is
//! an error the user is told about. Nothing here panics.

use std::io::{self, Write};

use anyhow::{Context, Result};

use crate::text::format::{self, Align};
use crate::text::sanitize::visible;

/// Whether text written to stdout found a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Delivered,
    /// The reader closed its end (a closed pipe): the rest is dropped, and that is no error.
    ReaderGone,
}

/// Lines for a person, on stdout: each line's control characters are shown visibly, the line
/// ends are kept.
pub fn text(text: &str) -> Result<Delivery> {
    let mut shown = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = line.strip_suffix('\n').map_or((line, ""), |body| (body, "\n"));
        shown.push_str(&visible(body));
        shown.push_str(end);
    }
    write_stdout(shown.as_bytes())
}

/// A JSON document on stdout, exactly as serde wrote it (serde escapes control characters).
pub fn json(document: &str) -> Result<Delivery> {
    write_stdout(format!("{document}\n").as_bytes())
}

fn write_stdout(bytes: &[u8]) -> Result<Delivery> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(Delivery::Delivered),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(Delivery::ReaderGone),
        Err(e) => Err(e).context("cannot write the output"),
    }
}

/// `dockdu: <message>` on stderr. When stderr itself cannot be written there is no one left to
/// tell, so that failure is dropped.
pub fn error_line(message: &str) {
    let _ = writeln!(io::stderr().lock(), "dockdu: {}", visible(message));
}

/// `dockdu: WARNING: <message>` on stderr: something is wrong and the command goes on, as the
/// docker CLI words its own warnings.
pub fn warning_line(message: &str) {
    let _ = writeln!(io::stderr().lock(), "dockdu: WARNING: {}", visible(message));
}

/// A question on stderr, left open for the answer to follow on the same line.
pub fn question(text: &str) -> io::Result<()> {
    let mut err = io::stderr().lock();
    write!(err, "{}", visible(text))?;
    err.flush()
}

pub use crate::text::secrets::key_values;

/// One column of a table: its title, alignment, and whether it gives way last on a narrow
/// terminal (the names).
pub struct Column {
    pub title: &'static str,
    pub align: Align,
    pub kept: bool,
}

impl Column {
    pub const fn left(title: &'static str) -> Column {
        Column { title, align: Align::Left, kept: false }
    }

    pub const fn right(title: &'static str) -> Column {
        Column { title, align: Align::Right, kept: false }
    }

    /// Shrinks only once every other column has.
    pub const fn kept(self) -> Column {
        Column { kept: true, ..self }
    }
}

/// How wide text output may be: a terminal's width, or none for a pipe or a file, which take
/// whole rows.
pub fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size().ok().map(|(columns, _)| usize::from(columns))
}

/// The fewest columns a shrunk column keeps: room for its title, or a few characters and `…`.
const SHRUNK: usize = 6;

/// Rows under `columns`, each column as wide as its widest cell (by display width). With `fit`
/// (a terminal's width) a line wider than it shrinks its columns from the right, the kept ones
/// (the names) last, and cuts cells with `…`; without, every row is whole. Cells are shown visibly
/// first, so a newline in a path cannot start a line and widths count what the terminal shows.
/// `header` prints the titles; `indent` starts every line.
pub fn table(
    out: &mut String,
    indent: &str,
    columns: &[Column],
    header: bool,
    rows: &[Vec<String>],
    fit: Option<usize>,
) {
    let rows: Vec<Vec<std::borrow::Cow<str>>> =
        rows.iter().map(|row| row.iter().map(|cell| visible(cell)).collect()).collect();
    let mut widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let title = if header { format::width(column.title) } else { 0 };
            let widest = rows.iter().filter_map(|row| row.get(i)).map(|cell| format::width(cell)).max();
            title.max(widest.unwrap_or(0))
        })
        .collect();
    if let Some(fit) = fit {
        let used = |widths: &[usize]| {
            format::width(indent) + widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1)
        };
        let (kept, rest): (Vec<usize>, Vec<usize>) = (0..widths.len()).rev().partition(|&i| columns[i].kept);
        let order = rest.into_iter().chain(kept);
        for i in order {
            let excess = used(&widths).saturating_sub(fit);
            if excess == 0 {
                break;
            }
            let floor = if header { format::width(columns[i].title) } else { 0 }.max(SHRUNK).min(widths[i]);
            widths[i] -= excess.min(widths[i] - floor);
        }
    }
    let last = columns.len().saturating_sub(1);
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::from(indent);
        for (i, (cell, column)) in cells.zip(columns).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            if i == last && column.align == Align::Left {
                text.push_str(&format::fit(cell, widths[i]));
            } else {
                text.push_str(&format::pad(cell, widths[i], column.align));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    if header {
        line(&mut columns.iter().map(|c| c.title));
    }
    for row in &rows {
        line(&mut row.iter().map(|cell| cell.as_ref()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|row| row.iter().map(|cell| cell.to_string()).collect()).collect()
    }

    #[test]
    fn cjk_cells_line_up_by_display_width() {
        let mut out = String::new();
        let columns = [Column::left("PATH"), Column::right("SIZE"), Column::left("WHO")];
        let cells = rows(&[&["/srv/データ", "1 KiB", "web"], &["/srv/ab", "2 MiB", "db"]]);
        table(&mut out, " ", &columns, true, &cells, None);
        let lines: Vec<&str> = out.lines().collect();
        // データ is six columns wide: the rows below it are padded to match.
        assert_eq!(
            lines,
            [" PATH          SIZE  WHO", " /srv/データ  1 KiB  web", " /srv/ab      2 MiB  db"]
        );
    }

    #[test]
    fn piped_rows_are_whole_and_a_terminal_cuts_from_the_right_the_names_last() {
        let name = "dockdu-manual-a-rather-long-volume-name";
        let labels = "team=ops,tier=database,backup=nightly";
        let columns = [Column::left("NAME").kept(), Column::right("SIZE"), Column::left("LABELS")];
        let cells = rows(&[&[name, "1 KiB", labels]]);
        let mut piped = String::new();
        table(&mut piped, "", &columns, false, &cells, None);
        assert_eq!(piped, format!("{name}  1 KiB  {labels}\n"), "whole when piped");
        let mut narrow = String::new();
        table(&mut narrow, "", &columns, false, &cells, Some(60));
        assert_eq!(format::width(narrow.trim_end()), 60, "{narrow}");
        assert!(narrow.starts_with(name) && narrow.trim_end().ends_with('…'), "labels gave way: {narrow}");
        let mut tiny = String::new();
        table(&mut tiny, "", &columns, false, &cells, Some(30));
        assert!(tiny.starts_with("dockdu-manual") && tiny.contains('…'), "then the name: {tiny}");
    }

    #[test]
    fn control_characters_in_cells_are_shown_and_counted_as_shown() {
        let mut out = String::new();
        let columns = [Column::left("PATH"), Column::left("MODE")];
        table(&mut out, "", &columns, true, &rows(&[&["/a\x1b[41m\nb", "rw"], &["/c", "ro"]]), None);
        assert_eq!(out, "PATH           MODE\n/a\\x1b[41m\\nb  rw\n/c             ro\n");
    }
}
