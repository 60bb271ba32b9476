//! The spec file changed on disk since the wizard read it (found by a save, or by `r`):
//! overwrite it (only when saving), load it as it is now, or keep the draft.

use super::{Reply, said};
use crate::tui::keys::{Binding, Command, KeyMap, Scope, on};
use crate::tui::theme::Theme;
use crate::tui::widgets::dialog::{Dialog, para};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use std::path::Path;

const SAVING: &[Binding] = &[
    on(
        Scope::Dialog,
        &[Command::Overwrite],
        "overwrite",
        "overwrite the file with your choices",
    ),
    LOAD,
    KEEP,
    ESC,
];
const READING: &[Binding] = &[LOAD, KEEP, ESC];
const LOAD: Binding = on(
    Scope::Dialog,
    &[Command::Load],
    "load",
    "load the file as it is now (drops your unsaved choices)",
);
const KEEP: Binding = on(
    Scope::Global,
    &[Command::Back],
    "keep",
    "keep your choices, write nothing",
);
const ESC: Binding = on(Scope::Dialog, &[Command::Keep], "", "keep your choices");

pub fn bindings(saving: bool) -> &'static [Binding] {
    if saving { SAVING } else { READING }
}

pub fn key(k: &KeyEvent, saving: bool, keys: &KeyMap) -> Reply {
    match keys.command(bindings(saving), k) {
        Some(Command::Overwrite) => Reply::Overwrite,
        Some(Command::Load) => Reply::LoadDisk,
        Some(Command::Back | Command::Keep) => Reply::KeepDraft,
        _ => Reply::Stay,
    }
}

pub fn render(
    f: &mut Frame,
    area: Rect,
    (path, deleted, saving): (&Path, bool, bool),
    keys: &KeyMap,
    t: &Theme,
) {
    let mut d = Dialog::new("Spec changed on disk", t, bindings(saving), keys);
    d.width = 72;
    let what = if deleted {
        "was deleted since the wizard read it."
    } else {
        "changed on disk since the wizard read it."
    };
    d.body = vec![
        para(format!("{} {what}", said(path)), t.bold()),
        para("Your choices in the wizard are not saved yet.", t.plain()),
    ];
    d.render(f, area, t);
}
