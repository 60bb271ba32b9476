//! The spec's journal records an apply that did not finish: go to the preview, where
//! apply resumes it, or later.

use super::{Reply, said};
use crate::tui::keys::{Binding, Command, KeyMap, Scope, on};
use crate::tui::screens::plural;
use crate::tui::theme::Theme;
use crate::tui::widgets::dialog::{Dialog, para};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use std::path::Path;

pub const BINDINGS: &[Binding] = &[
    on(
        Scope::Dialog,
        &[Command::Confirm],
        "preview",
        "go to the preview: apply resumes it (what exists is adopted)",
    ),
    on(
        Scope::Global,
        &[Command::Back],
        "later",
        "later: the next apply resumes it anyway",
    ),
];

pub fn key(k: &KeyEvent, keys: &KeyMap) -> Reply {
    match keys.command(BINDINGS, k) {
        Some(Command::Confirm) => Reply::ToPreview,
        Some(Command::Back) => Reply::Close,
        _ => Reply::Stay,
    }
}

pub fn render(f: &mut Frame, area: Rect, path: &Path, done: usize, keys: &KeyMap, t: &Theme) {
    let mut d = Dialog::new("Resume?", t, BINDINGS, keys);
    d.body = vec![para(
        format!(
            "An apply of {} did not finish: {} recorded done in its journal.",
            said(path),
            plural(done, "step")
        ),
        t.bold(),
    )];
    d.render(f, area, t);
}
