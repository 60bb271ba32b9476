//! Step 11: export. The formats this spec can be exported to (the others with why not),
//! checked to write; the directory; Enter writes them through the same export module as
//! `eks-private-tui export` and lists the files written. Files that exist are overwritten
//! only after the operator says so.

use super::Answer;
use super::{Nav, ScreenCtx, WizardScreen, clamp_offset};
use crate::export::Format;
use crate::report::trunc;
use crate::tui::intent::{Intent, Level};
use crate::tui::keys::{self, Binding, Command, Scope, on};
use crate::tui::widgets::FieldKey;
use crate::tui::widgets::TextField;
use crate::tui::widgets::wrap;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};
use std::cell::Cell as StdCell;
use std::path::PathBuf;

pub const WHY: &str = "The spec drives more than this tool: eksctl creates a cluster in these \
subnets, Kubernetes takes the ENIConfigs and the aws-node settings (custom networking), \
on-prem resolvers take the DNS forwarders, and CloudFormation or Terraform can own the same \
resources. Each file is rendered from the spec, the account as read and the plan; a value that \
exists only after apply (a pod subnet's ID, a Resolver endpoint's IPs) makes its format wait \
until then, and says so. Nothing is overwritten without asking.";

/// What one format gives for the draft as it is: its files, or why it cannot be made.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    pub format: Format,
    pub files: Result<Vec<crate::export::File>, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Written: the paths.
    Written(Vec<PathBuf>),
    /// These exist: `y` overwrites them.
    Exist(Vec<PathBuf>),
    Failed(String),
}

#[derive(Debug, Clone, Default)]
pub struct ExportScreen {
    pub cursor: usize,
    offset: StdCell<usize>,
    /// The formats, as rendered for the draft (set by the app when the draft changes).
    pub offers: Vec<Offer>,
    /// The formats chosen (by default every one that can be made).
    pub chosen: Vec<Format>,
    pub dir: PathBuf,
    /// The directory being typed.
    pub editing: Option<TextField>,
    /// The last write's outcome.
    pub outcome: Option<Outcome>,
    /// A write is on its way.
    pub writing: bool,
}

/// Rows: the formats, then the directory.
fn row_count(s: &ExportScreen) -> usize {
    s.offers.len() + 1
}

impl ExportScreen {
    pub fn new(dir: PathBuf) -> ExportScreen {
        ExportScreen {
            dir,
            ..Default::default()
        }
    }

    /// New offers (the draft or the account changed): choices of formats that can still
    /// be made are kept; the first offers choose every format that can be made.
    pub fn set_offers(&mut self, offers: Vec<Offer>) {
        let first = self.offers.is_empty();
        self.chosen
            .retain(|f| offers.iter().any(|o| o.format == *f && o.files.is_ok()));
        if first {
            self.chosen = offers
                .iter()
                .filter(|o| o.files.is_ok())
                .map(|o| o.format)
                .collect();
        }
        self.offers = offers;
    }

