//! The wizard's model and its update function (TEA). `update` never awaits: it changes the
//! model and returns [`Effect`]s that the runtime runs in spawned tasks, which answer with
//! [`Action`]s carrying the request id; answers to superseded requests are dropped.
//!
//! The model holds one draft [`Spec`] (loaded from the file or new) and what the file on
//! disk was when last read or written ([`SpecFile`]). Screens return [`Intent`]s; only
//! `update` changes the draft. Derived state (findings, the preview's plan) is recomputed
//! in `update` when the inventory or the draft changes, never while drawing.
//!
//! This file holds what every screen shares and routes each [`Action`]; the rest is in
//! sub-models: `action` (actions and effects), `input` (keys, dialogs' replies, global
//! commands), `steps` (moving between steps, screens' intents), `draft` (loads, the draft
//! checked against the account, edits through `spec::edit`), `save` (the spec file's save
//! state machine), `apply` (the running apply), `derived` (findings, preview, topology,
//! the screen kept in step), `screen` (the one list of screens).

mod action;
mod apply;
mod derived;
mod draft;
mod input;
mod save;
mod screen;
mod steps;

pub use action::{Action, Effect};
pub use derived::Derived;
use draft::VpcChoices;
pub use save::{AfterSave, Disk, SpecFile};
pub use screen::{Opening, Screen};

pub use super::intent::{Intent, Level};
use super::keys::{self, Binding, Command, KeyMap, Scope};
pub use super::modals::Modal;
use super::modals::checks::ChecksView;
use super::modals::{Reply, Typed, typed};
use super::screens::preview::{Preview, PreviewScreen, ProgressScreen};
use super::screens::{
    Answer, ScreenCtx, WizardScreen, access::AccessScreen, custom::CustomScreen, dns::DnsScreen,
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

#[derive(Debug, Clone, PartialEq)]
pub enum LoadState {
    Loading,
    Ready(Arc<Inventory>),
    Failed(AwsError),
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

    /// Something is in flight: the runtime ticks the spinner only then.
    pub fn busy(&self) -> bool {
        matches!(self.load, LoadState::Loading)
            || self.inventory().is_some_and(|i| i.is_partial())
            || self.screen.get().run().is_some_and(|r| r.running)
    }

    pub fn too_small(&self) -> bool {
        self.ui.size.0 < MIN_SIZE.0 || self.ui.size.1 < MIN_SIZE.1
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
        // The screen first (its cursor may pick the VPC the findings are about), then
        // what is derived from the draft, the account and the cursor.
        self.sync_screen();
        self.refresh();
        self.refresh_topology();
        fx
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
            Action::InventoryLoaded { request, result } => self.on_inventory(request, result),
            Action::InstanceTypeRead {
                region,
                name,
                result,
            } => self.on_instance_type(region, name, result),
            Action::InventoryPartial { request, inv } => self.on_partial(request, inv),
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
            } => self.on_saved(request, path, result),
            Action::ClearFlash(id) => {
                if self.flash.as_ref().is_some_and(|f| f.id == id) {
                    self.flash = None;
                }
                vec![]
            }
            Action::ApplyEvent { request, event } => self.on_apply_event(request, event),
            Action::ApplyAborted { request, message } => {
                self.screen
                    .get_mut()
                    .answer(Answer::ApplyAborted(request, message));
                vec![]
            }
            Action::Exported { request, outcome } => self.on_exported(request, outcome),
            Action::Terminate => {
                self.quit = true;
                vec![]
            }
        }
    }
}

/// What a screen reads while the app updates, from the App's fields one by one (so the
/// screen itself can be borrowed mutably beside them).
fn screen_ctx<'a>(
    inv: &'a Inventory,
    draft: Option<&'a Spec>,
    derived: &'a Derived,
    keys: &'a KeyMap,
    theme: &'a Theme,
    ctx: &Context,
    size: (u16, u16),
) -> ScreenCtx<'a> {
    ScreenCtx {
        inv,
        draft,
        findings: &derived.findings,
        preview: &derived.preview,
        keys,
        theme,
        page: size.1.saturating_sub(6) as usize,
        spinner: "",
        read_only: ctx.read_only,
    }
}
