//! Screen geometry, shared by drawing and by the app (to keep the selection visible and to map
//! mouse clicks to rows).

use ratatui::layout::Rect;

/// Below this the layout cannot show a table and its details legibly.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;
/// The table keeps at least this many rows of data (plus its border and column header) at the
/// minimum size; the detail pane gives way first.
const MIN_TABLE_ROWS: u16 = 3;
/// From this width the detail pane sits beside the table instead of below it.
const SIDE_BY_SIDE_WIDTH: u16 = 140;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub tabs: Rect,
    /// A failed request's line above the table; zero rows when all is well.
    pub banner: Rect,
    pub table: Rect,
    pub detail: Rect,
    pub footer: Rect,
    /// Tabs, table and detail together: where overlays go.
    pub body: Rect,
}

pub fn too_small((width, height): (u16, u16)) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// The screen's parts; `banner` gives a failed request's line its row. Stacked, the table takes
/// what its `rows` need (at least `MIN_TABLE_ROWS`) up to its share, and the detail pane the
/// rest: a panel of four rows leaves the detail room to say everything.
pub fn areas(area: Rect, banner: bool, rows: usize) -> Areas {
    let row = |y: u16, height: u16| Rect { x: area.x, y, width: area.width, height };
    let header = row(area.y, header_rows(area.height).min(area.height));
    let footer = row(area.bottom().saturating_sub(1), 1.min(area.height));
    let tabs = row(header.bottom(), 1);
    let banner = row(tabs.bottom(), u16::from(banner));
    let main_top = banner.bottom();
    let main_height = footer.y.saturating_sub(main_top);
    let main = row(main_top, main_height);
    let (table, detail) = if area.width >= SIDE_BY_SIDE_WIDTH {
        let table_width = area.width * 62 / 100;
        (
            Rect { width: table_width, ..main },
            Rect { x: main.x + table_width, width: main.width - table_width, ..main },
        )
    } else {
        let detail_height = (main_height * 2 / 5)
            .clamp(7, 14)
            .min(main_height.saturating_sub(MIN_TABLE_ROWS + 3))
            .min(main_height);
        // Border, column header, border: 3 rows around the data.
        let wanted = u16::try_from(rows).unwrap_or(u16::MAX).max(MIN_TABLE_ROWS).saturating_add(3);
        let table_height = (main_height - detail_height).min(wanted);
        let detail_height = main_height - table_height;
        (row(main_top, table_height), row(main_top + table_height, detail_height))
    };
    let body = row(tabs.y, footer.y.saturating_sub(tabs.y));
    Areas { header, tabs, banner, table, detail, footer, body }
}

/// The header's lines: the engine; the totals; the build cache and what is reclaimable. A short
/// terminal keeps the totals first (in one line with the live marker), then the engine's line.
pub fn header_rows(height: u16) -> u16 {
    match height {
        24.. => 3,
        18..=23 => 2,
        _ => 1,
    }
}

fn screen((width, height): (u16, u16)) -> Rect {
    Rect { x: 0, y: 0, width, height }
}

/// Table rows that fit between the border and the column header, for a panel of `rows`.
pub fn table_rows(size: (u16, u16), banner: bool, rows: usize) -> usize {
    usize::from(areas(screen(size), banner, rows).table.height.saturating_sub(3))
}

/// The detail pane's columns and rows inside its border.
pub fn detail_inner(size: (u16, u16), banner: bool, rows: usize) -> (usize, usize) {
    let detail = areas(screen(size), banner, rows).detail;
    (usize::from(detail.width.saturating_sub(2)), usize::from(detail.height.saturating_sub(2)))
}

/// The visible table row under a click, counted from the top of the view.
pub fn table_row_at(size: (u16, u16), banner: bool, rows: usize, column: u16, row: u16) -> Option<usize> {
    let table = areas(screen(size), banner, rows).table;
    let first = table.y + 2;
    let inside = column > table.x && column < table.right().saturating_sub(1);
    (inside && row >= first && row < table.bottom().saturating_sub(1)).then(|| usize::from(row - first))
}

/// The tab under a click, given each tab's width (tabs are as wide as their labels).
pub fn tab_at(size: (u16, u16), column: u16, row: u16, widths: &[u16]) -> Option<usize> {
    let tabs = areas(screen(size), false, 0).tabs;
    if row != tabs.y || column < tabs.x {
        return None;
    }
    let mut start = tabs.x;
    for (index, width) in widths.iter().enumerate() {
        if column < start.saturating_add(*width) {
            return Some(index);
        }
        start = start.saturating_add(*width);
    }
    None
}