    /// The files to write: those of the chosen formats.
    pub fn files(&self) -> Vec<(Format, crate::export::File)> {
        self.offers
            .iter()
            .filter(|o| self.chosen.contains(&o.format))
            .filter_map(|o| o.files.as_ref().ok().map(|f| (o.format, f.clone())))
            .flat_map(|(fmt, files)| files.into_iter().map(move |f| (fmt, f)))
            .collect()
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx) {
        let t = ctx.theme;
        let width = area.width as usize;
        let n = self.files().len();
        let status = match (&self.outcome, self.writing) {
            (_, true) => (format!("{} writing…", ctx.spinner), t.dim()),
            (Some(Outcome::Written(p)), _) => (
                format!(
                    "✓ wrote {} into {}",
                    super::access::count(p.len(), "file"),
                    self.dir.display()
                ),
                t.ok(),
            ),
            (Some(Outcome::Exist(p)), _) => (
                format!(
                    "! {} exist in {}: y overwrites, Esc keeps them",
                    super::access::count(p.len(), "file"),
                    self.dir.display()
                ),
                t.warn(),
            ),
            (Some(Outcome::Failed(e)), _) => (format!("✗ {e}"), t.error()),
            (None, _) if self.offers.is_empty() => (
                format!("{} reading the account: the formats follow", ctx.spinner),
                t.dim(),
            ),
            (None, _) => (
                format!(
                    "{} of {} chosen · {} · Enter writes them",
                    self.chosen.len(),
                    super::access::count(self.offers.len(), "format"),
                    super::access::count(n, "file")
                ),
                t.dim(),
            ),
        };
        let mut detail: Vec<String> = match &self.outcome {
            Some(Outcome::Written(p)) | Some(Outcome::Exist(p)) => {
                p.iter().map(|p| p.display().to_string()).collect()
            }
            _ => match self.offers.get(self.cursor) {
                Some(o) => match &o.files {
                    Ok(files) => wrap(
                        &format!(
                            "{}: {}",
                            o.format.name(),
                            files
                                .iter()
                                .map(|f| f.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        width,
                        3,
                    ),
                    Err(why) => wrap(
                        &format!("{} cannot be made yet: {why}", o.format.name()),
                        width,
                        3,
                    ),
                },
                None => wrap(
                    &format!(
                        "The files go into {} (made if missing). e edits it.",
                        self.dir.display()
                    ),
                    width,
                    3,
                ),
            },
        };
        if let Some(input) = &self.editing {
            detail = vec!["Enter keeps the directory, Esc leaves it.".into()];
            let _ = input;
        }
        let detail_h = (detail.len() as u16).min(area.height.saturating_sub(6));
        let [intro, status_area, list_area, detail_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(detail_h),
        ])
        .areas(area);
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("Export: files other tools read. ", t.bold()),
                Span::styled(
                    trunc("Space chooses; ? explains.", width.saturating_sub(32)),
                    t.dim(),
                ),
            ])),
            intro,
        );
        f.render_widget(
            Paragraph::new(Span::styled(trunc(&status.0, width), status.1)),
            status_area,
        );
        let lw = list_area.width as usize;
        let mut items: Vec<ListItem> = vec![];
        for o in &self.offers {
            let on = self.chosen.contains(&o.format);
            let (mark, what, style) = match &o.files {
                Ok(files) => (
                    if on { "[x] " } else { "[ ] " },
                    files
                        .iter()
                        .map(|f| f.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    t.dim(),
                ),
                Err(why) => ("  – ", why.clone(), t.dim()),
            };
            items.push(ListItem::new(Line::from(vec![
                Span::styled(mark, if on { t.ok() } else { t.dim() }),
                Span::styled(format!("{:<15}", o.format.name()), t.bold()),
                Span::styled(trunc(&what, lw.saturating_sub(19)), style),
            ])));
        }
        let dir = match &self.editing {
            Some(input) => input.shown(),
            None => self.dir.display().to_string(),
        };
        items.push(ListItem::new(Line::from(vec![
            Span::styled("    into           ", t.bold()),
            Span::raw(trunc(&dir, lw.saturating_sub(19))),
        ])));
        let visible = list_area.height as usize;
        let offset = clamp_offset(self.offset.get(), self.cursor, visible);
        self.offset.set(offset);
        let mut state = ListState::default()
            .with_selected(Some(self.cursor))
            .with_offset(offset);
        f.render_stateful_widget(
            List::new(items).highlight_style(t.selected()),
            list_area,
            &mut state,
        );
        f.render_widget(
            Paragraph::new(
                detail
                    .into_iter()
                    .map(|l| Line::from(trunc(&l, width)))
                    .collect::<Vec<_>>(),
            )
            .style(t.dim()),
            detail_area,
        );
    }
}

const BINDINGS: &[Binding] = &[
    keys::MOVE,
    on(
        Scope::Subnets,
        &[Command::Toggle],
        "choose",
        "choose the format under the cursor, or not",
    ),
    on(
        Scope::Subnets,
        &[Command::Next],
        "write",
        "write the chosen formats into the directory",
    ),
    on(
        Scope::Edit,
        &[Command::Edit],
        "directory",
        "type the directory (Enter keeps it, Esc leaves it)",
    ),
    on(
        Scope::Global,
        &[Command::Back],
        "back",
        "back to the preview",
    ),
    keys::CHECKS,
    keys::HELP,
    keys::QUIT,
    keys::ENDS,
    keys::SAVE,
    keys::RELOAD,
    keys::PAGE,
];
/// The question whether to overwrite files that exist.
const EXIST: &[Binding] = &[
    on(
        Scope::Dialog,
        &[Command::Yes],
        "overwrite",
        "overwrite them",
    ),
    on(
        Scope::Dialog,
        &[Command::No],
        "",
        "keep them, write nothing",
    ),
    on(
        Scope::Global,
        &[Command::Back],
        "keep them",
        "keep them, write nothing",
    ),
];

impl WizardScreen for ExportScreen {
    fn answer(&mut self, answer: Answer) {
        if let Answer::Exported(outcome) = answer {
            self.writing = false;
            self.outcome = Some(outcome);
        }
    }

    /// The files of each format, rendered again when the draft or the account changed
    /// (once the account is read).
    fn sync(&mut self, ctx: &ScreenCtx) {
        if let Some(d) = ctx.draft
            && !ctx.inv.is_partial()
        {
            self.set_offers(offers(d, ctx.inv));
        }
    }

