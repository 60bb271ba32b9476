//! `plan`: the rules first (error findings block), then the actions.

use super::{color, load_spec, notes, say, say_data, spec_path};
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
                CheckOutput::Text => say(
                    global,
                    &format!(
                        "The spec cannot be planned: fix these first.\n\n{}",
                        report::findings_text(&errors, color(global))
                    ),
                ),
                CheckOutput::Json => say_data(
                    &(serde_json::to_string_pretty(&report::findings_json(&errors)).expect("json")
                        + "\n"),
                ),
            }
            return Ok(1);
        }
        Err(f) => return Err(f),
    };
    match args.output {
        CheckOutput::Text => say(
            global,
            &(notes(&prepared) + &crate::plan::render::text(&prepared.plan, color(global))),
        ),
        CheckOutput::Json => say_data(
            &(serde_json::to_string_pretty(&crate::plan::render::json(&prepared.plan))
                .expect("json")
                + "\n"),
        ),
    }
    Ok(0)
}
