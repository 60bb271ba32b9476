//! The Checks view (`c`): every finding for the current choices, filterable by severity,
//! with the why and fix of the selected one. Findings are a pure function of the inventory
//! and the choices (rules::evaluate), so the view recomputes them when it draws.

use crate::rules::{Finding, Severity};
use crate::tui::keys::{self, Binding, Command, KeyMap, Scope, on};
use crate::tui::screens::{Nav, clamp_offset};
use crate::tui::theme::Theme;
use crate::tui::widgets::findings::finding_line;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};
use std::cell::Cell;

pub const BINDINGS: &[Binding] = &[
    keys::MOVE,
    on(
        Scope::Checks,
        &[Command::Severity],
        "filter by severity",
        "filter by severity",
    ),
    on(Scope::Checks, &[Command::Close], "close", "close"),
    on(
        Scope::List,
        &[Command::First, Command::Last],
        "",
        "first / last",
    ),
    keys::PAGE,
];

#[derive(Debug, Clone, Default)]
pub struct ChecksView {
    pub selected: usize,
    offset: Cell<usize>,
    /// None: all severities.
    pub only: Option<Severity>,
}

impl PartialEq for ChecksView {
    fn eq(&self, other: &Self) -> bool {
        self.selected == other.selected && self.only == other.only
    }
}

impl ChecksView {
    pub fn visible<'a>(&self, all: &'a [Finding]) -> Vec<&'a Finding> {
        all.iter()
            .filter(|f| self.only.is_none_or(|s| f.severity == s))
            .collect()
    }

    /// Keys while the view is open; returns false when it should close.
    pub fn handle_key(&mut self, k: KeyEvent, all: &[Finding], keys: &KeyMap) -> bool {
        let n = self.visible(all).len();
        match keys.command(BINDINGS, &k) {
            Some(Command::Close) => return false,
            Some(Command::Severity) => {
                self.only = match self.only {
                    None => Some(Severity::Error),
                    Some(Severity::Error) => Some(Severity::Warn),
                    Some(Severity::Warn) => Some(Severity::Info),
                    Some(Severity::Info) => None,
                };
                self.selected = 0;
            }
            Some(cmd) => {
                if let Some(nav) = Nav::of(cmd) {
                    self.selected = nav.apply(self.selected, n, 10);
                }
            }
            None => {}
        }
        true
    }

    pub fn render(&self, f: &mut Frame, area: Rect, all: &[Finding], scope: &str, t: &Theme) {
        let rows = self.visible(all);
        let sel = self.selected.min(rows.len().saturating_sub(1));
        let (e, w, i) = crate::rules::summary(all);
        let filter = match self.only {
            None => "all".to_string(),
            Some(s) => format!("{} only", s.as_str()),
        };
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(
                " Checks · {scope} · {}, {}, {i} info · {filter} ",
                crate::tui::screens::plural(e, "error"),
                crate::tui::screens::plural(w, "warning")
            ),
            t.title(),
        ));
        let r = area.inner(ratatui::layout::Margin::new(1, 0));
        f.render_widget(Clear, r);
        let inner = block.inner(r);
        f.render_widget(block, r);
        // Its keys are in the footer, as every dialog's.
        let [list_area, detail_area] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(8)]).areas(inner);
        if rows.is_empty() {
            let msg = if all.is_empty() {
                "✓ No findings: nothing checked so far breaks a private cluster."
            } else {
                "No finding of this severity (f changes the filter)."
            };
            f.render_widget(Paragraph::new(msg).style(t.ok()), list_area);
        } else {
            let items: Vec<ListItem> = rows
                .iter()
                .map(|x| ListItem::new(finding_line(x, t, list_area.width as usize)))
                .collect();
            let offset = clamp_offset(self.offset.get(), sel, list_area.height as usize);
            self.offset.set(offset);
            let mut state = ListState::default()
                .with_selected(Some(sel))
                .with_offset(offset);
            f.render_stateful_widget(
                List::new(items).highlight_style(t.selected()),
                list_area,
                &mut state,
            );
            let x = rows[sel];
            // The selected finding whole: the list cuts it to the width.
            let detail = vec![
                Line::from(Span::raw(format!("{}: {}", x.subject, x.message))),
                Line::from(vec![Span::styled("Why: ", t.bold()), Span::raw(x.why)]),
                Line::from(vec![
                    Span::styled("Fix: ", t.bold()),
                    Span::raw(x.fix.clone()),
                ]),
                Line::from(Span::styled(x.docs, t.dim())),
            ];
            f.render_widget(
                Paragraph::new(detail)
                    .wrap(Wrap { trim: true })
                    .block(Block::default().borders(Borders::TOP)),
                detail_area,
            );
        }
    }
}
