//! Moving between steps: the step table's next and previous, what each step opens
//! with, and the intents screens return.

use super::*;

impl App {
    /// Esc: the previous step that applies to the draft; from the apply, the preview
    /// (the account read again); from the export, the preview; never out of the wizard.
    pub(super) fn back(&mut self) -> Vec<Effect> {
        match self.screen.step() {
            Step::Vpc => vec![],
            Step::Subnets => {
                self.reset_screen(None);
                vec![]
            }
            Step::Apply => {
                // The account changed: read it again for the preview.
                self.screen = Screen::open(Step::Preview, &self.opening());
                self.reload()
            }
            Step::Export => self.open_step(Step::Preview),
            here => {
                let before = STEPS
                    .iter()
                    .take_while(|d| d.step != here)
                    .filter(|d| (d.applies)(&self.step_input()))
                    .last()
                    .map_or(Step::Vpc, |d| d.step);
                self.open_step(before)
            }
        }
    }

    /// What a screen opens with.
    pub(super) fn opening(&self) -> Opening {
        let name = self
            .draft
            .as_ref()
            .map(|d| crate::spec::slug(&d.metadata.name))
            .unwrap_or_default();
        Opening {
            read_only: self.ctx.read_only,
            export_dir: self
                .file
                .path
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default()
                .join(format!("{name}-export")),
        }
    }

    /// Show `step`'s screen, fresh (its `sync` places its cursor). The preview saves what
    /// changed first; the export needs a draft; the apply's screen is reached by `a` only.
    pub(super) fn open_step(&mut self, step: Step) -> Vec<Effect> {
        match step {
            Step::Vpc => self.reset_screen(None),
            Step::Apply => return self.open_step(Step::Preview),
            Step::Export if self.draft.is_none() => {
                return self.flash(Level::Info, "choose a VPC first: the export is of its spec");
            }
            Step::Preview => {
                let fx = if self.dirty() {
                    self.save(AfterSave::Nothing)
                } else {
                    vec![]
                };
                if self.draft.is_some() && !matches!(self.file.disk, Disk::Unusable(_)) {
                    self.screen = Screen::open(step, &self.opening());
                }
                return fx;
            }
            _ => self.screen = Screen::open(step, &self.opening()),
        }
        self.ui.synced = None;
        vec![]
    }

    /// After the draft was replaced by the file's: stay on the node subnets or the preview
    /// when the VPC is the same, else back to the VPC list.
    pub(super) fn reset_screen(&mut self, vpc_before: Option<String>) {
        let same =
            vpc_before.is_some() && vpc_before == self.draft.as_ref().map(|d| d.vpc_id.clone());
        // A step of the draft's (node subnets to the preview) stays; its `sync` keeps its
        // cursor on a row.
        let n = self.screen.step().number();
        if same && (Step::Subnets.number()..=Step::Preview.number()).contains(&n) {
            return;
        }
        self.screen = Screen::open(Step::Vpc, &self.opening());
        self.ui.synced = None;
    }

    pub(super) fn apply_intent(&mut self, intent: Intent, inv: &Inventory) -> Vec<Effect> {
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
                let mut p = crate::tui::modals::regions::RegionPicker::default();
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
            Intent::Export { dir, files, force } => {
                self.requests.export += 1;
                vec![Effect::Export {
                    request: self.requests.export,
                    dir,
                    files,
                    force,
                }]
            }
            Intent::Next => {
                if self.draft.is_none() {
                    return vec![];
                }
                let next = crate::tui::steps::next(self.screen.step(), &self.step_input());
                self.open_step(next)
            }
        }
    }

    /// What the export `request` wrote, or found in the way.
    pub(super) fn on_exported(
        &mut self,
        request: u64,
        outcome: crate::tui::screens::export::Outcome,
    ) -> Vec<Effect> {
        if request != self.requests.export {
            return vec![];
        }
        let written = match &outcome {
            crate::tui::screens::export::Outcome::Written(p) => Some(p.len()),
            _ => None,
        };
        self.screen.get_mut().answer(Answer::Exported(outcome));
        match written {
            Some(n) => {
                self.session.exported = true;
                self.flash(
                    Level::Info,
                    format!("✓ wrote {}", crate::tui::screens::plural(n, "file")),
                )
            }
            None => vec![],
        }
    }

    /// What the step table judges a step by.
    pub fn step_input(&self) -> crate::tui::steps::StepInput<'_> {
        crate::tui::steps::StepInput {
            draft: self.draft.as_ref(),
            findings: &self.derived.findings,
            applied: self.session.applied,
            exported: self.session.exported,
        }
    }
}
