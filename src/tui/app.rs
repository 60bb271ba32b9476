//! The wizard's model and its update function (TEA). `update` never awaits: it changes the
//! model and returns [`Effect`]s that the runtime runs in spawned tasks, which answer with
//! [`Action`]s carrying the request id; answers to superseded requests are dropped.
//!
//! The model holds one draft [`Spec`] (loaded from the file or new) and what the file on
//! disk was when last read or written ([`SpecFile`]). Screens return [`Intent`]s; only
//! `update` changes the draft. Derived state (findings, the preview's plan) is recomputed
//! in `update` when the inventory or the draft changes, never while drawing.

pub use super::intent::{Intent, Level};
use super::keys::{self, Binding, Command, KeyMap, Scope};
pub use super::modals::Modal;
use super::modals::checks::ChecksView;
use super::modals::{Reply, Typed, typed};
use super::screens::preview::{Preview, PreviewScreen, ProgressScreen, StepState};
use super::screens::{
    ScreenCtx, WizardScreen, access::AccessScreen, custom::CustomScreen, dns::DnsScreen,
    endpoints::EndpointsScreen, export::ExportScreen, group::GroupScreen,
    secondary::SecondaryScreen, subnets::SubnetsScreen, vpcs::VpcsScreen,
};
use super::theme::Theme;
use crate::error::AwsError;
use crate::inventory::Inventory;
use crate::ops::{self, spec_file};
use crate::rules::{self, Finding};
use crate::spec::edit::{Edit, Note};
use crate::spec::{self, Spec, commented};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use super::steps::{STEPS, Step};

/// Where the operator is and what they see. Screen-local UI state lives in the variants.
#[derive(Debug, Clone)]
pub enum Screen {
    Vpcs(VpcsScreen),
    Subnets(SubnetsScreen),
    Endpoints(EndpointsScreen),
    Group(GroupScreen),
    Secondary(SecondaryScreen),
    Custom(CustomScreen),
    Access(AccessScreen),
    Dns(DnsScreen),
    Preview(PreviewScreen),
    /// An apply in progress, or its outcome.
    Progress(ProgressScreen),
    Export(ExportScreen),
}

impl Screen {
    /// The screen behind its contract: the one place that lists the screens.
    pub fn get(&self) -> &dyn WizardScreen {
        match self {
            Screen::Vpcs(s) => s,
            Screen::Subnets(s) => s,
            Screen::Endpoints(s) => s,
            Screen::Group(s) => s,
            Screen::Secondary(s) => s,
            Screen::Custom(s) => s,
            Screen::Access(s) => s,
            Screen::Dns(s) => s,
            Screen::Preview(s) => s,
            Screen::Progress(s) => s,
            Screen::Export(s) => s,
        }
    }

    pub fn get_mut(&mut self) -> &mut dyn WizardScreen {
        match self {
            Screen::Vpcs(s) => s,
            Screen::Subnets(s) => s,
            Screen::Endpoints(s) => s,
            Screen::Group(s) => s,
            Screen::Secondary(s) => s,
            Screen::Custom(s) => s,
            Screen::Access(s) => s,
            Screen::Dns(s) => s,
            Screen::Preview(s) => s,
            Screen::Progress(s) => s,
            Screen::Export(s) => s,
        }
    }

    pub fn step(&self) -> Step {
        match self {
            Screen::Vpcs(_) => Step::Vpc,
            Screen::Subnets(_) => Step::Subnets,
            Screen::Endpoints(_) => Step::Endpoints,
            Screen::Group(_) => Step::Group,
            Screen::Secondary(_) => Step::Secondary,
            Screen::Custom(_) => Step::Custom,
            Screen::Access(_) => Step::Access,
            Screen::Dns(_) => Step::Dns,
            Screen::Preview(_) => Step::Preview,
            Screen::Progress(_) => Step::Apply,
            Screen::Export(_) => Step::Export,
        }
    }
}

/// What the operator is told, fixed for the session.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// The AWS profile, when one is set (--profile or AWS_PROFILE).
    pub profile: Option<String>,
    pub region: String,
    pub endpoint_url: Option<String>,
    pub read_only: bool,
    pub color: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flash {
    pub id: u64,
    pub level: Level,
    pub text: String,
}

/// What the spec file was when last read or written.
#[derive(Debug, Clone, PartialEq)]
pub enum Disk {
    /// No file: a save creates it.
    Absent,
    /// It exists but cannot be read or parsed: never overwritten.
    Unusable(String),
    Spec {
        fingerprint: u64,
        text: String,
        spec: Box<Spec>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct SpecFile {
    pub path: PathBuf,
    pub disk: Disk,
    /// The file's text on disk now, when it differs from `disk` and was not loaded
    /// (`Some(None)`: it was deleted).
    pub changed: Option<Option<String>>,
    /// The save in flight: its request, the spec it writes, and what follows it.
    pending: Option<(u64, Spec, AfterSave, SaveOk)>,
    /// A save waiting for the operator's answer to a dialog, and what was confirmed so far.
    flow: Option<(AfterSave, SaveOk)>,
}

impl SpecFile {
    fn fingerprint(&self) -> spec_file::Fingerprint {
        match &self.disk {
            Disk::Spec { fingerprint, .. } => Some(*fingerprint),
            _ => None,
        }
    }
}

/// What a save is for, besides writing the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterSave {
    Nothing,
    Quit,
    Apply,
}

/// Confirmations already given for the save under way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct SaveOk {
    foreign: bool,
    comments: bool,
    /// Overwrite the file that changed on disk.
    changed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LoadState {
    Loading,
    Ready(Arc<Inventory>),
    Failed(AwsError),
}

#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    Resize(u16, u16),
    /// Spinner frame, sent only while something is in flight.
    Tick,
    InventoryLoaded {
        request: u64,
        result: Result<Arc<Inventory>, AwsError>,
    },
    /// What the load `request` has read so far (`inv.pending` says what is missing).
    InventoryPartial {
        request: u64,
        inv: Arc<Inventory>,
    },
    /// The spec file as read again (`r`).
    SpecRead {
        request: u64,
        result: Result<Option<String>, String>,
    },
    Saved {
        request: u64,
        path: PathBuf,
        result: Result<u64, spec_file::SaveError>,
    },
    ClearFlash(u64),
    /// One event of the apply started by request `request`.
    ApplyEvent {
        request: u64,
        event: crate::apply::Event,
    },
    /// The apply did not start: why.
    ApplyAborted {
        request: u64,
        message: String,
    },
    /// What the export `request` wrote, or found in the way.
    Exported {
        request: u64,
        outcome: super::screens::export::Outcome,
    },
    /// EC2's answer about an instance type (from [`Effect::ReadInstanceType`]).
    InstanceTypeRead {
        region: String,
        name: String,
        result: Result<crate::inventory::InstanceType, AwsError>,
    },
    /// SIGTERM / SIGHUP: leave now, restoring the terminal.
    Terminate,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadInventory {
        request: u64,
        /// The VPC whose details are read first (the draft's).
        first: Option<String>,
        /// The region to read, when the region list chose one (else the configured one).
        region: Option<String>,
    },
    /// The highlighted VPC changed while its details are still being read: read it next.
    FocusVpc(String),
    /// Read the spec file again.
    ReadSpec {
        request: u64,
        path: PathBuf,
    },
    /// Write `yaml` if the file is still the one read (`expect`).
    SaveSpec {
        request: u64,
        path: PathBuf,
        yaml: String,
        expect: spec_file::Fingerprint,
    },
    ClearFlashAfter {
        id: u64,
        after: Duration,
    },
    /// Write export files into `dir` (`force`: over files that exist; else those are
    /// listed and nothing is written).
    Export {
        request: u64,
        dir: PathBuf,
        files: Vec<(crate::export::Format, crate::export::File)>,
        force: bool,
    },
    /// Ask EC2 what instance type `name` offers pods (DescribeInstanceTypes in `region`).
    ReadInstanceType {
        region: String,
        name: String,
    },
    /// Launch nothing new in the apply `request`; the running steps finish.
    StopApply {
        request: u64,
    },
    /// Read the account again, check the saved spec against it, and apply its plan if it
    /// is still the one previewed (`expected`).
    Apply {
        request: u64,
        path: PathBuf,
        spec: Box<Spec>,
        expected: ops::Signature,
    },
}

