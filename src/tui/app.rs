//! The wizard's model and its update function (TEA). `update` never awaits: it changes the
//! model and returns [`Effect`]s that the runtime runs in spawned tasks, which answer with
//! [`Action`]s carrying the request id; answers to superseded requests are dropped.

use super::screens::preview::{Preview, PreviewKey, PreviewScreen, ProgressScreen};
use super::screens::{checks::ChecksView, subnets::SubnetsScreen, vpcs::VpcsScreen};
use crate::aws::AwsError;
use crate::inventory::{Inventory, SubnetKind};
use crate::rules::{self, Finding};
use crate::spec::{self, Spec};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The wizard's steps, in order. Later issues add screens here.
pub const STEPS: &[Step] = &[Step::Vpc, Step::Subnets, Step::Preview];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Vpc,
    Subnets,
    Preview,
}

impl Step {
    pub fn title(self) -> &'static str {
        match self {
            Step::Vpc => "VPC",
            Step::Subnets => "Node subnets",
            Step::Preview => "Preview & apply",
        }
    }
}

/// Where the operator is and what they see. Screen-local UI state lives in the variants.
#[derive(Debug, Clone)]
pub enum Screen {
    Vpcs(VpcsScreen),
    Subnets(SubnetsScreen),
    Preview(PreviewScreen),
    /// An apply in progress, or its outcome.
    Progress(ProgressScreen),
}

impl Screen {
    pub fn step(&self) -> Step {
        match self {
            Screen::Vpcs(_) => Step::Vpc,
            Screen::Subnets(_) => Step::Subnets,
            Screen::Preview(_) | Screen::Progress(_) => Step::Preview,
        }
    }
}

/// What the operator is told, fixed for the session.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    pub profile: String,
    pub region: String,
    pub endpoint_url: Option<String>,
    pub read_only: bool,
    pub color: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flash {
    pub id: u64,
    pub level: Level,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Modal {
    Help,
    ConfirmQuit,
    /// Every finding for the current choices (`c`).
    Checks(ChecksView),
    /// Apply? Only the typed word `yes` confirms.
    ConfirmApply(String),
}

/// The wizard's choices so far (become the spec on `w`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Choices {
    pub name: Option<String>,
    pub vpc_id: Option<String>,
    pub cluster_name: Option<String>,
    pub node_subnets: BTreeMap<String, String>,
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
    Saved {
        request: u64,
        path: PathBuf,
        result: Result<(), String>,
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
    /// SIGTERM / SIGHUP: leave now, restoring the terminal.
    Terminate,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadInventory {
        request: u64,
    },
    SaveSpec {
        request: u64,
        path: PathBuf,
        yaml: String,
    },
    ClearFlashAfter {
        id: u64,
        after: Duration,
    },
    /// Save the spec, read the account again, and apply its plan if it is still the one
    /// previewed (`expected`: addresses and operations).
    Apply {
        request: u64,
        path: PathBuf,
        yaml: String,
        expected: Vec<(String, crate::plan::Op)>,
    },
}

/// What a screen's key handler asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    ChooseVpc(String),
    ToggleSubnet(String),
    CycleCluster,
    Next,
    Flash(Level, String),
}

