use clap::Parser;
use eks_private_tui::cli::{Cli, Command};
use eks_private_tui::{commands, tui};
use std::process::ExitCode;

/// The stack of the thread the tool runs on: its own size, not what `ulimit -s` leaves the
/// main thread (issue 27, 9: `plan` under `ulimit -s 256`).
const STACK: usize = 64 << 20;

fn main() -> ExitCode {
    // First: whatever happens later, a panic restores the terminal before it prints.
    tui::terminal::install_panic_hook();
    match std::thread::Builder::new()
        .name("eks-private-tui".into())
        .stack_size(STACK)
        .spawn(run)
    {
        // A panic has printed (the hook) and restored the terminal: exit as a panic does.
        Ok(h) => h.join().unwrap_or(ExitCode::from(101)),
        Err(e) => {
            eprintln!("error: cannot start: {e} — the system refused a thread (ulimit -u, memory)");
            ExitCode::from(2)
        }
    }
}

fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // A value none of an option's: one line naming them (as every bad input gets).
        Err(e) => match eks_private_tui::cli::invalid_value(&e) {
            Some(line) => {
                eprintln!("error: {line}");
                return ExitCode::from(2);
            }
            None => e.exit(),
        },
    };
    if let Err(e) =
        eks_private_tui::logging::init(cli.global.log_file.as_deref(), cli.global.spec.as_deref())
    {
        eprintln!("error: cannot open the log file: {e} — pass a writable path to --log-file");
        return ExitCode::from(2);
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(8 << 20)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let code = rt.block_on(async {
        // A write past the file-size limit fails with EFBIG, which is reported, instead of
        // SIGXFSZ ending the process without a word (issue 27, 5). Once a handler is
        // registered it stays for the life of the process.
        #[cfg(unix)]
        let _ =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::from_raw(libc::SIGXFSZ));
        match &cli.command {
            None | Some(Command::Tui) => match tui::run(&cli.global).await {
                Ok(None) => 0,
                Ok(Some((note, code))) => {
                    eprintln!("{note}");
                    code
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    2
                }
            },
            Some(command) => commands::run(&cli.global, command).await,
        }
    });
    eks_private_tui::ops::write_calls_made();
    ExitCode::from(code)
}