/// The widest the help gets.
const HELP_WIDTH: u16 = 72;

/// Where the help goes: centred in the body, as tall as its `lines` allow.
pub fn help_area(size: (u16, u16), lines: usize) -> Rect {
    let body = areas(screen(size), false, 0).body;
    let width = HELP_WIDTH.min(body.width);
    let height = u16::try_from(lines + 2).unwrap_or(u16::MAX).min(body.height);
    Rect { x: body.x + (body.width - width) / 2, y: body.y + (body.height - height) / 2, width, height }
}

/// The help's text columns and the lines it shows at once.
pub fn help_room(size: (u16, u16)) -> (usize, usize) {
    let body = areas(screen(size), false, 0).body;
    (usize::from(HELP_WIDTH.min(body.width).saturating_sub(2)), usize::from(body.height.saturating_sub(2)))
}

/// Lines of JSON the inspect overlay shows at once.
pub fn inspect_rows(size: (u16, u16)) -> usize {
    usize::from(areas(screen(size), false, 0).body.height.saturating_sub(3))
}

/// Rows of entries the browser shows at once (its border, header lines and column titles
/// aside).
pub fn browser_rows(size: (u16, u16)) -> usize {
    usize::from(areas(screen(size), false, 0).body.height.saturating_sub(6))
}

/// The widest the removal preview and its outcome get.
const LIST_DIALOG_WIDTH: u16 = 100;

/// Where the removal preview and its outcome go: the whole height under the tabs, so the dialog's
/// top and bottom borders lie on the panels' own (never one row beside them, which reads as a
/// doubled border).
pub fn list_dialog(body: Rect) -> Rect {
    let main = Rect { y: body.y + 1, height: body.height.saturating_sub(1), ..body };
    let width = LIST_DIALOG_WIDTH.min(main.width);
    Rect { x: main.x + (main.width - width) / 2, width, ..main }
}

/// Columns and rows inside the list dialog's border, for wrapping and scrolling its lines.
pub fn list_dialog_inner(size: (u16, u16)) -> (usize, usize) {
    let area = list_dialog(areas(screen(size), false, 0).body);
    (usize::from(area.width.saturating_sub(2)), usize::from(area.height.saturating_sub(2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eighty_by_twenty_four_stacks_table_over_detail() {
        let a = areas(screen((80, 24)), false, 100);
        assert_eq!((a.header.height, a.tabs.y, a.footer.y), (3, 3, 23));
        assert_eq!(a.table.height + a.detail.height, 19);
        assert_eq!(a.detail.y, a.table.bottom());
        assert_eq!(table_rows((80, 24), false, 100), 9);
    }

    #[test]
    fn a_banner_takes_one_row_from_the_table_and_moves_clicks_down() {
        let a = areas(screen((80, 24)), true, 100);
        assert_eq!((a.banner.y, a.banner.height, a.table.y), (4, 1, 5));
        assert_eq!(a.table.height + a.detail.height, 18, "the row comes out of the panes");
        assert_eq!(table_row_at((80, 24), true, 100, 5, 7), Some(0));
    }

    #[test]
    fn wide_terminals_put_detail_beside_the_table() {
        let a = areas(screen((200, 50)), false, 100);
        assert_eq!(a.table.y, a.detail.y);
        assert_eq!(a.table.width + a.detail.width, 200);
    }

    #[test]
    fn clicks_map_to_rows_inside_the_table_only() {
        assert_eq!(table_row_at((80, 24), false, 100, 5, 6), Some(0));
        assert_eq!(table_row_at((80, 24), false, 100, 5, 5), None, "the column header");
        assert_eq!(table_row_at((80, 24), false, 100, 0, 7), None, "the border");
        assert_eq!(tab_at((80, 24), 20, 3, &[16, 13, 11]), Some(1));
        assert_eq!(tab_at((80, 24), 45, 3, &[16, 13, 11]), None, "past the last tab");
    }

    #[test]
    fn list_dialogs_cover_the_panels_exactly_from_top_border_to_bottom_border() {
        for size in [(80, 24), (100, 30), (200, 50)] {
            let a = areas(screen(size), false, 100);
            let dialog = list_dialog(a.body);
            assert_eq!((dialog.y, dialog.bottom()), (a.table.y, a.detail.bottom()), "{size:?}");
        }
        assert_eq!(list_dialog_inner((80, 24)), (78, 17));
        assert_eq!(list_dialog_inner((200, 50)).0, 98);
    }
}
