//! The last step, the preview: the plan for the spec the choices make, in the same text as
//! `plan --spec` (Terraform's conventions), with the rule warnings above it; error findings
//! are listed instead. `a` applies it (after typing `yes`), and the progress screen follows
//! the apply engine's events.

use super::super::theme::Theme;
use super::{Nav, ScreenCtx, WizardScreen};
use crate::apply::{Event, Summary};
use crate::plan::Op;
use crate::tui::intent::Intent;
use crate::tui::keys::{self, Binding, Command, Scope, on};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use std::time::Duration;

pub const WHY: &str = "Nothing changes until you apply: this is every call apply would make, read against the account as it is now. `+` creates, `~` changes in place; what already matches is adopted. Apply asks you to type yes, runs the steps in dependency order, and can be resumed if it is cut.";

/// The first line shown after `nav`, for `total` lines in a window of `page`.
fn scroll(offset: usize, nav: Nav, total: usize, page: usize) -> usize {
    let last = total.saturating_sub(page.max(1));
    match nav {
        Nav::Up => offset.saturating_sub(1),
        Nav::Down => (offset + 1).min(last),
        Nav::First => 0,
        Nav::Last => last,
        Nav::PageUp => offset.saturating_sub(page),
        Nav::PageDown => (offset + page).min(last),
        _ => offset,
    }
}

/// What the preview shows: its text lines, and whether they are a plan that can be applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Preview {
    pub lines: Vec<String>,
    /// Actions to apply (0: nothing to do, or blocked).
    pub actions: usize,
    pub blocked: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreviewScreen {
    pub offset: usize,
}

const SCROLL: Binding = on(
    Scope::List,
    &[Command::Up, Command::Down],
    "scroll",
    "scroll",
);
const TOP_BOTTOM: Binding = on(
    Scope::List,
    &[Command::First, Command::Last],
    "",
    "top / bottom",
);

const BINDINGS: &[Binding] = &[
    on(
        Scope::Preview,
        &[Command::Apply],
        "apply",
        "apply (type yes to confirm; refused with --read-only)",
    ),
    SCROLL,
    on(
        Scope::Global,
        &[Command::Back],
        "back",
        "back to the node subnets",
    ),
    keys::SAVE,
    keys::CHECKS,
    keys::HELP,
    keys::QUIT,
    keys::RELOAD,
    TOP_BOTTOM,
    keys::PAGE,
];

impl WizardScreen for PreviewScreen {
    fn why(&self) -> &'static str {
        WHY
    }

    fn bindings(&self) -> &'static [Binding] {
        BINDINGS
    }

    fn on_command(&mut self, cmd: Command, ctx: &ScreenCtx) -> Option<Intent> {
        if let Some(nav) = Nav::of(cmd) {
            self.offset = scroll(self.offset, nav, ctx.preview.lines.len(), ctx.page);
            return None;
        }
        (cmd == Command::Apply).then_some(Intent::Apply)
    }

    fn render(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx) {
        self.draw(f, area, ctx.preview, ctx.theme);
    }
}

impl PreviewScreen {
    fn draw(&self, f: &mut Frame, area: Rect, p: &Preview, t: &Theme) {
        let title = if p.blocked {
            " Preview · blocked by error findings ".to_string()
        } else if p.actions == 0 {
            " Preview · no changes ".to_string()
        } else {
            format!(" Preview · {} action(s) · a to apply ", p.actions)
        };
        let height = area.height.saturating_sub(2) as usize;
        // A line wider than the pane is cut with … (the findings are whole in `c`, the plan
        // in `eks-private-tui plan`).
        let width = area.width.saturating_sub(2) as usize;
        let cut: Vec<String> = p
            .lines
            .iter()
            .skip(self.offset)
            .take(height)
            .map(|l| crate::report::trunc(l, width))
            .collect();
        let lines: Vec<Line> = cut.iter().map(|l| styled(l, t)).collect();
        f.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(Span::styled(title, t.title())),
            ),
            area,
        );
    }
}

/// Colour by the plan symbol a line starts with; the symbols carry the meaning.
fn styled<'a>(l: &'a str, t: &Theme) -> Line<'a> {
    let trimmed = l.trim_start();
    let style = if trimmed.starts_with("+ ") {
        t.ok()
    } else if trimmed.starts_with("~ ") {
        t.warn()
    } else if trimmed.starts_with("- ") || trimmed.starts_with("✗") {
        t.error()
    } else if trimmed.starts_with('#') || trimmed.starts_with("! ") {
        t.dim()
    } else if trimmed.starts_with("Plan:") || trimmed.starts_with("Cost:") {
        t.bold()
    } else {
        ratatui::style::Style::default()
    };
    Line::from(Span::styled(l, style))
}

