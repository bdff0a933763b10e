//! One scrollable list, for every place that scrolls: a window of `height` rows onto `len`
//! rows, and, in lists with a selection, the selected row, kept inside the window.

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    /// The selected row, in lists that have one.
    pub selected: usize,
    /// The first row shown.
    pub offset: usize,
}

impl Scroll {
    /// A document: moves the window by `delta`, stopping with the last row at the bottom.
    pub fn scroll_by(&mut self, delta: isize, len: usize, height: usize) {
        self.offset = self.offset.saturating_add_signed(delta).min(len.saturating_sub(height));
    }

    /// A document: its last rows.
    pub fn scroll_to_end(&mut self, len: usize, height: usize) {
        self.offset = len.saturating_sub(height);
    }

    /// A list: selects `position` (the last row at most) and scrolls so it shows.
    pub fn select(&mut self, position: usize, len: usize, height: usize) {
        self.selected = position.min(len.saturating_sub(1));
        self.keep_visible(len, height);
    }

    /// A list: moves the selection by `delta`.
    pub fn move_by(&mut self, delta: isize, len: usize, height: usize) {
        self.select(self.selected.saturating_add_signed(delta), len, height);
    }

    /// Scrolls so the selection shows, and no further than the rows go.
    pub fn keep_visible(&mut self, len: usize, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }

    /// The selection's row within the window.
    pub fn selected_on_screen(&self) -> usize {
        self.selected.saturating_sub(self.offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selection_stays_in_the_window_and_the_window_in_the_rows() {
        let mut list = Scroll::default();
        list.move_by(7, 10, 4);
        assert_eq!((list.selected, list.offset), (7, 4));
        list.move_by(100, 10, 4);
        assert_eq!((list.selected, list.offset), (9, 6));
        list.move_by(-8, 10, 4);
        assert_eq!((list.selected, list.offset), (1, 1));
        list.keep_visible(3, 4);
        assert_eq!(list.offset, 0, "fewer rows than the window: from the top");
    }

    #[test]
    fn a_document_stops_with_its_last_row_at_the_bottom() {
        let mut text = Scroll::default();
        text.scroll_by(1000, 30, 10);
        assert_eq!(text.offset, 20);
        text.scroll_by(-3, 30, 10);
        assert_eq!(text.offset, 17);
        text.scroll_by(-100, 30, 10);
        assert_eq!(text.offset, 0);
        text.scroll_to_end(30, 10);
        assert_eq!(text.offset, 20);
    }
}
