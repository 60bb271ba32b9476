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
        None => print!("{text}"),
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| {
                Failure::Usage(format!(
                    "cannot write {}: {e} — pass a writable --spec path",
                    path.display()
                ))
            })?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(0)
}
