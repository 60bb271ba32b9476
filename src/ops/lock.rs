//! The state lock apply and destroy hold, as Terraform's: one run at a time per spec.
//!
//! Two parts. On this machine, an advisory lock (flock) on the spec's journal: the kernel
//! drops it when the process dies, however it dies. In the account, a security group named
//! for the spec in its VPC ([`crate::aws::lock`]): any machine sharing the account sees it,
//! with who holds it and since when. A lock left by a run on this machine for this very
//! spec file, whose journal this run now holds, was left by a process that is gone: it is
//! taken over, and said so. Anything else is refused; `--force-unlock ID` removes it.

use super::Failure;
use crate::apply::journal;
use crate::aws::Aws;
use crate::aws::lock::{Holder, Taken, lock_group_name};
use crate::spec::Spec;
use std::fs::File;
use std::path::Path;

/// How often a holder renews its lease.
pub const BEAT: std::time::Duration = std::time::Duration::from_secs(30);
/// A lease renewed within this is alive: three beats.
pub const ALIVE: u64 = 3 * BEAT.as_secs();

/// A lock held; give it back with [`release`]. While it lives, a task renews its lease.
#[derive(Debug)]
pub struct Lock {
    /// The journal, flocked while this is alive.
    _journal: File,
    /// The lock group's ID.
    pub id: String,
    /// What taking it did beyond the ordinary (a takeover, a forced unlock), for the operator.
    pub notes: Vec<String>,
    /// The task renewing the lease, stopped when the lock goes.
    beat: Option<tokio::task::AbortHandle>,
}

impl Drop for Lock {
    fn drop(&mut self) {
        if let Some(b) = self.beat.take() {
            b.abort();
        }
    }
}

/// Renew the lease of `id` every [`BEAT`] until stopped. A failed renewal is tried again
/// at the next beat: the lease only lapses when the holder is gone for three.
fn keep_alive(aws: &Aws, id: &str) -> tokio::task::AbortHandle {
    let (aws, id) = (aws.clone(), id.to_string());
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(BEAT).await;
            let _ = aws.beat(&id, journal::now()).await;
        }
    })
    .abort_handle()
}

/// `2026-12-03 11:20:00 UTC`.
pub fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown-host".into())
}

/// Whether the holder of a lock renewed its lease lately.
fn alive(h: &Holder) -> bool {
    journal::now().saturating_sub(h.heartbeat) < ALIVE
}

/// Who holds a lock, on one line of bounded length whatever its tags hold (anyone who
/// may tag a group may write them; issue 27, 8).
fn describe(h: &Holder) -> String {
    use crate::report::trunc;
    format!(
        "{} by {} since {} (lock ID {})",
        if h.operation.is_empty() {
            "held".to_string()
        } else {
            trunc(&h.operation, 20)
        },
        if h.who.is_empty() {
            "?".to_string()
        } else {
            trunc(&h.who, 120)
        },
        utc(h.since),
        trunc(&h.id, 40)
    )
}

