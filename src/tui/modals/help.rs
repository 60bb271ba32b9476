//! `?`: why the step matters and every key of it, in a pane that scrolls to its end
//! (the list keys) and closes on the quit and back keys only, so a key pressed to read
//! on does not close it.

use crate::tui::keys::{self, Binding, Command, KeyMap};
use crate::tui::theme::Theme;
use crate::tui::widgets::{Scroll, dialog::centered, wrap};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Help {
    pub scroll: Scroll,
}

/// The keys of the help pane, as its footer shows them.
pub const BINDINGS: &[Binding] = &[
    keys::on(
        keys::Scope::List,
        &[Command::Up, Command::Down],
        "scroll",
        "scroll",
    ),
    keys::ENDS,
    keys::PAGE,
    CLOSE,
];

/// The keys that close it (the others read on).
pub const CLOSE: Binding = keys::on(
    keys::Scope::Global,
    &[Command::Back, Command::Quit],
    "close",
    "close",
);

/// What the step shows in its help.
pub struct Content<'a> {
    pub title: String,
    pub why: &'a str,
    pub bindings: Vec<Binding>,
    pub foot: String,
}

impl Help {
    /// A key: true while the pane stays open.
    pub fn key(&mut self, k: &KeyEvent, keys: &KeyMap) -> bool {
        match keys.command(BINDINGS, k) {
            Some(Command::Back | Command::Quit) => false,
            Some(cmd) => {
                self.scroll.on(cmd);
                true
            }
            None => true,
        }
    }

    pub fn render(&self, f: &mut Frame, area: Rect, c: &Content, keys: &KeyMap, t: &Theme) {
        let w = area.width.saturating_sub(4).min(90);
        let inner = w.saturating_sub(2) as usize;
        let mut lines: Vec<Line> = wrap(c.why, inner, usize::MAX)
            .into_iter()
            .map(Line::from)
            .collect();
        lines.push(Line::from(""));
        let labels: Vec<String> = c.bindings.iter().map(|b| keys.help_label(b)).collect();
        let col = labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(12, 24)
            + 2;
        for (b, label) in c.bindings.iter().zip(labels) {
            let room = inner.saturating_sub(col).max(10);
            for (i, text) in wrap(b.help, room, usize::MAX).into_iter().enumerate() {
                let key = if i == 0 { label.as_str() } else { "" };
                lines.push(Line::from(vec![
                    Span::styled(format!("{key:<col$}"), t.bold()),
                    Span::raw(text),
                ]));
            }
        }
        lines.push(Line::from(""));
        lines.extend(
            wrap(&c.foot, inner, usize::MAX)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, t.dim()))),
        );
        let h = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
        let r = centered(area, w, h);
        f.render_widget(Clear, r);
        self.scroll.render(
            f,
            r,
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(format!(" {} ", c.title), t.title())),
            lines,
        );
    }
}