/// Findings and the preview, computed from the inventory and the draft when either
/// changes (and, without a draft, for the highlighted VPC).
#[derive(Debug, Clone, Default)]
pub struct Derived {
    key: Option<(u64, Option<String>)>,
    pub findings: Vec<Finding>,
    /// What the findings are about.
    pub scope: String,
    pub preview: Preview,
    /// The plan the preview shows, as addresses and operations.
    pub signature: ops::Signature,
}

pub struct App {
    pub ctx: Context,
    /// The key bindings (the shipped ones, or the user's file over them).
    pub keys: KeyMap,
    pub screen: Screen,
    pub modal: Option<Modal>,
    pub load: LoadState,
    /// The spec being edited: loaded from the file, or made when a VPC is chosen.
    draft: Option<Spec>,
    /// What the draft was made from and is kept of, besides itself.
    choices: Choices,
    /// The spec file, and the save under way.
    pub file: SpecFile,
    pub derived: Derived,
    pub flash: Option<Flash>,
    pub ui: Ui,
    session: Session,
    /// The latest request of each kind: an answer to an older one is dropped.
    requests: Requests,
    pub quit: bool,
}

/// What the draft was made from and is kept of, besides itself.
#[derive(Debug, Clone, Default)]
struct Choices {
    /// What was chosen for VPCs left this session, restored on return.
    per_vpc: BTreeMap<String, VpcChoices>,
    /// A VPC chosen before its subnets were read: its suggestions follow once they are.
    suggest: Option<String>,
    /// The name for a new draft (a loaded spec whose VPC is gone keeps its name).
    name_hint: Option<String>,
}

/// What the drawing keeps between frames, and what derived views were made from.
#[derive(Debug, Clone, Default)]
pub struct Ui {
    pub spinner: usize,
    pub size: (u16, u16),
    /// q was pressed once while the terminal was too small and choices are unsaved.
    pub quit_armed: bool,
    /// The `rev` the open topology view was drawn from.
    topology_rev: u64,
    /// The `rev` and step the screen was last kept in step with (see `sync_screen`).
    synced: Option<(u64, Step)>,
}

/// This session's state of the account and the apply.
#[derive(Debug, Clone, Default)]
struct Session {
    /// Bumped whenever the draft or the inventory changes.
    rev: u64,
    /// A region chosen in the region list (None: the configured one).
    region: Option<String>,
    /// The VPC last asked to be read next (see [`Effect::FocusVpc`]).
    focused: Option<String>,
    /// The last apply of this session completed.
    applied: bool,
    /// Files were exported in this session.
    exported: bool,
    /// Open the preview once the account is read (the resume offer was taken).
    to_preview: bool,
}

/// The latest request id of each kind.
#[derive(Debug, Clone, Copy, Default)]
struct Requests {
    inventory: u64,
    spec: u64,
    save: u64,
    flash: u64,
    apply: u64,
    export: u64,
}

/// Esc, as the app resolves it while an apply runs.
const BACK: Binding = keys::on(Scope::Global, &[Command::Back], "back", "back");
const WAIT_LOADING: &[Binding] = &[
    keys::QUIT,
    keys::HELP,
    keys::on(Scope::Global, &[Command::Reload], "", "start reading again"),
    keys::on(Scope::Global, &[Command::Save], "", "save the spec file"),
];
const WAIT_FAILED: &[Binding] = &[
    keys::on(
        Scope::Global,
        &[Command::Reload],
        "retry",
        "read the account again",
    ),
    keys::HELP,
    keys::QUIT,
    keys::on(Scope::Global, &[Command::Save], "", "save the spec file"),
];

pub const FLASH_TTL: Duration = Duration::from_secs(5);
pub const MIN_SIZE: (u16, u16) = (80, 24);

impl App {
    /// A new wizard. `spec_file` is the spec file's text (`Ok(None)` when there is none,
    /// `Err` when it exists but could not be read): its choices are preselected.
    /// Returns the effects to start with (the inventory load).
    pub fn new(
        ctx: Context,
        spec_path: PathBuf,
        spec_file: Result<Option<String>, String>,
    ) -> (App, Vec<Effect>) {
        let mut app = App {
            ctx,
            keys: KeyMap::embedded(),
            screen: Screen::Vpcs(VpcsScreen::default()),
            modal: None,
            load: LoadState::Loading,
            draft: None,
            choices: Choices::default(),
            file: SpecFile {
                path: spec_path,
                disk: Disk::Absent,
                changed: None,
                pending: None,
                flow: None,
            },
            derived: Derived::default(),
            flash: None,
            ui: Ui {
                size: (80, 24),
                ..Default::default()
            },
            session: Session::default(),
            requests: Requests::default(),
            quit: false,
        };
        let mut effects = app.adopt_file(spec_file);
        effects.extend(app.reload_inventory());
        app.refresh();
        (app, effects)
    }

    pub fn inventory(&self) -> Option<&Arc<Inventory>> {
        match &self.load {
            LoadState::Ready(i) => Some(i),
            _ => None,
        }
    }

    /// The spec being edited, if a VPC is chosen (or a spec was loaded).
    pub fn draft(&self) -> Option<&Spec> {
        self.draft.as_ref()
    }

    /// The spec path (shown in help and confirmations).
    pub fn spec_path(&self) -> &std::path::Path {
        &self.file.path
    }

    /// What the operator must be told on leaving, after the terminal is given back, and
    /// the exit code: an apply still running (Ctrl-C, SIGTERM, a closed terminal) stops with
    /// it (130), an apply stopped or failed in this session is unfinished (1); the next
    /// apply resumes from the journal either way. `None` when nothing was left half-done.
    pub fn leave_note(&self) -> Option<(String, u8)> {
        let Screen::Progress(p) = &self.screen else {
            return None;
        };
        let count = |f: fn(&StepState) -> bool| p.rows.iter().filter(|r| f(&r.2)).count();
        let done = count(|s| matches!(s, StepState::Done(..)));
        let running = count(|s| matches!(s, StepState::Running(_)));
        let spec = self.file.path.display().to_string();
        let journal = crate::apply::journal::path_for(&self.file.path)
            .display()
            .to_string();
        let resume = format!(
            "{journal} records what was done; `eks-private-tui apply --spec {spec}` (or the wizard's apply) resumes from there."
        );
        let (text, code) = if p.running() {
            (
                format!(
                    "Apply interrupted: {done} of {} done, {running} cut off while running. {resume}",
                    super::screens::plural(p.rows.len(), "step")
                ),
                130,
            )
        } else if p.summary.as_ref().is_some_and(|s| !s.ok()) {
            (
                format!(
                    "Apply stopped: {done} of {} done. {resume}",
                    super::screens::plural(p.rows.len(), "step")
                ),
                1,
            )
        } else {
            return None;
        };
        Some((
            crate::report::term(&text, crate::report::Term::Text { color: false }),
            code,
        ))
    }

    /// The note of [`Self::leave_note`] alone.
    pub fn interrupted_note(&self) -> Option<String> {
        self.leave_note().map(|(n, _)| n)
    }

    /// The spec's journal records an unfinished apply with `done` steps done: offer to
    /// resume it (the runtime reads the journal before the first frame).
    pub fn offer_resume(&mut self, done: usize) {
        if self.modal.is_none() {
            self.modal = Some(Modal::Resume(done));
        }
    }

    /// The draft differs from the file on disk.
    pub fn dirty(&self) -> bool {
        match (&self.draft, &self.file.disk) {
            (None, _) => false,
            (Some(d), Disk::Spec { spec, .. }) => d != &**spec,
            (Some(_), _) => true,
        }
    }

    /// Something is in flight: the runtime ticks the spinner only then.
    pub fn busy(&self) -> bool {
        matches!(self.load, LoadState::Loading)
            || self.inventory().is_some_and(|i| i.is_partial())
            || matches!(&self.screen, Screen::Progress(p) if p.running())
    }

