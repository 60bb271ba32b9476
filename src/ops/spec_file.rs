//! The spec file on disk: read it with a fingerprint, and save it only over the version
//! that was read (a file changed on disk since is never overwritten silently).

use std::path::Path;

/// What was on disk when the file was last read or written: `None` when there was no file.
pub type Fingerprint = Option<u64>;

/// A content fingerprint (FNV-1a): a `touch` is not a change, an edit is.
pub fn fingerprint(text: &str) -> u64 {
    crate::apply::fnv64(text, 0x5bec)
}

/// The file's text, `None` when there is none; `Err` when it exists but cannot be read.
pub fn read(path: &Path) -> Result<Option<String>, String> {
    crate::files::read(path, crate::files::MAX_SPEC_BYTES).map_err(|e| e.to_string())
}

#[derive(Debug, Clone, PartialEq)]
pub enum SaveError {
    /// The file is not what was read: its text now (`None`: it was deleted).
    Changed(Option<String>),
    Io(String),
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SaveError::Changed(_) => write!(f, "the file changed on disk since it was read"),
            SaveError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Write `text` to `path` if the file is still the one read (`expect`), through a
/// temporary file and a rename, so a crash never leaves half a spec. Returns the new
/// fingerprint.
pub fn save(path: &Path, text: &str, expect: Fingerprint) -> Result<u64, SaveError> {
    let now = read(path).map_err(SaveError::Io)?;
    if now.as_deref().map(fingerprint) != expect {
        return Err(SaveError::Changed(now));
    }
    // Through a temporary file and a rename, never through a link (crate::files).
    crate::files::replace(path, text).map_err(|e| SaveError::Io(e.to_string()))?;
    Ok(fingerprint(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_refuses_a_file_changed_since_it_was_read() {
        let dir = std::env::temp_dir().join(format!("ept-specfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("s.yaml");
        let _ = std::fs::remove_file(&p);
        // Absent, expected absent: written.
        let f1 = save(&p, "a: 1\n", None).unwrap();
        assert_eq!(read(&p).unwrap().as_deref(), Some("a: 1\n"));
        // Expected absent, but it exists now: refused with its text.
        assert_eq!(
            save(&p, "b: 2\n", None),
            Err(SaveError::Changed(Some("a: 1\n".into())))
        );
        // Edited by someone else: refused, the edit kept.
        std::fs::write(&p, "a: 1 # mine\n").unwrap();
        assert!(matches!(
            save(&p, "b: 2\n", Some(f1)),
            Err(SaveError::Changed(Some(_)))
        ));
        assert_eq!(read(&p).unwrap().as_deref(), Some("a: 1 # mine\n"));
        // Over the version read: written, no temporary file left.
        let f2 = fingerprint("a: 1 # mine\n");
        save(&p, "b: 2\n", Some(f2)).unwrap();
        assert_eq!(read(&p).unwrap().as_deref(), Some("b: 2\n"));
        assert!(!dir.join("s.yaml.tmp").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
