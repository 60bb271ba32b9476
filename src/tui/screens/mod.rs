//! One module per wizard step. Each screen keeps its own UI state (cursor, filter), turns
//! keys into [`Intent`](super::app::Intent)s for `App::update`, and renders itself.

pub mod checks;
pub mod preview;
pub mod subnets;
pub mod vpcs;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Cursor movement shared by every list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Up,
    Down,
    First,
    Last,
    PageUp,
    PageDown,
}

/// Arrows and vim keys; g/G and Ctrl-b/Ctrl-f instead of Home/End/PgUp/PgDn, which are
/// unreliable over SSM (those are accepted too).
pub fn nav_key(k: &KeyEvent) -> Option<Nav> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    Some(match k.code {
        KeyCode::Up | KeyCode::Char('k') if !ctrl => Nav::Up,
        KeyCode::Down | KeyCode::Char('j') if !ctrl => Nav::Down,
        KeyCode::Char('g') | KeyCode::Home if !ctrl => Nav::First,
        KeyCode::Char('G') | KeyCode::End => Nav::Last,
        KeyCode::Char('b') if ctrl => Nav::PageUp,
        KeyCode::Char('f') if ctrl => Nav::PageDown,
        KeyCode::PageUp => Nav::PageUp,
        KeyCode::PageDown => Nav::PageDown,
        _ => return None,
    })
}

impl Nav {
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
