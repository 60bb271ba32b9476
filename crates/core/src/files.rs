//! The files the tool reads and writes (spec, journal, log, exports), opened so that
//! nothing else can stand in for them: a symbolic link is refused (never followed to its
//! target), anything but a regular file (a FIFO, a device, a directory) is refused without
//! blocking on it, and a read stops at a size cap.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

/// The largest spec read: a real one is a few kilobytes.
pub const MAX_SPEC_BYTES: u64 = 1 << 20;
/// The largest journal read: a line per step event, thousands of runs.
pub const MAX_JOURNAL_BYTES: u64 = 64 << 20;

/// Why a file cannot be used, in words for the operator.
fn refusal(path: &Path, e: &std::io::Error) -> std::io::Error {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::io::Error::other(
            "it is a symbolic link; give the file itself (links are never followed)",
        ),
        Ok(m) if !m.is_file() => not_regular(m.is_dir()),
        _ => std::io::Error::new(e.kind(), e.to_string()),
    }
}

fn not_regular(dir: bool) -> std::io::Error {
    std::io::Error::other(format!(
        "it is not a regular file ({}); give a file",
        if dir {
            "a directory"
        } else {
            "a FIFO, socket or device"
        }
    ))
}

fn check_regular(file: &File) -> std::io::Result<()> {
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(meta.is_dir()));
    }
    Ok(())
}

fn options() -> OpenOptions {
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // No link followed; a FIFO opens without waiting for a writer (and is refused).
        o.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    o
}

/// The text of a regular file, `None` when there is none, at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> std::io::Result<Option<String>> {
    let file = match options().read(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !path.is_symlink() => {
            return Ok(None);
        }
        Err(e) => return Err(refusal(path, &e)),
    };
    check_regular(&file)?;
    let mut bytes = vec![];
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "it is larger than {} KiB; this is not a file the tool wrote",
            limit / 1024
        )));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| std::io::Error::other("it is not UTF-8 text"))
}

/// Open a regular file to append to (created with mode 0600 when absent).
pub fn append(path: &Path) -> std::io::Result<File> {
    let mut o = options();
    o.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let file = o.open(path).map_err(|e| refusal(path, &e))?;
    check_regular(&file)?;
    Ok(file)
}

/// Create `path` anew (mode 0600), refusing to write through anything already there.
pub fn create_new(path: &Path) -> std::io::Result<File> {
    let mut o = options();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map_err(|e| refusal(path, &e))
}

/// Write `text` to `path` whole (a temporary file, then a rename): what is there is
/// replaced only if it is a regular file; a link or a FIFO in its place is refused.
pub fn replace(path: &Path, text: &str) -> std::io::Result<()> {
    if let Ok(m) = std::fs::symlink_metadata(path)
        && !m.is_file()
    {
        return Err(refusal(path, &std::io::Error::other("not a regular file")));
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    let tmp = path.with_file_name(name);
    let _ = std::fs::remove_file(&tmp);
    let written = create_new(&tmp).and_then(|mut f| {
        use std::io::Write;
        f.write_all(text.as_bytes())?;
        f.sync_data()
    });
    written
        .and_then(|_| std::fs::rename(&tmp, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
        .map_err(|e| std::io::Error::new(e.kind(), e.to_string()))
}

/// Whether others may write the file (a spec anyone can edit decides what apply does).
pub fn world_writable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::symlink_metadata(path)
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o002 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_fifos_and_big_files_are_refused() {
        let dir = std::env::temp_dir().join(format!("ept-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("a.yaml");
        assert_eq!(read(&f, 10).unwrap(), None);
        std::fs::write(&f, "hello").unwrap();
        assert_eq!(read(&f, 10).unwrap().as_deref(), Some("hello"));
        assert!(read(&f, 3).unwrap_err().to_string().contains("larger than"));
        #[cfg(unix)]
        {
            let target = dir.join("target");
            std::fs::write(&target, "secret").unwrap();
            let link = dir.join("link");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            let e = read(&link, 100).unwrap_err().to_string();
            assert!(e.contains("symbolic link") && !e.contains("secret"), "{e}");
            assert!(append(&link).is_err());
            assert_eq!(std::fs::read_to_string(&target).unwrap(), "secret");
            // A dangling link creates nothing.
            let dangling = dir.join("dangling");
            std::os::unix::fs::symlink(dir.join("nowhere"), &dangling).unwrap();
            assert!(read(&dangling, 100).is_err());
            assert!(append(&dangling).is_err());
            assert!(!dir.join("nowhere").exists());
            // A FIFO: refused at once, never waited on.
            let fifo = dir.join("fifo");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            assert!(made.unwrap().success());
            assert!(read(&fifo, 100).unwrap_err().to_string().contains("FIFO"));
            assert!(append(&fifo).is_err());
            assert!(read(&dir, 100).is_err());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
