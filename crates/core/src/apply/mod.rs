//! The apply engine: runs a [`Plan`]'s actions in dependency order with bounded
//! concurrency, records every step in a [`journal::Journal`], and reports [`Event`]s that
//! the headless printer and the TUI progress screen both consume.
//!
//! On a failure it launches nothing new and lets running steps finish. What makes a rerun
//! safe is, in order: the plan itself (re-read from the account, it adopts what exists),
//! the tags on everything created (`eks-private-tui:plan`, `eks-private-tui:address`,
//! `Name`), and idempotency tokens derived from the plan name, the address and the run's
//! epoch (kept in the journal, so a resumed run sends the same tokens): rule X1. Each step
//! waits for its resource's state before the next may use it (rule X2, `aws::wait`).
//!
//! The engine never touches the SDK: a [`Backend`] (the `aws` module's, or a test's) makes
//! the calls.

pub mod journal;
pub mod printer;

use crate::error::AwsError;
use crate::plan::{Action, Change, Op, Plan, Ref, Targets};
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use journal::{Journal, Record};
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::time::Duration;

pub use crate::spec::{ADDRESS_TAG, PLAN_TAG, VPC_TAG};

/// What a backend gets for one step besides the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub address: String,
    /// Idempotency token (ClientToken, CreatorRequestId, clientRequestToken).
    pub token: String,
    /// Tags for what the step creates: the plan tag, the address tag and `Name`.
    pub tags: Vec<(String, String)>,
    /// It uses an ID an earlier step of this run made (AWS may not know it yet).
    pub fresh: bool,
}

/// Makes the calls: one mutating call per change, then waits for the resource's state.
/// Returns the ID of what it created or changed.
pub trait Backend: Sync {
    fn execute(
        &self,
        change: &Change,
        step: &Step,
    ) -> impl Future<Output = Result<String, AwsError>> + Send;
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The run starts with `total` steps; `resumed`: it continues an interrupted run,
    /// which finished that many steps.
    Begin {
        total: usize,
        resumed: Option<usize>,
        journal: String,
    },
    Started {
        address: String,
        op: Op,
    },
    /// Emitted every `tick` while a step runs.
    StillRunning {
        address: String,
        op: Op,
        elapsed: Duration,
    },
    Done {
        address: String,
        op: Op,
        id: String,
        elapsed: Duration,
    },
    Failed {
        address: String,
        op: Op,
        error: AwsError,
    },
    Finished(Summary),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub added: usize,
    pub changed: usize,
    pub destroyed: usize,
    /// Done in an earlier, interrupted run.
    pub resumed: usize,
    pub failed: Vec<(String, AwsError)>,
    /// Never launched: a failure stopped the run, or what they need failed.
    pub not_started: Vec<String>,
    pub interrupted: bool,
    pub journal: String,
    pub wall: Duration,
}

impl Summary {
    pub fn ok(&self) -> bool {
        self.failed.is_empty() && self.not_started.is_empty() && !self.interrupted
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Steps in flight at once.
    pub parallelism: usize,
    /// How often a running step reports "still running".
    pub tick: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            parallelism: 8,
            tick: Duration::from_secs(10),
        }
    }
}

