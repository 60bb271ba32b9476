use clap::Parser;
use eks_private_tui::cli::{Cli, Command};
use eks_private_tui::{commands, tui};
use std::process::ExitCode;

fn main() -> ExitCode {
    // First: whatever happens later, a panic restores the terminal before it prints.
    tui::terminal::install_panic_hook();
    let cli = Cli::parse();
    if let Err(e) =
        eks_private_tui::logging::init(cli.global.log_file.as_deref(), cli.global.spec.as_deref())
    {
        eprintln!("error: cannot open the log file: {e} — pass a writable path to --log-file");
        return ExitCode::from(2);
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
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
