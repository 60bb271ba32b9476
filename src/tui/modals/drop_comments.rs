//! A save would drop comments of the user's in the spec file: save anyway, or cancel.

use super::{Reply, said};
use crate::report::trunc;
use crate::tui::keys::{Binding, Command, KeyMap, Scope, on};
use crate::tui::theme::Theme;
use crate::tui::widgets::dialog::{Dialog, para};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use std::path::Path;

pub const BINDINGS: &[Binding] = &[
    on(Scope::Dialog, &[Command::Yes], "save anyway", "save anyway"),
    on(
        Scope::Global,
        &[Command::Back],
        "cancel",
        "cancel, write nothing (copy them elsewhere first)",
    ),
];

/// Any other key cancels too.
pub fn key(k: &KeyEvent, keys: &KeyMap) -> Reply {
    match keys.command(BINDINGS, k) {
        Some(Command::Yes) => Reply::SaveAnyway,
        _ => Reply::Cancelled,
    }
}

pub fn render(
    f: &mut Frame,
    area: Rect,
    path: &Path,
    comments: &[String],
    keys: &KeyMap,
    t: &Theme,
) {
    let mut d = Dialog::new("Drop your comments?", t, BINDINGS, keys);
    d.width = 72;
    d.body = vec![para(
        format!(
            "Saving rewrites {} and drops {} comment(s) of yours:",
            said(path),
            comments.len()
        ),
        t.bold(),
    )];
    for c in comments.iter().take(4) {
        d.body.push(para(format!("  # {}", trunc(c, 60)), t.dim()));
    }
    if comments.len() > 4 {
        d.body.push(para(
            format!("  … and {} more", comments.len() - 4),
            t.plain(),
        ));
    }
    d.render(f, area, t);
}
