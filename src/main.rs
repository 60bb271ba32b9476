use clap::Parser;
use eks_private_tui::aws::{self, DiscoverOptions};
use eks_private_tui::cli::{
    CheckArgs, CheckOutput, Cli, Command, Global, Output, PlanArgs, SpecCommand,
};
use eks_private_tui::spec::Spec;
use eks_private_tui::{report, rules, tui};
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
        Some(Command::Check(ref args)) => check(&cli.global, args).await,
        Some(Command::Plan(ref args)) => plan(&cli.global, args).await,
        Some(Command::Spec(SpecCommand::New {
            ref vpc,
            ref cluster,
            force,
        })) => spec_new(&cli.global, vpc, cluster.as_deref(), force).await,
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

/// `spec new`: a starter spec from the inventory of one VPC.
async fn spec_new(global: &Global, vpc: &str, cluster: Option<&str>, force: bool) -> ExitCode {
    if let Some(path) = &global.spec
        && path.exists()
        && !force
    {
        eprintln!(
            "error: {} exists — pass --force to overwrite it, or another --spec",
            path.display()
        );
        return ExitCode::from(2);
    }
    let inv = match read_account(global, None, Some(vpc.to_string())).await {
        Ok(i) => i,
        Err(code) => return code,
    };
    let text = match eks_private_tui::spec::starter::starter(&inv, vpc, cluster) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match &global.spec {
        None => print!("{text}"),
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                eprintln!(
                    "error: cannot write {}: {e} — pass a writable --spec path",
                    path.display()
                );
                return ExitCode::from(2);
            }
            eprintln!("wrote {}", path.display());
        }
    }
    ExitCode::SUCCESS
}

/// Load a spec file; on failure say what is wrong and exit 2.
fn load_spec(path: &std::path::Path) -> Result<Spec, ExitCode> {
    Spec::load(path).map_err(|e| {
        eprintln!("error: {e} — fix the spec file (docs/spec.md describes every field)");
        ExitCode::from(2)
    })
}

/// Read the account for `spec` (its region; reads limited to its VPC) or, without one,
/// for `vpc` (or the whole region). A `--region` that contradicts the spec is refused.
async fn read_account(
    global: &Global,
    spec: Option<&Spec>,
    vpc: Option<String>,
) -> Result<eks_private_tui::inventory::Inventory, ExitCode> {
    let mut opts = global.aws_options();
    if let Some(s) = spec {
        if let Some(r) = &opts.region
            && r != &s.region
        {
            eprintln!(
                "error: --region {r} but the spec is for {} — drop --region or use the spec's region",
                s.region
            );
            return Err(ExitCode::from(2));
        }
        opts.region = Some(s.region.clone());
    }
    let aws = aws::connect(&opts).await.map_err(|e| fail(&e))?;
    let vpc = spec.map(|s| s.vpc_id.clone()).or(vpc);
    let discover = DiscoverOptions {
        vpc,
        concurrency: global.concurrency,
    };
    aws::discover(&aws, &discover).await.map_err(|e| {
        if e.kind == aws::ErrorKind::NotFound && spec.is_some() {
            eprintln!("error: the spec's vpcId: {e}");
            ExitCode::from(2)
        } else {
            fail(&e)
        }
    })
}

/// `plan`: the rules first (error findings block), then the actions.
async fn plan(global: &Global, args: &PlanArgs) -> ExitCode {
    let Some(path) = &global.spec else {
        eprintln!(
            "error: plan needs --spec FILE — write one with `eks-private-tui spec new --vpc VPC --spec FILE`"
        );
        return ExitCode::from(2);
    };
    let spec = match load_spec(path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let inv = match read_account(global, Some(&spec), None).await {
        Ok(i) => i,
        Err(code) => return code,
    };
    let findings = rules::evaluate(&inv, Some(&spec), None, None);
    let color = global.color() && std::io::IsTerminal::is_terminal(&std::io::stdout());
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == rules::Severity::Error)
        .filter(|f| !eks_private_tui::plan::REMEDIES.contains(&f.id))
        .cloned()
        .collect();
    if !errors.is_empty() {
        match args.output {
            CheckOutput::Text => {
                println!("The spec cannot be planned: fix these first.\n");
                print!("{}", report::findings_text(&errors, color));
            }
            CheckOutput::Json => println!(
                "{}",
                serde_json::to_string_pretty(&report::findings_json(&errors)).expect("json")
            ),
        }
        return ExitCode::from(1);
    }
    let p = eks_private_tui::plan::plan(&spec, &inv);
    match args.output {
        CheckOutput::Text => {
            let notes: Vec<_> = findings
                .iter()
                .filter(|f| f.severity != rules::Severity::Info)
                .collect();
            for f in &notes {
                let (sym, tail) = if f.severity == rules::Severity::Error {
                    ("~", " (fixed by this plan)")
                } else {
                    ("!", "")
                };
                println!("{sym} {} {}: {}{tail}", f.id, f.subject, f.message);
            }
            if !notes.is_empty() {
                println!();
            }
            print!("{}", eks_private_tui::plan::render::text(&p, color));
        }
        CheckOutput::Json => println!(
            "{}",
            serde_json::to_string_pretty(&eks_private_tui::plan::render::json(&p)).expect("json")
        ),
    }
    ExitCode::SUCCESS
}

/// `check`: exit 0 without error findings, 1 with, 2 on usage or AWS failure.
async fn check(global: &Global, args: &CheckArgs) -> ExitCode {
    let spec = match global.spec.as_deref().map(load_spec).transpose() {
        Ok(s) => s,
        Err(code) => return code,
    };
    if let (Some(s), Some(v)) = (&spec, &args.vpc)
        && v != &s.vpc_id
    {
        eprintln!(
            "error: --vpc {v} but the spec is for {} — drop --vpc or use the spec's VPC",
            s.vpc_id
        );
        return ExitCode::from(2);
    }
    let vpc = spec.as_ref().map(|s| s.vpc_id.clone()).or(args.vpc.clone());
    let inv = match read_account(global, spec.as_ref(), args.vpc.clone()).await {
        Ok(i) => i,
        Err(code) => return code,
    };
    if let Some(c) = &args.cluster
        && !inv.clusters.iter().any(|x| &x.name == c)
    {
        eprintln!(
            "error: no cluster {c:?} in {}{} — `eks-private-tui inventory` lists the clusters",
            inv.region,
            vpc.as_deref()
                .map(|v| format!(" ({v})"))
                .unwrap_or_default()
        );
        return ExitCode::from(2);
    }
    let findings = rules::evaluate(&inv, spec.as_ref(), vpc.as_deref(), args.cluster.as_deref());
    match args.output {
        CheckOutput::Text => print!(
            "{}",
            report::findings_text(
                &findings,
                global.color() && std::io::IsTerminal::is_terminal(&std::io::stdout())
            )
        ),
        CheckOutput::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report::findings_json(&findings)).expect("json")
        ),
    }
    if rules::summary(&findings).0 > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
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