    /// Read the account again after an apply, keeping what is shown until it answers (the
    /// apply's rows and the next steps stay on screen).
    fn reread_after_apply(&mut self) -> Vec<Effect> {
        self.requests.inventory += 1;
        self.session.focused = self.draft.as_ref().map(|d| d.vpc_id.clone());
        vec![Effect::LoadInventory {
            request: self.requests.inventory,
            first: self.session.focused.clone(),
            region: self.session.region.clone(),
        }]
    }

    /// The next steps the apply screen lists, for the draft and the account as read.
    fn set_next_steps(&mut self) {
        let next = match (&self.draft, self.inventory()) {
            (Some(d), Some(inv)) => crate::export::next_steps(d, inv),
            _ => vec![],
        };
        if let Screen::Progress(p) = &mut self.screen {
            p.next = next;
        }
    }

    pub fn too_small(&self) -> bool {
        self.ui.size.0 < MIN_SIZE.0 || self.ui.size.1 < MIN_SIZE.1
    }

    /// Change the draft (and so the derived state).
    fn set_draft(&mut self, draft: Option<Spec>) {
        self.draft = draft;
        self.session.rev += 1;
    }

    fn edit(&mut self, f: impl FnOnce(&mut Spec)) {
        if let Some(d) = &mut self.draft {
            f(d);
            self.session.rev += 1;
        }
    }

    /// Ask EC2 about instance type `name` unless the account answered for it already.
    fn read_instance_type(&self, inv: &Inventory, name: &str) -> Vec<Effect> {
        if name.is_empty() || inv.instance_types.iter().any(|t| t.name == name) {
            return vec![];
        }
        vec![Effect::ReadInstanceType {
            region: inv.region.clone(),
            name: name.to_string(),
        }]
    }

    /// EC2 answered about an instance type: kept in the inventory (the derived state
    /// follows), or, when it does not know the type, said.
    fn on_instance_type(
        &mut self,
        region: String,
        name: String,
        result: Result<crate::inventory::InstanceType, AwsError>,
    ) -> Vec<Effect> {
        let LoadState::Ready(inv) = &self.load else {
            return vec![];
        };
        if inv.region != region {
            return vec![];
        }
        match result {
            Ok(t) => {
                if !inv.instance_types.iter().any(|x| x.name == t.name) {
                    let mut next = (**inv).clone();
                    next.instance_types.push(t);
                    self.load = LoadState::Ready(Arc::new(next));
                    self.session.rev += 1;
                }
                vec![]
            }
            Err(e) if e.code.as_deref() == Some("InvalidInstanceType") => self.flash(
                Level::Warn,
                format!("{name} is not an instance type EC2 lists in {region}"),
            ),
            Err(e) => self.flash(
                Level::Info,
                format!(
                    "DescribeInstanceTypes did not answer for {name} ({}): max pods use the offline table",
                    e.message
                ),
            ),
        }
    }

    fn reload_inventory(&mut self) -> Vec<Effect> {
        self.requests.inventory += 1;
        self.load = LoadState::Loading;
        self.session.focused = self.draft.as_ref().map(|d| d.vpc_id.clone());
        vec![Effect::LoadInventory {
            request: self.requests.inventory,
            first: self.session.focused.clone(),
            region: self.session.region.clone(),
        }]
    }

    /// `r`: the account and the spec file, both read again.
    fn reload(&mut self) -> Vec<Effect> {
        self.requests.spec += 1;
        let mut fx = vec![Effect::ReadSpec {
            request: self.requests.spec,
            path: self.file.path.clone(),
        }];
        fx.extend(self.reload_inventory());
        fx
    }

    /// Take the file's text as what is on disk, and its spec as the draft when it is for
    /// the region read (checked again when the inventory answers).
    fn adopt_file(&mut self, text: Result<Option<String>, String>) -> Vec<Effect> {
        self.file.changed = None;
        self.choices.per_vpc.clear();
        self.choices.suggest = None;
        self.choices.name_hint = None;
        let disk = match text {
            Ok(None) => Disk::Absent,
            Err(e) => Disk::Unusable(format!("cannot read {}: {e}", self.file.path.display())),
            Ok(Some(text)) => match Spec::from_yaml(&text) {
                Ok(spec) => Disk::Spec {
                    fingerprint: spec_file::fingerprint(&text),
                    text,
                    spec: Box::new(spec),
                },
                Err(e) => Disk::Unusable(format!("cannot read {}: {e}", self.file.path.display())),
            },
        };
        self.file.disk = disk;
        match &self.file.disk {
            Disk::Spec { spec, .. } => {
                let spec = (**spec).clone();
                self.set_draft(Some(spec));
                match self.inventory().cloned() {
                    Some(inv) => self.check_draft(&inv),
                    None => vec![],
                }
            }
            Disk::Unusable(msg) => {
                let msg = msg.clone();
                self.set_draft(None);
                self.flash(Level::Error, msg)
            }
            Disk::Absent => {
                self.set_draft(None);
                vec![]
            }
        }
    }

    fn flash(&mut self, level: Level, text: impl Into<String>) -> Vec<Effect> {
        self.requests.flash += 1;
        self.flash = Some(Flash {
            id: self.requests.flash,
            level,
            text: text.into(),
        });
        vec![Effect::ClearFlashAfter {
            id: self.requests.flash,
            after: FLASH_TTL,
        }]
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let fx = self.update_model(action);
        self.refresh();
        self.refresh_topology();
        self.sync_screen();
        fx
    }

    /// The screen keeps itself in step with the draft and the account (the contract's
    /// `sync`): once per change, and once when it opens.
    fn sync_screen(&mut self) {
        let key = (self.session.rev, self.screen.step());
        if self.ui.synced == Some(key) {
            return;
        }
        let Some(inv) = self.inventory().cloned() else {
            return;
        };
        let theme = Theme {
            color: self.ctx.color,
        };
        let ctx = ScreenCtx {
            inv: &inv,
            draft: self.draft.as_ref(),
            findings: &self.derived.findings,
            preview: &self.derived.preview,
            keys: &self.keys,
            theme: &theme,
            page: self.ui.size.1.saturating_sub(6) as usize,
            spinner: "",
            read_only: self.ctx.read_only,
        };
        self.screen.get_mut().sync(&ctx);
        self.ui.synced = Some(key);
    }

    /// The VPC whose picture `t` draws: the draft's, else the highlighted one.
    fn topology_vpc(&self) -> Option<String> {
        if let Some(d) = &self.draft {
            return Some(d.vpc_id.clone());
        }
        match (&self.screen, self.inventory()) {
            (Screen::Vpcs(s), Some(inv)) => s.rows(inv).get(s.selected).map(|v| v.id.clone()),
            _ => None,
        }
    }

    /// The picture, drawn again when the draft or the account changed while it is open.
    fn refresh_topology(&mut self) {
        let Some(Modal::Topology(t)) = &self.modal else {
            return;
        };
        if self.ui.topology_rev == self.session.rev {
            return;
        }
        let offset = t.offset;
        let picture = self.topology_vpc().and_then(|id| {
            let inv = self.inventory()?;
            Some(super::modals::topology::picture(
                inv,
                inv.vpc(&id)?,
                self.draft.as_ref(),
            ))
        });
        self.ui.topology_rev = self.session.rev;
        self.modal = picture.map(|mut p| {
            p.offset = offset.min(p.rows().saturating_sub(1));
            Modal::Topology(p)
        });
    }

    fn open_topology(&mut self) -> Vec<Effect> {
        let Some(inv) = self.inventory().cloned() else {
            return vec![];
        };
        let picture = self.topology_vpc().and_then(|id| {
            inv.vpc(&id)
                .map(|v| super::modals::topology::picture(&inv, v, self.draft.as_ref()))
        });
        match picture {
            Some(p) => {
                self.ui.topology_rev = self.session.rev;
                self.modal = Some(Modal::Topology(p));
                vec![]
            }
            None => self.flash(Level::Info, "choose a VPC first: t draws it"),
        }
    }

