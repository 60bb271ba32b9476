//! `apply` and `destroy`: preview, confirmation, then the engine with a journal next to
//! the spec. Nothing changes before the operator typed `yes` (or passed --auto-approve).

use super::{color, load_spec, notes, say, say_err, spec_path};
use crate::apply::{self as engine, printer};
use crate::cli::{ApplyArgs, Global};
use crate::ops::{self, Failure, Mode};
use crate::report;

pub async fn run(global: &Global, args: &ApplyArgs, mode: Mode) -> Result<u8, Failure> {
    let cmd = mode.command();
    if global.read_only {
        return Err(Failure::Usage(format!(
            "--read-only forbids {cmd}: it changes the account — drop --read-only, or run `plan` to see what it would do"
        )));
    }
    let path = spec_path(global, cmd)?;
    let spec = load_spec(path)?;
    let aws = ops::connect(global.aws_options(), Some(&spec)).await?;
    // One run at a time per spec, on any machine: held from the read to the last step.
    let lock = ops::lock::take(
        &aws,
        &spec,
        path,
        mode,
        args.force_unlock.as_deref(),
        args.even_if_alive,
    )
    .await?;
    for n in &lock.notes {
        say(global, &format!("{n}\n"));
    }
    let code = locked(global, args, mode, path, &spec, &aws).await;
    if let Err(w) = ops::lock::release(&aws, lock).await {
        say_err(&format!("{w}\n"));
    }
    code
}

/// The run, with the lock held.
async fn locked(
    global: &Global,
    args: &ApplyArgs,
    mode: Mode,
    path: &std::path::Path,
    spec: &crate::spec::Spec,
    aws: &crate::aws::Aws,
) -> Result<u8, Failure> {
    let verb = mode.verb();
    let records = ops::read_journal(path)?;
    let inv = ops::read_account(aws, Some(spec), None, global.concurrency).await?;
    let color = color(global);
    let name = &spec.metadata.name;
    let plan = match mode {
        Mode::Destroy => {
            let (plan, left) = ops::destroy_plan(aws, spec, &inv, &records).await?;
            for l in &left {
                say(global, &format!("Left in place: {l}\n\n"));
            }
            plan
        }
        Mode::Apply => match ops::prepare(spec, &inv) {
            Ok(p) => {
                say(global, &notes(&p));
                p.plan
            }
            Err(Failure::Blocked(errors)) => {
                say(
                    global,
                    &format!(
                        "The spec cannot be applied: fix these first. Nothing was changed.\n\n{}",
                        report::findings_text(&errors, color)
                    ),
                );
                return Ok(1);
            }
            Err(f) => return Err(f),
        },
    };
    if mode == Mode::Destroy && plan.actions.is_empty() {
        say(
            global,
            &format!(
                "Nothing to destroy: no resource in {} carries the tag {}={name}.\n",
                spec.vpc_id,
                engine::PLAN_TAG
            ),
        );
    } else {
        say(global, &crate::plan::render::text(&plan, color));
    }
    if plan.actions.is_empty() {
        ops::close_if_interrupted(path, &records, name, mode);
        return Ok(0);
    }
    if !args.auto_approve && !confirmed(mode, spec) {
        say(
            global,
            &format!("\n{verb} cancelled. Nothing was changed.\n"),
        );
        return Ok(1);
    }
    say(global, "\n");
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let print = |e: engine::Event| {
        if let Some(l) = printer::line(&e, verb) {
            say(global, &format!("{l}\n"));
        }
    };
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!(
                "\nStopping: running steps finish, nothing new starts. Ctrl-C again quits at once (the journal allows resuming either way)."
            );
            let _ = stop_tx.send(true);
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
    let opts = engine::Options {
        parallelism: usize::from(args.parallelism),
        ..Default::default()
    };
    let summary = ops::execute(aws, &plan, path, mode, &opts, &print, stop_rx).await;
    ctrl_c.abort();
    let summary = summary?;
    if std::env::var_os("EKS_PRIVATE_TUI_STATS").is_some() {
        eprintln!(
            "stats: {} mutating calls for {} actions, {} AWS calls, {} ms",
            aws.mutating_calls(),
            plan.actions.len(),
            aws.calls(),
            summary.wall.as_millis()
        );
    }
    if summary.ok() && mode == Mode::Apply {
        say(global, &next_steps_text(spec, &inv));
    }
    Ok(if summary.ok() { 0 } else { 1 })
}

/// What is left outside this tool, with the export that carries each (as the wizard's
/// apply screen shows it).
pub fn next_steps_text(spec: &crate::spec::Spec, inv: &crate::inventory::Inventory) -> String {
    let steps = crate::export::next_steps(spec, inv);
    if steps.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nNext steps, outside this tool:\n");
    for (i, n) in steps.iter().enumerate() {
        out.push_str(&format!("  {}. {}", i + 1, n.what));
        if let Some(f) = n.export {
            out.push_str(&format!(" (export --format {})", f.name()));
        }
        out.push('\n');
    }
    out
}

/// Terraform's question: only `yes` approves.
fn confirmed(mode: Mode, spec: &crate::spec::Spec) -> bool {
    use std::io::Write;
    super::say_plain(&format!(
        "\nDo you want to perform these actions?\n  eks-private-tui will {} described above in {} ({}).\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ",
        match mode {
            Mode::Destroy => "destroy the resources",
            Mode::Apply => "perform the actions",
        },
        spec.vpc_id,
        spec.region
    ));
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    answer.trim() == "yes"
}
