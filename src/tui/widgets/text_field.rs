//! A one-line text field with the shell's editing keys (readline's): Ctrl-A/E or
//! Home/End to the ends, Ctrl-B/F or ←/→ a character, Alt-B/F a word, Ctrl-U/K delete to
//! the start/end, Ctrl-W or Alt-Backspace the word before the cursor, Alt-D the word
//! after it, Ctrl-H or Backspace, Ctrl-D or Delete a character, Ctrl-Y puts back what
//! was deleted. A chord never types its letter. Enter takes the value, Esc leaves it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::{Input, InputRequest as R};

/// What a key did to a text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKey {
    /// Enter: take the value.
    Done,
    /// Esc: leave it.
    Cancel,
    /// Typed, deleted, moved, or a key the field does not use.
    Edited,
}

/// The longest value a field keeps (names, CIDRs, domains, paths are far shorter).
pub const MAX_CHARS: usize = 1024;

#[derive(Debug, Clone, Default)]
pub struct TextField {
    input: Input,
}

impl PartialEq for TextField {
    fn eq(&self, other: &Self) -> bool {
        self.value() == other.value() && self.input.cursor() == other.input.cursor()
    }
}

impl Eq for TextField {}

impl TextField {
    pub fn new(value: impl Into<String>) -> TextField {
        TextField {
            input: Input::new(value.into()),
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The value with a bar where the cursor is (`10.0.▏1.0`), for a field being edited.
    pub fn shown(&self) -> String {
        let at = self.input.cursor();
        let mut out: String = self.value().chars().take(at).collect();
        out.push('▏');
        out.extend(self.value().chars().skip(at));
        out
    }

    /// Readline's backward-word: to the start of this or the previous word (letters and
    /// digits).
    fn word_back(&self) -> usize {
        let chars: Vec<char> = self.value().chars().collect();
        let mut at = self.input.cursor().min(chars.len());
        while at > 0 && !chars[at - 1].is_alphanumeric() {
            at -= 1;
        }
        while at > 0 && chars[at - 1].is_alphanumeric() {
            at -= 1;
        }
        at
    }

    /// Readline's forward-word: to the end of this or the next word.
    fn word_forward(&self) -> usize {
        let chars: Vec<char> = self.value().chars().collect();
        let mut at = self.input.cursor().min(chars.len());
        while at < chars.len() && !chars[at].is_alphanumeric() {
            at += 1;
        }
        while at < chars.len() && chars[at].is_alphanumeric() {
            at += 1;
        }
        at
    }

    /// A key typed into the field.
    pub fn key(&mut self, k: &KeyEvent) -> FieldKey {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let alt = k.modifiers.contains(KeyModifiers::ALT);
        let req = match (k.code, ctrl, alt) {
            (KeyCode::Enter, ..) => return FieldKey::Done,
            (KeyCode::Esc, ..) => return FieldKey::Cancel,
            (KeyCode::Backspace, _, true) => R::DeletePrevWord,
            (KeyCode::Backspace, ..) | (KeyCode::Char('h'), true, _) => R::DeletePrevChar,
            (KeyCode::Delete, ..) | (KeyCode::Char('d'), true, _) => R::DeleteNextChar,
            (KeyCode::Left, true, _) | (KeyCode::Char('b'), _, true) => {
                R::SetCursor(self.word_back())
            }
            (KeyCode::Right, true, _) | (KeyCode::Char('f'), _, true) => {
                R::SetCursor(self.word_forward())
            }
            (KeyCode::Char('d'), _, true) => R::DeleteNextWord,
            (KeyCode::Left, ..) | (KeyCode::Char('b'), true, _) => R::GoToPrevChar,
            (KeyCode::Right, ..) | (KeyCode::Char('f'), true, _) => R::GoToNextChar,
            (KeyCode::Home, ..) | (KeyCode::Char('a'), true, _) => R::GoToStart,
            (KeyCode::End, ..) | (KeyCode::Char('e'), true, _) => R::GoToEnd,
            (KeyCode::Char('u'), true, _) => R::DeleteFromStart,
            (KeyCode::Char('k'), true, _) => R::DeleteTillEnd,
            (KeyCode::Char('w'), true, _) => R::DeletePrevWord,
            (KeyCode::Char('y'), true, _) => R::Yank,
            (KeyCode::Char(c), false, false)
                if !c.is_control() && self.value().chars().count() < MAX_CHARS =>
            {
                R::InsertChar(c)
            }
            _ => return FieldKey::Edited,
        };
        self.input.handle(req);
        FieldKey::Edited
    }
}

/// An Alt chord the field uses (the others are Esc and a key arriving together).
pub fn is_chord(k: &KeyEvent) -> bool {
    k.modifiers.contains(KeyModifiers::ALT)
        && !k.modifiers.contains(KeyModifiers::CONTROL)
        && matches!(k.code, KeyCode::Char('b' | 'f' | 'd') | KeyCode::Backspace)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(field: &mut TextField, keys: &[(KeyCode, KeyModifiers)]) {
        for (code, m) in keys {
            field.key(&KeyEvent::new(*code, *m));
        }
    }

    const N: KeyModifiers = KeyModifiers::NONE;
    const C: KeyModifiers = KeyModifiers::CONTROL;
    const A: KeyModifiers = KeyModifiers::ALT;

    fn text(s: &str) -> Vec<(KeyCode, KeyModifiers)> {
        s.chars().map(|c| (KeyCode::Char(c), N)).collect()
    }

    #[test]
    fn chords_edit_and_never_type_their_letter() {
        let mut f = TextField::new("prod endpoints");
        typed(&mut f, &[(KeyCode::Char('w'), C)]);
        assert_eq!(f.value(), "prod ");
        typed(&mut f, &[(KeyCode::Char('a'), C)]);
        typed(&mut f, &text("x-"));
        assert_eq!(f.value(), "x-prod ");
        typed(&mut f, &[(KeyCode::Char('k'), C)]);
        assert_eq!(f.value(), "x-");
        typed(&mut f, &[(KeyCode::Char('u'), C)]);
        assert_eq!(f.value(), "");
        // Kills in a row are one kill, as in readline: Ctrl-Y puts back both.
        typed(&mut f, &[(KeyCode::Char('y'), C)]);
        assert_eq!(f.value(), "x-prod ");
        // Chords the field does not know type nothing.
        typed(&mut f, &[(KeyCode::Char('t'), C), (KeyCode::Char('z'), A)]);
        assert_eq!(f.value(), "x-prod ");
    }

    #[test]
    fn words_and_ends() {
        let mut f = TextField::new("10.0.0.0/16 corp");
        typed(&mut f, &[(KeyCode::Char('b'), A)]);
        assert_eq!(f.shown(), "10.0.0.0/16 ▏corp");
        typed(&mut f, &[(KeyCode::Char('b'), A)]);
        assert_eq!(f.shown(), "10.0.0.0/▏16 corp");
        typed(&mut f, &[(KeyCode::Char('f'), A), (KeyCode::Char('f'), A)]);
        assert_eq!(f.shown(), "10.0.0.0/16 corp▏");
        typed(&mut f, &[(KeyCode::Home, N), (KeyCode::Char('f'), A)]);
        assert_eq!(f.shown(), "10▏.0.0.0/16 corp");
        typed(&mut f, &[(KeyCode::Home, N), (KeyCode::Char('f'), C)]);
        assert_eq!(f.shown(), "1▏0.0.0.0/16 corp");
        typed(&mut f, &[(KeyCode::Char('e'), C), (KeyCode::Backspace, A)]);
        assert_eq!(f.value(), "10.0.0.0/16 ");
        // A word is Unicode's: an address is one.
        typed(&mut f, &[(KeyCode::Home, N), (KeyCode::Char('d'), A)]);
        assert_eq!(f.value(), "16 ");
    }

    #[test]
    fn enter_and_esc_end_the_edit() {
        let mut f = TextField::default();
        assert_eq!(f.key(&KeyEvent::new(KeyCode::Enter, N)), FieldKey::Done);
        assert_eq!(f.key(&KeyEvent::new(KeyCode::Esc, N)), FieldKey::Cancel);
    }
}