/// `━━━━━━────  3 of 10 done`: how far the apply is, in monochrome too.
fn progress_bar(done: usize, total: usize, width: usize, t: &Theme) -> Line<'static> {
    let label = format!("  {done} of {total} done");
    let bar = width.saturating_sub(label.len()).clamp(10, 50);
    let full = (bar * done).checked_div(total).unwrap_or(0);
    Line::from(vec![
        Span::styled("━".repeat(full), t.ok()),
        Span::styled("─".repeat(bar - full), t.dim()),
        Span::raw(label),
    ])
}

/// One action's progress.
#[derive(Debug, Clone, PartialEq)]
pub enum StepState {
    Waiting,
    Running(Duration),
    Done(String, Duration),
    Failed(String),
    NotStarted,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProgressScreen {
    pub request: u64,
    pub rows: Vec<(String, Op, StepState)>,
    pub resumed: Option<usize>,
    pub summary: Option<Summary>,
    /// Set when apply could not start (the account changed since the preview, …).
    pub aborted: Option<String>,
    pub offset: usize,
    /// Asked to stop after the running steps (Ctrl-C, then s).
    pub stopping: bool,
    /// What the operator does outside the tool, once the apply is done.
    pub next: Vec<crate::export::NextStep>,
}

impl ProgressScreen {
    pub fn new(request: u64, actions: &[(String, Op)]) -> ProgressScreen {
        ProgressScreen {
            request,
            rows: actions
                .iter()
                .map(|(a, op)| (a.clone(), *op, StepState::Waiting))
                .collect(),
            resumed: None,
            summary: None,
            aborted: None,
            offset: 0,
            stopping: false,
            next: vec![],
        }
    }

    pub fn running(&self) -> bool {
        self.summary.is_none() && self.aborted.is_none()
    }