    fn update_model(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Key(k) => self.on_key(k),
            Action::Resize(w, h) => {
                self.ui.size = (w, h);
                vec![]
            }
            Action::Tick => {
                self.ui.spinner = self.ui.spinner.wrapping_add(1);
                vec![]
            }
            Action::InventoryLoaded { request, result } => {
                if request != self.requests.inventory {
                    return vec![]; // stale: a newer load is in flight or done
                }
                self.session.rev += 1;
                match result {
                    Ok(inv) => {
                        self.load = LoadState::Ready(inv.clone());
                        let mut fx = self.after_load(&inv);
                        self.set_next_steps();
                        if std::mem::take(&mut self.session.to_preview) && self.draft.is_some() {
                            fx.extend(self.open_step(Step::Preview));
                        }
                        fx
                    }
                    Err(e) => {
                        self.load = LoadState::Failed(e);
                        vec![]
                    }
                }
            }
            Action::InstanceTypeRead {
                region,
                name,
                result,
            } => self.on_instance_type(region, name, result),
            Action::InventoryPartial { request, inv } => {
                if request != self.requests.inventory || matches!(self.load, LoadState::Failed(_)) {
                    return vec![];
                }
                self.session.rev += 1;
                self.load = LoadState::Ready(inv.clone());
                // Shown, but the draft is checked against the complete inventory only.
                self.suggest_when_read(&inv);
                if let Screen::Vpcs(s) = &mut self.screen {
                    s.place_cursor(&inv, self.draft.as_ref().map(|d| d.vpc_id.as_str()));
                }
                vec![]
            }
            Action::SpecRead { request, result } => {
                if request != self.requests.spec {
                    return vec![];
                }
                self.on_spec_read(result)
            }
            Action::Saved {
                request,
                path,
                result,
            } => {
                let Some((r, spec, after, ok)) = self.file.pending.take() else {
                    return vec![];
                };
                if r != request {
                    self.file.pending = Some((r, spec, after, ok));
                    return vec![];
                }
                match result {
                    Ok(fingerprint) => {
                        let text = commented::render(&spec, self.inventory().map(|i| &**i));
                        self.file.disk = Disk::Spec {
                            fingerprint,
                            text,
                            spec: Box::new(spec.clone()),
                        };
                        self.file.changed = None;
                        match after {
                            AfterSave::Quit => {
                                self.quit = true;
                                vec![]
                            }
                            AfterSave::Apply => self.launch_apply(spec),
                            AfterSave::Nothing => {
                                self.flash(Level::Info, format!("✓ saved {}", path.display()))
                            }
                        }
                    }
                    Err(spec_file::SaveError::Changed(now)) => {
                        self.file.changed = Some(now);
                        self.modal = Some(Modal::DiskChanged { saving: true });
                        // What was confirmed stands, but the comments are asked about
                        // again against the file as it is now.
                        self.file.flow = Some((
                            after,
                            SaveOk {
                                comments: false,
                                ..ok
                            },
                        ));
                        vec![]
                    }
                    Err(spec_file::SaveError::Io(e)) => {
                        self.modal = None;
                        if let Screen::Progress(p) = &mut self.screen
                            && after == AfterSave::Apply
                        {
                            p.aborted = Some(format!("could not save {}: {e}", path.display()));
                        }
                        self.flash(
                            Level::Error,
                            format!("✗ could not save {}: {e}", path.display()),
                        )
                    }
                }
            }
            Action::ClearFlash(id) => {
                if self.flash.as_ref().is_some_and(|f| f.id == id) {
                    self.flash = None;
                }
                vec![]
            }
            Action::ApplyEvent { request, event } => {
                if let Screen::Progress(p) = &mut self.screen
                    && p.request == request
                {
                    let finished = matches!(event, crate::apply::Event::Finished(_));
                    p.on_event(event);
                    if finished {
                        let ok = p.summary.as_ref().is_some_and(|s| s.ok());
                        self.session.applied = ok;
                        if self.modal == Some(Modal::StopApply) {
                            self.modal = None;
                        }
                        self.set_next_steps();
                        // The findings and the inventory are read again: the Checks and
                        // the preview show the account as the apply left it.
                        let mut fx = self.reread_after_apply();
                        fx.extend(if ok {
                            self.flash(
                                Level::Info,
                                "apply complete: the account is read again; Esc previews",
                            )
                        } else {
                            self.flash(
                                Level::Error,
                                "apply stopped: see the failed step; Esc, then a, resumes it",
                            )
                        });
                        return fx;
                    }
                }
                vec![]
            }
            Action::ApplyAborted { request, message } => {
                if let Screen::Progress(p) = &mut self.screen
                    && p.request == request
                {
                    p.aborted = Some(message);
                }
                vec![]
            }
            Action::Exported { request, outcome } => {
                if request != self.requests.export {
                    return vec![];
                }
                if let Screen::Export(s) = &mut self.screen {
                    s.writing = false;
                    if let super::screens::export::Outcome::Written(p) = &outcome {
                        self.session.exported = true;
                        let n = p.len();
                        s.outcome = Some(outcome);
                        return self.flash(
                            Level::Info,
                            format!("✓ wrote {}", super::screens::plural(n, "file")),
                        );
                    }
                    s.outcome = Some(outcome);
                }
                vec![]
            }
            Action::Terminate => {
                self.quit = true;
                vec![]
            }
        }
    }

    /// The file as read again by `r`: unchanged, loaded (nothing unsaved), or asked about.
    fn on_spec_read(&mut self, result: Result<Option<String>, String>) -> Vec<Effect> {
        let now = match result {
            Ok(t) => t,
            Err(e) => {
                return self.flash(
                    Level::Error,
                    format!("cannot read {}: {e}", self.file.path.display()),
                );
            }
        };
        let same = match (&self.file.disk, &now) {
            (Disk::Spec { fingerprint, .. }, Some(t)) => *fingerprint == spec_file::fingerprint(t),
            (Disk::Absent, None) => true,
            _ => false,
        };
        if same {
            self.file.changed = None;
            return vec![];
        }
        if self.dirty() {
            self.file.changed = Some(now);
            self.modal = Some(Modal::DiskChanged { saving: false });
            return vec![];
        }
        let msg = format!("{} changed on disk: loaded it", self.file.path.display());
        self.load_from_disk(now, msg)
    }

    /// Take the file's text as it is on disk now as the draft, and say so.
    fn load_from_disk(&mut self, now: Option<String>, msg: String) -> Vec<Effect> {
        let before = self.draft.as_ref().map(|d| d.vpc_id.clone());
        let mut fx = self.adopt_file(Ok(now));
        fx.extend(self.flash(Level::Info, msg));
        self.reset_screen(before);
        fx
    }

    /// After the draft was replaced by the file's: stay on the node subnets or the preview
    /// when the VPC is the same, else back to the VPC list.
    fn reset_screen(&mut self, vpc_before: Option<String>) {
        let same =
            vpc_before.is_some() && vpc_before == self.draft.as_ref().map(|d| d.vpc_id.clone());
        if same
            && matches!(
                self.screen,
                Screen::Subnets(_)
                    | Screen::Endpoints(_)
                    | Screen::Group(_)
                    | Screen::Secondary(_)
                    | Screen::Custom(_)
                    | Screen::Access(_)
                    | Screen::Dns(_)
                    | Screen::Preview(_)
            )
        {
            let inv = self.inventory().cloned();
            if let (Screen::Subnets(s), Some(inv), Some(d)) = (&mut self.screen, inv, &self.draft) {
                s.clamp(&inv, &d.vpc_id);
            }
            return;
        }
        let mut s = VpcsScreen::default();
        if let Some(inv) = self.inventory() {
            s.place_cursor(inv, self.draft.as_ref().map(|d| d.vpc_id.as_str()));
        }
        self.screen = Screen::Vpcs(s);
    }

    /// Keep a draft that still makes sense against a fresh inventory; place the cursor.
    fn after_load(&mut self, inv: &Inventory) -> Vec<Effect> {
        let mut fx = self.check_draft(inv);
        // The draft's node group's instance type, for max pods (N6).
        if let Some(t) = self.draft.as_ref().and_then(|d| d.node_group.as_ref()) {
            fx.extend(self.read_instance_type(inv, t.instance_type.trim()));
        }
        self.suggest_when_read(inv);
        if let Screen::Vpcs(s) = &mut self.screen {
            s.place_cursor(inv, self.draft.as_ref().map(|d| d.vpc_id.as_str()));
        }
        if let (Screen::Subnets(s), Some(d)) = (&mut self.screen, &self.draft) {
            s.clamp(inv, &d.vpc_id);
        }
        if let Screen::Endpoints(s) = &mut self.screen {
            s.clamp(inv, self.draft.as_ref());
        }
        if let Screen::Group(s) = &mut self.screen {
            s.clamp(self.draft.as_ref().and_then(|d| inv.vpc(&d.vpc_id)));
        }
        fx
    }

    /// A VPC chosen while its subnets were still read gets the account's suggestions once
    /// they are, unless the operator chose subnets meanwhile.
    fn suggest_when_read(&mut self, inv: &Inventory) {
        if inv.pending.as_ref().is_some_and(|p| p.lists) {
            return;
        }
        let Some(vpc) = self.choices.suggest.take() else {
            return;
        };
        let untouched = self
            .draft
            .as_ref()
            .is_some_and(|d| d.vpc_id == vpc && d.node_subnets.is_empty());
        if untouched {
            let choices = VpcChoices::suggested(inv, &vpc);
            self.edit(|d| {
                d.node_subnets = choices.node_subnets;
                d.cluster_name = choices.cluster_name;
            });
        }
    }

    /// A draft for another region is not used (the file stays as it is: a save asks); a
    /// VPC that is gone drops the draft; node subnets that are gone are dropped from it.
    fn check_draft(&mut self, inv: &Inventory) -> Vec<Effect> {
        let Some(d) = self.draft.clone() else {
            return vec![];
        };
        if d.region != inv.region {
            self.set_draft(None);
            return self.flash(
                Level::Warn,
                format!(
                    "{} is for {}, not {}: its choices were not loaded (saving asks first)",
                    self.file.path.display(),
                    d.region,
                    inv.region
                ),
            );
        }
        let Some(vpc) = inv.vpc(&d.vpc_id) else {
            self.choices.name_hint = Some(d.metadata.name.clone());
            self.set_draft(None);
            return self.flash(
                Level::Warn,
                format!(
                    "VPC {} from the spec no longer exists: choose again",
                    d.vpc_id
                ),
            );
        };
        let gone: Vec<String> = d
            .node_subnets
            .iter()
            .filter(|(_, s)| vpc.subnet(s).is_none())
            .map(|(az, _)| az.clone())
            .collect();
        if gone.is_empty() {
            return vec![];
        }
        self.edit(|d| d.node_subnets.retain(|az, _| !gone.contains(az)));
        self.flash(
            Level::Warn,
            "some node subnets from the spec no longer exist: check them",
        )
    }

    /// Recompute the derived state if its inputs changed.
    fn refresh(&mut self) {
        let highlighted = match (&self.draft, &self.screen, self.inventory()) {
            (None, Screen::Vpcs(s), Some(inv)) => s.rows(inv).get(s.selected).map(|v| v.id.clone()),
            _ => None,
        };
        let key = Some((self.session.rev, highlighted.clone()));
        if self.derived.key == key {
            return;
        }
        let Some(inv) = self.inventory().cloned() else {
            self.derived = Derived {
                key,
                ..Default::default()
            };
            return;
        };
        if let Some(p) = &inv.pending {
            // Nothing is judged by a partial account: the rules run once it is read.
            self.derived = Derived {
                key,
                findings: vec![],
                scope: format!("reading {}", p.what),
                preview: Preview {
                    lines: vec![format!(
                        "Reading the account ({}): the plan follows once it is read.",
                        p.what
                    )],
                    actions: 0,
                    blocked: true,
                    ..Default::default()
                },
                signature: vec![],
            };
            return;
        }
        let (findings, scope) = match (&self.draft, &highlighted) {
            (Some(spec), _) => {
                let scope = inv
                    .vpc(&spec.vpc_id)
                    .map(|v| {
                        if v.name.is_empty() {
                            v.id.clone()
                        } else {
                            v.name.clone()
                        }
                    })
                    .unwrap_or_else(|| spec.vpc_id.clone());
                (
                    crate::plan::assess(spec, &inv).0,
                    format!("choices for {scope}"),
                )
            }
            (None, Some(id)) => (rules::evaluate(&inv, None, Some(id), None), id.clone()),
            (None, None) => (rules::evaluate(&inv, None, None, None), inv.region.clone()),
        };
        let (preview, signature) = match &self.draft {
            None => (
                Preview {
                    lines: vec!["Choose a VPC and its node subnets first.".into()],
                    actions: 0,
                    blocked: true,
                    ..Default::default()
                },
                vec![],
            ),
            Some(spec) => preview_of(spec, &inv, &findings),
        };
        self.derived = Derived {
            key,
            findings,
            scope,
            preview,
            signature,
        };
    }

    /// A binding as the footer and `?` say it: the next-step key of a wizard step names
    /// the step it leads to (the step table's words), as the draft decides.
    pub fn said(&self, b: &Binding) -> Binding {
        let here = self.screen.step();
        if b.commands == [Command::Next]
            && !b.hint.is_empty()
            && here.number() < Step::Preview.number()
        {
            let (hint, help) = super::steps::next(here, &self.step_input()).def().onward;
            return Binding { hint, help, ..*b };
        }
        *b
    }

    /// The keys a terminal event stands for: in a text field, the shell's Alt chords
    /// (Alt-B/F/D, Alt-Backspace) are themselves; otherwise an Alt+key is Esc and the key
    /// arriving together ([`keys::split_alt`]).
    pub fn keys_of(&self, k: KeyEvent) -> Vec<KeyEvent> {
        let field = matches!(self.load, LoadState::Ready(_))
            && self.modal.is_none()
            && self.screen.get().capturing();
        if field && super::widgets::text_field::is_chord(&k) {
            return vec![k];
        }
        keys::split_alt(k)
    }

    /// The keys of a dialog (its footer and `?`).
    pub fn modal_bindings(&self, m: &Modal) -> &'static [Binding] {
        m.bindings()
    }

    /// The keys while the account is not read yet (or could not be).
    pub fn waiting_bindings(&self) -> &'static [Binding] {
        match self.load {
            LoadState::Failed(_) => WAIT_FAILED,
            _ => WAIT_LOADING,
        }
    }

    fn on_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(k.code, KeyCode::Char('c')) {
            // Mid-apply the first Ctrl-C asks (stop after the running steps, or leave
            // now); a second one leaves.
            let running = matches!(&self.screen, Screen::Progress(p) if p.running() && !p.stopping);
            if running && self.modal != Some(Modal::StopApply) {
                self.modal = Some(Modal::StopApply);
                return vec![];
            }
            self.quit = true;
            return vec![];
        }
        // Too small to show anything but the notice: no key may act unseen but quitting
        // (which asks first, once the window is large enough to show the question).
        if self.too_small() {
            // Too small to show anything but the notice: no key acts unseen but q. With
            // unsaved choices the first q says so on the notice, the second quits.
            if self.keys.command(&[keys::QUIT], &k) != Some(Command::Quit) {
                return vec![];
            }
            if self.dirty() && !self.ui.quit_armed {
                self.ui.quit_armed = true;
            } else {
                self.quit = true;
            }
            return vec![];
        }
        self.ui.quit_armed = false;
        if let Some(modal) = self.modal.clone() {
            return self.on_modal_key(modal, k);
        }
        let inv = match &self.load {
            LoadState::Ready(inv) => inv.clone(),
            _ => {
                return match self.keys.command(self.waiting_bindings(), &k) {
                    Some(cmd) => self.global(cmd),
                    None => vec![],
                };
            }
        };
        if let Screen::Progress(p) = &self.screen
            && p.running()
            && matches!(
                self.keys.command(&[keys::QUIT, BACK], &k),
                Some(Command::Quit | Command::Back)
            )
        {
            // Nothing may start or leave mid-apply but Ctrl-C (the journal resumes it).
            return self.flash(
                Level::Warn,
                "apply is running: wait for it, or Ctrl-C to leave (a later apply resumes it)",
            );
        }
        let theme = Theme {
            color: self.ctx.color,
        };
        let ctx = ScreenCtx {
            inv: &inv,
            draft: self.draft.as_ref(),
            findings: &self.derived.findings,
            preview: &self.derived.preview,
            keys: &self.keys,
            theme: &theme,
            page: self.ui.size.1.saturating_sub(6) as usize,
            spinner: "",
            read_only: self.ctx.read_only,
        };
        if !self.screen.get().capturing()
            && self.keys.command(&[keys::TOPOLOGY], &k) == Some(Command::Topology)
        {
            return self.open_topology();
        }
        let mut fx = match self.screen.get_mut().handle_key(k, &ctx) {
            Some(i) => self.apply_intent(i, &inv),
            None => vec![],
        };
        fx.extend(self.focus());
        fx
    }

    /// While DNS attributes are still being read, the highlighted VPC is read next.
    fn focus(&mut self) -> Option<Effect> {
        let (Screen::Vpcs(s), Some(inv)) = (&self.screen, self.inventory()) else {
            return None;
        };
        // Only while DNS reads are pending: listing the rows sorts every VPC.
        let pending = &inv.pending.as_ref()?.dns;
        if pending.is_empty() {
            return None;
        }
        let id = s.rows(inv).get(s.selected)?.id.clone();
        if !pending.contains(&id) || self.session.focused.as_ref() == Some(&id) {
            return None;
        }
        self.session.focused = Some(id.clone());
        Some(Effect::FocusVpc(id))
    }

    /// The commands every screen shares.
    fn global(&mut self, cmd: Command) -> Vec<Effect> {
        match cmd {
            Command::Quit => {
                // A save of these very choices is on its way to the disk: quit once it
                // lands (a failed save still asks, through its own modal).
                if let Some((_, spec, after, _)) = &mut self.file.pending
                    && self.draft.as_ref() == Some(spec)
                    && matches!(after, AfterSave::Nothing)
                {
                    *after = AfterSave::Quit;
                    return vec![];
                }
                if self.dirty() {
                    self.modal = Some(Modal::ConfirmQuit);
                } else {
                    self.quit = true;
                }
                vec![]
            }
            Command::Help => {
                self.modal = Some(Modal::Help(Default::default()));
                vec![]
            }
            Command::Reload => self.reload(),
            Command::Save => self.save(AfterSave::Nothing),
            Command::Checks if self.inventory().is_some_and(|i| i.is_partial()) => self.flash(
                Level::Info,
                "the checks run once the account is read (a moment)",
            ),
            Command::Checks if self.inventory().is_some() => {
                self.modal = Some(Modal::Checks(ChecksView::default()));
                vec![]
            }
            Command::Back if !self.screen.get_mut().back() => self.back(),
            _ => vec![],
        }
    }

    fn on_modal_key(&mut self, modal: Modal, k: KeyEvent) -> Vec<Effect> {
        match modal {
            Modal::Regions(mut p) => {
                let regions = self
                    .inventory()
                    .map(|i| i.regions.clone())
                    .unwrap_or_default();
                let current = self.inventory().map(|i| i.region.clone());
                match p.handle_key(k, &regions, &self.keys) {
                    super::modals::regions::Picked::Stay => {
                        self.modal = Some(Modal::Regions(p));
                        vec![]
                    }
                    super::modals::regions::Picked::Close => {
                        self.modal = None;
                        vec![]
                    }
                    super::modals::regions::Picked::Region(r) => {
                        self.modal = None;
                        if Some(&r) == current.as_ref() {
                            return vec![];
                        }
                        // The draft stays the file's: for the old region it is not used
                        // there (check_draft says so), and nothing is lost: it was saved.
                        self.session.region = Some(r.clone());
                        self.ctx.region = r.clone();
                        self.choices.per_vpc.clear();
                        self.choices.suggest = None;
                        self.screen = Screen::Vpcs(VpcsScreen::default());
                        let mut fx = self.reload_inventory();
                        fx.extend(self.flash(Level::Info, format!("reading {r}…")));
                        fx
                    }
                }
            }
            Modal::Checks(mut view) => {
                let keep = view.handle_key(k, &self.derived.findings, &self.keys);
                self.modal = keep.then_some(Modal::Checks(view));
                vec![]
            }
            Modal::ConfirmApply(mut t) => {
                let reply = t.key(&k, typed::APPLY, &self.keys);
                self.modal = Some(Modal::ConfirmApply(t));
                self.reply(reply)
            }
            Modal::ConfirmForeign {
                region,
                typed: mut t,
            } => {
                let reply = t.key(&k, typed::OVERWRITE, &self.keys);
                self.modal = Some(Modal::ConfirmForeign { region, typed: t });
                self.reply(reply)
            }
            Modal::Help(mut help) => {
                self.modal = help.key(&k, &self.keys).then_some(Modal::Help(help));
                vec![]
            }
            Modal::Topology(mut t) => {
                let page = self.ui.size.1.saturating_sub(8) as usize;
                self.modal = t.key(&k, &self.keys, page).then_some(Modal::Topology(t));
                vec![]
            }
            Modal::StopApply => {
                let reply = super::modals::stop_apply::key(&k, &self.keys);
                self.reply(reply)
            }
            Modal::Resume(_) => {
                let reply = super::modals::resume::key(&k, &self.keys);
                self.reply(reply)
            }
            Modal::ConfirmQuit => {
                let reply = super::modals::quit::key(&k, &self.keys);
                self.reply(reply)
            }
            Modal::DiskChanged { saving } => {
                let reply = super::modals::disk_changed::key(&k, saving, &self.keys);
                self.reply(reply)
            }
            Modal::DropComments(_) => {
                let reply = super::modals::drop_comments::key(&k, &self.keys);
                self.reply(reply)
            }
        }
    }

    /// What a dialog's answer does.
    fn reply(&mut self, reply: Reply) -> Vec<Effect> {
        let modal = self.modal.take();
        match (reply, modal) {
            (Reply::Stay, m) => {
                self.modal = m;
                vec![]
            }
            (Reply::Close, Some(Modal::ConfirmApply(_))) => {
                self.flash(Level::Info, "apply cancelled: nothing was changed")
            }
            (Reply::Refused, Some(Modal::ConfirmApply(_))) => self.flash(
                Level::Info,
                format!(
                    "apply cancelled (only {} is accepted): nothing was changed",
                    typed::APPLY
                ),
            ),
            (Reply::Confirmed, Some(Modal::ConfirmApply(_))) => self.start_apply(),
            (Reply::Confirmed, Some(m @ Modal::ConfirmForeign { .. })) => {
                self.modal = Some(m);
                self.confirm_save(|ok| ok.foreign = true)
            }
            (Reply::Close | Reply::Refused, Some(Modal::ConfirmForeign { region, .. })) => {
                self.file.flow = None;
                self.flash(
                    Level::Info,
                    format!(
                        "not saved: {} still holds the {region} spec",
                        self.file.path.display()
                    ),
                )
            }
            (Reply::Stop, _) => {
                let Screen::Progress(p) = &mut self.screen else {
                    return vec![];
                };
                if !p.running() {
                    return vec![];
                }
                p.stopping = true;
                let request = p.request;
                let mut fx = vec![Effect::StopApply { request }];
                fx.extend(self.flash(
                    Level::Warn,
                    "stopping: the running steps finish, nothing new starts",
                ));
                fx
            }
            (Reply::Quit, _) => {
                self.quit = true;
                vec![]
            }
            (Reply::ToPreview, _) => {
                if self.inventory().is_some_and(|i| !i.is_partial()) && self.draft.is_some() {
                    self.open_step(Step::Preview)
                } else {
                    self.session.to_preview = true;
                    vec![]
                }
            }
            (Reply::SaveAndQuit, _) => self.save(AfterSave::Quit),
            (Reply::Overwrite, m) => {
                self.modal = m;
                self.confirm_save(|ok| ok.changed = true)
            }
            (Reply::LoadDisk, _) => {
                self.file.flow = None;
                let now = self.file.changed.take().unwrap_or(None);
                let msg = format!("loaded {} as it is on disk now", self.file.path.display());
                self.load_from_disk(now, msg)
            }
            (Reply::KeepDraft, _) => {
                self.file.flow = None;
                self.flash(
                    Level::Info,
                    "kept your choices: nothing was written (w asks again)",
                )
            }
            (Reply::SaveAnyway, m) => {
                self.modal = m;
                self.confirm_save(|ok| ok.comments = true)
            }
            (Reply::Cancelled, _) => {
                self.file.flow = None;
                self.flash(Level::Info, "not saved: your comments are kept")
            }
            (Reply::Close | Reply::Refused | Reply::Confirmed, _) => vec![],
        }
    }

    fn back(&mut self) -> Vec<Effect> {
        match &self.screen {
            Screen::Vpcs(_) => vec![], // Esc never quits
            Screen::Subnets(_) => {
                self.reset_screen(None);
                vec![]
            }
            Screen::Endpoints(_)
            | Screen::Group(_)
            | Screen::Secondary(_)
            | Screen::Custom(_)
            | Screen::Access(_)
            | Screen::Dns(_)
            | Screen::Preview(_) => {
                let here = self.screen.step();
                let before = STEPS
                    .iter()
                    .take_while(|d| d.step != here)
                    .filter(|d| (d.applies)(&self.step_input()))
                    .last()
                    .map_or(Step::Vpc, |d| d.step);
                self.open_step(before)
            }
            Screen::Progress(_) => {
                // The account changed: read it again for the preview.
                self.screen = Screen::Preview(PreviewScreen::new(self.ctx.read_only));
                self.reload()
            }
            Screen::Export(_) => self.open_step(Step::Preview),
        }
    }

    fn confirm_apply(&mut self) -> Vec<Effect> {
        if self.ctx.read_only {
            return self.flash(
                Level::Warn,
                "READ-ONLY: apply is off (started with --read-only)",
            );
        }
        let p = &self.derived.preview;
        if p.blocked {
            return self.flash(Level::Error, "error findings block the apply: c lists them");
        }
        if p.actions == 0 {
            return self.flash(Level::Info, "no changes: the account matches the spec");
        }
        self.modal = Some(Modal::ConfirmApply(Typed::default()));
        vec![]
    }

    /// `yes` typed: the progress screen, then save the draft (if it changed) and apply.
    fn start_apply(&mut self) -> Vec<Effect> {
        let Some(spec) = self.draft.clone() else {
            return vec![];
        };
        self.requests.apply += 1;
        self.screen = Screen::Progress(ProgressScreen::new(
            self.requests.apply,
            &self.derived.signature,
        ));
        // The journal lives next to the spec: apply what the file says.
        if self.dirty() {
            self.save(AfterSave::Apply)
        } else {
            self.launch_apply(spec)
        }
    }

    fn launch_apply(&mut self, spec: Spec) -> Vec<Effect> {
        vec![Effect::Apply {
            request: self.requests.apply,
            path: self.file.path.clone(),
            spec: Box::new(spec),
            expected: self.derived.signature.clone(),
        }]
    }

    fn apply_intent(&mut self, intent: Intent, inv: &Inventory) -> Vec<Effect> {
        match intent {
            Intent::Global(cmd) => self.global(cmd),
            Intent::Apply => self.confirm_apply(),
            Intent::Flash(level, text) => self.flash(level, text),
            Intent::PickRegion => {
                if self.dirty() {
                    return self.flash(
                        Level::Warn,
                        format!(
                            "your choices are for {} and not saved: w saves them, then R",
                            inv.region
                        ),
                    );
                }
                let mut p = super::modals::regions::RegionPicker::default();
                p.place(&inv.regions, &inv.region);
                self.modal = Some(Modal::Regions(p));
                vec![]
            }
            Intent::ChooseVpc(id) => {
                let Some(vpc) = inv.vpc(&id) else {
                    return vec![];
                };
                if self.draft.as_ref().map(|d| d.vpc_id.as_str()) != Some(id.as_str()) {
                    // Remember what was chosen for the VPC left; restore what was chosen
                    // for this one, or start from what the account suggests.
                    if let Some(d) = &self.draft {
                        self.choices
                            .per_vpc
                            .insert(d.vpc_id.clone(), VpcChoices::of(d));
                    }
                    let restored = self.choices.per_vpc.remove(&id);
                    let fresh = restored.is_none();
                    let choices = restored.unwrap_or_else(|| VpcChoices::suggested(inv, &id));
                    let mut d = self.draft.take().unwrap_or_else(|| {
                        let base = choices
                            .cluster_name
                            .clone()
                            .filter(|n| !n.is_empty())
                            .unwrap_or_else(|| {
                                if vpc.name.is_empty() {
                                    vpc.id.clone()
                                } else {
                                    vpc.name.clone()
                                }
                            });
                        let name = self
                            .choices
                            .name_hint
                            .take()
                            .unwrap_or_else(|| format!("{}-private", spec::slug(&base)));
                        Spec::new(&name, &inv.region, &id)
                    });
                    d.region = inv.region.clone();
                    d.vpc_id = id.clone();
                    choices.restore(&mut d);
                    if fresh {
                        d.endpoints = Some(spec::starter::base_endpoints(inv, &d.metadata.name));
                    }
                    // Subnets not read yet: they are suggested once they are.
                    self.choices.suggest = (fresh && inv.pending.as_ref().is_some_and(|p| p.lists))
                        .then(|| id.clone());
                    self.set_draft(Some(d));
                }
                let mut s = SubnetsScreen::default();
                s.clamp(inv, &id);
                self.screen = Screen::Subnets(s);
                vec![]
            }
            Intent::Edit(edit) => self.apply_edit(edit, inv),
            Intent::OpenExport => self.open_step(Step::Export),
            Intent::Export { force } => {
                let Screen::Export(s) = &self.screen else {
                    return vec![];
                };
                self.requests.export += 1;
                vec![Effect::Export {
                    request: self.requests.export,
                    dir: s.dir.clone(),
                    files: s.files(),
                    force,
                }]
            }
            Intent::Next => {
                if self.draft.is_none() {
                    return vec![];
                }
                let next = super::steps::next(self.screen.step(), &self.step_input());
                self.open_step(next)
            }
        }
    }

    /// A change to the draft: applied by the core ([`Spec::apply`]), what it says
    /// flashed; a new instance type is asked of EC2 when the account has not answered
    /// for it.
    fn apply_edit(&mut self, edit: Edit, inv: &Inventory) -> Vec<Effect> {
        let Some(d) = &mut self.draft else {
            return vec![];
        };
        let instance = match &edit {
            Edit::SetInstanceType(name) => Some(name.clone()),
            _ => None,
        };
        let before = d.clone();
        let note = d.apply(edit, inv);
        if *d != before {
            self.session.rev += 1;
        }
        let mut fx = match note {
            Some(Note::Info(text)) => self.flash(Level::Info, text),
            Some(Note::Warn(text)) => self.flash(Level::Warn, text),
            None => vec![],
        };
        if let Some(name) = instance {
            fx.extend(self.read_instance_type(inv, &name));
        }
        fx
    }

    /// What the step table judges a step by.
    pub fn step_input(&self) -> super::steps::StepInput<'_> {
        super::steps::StepInput {
            draft: self.draft.as_ref(),
            findings: &self.derived.findings,
            applied: self.session.applied,
            exported: self.session.exported,
        }
    }

    /// Show `step`'s screen, fresh. The preview is reached by saving what changed first.
    fn open_step(&mut self, step: Step) -> Vec<Effect> {
        let inv = self.inventory().cloned();
        match step {
            Step::Vpc => self.reset_screen(None),
            Step::Subnets => {
                let mut s = SubnetsScreen::default();
                if let (Some(inv), Some(d)) = (&inv, &self.draft) {
                    s.clamp(inv, &d.vpc_id);
                }
                self.screen = Screen::Subnets(s);
            }
            Step::Endpoints => self.screen = Screen::Endpoints(EndpointsScreen::default()),
            Step::Group => self.screen = Screen::Group(GroupScreen::default()),
            Step::Secondary => self.screen = Screen::Secondary(SecondaryScreen::default()),
            Step::Custom => self.screen = Screen::Custom(CustomScreen::default()),
            Step::Access => self.screen = Screen::Access(AccessScreen::default()),
            Step::Dns => self.screen = Screen::Dns(DnsScreen::default()),
            // The apply screen is reached by `a` only; back from the export goes to the
            // preview.
            Step::Apply => return self.open_step(Step::Preview),
            Step::Export => {
                if self.draft.is_none() {
                    return self
                        .flash(Level::Info, "choose a VPC first: the export is of its spec");
                }
                let name = self
                    .draft
                    .as_ref()
                    .map(|d| crate::spec::slug(&d.metadata.name))
                    .unwrap_or_default();
                let dir = self
                    .file
                    .path
                    .parent()
                    .map(std::path::Path::to_path_buf)
                    .unwrap_or_default()
                    .join(format!("{name}-export"));
                self.screen = Screen::Export(ExportScreen::new(dir));
                self.ui.synced = None;
            }
            Step::Preview => {
                let fx = if self.dirty() {
                    self.save(AfterSave::Nothing)
                } else {
                    vec![]
                };
                if self.draft.is_some() && !matches!(self.file.disk, Disk::Unusable(_)) {
                    self.screen = Screen::Preview(PreviewScreen::new(self.ctx.read_only));
                }
                return fx;
            }
        }
        vec![]
    }

    /// A modal confirmed the save waiting for it: go on with what it confirmed.
    fn confirm_save(&mut self, confirm: impl FnOnce(&mut SaveOk)) -> Vec<Effect> {
        self.modal = None;
        let (after, mut ok) = self
            .file
            .flow
            .take()
            .unwrap_or((AfterSave::Nothing, SaveOk::default()));
        confirm(&mut ok);
        self.save_with(after, ok)
    }

    /// `w` (and the saves before quitting and applying).
    fn save(&mut self, after: AfterSave) -> Vec<Effect> {
        self.save_with(after, SaveOk::default())
    }

    /// Save the draft unless something needs the operator's word first: nothing changed
    /// (nothing is written), a file that cannot be read (never overwritten), a spec for
    /// another region (typed confirmation), comments of the user's that the save drops.
    /// That the file did not change on disk since it was read is checked by the write.
    fn save_with(&mut self, after: AfterSave, ok: SaveOk) -> Vec<Effect> {
        if let Disk::Unusable(e) = &self.file.disk {
            let msg = format!("{e} — nothing was written: fix or move the file and start again");
            return self.flash(Level::Error, msg);
        }
        let Some(spec) = self.draft.clone() else {
            return self.flash(Level::Warn, "choose a VPC first (Enter on a row)");
        };
        if !self.dirty() && !ok.changed && self.file.changed.is_none() {
            return match after {
                AfterSave::Quit => {
                    self.quit = true;
                    vec![]
                }
                AfterSave::Apply => self.launch_apply(spec),
                AfterSave::Nothing => self.flash(
                    Level::Info,
                    format!(
                        "nothing changed: {} is up to date",
                        self.file.path.display()
                    ),
                ),
            };
        }
        // Known to have changed on disk since it was read: ask before anything else.
        if self.file.changed.is_some() && !ok.changed {
            self.modal = Some(Modal::DiskChanged { saving: true });
            self.file.flow = Some((after, ok));
            return vec![];
        }
        let inv = self.inventory().cloned();
        let yaml = commented::render(&spec, inv.as_deref());
        // What is on disk now: the file as read, or as it changed since.
        let now = match (&self.file.changed, &self.file.disk) {
            (Some(Some(text)), _) => Spec::from_yaml(text).ok().map(|s| (s, text.clone())),
            (Some(None), _) => None,
            (None, Disk::Spec { spec, text, .. }) => Some(((**spec).clone(), text.clone())),
            (None, _) => None,
        };
        if let Some((on_disk, text)) = &now {
            if on_disk.region != spec.region && !ok.foreign {
                self.modal = Some(Modal::ConfirmForeign {
                    region: on_disk.region.clone(),
                    typed: Typed::default(),
                });
                self.file.flow = Some((after, ok));
                return vec![];
            }
            let theirs = commented::render(on_disk, inv.as_deref());
            let dropped = commented::user_comments(text, &[yaml.as_str(), theirs.as_str()]);
            if !dropped.is_empty() && !ok.comments {
                self.modal = Some(Modal::DropComments(dropped));
                self.file.flow = Some((after, ok));
                return vec![];
            }
        }
        // Overwriting a file that changed on disk: expect what is there now.
        let expect = match (&self.file.changed, ok.changed) {
            (Some(now), true) => now.as_deref().map(spec_file::fingerprint),
            _ => self.file.fingerprint(),
        };
        self.requests.save += 1;
        self.file.pending = Some((self.requests.save, spec, after, ok));
        vec![Effect::SaveSpec {
            request: self.requests.save,
            path: self.file.path.clone(),
            yaml,
            expect,
        }]
    }
}

