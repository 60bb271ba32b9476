use clap::Parser;
use eks_private_tui::aws::{self, DiscoverOptions};
use eks_private_tui::cli::{
    ApplyArgs, CheckArgs, CheckOutput, Cli, Command, Global, Output, PlanArgs, SpecCommand,
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
        Some(Command::Apply(ref args)) => apply(&cli.global, args, false).await,
        Some(Command::Destroy(ref args)) => apply(&cli.global, args, true).await,
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
    let aws = connect_for(global, spec).await?;
    discover_for(global, &aws, spec, vpc).await
}

async fn discover_for(
    global: &Global,
    aws: &aws::Aws,
    spec: Option<&Spec>,
    vpc: Option<String>,
) -> Result<eks_private_tui::inventory::Inventory, ExitCode> {
    let vpc = spec.map(|s| s.vpc_id.clone()).or(vpc);
    let discover = DiscoverOptions {
        vpc,
        concurrency: global.concurrency,
    };
    aws::discover(aws, &discover).await.map_err(|e| {
        if e.kind == aws::ErrorKind::NotFound && spec.is_some() {
            eprintln!("error: the spec's vpcId: {e}");
            ExitCode::from(2)
        } else {
            fail(&e)
        }
    })
}

/// Clients for the spec's region (or the configured one).
async fn connect_for(global: &Global, spec: Option<&Spec>) -> Result<aws::Aws, ExitCode> {
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
    aws::connect(&opts).await.map_err(|e| fail(&e))
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
    let errors = report::blocking(&findings);
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
            print!("{}", notes(&findings));
            print!("{}", eks_private_tui::plan::render::text(&p, color));
        }
        CheckOutput::Json => println!(
            "{}",
            serde_json::to_string_pretty(&eks_private_tui::plan::render::json(&p)).expect("json")
        ),
    }
    ExitCode::SUCCESS
}

/// Warnings (and errors the plan fixes) printed above the plan.
fn notes(findings: &[rules::Finding]) -> String {
    let lines = report::plan_notes(findings);
    if lines.is_empty() {
        String::new()
    } else {
        lines.join("\n") + "\n\n"
    }
}

/// `apply` and `destroy`: preview, confirmation, then the engine with a journal next to
/// the spec. Nothing changes before the operator typed `yes` (or passed --auto-approve).
async fn apply(global: &Global, args: &ApplyArgs, destroy: bool) -> ExitCode {
    use eks_private_tui::apply::{self as engine, journal, printer};
    use eks_private_tui::plan::{Deletable, destroy::Created};
    let (cmd, verb) = if destroy {
        ("destroy", "Destroy")
    } else {
        ("apply", "Apply")
    };
    if global.read_only {
        eprintln!(
            "error: --read-only forbids {cmd}: it changes the account — drop --read-only, or run `plan` to see what it would do"
        );
        return ExitCode::from(2);
    }
    let Some(path) = &global.spec else {
        eprintln!(
            "error: {cmd} needs --spec FILE — write one with `eks-private-tui spec new --vpc VPC --spec FILE`"
        );
        return ExitCode::from(2);
    };
    let spec = match load_spec(path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let journal_path = journal::path_for(path);
    let records = match journal::read(&journal_path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let aws = match connect_for(global, Some(&spec)).await {
        Ok(a) => a,
        Err(code) => return code,
    };
    let inv = match discover_for(global, &aws, Some(&spec), None).await {
        Ok(i) => i,
        Err(code) => return code,
    };
    let color = global.color() && std::io::IsTerminal::is_terminal(&std::io::stdout());
    let name = &spec.metadata.name;
    let plan = if destroy {
        let mut vpcs = vec![spec.vpc_id.clone()];
        if let Some(o) = spec.dns.as_ref().and_then(|d| d.outbound_endpoint.as_ref()) {
            vpcs.push(o.vpc_id.clone());
        }
        let mut created = match aws.created_by(name, &vpcs).await {
            Ok(c) => c,
            Err(e) => return fail(&e),
        };
        // A CIDR association takes no tag: the journal says which one apply made.
        for (address, (kind, id)) in journal::created(&records) {
            if kind != "vpc_cidr_association" {
                continue;
            }
            if let Some(c) = inv.vpc(&spec.vpc_id).and_then(|v| {
                v.cidrs
                    .iter()
                    .find(|c| c.association_id == id && c.state == "associated")
            }) {
                created.push(Created {
                    what: Deletable::VpcCidrAssociation,
                    id,
                    parent: Some(spec.vpc_id.clone()),
                    address,
                    name: c.cidr.clone(),
                });
            }
        }
        eks_private_tui::plan::destroy::destroy(name, &spec.region, &created)
    } else {
        let findings = rules::evaluate(&inv, Some(&spec), None, None);
        let errors = report::blocking(&findings);
        if !errors.is_empty() {
            println!("The spec cannot be applied: fix these first. Nothing was changed.\n");
            print!("{}", report::findings_text(&errors, color));
            return ExitCode::from(1);
        }
        print!("{}", notes(&findings));
        eks_private_tui::plan::plan(&spec, &inv)
    };
    if destroy && plan.actions.is_empty() {
        println!(
            "Nothing to destroy: no resource in {} carries the tag {}={name}.",
            spec.vpc_id,
            engine::PLAN_TAG
        );
    } else {
        print!("{}", eks_private_tui::plan::render::text(&plan, color));
    }
    let interrupted = journal::interrupted(&records).is_some();
    if plan.actions.is_empty() {
        if interrupted {
            // An interrupted run whose every step is in the account now: close it.
            if let Ok(mut j) = journal::Journal::open(&journal_path, name, cmd, 0) {
                let _ = j.write(&journal::Record::End {
                    at: journal::now(),
                    ok: true,
                });
            }
        }
        return ExitCode::SUCCESS;
    }
    if !args.auto_approve {
        use std::io::Write;
        print!(
            "\nDo you want to perform these actions?\n  eks-private-tui will {} described above in {} ({}).\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ",
            if destroy {
                "destroy the resources"
            } else {
                "perform the actions"
            },
            spec.vpc_id,
            spec.region
        );
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        if answer.trim() != "yes" {
            println!("\n{verb} cancelled. Nothing was changed.");
            return ExitCode::from(1);
        }
    }
    println!();
    let mut journal = match journal::Journal::open(&journal_path, name, cmd, plan.actions.len()) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
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
    let summary = engine::run(&plan, &aws, &mut journal, &opts, &print, stop_rx).await;
    ctrl_c.abort();
    tracing::info!(
        mutating_calls = aws.mutating_calls(),
        actions = plan.actions.len(),
        wall_ms = summary.wall.as_millis() as u64,
        "{cmd} finished"
    );
    if std::env::var_os("EKS_PRIVATE_TUI_STATS").is_some() {
        eprintln!(
            "stats: {} mutating calls for {} actions, {} AWS calls, {} ms",
            aws.mutating_calls(),
            plan.actions.len(),
            aws.calls(),
            summary.wall.as_millis()
        );
    }
    if summary.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
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
