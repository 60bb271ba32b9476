//! Ctrl-C while an apply runs: stop after the running steps, leave now (Ctrl-C again
//! too), or go on applying.

use super::Reply;
use crate::tui::keys::{Binding, Command, KeyMap, Scope, on};
use crate::tui::theme::Theme;
use crate::tui::widgets::dialog::{Dialog, para};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

pub const BINDINGS: &[Binding] = &[
    on(
        Scope::Dialog,
        &[Command::Stop],
        "stop",
        "stop after the running steps (nothing new starts)",
    ),
    on(
        Scope::Global,
        &[Command::Quit],
        "leave",
        "leave now (Ctrl-C again too): the steps under way are cut off",
    ),
    on(Scope::Global, &[Command::Back], "go on", "go on applying"),
];

pub fn key(k: &KeyEvent, keys: &KeyMap) -> Reply {
    match keys.command(BINDINGS, k) {
        Some(Command::Stop) => Reply::Stop,
        Some(Command::Quit) => Reply::Quit,
        Some(Command::Back) => Reply::Close,
        _ => Reply::Stay,
    }
}

pub fn render(f: &mut Frame, area: Rect, keys: &KeyMap, t: &Theme) {
    let mut d = Dialog::new("Stop the apply?", t, BINDINGS, keys);
    d.body = vec![para(
        "The apply is running. Every step done is in the journal.",
        t.bold(),
    )];
    d.after =
        Some("Either way `eks-private-tui apply --spec` or the wizard's apply resumes it.".into());
    d.render(f, area, t);
}
