//! The wizard. [`app`] is the model and its pure update; [`view`] draws it; this module is
//! the runtime: one `select!` over terminal events, effect answers and signals, a redraw
//! after each batch, and a 10 Hz tick only while something is in flight (SSM sessions pay
//! for every byte, so nothing redraws when idle).

pub mod app;
pub mod intent;
pub mod keys;
pub mod modals;
pub mod screens;
pub mod steps;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod widgets;

use crate::cli::Global;
use crate::error::AwsError;
use crate::ops::{self, spec_file};
use app::{Action, App, Context, Effect};
use futures::StreamExt;
use ratatui::crossterm::event::{Event, EventStream, KeyEventKind};
use std::time::Duration;
use tokio::sync::mpsc;

/// Run the wizard until the operator quits. Errors are terminal I/O failures only; AWS
/// failures are shown inside the TUI with a retry key. `Some((note, code))` when the
/// wizard left an apply unfinished ([`App::leave_note`]): the caller prints the note and
/// exits with the code.
pub async fn run(global: &Global) -> std::io::Result<Option<(String, u8)>> {
    let started = std::time::Instant::now();
    let spec_path = global.spec_path();
    let ctx = Context {
        profile: global
            .profile
            .clone()
            .or_else(|| std::env::var("AWS_PROFILE").ok())
            .filter(|p| !p.is_empty()),
        region: global
            .region
            .clone()
            .unwrap_or_else(|| "(from profile)".into()),
        endpoint_url: global
            .endpoint_url
            .clone()
            .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok()),
        read_only: global.read_only,
        color: global.color(),
    };
    // A bad key file is said before the terminal is taken over.
    let keys = keys::KeyMap::load().map_err(|e| {
        std::io::Error::other(format!(
            "{e} — fix the key file or remove it (docs/keys.md lists the keys)"
        ))
    })?;
    let (mut app, effects) = App::new(ctx, spec_path.clone(), spec_file::read(&spec_path));
    app.keys = keys;
    // An apply of this spec that did not finish is offered for resuming.
    if let Ok(records) = ops::read_journal(&spec_path)
        && let Some((_, _, mode, done)) = crate::apply::journal::interrupted(&records)
        && mode == "apply"
    {
        app.offer_resume(done.len());
    }
    let (tx, mut rx) = mpsc::unbounded_channel::<Action>();
    let runner = Runner {
        tx,
        global: global.clone(),
        focus: crate::aws::Focus::default(),
        stops: Default::default(),
    };

    let mut term = terminal::setup(global.colors())?;
    let result = async {
        let size = term.size()?;
        app.update(Action::Resize(size.width, size.height));
        runner.run(effects);
        term.draw(|f| view::draw(f, &app))?;
        tracing::info!(
            ms = started.elapsed().as_millis() as u64,
            "first frame drawn"
        );

        let mut events = EventStream::new();
        let mut ticker = tokio::time::interval(Duration::from_millis(100));
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut sigterm = signal(tokio::signal::unix::SignalKind::terminate());
        let mut sighup = signal(tokio::signal::unix::SignalKind::hangup());
        loop {
            let busy = app.busy();
            let action = tokio::select! {
                ev = events.next() => match ev {
                    Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => {
                        // Esc and a key arriving together are both (see keys::split_alt),
                        // but in a text field the shell's Alt chords are themselves.
                        let mut keys = app.keys_of(k);
                        let last = keys.pop().expect("one key at least");
                        for k in keys {
                            runner.run(app.update(Action::Key(k)));
                        }
                        Action::Key(last)
                    }
                    Some(Ok(Event::Resize(w, h))) => Action::Resize(w, h),
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => return Err(e),
                    None => Action::Terminate,
                },
                Some(a) = rx.recv() => a,
                _ = ticker.tick(), if busy => Action::Tick,
                _ = recv(&mut sigterm) => Action::Terminate,
                _ = recv(&mut sighup) => Action::Terminate,
            };
            let loaded = matches!(action, Action::InventoryLoaded { .. });
            let first_partial =
                matches!(action, Action::InventoryPartial { .. }) && app.inventory().is_none();
            runner.run(app.update(action));
            if first_partial {
                tracing::info!(ms = started.elapsed().as_millis() as u64, "VPC list shown");
            }
            if loaded {
                tracing::info!(
                    ms = started.elapsed().as_millis() as u64,
                    ok = app.inventory().is_some(),
                    "inventory answered"
                );
            }
            // Drain what else is already queued, then draw once.
            while let Ok(a) = rx.try_recv() {
                runner.run(app.update(a));
            }
            if app.quit {
                break;
            }
            let t0 = std::time::Instant::now();
            term.draw(|f| view::draw(f, &app))?;
            tracing::debug!(
                us = t0.elapsed().as_micros() as u64,
                step = ?app.screen.step(),
                "frame"
            );
        }
        Ok(())
    }
    .await;
    terminal::restore();
    result.map(|()| app.leave_note())
}

