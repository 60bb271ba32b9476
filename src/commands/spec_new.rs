//! `spec new`: a commented starter spec from the inventory of one VPC.

use crate::cli::Global;
use crate::ops::{self, Failure};

pub async fn run(
    global: &Global,
    vpc: &str,
    cluster: Option<&str>,
    force: bool,
    extra: &crate::spec::starter::Extras,
) -> Result<u8, Failure> {
    // A bad CIDR is said before any call.
    for c in &extra.allow_https {
        crate::rules::cidr::parse_v4(c).map_err(|e| {
            Failure::Usage(format!(
                "--allow-https {c:?}: {e} — give an IPv4 CIDR such as 10.99.0.0/16"
            ))
        })?;
        if c.trim() == "0.0.0.0/0" {
            return Err(Failure::Usage(
                "--allow-https 0.0.0.0/0 would open the control plane's security group to everything — give the bastion, peer and on-prem CIDRs".into(),
            ));
        }
    }
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
    // The Resolver's outbound side goes in a peered VPC: --dns reads those VPCs too.
    let only = (!extra.dns).then(|| vpc.to_string());
    let inv = ops::read_account(&aws, None, only, global.concurrency).await?;
    let text =
        crate::spec::starter::starter_with(&inv, vpc, cluster, extra).map_err(Failure::Usage)?;
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
