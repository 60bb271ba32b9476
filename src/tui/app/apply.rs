//! The apply the wizard runs: confirmed by a typed word, saved first, its events on the
//! progress screen, the account read again once it finishes; what is left to say on exit.

use super::*;

impl App {
    /// What the operator must be told on leaving, after the terminal is given back, and
    /// the exit code: an apply still running (Ctrl-C, SIGTERM, a closed terminal) stops with
    /// it (130), an apply stopped or failed in this session is unfinished (1); the next
    /// apply resumes from the journal either way. `None` when nothing was left half-done.
    pub fn leave_note(&self) -> Option<(String, u8)> {
        let run = self.screen.get().run()?;
        let (done, running) = (run.done, run.in_flight);
        let spec = self.file.path.display().to_string();
        let journal = crate::apply::journal::path_for(&self.file.path)
            .display()
            .to_string();
        let resume = format!(
            "{journal} records what was done; `eks-private-tui apply --spec {spec}` (or the wizard's apply) resumes from there."
        );
        let (text, code) = if run.running {
            (
                format!(
                    "Apply interrupted: {done} of {} done, {running} cut off while running. {resume}",
                    crate::tui::screens::plural(run.total, "step")
                ),
                130,
            )
        } else if run.ok == Some(false) {
            (
                format!(
                    "Apply stopped: {done} of {} done. {resume}",
                    crate::tui::screens::plural(run.total, "step")
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

    /// Read the account again after an apply, keeping what is shown until it answers (the
    /// apply's rows and the next steps stay on screen).
    pub(super) fn reread_after_apply(&mut self) -> Vec<Effect> {
        self.requests.inventory += 1;
        self.session.focused = self.draft.as_ref().map(|d| d.vpc_id.clone());
        vec![Effect::LoadInventory {
            request: self.requests.inventory,
            first: self.session.focused.clone(),
            region: self.session.region.clone(),
        }]
    }

    /// The next steps the apply screen lists, for the draft and the account as read.
    pub(super) fn set_next_steps(&mut self) {
        let next = match (&self.draft, self.inventory()) {
            (Some(d), Some(inv)) => crate::export::next_steps(d, inv),
            _ => vec![],
        };
        self.screen.get_mut().answer(Answer::NextSteps(next));
    }

    pub(super) fn confirm_apply(&mut self) -> Vec<Effect> {
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
    pub(super) fn start_apply(&mut self) -> Vec<Effect> {
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

    pub(super) fn launch_apply(&mut self, spec: Spec) -> Vec<Effect> {
        vec![Effect::Apply {
            request: self.requests.apply,
            path: self.file.path.clone(),
            spec: Box::new(spec),
            expected: self.derived.signature.clone(),
        }]
    }

    /// One event of the apply `request`: the progress screen shows it; once finished,
    /// the account is read again.
    pub(super) fn on_apply_event(
        &mut self,
        request: u64,
        event: crate::apply::Event,
    ) -> Vec<Effect> {
        if self.screen.get().run().map(|r| r.request) != Some(request) {
            return vec![];
        }
        let finished = matches!(event, crate::apply::Event::Finished(_));
        self.screen.get_mut().answer(Answer::Apply(request, event));
        if !finished {
            return vec![];
        }
        let ok = self.screen.get().run().and_then(|r| r.ok) == Some(true);
        self.session.applied = ok;
        if self.modal == Some(Modal::StopApply) {
            self.modal = None;
        }
        self.set_next_steps();
        // The findings and the inventory are read again: the Checks and the preview
        // show the account as the apply left it.
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
        fx
    }
}