/// FNV-1a, 64 bits, with a seed: stable across builds and platforms (tokens must be).
pub fn fnv64(s: &str, seed: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The idempotency token of one step: 36 characters, valid for EC2 (≤ 64 ASCII), Route 53
/// Resolver and EKS.
pub fn token(plan: &str, address: &str, epoch: &str) -> String {
    let key = format!("{plan}\u{0}{address}\u{0}{epoch}");
    format!(
        "ept-{:016x}{:016x}",
        fnv64(&key, 0),
        fnv64(&key, 0x9e37_79b9)
    )
}

/// The `Name` tag of what an action creates.
/// The tags of what `a` creates: the plan's name, the action's address, a Name, and the
/// spec's VPC (apply puts them on; the CloudFormation export too).
pub fn resource_tags(plan: &Plan, a: &Action) -> Vec<(String, String)> {
    [
        (PLAN_TAG.into(), plan.name.clone()),
        (ADDRESS_TAG.into(), a.address.clone()),
        ("Name".into(), name_of(&plan.name, a)),
    ]
    .into_iter()
    .chain((!plan.vpc_id.is_empty()).then(|| (VPC_TAG.into(), plan.vpc_id.clone())))
    .collect()
}

fn name_of(plan: &str, a: &Action) -> String {
    match &a.change {
        Change::CreateSecurityGroup { name, .. }
        | Change::CreateSubnet { name, .. }
        | Change::CreateInterfaceEndpoint { name, .. }
        | Change::CreateGatewayEndpoint { name, .. }
        | Change::CreateResolverEndpoint { name, .. }
        | Change::CreateResolverRule { name, .. } => name.clone(),
        _ => format!("{plan}-{}", a.address),
    }
}

/// Replace `Ref::Output`s by the IDs the named actions produced.
fn resolve(change: &Change, outputs: &BTreeMap<String, String>) -> Result<Change, String> {
    let r = |x: &Ref| -> Result<Ref, String> {
        match x {
            Ref::Id(_) => Ok(x.clone()),
            Ref::Output(a) => outputs
                .get(a)
                .map(|id| Ref::Id(id.clone()))
                .ok_or_else(|| format!("{a} produced no ID")),
        }
    };
    let mut c = change.clone();
    match &mut c {
        Change::AuthorizeIngress { group, .. } => *group = r(group)?,
        Change::AssociateRouteTable { subnet, .. } => *subnet = r(subnet)?,
        Change::CreateInterfaceEndpoint { security_group, .. }
        | Change::CreateResolverEndpoint { security_group, .. } => {
            *security_group = r(security_group)?
        }
        Change::CreateResolverRule {
            targets, endpoint, ..
        } => {
            *endpoint = r(endpoint)?;
            if let Targets::EndpointIps(t) = targets {
                *t = r(t)?;
            }
        }
        Change::AssociateResolverRule { rule, .. } => *rule = r(rule)?,
        _ => {}
    }
    Ok(c)
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::Create => "create",
        Op::Update => "update",
        Op::Delete => "delete",
        Op::Replace => "replace",
    }
}

/// Before a step's call, in the journal: the value before (a crash after the call still
/// leaves destroy what to restore), then that the step started.
fn journal_start(journal: &mut Journal, a: &Action) -> Result<(), journal::JournalError> {
    if let Some(u) = &a.undo {
        journal.write(&Record::Changed {
            at: journal::now(),
            address: a.address.clone(),
            undo: u.clone(),
        })?;
    }
    journal.write(&Record::Start {
        at: journal::now(),
        address: a.address.clone(),
        op: op_name(a.op).into(),
    })
}

/// A step's call, reporting that it is still running every `tick`: the action, what the
/// call answered, and how long it took.
async fn call<'a, B: Backend>(
    backend: &B,
    change: Change,
    step: Step,
    a: &'a Action,
    tick: Duration,
    emit: &(dyn Fn(Event) + Sync),
) -> (&'a Action, Result<String, AwsError>, Duration) {
    let t0 = tokio::time::Instant::now();
    let call = backend.execute(&change, &step);
    tokio::pin!(call);
    let mut ticker = tokio::time::interval_at(t0 + tick, tick);
    let result = loop {
        tokio::select! {
            r = &mut call => break r,
            _ = ticker.tick() => {
                emit(Event::StillRunning {
                    address: a.address.clone(),
                    op: a.op,
                    elapsed: t0.elapsed(),
                });
            }
        }
    };
    (a, result, t0.elapsed())
}

/// A reference the plan's order should have made known was not: a bug, said as one.
fn unresolved(a: &Action, why: &str) -> AwsError {
    AwsError::usage(
        format!("{}: {why}", a.address),
        "this is a bug in the plan's dependencies; please report it",
    )
}

/// A step failed: in the journal, with AWS's error.
fn record_failed(journal: &mut Journal, a: &Action, error: &AwsError) {
    let _ = journal.write(&Record::Failed {
        at: journal::now(),
        address: a.address.clone(),
        op: op_name(a.op).into(),
        error: error.to_string(),
    });
}

/// A step done: in the journal (its ID, how long it took) and in the summary's counts.
fn record_done(
    journal: &mut Journal,
    summary: &mut Summary,
    a: &Action,
    id: &str,
    elapsed: Duration,
) {
    let _ = journal.write(&Record::Done {
        at: journal::now(),
        address: a.address.clone(),
        op: op_name(a.op).into(),
        kind: a.kind.into(),
        id: id.to_string(),
        millis: elapsed.as_millis() as u64,
    });
    match a.op {
        Op::Create => summary.added += 1,
        Op::Update => summary.changed += 1,
        Op::Delete => summary.destroyed += 1,
        Op::Replace => {
            summary.added += 1;
            summary.destroyed += 1
        }
    }
}