/// The choices of a draft that belong to its VPC: kept when the operator moves to another
/// VPC, restored on return.
#[derive(Debug, Clone, Default, PartialEq)]
struct VpcChoices {
    node_subnets: BTreeMap<String, String>,
    cluster_name: Option<String>,
    endpoints: Option<spec::Endpoints>,
}

impl VpcChoices {
    fn of(d: &Spec) -> Self {
        VpcChoices {
            node_subnets: d.node_subnets.clone(),
            cluster_name: d.cluster_name.clone(),
            endpoints: d.endpoints.clone(),
        }
    }

    /// What the account suggests, as `spec new` does: the VPC's only cluster, and per AZ
    /// that cluster's own subnet, else the best private one (none while subnets are read).
    /// The endpoints are the caller's (they need the draft's name).
    fn suggested(inv: &Inventory, vpc_id: &str) -> Self {
        match spec::starter::starter_spec(inv, vpc_id, None) {
            Ok(s) => VpcChoices {
                node_subnets: s.node_subnets,
                cluster_name: s.cluster_name,
                endpoints: None,
            },
            Err(_) => VpcChoices::default(),
        }
    }

    fn restore(&self, d: &mut Spec) {
        d.node_subnets = self.node_subnets.clone();
        d.cluster_name = self.cluster_name.clone();
        d.endpoints = self.endpoints.clone();
    }
}