pub struct App {
    pub ctx: Context,
    pub screen: Screen,
    pub load: LoadState,
    pub choices: Choices,
    pub spec_path: PathBuf,
    /// Set when the spec file existed but could not be read: `w` refuses to overwrite it.
    pub spec_error: Option<String>,
    /// The region of the loaded spec file, until the inventory confirms it.
    spec_region: Option<String>,
    /// The loaded spec: the sections no screen edits yet (endpoints, DNS, …) are kept
    /// from it, and the choices are laid over it.
    base: Option<Spec>,
    pub dirty: bool,
    pub flash: Option<Flash>,
    pub modal: Option<Modal>,
    pub spinner: usize,
    pub size: (u16, u16),
    pub quit: bool,
    request: u64,
    save_request: u64,
    flash_seq: u64,
    apply_request: u64,
}

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
            screen: Screen::Vpcs(VpcsScreen::default()),
            load: LoadState::Loading,
            choices: Choices::default(),
            spec_path,
            spec_error: None,
            spec_region: None,
            base: None,
            dirty: false,
            flash: None,
            modal: None,
            spinner: 0,
            size: (80, 24),
            quit: false,
            request: 0,
            save_request: 0,
            flash_seq: 0,
            apply_request: 0,
        };
        let mut effects = vec![];
        let parsed = match spec_file {
            Ok(None) => None,
            Ok(Some(text)) => Some(Spec::from_yaml(&text)),
            Err(e) => Some(Err(e)),
        };
        if let Some(parsed) = parsed {
            match parsed {
                Ok(s) => {
                    // Checked against the region actually read, in after_load.
                    app.spec_region = Some(s.region.clone());
                    app.choices = Choices {
                        name: Some(s.metadata.name.clone()),
                        vpc_id: Some(s.vpc_id.clone()),
                        cluster_name: s.cluster_name.clone(),
                        node_subnets: s.node_subnets.clone(),
                    };
                    app.base = Some(s);
                }
                Err(e) => {
                    let msg = format!("cannot read {}: {e}", app.spec_path.display());
                    app.spec_error = Some(msg.clone());
                    effects.extend(app.flash(Level::Error, msg));
                }
            }
        }
        effects.extend(app.reload());
        (app, effects)
    }

    pub fn inventory(&self) -> Option<&Arc<Inventory>> {
        match &self.load {
            LoadState::Ready(i) => Some(i),
            _ => None,
        }
    }

    /// Something is in flight: the runtime ticks the spinner only then.
    pub fn busy(&self) -> bool {
        matches!(self.load, LoadState::Loading)
            || matches!(&self.screen, Screen::Progress(p) if p.running())
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_SIZE.0 || self.size.1 < MIN_SIZE.1
    }

    fn reload(&mut self) -> Vec<Effect> {
        self.request += 1;
        self.load = LoadState::Loading;
        vec![Effect::LoadInventory {
            request: self.request,
        }]
    }

    fn flash(&mut self, level: Level, text: impl Into<String>) -> Vec<Effect> {
        self.flash_seq += 1;
        self.flash = Some(Flash {
            id: self.flash_seq,
            level,
            text: text.into(),
        });
        vec![Effect::ClearFlashAfter {
            id: self.flash_seq,
            after: FLASH_TTL,
        }]
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Key(k) => self.on_key(k),
            Action::Resize(w, h) => {
                self.size = (w, h);
                vec![]
            }
            Action::Tick => {
                self.spinner = self.spinner.wrapping_add(1);
                vec![]
            }
            Action::InventoryLoaded { request, result } => {
                if request != self.request {
                    return vec![]; // stale: a newer load is in flight or done
                }
                match result {
                    Ok(inv) => {
                        self.load = LoadState::Ready(inv.clone());
                        self.after_load(&inv)
                    }
                    Err(e) => {
                        self.load = LoadState::Failed(e);
                        vec![]
                    }
                }
            }
            Action::Saved {
                request,
                path,
                result,
            } => {
                if request != self.save_request {
                    return vec![];
                }
                match result {
                    Ok(()) => {
                        self.dirty = false;
                        let fx = self.flash(Level::Info, format!("✓ saved {}", path.display()));
                        if self.modal == Some(Modal::ConfirmQuit) {
                            self.quit = true;
                        }
                        fx
                    }
                    Err(e) => {
                        self.modal = None;
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
                        return if ok {
                            self.flash(Level::Info, "apply complete: Esc reads the account again")
                        } else {
                            self.flash(
                                Level::Error,
                                "apply stopped: see the failed step; Esc, then a, resumes it",
                            )
                        };
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
            Action::Terminate => {
                self.quit = true;
                vec![]
            }
        }
    }

    /// Keep choices that still make sense against a fresh inventory; place the cursor.
    fn after_load(&mut self, inv: &Inventory) -> Vec<Effect> {
        let mut fx = vec![];
        if let Some(r) = self.spec_region.take()
            && r != inv.region
        {
            fx.extend(self.flash(
                Level::Warn,
                format!(
                    "{} is for {r}, not {}: its choices were not loaded",
                    self.spec_path.display(),
                    inv.region
                ),
            ));
            self.choices = Choices::default();
            self.base = None;
        }
        if let Some(vpc_id) = self.choices.vpc_id.clone() {
            match inv.vpc(&vpc_id) {
                None => {
                    fx.extend(self.flash(
                        Level::Warn,
                        format!("VPC {vpc_id} from the spec no longer exists: choose again"),
                    ));
                    self.choices = Choices {
                        name: self.choices.name.take(),
                        ..Default::default()
                    };
                }
                Some(vpc) => {
                    let before = self.choices.node_subnets.len();
                    self.choices
                        .node_subnets
                        .retain(|_, s| vpc.subnet(s).is_some());
                    if self.choices.node_subnets.len() != before {
                        self.dirty = true;
                        fx.extend(self.flash(
                            Level::Warn,
                            "some node subnets from the spec no longer exist: check them",
                        ));
                    }
                }
            }
        }
        if let Screen::Vpcs(s) = &mut self.screen {
            s.place_cursor(inv, self.choices.vpc_id.as_deref());
        }
        if let Screen::Subnets(s) = &mut self.screen {
            s.clamp(inv, self.choices.vpc_id.as_deref().unwrap_or_default());
        }
        fx
    }

    fn on_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(k.code, KeyCode::Char('c')) {
            self.quit = true;
            return vec![];
        }
        if let Some(Modal::Checks(view)) = &self.modal {
            let mut view = view.clone();
            let (all, _) = self.findings_for(None);
            let keep = view.handle_key(k, &all);
            self.modal = keep.then_some(Modal::Checks(view));
            return vec![];
        }
        if let Some(Modal::ConfirmApply(typed)) = &self.modal {
            let mut typed = typed.clone();
            return match k.code {
                KeyCode::Esc => {
                    self.modal = None;
                    self.flash(Level::Info, "apply cancelled: nothing was changed")
                }
                KeyCode::Enter if typed == "yes" => {
                    self.modal = None;
                    self.start_apply()
                }
                KeyCode::Enter => {
                    self.modal = None;
                    self.flash(
                        Level::Info,
                        "apply cancelled (only yes is accepted): nothing was changed",
                    )
                }
                KeyCode::Backspace => {
                    typed.pop();
                    self.modal = Some(Modal::ConfirmApply(typed));
                    vec![]
                }
                KeyCode::Char(c) if typed.len() < 8 => {
                    typed.push(c);
                    self.modal = Some(Modal::ConfirmApply(typed));
                    vec![]
                }
                _ => vec![],
            };
        }
        if let Some(modal) = &self.modal {
            return match (modal, k.code) {
                (Modal::Help, _) => {
                    self.modal = None;
                    vec![]
                }
                (Modal::ConfirmQuit, KeyCode::Char('y') | KeyCode::Char('w')) => self.save(),
                (Modal::ConfirmQuit, KeyCode::Char('n') | KeyCode::Char('q')) => {
                    self.quit = true;
                    vec![]
                }
                (Modal::ConfirmQuit, _) => {
                    self.modal = None;
                    vec![]
                }
                (Modal::Checks(_) | Modal::ConfirmApply(_), _) => unreachable!("handled above"),
            };
        }
        // A screen in a text field (the VPC filter) takes every key but Ctrl-C.
        let capturing = matches!(&self.screen, Screen::Vpcs(s) if s.filtering);
        if let Screen::Progress(p) = &self.screen
            && p.running()
        {
            // Nothing may start or leave mid-apply but Ctrl-C (the journal resumes it).
            if let Screen::Progress(p) = &mut self.screen {
                let page = self.size.1.saturating_sub(6) as usize;
                p.handle_key(k, page);
            }
            return if matches!(k.code, KeyCode::Char('q') | KeyCode::Esc) {
                self.flash(
                    Level::Warn,
                    "apply is running: wait for it, or Ctrl-C to leave (a later apply resumes it)",
                )
            } else {
                vec![]
            };
        }
        if !capturing {
            match k.code {
                KeyCode::Char('q') => {
                    if self.dirty {
                        self.modal = Some(Modal::ConfirmQuit);
                    } else {
                        self.quit = true;
                    }
                    return vec![];
                }
                KeyCode::Char('?') => {
                    self.modal = Some(Modal::Help);
                    return vec![];
                }
                KeyCode::Char('r') => {
                    return self.reload();
                }
                KeyCode::Char('w') => return self.save(),
                KeyCode::Char('c') if self.inventory().is_some() => {
                    self.modal = Some(Modal::Checks(ChecksView::default()));
                    return vec![];
                }
                KeyCode::Esc => return self.back(),
                _ => {}
            }
        }
        let Some(inv) = self.inventory().cloned() else {
            return vec![];
        };
        let page = self.size.1.saturating_sub(6) as usize;
        let total = match &self.screen {
            Screen::Preview(_) => self.preview().lines.len(),
            _ => 0,
        };
        let intent = match &mut self.screen {
            Screen::Vpcs(s) => s.handle_key(k, &inv),
            Screen::Subnets(s) => s.handle_key(k, &inv, &self.choices),
            Screen::Preview(s) => match s.handle_key(k, total, page) {
                PreviewKey::Apply => return self.confirm_apply(),
                PreviewKey::None => None,
            },
            Screen::Progress(p) => {
                p.handle_key(k, page);
                None
            }
        };
        match intent {
            Some(i) => self.apply(i, &inv),
            None => vec![],
        }
    }

    fn back(&mut self) -> Vec<Effect> {
        match &self.screen {
            Screen::Vpcs(_) => vec![], // Esc never quits
            Screen::Subnets(_) => {
                let mut s = VpcsScreen::default();
                if let Some(inv) = self.inventory() {
                    s.place_cursor(inv, self.choices.vpc_id.as_deref());
                }
                self.screen = Screen::Vpcs(s);
                vec![]
            }
            Screen::Preview(_) => {
                let mut s = SubnetsScreen::default();
                if let (Some(inv), Some(v)) = (self.inventory(), self.choices.vpc_id.as_deref()) {
                    s.clamp(inv, v);
                }
                self.screen = Screen::Subnets(s);
                vec![]
            }
            Screen::Progress(_) => {
                // The account changed: read it again for the preview.
                self.screen = Screen::Preview(PreviewScreen::default());
                self.reload()
            }
        }
    }

    /// The preview of the spec the choices make: warnings and the plan, or the error
    /// findings that block it.
    pub fn preview(&self) -> Preview {
        let (Some(inv), Some(spec)) = (self.inventory(), self.spec()) else {
            return Preview {
                lines: vec!["Choose a VPC and its node subnets first.".into()],
                actions: 0,
                blocked: true,
            };
        };
        let findings = rules::evaluate(inv, Some(&spec), None, None);
        let blocking = crate::report::blocking(&findings);
        let mut lines = vec![];
        if !blocking.is_empty() {
            lines.push("The spec cannot be applied: fix these first (c lists why and how).".into());
            lines.push(String::new());
            for f in &blocking {
                lines.push(format!("✗ {} {}: {}", f.id, f.subject, f.message));
            }
            return Preview {
                lines,
                actions: 0,
                blocked: true,
            };
        }
        lines.extend(crate::report::plan_notes(&findings));
        if !lines.is_empty() {
            lines.push(String::new());
        }
        let plan = crate::plan::plan(&spec, inv);
        lines.extend(
            crate::plan::render::text(&plan, false)
                .lines()
                .map(str::to_string),
        );
        Preview {
            lines,
            actions: plan.actions.len(),
            blocked: false,
        }
    }

    fn confirm_apply(&mut self) -> Vec<Effect> {
        if self.ctx.read_only {
            return self.flash(
                Level::Warn,
                "READ-ONLY: apply is off (started with --read-only)",
            );
        }
        let p = self.preview();
        if p.blocked {
            return self.flash(Level::Error, "error findings block the apply: c lists them");
        }
        if p.actions == 0 {
            return self.flash(Level::Info, "no changes: the account matches the spec");
        }
        self.modal = Some(Modal::ConfirmApply(String::new()));
        vec![]
    }

    fn start_apply(&mut self) -> Vec<Effect> {
        let (Some(inv), Some(spec)) = (self.inventory(), self.spec()) else {
            return vec![];
        };
        let plan = crate::plan::plan(&spec, inv);
        let expected: Vec<(String, crate::plan::Op)> = plan
            .actions
            .iter()
            .map(|a| (a.address.clone(), a.op))
            .collect();
        self.apply_request += 1;
        self.screen = Screen::Progress(ProgressScreen::new(self.apply_request, &expected));
        // Apply saves the spec first: the journal lives next to it.
        self.dirty = false;
        vec![Effect::Apply {
            request: self.apply_request,
            path: self.spec_path.clone(),
            yaml: spec.to_yaml(),
            expected,
        }]
    }

    fn apply(&mut self, intent: Intent, inv: &Inventory) -> Vec<Effect> {
        match intent {
            Intent::Flash(level, text) => self.flash(level, text),
            Intent::ChooseVpc(id) => {
                let Some(vpc) = inv.vpc(&id) else {
                    return vec![];
                };
                if self.choices.vpc_id.as_deref() != Some(id.as_str()) {
                    self.choices.vpc_id = Some(id.clone());
                    self.choices.node_subnets.clear();
                    self.choices.cluster_name = inv.clusters_in(&id).next().map(|c| c.name.clone());
                    self.dirty = true;
                }
                if self.choices.name.is_none() {
                    let base = self
                        .choices
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
                    self.choices.name = Some(format!("{}-private", spec::slug(&base)));
                }
                let mut s = SubnetsScreen::default();
                s.clamp(inv, &id);
                self.screen = Screen::Subnets(s);
                vec![]
            }
            Intent::ToggleSubnet(subnet_id) => {
                let Some(vpc) = self.choices.vpc_id.as_deref().and_then(|v| inv.vpc(v)) else {
                    return vec![];
                };
                let Some(sn) = vpc.subnet(&subnet_id) else {
                    return vec![];
                };
                if sn.kind == SubnetKind::Public {
                    return self.flash(
                        Level::Warn,
                        format!(
                            "{} is public (0.0.0.0/0 → internet gateway): nodes of a private cluster need a private or isolated subnet (S3)",
                            if sn.name.is_empty() { &sn.id } else { &sn.name }
                        ),
                    );
                }
                let az = sn.az.clone();
                self.dirty = true;
                if self.choices.node_subnets.get(&az) == Some(&subnet_id) {
                    self.choices.node_subnets.remove(&az);
                    vec![]
                } else {
                    let replaced = self.choices.node_subnets.insert(az.clone(), subnet_id);
                    match replaced {
                        Some(old) => self.flash(
                            Level::Info,
                            format!("one node subnet per AZ: replaced {old} in {az}"),
                        ),
                        None => vec![],
                    }
                }
            }
            Intent::CycleCluster => {
                let Some(vpc_id) = self.choices.vpc_id.clone() else {
                    return vec![];
                };
                let names: Vec<String> = inv.clusters_in(&vpc_id).map(|c| c.name.clone()).collect();
                if names.is_empty() {
                    return self.flash(
                        Level::Info,
                        "no EKS cluster in this VPC yet: the spec is saved without clusterName",
                    );
                }
                // Cycle through the clusters, then "none".
                let pos = self
                    .choices
                    .cluster_name
                    .as_ref()
                    .and_then(|c| names.iter().position(|n| n == c));
                self.choices.cluster_name = match pos {
                    None => Some(names[0].clone()),
                    Some(i) if i + 1 < names.len() => Some(names[i + 1].clone()),
                    Some(_) => None,
                };
                self.dirty = true;
                vec![]
            }
            Intent::Next => {
                // Enter on the node subnets: save the choices and preview the plan.
                let fx = self.save();
                if self.spec().is_some() && self.spec_error.is_none() {
                    self.screen = Screen::Preview(PreviewScreen::default());
                }
                fx
            }
        }
    }

    /// The findings for the current choices and what they are about: the spec the choices
    /// make, else `vpc` (the highlighted VPC), else every VPC holding a cluster.
    pub fn findings_for(&self, vpc: Option<&str>) -> (Vec<Finding>, String) {
        let Some(inv) = self.inventory() else {
            return (vec![], String::new());
        };
        if let Some(spec) = self.spec() {
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
            return (
                rules::evaluate(inv, Some(&spec), None, None),
                format!("choices for {scope}"),
            );
        }
        let vpc = vpc.map(str::to_string).or_else(|| match &self.screen {
            Screen::Vpcs(s) => s.rows(inv).get(s.selected).map(|v| v.id.clone()),
            _ => None,
        });
        match vpc {
            Some(id) => (rules::evaluate(inv, None, Some(&id), None), id),
            None => (rules::evaluate(inv, None, None, None), inv.region.clone()),
        }
    }

    /// The spec the current choices make, if a VPC is chosen.
    pub fn spec(&self) -> Option<Spec> {
        let vpc = self.choices.vpc_id.as_deref()?;
        let name = self
            .choices
            .name
            .clone()
            .unwrap_or_else(|| format!("{}-private", spec::slug(vpc)));
        let region = self
            .inventory()
            .map_or(self.ctx.region.as_str(), |i| i.region.as_str());
        let mut s = match &self.base {
            Some(b) => {
                let mut b = b.clone();
                b.metadata.name = name;
                b.region = region.to_string();
                b.vpc_id = vpc.to_string();
                b
            }
            None => Spec::new(&name, region, vpc),
        };
        s.cluster_name = self.choices.cluster_name.clone();
        s.node_subnets = self.choices.node_subnets.clone();
        Some(s)
    }

    fn save(&mut self) -> Vec<Effect> {
        if let Some(e) = &self.spec_error {
            let msg = format!("{e} — nothing was written: fix or move the file and start again");
            self.modal = None;
            return self.flash(Level::Error, msg);
        }
        let Some(spec) = self.spec() else {
            self.modal = None;
            return self.flash(Level::Warn, "choose a VPC first (Enter on a row)");
        };
        self.save_request += 1;
        vec![Effect::SaveSpec {
            request: self.save_request,
            path: self.spec_path.clone(),
            yaml: spec.to_yaml(),
        }]
    }
}
