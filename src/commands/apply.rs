//! `apply` and `destroy`: preview, confirmation, then the engine with a journal next to
//! the spec. Nothing changes before the operator typed `yes` (or passed --auto-approve).

use super::{color, load_spec, notes, spec_path};
use crate::apply::{self as engine, printer};
use crate::cli::{ApplyArgs, Global};
use crate::ops::{self, Failure, Mode};
use crate::report;

pub async fn run(global: &Global, args: &ApplyArgs, mode: Mode) -> Result<u8, Failure> {
    let (cmd, verb) = (mode.command(), mode.verb());
    if global.read_only {
        return Err(Failure::Usage(format!(
            "--read-only forbids {cmd}: it changes the account — drop --read-only, or run `plan` to see what it would do"
        )));
    }
    let path = spec_path(global, cmd)?;
    let spec = load_spec(path)?;
    let records = ops::read_journal(path)?;
    let aws = ops::connect(global.aws_options(), Some(&spec)).await?;
    let inv = ops::read_account(&aws, Some(&spec), None, global.concurrency).await?;
    let color = color(global);
    let name = &spec.metadata.name;
    let plan = match mode {
        Mode::Destroy => ops::destroy_plan(&aws, &spec, &inv, &records).await?,
        Mode::Apply => match ops::prepare(&spec, &inv) {
            Ok(p) => {
                print!("{}", notes(&p));
                p.plan
            }
            Err(Failure::Blocked(errors)) => {
                println!("The spec cannot be applied: fix these first. Nothing was changed.\n");
                print!("{}", report::findings_text(&errors, color));
                return Ok(1);
            }
            Err(f) => return Err(f),
        },
    };
    if mode == Mode::Destroy && plan.actions.is_empty() {
        println!(
            "Nothing to destroy: no resource in {} carries the tag {}={name}.",
            spec.vpc_id,
            engine::PLAN_TAG
        );
    } else {
        print!("{}", crate::plan::render::text(&plan, color));
    }
    if plan.actions.is_empty() {
        ops::close_if_interrupted(path, &records, name, mode);
        return Ok(0);
    }
    if !args.auto_approve && !confirmed(mode, &spec) {
        println!("\n{verb} cancelled. Nothing was changed.");
        return Ok(1);
    }
    println!();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let print = |e: engine::Event| {
        if let Some(l) = printer::line(&e, verb) {
            println!("{l}");
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
    let summary = ops::execute(&aws, &plan, path, mode, &opts, &print, stop_rx).await;
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
    Ok(if summary.ok() { 0 } else { 1 })
}

/// Terraform's question: only `yes` approves.
fn confirmed(mode: Mode, spec: &crate::spec::Spec) -> bool {
    use std::io::Write;
    print!(
        "\nDo you want to perform these actions?\n  eks-private-tui will {} described above in {} ({}).\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ",
        match mode {
            Mode::Destroy => "destroy the resources",
            Mode::Apply => "perform the actions",
        },
        spec.vpc_id,
        spec.region
    );
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    answer.trim() == "yes"
}
