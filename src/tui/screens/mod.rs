//! One module per wizard step, all with one contract ([`WizardScreen`]): a screen keeps
//! its own UI state (cursor, filter), turns keys into [`Intent`]s through its binding
//! table (the same table draws the footer hints and the `?` help), and renders itself
//! from a [`ScreenCtx`]. Only `App::update` changes the draft spec.

pub mod access;
pub mod custom;
pub mod dns;
pub mod endpoints;
pub mod export;
pub mod group;
pub mod preview;
pub mod secondary;
pub mod subnets;
pub mod vpcs;

use super::intent::Intent;
use super::keys::{Binding, Command, KeyMap};
use super::theme::Theme;
use crate::inventory::Inventory;
use crate::rules::Finding;
use crate::spec::Spec;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

/// What a screen reads: the account, the draft, the derived state, the keys.
pub struct ScreenCtx<'a> {
    pub inv: &'a Inventory,
    pub draft: Option<&'a Spec>,
    pub findings: &'a [Finding],
    pub preview: &'a preview::Preview,
    pub keys: &'a KeyMap,
    pub theme: &'a Theme,
    /// Rows a page scroll moves.
    pub page: usize,
    /// The spinner frame (for what is running).
    pub spinner: &'a str,
    /// Started with --read-only: nothing offers to change the account.
    pub read_only: bool,
}

/// An answer for the screen on show.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// What the export wrote, or found in the way.
    Exported(export::Outcome),
    /// One event of the apply the screen shows (its request).
    Apply(u64, crate::apply::Event),
    /// The apply the screen shows (its request) did not start, or could not save first.
    ApplyAborted(u64, String),
    /// The operator asked the apply to stop after its running steps.
    Stopping,
    /// What is left to do outside the tool, for the account as the apply left it.
    NextSteps(Vec<crate::export::NextStep>),
}

/// The apply a screen shows, as the app needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub request: u64,
    /// Neither finished nor refused.
    pub running: bool,
    /// Asked to stop after its running steps.
    pub stopping: bool,
    /// Steps in all, done, and under way.
    pub total: usize,
    pub done: usize,
    pub in_flight: usize,
    /// Finished, and whether every step succeeded.
    pub ok: Option<bool>,
}

/// The contract every screen keeps.
pub trait WizardScreen {
    /// Why this step matters, in AWS terms (the top of `?`).
    fn why(&self) -> &'static str;

    /// The keys, in footer order: the screen's own, the list keys, the global keys.
    fn bindings(&self) -> &'static [Binding];

    /// Keys for which no binding exists (a text field's, Ctrl-C), shown in the footer
    /// after the table.
    fn fixed_hints(&self) -> &'static [(&'static str, &'static str)] {
        if self.editing() {
            self.edit_hints()
        } else {
            &[]
        }
    }

    /// A text field of the screen's is open.
    fn editing(&self) -> bool {
        false
    }

    /// The footer's keys while a text field is open.
    fn edit_hints(&self) -> &'static [(&'static str, &'static str)] {
        EDIT_HINTS
    }

    /// A text field has the keys: every key but Ctrl-C goes to [`Self::text_key`].
    fn capturing(&self) -> bool {
        self.editing()
    }

    fn text_key(&mut self, _key: KeyEvent, _ctx: &ScreenCtx) -> Option<Intent> {
        None
    }

    /// The draft or the account changed, or the screen was opened: keep the cursor on a
    /// row, recompute what the screen shows of them. Called by the app once per change,
    /// after the update that made it and before the derived state (findings, preview) is
    /// recomputed (never while drawing): read the draft and the account, not the findings.
    fn sync(&mut self, _ctx: &ScreenCtx) {}

    /// What an effect the screen asked for answered (the export's files written), or the
    /// apply it shows reported.
    fn answer(&mut self, _answer: Answer) {}

    /// The apply this screen shows, if it shows one.
    fn run(&self) -> Option<Run> {
        None
    }

    /// The VPC under the cursor, on a screen that lists VPCs (the findings and the
    /// topology follow it before a VPC is chosen).
    fn vpc_under_cursor(&self, _inv: &Inventory) -> Option<String> {
        None
    }

    /// A command of this screen's table (global ones are the app's).
    fn on_command(&mut self, cmd: Command, ctx: &ScreenCtx) -> Option<Intent>;

    /// Esc: true when the screen used it (an applied filter cleared), else the app goes
    /// back a step.
    fn back(&mut self) -> bool {
        false
    }

    /// A key: typed into a text field, or looked up in the binding table.
    fn handle_key(&mut self, key: KeyEvent, ctx: &ScreenCtx) -> Option<Intent> {
        if self.capturing() {
            return self.text_key(key, ctx);
        }
        let cmd = ctx.keys.command(self.bindings(), &key)?;
        if is_global(cmd) {
            return Some(Intent::Global(cmd));
        }
        self.on_command(cmd, ctx)
    }

    fn render(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx);
}

/// A CIDR as typed into a field: a bare address is that host (/32), as an operator
/// typing a bastion's IP means.
pub fn typed_cidr(text: &str) -> Result<ipnet::Ipv4Net, String> {
    let t = text.trim();
    if !t.contains('/') && t.parse::<std::net::Ipv4Addr>().is_ok() {
        return crate::rules::cidr::parse_v4(&format!("{t}/32"));
    }
    crate::rules::cidr::parse_v4(t)
}

