//! `inventory`: what exists in the region (or one VPC).

use crate::cli::{Global, InventoryArgs, Output};
use crate::ops::{self, Failure};
use std::time::Instant;

pub async fn run(global: &Global, args: &InventoryArgs) -> Result<u8, Failure> {
    let started = Instant::now();
    let aws = ops::connect(global.aws_options(), None).await?;
    let inv = ops::read_account(&aws, None, args.vpc.clone(), global.concurrency).await?;
    let text = match args.output {
        Output::Text => crate::report::inventory_text(&inv),
        Output::Json => serde_json::to_string_pretty(&inv).expect("inventory serializes") + "\n",
        Output::Yaml => serde_yaml::to_string(&inv).expect("inventory serializes"),
    };
    match args.output {
        Output::Text => super::say(global, &text),
        Output::Json | Output::Yaml => super::say_data(&text),
    }
    if args.stats {
        eprintln!(
            "stats: {} AWS calls in {} ms ({} VPCs, {} subnets)",
            aws.calls(),
            started.elapsed().as_millis(),
            inv.vpcs.len(),
            inv.vpcs.iter().map(|v| v.subnets.len()).sum::<usize>()
        );
    }
    Ok(0)
}
