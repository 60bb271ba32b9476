//! `check`: the audit. Exit 0 without error findings, 1 with, 2 on usage or AWS failure.

use super::{color, load_spec, say, say_data};
use crate::cli::{CheckArgs, CheckOutput, Global};
use crate::ops::{self, Failure};
use crate::{report, rules};

pub async fn run(global: &Global, args: &CheckArgs) -> Result<u8, Failure> {
    let spec = global.spec.as_deref().map(load_spec).transpose()?;
    if let (Some(s), Some(v)) = (&spec, &args.vpc)
        && v != &s.vpc_id
    {
        return Err(Failure::Usage(format!(
            "--vpc {v} but the spec is for {} — drop --vpc or use the spec's VPC",
            s.vpc_id
        )));
    }
    let vpc = spec.as_ref().map(|s| s.vpc_id.clone()).or(args.vpc.clone());
    let aws = ops::connect(global.aws_options(), spec.as_ref()).await?;
    let inv = ops::read_account(&aws, spec.as_ref(), args.vpc.clone(), global.concurrency).await?;
    if let Some(c) = &args.cluster
        && !inv.clusters.iter().any(|x| &x.name == c)
    {
        return Err(Failure::Usage(format!(
            "no cluster {c:?} in {}{} — `eks-private-tui inventory` lists the clusters",
            inv.region,
            vpc.as_deref()
                .map(|v| format!(" ({v})"))
                .unwrap_or_default()
        )));
    }
    // A spec's findings are judged against its plan: none claims missing what it adds.
    let findings = rules::evaluate(&inv, spec.as_ref(), vpc.as_deref(), args.cluster.as_deref());
    let findings = match &spec {
        Some(s) => crate::plan::reconcile(findings, &crate::plan::plan(s, &inv)),
        None => findings,
    };
    match args.output {
        CheckOutput::Text => say(global, &report::findings_text(&findings, color(global))),
        CheckOutput::Json => say_data(
            &(serde_json::to_string_pretty(&report::findings_json(&findings)).expect("json")
                + "\n"),
        ),
    }
    Ok(if rules::summary(&findings).0 > 0 {
        1
    } else {
        0
    })
}