fn signal(kind: tokio::signal::unix::SignalKind) -> Option<tokio::signal::unix::Signal> {
    tokio::signal::unix::signal(kind).ok()
}

async fn recv(s: &mut Option<tokio::signal::unix::Signal>) {
    match s {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending().await,
    }
}

/// Runs effects in spawned tasks; each answers with an action.
struct Runner {
    tx: mpsc::UnboundedSender<Action>,
    global: Global,
    /// The VPC the running load reads next: the highlighted one.
    focus: crate::aws::Focus,
    /// The stop switch of each apply started, by request.
    stops: std::sync::Mutex<std::collections::HashMap<u64, tokio::sync::watch::Sender<bool>>>,
}

impl Runner {
    fn run(&self, effects: Vec<Effect>) {
        for e in effects {
            let tx = self.tx.clone();
            match e {
                Effect::LoadInventory {
                    request,
                    first,
                    region,
                } => {
                    let mut global = self.global.clone();
                    if region.is_some() {
                        global.region = region;
                    }
                    self.focus.set(first);
                    let first = self.focus.clone();
                    tokio::spawn(async move {
                        let partial = |inv| {
                            let _ = tx.send(Action::InventoryPartial {
                                request,
                                inv: std::sync::Arc::new(inv),
                            });
                        };
                        let result = load(&global, first, &partial)
                            .await
                            .map(std::sync::Arc::new);
                        let _ = tx.send(Action::InventoryLoaded { request, result });
                    });
                }
                Effect::FocusVpc(id) => self.focus.set(Some(id)),
                Effect::ReadSpec { request, path } => {
                    tokio::task::spawn_blocking(move || {
                        let result = spec_file::read(&path);
                        let _ = tx.send(Action::SpecRead { request, result });
                    });
                }
                Effect::SaveSpec {
                    request,
                    path,
                    yaml,
                    expect,
                } => {
                    tokio::task::spawn_blocking(move || {
                        let result = spec_file::save(&path, &yaml, expect);
                        let _ = tx.send(Action::Saved {
                            request,
                            path,
                            result,
                        });
                    });
                }
                Effect::Apply {
                    request,
                    path,
                    spec,
                    expected,
                } => {
                    let global = self.global.clone();
                    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
                    if let Ok(mut stops) = self.stops.lock() {
                        stops.insert(request, stop_tx);
                    }
                    tokio::spawn(async move {
                        if let Err(f) =
                            apply(&global, request, &path, &spec, &expected, &tx, stop_rx).await
                        {
                            let _ = tx.send(Action::ApplyAborted {
                                request,
                                message: f.to_string(),
                            });
                        }
                    });
                }
                Effect::Export {
                    request,
                    dir,
                    files,
                    force,
                } => {
                    tokio::task::spawn_blocking(move || {
                        let outcome = write_exports(&dir, &files, force);
                        let _ = tx.send(Action::Exported { request, outcome });
                    });
                }
                Effect::ReadInstanceType { region, name } => {
                    let mut global = self.global.clone();
                    global.region = Some(region.clone());
                    tokio::spawn(async move {
                        let result = read_instance_type(&global, &name).await;
                        let _ = tx.send(Action::InstanceTypeRead {
                            region,
                            name,
                            result,
                        });
                    });
                }
                Effect::StopApply { request } => {
                    if let Ok(stops) = self.stops.lock()
                        && let Some(s) = stops.get(&request)
                    {
                        let _ = s.send(true);
                    }
                }
                Effect::ClearFlashAfter { id, after } => {
                    tokio::spawn(async move {
                        tokio::time::sleep(after).await;
                        let _ = tx.send(Action::ClearFlash(id));
                    });
                }
            }
        }
    }
}

