//! Moving between steps: the step table's next and previous, what each step opens
//! with, and the intents screens return.

use super::*;

impl App {
    pub(super) fn back(&mut self) -> Vec<Effect> {
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

    /// Show `step`'s screen, fresh. The preview is reached by saving what changed first.
    pub(super) fn open_step(&mut self, step: Step) -> Vec<Effect> {
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

    /// After the draft was replaced by the file's: stay on the node subnets or the preview
    /// when the VPC is the same, else back to the VPC list.
    pub(super) fn reset_screen(&mut self, vpc_before: Option<String>) {
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
        if let Screen::Export(s) = &mut self.screen {
            s.writing = false;
            if let crate::tui::screens::export::Outcome::Written(p) = &outcome {
                self.session.exported = true;
                let n = p.len();
                s.outcome = Some(outcome);
                return self.flash(
                    Level::Info,
                    format!("✓ wrote {}", crate::tui::screens::plural(n, "file")),
                );
            }
            s.outcome = Some(outcome);
        }
        vec![]
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
