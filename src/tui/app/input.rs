//! Keys: the screen's through its binding table, the dialogs' through theirs (a
//! `Reply` each), the global commands, and what the footer and `?` say of them.

use super::*;

impl App {
    pub(super) fn on_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(k.code, KeyCode::Char('c')) {
            // Mid-apply the first Ctrl-C asks (stop after the running steps, or leave
            // now); a second one leaves.
            let running = self
                .screen
                .get()
                .run()
                .is_some_and(|r| r.running && !r.stopping);
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
        if self.screen.get().run().is_some_and(|r| r.running)
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
        let ctx = screen_ctx(
            &inv,
            self.draft.as_ref(),
            &self.derived,
            &self.keys,
            &theme,
            &self.ctx,
            self.ui.size,
        );
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

    /// The commands every screen shares.
    pub(super) fn global(&mut self, cmd: Command) -> Vec<Effect> {
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

    pub(super) fn on_modal_key(&mut self, modal: Modal, k: KeyEvent) -> Vec<Effect> {
        match modal {
            Modal::Regions(mut p) => {
                let regions = self
                    .inventory()
                    .map(|i| i.regions.clone())
                    .unwrap_or_default();
                let current = self.inventory().map(|i| i.region.clone());
                match p.handle_key(k, &regions, &self.keys) {
                    crate::tui::modals::regions::Picked::Stay => {
                        self.modal = Some(Modal::Regions(p));
                        vec![]
                    }
                    crate::tui::modals::regions::Picked::Close => {
                        self.modal = None;
                        vec![]
                    }
                    crate::tui::modals::regions::Picked::Region(r) => {
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
                let reply = crate::tui::modals::stop_apply::key(&k, &self.keys);
                self.reply(reply)
            }
            Modal::Resume(_) => {
                let reply = crate::tui::modals::resume::key(&k, &self.keys);
                self.reply(reply)
            }
            Modal::ConfirmQuit => {
                let reply = crate::tui::modals::quit::key(&k, &self.keys);
                self.reply(reply)
            }
            Modal::DiskChanged { saving } => {
                let reply = crate::tui::modals::disk_changed::key(&k, saving, &self.keys);
                self.reply(reply)
            }
            Modal::DropComments(_) => {
                let reply = crate::tui::modals::drop_comments::key(&k, &self.keys);
                self.reply(reply)
            }
        }
    }

    /// What a dialog's answer does.
    pub(super) fn reply(&mut self, reply: Reply) -> Vec<Effect> {
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
                let Some(run) = self.screen.get().run().filter(|r| r.running) else {
                    return vec![];
                };
                self.screen.get_mut().answer(Answer::Stopping);
                let request = run.request;
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

    /// The keys a terminal event stands for: in a text field, the shell's Alt chords
    /// (Alt-B/F/D, Alt-Backspace) are themselves; otherwise an Alt+key is Esc and the key
    /// arriving together ([`keys::split_alt`]).
    pub fn keys_of(&self, k: KeyEvent) -> Vec<KeyEvent> {
        let field = matches!(self.load, LoadState::Ready(_))
            && self.modal.is_none()
            && self.screen.get().capturing();
        if field && crate::tui::widgets::text_field::is_chord(&k) {
            return vec![k];
        }
        keys::split_alt(k)
    }

    /// A binding as the footer and `?` say it: the next-step key of a wizard step names
    /// the step it leads to (the step table's words), as the draft decides.
    pub fn said(&self, b: &Binding) -> Binding {
        let here = self.screen.step();
        if b.commands == [Command::Next]
            && !b.hint.is_empty()
            && here.number() < Step::Preview.number()
        {
            let (hint, help) = crate::tui::steps::next(here, &self.step_input())
                .def()
                .onward;
            return Binding { hint, help, ..*b };
        }
        *b
    }

    /// The keys while the account is not read yet (or could not be).
    pub fn waiting_bindings(&self) -> &'static [Binding] {
        match self.load {
            LoadState::Failed(_) => WAIT_FAILED,
            _ => WAIT_LOADING,
        }
    }
}