    fn why(&self) -> &'static str {
        WHY
    }

    fn bindings(&self) -> &'static [Binding] {
        if matches!(self.outcome, Some(Outcome::Exist(_))) {
            EXIST
        } else if self.capturing() {
            &[]
        } else {
            BINDINGS
        }
    }

    fn fixed_hints(&self) -> &'static [(&'static str, &'static str)] {
        if self.editing.is_some() {
            super::EDIT_HINTS
        } else {
            &[]
        }
    }

    /// The directory field, or the overwrite question, has the keys.
    fn capturing(&self) -> bool {
        self.editing.is_some() || matches!(self.outcome, Some(Outcome::Exist(_)))
    }

    fn text_key(&mut self, k: KeyEvent, ctx: &ScreenCtx) -> Option<Intent> {
        if matches!(self.outcome, Some(Outcome::Exist(_))) {
            return match ctx.keys.command(EXIST, &k) {
                Some(Command::Yes) => {
                    self.outcome = None;
                    self.writing = true;
                    Some(Intent::Export {
                        dir: self.dir.clone(),
                        files: self.files(),
                        force: true,
                    })
                }
                Some(Command::No | Command::Back) => {
                    self.outcome = Some(Outcome::Failed(
                        "nothing was written: the files there were kept".into(),
                    ));
                    None
                }
                _ => None,
            };
        }
        let input = self.editing.as_mut()?;
        match input.key(&k) {
            FieldKey::Edited => None,
            FieldKey::Cancel => {
                self.editing = None;
                None
            }
            FieldKey::Done => {
                let value = input.value().trim().to_string();
                if value.is_empty() || value.chars().any(char::is_control) {
                    return Some(Intent::Flash(Level::Warn, "give a directory path".into()));
                }
                self.dir = PathBuf::from(value);
                self.editing = None;
                self.outcome = None;
                None
            }
        }
    }

    fn on_command(&mut self, cmd: Command, ctx: &ScreenCtx) -> Option<Intent> {
        if let Some(nav) = Nav::of(cmd) {
            self.cursor = nav.apply(self.cursor, row_count(self), ctx.page.max(1));
            return None;
        }
        match cmd {
            Command::Toggle => {
                let Some(o) = self.offers.get(self.cursor) else {
                    self.editing = Some(TextField::new(self.dir.display().to_string()));
                    return None;
                };
                if let Err(why) = &o.files {
                    return Some(Intent::Flash(
                        Level::Info,
                        format!("{} cannot be made yet: {why}", o.format.name()),
                    ));
                }
                let f = o.format;
                if let Some(i) = self.chosen.iter().position(|x| *x == f) {
                    self.chosen.remove(i);
                } else {
                    self.chosen.push(f);
                    self.chosen.sort();
                }
                self.outcome = None;
                None
            }
            Command::Edit => {
                self.cursor = self.offers.len();
                self.editing = Some(TextField::new(self.dir.display().to_string()));
                None
            }
            Command::Next if !self.writing => {
                if self.offers.is_empty() {
                    return Some(Intent::Flash(
                        Level::Info,
                        "the account is being read: the formats follow in a moment".into(),
                    ));
                }
                if self.chosen.is_empty() {
                    return Some(Intent::Flash(
                        Level::Info,
                        "choose a format first (Space)".into(),
                    ));
                }
                self.writing = true;
                self.outcome = None;
                Some(Intent::Export {
                    dir: self.dir.clone(),
                    files: self.files(),
                    force: false,
                })
            }
            _ => None,
        }
    }

    fn render(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx) {
        self.draw(f, area, ctx);
    }
}

/// What each format gives for `spec` now: its files, or why not.
/// What each format would write for `spec` (or why it writes nothing).
fn offers(spec: &crate::spec::Spec, inv: &crate::inventory::Inventory) -> Vec<Offer> {
    use crate::export::Format;
    let sel = crate::export::Selection {
        named: vec![],
        all: true,
    };
    match crate::ops::export(spec, inv, &sel) {
        Ok(done) => Format::ALL
            .iter()
            .map(|f| Offer {
                format: *f,
                files: match done.skipped.iter().find(|(x, _)| x == f) {
                    Some((_, why)) => Err(why.clone()),
                    None => Ok(done
                        .files
                        .iter()
                        .filter(|(x, _)| x == f)
                        .map(|(_, file)| file.clone())
                        .collect()),
                },
            })
            .collect(),
        Err(e) => Format::ALL
            .iter()
            .map(|f| Offer {
                format: *f,
                files: Err(e.to_string()),
            })
            .collect(),
    }
}
