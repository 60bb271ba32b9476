//! The top and bottom of a step's screen around its list: the intro line (what the step
//! is, bold, and its keys in a word, dim), status lines, the step's worst two findings,
//! lines under them, and the detail of the row under the cursor at the bottom. It draws
//! them and gives the list the room in between.

use crate::report::trunc;
use crate::rules::Finding;
use crate::tui::theme::Theme;
use crate::tui::widgets::findings::finding_line_short;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub struct StepHeader<'a> {
    /// What the step is (bold).
    pub intro: &'a str,
    /// Its keys in a word (dim), cut to what is left of the line.
    pub hint: &'a str,
    /// Lines under the intro.
    pub status: Vec<Line<'a>>,
    /// The step's findings: the first two are shown.
    pub findings: Vec<&'a Finding>,
    /// Say how many more there are (`(+3 more: c)`) on the last one shown.
    pub more: bool,
    /// Lines under the findings.
    pub after: Vec<Line<'a>>,
    /// The row under the cursor, whole, at the bottom.
    pub detail: Vec<String>,
    pub detail_style: Style,
}

impl<'a> StepHeader<'a> {
    pub fn new(intro: &'a str, hint: &'a str, findings: Vec<&'a Finding>, t: &Theme) -> Self {
        StepHeader {
            intro,
            hint,
            status: vec![],
            findings,
            more: false,
            after: vec![],
            detail: vec![],
            detail_style: t.dim(),
        }
    }

    /// Draw all but the list; the list's area.
    pub fn render(self, f: &mut Frame, area: Rect, t: &Theme) -> Rect {
        let width = area.width as usize;
        let shown = self.findings.len().min(2);
        let [intro, status, checks, after, list, detail] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(self.status.len() as u16),
            Constraint::Length(shown as u16),
            Constraint::Length(self.after.len() as u16),
            Constraint::Min(3),
            Constraint::Length(self.detail.len() as u16),
        ])
        .areas(area);
        let room = width.saturating_sub(self.intro.chars().count());
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(self.intro, t.bold()),
                Span::styled(trunc(self.hint, room), t.dim()),
            ])),
            intro,
        );
        f.render_widget(Paragraph::new(self.status), status);
        let more = match self.findings.len() {
            n if self.more && n > 2 => format!("  (+{} more: c)", n - 2),
            _ => String::new(),
        };
        let lines: Vec<Line> = self
            .findings
            .iter()
            .take(shown)
            .enumerate()
            .map(|(i, x)| {
                let suffix = if i + 1 == shown { more.as_str() } else { "" };
                let mut x = (*x).clone();
                x.message = trunc(&x.message, width.saturating_sub(6 + suffix.chars().count()));
                let mut line = finding_line_short(&x, t);
                if !suffix.is_empty() {
                    line.spans.push(Span::styled(suffix.to_string(), t.dim()));
                }
                line
            })
            .collect();
        f.render_widget(Paragraph::new(lines), checks);
        f.render_widget(Paragraph::new(self.after), after);
        f.render_widget(
            Paragraph::new(self.detail.into_iter().map(Line::from).collect::<Vec<_>>())
                .style(self.detail_style),
            detail,
        );
        list
    }
}