/// The preview of `spec`: warnings and the plan, or the error findings that block it.
fn preview_of(spec: &Spec, inv: &Inventory, findings: &[Finding]) -> (Preview, ops::Signature) {
    match ops::prepare_from(findings.to_vec(), spec, inv) {
        Err(ops::Failure::Blocked(blocking)) => {
            let mut lines = vec![
                "The spec cannot be applied: fix these first (c lists why and how).".into(),
                String::new(),
            ];
            for f in &blocking {
                lines.push(format!("✗ {} {}: {}", f.id, f.subject, f.message));
            }
            (
                Preview {
                    lines,
                    actions: 0,
                    blocked: true,
                    ..Default::default()
                },
                vec![],
            )
        }
        Err(other) => (
            Preview {
                lines: vec![other.to_string()],
                actions: 0,
                blocked: true,
                ..Default::default()
            },
            vec![],
        ),
        Ok(prepared) => {
            let mut lines = prepared.notes();
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(
                crate::plan::render::text(&prepared.plan, false)
                    .lines()
                    .map(str::to_string),
            );
            // Where each action's block starts, and all its attributes (Enter shows them).
            let mut from = 0;
            let mut at = vec![];
            let mut details = vec![];
            for a in &prepared.plan.actions {
                let head = format!("  # {} ", a.address);
                if let Some(i) = lines.iter().skip(from).position(|l| l.starts_with(&head)) {
                    at.push(from + i);
                    from += i + 1;
                    details.push(super::screens::preview::attributes(a));
                }
            }
            (
                Preview {
                    lines,
                    actions: prepared.plan.actions.len(),
                    blocked: false,
                    at,
                    details,
                },
                prepared.signature(),
            )
        }
    }
}