    pub fn on_event(&mut self, e: Event) {
        let mut set = |address: &str, s: StepState| {
            if let Some(r) = self.rows.iter_mut().find(|r| r.0 == address) {
                r.2 = s;
            }
        };
        match e {
            Event::Begin { resumed, .. } => self.resumed = resumed,
            Event::Started { address, .. } => set(&address, StepState::Running(Duration::ZERO)),
            Event::StillRunning {
                address, elapsed, ..
            } => set(&address, StepState::Running(elapsed)),
            Event::Done {
                address,
                id,
                elapsed,
                ..
            } => set(&address, StepState::Done(id, elapsed)),
            Event::Failed { address, error, .. } => {
                set(&address, StepState::Failed(error.to_string()))
            }
            Event::Finished(s) => {
                for a in &s.not_started {
                    set(a, StepState::NotStarted);
                }
                self.summary = Some(s);
            }
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, spinner: &str, t: &Theme) {
        let done = self
            .rows
            .iter()
            .filter(|r| matches!(r.2, StepState::Done(..)))
            .count();
        let title = match (&self.summary, &self.aborted) {
            (_, Some(_)) => " Apply · not started ".to_string(),
            (Some(s), _) if s.ok() => " Apply · complete ".to_string(),
            (Some(_), _) => " Apply · stopped ".to_string(),
            (None, _) => format!(" Apply · {done} of {} done ", self.rows.len()),
        };
        let width = area.width.saturating_sub(2) as usize;
        let mut lines: Vec<Line> = vec![];
        if let Some(why) = &self.aborted {
            lines.push(Line::from(Span::styled(format!("✗ {why}"), t.error())));
            lines.push(Line::from(""));
        }
        if !self.rows.is_empty() && self.aborted.is_none() {
            lines.push(progress_bar(done, self.rows.len(), width, t));
        }
        if let Some(n) = self.resumed {
            lines.push(Line::from(Span::styled(
                format!("Resuming an interrupted apply: {n} step(s) were recorded done."),
                t.warn(),
            )));
        }
        if self.stopping && self.summary.is_none() {
            lines.push(Line::from(Span::styled(
                "Stopping: the running steps finish, nothing new starts.",
                t.warn(),
            )));
        }
        // The summary and the next steps under the rows.
        let mut tail: Vec<Line> = vec![];
        if let Some(s) = &self.summary {
            tail.push(Line::from(""));
            for l in crate::apply::printer::summary(s, "Apply")
                .lines()
                .filter(|l| !l.trim().is_empty())
                .take(2)
            {
                let style = if s.ok() { t.ok() } else { t.error() };
                tail.push(Line::from(Span::styled(
                    crate::report::trunc(l, width),
                    style,
                )));
            }
            if !s.ok() {
                for l in super::endpoints::wrap(
                    &format!(
                        "Esc, then a on the preview, resumes it: what exists is adopted (journal {}).",
                        s.journal
                    ),
                    width,
                    2,
                ) {
                    tail.push(Line::from(Span::styled(l, t.dim())));
                }
            }
            if s.ok() && !self.next.is_empty() {
                tail.push(Line::from(Span::styled(
                    "Next steps, outside this tool (the export that carries each):",
                    t.title(),
                )));
                for (i, n) in self.next.iter().enumerate() {
                    let export = n
                        .export
                        .map(|f| format!(" [{}]", f.name()))
                        .unwrap_or_default();
                    let text = format!("{}. {}{export}", i + 1, n.what);
                    for (j, l) in super::endpoints::wrap(&text, width.saturating_sub(3), 3)
                        .into_iter()
                        .enumerate()
                    {
                        tail.push(Line::from(if j == 0 { l } else { format!("   {l}") }));
                    }
                }
            }
        }
        let height =
            (area.height.saturating_sub(2) as usize).saturating_sub(lines.len() + tail.len());
        for (address, op, state) in self.rows.iter().skip(self.offset).take(height) {
            let (sym, style, note) = match state {
                StepState::Waiting => ("·", t.dim(), String::new()),
                StepState::Running(e) => (spinner, t.title(), format!("{} s", e.as_secs())),
                StepState::Done(id, e) => ("✓", t.ok(), format!("{} s  {id}", e.as_secs())),
                StepState::Failed(msg) => ("✗", t.error(), msg.clone()),
                StepState::NotStarted => ("-", t.dim(), "not started".into()),
            };
            let head = format!("{sym} {} {address}", op.symbol());
            let room = width.saturating_sub(head.chars().count() + 2);
            // A failure too long for its row goes whole (the AWS code, the hint) under it.
            let wrapped = matches!(state, StepState::Failed(m) if m.chars().count() > room);
            let note = if wrapped { String::new() } else { note };
            lines.push(Line::from(vec![
                Span::styled(format!("{sym} "), style),
                Span::styled(format!("{} ", op.symbol()), t.dim()),
                Span::raw(address.clone()),
                Span::styled(format!("  {}", crate::report::trunc(&note, room)), t.dim()),
            ]));
            if let StepState::Failed(msg) = state
                && wrapped
            {
                for l in super::endpoints::wrap(msg, width.saturating_sub(4), 4) {
                    lines.push(Line::from(Span::styled(format!("    {l}"), t.error())));
                }
            }
        }
        lines.extend(tail);
        f.render_widget(
            Paragraph::new(lines)
                .wrap(ratatui::widgets::Wrap { trim: false })
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .title(Span::styled(title, t.title())),
                ),
            area,
        );
    }
}

const RUNNING: &[Binding] = &[SCROLL, TOP_BOTTOM, keys::PAGE];
const RUNNING_HINTS: &[(&str, &str)] = &[("Ctrl-C", "leave (resumable)")];
const FINISHED: &[Binding] = &[
    on(
        Scope::Global,
        &[Command::Back],
        "back to the preview",
        "back to the preview (reads the account again)",
    ),
    SCROLL,
    keys::QUIT,
    keys::HELP,
    TOP_BOTTOM,
    keys::PAGE,
];

impl WizardScreen for ProgressScreen {
    fn why(&self) -> &'static str {
        WHY
    }

    fn bindings(&self) -> &'static [Binding] {
        if self.running() { RUNNING } else { FINISHED }
    }

    fn fixed_hints(&self) -> &'static [(&'static str, &'static str)] {
        if self.running() { RUNNING_HINTS } else { &[] }
    }

    fn on_command(&mut self, cmd: Command, ctx: &ScreenCtx) -> Option<Intent> {
        if let Some(nav) = Nav::of(cmd) {
            self.offset = scroll(self.offset, nav, self.rows.len(), ctx.page);
        }
        None
    }

    fn render(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx) {
        self.draw(f, area, ctx.spinner, ctx.theme);
    }
}
