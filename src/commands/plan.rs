//! `plan`: the rules first (error findings block), then the actions.

use super::{color, load_spec, notes, spec_path};
use crate::cli::{CheckOutput, Global, PlanArgs};
use crate::ops::{self, Failure};
use crate::report;

pub async fn run(global: &Global, args: &PlanArgs) -> Result<u8, Failure> {
    let spec = load_spec(spec_path(global, "plan")?)?;
    let aws = ops::connect(global.aws_options(), Some(&spec)).await?;
    let inv = ops::read_account(&aws, Some(&spec), None, global.concurrency).await?;
    let prepared = match ops::prepare(&spec, &inv) {
        Ok(p) => p,
        Err(Failure::Blocked(errors)) => {
            match args.output {
                CheckOutput::Text => {
                    println!("The spec cannot be planned: fix these first.\n");
                    print!("{}", report::findings_text(&errors, color(global)));
                }
                CheckOutput::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&report::findings_json(&errors)).expect("json")
                ),
            }
            return Ok(1);
        }
        Err(f) => return Err(f),
    };
    match args.output {
        CheckOutput::Text => {
            print!("{}", notes(&prepared));
            print!(
                "{}",
                crate::plan::render::text(&prepared.plan, color(global))
            );
        }
        CheckOutput::Json => println!(
            "{}",
            serde_json::to_string_pretty(&crate::plan::render::json(&prepared.plan)).expect("json")
        ),
    }
    Ok(0)
}
