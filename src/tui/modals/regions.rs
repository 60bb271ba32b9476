//! Step 1's region list (a pop-up over the VPC list): the regions the account may use
//! (DescribeRegions: opted in, or needing no opt-in), the one read marked; `/` filters;
//! choosing another region reads the account there.

use crate::report::trunc;
use crate::tui::keys::{self, Binding, Command, KeyMap, Scope, on};
use crate::tui::screens::Nav;
use crate::tui::theme::Theme;
use crate::tui::widgets::{FieldKey, TextField};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegionPicker {
    pub cursor: usize,
    pub filter: TextField,
    pub filtering: bool,
    /// Placed on the current region once.
    placed: bool,
}

/// What a key did.
#[derive(Debug, Clone, PartialEq)]
pub enum Picked {
    Stay,
    Close,
    Region(String),
}

pub const BINDINGS: &[Binding] = &[
    keys::MOVE,
    on(
        Scope::Vpcs,
        &[Command::Choose],
        "read it",
        "read the account in this region",
    ),
    on(Scope::Vpcs, &[Command::Filter], "filter", "filter by name"),
    on(Scope::Checks, &[Command::Close], "close", "close the list"),
    keys::ENDS,
    keys::PAGE,
];

impl RegionPicker {
    /// Its keys (none bound while the filter is typed: Enter keeps it, Esc clears it).
    pub fn bindings(&self) -> &'static [Binding] {
        if self.filtering { &[] } else { BINDINGS }
    }

    pub fn visible<'a>(&self, regions: &'a [String]) -> Vec<&'a String> {
        let f = self.filter.value().to_lowercase();
        regions.iter().filter(|r| r.contains(&f)).collect()
    }

    /// Start on the region read.
    pub fn place(&mut self, regions: &[String], current: &str) {
        if !self.placed {
            self.placed = true;
            self.cursor = regions.iter().position(|r| r == current).unwrap_or(0);
        }
    }

    pub fn handle_key(&mut self, k: KeyEvent, regions: &[String], keys: &KeyMap) -> Picked {
        if self.filtering {
            match self.filter.key(&k) {
                FieldKey::Done => self.filtering = false,
                FieldKey::Cancel => {
                    self.filtering = false;
                    self.filter = TextField::default();
                }
                FieldKey::Edited => {}
            }
            self.cursor = 0;
            return Picked::Stay;
        }
        let n = self.visible(regions).len();
        match keys.command(BINDINGS, &k) {
            Some(Command::Close) if !self.filter.value().is_empty() => {
                self.filter = TextField::default();
                self.cursor = 0;
                Picked::Stay
            }
            Some(Command::Close) => Picked::Close,
            Some(Command::Filter) => {
                self.filtering = true;
                Picked::Stay
            }
            Some(Command::Choose) => match self.visible(regions).get(self.cursor) {
                Some(r) => Picked::Region((*r).clone()),
                None => Picked::Stay,
            },
            Some(cmd) => {
                if let Some(nav) = Nav::of(cmd) {
                    self.cursor = nav.apply(self.cursor, n, 10);
                }
                Picked::Stay
            }
            None => Picked::Stay,
        }
    }

    pub fn render(
        &self,
        f: &mut Frame,
        area: Rect,
        regions: &[String],
        current: &str,
        keys: &KeyMap,
        t: &Theme,
    ) {
        let w = area.width.min(48);
        let h = area.height.min(20);
        let rect = Rect {
            x: area.x + (area.width - w) / 2,
            y: area.y + (area.height - h) / 2,
            width: w,
            height: h,
        };
        f.render_widget(Clear, rect);
        let rows = self.visible(regions);
        let block = Block::default().borders(Borders::ALL).title(format!(
            " Region · {} of {} ",
            rows.len(),
            regions.len()
        ));
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        let [filter_area, list_area, hint_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        let shown = if self.filtering {
            self.filter.shown()
        } else {
            self.filter.value().to_string()
        };
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("/ ", t.bold()),
                Span::raw(shown),
            ])),
            filter_area,
        );
        if regions.is_empty() {
            f.render_widget(
                Paragraph::new(
                    "No region list: it arrives with the account (or DescribeRegions is not allowed).",
                )
                .style(t.warn())
                .wrap(ratatui::widgets::Wrap { trim: true }),
                list_area,
            );
        } else {
            let width = list_area.width as usize;
            let items: Vec<ListItem> = rows
                .iter()
                .map(|r| {
                    let here = r.as_str() == current;
                    ListItem::new(Line::from(vec![
                        Span::styled(if here { "● " } else { "  " }, t.ok()),
                        Span::raw(trunc(r, width.saturating_sub(12))),
                        Span::styled(if here { "  (read now)" } else { "" }, t.dim()),
                    ]))
                })
                .collect();
            let mut state = ListState::default()
                .with_selected((!rows.is_empty()).then_some(self.cursor.min(rows.len() - 1)));
            f.render_stateful_widget(
                List::new(items).highlight_style(t.selected()),
                list_area,
                &mut state,
            );
        }
        let hints: Vec<String> = if self.filtering {
            vec!["Enter keep".into(), "Esc clear".into()]
        } else {
            BINDINGS
                .iter()
                .filter(|b| !b.hint.is_empty())
                .take(4)
                .map(|b| format!("{} {}", keys.hint_label(b), b.hint))
                .collect()
        };
        f.render_widget(
            Paragraph::new(trunc(&hints.join("  "), hint_area.width as usize)).style(t.dim()),
            hint_area,
        );
    }
}
