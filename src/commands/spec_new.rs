//! `spec new`: a commented starter spec from the inventory of one VPC.

use crate::cli::Global;
use crate::ops::{self, Failure};

pub async fn run(
    global: &Global,
    vpc: &str,
    cluster: Option<&str>,
    force: bool,
) -> Result<u8, Failure> {
    if let Some(path) = &global.spec
        && path.exists()
        && !force
    {
        return Err(Failure::Usage(format!(
            "{} exists — pass --force to overwrite it, or another --spec",
            path.display()
        )));
    }
    let aws = ops::connect(global.aws_options(), None).await?;
    let inv = ops::read_account(&aws, None, Some(vpc.to_string()), global.concurrency).await?;
    let text = crate::spec::starter::starter(&inv, vpc, cluster).map_err(Failure::Usage)?;
    match &global.spec {
        None => super::say_data(&text),
        Some(path) => {
            crate::files::replace(path, &text).map_err(|e| {
                Failure::Usage(format!(
                    "cannot write the spec: {e} — pass a writable --spec path"
                ))
            })?;
            super::say_err(&format!("wrote {}\n", path.display()));
        }
    }
    Ok(0)
}
