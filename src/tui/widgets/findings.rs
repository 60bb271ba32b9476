//! A finding as one line: its severity's mark, its rule ID, what it says (the Checks
//! view, and each step's own findings above its list).

use crate::rules::{Finding, Severity};
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

/// Symbol and style of a severity (meaning never rests on colour).
pub fn mark(s: Severity, t: &Theme) -> Span<'static> {
    match s {
        Severity::Error => Span::styled("✗", t.error()),
        Severity::Warn => Span::styled("!", t.warn()),
        Severity::Info => Span::styled("i", t.dim()),
    }
}

/// What a finding says, with its subject only where the message does not name it
/// already (the message is what must survive a narrow terminal).
pub fn finding_text(f: &Finding) -> String {
    let subject_id = f.subject.rsplit(' ').next().unwrap_or(&f.subject);
    if f.subject.is_empty() || f.message.contains(subject_id) {
        f.message.clone()
    } else {
        format!("{}: {}", f.subject, f.message)
    }
}

/// One line per finding: symbol, ID, subject, message; cut with … to `width`.
pub fn finding_line(f: &Finding, t: &Theme, width: usize) -> Line<'static> {
    Line::from(vec![
        mark(f.severity, t),
        Span::raw(" "),
        Span::styled(format!("{:<3}", f.id), t.bold()),
        Span::raw(format!(
            " {}",
            crate::report::trunc(&finding_text(f), width.saturating_sub(6))
        )),
    ])
}

/// Inline, where the screen already says what it is about: symbol, ID, message.
pub fn finding_line_short(f: &Finding, t: &Theme) -> Line<'static> {
    Line::from(vec![
        mark(f.severity, t),
        Span::raw(" "),
        Span::styled(format!("{:<3}", f.id), t.bold()),
        Span::raw(format!(" {}", f.message)),
    ])
}
