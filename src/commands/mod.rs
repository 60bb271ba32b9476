//! The headless commands: each parses nothing (clap did), calls the operations in
//! [`crate::ops`] and prints; one file per command. An exit code comes back: 0 done, 1
//! findings, a cancel or a failed step, 2 usage or AWS failure before anything changed.

mod apply;
mod check;
mod export;
mod inventory;
mod max_pods;
mod plan;
mod spec_new;

use crate::cli::{Command, Global, SpecCommand};
use crate::ops::{self, Failure};
use crate::report::{Term, term};
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
        Command::Export(args) => export::run(global, args).await,
        Command::MaxPods(args) => max_pods::run(global, args).await,
        Command::Spec(SpecCommand::New {
            vpc,
            cluster,
            force,
            endpoint_access,
            allow_https,
            dns,
        }) => {
            let extra = crate::spec::starter::Extras {
                access: match (endpoint_access, allow_https.is_empty()) {
                    (Some(crate::cli::AccessChoice::Private), _) => {
                        Some(crate::spec::starter::Access::Private)
                    }
                    (Some(crate::cli::AccessChoice::Both), _) | (None, false) => {
                        Some(crate::spec::starter::Access::Both)
                    }
                    (None, true) => None,
                },
                allow_https: allow_https.clone(),
                dns: *dns,
            };
            spec_new::run(global, vpc, cluster.as_deref(), *force, &extra).await
        }
    };
    match result {
        Ok(code) => code,
        Err(Failure::Blocked(errors)) => {
            say(
                global,
                &format!(
                    "Error findings block this: fix these first. Nothing was changed.\n\n{}",
                    crate::report::findings_text(&errors, color(global))
                ),
            );
            1
        }
        Err(f) => {
            say_err(&format!("error: {f}\n"));
            f.exit_code()
        }
    }
}

/// Write text to stdout, escaped for the terminal ([`term`]: what comes from a spec or
/// from AWS shows, never acts). A closed pipe (`| head -1`) ends the process quietly; any
/// other failure (a full device, a file-size limit) is said on stderr and exits 2: output
/// that did not arrive whole is never a success (issue 27, 5).
fn write_out(text: &str, mode: Term) {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    match o
        .write_all(term(text, mode).as_bytes())
        .and_then(|_| o.flush())
    {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            say_err(&format!(
                "error: the output could not be written whole to stdout: {e} — write it somewhere with room (a file on another device, or --out DIR)\n"
            ));
            std::process::exit(2);
        }
    }
}

/// Text for the operator on stdout (coloured when [`color`] says so).
fn say(global: &Global, text: &str) {
    write_out(
        text,
        Term::Text {
            color: color(global),
        },
    );
}

/// Text without colour on stdout.
fn say_plain(text: &str) {
    write_out(text, Term::Text { color: false });
}

/// JSON or YAML for a program on stdout.
fn say_data(text: &str) {
    write_out(text, Term::Json);
}

/// A line on stderr, escaped likewise.
fn say_err(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().write_all(term(text, Term::Text { color: false }).as_bytes());
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
    if crate::files::world_writable(path) {
        say_err(&format!(
            "warning: any user of this machine may write {}, and so decide what apply does — chmod o-w it\n",
            path.display()
        ));
    }
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
