//! The one way the script commands' text leaves for stdout and stderr. Every line passes
//! `sanitize::visible`, so an escape sequence in a label or a path is shown, never interpreted.
//! A reader that went away (`| head -1`) ends the output quietly; any other failure to write is
//! an error the user is told about. Nothing here panics.

use std::io::{self, Write};

use anyhow::{Context, Result};

use crate::text::format::{self, Align};
use crate::text::sanitize::visible;

// The caps live with the other words and numbers, where the column descriptions (app) reach them.
pub use crate::text::format::{NAME_COLUMNS, PATH_COLUMNS, WORD_COLUMNS};

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

/// One column of a table: its title, alignment, and the most columns a cell may take.
pub struct Column {
    pub title: &'static str,
    pub align: Align,
    pub max: usize,
}

impl Column {
    pub const fn left(title: &'static str, max: usize) -> Column {
        Column { title, align: Align::Left, max }
    }

    pub const fn right(title: &'static str, max: usize) -> Column {
        Column { title, align: Align::Right, max }
    }
}

/// Rows under `columns`, each column as wide as its widest cell up to its cap (by display
/// width, cut with `…`); the last column stays whole. Cells are shown visibly first, so a
/// newline in a path cannot start a line and widths count what the terminal will show.
/// `header` prints the titles; `indent` starts every line.
pub fn table(out: &mut String, indent: &str, columns: &[Column], header: bool, rows: &[Vec<String>]) {
    let rows: Vec<Vec<std::borrow::Cow<str>>> =
        rows.iter().map(|row| row.iter().map(|cell| visible(cell)).collect()).collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let title = if header { format::width(column.title) } else { 0 };
            let widest = rows.iter().filter_map(|row| row.get(i)).map(|cell| format::width(cell)).max();
            title.max(widest.unwrap_or(0)).min(column.max)
        })
        .collect();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::from(indent);
        let cells: Vec<&str> = cells.collect();
        for (i, (cell, column)) in cells.iter().zip(columns).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            if i + 1 == cells.len() && column.align == Align::Left {
                text.push_str(cell);
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
        let columns = [Column::left("PATH", PATH_COLUMNS), Column::right("SIZE", 8), Column::left("WHO", 9)];
        table(
            &mut out,
            " ",
            &columns,
            true,
            &rows(&[&["/srv/データ", "1 KiB", "web"], &["/srv/ab", "2 MiB", "db"]]),
        );
        let lines: Vec<&str> = out.lines().collect();
        // データ is six columns wide: the rows below it are padded to match.
        assert_eq!(
            lines,
            [" PATH          SIZE  WHO", " /srv/データ  1 KiB  web", " /srv/ab      2 MiB  db"]
        );
    }

    #[test]
    fn long_cells_are_cut_with_an_ellipsis_but_the_last_column_stays_whole() {
        let mut out = String::new();
        let long = "n".repeat(50);
        let columns = [Column::left("NAME", 10), Column::left("LABELS", 10)];
        table(&mut out, "", &columns, false, &rows(&[&[&long, &long]]));
        assert_eq!(out, format!("nnnnnnnnn…  {long}\n"));
    }

    #[test]
    fn control_characters_in_cells_are_shown_and_counted_as_shown() {
        let mut out = String::new();
        let columns = [Column::left("PATH", PATH_COLUMNS), Column::left("MODE", 4)];
        table(&mut out, "", &columns, true, &rows(&[&["/a\x1b[41m\nb", "rw"], &["/c", "ro"]]));
        assert_eq!(out, "PATH           MODE\n/a\\x1b[41m\\nb  rw\n/c             ro\n");
    }
}
