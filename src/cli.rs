//! The command line: global options and the headless twins of the screens.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "eks-private-tui",
    version,
    about = "Make an EKS cluster work in private subnets with no internet path",
    long_about = "Without a command, starts the wizard (TUI). Every screen has a headless twin."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
pub struct Global {
    /// AWS region (default: AWS_REGION or the profile's region)
    #[arg(long, global = true, env = "AWS_REGION")]
    pub region: Option<String>,
    /// Named profile from ~/.aws/config (default: AWS_PROFILE)
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Send every AWS call to this URL (also AWS_ENDPOINT_URL), e.g. a moto sandbox
    #[arg(long, global = true)]
    pub endpoint_url: Option<String>,
    /// Never change anything in the account (the header shows READ-ONLY)
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Monochrome output (also NO_COLOR)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Write logs here (RUST_LOG sets the level; nothing is logged to the terminal)
    #[arg(long, global = true, value_name = "FILE")]
    pub log_file: Option<PathBuf>,
    /// Seconds an AWS answer may take, from the request to its last byte (slow links)
    #[arg(long, global = true, default_value_t = 15, value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub read_timeout: u64,
    /// Keep retrying a call AWS throttles (or fails with 5xx) for this long before giving up
    #[arg(long, global = true, default_value_t = 90, value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub retry_for: u64,
    /// The spec file (the wizard loads it if present and saves it with `w`)
    #[arg(long, global = true, value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// Bound on concurrent per-VPC / per-cluster calls during discovery
    #[arg(long, global = true, default_value_t = 64, hide = true)]
    pub concurrency: usize,
    /// Test hook: end the process (as kill -9 would) right after N mutating calls took
    /// effect. The reliability tests cut apply at every step with it.
    #[arg(long, global = true, hide = true, value_name = "N")]
    pub abort_after_mutations: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the wizard (the default without a command)
    Tui,
    /// Read the region (or one VPC) and print what exists
    Inventory(InventoryArgs),
    /// Audit what exists (and, with --spec, what is intended) against every rule.
    /// Exit 0: no error findings; 1: error findings; 2: usage or AWS failure
    Check(CheckArgs),
    /// Show what apply would change to make the account match --spec (reads only).
    /// Exit 0: a plan (or no changes); 1: error findings block it; 2: usage or AWS failure
    Plan(PlanArgs),
    /// Make the account match --spec: shows the plan, asks for `yes`, then applies it.
    /// Resumable: an interrupted apply continues where it stopped (journal next to the spec).
    /// Exit 0: applied (or no changes); 1: cancelled, blocked by error findings, or a step
    /// failed; 2: usage or AWS failure before anything changed
    Apply(ApplyArgs),
    /// Delete what apply created for --spec (found by its tags), dependents first, with the
    /// same preview and confirmation. Nothing else is touched
    Destroy(ApplyArgs),
    /// Work with spec files
    #[command(subcommand)]
    Spec(SpecCommand),
    /// Max pods per node for instance types, as AWS's max-pods calculator gives them in each
    /// networking mode, from DescribeInstanceTypes in the region (the offline table when it
    /// cannot be asked). Exit 0: every type known; 2: a type EC2 does not list, or usage
    MaxPods(MaxPodsArgs),
    /// Write files other tools read, from --spec and the account (docs/export.md): to
    /// stdout for one format, else into --out DIR. Exit 0: written; 1: error findings
    /// block it; 2: usage (nothing written)
    Export(ExportArgs),
}

/// A value that is none of an option's, as one line: `--format "yml" is not a format:
/// choose from spec, eksctl, …, all`. Other parse errors (and --help) stay clap's.
pub fn invalid_value(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::InvalidValue {
        return None;
    }
    let arg = match e.get(ContextKind::InvalidArg)? {
        ContextValue::String(s) => s.clone(),
        _ => return None,
    };
    let value = match e.get(ContextKind::InvalidValue)? {
        ContextValue::String(s) => s.clone(),
        _ => return None,
    };
    let valid = match e.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(v)) => v.join(", "),
        _ => String::new(),
    };
    // `--format <FORMAT[,FORMAT…]>`: the option, and the noun its value name gives.
    let (option, shape) = arg.split_once(' ').unwrap_or((arg.as_str(), ""));
    let noun: String = shape
        .trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_ascii_alphabetic() || *c == '_' || *c == '-')
        .collect::<String>()
        .to_lowercase()
        .replace('_', " ");
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    let what = if noun.is_empty() {
        "a value it takes".to_string()
    } else {
        format!("{article} {noun}")
    };
    let value = crate::report::one_line(&value);
    Some(if valid.is_empty() {
        format!("{option} {value:?} is not {what}")
    } else {
        format!("{option} {value:?} is not {what}: choose from {valid}")
    })
}

/// A `--format` value: a format, or `all` (every format the spec has what it needs for).
/// clap lists them in `--help` and in the error for a value that is none of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Spec,
    Eksctl,
    Eniconfig,
    Nodeclass,
    AwsNode,
    Dns,
    NoProxy,
    Iam,
    Cloudformation,
    Terraform,
    All,
}