/// The first line shown after `nav`, for `total` lines in a window of `page` (the
/// preview, the apply's rows, the topology).
pub fn scroll(offset: usize, nav: Nav, total: usize, page: usize) -> usize {
    let last = total.saturating_sub(page.max(1));
    match nav {
        Nav::Up => offset.saturating_sub(1),
        Nav::Down => (offset + 1).min(last),
        Nav::First => 0,
        Nav::Last => last,
        Nav::PageUp => offset.saturating_sub(page),
        Nav::PageDown => (offset + page).min(last),
        _ => offset,
    }
}

/// A text field's own keys (fixed: the shell's editing keys, Enter, Esc).
pub const EDIT_HINTS: &[(&str, &str)] = &[("Enter", "keep"), ("Esc", "leave")];

/// The table's keys, or none while a text field has them.
pub fn unless_editing(editing: bool, bindings: &'static [Binding]) -> &'static [Binding] {
    if editing { &[] } else { bindings }
}

/// An open text field, alone or with what it edits.
pub trait Field {
    fn text(&mut self) -> &mut crate::tui::widgets::TextField;
}

impl Field for crate::tui::widgets::TextField {
    fn text(&mut self) -> &mut crate::tui::widgets::TextField {
        self
    }
}

impl<T> Field for (T, crate::tui::widgets::TextField) {
    fn text(&mut self) -> &mut crate::tui::widgets::TextField {
        &mut self.1
    }
}

/// What the screen makes of a value Enter took: the intent (the field closes), or why
/// not (the field stays open; `Some` is said in the footer).
pub type Judged = Result<Option<Intent>, Option<String>>;

/// A key for the open field `open`: typed into it; Esc closes it; Enter hands its value
/// (and the field) to `judge`.
pub fn edit_field<E: Field>(
    open: &mut Option<E>,
    k: &KeyEvent,
    judge: impl FnOnce(&E, &str) -> Judged,
) -> Option<Intent> {
    let field = open.as_mut()?;
    match field.text().key(k) {
        crate::tui::widgets::FieldKey::Edited => None,
        crate::tui::widgets::FieldKey::Cancel => {
            *open = None;
            None
        }
        crate::tui::widgets::FieldKey::Done => {
            let value = field.text().value().to_string();
            match judge(field, &value) {
                Ok(intent) => {
                    *open = None;
                    intent
                }
                Err(Some(why)) => Some(Intent::Flash(super::intent::Level::Warn, why)),
                Err(None) => None,
            }
        }
    }
}

/// The draft and its VPC, to draw a step's screen; else what is missing, drawn in
/// `area`: a VPC not chosen yet, or (with `reading`, what the step needs) the VPC's lists
/// still being read.
pub fn ready<'a>(
    f: &mut Frame,
    area: Rect,
    ctx: &ScreenCtx<'a>,
    reading: Option<&str>,
) -> Option<(&'a crate::inventory::Vpc, &'a Spec)> {
    let t = ctx.theme;
    let Some(found) = ctx
        .draft
        .and_then(|d| ctx.inv.vpc(&d.vpc_id).map(|v| (v, d)))
    else {
        f.render_widget(
            ratatui::widgets::Paragraph::new("Choose a VPC first (Esc).").style(t.warn()),
            area,
        );
        return None;
    };
    if let Some(what) = reading
        && ctx.inv.pending.as_ref().is_some_and(|p| p.lists)
    {
        f.render_widget(ratatui::widgets::Paragraph::new(what).style(t.dim()), area);
        return None;
    }
    Some(found)
}

/// "1 rule", "3 rules", "0 rules": a count with its noun, plural right.
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The commands the app handles on every screen.
pub fn is_global(cmd: Command) -> bool {
    matches!(
        cmd,
        Command::Quit
            | Command::Help
            | Command::Save
            | Command::Reload
            | Command::Checks
            | Command::Back
    )
}

/// Cursor movement shared by every list: the list commands of the key table.
pub use super::keys::Command as Nav;

impl Nav {
    /// The command, if it moves a cursor.
    pub fn of(cmd: Command) -> Option<Nav> {
        matches!(
            cmd,
            Nav::Up | Nav::Down | Nav::First | Nav::Last | Nav::PageUp | Nav::PageDown
        )
        .then_some(cmd)
    }

    /// The new index in a list of `n` items.
    pub fn apply(self, cur: usize, n: usize, page: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let last = n - 1;
        match self {
            Nav::Up => cur.saturating_sub(1),
            Nav::Down => (cur + 1).min(last),
            Nav::First => 0,
            Nav::Last => last,
            Nav::PageUp => cur.saturating_sub(page),
            Nav::PageDown => (cur + page).min(last),
            _ => cur,
        }
    }
}

/// Keep `selected` inside a window of `height` rows starting at `offset`, moving the window
/// as little as possible.
pub fn clamp_offset(offset: usize, selected: usize, height: usize) -> usize {
    if height == 0 {
        return selected;
    }
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nav_and_offsets() {
        assert_eq!(Nav::Down.apply(4, 5, 10), 4);
        assert_eq!(Nav::PageDown.apply(0, 50, 10), 10);
        assert_eq!(Nav::Last.apply(0, 0, 10), 0);
        assert_eq!(clamp_offset(0, 12, 10), 3);
        assert_eq!(clamp_offset(5, 2, 10), 2);
        assert_eq!(clamp_offset(5, 7, 10), 5);
    }
}
