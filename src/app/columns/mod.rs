//! Each panel's columns, declared once: the header, how wide, which side, and how a row's cell
//! reads. The explorer's table (`ui/table.rs`) and `dockdu report`'s text (`cli/report.rs`) both
//! render from these, each face picking its columns in its own order; a cell's words differ
//! between faces only where a face says so here (a spinner while a size is coming, a date cut to
//! fit). Styling stays in the ui: a cell names its tone (a warning, a container's state), the ui
//! colours it. Cells are raw text: each face shows control characters visibly and cuts with `…`.
//!
//! Here in the app, below both faces: the ui may not use the script face, and the report has no
//! business with ratatui.

mod containers;
mod disk;
mod images;
mod mounts;
mod volumes;

use std::borrow::Cow;

use super::loading::Loading;
use crate::model::{ContainerState, Measure};
use crate::text::format::{self, Align};

pub use containers::CONTAINERS;
pub use disk::DISK;
pub use images::{BUILD_CACHE, IMAGES};
pub use mounts::{BINDS, TMPFS};
pub use volumes::{DANGLING_VOLUMES, VOLUMES};

/// A panel's columns: the explorer's, left to right, and the report's, which takes the same
/// descriptions in its own order and adds what only a whole report has room for.
pub struct Columns<R: 'static> {
    pub explorer: &'static [Column<R>],
    pub report: &'static [Column<R>],
}

/// One column: its header, how wide it may be in each face, its side, and how a row's cell reads.
pub struct Column<R> {
    /// The explorer's word; the report renames a few with `titled`.
    pub header: &'static str,
    pub align: Align,
    /// The explorer's rule: what the screen's width gives it.
    pub room: Room,
    /// Where a cell too long for its column is cut.
    pub cut: Cut,
    /// Never given up on a narrow terminal: what the row is about (a missing host path).
    pub essential: bool,
    pub cell: for<'r> fn(&'r R, &Face<'_>) -> Cell<'r>,
}

/// How the explorer shares the table's width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Room {
    /// Exactly this many columns: sizes, states, dates.
    Exactly(u16),
    /// A share, by this weight, of what the fixed columns leave: names and paths.
    Share(u16),
}

/// Where a cell too long for its column loses its `…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// In the middle, keeping the end that tells `shop-web-1` from `shop-web-2`, a path's file
    /// name, an image's tag: names and paths.
    Middle,
    /// At the end: lists (options, labels, tags), sizes, words.
    End,
}

/// Who shows the cells, and what it knows beyond the row.
#[derive(Debug, Clone, Copy)]
pub enum Face<'a> {
    /// The explorer: a size still being measured shows the spinner.
    Explorer { loading: &'a Loading, spinner: &'static str, measure: Measure },
    /// `dockdu report`, which waits for what it can measure: what is unknown stays `—`.
    Report { reveal_secrets: bool },
}

/// A cell's words and its tone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell<'r> {
    pub text: Cow<'r, str>,
    pub tone: Tone<'r>,
}

/// What a cell means beyond its words; the ui gives each its colour, the report none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone<'r> {
    Plain,
    /// Secondary: dates, options.
    Quiet,
    /// Wants attention: `dangling`.
    Warning,
    /// Something is wrong: a host path that is gone.
    Error,
    State(&'r ContainerState),
    /// A bind that hands the host to the container: loudest when writable.
    Danger {
        writable: bool,
    },
}

impl<R> Column<R> {
    pub const fn left(
        header: &'static str,
        room: Room,
        cell: for<'r> fn(&'r R, &Face<'_>) -> Cell<'r>,
    ) -> Self {
        // Names and paths share the width; each has its telling part at its end.
        let cut = match room {
            Room::Share(_) => Cut::Middle,
            Room::Exactly(_) => Cut::End,
        };
        Column { header, align: Align::Left, room, cut, essential: false, cell }
    }

    pub const fn right(
        header: &'static str,
        room: Room,
        cell: for<'r> fn(&'r R, &Face<'_>) -> Cell<'r>,
    ) -> Self {
        Column { header, align: Align::Right, room, cut: Cut::End, essential: false, cell }
    }

    /// Kept however narrow the terminal.
    pub const fn essential(self) -> Self {
        Column { essential: true, ..self }
    }