impl FormatArg {
    /// The core's format (None for `all`).
    pub fn format(self) -> Option<crate::export::Format> {
        use crate::export::Format as F;
        Some(match self {
            FormatArg::Spec => F::Spec,
            FormatArg::Eksctl => F::Eksctl,
            FormatArg::Eniconfig => F::Eniconfig,
            FormatArg::Nodeclass => F::Nodeclass,
            FormatArg::AwsNode => F::AwsNode,
            FormatArg::Dns => F::Dns,
            FormatArg::NoProxy => F::NoProxy,
            FormatArg::Iam => F::Iam,
            FormatArg::Cloudformation => F::Cloudformation,
            FormatArg::Terraform => F::Terraform,
            FormatArg::All => return None,
        })
    }

    /// What a `--format` list asks for: each format once, in the core's order; `all`.
    pub fn selection(list: &[FormatArg]) -> crate::export::Selection {
        let mut named: Vec<_> = list.iter().filter_map(|f| f.format()).collect();
        named.sort();
        named.dedup();
        crate::export::Selection {
            named,
            all: list.contains(&FormatArg::All),
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Formats, comma-separated, or all (every format the spec has what it needs for)
    #[arg(
        long,
        value_enum,
        value_name = "FORMAT[,FORMAT…]",
        value_delimiter = ',',
        required = true
    )]
    pub format: Vec<FormatArg>,
    /// Write the files into this directory (made if missing)
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
    /// Overwrite files that exist in --out
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct MaxPodsArgs {
    /// Instance types, e.g. m7i.large c7g.xlarge (none: every type the region offers)
    #[arg(value_name = "TYPE")]
    pub types: Vec<String>,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Do not ask: apply the plan as shown
    #[arg(long)]
    pub auto_approve: bool,
    /// Steps in flight at once
    #[arg(long, default_value_t = 8, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=32))]
    pub parallelism: u16,
    /// Remove the state lock ID (left by a run that died) before taking it; refused while
    /// its holder still renews it (a live run), unless --even-if-alive
    #[arg(long, value_name = "ID")]
    pub force_unlock: Option<String>,
    /// With --force-unlock: remove the lock even though its holder renewed it lately
    #[arg(long, requires = "force_unlock")]
    pub even_if_alive: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Output format
    #[arg(short, long, value_enum, default_value_t = CheckOutput::Text)]
    pub output: CheckOutput,
}

#[derive(Debug, Subcommand)]
pub enum SpecCommand {
    /// Write a commented starter spec for a VPC, filled from the account (to --spec FILE,
    /// else to stdout)
    New {
        /// The cluster's VPC
        #[arg(long)]
        vpc: String,
        /// The cluster (default: the VPC's only cluster)
        #[arg(long)]
        cluster: Option<String>,
        /// Overwrite --spec FILE if it exists
        #[arg(long)]
        force: bool,
        /// Write clusterEndpoint (the wizard's step 7): `private` only, or `both` (private
        /// on, public kept as the cluster has it, to turn off last). Default: not written,
        /// and `check` holds the cluster to private-only
        #[arg(long, value_enum, value_name = "ACCESS")]
        endpoint_access: Option<AccessChoice>,
        /// A CIDR let in on tcp/443 on the cluster security group (a bastion, a peer,
        /// on-prem); repeat for more. Implies --endpoint-access both unless given
        #[arg(long = "allow-https", value_name = "CIDR")]
        allow_https: Vec<String>,
        /// Write a Route 53 Resolver setup (the wizard's step 8): the inbound endpoint in
        /// two node subnets, the outbound one in the first peered VPC, the forward rule
        #[arg(long)]
        dns: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccessChoice {
    Private,
    Both,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The VPC to audit (default: the spec's, else every VPC that holds a cluster)
    #[arg(long)]
    pub vpc: Option<String>,
    /// The cluster to audit (default: the spec's clusterName, else the VPC's cluster)
    #[arg(long)]
    pub cluster: Option<String>,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = CheckOutput::Text)]
    pub output: CheckOutput,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckOutput {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct InventoryArgs {
    /// Limit the per-VPC reads to this VPC
    #[arg(long)]
    pub vpc: Option<String>,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
    /// Print the number of AWS calls and the wall time to stderr
    #[arg(long)]
    pub stats: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Text,
    Json,
    Yaml,
}

impl Global {
    pub fn aws_options(&self) -> crate::aws::AwsOptions {
        crate::aws::AwsOptions {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            read_timeout: Some(std::time::Duration::from_secs(self.read_timeout)),
            abort_after_mutations: self.abort_after_mutations,
            retry_for: Some(std::time::Duration::from_secs(self.retry_for)),
            region_from_env: self.region.is_some()
                && !std::env::args_os().any(|a| {
                    let a = a.to_string_lossy();
                    a == "--region" || a.starts_with("--region=")
                }),
            ..Default::default()
        }
    }

    /// The spec path, or the default `private-network.yaml` in the current directory.
    pub fn spec_path(&self) -> PathBuf {
        self.spec
            .clone()
            .unwrap_or_else(|| PathBuf::from("private-network.yaml"))
    }

    pub fn color(&self) -> bool {
        self.colors() != Colors::None
    }

    /// The colours the terminal takes: none with --no-color or NO_COLOR, else as TERM
    /// and COLORTERM say.
    pub fn colors(&self) -> Colors {
        if self.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return Colors::None;
        }
        Colors::of(
            std::env::var("TERM").ok().as_deref(),
            std::env::var("COLORTERM").ok().as_deref(),
        )
    }
}

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colors {
    /// No colour (TERM unset, dumb, a VT100-family terminal, a monochrome entry).
    None,
    /// The 16 ANSI colours: SGR 30–37, 90–97 (xterm, linux, screen, ansi, …).
    Basic,
    /// 256 indexed colours (a `*-256color` TERM).
    Indexed,
    /// 24-bit colour (COLORTERM=truecolor or 24bit, a `*-direct` TERM).
    True,
}

impl Colors {
    /// From TERM and COLORTERM, as terminfo's entries name them.
    pub fn of(term: Option<&str>, colorterm: Option<&str>) -> Colors {
        let term = term.unwrap_or("").trim();
        let family = term.split('-').next().unwrap_or("");
        let mono = term.is_empty()
            || term == "dumb"
            || term.ends_with("-m")
            || term.ends_with("-mono")
            || (family.starts_with("vt") && family[2..].chars().all(|c| c.is_ascii_digit()));
        if mono {
            return Colors::None;
        }
        if matches!(colorterm, Some("truecolor" | "24bit")) || term.ends_with("-direct") {
            Colors::True
        } else if term.contains("256color") {
            Colors::Indexed
        } else {
            Colors::Basic
        }
    }
}

#[cfg(test)]
mod format_tests {
    use super::*;
    use crate::export::Format;

    fn parse(args: &[&str]) -> Result<crate::export::Selection, String> {
        let mut all = vec!["eks-private-tui", "export"];
        all.extend(args);
        match Cli::try_parse_from(all) {
            Ok(Cli {
                command: Some(Command::Export(a)),
                ..
            }) => Ok(FormatArg::selection(&a.format)),
            Ok(_) => Err("not export".into()),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn formats_parse_by_name_and_all() {
        let sel = parse(&["--format", "dns,spec", "--format", "spec"]).unwrap();
        assert_eq!(sel.named, vec![Format::Spec, Format::Dns]);
        assert!(!sel.all && sel.required(Format::Dns) && !sel.required(Format::Eksctl));
        let all = parse(&["--format", "all"]).unwrap();
        assert!(all.all && all.named.is_empty());
        assert_eq!(all.formats(), Format::ALL.to_vec());
        let e = parse(&["--format", "yaml"]).unwrap_err();
        assert!(e.contains("'yaml'") && e.contains("eniconfig"), "{e}");
        assert!(parse(&["--format", ""]).is_err());
        assert!(parse(&[]).is_err());
    }

    #[test]
    fn a_value_none_of_the_options_is_one_line_naming_them() {
        let line = |args: &[&str]| {
            let e = Cli::try_parse_from(args).unwrap_err();
            invalid_value(&e)
        };
        let f = line(&["x", "export", "--format", "eksctll"]).unwrap();
        assert_eq!(
            f,
            "--format \"eksctll\" is not a format: choose from spec, eksctl, eniconfig, nodeclass, aws-node, dns, no-proxy, iam, cloudformation, terraform, all"
        );
        let o = line(&["x", "inventory", "-o", "xml"]).unwrap();
        assert!(
            o.starts_with("--output \"xml\" is not an output: choose from text"),
            "{o}"
        );
        // Not a value error: clap's own message.
        assert!(line(&["x", "export"]).is_none());
        assert!(line(&["x", "--help"]).is_none());
    }

    #[test]
    fn every_format_has_its_value_by_its_name() {
        for f in Format::ALL {
            let arg = FormatArg::from_str(f.name(), false).unwrap();
            assert_eq!(arg.format(), Some(f));
        }
        assert_eq!(FormatArg::value_variants().len(), Format::ALL.len() + 1);
    }
}

#[cfg(test)]
mod colors_tests {
    use super::Colors;

    #[test]
    fn colours_follow_term_and_colorterm() {
        for (term, colorterm, want) in [
            (None, None, Colors::None),
            (Some("dumb"), Some("truecolor"), Colors::None),
            (Some("vt100"), None, Colors::None),
            (Some("vt220"), None, Colors::None),
            (Some("xterm-mono"), None, Colors::None),
            (Some("xterm"), None, Colors::Basic),
            (Some("linux"), None, Colors::Basic),
            (Some("screen"), None, Colors::Basic),
            (Some("xterm-256color"), None, Colors::Indexed),
            (Some("tmux-256color"), Some("truecolor"), Colors::True),
            (Some("xterm-direct"), None, Colors::True),
        ] {
            assert_eq!(Colors::of(term, colorterm), want, "{term:?} {colorterm:?}");
        }
    }
}
