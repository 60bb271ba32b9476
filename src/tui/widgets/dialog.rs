//! A dialog: a bordered box centred over the screen with a title, its text, and its keys
//! (each "key  what it does", the key's label from the key table).

use super::super::theme::Theme;
use super::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// A `w`x`h` rectangle centred in `area` (cut to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// One paragraph of a dialog: wrapped to the box, in a style.
pub struct Para {
    pub text: String,
    pub style: Style,
    /// At most this many lines (the last cut with …).
    pub max: usize,
}

/// A paragraph in the dialog's text style.
pub fn para(text: impl Into<String>, style: Style) -> Para {
    Para {
        text: text.into(),
        style,
        max: 4,
    }
}

pub struct Dialog<'a> {
    pub title: &'a str,
    pub title_style: Style,
    pub width: u16,
    pub body: Vec<Para>,
    /// A typed answer: (prompt, what is typed so far).
    pub entry: Option<(String, String)>,
    /// (key label, what it does).
    pub keys: Vec<(String, String)>,
    /// Dim text under the keys.
    pub after: Option<String>,
}

impl<'a> Dialog<'a> {
    /// A dialog titled `title` whose keys are `bindings` as the key table labels them
    /// (those with a hint; the others act without being listed).
    pub fn new(
        title: &'a str,
        t: &Theme,
        bindings: &[super::super::keys::Binding],
        keys: &super::super::keys::KeyMap,
    ) -> Dialog<'a> {
        Dialog {
            title,
            title_style: t.warn(),
            width: 66,
            body: vec![],
            entry: None,
            keys: bindings
                .iter()
                .filter(|b| !b.hint.is_empty())
                .map(|b| (keys.hint_label(b), b.help.to_string()))
                .collect(),
            after: None,
        }
    }

    /// The lines of the box at its inner width.
    fn lines(&self, inner: usize, t: &Theme) -> Vec<Line<'static>> {
        let mut lines: Vec<Line<'static>> = vec![];
        for p in &self.body {
            if p.text.is_empty() {
                lines.push(Line::from(""));
                continue;
            }
            lines.extend(
                wrap(&p.text, inner, p.max)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, p.style))),
            );
        }
        if let Some((prompt, typed)) = &self.entry {
            lines.push(Line::from(""));
            lines.push(Line::from(vec![
                Span::styled(format!("{prompt} "), t.bold()),
                Span::styled(typed.clone(), t.selected()),
                Span::styled("▏", t.dim()),
            ]));
        }
        if !self.keys.is_empty() {
            lines.push(Line::from(""));
            let col = self
                .keys
                .iter()
                .map(|(k, _)| k.chars().count())
                .max()
                .unwrap_or(0)
                + 1;
            for (k, what) in &self.keys {
                let room = inner.saturating_sub(col);
                for (i, l) in wrap(what, room, 3).into_iter().enumerate() {
                    let key = if i == 0 { k.as_str() } else { "" };
                    lines.push(Line::from(vec![
                        Span::styled(format!("{key:<col$}"), t.bold()),
                        Span::raw(l),
                    ]));
                }
            }
        }
        if let Some(after) = &self.after {
            lines.push(Line::from(""));
            lines.extend(
                wrap(after, inner, 3)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, t.dim()))),
            );
        }
        lines
    }

    pub fn render(&self, f: &mut Frame, area: Rect, t: &Theme) {
        let w = self.width.min(area.width);
        let inner = w.saturating_sub(2) as usize;
        let lines = self.lines(inner, t);
        let r = centered(area, w, lines.len() as u16 + 2);
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(Span::styled(format!(" {} ", self.title), self.title_style)),
            ),
            r,
        );
    }
}
