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

use super::scroll;

/// What the preview shows: its text lines, and whether they are a plan that can be applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Preview {
    pub lines: Vec<String>,
    /// Actions to apply (0: nothing to do, or blocked).
    pub actions: usize,
    pub blocked: bool,
    /// The line each action's block starts at, in plan order.
    pub at: Vec<usize>,
    /// Each action's title and all its attributes, unchanged ones too (Enter).
    pub details: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreviewScreen {
    pub offset: usize,
    /// The action under the cursor (an index into `Preview::at`).
    pub selected: usize,
    /// Its attributes are shown (Enter; Esc closes).
    pub open: bool,
    /// Started with --read-only: `a` is not offered.
    pub read_only: bool,
    /// `G`: the end of the plan (its summary) in view, not only the last action.
    pub bottom: bool,
    /// The cursor was moved: until then the top (notes, warnings) shows and no action is
    /// highlighted; the first ↓ highlights the first action.
    pub moved: bool,
    /// The first line shown, as last drawn (the cursor's action kept in view).
    shown_from: std::cell::Cell<usize>,
}

impl PreviewScreen {
    pub fn new(read_only: bool) -> PreviewScreen {
        PreviewScreen {
            read_only,
            ..Default::default()
        }
    }
}

/// An action's title and every attribute, as the detail pop-up shows them.
pub fn attributes(a: &crate::plan::Action) -> (String, Vec<String>) {
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(known after apply)".into());
    let width = a.attrs.iter().map(|x| x.name.len()).max().unwrap_or(0);
    let mut out: Vec<String> = a
        .attrs
        .iter()
        .map(|x| match (a.op, &x.before) {
            (Op::Update, Some(_)) if x.changed() => format!(
                "~ {:<width$} = {} -> {}",
                x.name,
                show(&x.before),
                show(&x.after)
            ),
            (Op::Update, Some(_)) => {
                format!("  {:<width$} = {} (unchanged)", x.name, show(&x.before))
            }
            (Op::Delete, _) => format!("- {:<width$} = {}", x.name, show(&x.before)),
            _ => format!("+ {:<width$} = {}", x.name, show(&x.after)),
        })
        .collect();
    if a.attrs.is_empty() {
        out.push("(no attributes)".into());
    }
    if !a.depends_on.is_empty() {
        out.push(String::new());
        out.push(format!("after: {}", a.depends_on.join(", ")));
    }
    (format!("{} {} {}", a.op.symbol(), a.kind, a.address), out)
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

const APPLY: Binding = on(
    Scope::Preview,
    &[Command::Apply],
    "apply",
    "apply (type yes to confirm; refused with --read-only)",
);
const DETAIL: Binding = on(
    Scope::Subnets,
    &[Command::Next],
    "attributes",
    "all the attributes of the action under the cursor (Esc closes)",
);
const EXPORT: Binding = on(
    Scope::Preview,
    &[Command::Export],
    "export",
    "the export step: files for eksctl, Kubernetes, DNS, IAM, CloudFormation, Terraform",
);
const BINDINGS: &[Binding] = &[
    APPLY,
    SCROLL,
    DETAIL,
    EXPORT,
    on(Scope::Global, &[Command::Back], "back", "back a step"),
    keys::SAVE,
    keys::CHECKS,
    keys::HELP,
    keys::QUIT,
    keys::RELOAD,
    TOP_BOTTOM,
    keys::PAGE,
];
/// Under --read-only: the same keys but `a`.
const READ_ONLY: &[Binding] = &[
    // `a` still says why it does nothing; the title and footer do not offer it.
    on(
        Scope::Preview,
        &[Command::Apply],
        "",
        "refused: started with --read-only",
    ),
    SCROLL,
    DETAIL,
    EXPORT,
    on(Scope::Global, &[Command::Back], "back", "back a step"),
    keys::SAVE,
    keys::CHECKS,
    keys::HELP,
    keys::QUIT,
    keys::RELOAD,
    TOP_BOTTOM,
    keys::PAGE,
];
const DETAIL_OPEN: &[Binding] = &[
    on(
        Scope::Global,
        &[Command::Back],
        "close",
        "close the attributes",
    ),
    on(Scope::Subnets, &[Command::Next], "", "close the attributes"),
    keys::QUIT,
    keys::HELP,
];

impl WizardScreen for PreviewScreen {
    fn why(&self) -> &'static str {
        WHY
    }

    fn bindings(&self) -> &'static [Binding] {
        if self.open {
            DETAIL_OPEN
        } else if self.read_only {
            READ_ONLY
        } else {
            BINDINGS
        }
    }

    fn back(&mut self) -> bool {
        std::mem::take(&mut self.open)
    }

    fn on_command(&mut self, cmd: Command, ctx: &ScreenCtx) -> Option<Intent> {
        let p = ctx.preview;
        if self.open {
            self.open = cmd != Command::Next;
            return None;
        }
        if let Some(nav) = Nav::of(cmd) {
            if p.at.is_empty() {
                self.offset = scroll(self.offset, nav, p.lines.len(), ctx.page);
                return None;
            }
            // The cursor moves from action to action; the page keys move by a page of
            // lines, to the action there. The first ↓ lands on the first action.
            if !self.moved && nav == Nav::Down {
                self.moved = true;
                return None;
            }
            self.moved = true;
            self.selected = match nav {
                Nav::PageUp | Nav::PageDown => {
                    let line = p.at.get(self.selected).copied().unwrap_or(0);
                    let target = if nav == Nav::PageUp {
                        line.saturating_sub(ctx.page)
                    } else {
                        line + ctx.page
                    };
                    p.at.iter()
                        .rposition(|&l| l <= target)
                        .unwrap_or(0)
                        .max(usize::from(nav == Nav::PageDown) * self.selected)
                }
                _ => nav.apply(self.selected, p.at.len(), 1),
            };
            if nav == Nav::First {
                self.offset = 0;
            }
            self.bottom = nav == Nav::Last;
            return None;
        }
        match cmd {
            Command::Next if !p.details.is_empty() => {
                self.moved = true;
                self.open = true;
                None
            }
            Command::Apply => Some(Intent::Apply),
            Command::Export => Some(Intent::OpenExport),
            _ => None,
        }
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
        } else if self.read_only {
            format!(" Preview · {} · READ-ONLY ", plural(p.actions, "action"))
        } else {
            format!(" Preview · {} · a to apply ", plural(p.actions, "action"))
        };
        let height = area.height.saturating_sub(2) as usize;
        let width = area.width.saturating_sub(2) as usize;
        // The plan's own lines (an action's block) are cut with … (Enter shows the action
        // whole); the prose around them (notes, what is adopted, the counts, the cost)
        // wraps, so that it reads whole at 80 columns.
        let mut visual: Vec<(usize, String)> = vec![];
        for (i, l) in p.lines.iter().enumerate() {
            let prose = !l.starts_with(' ') && !l.starts_with('#');
            if prose && l.chars().count() > width {
                for (j, w) in crate::tui::widgets::wrap(l, width.saturating_sub(2), 8)
                    .into_iter()
                    .enumerate()
                {
                    visual.push((i, if j == 0 { w } else { format!("  {w}") }));
                }
            } else {
                visual.push((i, crate::report::trunc(l, width)));
            }
        }
        let first_of = |logical: usize| visual.iter().position(|(i, _)| *i >= logical).unwrap_or(0);
        let selected =
            p.at.get(self.selected.min(p.at.len().saturating_sub(1)))
                .copied();
        let selected_row = selected.filter(|_| self.moved).map(first_of);
        // Keep the cursor's action block in view, moving as little as possible.
        let mut offset = if p.at.is_empty() {
            first_of(self.offset)
        } else {
            self.shown_from.get()
        };
        if let Some(row) = selected_row {
            offset = super::clamp_offset(offset, row, height);
            if self.bottom {
                offset = visual.len().saturating_sub(height).max(offset).min(row);
            }
        }
        self.shown_from.set(offset);
        let lines: Vec<Line> = visual
            .into_iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(row, (_, l))| {
                if Some(row) == selected_row {
                    Line::from(Span::styled(l, t.selected()))
                } else {
                    styled_owned(l, t)
                }
            })
            .collect();
        f.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(Span::styled(title, t.title())),
            ),
            area,
        );
        if self.open
            && let Some((head, attrs)) = p.details.get(self.selected)
        {
            let w = area.width.saturating_sub(4).max(20);
            let inner = w.saturating_sub(2) as usize;
            let mut body: Vec<Line> = vec![];
            for a in attrs {
                if a.chars().count() <= inner {
                    body.push(styled_owned(a.clone(), t));
                    continue;
                }
                for (j, l) in crate::tui::widgets::wrap(a, inner.saturating_sub(2), 6)
                    .into_iter()
                    .enumerate()
                {
                    body.push(styled_owned(if j == 0 { l } else { format!("    {l}") }, t));
                }
            }
            let h = (body.len() as u16 + 2).min(area.height);
            let r = Rect::new(area.x + 2, area.y + (area.height - h) / 2, w, h);
            f.render_widget(ratatui::widgets::Clear, r);
            f.render_widget(
                Paragraph::new(body).block(Block::default().borders(Borders::ALL).title(
                    Span::styled(
                        format!(
                            " {} · Esc closes ",
                            crate::report::trunc(head, inner.saturating_sub(14))
                        ),
                        t.title(),
                    ),
                )),
                r,
            );
        }
    }
}

