//! A confirmation only a typed word gives: `yes` to apply, `overwrite` to replace a spec
//! for another region. The word is typed, never bound to a key: Enter with it confirms,
//! Enter with anything else or Esc cancels.

use super::Reply;
use crate::tui::keys::{Binding, Command, KeyMap, Scope, on};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub const BINDINGS: &[Binding] = &[
    on(Scope::Dialog, &[Command::Confirm], "confirm", "confirm"),
    on(
        Scope::Global,
        &[Command::Back],
        "cancel",
        "cancel, change nothing",
    ),
];

/// The words.
pub const APPLY: &str = "yes";
pub const OVERWRITE: &str = "overwrite";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Typed(pub String);

impl Typed {
    /// A key: characters are typed (up to twice the word's length), Backspace deletes;
    /// otherwise the table's confirm and back keys.
    pub fn key(&mut self, k: &KeyEvent, word: &str, keys: &KeyMap) -> Reply {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match k.code {
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                if self.0.chars().count() < word.len() * 2 {
                    self.0.push(c);
                }
                return Reply::Stay;
            }
            KeyCode::Backspace => {
                self.0.pop();
                return Reply::Stay;
            }
            _ => {}
        }
        match keys.command(BINDINGS, k) {
            Some(Command::Confirm) if self.0 == word => Reply::Confirmed,
            Some(Command::Confirm) => Reply::Refused,
            Some(Command::Back) => Reply::Close,
            _ => Reply::Stay,
        }
    }
}

/// Apply? `actions` to `target` (the VPC and region).
pub struct ApplyQuestion<'a> {
    pub actions: usize,
    pub target: String,
    pub path: &'a std::path::Path,
}

pub fn render_apply(
    f: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    q: &ApplyQuestion,
    typed: &Typed,
    keys: &KeyMap,
    t: &crate::tui::theme::Theme,
) {
    use crate::tui::widgets::dialog::{Dialog, para};
    let mut d = Dialog::new("Apply?", t, BINDINGS, keys);
    d.width = 70;
    d.body = vec![
        para(
            format!(
                "Apply {} to {}?",
                crate::tui::screens::plural(q.actions, "action"),
                q.target
            ),
            t.bold(),
        ),
        para("", t.plain()),
        para(
            format!(
                "The spec is saved to {} first; a journal next to it makes the apply resumable.",
                super::said(q.path)
            ),
            t.plain(),
        ),
        para(
            format!("Only '{APPLY}' will be accepted to approve."),
            t.plain(),
        ),
    ];
    d.entry = Some(("Enter a value:".into(), typed.0.clone()));
    d.render(f, area, t);
}

/// Replace `path`, a spec for `region`, with one for `ours`?
pub fn render_foreign(
    f: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    (path, region, ours): (&std::path::Path, &str, &str),
    typed: &Typed,
    keys: &KeyMap,
    t: &crate::tui::theme::Theme,
) {
    use crate::tui::widgets::dialog::{Dialog, para};
    let mut d = Dialog::new("Replace a spec for another region?", t, BINDINGS, keys);
    d.width = 72;
    d.body = vec![
        para(
            format!(
                "{} holds a spec for {region}; saving replaces it with one for {ours}.",
                super::said(path)
            ),
            t.bold(),
        ),
        para("Pass another --spec to keep both.", t.plain()),
    ];
    d.entry = Some((format!("Type {OVERWRITE} to replace it:"), typed.0.clone()));
    d.render(f, area, t);
}
