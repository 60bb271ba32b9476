//! Terminal setup and restore. The panic hook is installed before anything else (main), so
//! a panic anywhere leaves a usable shell behind.

use crate::cli::Colors;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::{
    cursor, execute,
    terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode},
};
use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static ACTIVE: AtomicBool = AtomicBool::new(false);

pub type Term = Terminal<CrosstermBackend<Colours<Stdout>>>;

/// Restore the terminal (if we took it), then run the default hook.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

pub fn setup(colors: Colors) -> io::Result<Term> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    if let Err(e) = execute!(out, EnterAlternateScreen, cursor::Hide) {
        restore();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(Colours::new(out, colors))).inspect_err(|_| restore())
}

/// The terminal's writer: each frame is kept until the flush that ends it, then written
/// in one piece with its colours in the terminal's terms. The theme uses the 16 ANSI
/// colours, which crossterm writes in the 256-colour form (`38;5;1`); a terminal with
/// 16 colours gets them as SGR 30–37 and 90–97 (`31`) instead.
pub struct Colours<W: Write> {
    inner: W,
    colors: Colors,
    frame: Vec<u8>,
}

impl<W: Write> Colours<W> {
    pub fn new(inner: W, colors: Colors) -> Colours<W> {
        Colours {
            inner,
            colors,
            frame: Vec::with_capacity(64 << 10),
        }
    }
}

impl<W: Write> Write for Colours<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.frame.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let frame = std::mem::take(&mut self.frame);
        let out = if self.colors == Colors::Basic {
            basic(&frame)
        } else {
            frame
        };
        self.inner.write_all(&out)?;
        self.frame = out;
        self.frame.clear();
        self.inner.flush()
    }
}

/// `bytes` with every SGR colour in the 16-colour form: `38;5;N`/`48;5;N` for N < 16 as
/// 30–37/90–97 and 40–47/100–107; other indexed and 24-bit colours as the default colour.
pub fn basic(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            // ESC [ params m, params only digits and ';'.
            let start = i + 2;
            let end = bytes[start..]
                .iter()
                .position(|b| !(b.is_ascii_digit() || *b == b';'))
                .map(|n| start + n);
            if let Some(end) = end
                && bytes[end] == b'm'
            {
                let params = std::str::from_utf8(&bytes[start..end]).unwrap_or("");
                out.extend_from_slice(b"\x1b[");
                out.extend_from_slice(sgr16(params).as_bytes());
                out.push(b'm');
                i = end + 1;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn sgr16(params: &str) -> String {
    let p: Vec<&str> = params.split(';').collect();
    let mut out: Vec<String> = vec![];
    let mut i = 0;
    while i < p.len() {
        let (base, bright) = match p[i] {
            "38" => (30, 90),
            "48" => (40, 100),
            other => {
                out.push(other.to_string());
                i += 1;
                continue;
            }
        };
        match (
            p.get(i + 1).copied(),
            p.get(i + 2).and_then(|n| n.parse::<u8>().ok()),
        ) {
            (Some("5"), Some(n)) if n < 8 => out.push((base + u32::from(n)).to_string()),
            (Some("5"), Some(n)) if n < 16 => out.push((bright + u32::from(n) - 8).to_string()),
            (Some("5"), _) => out.push((base + 9).to_string()),
            (Some("2"), _) => {
                out.push((base + 9).to_string());
                i += 5;
                continue;
            }
            _ => out.push((base + 9).to_string()),
        }
        i += 3;
    }
    out.join(";")
}

/// Leave the alternate screen, show the cursor, cooked mode. Safe to call twice.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = execute!(io::stdout(), LeaveAlternateScreen, cursor::Show);
        let _ = disable_raw_mode();
    }
}

#[cfg(test)]
mod tests {
    use super::basic;

    fn b(s: &str) -> String {
        String::from_utf8(basic(s.as_bytes())).unwrap()
    }

    #[test]
    fn the_sixteen_colours_in_their_own_form() {
        assert_eq!(b("\x1b[38;5;1mx\x1b[39m"), "\x1b[31mx\x1b[39m");
        assert_eq!(b("\x1b[38;5;8;48;5;11m"), "\x1b[90;103m");
        assert_eq!(b("\x1b[1m\x1b[38;5;200m"), "\x1b[1m\x1b[39m");
        assert_eq!(b("\x1b[38;2;1;2;3;1m"), "\x1b[39;1m");
        // Cursor moves and text pass as they are.
        assert_eq!(b("\x1b[5;10Habc\x1b[2J"), "\x1b[5;10Habc\x1b[2J");
        assert_eq!(b("\x1b["), "\x1b[");
    }
}
