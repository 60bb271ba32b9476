//! A scrollable pane of lines: the finished apply, `?` help, the attributes of an action.
//! The pane remembers the geometry it was last drawn with, so every key reaches the end
//! of what is shown (the rows under a header and above a summary included), whatever the
//! window's height.

use super::super::keys::Command as Nav;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use std::cell::Cell;

/// Where a pane is scrolled to, and the geometry it was last drawn with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scroll {
    /// The first line shown; past the end means "the end".
    offset: usize,
    /// (lines, rows) at the last draw.
    drawn: Cell<(usize, usize)>,
}

impl Scroll {
    /// The first line shown at the last draw.
    pub fn offset(&self) -> usize {
        let (total, rows) = self.drawn.get();
        self.offset.min(total.saturating_sub(rows))
    }

    /// Back to the top (new content).
    pub fn reset(&mut self) {
        self.offset = 0;
    }

    /// A list command moves the pane: a line, a page, to either end. Other commands do
    /// nothing (false).
    pub fn on(&mut self, nav: Nav) -> bool {
        let (total, rows) = self.drawn.get();
        let last = total.saturating_sub(rows.max(1));
        let page = rows.saturating_sub(1).max(1);
        let cur = self.offset();
        self.offset = match nav {
            Nav::Up => cur.saturating_sub(1),
            Nav::Down => (cur + 1).min(last),
            Nav::First => 0,
            // Before the first draw the geometry is unknown: the draw clamps it.
            Nav::Last if total == 0 => usize::MAX,
            Nav::Last => last,
            Nav::PageUp => cur.saturating_sub(page),
            Nav::PageDown => (cur + page).min(last),
            _ => return false,
        };
        true
    }

    /// Draw `lines` in `area` inside `block` (its borders, its title), from the offset;
    /// when they do not all fit, the bottom border says which lines show.
    pub fn render(&self, f: &mut Frame, area: Rect, block: Block<'_>, lines: Vec<Line<'_>>) {
        let inner = block.inner(area);
        let rows = inner.height as usize;
        let total = lines.len();
        self.drawn.set((total, rows));
        let from = self.offset();
        let block = if total > rows && rows > 0 {
            let to = (from + rows).min(total);
            block.title_bottom(Line::from(Span::raw(format!(
                " {}–{to} of {total} ",
                from + 1
            ))))
        } else {
            block
        };
        let shown: Vec<Line> = lines.into_iter().skip(from).take(rows).collect();
        f.render_widget(Paragraph::new(shown).block(block), area);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawn(total: usize, rows: usize) -> Scroll {
        let s = Scroll::default();
        s.drawn.set((total, rows));
        s
    }

    #[test]
    fn every_key_stops_at_the_last_page() {
        let mut s = drawn(50, 20);
        s.on(Nav::Last);
        assert_eq!(s.offset(), 30);
        s.on(Nav::Down);
        assert_eq!(s.offset(), 30);
        s.on(Nav::PageUp);
        assert_eq!(s.offset(), 11);
        s.on(Nav::PageDown);
        s.on(Nav::PageDown);
        assert_eq!(s.offset(), 30);
        s.on(Nav::First);
        assert_eq!(s.offset(), 0);
        s.on(Nav::Up);
        assert_eq!(s.offset(), 0);
    }

    #[test]
    fn the_end_before_the_first_draw_is_the_end_after_it() {
        let mut s = Scroll::default();
        s.on(Nav::Last);
        s.drawn.set((40, 10));
        assert_eq!(s.offset(), 30);
        // A window that grew shows more, from an earlier line.
        s.drawn.set((40, 35));
        assert_eq!(s.offset(), 5);
    }

    #[test]
    fn what_fits_does_not_scroll() {
        let mut s = drawn(5, 20);
        s.on(Nav::Down);
        s.on(Nav::PageDown);
        assert_eq!(s.offset(), 0);
    }
}
