//! The headless commands: each parses nothing (clap did), calls the operations in
//! [`crate::ops`] and prints; one file per command. An exit code comes back: 0 done, 1
//! findings, a cancel or a failed step, 2 usage or AWS failure before anything changed.

mod apply;
mod check;
mod inventory;
mod plan;
mod spec_new;

use crate::cli::{Command, Global, SpecCommand};
use crate::ops::{self, Failure};
use crate::spec::Spec;
use std::path::Path;

/// Run a command other than the wizard.
pub async fn run(global: &Global, command: &Command) -> u8 {
    let result = match command {
        Command::Tui => unreachable!("the wizard is started by main"),
        Command::Inventory(args) => inventory::run(global, args).await,
        Command::Check(args) => check::run(global, args).await,
        Command::Plan(args) => plan::run(global, args).await,
        Command::Apply(args) => apply::run(global, args, ops::Mode::Apply).await,
        Command::Destroy(args) => apply::run(global, args, ops::Mode::Destroy).await,
        Command::Spec(SpecCommand::New {
            vpc,
            cluster,
            force,
        }) => spec_new::run(global, vpc, cluster.as_deref(), *force).await,
    };
    match result {
        Ok(code) => code,
        Err(Failure::Blocked(errors)) => {
            println!("Error findings block this: fix these first. Nothing was changed.\n");
            print!("{}", crate::report::findings_text(&errors, color(global)));
            1
        }
        Err(f) => {
            eprintln!("error: {f}");
            f.exit_code()
        }
    }
}

/// The spec file a command needs, or the line that says how to get one.
fn spec_path<'a>(global: &'a Global, cmd: &str) -> Result<&'a Path, Failure> {
    global.spec.as_deref().ok_or_else(|| {
        Failure::Usage(format!(
            "{cmd} needs --spec FILE — write one with `eks-private-tui spec new --vpc VPC --spec FILE`"
        ))
    })
}

/// Load a spec file; on failure say what is wrong.
fn load_spec(path: &Path) -> Result<Spec, Failure> {
    Spec::load(path).map_err(|e| {
        Failure::Usage(format!(
            "{e} — fix the spec file (docs/spec.md describes every field)"
        ))
    })
}

/// Colour on stdout: asked for, and stdout is a terminal.
fn color(global: &Global) -> bool {
    global.color() && std::io::IsTerminal::is_terminal(&std::io::stdout())
}

/// Warnings (and errors the plan fixes) printed above the plan.
fn notes(prepared: &ops::Prepared) -> String {
    let lines = prepared.notes();
    if lines.is_empty() {
        String::new()
    } else {
        lines.join("\n") + "\n\n"
    }
}