use super::plural;

fn styled_owned(l: String, t: &Theme) -> Line<'static> {
    let style = styled(&l, t)
        .spans
        .first()
        .map(|s| s.style)
        .unwrap_or_default();
    Line::from(Span::styled(l, style))
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
    /// The rows with the summary and next steps under them scroll as one pane.
    pub scroll: crate::tui::widgets::Scroll,
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
            scroll: Default::default(),
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
            for l in crate::tui::widgets::wrap(&format!("✗ {why}"), width, 6) {
                lines.push(Line::from(Span::styled(l, t.error())));
            }
            lines.push(Line::from(""));
        }
        if !self.rows.is_empty() && self.aborted.is_none() {
            lines.push(progress_bar(done, self.rows.len(), width, t));
        }
        if let Some(n) = self.resumed {
            lines.push(Line::from(Span::styled(
                format!(
                    "Resuming an interrupted apply: {} recorded done.",
                    plural(n, "step")
                ),
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
                for l in crate::tui::widgets::wrap(
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
                    for (j, l) in crate::tui::widgets::wrap(&text, width.saturating_sub(3), 3)
                        .into_iter()
                        .enumerate()
                    {
                        tail.push(Line::from(if j == 0 { l } else { format!("   {l}") }));
                    }
                }
            }
        }
        for (address, op, state) in &self.rows {
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
                for l in crate::tui::widgets::wrap(msg, width.saturating_sub(4), 4) {
                    lines.push(Line::from(Span::styled(format!("    {l}"), t.error())));
                }
            }
        }
        lines.extend(tail);
        self.scroll.render(
            f,
            area,
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(title, t.title())),
            lines,
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
    EXPORT,
    SCROLL,
    keys::QUIT,
    keys::HELP,
    TOP_BOTTOM,
    keys::PAGE,
];

