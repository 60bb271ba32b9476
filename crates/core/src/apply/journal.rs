//! The journal: one JSON line per step event, appended and synced, next to the spec
//! (`<spec>.journal`, mode 0600). A run that has no `end` line was interrupted: the next
//! apply resumes it with the same epoch, so its idempotency tokens are the same ones.
//! Runs accumulate; destroy reads what earlier runs created (a CIDR association carries no
//! tag).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "event")]
pub enum Record {
    /// A run starts; `resumes` when it continues an interrupted one.
    Begin {
        at: u64,
        plan: String,
        /// `apply` or `destroy`.
        mode: String,
        epoch: String,
        actions: usize,
        resumes: bool,
    },
    /// The call about to be made changes something apply did not create: its value
    /// before, for destroy to restore.
    Changed {
        at: u64,
        address: String,
        undo: crate::plan::undo::Undo,
    },
    /// The call is about to be made.
    Start {
        at: u64,
        address: String,
        op: String,
    },
    /// It took effect; `id` is what it created or changed, `kind` its resource kind.
    Done {
        at: u64,
        address: String,
        op: String,
        kind: String,
        id: String,
        millis: u64,
    },
    Failed {
        at: u64,
        address: String,
        op: String,
        error: String,
    },
    /// The run ended (`ok` when every step was done).
    End { at: u64, ok: bool },
}

/// A journal file, opened for a run.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    /// The idempotency epoch of this run (the interrupted run's, when resuming).
    pub epoch: String,
    /// Outputs of steps an interrupted run finished: address → id.
    pub resumed: Option<BTreeMap<String, String>>,
}

/// A journal that cannot be used, with what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalError(pub String);

impl std::fmt::Display for JournalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `prod.yaml` → `prod.yaml.journal`, in the same directory.
pub fn path_for(spec: &Path) -> PathBuf {
    let mut name = spec.file_name().unwrap_or_default().to_os_string();
    name.push(".journal");
    spec.with_file_name(name)
}

/// Every record of the file. A torn last line (the process died mid-write) is ignored;
/// a damaged line elsewhere is an error.
pub fn read(path: &Path) -> Result<Vec<Record>, JournalError> {
    parse(&text_of(path)?, path)
}

/// The file's text; empty when there is none yet.
fn text_of(path: &Path) -> Result<String, JournalError> {
    // Never through a link, never blocking on a FIFO (crate::files).
    match crate::files::read(path, crate::files::MAX_JOURNAL_BYTES) {
        Ok(t) => Ok(t.unwrap_or_default()),
        Err(e) => Err(JournalError(format!(
            "cannot read the journal {}: {e} — the journal is a regular file next to the spec",
            path.display()
        ))),
    }
}

fn parse(text: &str, path: &Path) -> Result<Vec<Record>, JournalError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = vec![];
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Record>(line) {
            Ok(r) => out.push(r),
            Err(_) if i + 1 == lines.len() && !text.ends_with('\n') => {}
            Err(e) => {
                return Err(JournalError(format!(
                    "the journal {} is damaged at line {}: {e} — move it away to start over (the account is read again either way)",
                    path.display(),
                    i + 1
                )));
            }
        }
    }
    Ok(out)
}

/// The records of the last run, and whether it ended.
fn last_run(records: &[Record]) -> (&[Record], bool) {
    let start = records
        .iter()
        .rposition(|r| matches!(r, Record::Begin { resumes: false, .. }))
        .unwrap_or(0);
    let run = &records[start..];
    let ended = run.iter().any(|r| matches!(r, Record::End { .. }))
        && matches!(run.last(), Some(Record::End { .. }));
    (run, ended || run.is_empty())
}

/// What is left of an interrupted run: its epoch, plan, mode and finished steps.
pub fn interrupted(
    records: &[Record],
) -> Option<(String, String, String, BTreeMap<String, String>)> {
    let (run, ended) = last_run(records);
    if ended {
        return None;
    }
    let Some(Record::Begin {
        epoch, plan, mode, ..
    }) = run.first()
    else {
        return None;
    };
    let done = run
        .iter()
        .filter_map(|r| match r {
            Record::Done { address, id, .. } => Some((address.clone(), id.clone())),
            _ => None,
        })
        .collect();
    Some((epoch.clone(), plan.clone(), mode.clone(), done))
}

/// What the tool created and has not destroyed since, from every run: address → (kind, id).
/// What apply changed on resources it did not create, with the values before: the first
/// record for each restore wins (the value before the first apply), and a restore done
/// by destroy clears it.
pub fn undos(records: &[Record]) -> Vec<crate::plan::undo::Undo> {
    let mut out: Vec<crate::plan::undo::Undo> = vec![];
    for r in records {
        match r {
            Record::Changed { undo, .. } if !out.iter().any(|u| u.address() == undo.address()) => {
                out.push(undo.clone());
            }
            Record::Done { address, .. } if address.starts_with("restore.") => {
                out.retain(|u| &u.address() != address);
            }
            _ => {}
        }
    }
    out
}

