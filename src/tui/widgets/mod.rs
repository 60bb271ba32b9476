//! What screens and dialogs are drawn with: a scrollable pane, a text field with the
//! shell's editing keys, a dialog box, and text wrapping.

pub mod dialog;
pub mod findings;
pub mod scroll;
pub mod sections;
pub mod step_header;
pub mod text_field;

pub use scroll::Scroll;
pub use text_field::{FieldKey, TextField};

use crate::report::trunc;

/// `text` wrapped at word boundaries into at most `max` lines of `width` characters, the
/// last cut with `…` when it does not fit.
pub fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines: Vec<String> = vec![];
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let word = trunc(word, width);
        let need = cur.chars().count() + usize::from(!cur.is_empty()) + word.chars().count();
        if !cur.is_empty() && need > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(&word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > max {
        lines.truncate(max);
        let last = lines.last_mut().expect("max > 0");
        let keep = width.saturating_sub(1).min(last.chars().count());
        *last = format!("{}…", last.chars().take(keep).collect::<String>());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_cuts_at_words_and_marks_what_it_leaves_out() {
        assert_eq!(wrap("aa bb cc", 5, 3), ["aa bb", "cc"]);
        assert_eq!(wrap("aa bb cc dd", 5, 1), ["aa b…"]);
        assert_eq!(wrap("abcdefgh", 4, 2), ["abc…"]);
        assert!(wrap("", 10, 2).is_empty());
    }
}
