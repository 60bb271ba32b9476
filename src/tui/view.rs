//! Drawing: a pure function of the [`App`]. Chrome is three rows: header (title, profile,
//! account, region, READ-ONLY), breadcrumb, and the footer (key hints or the flash line).

use super::app::{App, Level, LoadState, MIN_SIZE, Modal};
use super::keys::{self, Binding, KEY_FILE};
use super::modals;
use super::modals::help::{self, Content as HelpContent, Help};
use super::screens::ScreenCtx;
use super::steps::{STEPS, StepState};
use super::theme::Theme;
use super::widgets::dialog::centered;
use ratatui::Frame;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn draw(f: &mut Frame, app: &App) {
    draw_screen(f, app);
    // Names, tags and messages come from the spec and from AWS: whatever reached a cell,
    // nothing but text reaches the terminal.
    for cell in f.buffer_mut().content.iter_mut() {
        if cell.symbol().chars().any(crate::report::unsafe_char) {
            cell.set_symbol("\u{fffd}");
        }
    }
}

fn draw_screen(f: &mut Frame, app: &App) {
    let t = Theme {
        color: app.ctx.color,
    };
    let area = f.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        let msg = vec![
            Line::from(Span::styled("terminal too small", t.warn())),
            Line::from(format!(
                "{}x{}, need {}x{}",
                area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
            )),
            Line::from(if app.ui.quit_armed {
                "choices unsaved: q again quits without saving, or enlarge to save (w)"
            } else {
                "enlarge the window, or q to quit"
            }),
        ];
        let y = area.height.saturating_sub(3) / 2;
        let r = Rect::new(area.x, area.y + y, area.width, 3.min(area.height));
        f.render_widget(
            Paragraph::new(msg)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true }),
            r,
        );
        return;
    }
    let [header, crumbs, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(f, header, app, &t);
    draw_breadcrumb(f, crumbs, app, &t);
    let inner = body.inner(ratatui::layout::Margin::new(1, 0));
    match &app.load {
        LoadState::Loading => {
            let frame = SPINNER[app.ui.spinner % SPINNER.len()];
            let lines = vec![
                Line::from(vec![
                    Span::styled(format!("{frame} "), t.title()),
                    Span::styled(format!("Reading {}…", app.ctx.region), t.bold()),
                ]),
                Line::from(Span::styled(
                    "VPCs, subnets, route tables, endpoints, security groups, clusters, Route 53 Resolver",
                    t.dim(),
                )),
            ];
            f.render_widget(
                Paragraph::new(lines)
                    .alignment(Alignment::Center)
                    .wrap(Wrap { trim: true }),
                centered(inner, inner.width, 3),
            );
        }
        LoadState::Failed(e) => {
            let lines = vec![
                Line::from(Span::styled("✗ Could not read the account", t.error())),
                Line::from(""),
                Line::from(e.message.clone()),
                Line::from(Span::styled(
                    match &e.code {
                        Some(c) => format!("{} {} · {c}", e.service, e.operation),
                        None if e.service.is_empty() => String::new(),
                        None => format!("{} {}", e.service, e.operation),
                    },
                    t.dim(),
                )),
                Line::from(""),
                Line::from(vec![
                    Span::styled("Fix: ", t.bold()),
                    Span::raw(e.hint.clone()),
                ]),
                Line::from(""),
                Line::from(Span::styled("r retry · q quit", t.bold())),
            ];
            let w = inner.width.min(76);
            // Rows after wrapping, plus the borders.
            let text_w = w.saturating_sub(2).max(1) as usize;
            let rows: usize = lines
                .iter()
                .map(|l| l.width().div_ceil(text_w).max(1))
                .sum();
            let h = (rows as u16 + 2).min(inner.height);
            f.render_widget(
                Paragraph::new(lines).wrap(Wrap { trim: true }).block(
                    Block::default()
                        .borders(Borders::ALL)
                        .border_type(BorderType::Double)
                        .title(" error "),
                ),
                centered(inner, w, h),
            );
        }
        LoadState::Ready(inv) => {
            let ctx = ScreenCtx {
                inv,
                draft: app.draft(),
                findings: &app.derived.findings,
                preview: &app.derived.preview,
                keys: &app.keys,
                theme: &t,
                page: 0,
                spinner: SPINNER[app.ui.spinner % SPINNER.len()],
                read_only: app.ctx.read_only,
            };
            app.screen.get().render(f, inner, &ctx);
        }
    }
    draw_footer(f, footer, app, &t);
    draw_modal(f, body, app, &t);
}

