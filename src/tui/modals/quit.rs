//! Quit with unsaved choices: save and quit, quit without saving, or stay.

use super::{Reply, said};
use crate::tui::keys::{Binding, Command, KeyMap, Scope, on};
use crate::tui::theme::Theme;
use crate::tui::widgets::dialog::{Dialog, para};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use std::path::Path;

pub const BINDINGS: &[Binding] = &[
    on(
        Scope::Dialog,
        &[Command::Yes],
        "save and quit",
        "save and quit",
    ),
    on(Scope::Global, &[Command::Save], "", "save and quit"),
    on(Scope::Dialog, &[Command::No], "quit", "quit without saving"),
    on(Scope::Global, &[Command::Quit], "", "quit without saving"),
    on(Scope::Global, &[Command::Back], "stay", "stay"),
];

/// Any other key stays too (as Esc does).
pub fn key(k: &KeyEvent, keys: &KeyMap) -> Reply {
    match keys.command(BINDINGS, k) {
        Some(Command::Yes | Command::Save) => Reply::SaveAndQuit,
        Some(Command::No | Command::Quit) => Reply::Quit,
        _ => Reply::Close,
    }
}

pub fn render(f: &mut Frame, area: Rect, path: &Path, keys: &KeyMap, t: &Theme) {
    let mut d = Dialog::new("Quit?", t, BINDINGS, keys);
    d.width = 60;
    d.body = vec![para(
        format!("Your choices are not saved to {}.", said(path)),
        t.bold(),
    )];
    d.render(f, area, t);
}
