use clap::Parser;
use eks_private_tui::aws::{self, DiscoverOptions};
use eks_private_tui::cli::{Cli, Command, Output};
use eks_private_tui::{report, tui};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    // First: whatever happens later, a panic restores the terminal before it prints.
    tui::terminal::install_panic_hook();
    let cli = Cli::parse();
    if let Err(e) = init_logging(cli.global.log_file.as_deref()) {
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
    rt.block_on(run(cli))
}

async fn run(cli: Cli) -> ExitCode {
    match cli.command {
        None | Some(Command::Tui) => tui_main(&cli.global).await,
        Some(Command::Inventory(ref args)) => {
            let started = Instant::now();
            let aws = match aws::connect(&cli.global.aws_options()).await {
                Ok(a) => a,
                Err(e) => return fail(&e),
            };
            let opts = DiscoverOptions {
                vpc: args.vpc.clone(),
                concurrency: cli.global.concurrency,
            };
            let inv = match aws::discover(&aws, &opts).await {
                Ok(i) => i,
                Err(e) => return fail(&e),
            };
            let text = match args.output {
                Output::Text => report::inventory_text(&inv),
                Output::Json => {
                    serde_json::to_string_pretty(&inv).expect("inventory serializes") + "\n"
                }
                Output::Yaml => serde_yaml::to_string(&inv).expect("inventory serializes"),
            };
            print!("{text}");
            if args.stats {
                eprintln!(
                    "stats: {} AWS calls in {} ms ({} VPCs, {} subnets)",
                    aws.calls(),
                    started.elapsed().as_millis(),
                    inv.vpcs.len(),
                    inv.vpcs.iter().map(|v| v.subnets.len()).sum::<usize>()
                );
            }
            ExitCode::SUCCESS
        }
    }
}

async fn tui_main(global: &eks_private_tui::cli::Global) -> ExitCode {
    match tui::run(global).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn fail(e: &aws::AwsError) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(2)
}

fn init_logging(path: Option<&std::path::Path>) -> std::io::Result<()> {
    let Some(path) = path else { return Ok(()) };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .init();
    Ok(())
}
