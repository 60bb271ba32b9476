//! A list of rows under section headings, one row under the cursor: the steps' lists
//! (endpoints, their group, the secondary CIDR, custom networking, access, DNS). The
//! cursor's row stays in view, and so does its heading when the row is first under it.

use crate::report::trunc;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};
use std::cell::Cell;

/// The list being built: headings and rows, and which line the cursor's row is.
pub struct Sections<'a> {
    items: Vec<ListItem<'a>>,
    cursor_line: usize,
    last_heading: Option<String>,
    width: usize,
}

impl<'a> Sections<'a> {
    /// A list `width` columns wide.
    pub fn new(width: usize) -> Sections<'a> {
        Sections {
            items: vec![],
            cursor_line: 0,
            last_heading: None,
            width,
        }
    }

    /// A heading line, drawn when it differs from the last one.
    pub fn heading(&mut self, text: &str, t: &Theme) {
        self.heading_of(text, text, t);
    }

    /// The heading of section `key`, drawn as `text` when the section differs from the
    /// last one (its text may say more, such as a count, than the section's name).
    pub fn heading_of(&mut self, key: &str, text: &str, t: &Theme) {
        if self.last_heading.as_deref() == Some(key) {
            return;
        }
        self.last_heading = Some(key.to_string());
        self.items.push(ListItem::new(Line::from(Span::styled(
            trunc(text, self.width),
            t.title(),
        ))));
    }

    /// A row; `cursor` when it is the one under the cursor.
    pub fn row(&mut self, line: Line<'a>, cursor: bool) {
        if cursor {
            self.cursor_line = self.items.len();
        }
        self.items.push(ListItem::new(line));
    }

    /// Draw it in `area`, scrolled as little as keeps the cursor's row (and the heading
    /// just above it) in view; `offset` is the screen's, kept between frames.
    pub fn render(self, f: &mut Frame, area: Rect, offset: &Cell<usize>, t: &Theme) {
        let visible = area.height as usize;
        let cursor = self.cursor_line;
        let mut first = crate::tui::screens::clamp_offset(offset.get(), cursor, visible);
        if cursor > 0 && first == cursor && visible > 1 {
            first -= 1;
        }
        offset.set(first);
        let mut state = ListState::default()
            .with_selected(Some(cursor))
            .with_offset(first);
        f.render_stateful_widget(
            List::new(self.items).highlight_style(t.selected()),
            area,
            &mut state,
        );
    }
}