/// The wizard reads the whole region (the VPC list needs every VPC), showing what has
/// answered as it arrives; `first` is the VPC whose details are read next.
async fn load(
    global: &Global,
    first: crate::aws::Focus,
    partial: &(dyn Fn(crate::inventory::Inventory) + Sync),
) -> Result<crate::inventory::Inventory, AwsError> {
    let aws = ops::connect(global.aws_options(), None)
        .await
        .map_err(aws_error)?;
    ops::read_account_with(&aws, None, None, global.concurrency, first, partial)
        .await
        .map_err(aws_error)
}

/// One instance type, as EC2 describes it in the region (max pods, N6).
async fn read_instance_type(
    global: &Global,
    name: &str,
) -> Result<crate::inventory::InstanceType, AwsError> {
    let aws = ops::connect(global.aws_options(), None)
        .await
        .map_err(aws_error)?;
    aws.instance_types(&[name.to_string()])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            let mut e = AwsError::usage(format!("EC2 does not list {name}"), "");
            e.code = Some("InvalidInstanceType".into());
            e
        })
}

/// The export step's write: files that exist are listed (nothing written) unless `force`.
fn write_exports(
    dir: &std::path::Path,
    files: &[(crate::export::Format, crate::export::File)],
    force: bool,
) -> screens::export::Outcome {
    use screens::export::Outcome;
    if !force {
        let exist: Vec<std::path::PathBuf> = files
            .iter()
            .map(|(_, f)| dir.join(&f.name))
            .filter(|p| std::fs::symlink_metadata(p).is_ok())
            .collect();
        if !exist.is_empty() {
            return Outcome::Exist(exist);
        }
    }
    match ops::write_exports(dir, files, force) {
        Ok(paths) => Outcome::Written(paths),
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

fn aws_error(f: ops::Failure) -> AwsError {
    match f {
        ops::Failure::Aws(e) => e,
        other => AwsError::usage(other.to_string(), ""),
    }
}

/// Apply from the wizard, through the same operations as `apply --spec`: read the
/// account again, check the rules, and run the plan if it is still the one previewed;
/// the engine's events come back as actions.
async fn apply(
    global: &Global,
    request: u64,
    path: &std::path::Path,
    spec: &crate::spec::Spec,
    expected: &ops::Signature,
    tx: &mpsc::UnboundedSender<Action>,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Result<(), ops::Failure> {
    let mut opts = global.aws_options();
    // The wizard's spec is for the region it read.
    opts.region = Some(spec.region.clone());
    let aws = ops::connect(opts, Some(spec)).await?;
    // The state lock, as `apply --spec` takes it: held from the read to the last step.
    let lock = ops::lock::take(&aws, spec, path, ops::Mode::Apply, None, false).await?;
    for n in &lock.notes {
        tracing::info!("{n}");
    }
    let emit = |event| {
        let _ = tx.send(Action::ApplyEvent { request, event });
    };
    let result = apply_locked(global, path, spec, expected, &emit, &aws, stop).await;
    if let Err(w) = ops::lock::release(&aws, lock).await {
        tracing::warn!("{w}");
    }
    result
}

async fn apply_locked(
    global: &Global,
    path: &std::path::Path,
    spec: &crate::spec::Spec,
    expected: &ops::Signature,
    emit: &(dyn Fn(crate::apply::Event) + Sync),
    aws: &crate::aws::Aws,
    stop_rx: tokio::sync::watch::Receiver<bool>,
) -> Result<(), ops::Failure> {
    let inv = ops::read_account(aws, Some(spec), None, global.concurrency).await?;
    let prepared = ops::prepare(spec, &inv)?;
    ops::unchanged(&prepared.plan, expected)?;
    // Ctrl-C, then s: nothing new starts (Ctrl-C again, or q, leaves at once; the
    // journal resumes either way).
    ops::execute(
        aws,
        &prepared.plan,
        path,
        ops::Mode::Apply,
        &crate::apply::Options::default(),
        emit,
        stop_rx,
    )
    .await?;
    Ok(())
}
