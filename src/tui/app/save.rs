//! The spec file's save state machine: read, adopt, save only over the version read,
//! and the dialogs a save may need (changed on disk, another region, dropped comments).

use super::*;

impl App {
    /// Take the file's text as what is on disk, and its spec as the draft when it is for
    /// the region read (checked again when the inventory answers).
    pub(super) fn adopt_file(&mut self, text: Result<Option<String>, String>) -> Vec<Effect> {
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

    /// The file as read again by `r`: unchanged, loaded (nothing unsaved), or asked about.
    pub(super) fn on_spec_read(&mut self, result: Result<Option<String>, String>) -> Vec<Effect> {
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
    pub(super) fn load_from_disk(&mut self, now: Option<String>, msg: String) -> Vec<Effect> {
        let before = self.draft.as_ref().map(|d| d.vpc_id.clone());
        let mut fx = self.adopt_file(Ok(now));
        fx.extend(self.flash(Level::Info, msg));
        self.reset_screen(before);
        fx
    }

    /// A save answered: the file is what was written (then what the save was for), or it
    /// changed on disk since it was read (asked about), or it could not be written.
    pub(super) fn on_saved(
        &mut self,
        request: u64,
        path: PathBuf,
        result: Result<u64, spec_file::SaveError>,
    ) -> Vec<Effect> {
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
                if after == AfterSave::Apply
                    && let Some(run) = self.screen.get().run()
                {
                    let why = format!("could not save {}: {e}", path.display());
                    self.screen
                        .get_mut()
                        .answer(Answer::ApplyAborted(run.request, why));
                }
                self.flash(
                    Level::Error,
                    format!("✗ could not save {}: {e}", path.display()),
                )
            }
        }
    }

    /// A modal confirmed the save waiting for it: go on with what it confirmed.
    pub(super) fn confirm_save(&mut self, confirm: impl FnOnce(&mut SaveOk)) -> Vec<Effect> {
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
    pub(super) fn save(&mut self, after: AfterSave) -> Vec<Effect> {
        self.save_with(after, SaveOk::default())
    }

    /// Save the draft unless something needs the operator's word first: nothing changed
    /// (nothing is written), a file that cannot be read (never overwritten), a spec for
    /// another region (typed confirmation), comments of the user's that the save drops.
    /// That the file did not change on disk since it was read is checked by the write.
    pub(super) fn save_with(&mut self, after: AfterSave, ok: SaveOk) -> Vec<Effect> {
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

    /// The draft differs from the file on disk.
    pub fn dirty(&self) -> bool {
        match (&self.draft, &self.file.disk) {
            (None, _) => false,
            (Some(d), Disk::Spec { spec, .. }) => d != &**spec,
            (Some(_), _) => true,
        }
    }
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
    pub(super) pending: Option<(u64, Spec, AfterSave, SaveOk)>,
    /// A save waiting for the operator's answer to a dialog, and what was confirmed so far.
    pub(super) flow: Option<(AfterSave, SaveOk)>,
}

impl SpecFile {
    pub(super) fn fingerprint(&self) -> spec_file::Fingerprint {
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
pub(super) struct SaveOk {
    pub(super) foreign: bool,
    pub(super) comments: bool,
    /// Overwrite the file that changed on disk.
    pub(super) changed: bool,
}
