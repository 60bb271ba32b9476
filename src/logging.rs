//! `--log-file`: tracing to a private file (mode 0600, never through a link, never the spec
//! or its journal), with AWS access key IDs masked on the way out (the SDK's trace level
//! logs the signed headers, whose `Credential=` names the key).

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Mask every AWS access key ID in `text` (`AKIA`/`ASIA`/… and 16 more of A–Z, 2–7, as
/// AWS makes them): the prefix stays, for telling long-term keys from session ones.
pub fn redact_key_ids(text: &str) -> String {
    const PREFIXES: [&str; 6] = ["AKIA", "ASIA", "AIDA", "AROA", "ANPA", "AGPA"];
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut last = 0;
    while i + 20 <= b.len() {
        let starts_word = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let ends_word = b.get(i + 20).is_none_or(|c| !c.is_ascii_alphanumeric());
        if starts_word
            && ends_word
            && PREFIXES.iter().any(|p| b[i..].starts_with(p.as_bytes()))
            && b[i + 4..i + 20]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            out.push_str(&text[last..i + 4]);
            out.push_str("****************");
            i += 20;
            last = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// The same file (both exist and are one inode, or one canonical path).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

#[derive(Clone)]
struct Redacting(Arc<Mutex<std::fs::File>>);

impl Write for Redacting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = redact_key_ids(&String::from_utf8_lossy(buf));
        let mut f = self
            .0
            .lock()
            .map_err(|_| std::io::Error::other("log poisoned"))?;
        f.write_all(text.as_bytes())?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Redacting {
    type Writer = Redacting;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Start logging to `path` (nothing without one). `spec`: the spec the command reads.
pub fn init(path: Option<&Path>, spec: Option<&Path>) -> Result<(), String> {
    let Some(path) = path else { return Ok(()) };
    if let Some(s) = spec {
        let journal = crate::apply::journal::path_for(s);
        if same_file(path, s) || same_file(path, &journal) {
            return Err(format!(
                "--log-file {} is the spec or its journal, which the log would overwrite — pass another file",
                path.display()
            ));
        }
    }
    let file = crate::files::append(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Redacting(Arc::new(Mutex::new(file))))
        .init();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_masked() {
        let line = "authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261203/eu-west-1/ec2/aws4_request";
        let out = redact_key_ids(line);
        assert!(!out.contains("AKIAIOSFODNN7EXAMPLE"), "{out}");
        assert!(
            out.contains("Credential=AKIA****************/20261203"),
            "{out}"
        );
        assert_eq!(
            redact_key_ids("ASIAXXXXXXXXXXXXXXXX and ASIAYYYYYYYYYYYYYYYY"),
            "ASIA**************** and ASIA****************"
        );
        // Not a key: too short, too long, lowercase, inside a word.
        for keep in [
            "AKIA123",
            "AKIAIOSFODNN7EXAMPLEX",
            "akiaiosfodnn7example",
            "XAKIAIOSFODNN7EXAMPLE",
            "vpc-0abc",
        ] {
            assert_eq!(redact_key_ids(keep), keep);
        }
    }
}