/// The dialog open, over the screen.
fn draw_modal(f: &mut Frame, body: Rect, app: &App, t: &Theme) {
    let Some(modal) = &app.modal else {
        return;
    };
    let keys = &app.keys;
    let path = app.spec_path();
    match modal {
        Modal::Help(h) => draw_help(f, body, app, h, t),
        Modal::ConfirmQuit => modals::quit::render(f, body, path, keys, t),
        Modal::Checks(view) => {
            view.render(f, body, &app.derived.findings, &app.derived.scope, t);
        }
        Modal::ConfirmApply(typed) => {
            let q = modals::typed::ApplyQuestion {
                actions: app.derived.preview.actions,
                target: app
                    .draft()
                    .map(|s| format!("{} in {}", s.vpc_id, s.region))
                    .unwrap_or_default(),
                path,
            };
            modals::typed::render_apply(f, body, &q, typed, keys, t)
        }
        Modal::Topology(p) => p.render(f, body, t),
        Modal::StopApply => modals::stop_apply::render(f, body, keys, t),
        Modal::Resume(done) => modals::resume::render(f, body, path, *done, keys, t),
        Modal::DiskChanged { saving } => {
            let deleted = matches!(app.file.changed, Some(None));
            modals::disk_changed::render(f, body, (path, deleted, *saving), keys, t)
        }
        Modal::ConfirmForeign { region, typed } => {
            let ours = app.draft().map_or("", |d| d.region.as_str());
            modals::typed::render_foreign(f, body, (path, region, ours), typed, keys, t)
        }
        Modal::DropComments(comments) => {
            modals::drop_comments::render(f, body, path, comments, keys, t)
        }
        Modal::Regions(p) => {
            let (regions, current) = app
                .inventory()
                .map(|i| (i.regions.clone(), i.region.clone()))
                .unwrap_or_default();
            p.render(f, body, &regions, &current, keys, t);
        }
    }
}

fn draw_header(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let account = app
        .inventory()
        .map(|i| i.account.clone())
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "…".into());
    let region = app
        .inventory()
        .map_or(app.ctx.region.as_str(), |i| i.region.as_str())
        .to_string();
    let mut spans = vec![
        Span::styled(" eks-private-tui ", t.title()),
        Span::styled("│ ", t.dim()),
    ];
    // No profile set: the SDK's chain picks the credentials; "profile default" would say
    // something that is not so.
    if let Some(p) = &app.ctx.profile {
        spans.push(Span::raw(format!("profile {p} ")));
        spans.push(Span::styled("│ ", t.dim()));
    }
    spans.push(Span::raw(format!("account {account} ")));
    spans.push(Span::styled("│ ", t.dim()));
    spans.push(Span::raw(format!("{region} ")));
    // The region is never cut: the name and profile give way first.
    let badge = if app.ctx.read_only { 12 } else { 0 };
    let used: usize = spans.iter().map(|s| s.width()).sum();
    if used + badge > area.width as usize && app.ctx.profile.is_some() {
        spans.drain(2..4);
    }
    if let Some(url) = &app.ctx.endpoint_url {
        // Only when it fits whole: a cut URL misleads.
        let used: usize = spans.iter().map(|s| s.width()).sum();
        let badge = if app.ctx.read_only { 12 } else { 0 };
        if used + url.len() + 3 + badge <= area.width as usize {
            spans.push(Span::styled("│ ", t.dim()));
            spans.push(Span::styled(format!("{url} "), t.dim()));
        }
    }
    let mut line = Line::from(spans);
    if app.ctx.read_only {
        let badge = " READ-ONLY ";
        // The badge always shows: trim the line to leave room for it.
        let room = (area.width as usize).saturating_sub(badge.len() + 1);
        line = fit(line, room);
        line.spans.push(Span::raw(" "));
        line.spans.push(Span::styled(badge, t.badge()));
    }
    f.render_widget(Paragraph::new(line), area);
}