/// Take the lock of `spec` (read from `spec_path`) for `mode`; `force` removes a lock of
/// that ID first.
pub async fn take(
    aws: &Aws,
    spec: &Spec,
    spec_path: &Path,
    mode: super::Mode,
    force: Option<&str>,
    even_if_alive: bool,
) -> Result<Lock, Failure> {
    let name = &spec.metadata.name;
    if let Some(p) = crate::rules::names::security_group_name(&lock_group_name(name)) {
        return Err(Failure::Usage(format!(
            "metadata.name {name:?} cannot name the state lock: {p} — keep metadata.name to letters, digits, - and _"
        )));
    }
    let journal_path = journal::path_for(spec_path);
    let file = crate::files::append(&journal_path).map_err(|e| {
        Failure::Usage(format!(
            "cannot open the journal {}: {e} — the journal is a regular file next to the spec",
            journal_path.display()
        ))
    })?;
    if file.try_lock().is_err() {
        let who = match aws.lock_holder(&spec.vpc_id, name).await {
            Ok(Some(h)) => format!(": {}", describe(&h)),
            _ => String::new(),
        };
        return Err(Failure::Usage(format!(
            "another run on this machine holds the lock of {}{who} — wait for it to finish; nothing was changed",
            spec_path.display()
        )));
    }
    let host = hostname();
    let place = format!(
        "{:016x}",
        crate::apply::fnv64(
            &format!(
                "{host}:{}",
                std::fs::canonicalize(&journal_path)
                    .unwrap_or(journal_path.clone())
                    .display()
            ),
            0x10c
        )
    );
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let me = Holder {
        id: String::new(),
        who: format!("{user}@{host} pid {}", std::process::id()),
        host: host.clone(),
        since: journal::now(),
        operation: mode.command().into(),
        place: place.clone(),
        heartbeat: journal::now(),
    };
    let mut notes = vec![];
    if let Some(id) = force {
        match aws.lock_holder(&spec.vpc_id, name).await? {
            // A lease renewed lately is a run that is alive: removing its lock would let
            // two runs change the account at once (issue 27, 7).
            Some(h) if h.id == id && !even_if_alive && alive(&h) => {
                return Err(Failure::Usage(format!(
                    "--force-unlock {}: the lock {} is alive (its holder renewed it {} s ago) — wait for that run to finish; if you know it is gone, add --even-if-alive; nothing was changed",
                    crate::report::trunc(id, 40),
                    describe(&h),
                    journal::now().saturating_sub(h.heartbeat)
                )));
            }
            Some(h) if h.id == id => {
                aws.drop_lock(id).await?;
                notes.push(format!("Removed the lock {}.", describe(&h)));
            }
            Some(h) => {
                return Err(Failure::Usage(format!(
                    "--force-unlock {id}: that is not this spec's lock, which is {} — pass its ID if that run is gone; nothing was changed",
                    describe(&h)
                )));
            }
            None => {
                return Err(Failure::Usage(format!(
                    "--force-unlock {id}: {} is not locked — drop --force-unlock; nothing was changed",
                    spec_path.display()
                )));
            }
        }
    }
    let mut tries = 0;
    loop {
        tries += 1;
        match aws.take_lock(&spec.vpc_id, name, &me).await? {
            Taken::Got(id) => {
                let beat = Some(keep_alive(aws, &id));
                return Ok(Lock {
                    _journal: file,
                    id,
                    notes,
                    beat,
                });
            }
            // Left by a run of this spec file on this host: it held this journal, which
            // is ours now, so it is gone.
            Taken::Held(h) if h.host == host && h.place == place && tries == 1 => {
                aws.drop_lock(&h.id).await?;
                notes.push(format!(
                    "Took over the lock {}: that run is no longer running.",
                    describe(&h)
                ));
            }
            Taken::Held(h) => {
                return Err(Failure::Usage(format!(
                    "the spec is locked: {} in {} — wait for that run to finish, or if it is gone pass --force-unlock {}; nothing was changed",
                    describe(&h),
                    spec.vpc_id,
                    crate::report::trunc(&h.id, 40)
                )));
            }
        }
    }
}

/// Give the lock back. A failure is for the caller to say, not fatal: the next run names
/// the lock to remove.
pub async fn release(aws: &Aws, mut lock: Lock) -> Result<(), String> {
    if let Some(b) = lock.beat.take() {
        b.abort();
    }
    aws.drop_lock(&lock.id).await.map_err(|e| {
        format!(
            "warning: could not release the state lock {}: {e} — the next run will name it; remove it with --force-unlock {}",
            lock.id, lock.id
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_dates() {
        assert_eq!(super::utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(super::utc(1_796_300_400), "2026-12-03 12:20:00 UTC");
        assert_eq!(super::utc(951_782_400), "2000-02-29 00:00:00 UTC");
    }

    /// Issue 27, 7 and 8: a lease renewed within three beats is alive; who holds a lock
    /// is one line of bounded length whatever its tags hold.
    #[test]
    fn a_lease_renewed_within_three_beats_is_alive() {
        use super::*;
        let h = |ago: u64| Holder {
            heartbeat: journal::now() - ago,
            ..Default::default()
        };
        assert!(alive(&h(0)));
        assert!(alive(&h(ALIVE - 5)));
        assert!(!alive(&h(ALIVE + 5)));
        let d = describe(&Holder {
            who: format!("me\n{}", "x".repeat(5000)),
            ..h(0)
        });
        assert!(!d.contains('\n') && d.chars().count() < 250, "{d}");
    }
}
