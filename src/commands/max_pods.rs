//! `max-pods`: the calculator of step 6 without the wizard. Each type's figures come from
//! DescribeInstanceTypes in the region; when that call cannot be made (refused, or the
//! endpoint does not answer) the offline table answers, and stderr says so.

use crate::cli::{Global, MaxPodsArgs, Output};
use crate::inventory::InstanceType;
use crate::ops::{self, Failure};
use crate::rules::cni::{PodsRow, offline_types};

pub async fn run(global: &Global, args: &MaxPodsArgs) -> Result<u8, Failure> {
    let names: Vec<String> = args.types.iter().map(|t| t.trim().to_string()).collect();
    if let Some(bad) = names.iter().find(|n| !plausible(n)) {
        return Err(Failure::Usage(format!(
            "{bad:?} is not an instance type name: give names such as m7i.large"
        )));
    }
    let aws = ops::connect(global.aws_options(), None).await?;
    let types = match aws.instance_types(&names).await {
        Ok(t) => t,
        Err(e) if e.code.as_deref() == Some("InvalidInstanceType") => {
            return Err(Failure::Usage(format!(
                "EC2 does not list one of {} in {}: {}",
                names.join(", "),
                aws.region,
                e.message
            )));
        }
        Err(e) => {
            super::say_err(&format!(
                "note: DescribeInstanceTypes did not answer ({e}); the figures come from the offline table (assets/instance-types.tsv)\n"
            ));
            offline(&names)?
        }
    };
    let rows: Vec<PodsRow> = types.iter().map(PodsRow::of).collect();
    match args.output {
        Output::Text => super::say_plain(&table(&rows)),
        Output::Json => {
            super::say_data(&(serde_json::to_string_pretty(&rows).expect("rows serialize") + "\n"))
        }
        Output::Yaml => super::say_data(&serde_yaml::to_string(&rows).expect("rows serialize")),
    }
    Ok(0)
}

/// Letters, digits, dots and dashes: what instance type names are made of.
fn plausible(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// The offline table's rows for `names` (all of it when none is named).
fn offline(names: &[String]) -> Result<Vec<InstanceType>, Failure> {
    if names.is_empty() {
        return Ok(offline_types().to_vec());
    }
    names
        .iter()
        .map(|n| {
            offline_types()
                .iter()
                .find(|t| &t.name == n)
                .cloned()
                .ok_or_else(|| {
                    Failure::Usage(format!(
                        "{n} is not in the offline table, and EC2 could not be asked"
                    ))
                })
        })
        .collect()
}

fn table(rows: &[PodsRow]) -> String {
    let mut out = format!(
        "{:<22} {:>5} {:>4} {:>5} {:>8} {:>7} {:>9} {:>9}\n",
        "type", "vCPUs", "ENIs", "IPv4", "max pods", "custom", "prefixes", "custom+pfx"
    );
    for r in rows {
        out.push_str(&format!(
            "{:<22} {:>5} {:>4} {:>5} {:>8} {:>7} {:>9} {:>9}\n",
            r.instance_type,
            r.vcpus,
            r.interfaces,
            r.ipv4_per_interface,
            r.max_pods,
            r.custom_networking,
            r.prefix_delegation,
            r.custom_networking_with_prefixes
        ));
    }
    out.push_str(
        "AWS's max-pods calculator: ENIs of the default network card x (IPv4 per ENI - 1) + 2, one ENI fewer with custom networking, a /28 per slot with prefix delegation (Nitro), at most 110 for 30 vCPUs or fewer and 250 above.\n",
    );
    out
}