impl WizardScreen for ProgressScreen {
    fn answer(&mut self, answer: super::Answer) {
        match answer {
            super::Answer::Apply(request, event) if request == self.request => self.on_event(event),
            super::Answer::ApplyAborted(request, why) if request == self.request => {
                self.aborted = Some(why)
            }
            super::Answer::Stopping if self.running() => self.stopping = true,
            super::Answer::NextSteps(next) => self.next = next,
            _ => {}
        }
    }

    fn run(&self) -> Option<super::Run> {
        let count = |f: fn(&StepState) -> bool| self.rows.iter().filter(|r| f(&r.2)).count();
        Some(super::Run {
            request: self.request,
            running: self.running(),
            stopping: self.stopping,
            total: self.rows.len(),
            done: count(|s| matches!(s, StepState::Done(..))),
            in_flight: count(|s| matches!(s, StepState::Running(_))),
            ok: self.summary.as_ref().map(|s| s.ok()),
        })
    }

    fn why(&self) -> &'static str {
        WHY
    }

    fn bindings(&self) -> &'static [Binding] {
        if self.running() { RUNNING } else { FINISHED }
    }

    fn fixed_hints(&self) -> &'static [(&'static str, &'static str)] {
        if self.running() { RUNNING_HINTS } else { &[] }
    }

    fn on_command(&mut self, cmd: Command, _ctx: &ScreenCtx) -> Option<Intent> {
        if let Some(nav) = Nav::of(cmd) {
            self.scroll.on(nav);
        }
        (cmd == Command::Export && !self.running()).then_some(Intent::OpenExport)
    }

    fn render(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx) {
        self.draw(f, area, ctx.spinner, ctx.theme);
    }
}