/// Run `plan` against `backend`, handing each event to `emit` as it happens (the headless
/// printer prints it, the wizard turns it into an action).
/// `stop` turning true (Ctrl-C) launches nothing new; running steps finish.
pub async fn run<B: Backend>(
    plan: &Plan,
    backend: &B,
    journal: &mut Journal,
    opts: &Options,
    emit: &(dyn Fn(Event) + Sync),
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> Summary {
    let started = tokio::time::Instant::now();
    let mut outputs: BTreeMap<String, String> = plan.adopted.iter().cloned().collect();
    let resumed = journal.resumed.clone().unwrap_or_default();
    let mut summary = Summary {
        journal: journal.path().display().to_string(),
        ..Default::default()
    };
    // What an interrupted run finished is counted, and its outputs are known.
    for (addr, id) in &resumed {
        outputs.entry(addr.clone()).or_insert_with(|| id.clone());
    }
    summary.resumed = resumed.len();
    emit(Event::Begin {
        total: plan.actions.len(),
        resumed: journal.resumed.as_ref().map(|r| r.len()),
        journal: summary.journal.clone(),
    });

    let in_plan: BTreeSet<&str> = plan.actions.iter().map(|a| a.address.as_str()).collect();
    let needs = |a: &Action| -> Vec<String> {
        let mut d: BTreeSet<String> = a.depends_on.iter().cloned().collect();
        d.extend(a.change.refs().into_iter().map(str::to_string));
        d.into_iter()
            .filter(|x| in_plan.contains(x.as_str()))
            .collect()
    };
    let mut pending: Vec<&Action> = plan.actions.iter().collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut failed: BTreeSet<String> = BTreeSet::new();
    let mut running = FuturesUnordered::new();
    let mut halted = false;
    let mut stop_open = true;

    loop {
        if *stop.borrow() && !halted {
            halted = true;
            summary.interrupted = true;
        }
        // Launch what is ready, up to the bound.
        if !halted {
            let mut i = 0;
            while i < pending.len() && running.len() < opts.parallelism.max(1) {
                let a = pending[i];
                let deps = needs(a);
                if deps.iter().all(|d| done.contains(d)) {
                    pending.remove(i);
                    let change = match resolve(&a.change, &outputs) {
                        Ok(c) => c,
                        Err(why) => {
                            let error = unresolved(a, &why);
                            failed.insert(a.address.clone());
                            emit(Event::Failed {
                                address: a.address.clone(),
                                op: a.op,
                                error: error.clone(),
                            });
                            summary.failed.push((a.address.clone(), error));
                            halted = true;
                            break;
                        }
                    };
                    let step = Step {
                        address: a.address.clone(),
                        token: token(&plan.name, &a.address, &journal.epoch),
                        tags: resource_tags(plan, a),
                        fresh: !a.change.refs().is_empty(),
                    };
                    if let Err(e) = journal_start(journal, a) {
                        let error = AwsError::usage(e.0, "");
                        summary.failed.push((a.address.clone(), error));
                        halted = true;
                        break;
                    }
                    emit(Event::Started {
                        address: a.address.clone(),
                        op: a.op,
                    });
                    running.push(call(backend, change, step, a, opts.tick, emit));
                } else if deps.iter().any(|d| failed.contains(d)) {
                    // What it needs failed: it never runs.
                    failed.insert(pending.remove(i).address.clone());
                    summary.not_started.push(a.address.clone());
                } else {
                    i += 1;
                }
            }
        }
        if running.is_empty() {
            break;
        }
        let finished = tokio::select! {
            f = running.next() => f,
            r = stop.changed(), if !halted && stop_open => {
                stop_open = r.is_ok();
                continue;
            }
        };
        let Some((a, result, elapsed)) = finished else {
            break;
        };
        match result {
            Ok(id) => {
                record_done(journal, &mut summary, a, &id, elapsed);
                outputs.insert(a.address.clone(), id.clone());
                done.insert(a.address.clone());
                emit(Event::Done {
                    address: a.address.clone(),
                    op: a.op,
                    id,
                    elapsed,
                });
            }
            Err(error) => {
                record_failed(journal, a, &error);
                failed.insert(a.address.clone());
                halted = true;
                emit(Event::Failed {
                    address: a.address.clone(),
                    op: a.op,
                    error: error.clone(),
                });
                summary.failed.push((a.address.clone(), error));
            }
        }
    }
    for a in pending {
        if !summary.not_started.contains(&a.address) {
            summary.not_started.push(a.address.clone());
        }
    }
    summary.wall = started.elapsed();
    if summary.ok() {
        let _ = journal.write(&Record::End {
            at: journal::now(),
            ok: true,
        });
    }
    emit(Event::Finished(summary.clone()));
    summary
}

#[cfg(test)]
mod tests;