/// Cut a line to `width` columns.
fn fit(line: Line<'_>, width: usize) -> Line<'_> {
    let mut used = 0;
    let mut out = vec![];
    for s in line.spans {
        let w = s.width();
        if used + w <= width {
            used += w;
            out.push(s);
        } else {
            // Cut with a marker: the flash is also in the log, the findings in `c`.
            let room = width - used;
            out.push(Span::styled(
                crate::report::trunc(&s.content, room),
                s.style,
            ));
            break;
        }
    }
    Line::from(out)
}

/// The steps with their state, the current one titled in brackets: the others with their
/// short titles when that fits the width (` 1 VPC ✓ [2 Node subnets] 3 Preview`), else as
/// numbers with marks, so eleven steps fit 80 columns (` 1✓ 2✗ [3 Preview and apply] 4 5–`).
fn draw_breadcrumb(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let current = app.screen.step();
    let input = app.step_input();
    let unsaved = if app.dirty() { "  ● unsaved" } else { "" };
    let crumbs = |titled: bool| {
        let mut spans = vec![Span::raw(" ")];
        for (i, def) in STEPS.iter().enumerate() {
            if i > 0 {
                spans.push(Span::raw(" "));
            }
            let n = i + 1;
            if def.step == current {
                spans.push(Span::styled(
                    format!("[{n} {}]", def.title),
                    t.selected().patch(t.bold()),
                ));
                continue;
            }
            let (mark, style) = match def.state(&input) {
                StepState::Done => ("✓", t.ok()),
                StepState::Errors => ("✗", t.error()),
                StepState::Skipped => ("–", t.dim()),
                StepState::Todo => ("", t.dim()),
            };
            let text = match (titled, mark.is_empty()) {
                (true, true) => format!("{n} {}", def.short),
                (true, false) => format!("{n} {} {mark}", def.short),
                (false, _) => format!("{n}{mark}"),
            };
            spans.push(Span::styled(text, style));
        }
        spans.push(Span::styled(unsaved, t.warn()));
        Line::from(spans)
    };
    let wide = crumbs(true);
    let line = if wide.width() <= area.width as usize {
        wide
    } else {
        crumbs(false)
    };
    f.render_widget(Paragraph::new(fit(line, area.width as usize)), area);
}

/// The footer's hints, in the table's order: (key label, what it does). A dialog's are
/// its own; on a step, the topology key is pinned to the end (it works on every step).
/// A footer hint: the key's label and what it does.
type Hint = (String, String);

fn hints(app: &App) -> (Vec<Hint>, Option<Hint>) {
    let label = |b: &Binding| {
        let b = app.said(b);
        (app.keys.hint_label(&b), b.hint.to_string())
    };
    if let Some(m) = &app.modal {
        let shown = m.bindings().iter().filter(|b| !b.hint.is_empty());
        return (shown.map(label).collect(), None);
    }
    let (bindings, fixed) = match &app.load {
        LoadState::Ready(_) => {
            let s = app.screen.get();
            (s.bindings(), s.fixed_hints())
        }
        _ => (app.waiting_bindings(), &[][..]),
    };
    // `t` works on every step but in a text field.
    let topology = (matches!(app.load, LoadState::Ready(_)) && !app.screen.get().capturing())
        .then(|| label(&keys::TOPOLOGY));
    let hints = bindings
        .iter()
        .filter(|b| !b.hint.is_empty())
        .map(label)
        .chain(fixed.iter().map(|(k, h)| (k.to_string(), h.to_string())))
        .collect();
    (hints, topology)
}

fn draw_footer(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    if let Some(flash) = &app.flash {
        let (sym, style) = match flash.level {
            Level::Info => ("ℹ", t.ok()),
            Level::Warn => ("!", t.warn()),
            Level::Error => ("✗", t.error()),
        };
        let text = flash.text.trim_start_matches(['✓', '✗', ' ']);
        let line = Line::from(vec![
            Span::styled(format!(" {sym} "), style),
            Span::styled(text.to_string(), style),
        ]);
        f.render_widget(Paragraph::new(fit(line, area.width as usize)), area);
        return;
    }
    // As many hints as fit, in priority order (the screen lists the important ones first),
    // with room kept for the pinned one.
    let (hints, pinned) = hints(app);
    let width = |(key, label): &(String, String)| key.chars().count() + label.chars().count() + 3;
    let room = (area.width as usize).saturating_sub(pinned.as_ref().map_or(0, width));
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for h in hints.iter() {
        if used + width(h) > room {
            break;
        }
        used += width(h);
        spans.push(Span::styled(h.0.clone(), t.bold()));
        spans.push(Span::styled(format!(" {}  ", h.1), t.dim()));
    }
    if let Some((key, label)) = pinned {
        spans.push(Span::styled(key, t.bold()));
        spans.push(Span::styled(format!(" {label}"), t.dim()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_help(f: &mut Frame, area: Rect, app: &App, help: &Help, t: &Theme) {
    let step = app.screen.step();
    let (why, mut bindings) = match &app.load {
        LoadState::Ready(_) => (app.screen.get().why(), app.screen.get().bindings().to_vec()),
        _ => (super::screens::vpcs::WHY, app.waiting_bindings().to_vec()),
    };
    if matches!(app.load, LoadState::Ready(_)) {
        bindings.push(keys::TOPOLOGY);
    }
    let content = HelpContent {
        title: format!("Step {} · {}", step.number(), step.def().title),
        why,
        bindings: bindings.iter().map(|b| app.said(b)).collect(),
        foot: format!(
            "Spec file: {} · keys: {KEY_FILE} · {} closes",
            app.spec_path().display(),
            app.keys.hint_label(&help::CLOSE)
        ),
    };
    help.render(f, area, &content, &app.keys, t);
}

/// Render the app into plain text lines at `w`x`h` (snapshots, README captures).
pub fn render_text(app: &App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    term.draw(|f| draw(f, app)).expect("draw");
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..w {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            skip = unicode_width(sym).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn unicode_width(s: &str) -> usize {
    Span::raw(s).width()
}