    /// A list (options, labels, tags): cut at its end.
    pub const fn listing(self) -> Self {
        Column { cut: Cut::End, ..self }
    }

    /// The same column under another header (the report's wording).
    pub const fn titled(self, header: &'static str) -> Self {
        Column { header, ..self }
    }
}

impl<'r> Cell<'r> {
    pub fn plain(text: impl Into<Cow<'r, str>>) -> Self {
        Cell { text: text.into(), tone: Tone::Plain }
    }

    pub fn toned(text: impl Into<Cow<'r, str>>, tone: Tone<'r>) -> Self {
        Cell { text: text.into(), tone }
    }

    /// A word shown only when `on` (`dangling`, `yes`), in `tone`.
    fn flag(on: bool, word: &'static str, tone: Tone<'r>) -> Self {
        Cell::toned(if on { word } else { "" }, tone)
    }
}

impl Face<'_> {
    /// A size that is known, still coming (the explorer's spinner), or not to be had (`?` in the
    /// explorer; `—` in the report).
    fn size(&self, bytes: Option<u64>, coming: impl FnOnce(&Loading) -> bool) -> Cow<'static, str> {
        match (bytes, self) {
            (Some(bytes), _) => format::size(Some(bytes)).into(),
            (None, Face::Report { .. }) => format::size(None).into(),
            (None, Face::Explorer { loading, spinner, .. }) if coming(loading) => (*spinner).into(),
            (None, Face::Explorer { .. }) => "?".into(),
        }
    }

    /// Which of an object's two sizes the face shows: the report shows the engine's.
    fn pick(&self, apparent: Option<u64>, on_disk: Option<u64>) -> Option<u64> {
        match self {
            Face::Explorer { measure, .. } => measure.pick(apparent, on_disk),
            Face::Report { .. } => apparent,
        }
    }

    fn reveal_secrets(&self) -> bool {
        matches!(self, Face::Report { reveal_secrets: true })
    }

    /// The engine's timestamp (`2026-11-20T10:00:00Z`): whole in the report, with a space for
    /// the `T` in the explorer, which reads it more than it parses it.
    fn timestamp<'r>(&self, at: &'r str) -> Cow<'r, str> {
        match self {
            Face::Report { .. } => at.into(),
            Face::Explorer { .. } => at.replace('T', " ").into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::{Container, ContainerId, Image, Volume};
    use crate::text::secrets::MASK;

    fn texts<R>(columns: &[Column<R>], row: &R, face: &Face) -> Vec<String> {
        columns.iter().map(|column| (column.cell)(row, face).text.into_owned()).collect()
    }

    fn headers<R>(columns: &[Column<R>]) -> Vec<&'static str> {
        columns.iter().map(|column| column.header).collect()
    }

    #[test]
    fn a_size_being_measured_shows_the_spinner_in_the_explorer_and_a_dash_in_the_report() {
        let web = Container { id: ContainerId::new("a1"), name: "web".into(), ..Default::default() };
        let mut loading = Loading::default();
        loading.containers.plan(1, [(&web.id, false)]);
        let explorer = Face::Explorer { loading: &loading, spinner: "⣾", measure: Measure::Apparent };
        let report = Face::Report { reveal_secrets: false };
        assert_eq!(texts(CONTAINERS.explorer, &web, &explorer), ["web", "created", "", "⣾", "⣾", "⣾", "0"]);
        assert_eq!(texts(CONTAINERS.report, &web, &report), ["web", "created", "—", "—", "—", "0", ""]);
        // No one is measuring it any more: the explorer says it cannot tell.
        loading.containers.answered(1, "a1");
        let explorer = Face::Explorer { loading: &loading, spinner: "⣾", measure: Measure::Apparent };
        assert_eq!(texts(CONTAINERS.explorer, &web, &explorer)[3], "?");
        let sized = Container { size_rw: Some(12 << 20), ..web };
        assert_eq!(texts(CONTAINERS.explorer, &sized, &explorer)[3], "12 MiB");
        assert_eq!(texts(CONTAINERS.report, &sized, &report)[2], "12 MiB");
    }

    #[test]
    fn the_explorer_shows_bytes_on_disk_when_asked_and_marks_a_log_without_a_bound() {
        use crate::model::logs::{ContainerLogs, LogConfig, LogFile};
        let file = LogFile {
            path: "/x-json.log".into(),
            size: 2048,
            disk_usage: 4096,
            current: true,
            identity: (0, 0),
        };
        let logs = ContainerLogs {
            config: LogConfig { driver: "json-file".into(), ..Default::default() },
            files: Ok(vec![file]),
        };
        let web = Container {
            name: "web".into(),
            size_rw: Some(1024),
            disk_usage: Some(8192),
            logs: Some(logs),
            ..Default::default()
        };
        let loading = Loading::default();
        let apparent = Face::Explorer { loading: &loading, spinner: "⣾", measure: Measure::Apparent };
        let on_disk = Face::Explorer { loading: &loading, spinner: "⣾", measure: Measure::OnDisk };
        assert_eq!(texts(CONTAINERS.explorer, &web, &apparent)[3..6], ["1 KiB", "! 2 KiB", "?"]);
        assert_eq!(texts(CONTAINERS.explorer, &web, &on_disk)[3..6], ["8 KiB", "! 4 KiB", "?"]);
        let logs_cell = (CONTAINERS.explorer[4].cell)(&web, &apparent);
        assert_eq!(logs_cell.tone, Tone::Danger { writable: false });
    }

    #[test]
    fn a_log_waits_with_a_spinner_only_while_its_containers_size_is_being_measured() {
        let web = Container { id: ContainerId::new("a1"), name: "web".into(), ..Default::default() };
        let mut loading = Loading::default();
        loading.containers.plan(1, [(&web.id, false)]);
        let logs = |c: &Container, loading: &Loading| {
            let face = Face::Explorer { loading, spinner: "⣾", measure: Measure::Apparent };
            texts(CONTAINERS.explorer, c, &face)[4].clone()
        };
        assert_eq!(logs(&web, &loading), "⣾", "measured with the layer, in the same inspect");
        // The engine's /system/df sized it before its inspect: only the log's settings are to come.
        let sized_by_the_engine = Container { size_rw: Some(0), ..web.clone() };
        assert_eq!(logs(&sized_by_the_engine, &loading), "…");
        // No log can be read here at all: nothing to wait for.
        loading.logs_closed = true;
        assert_eq!(logs(&web, &loading), "—");
    }

    #[test]
    fn both_faces_take_the_same_descriptions_in_their_own_order_and_words() {
        assert_eq!(
            headers(CONTAINERS.explorer),
            ["NAME", "STATE", "IMAGE", "WRITABLE", "LOGS", "VIRTUAL", "MOUNTS"]
        );
        assert_eq!(
            headers(CONTAINERS.report),
            ["NAME", "STATE", "WRITABLE", "VIRTUAL", "LOGS", "MOUNTS", "IMAGE"]
        );
        assert_eq!(headers(BINDS.report), ["HOST PATH", "CONTAINER:PATH", "MODE", "STATUS", "DANGER"]);
        assert_eq!(headers(IMAGES.report)[5], "CONTAINERS");
        let image =
            Image { id: format!("sha256:{}", "f0".repeat(32)).into(), dangling: true, ..Default::default() };
        let loading = Loading::default();
        let explorer = Face::Explorer { loading: &loading, spinner: "⣾", measure: Measure::Apparent };
        // The explorer has no ID column: an untagged image is named by its short id there.
        assert_eq!(texts(IMAGES.explorer, &image, &explorer)[0], "<none> f0f0f0f0f0f0");
        let report = texts(IMAGES.report, &image, &Face::Report { reveal_secrets: false });
        assert_eq!(report[..2], ["<none>", "f0f0f0f0f0f0"]);
    }

    #[test]
    fn secret_looking_labels_are_masked_unless_the_report_reveals_them() {
        let volume = Volume {
            name: "share".into(),
            labels: BTreeMap::from([("api_token".to_owned(), "hunter2".to_owned())]),
            ..Default::default()
        };
        let labels = |face: &Face| texts(VOLUMES.report, &volume, face).pop().unwrap_or_default();
        assert_eq!(labels(&Face::Report { reveal_secrets: false }), format!("api_token={MASK}"));
        assert_eq!(labels(&Face::Report { reveal_secrets: true }), "api_token=hunter2");
        let loading = Loading::default();
        assert_eq!(
            labels(&Face::Explorer { loading: &loading, spinner: "⣾", measure: Measure::Apparent }),
            format!("api_token={MASK}")
        );
    }
}