pub fn created(records: &[Record]) -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    for r in records {
        if let Record::Done {
            address,
            op,
            kind,
            id,
            ..
        } = r
        {
            match op.as_str() {
                "create" => {
                    out.insert(address.clone(), (kind.clone(), id.clone()));
                }
                "delete" => {
                    out.retain(|_, (_, v)| v != id);
                }
                _ => {}
            }
        }
    }
    out
}

fn new_epoch() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{:016x}",
        crate::apply::fnv64(&format!("{t}:{}", std::process::id()), 0)
    )
}

impl Journal {
    /// Open (or create) the journal for a run of `plan` in `mode` with `actions` steps.
    /// An interrupted run of the same plan and mode is resumed.
    pub fn open(
        path: &Path,
        plan: &str,
        mode: &str,
        actions: usize,
    ) -> Result<Journal, JournalError> {
        let text = text_of(path)?;
        let records = parse(&text, path)?;
        let (epoch, resumed) = match interrupted(&records) {
            Some((epoch, p, m, done)) if p == plan && m == mode => (epoch, Some(done)),
            _ => (new_epoch(), None),
        };
        let file = crate::files::append(path).map_err(|e| {
            JournalError(format!(
                "cannot write the journal {}: {e} — apply records its steps next to the spec, in a regular file it can write",
                path.display()
            ))
        })?;
        // A torn last line would glue onto the next record: cut it off.
        if !text.is_empty() && !text.ends_with('\n') {
            let keep = text.rfind('\n').map_or(0, |i| i + 1);
            let _ = file.set_len(keep as u64);
        }
        let mut j = Journal {
            path: path.to_path_buf(),
            file,
            epoch: epoch.clone(),
            resumed: resumed.clone(),
        };
        j.write(&Record::Begin {
            at: now(),
            plan: plan.into(),
            mode: mode.into(),
            epoch,
            actions,
            resumes: resumed.is_some(),
        })?;
        Ok(j)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one record and sync it to disk before the caller goes on.
    pub fn write(&mut self, r: &Record) -> Result<(), JournalError> {
        let mut line = serde_json::to_string(r).expect("records serialize");
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .and_then(|_| self.file.sync_data())
            .map_err(|e| {
                JournalError(format!(
                    "cannot write the journal {}: {e}",
                    self.path.display()
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("ept-journal-{}-{name}", std::process::id()));
        let _ = std::fs::remove_file(&d);
        d
    }

    fn done(address: &str, id: &str, op: &str) -> Record {
        Record::Done {
            at: 1,
            address: address.into(),
            op: op.into(),
            kind: "subnet".into(),
            id: id.into(),
            millis: 5,
        }
    }

    #[test]
    fn an_interrupted_run_is_resumed_with_its_epoch() {
        let p = temp("resume");
        let mut j = Journal::open(&p, "prod", "apply", 3).unwrap();
        assert!(j.resumed.is_none());
        let epoch = j.epoch.clone();
        j.write(&done("subnet.pod[\"a\"]", "subnet-1", "create"))
            .unwrap();
        drop(j);
        let j2 = Journal::open(&p, "prod", "apply", 2).unwrap();
        assert_eq!(j2.epoch, epoch);
        let r = j2.resumed.clone().unwrap();
        assert_eq!(
            r.get("subnet.pod[\"a\"]").map(String::as_str),
            Some("subnet-1")
        );
        drop(j2);
        // a finished run is not resumed: a new epoch
        let mut j3 = Journal::open(&p, "prod", "apply", 2).unwrap();
        j3.write(&Record::End { at: 2, ok: true }).unwrap();
        drop(j3);
        let j4 = Journal::open(&p, "prod", "apply", 0).unwrap();
        assert!(j4.resumed.is_none());
        assert_ne!(j4.epoch, epoch);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let _ = std::fs::remove_file(&p);
    }

    #[test]
    fn a_torn_last_line_is_ignored_a_damaged_one_is_not() {
        let p = temp("torn");
        let j = Journal::open(&p, "prod", "apply", 1).unwrap();
        drop(j);
        let mut text = std::fs::read_to_string(&p).unwrap();
        text.push_str("{\"event\":\"done\",\"addr");
        std::fs::write(&p, &text).unwrap();
        assert_eq!(read(&p).unwrap().len(), 1);
        // and the next run starts on a line of its own
        let j = Journal::open(&p, "prod", "apply", 1).unwrap();
        drop(j);
        let n = read(&p).unwrap();
        assert_eq!(n.len(), 2, "{n:?}");
        std::fs::write(&p, "garbage\n{\"event\":\"end\",\"at\":1,\"ok\":true}\n").unwrap();
        let e = read(&p).unwrap_err();
        assert!(e.0.contains("damaged at line 1"), "{e}");
        let _ = std::fs::remove_file(&p);
    }

    #[test]
    fn created_forgets_what_was_destroyed() {
        let recs = vec![
            done("subnet.pod[\"a\"]", "subnet-1", "create"),
            done("vpc_cidr.secondary", "vpc-cidr-assoc-1", "create"),
            done("vpc_attribute.x", "vpc-1", "update"),
            done("delete.subnet-1", "subnet-1", "delete"),
        ];
        let c = created(&recs);
        assert_eq!(c.len(), 1);
        assert_eq!(c["vpc_cidr.secondary"].1, "vpc-cidr-assoc-1");
    }
}
