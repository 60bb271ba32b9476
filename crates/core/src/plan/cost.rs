//! The plan's cost line: what the added resources cost per month, from
//! assets/prices.tsv (which states its source and date). Only hourly charges that the plan
//! fixes are counted; data processed depends on traffic and is named, not guessed.

use super::{Change, Plan};

/// Hours in a month, as AWS's calculator counts them.
pub const HOURS_PER_MONTH: f64 = 730.0;

const PRICES: &str = include_str!("../../../../assets/prices.tsv");

/// Prices for a region: (endpoint per AZ-hour, Resolver per ENI-hour, the row used).
pub fn prices(region: &str) -> (f64, f64, &'static str) {
    let mut default = (0.0, 0.0, "default");
    for line in PRICES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split('\t').collect();
        let (Some(r), Some(e), Some(x)) = (f.first(), f.get(1), f.get(2)) else {
            continue;
        };
        let row = (e.parse().unwrap_or(0.0), x.parse().unwrap_or(0.0), *r);
        if *r == region {
            return row;
        }
        if *r == "default" {
            default = row;
        }
    }
    default
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cost {
    /// Interface endpoint × AZ pairs added.
    pub endpoint_azs: usize,
    /// Resolver endpoint IP addresses (ENIs) added.
    pub resolver_enis: usize,
    pub endpoint_az_hour: f64,
    pub resolver_eni_hour: f64,
    /// The price row used: the region, or `default`.
    pub row: &'static str,
    pub monthly: f64,
}

/// The monthly cost of what `plan` adds in `region`; None when it adds nothing billed.
pub fn estimate(plan: &Plan, region: &str) -> Option<Cost> {
    let (mut endpoint_azs, mut resolver_enis) = (0, 0);
    for a in &plan.actions {
        match &a.change {
            Change::CreateInterfaceEndpoint { subnet_ids, .. } => endpoint_azs += subnet_ids.len(),
            // Two IPs at least (apply puts two in a lone subnet).
            Change::CreateResolverEndpoint { subnet_ids, .. } => {
                resolver_enis += subnet_ids.len().max(2)
            }
            _ => {}
        }
    }
    if endpoint_azs + resolver_enis == 0 {
        return None;
    }
    let (e, r, row) = prices(region);
    Some(Cost {
        endpoint_azs,
        resolver_enis,
        endpoint_az_hour: e,
        resolver_eni_hour: r,
        row,
        monthly: (endpoint_azs as f64 * e + resolver_enis as f64 * r) * HOURS_PER_MONTH,
    })
}

impl Cost {
    /// `Cost: about $X/month more: …`
    pub fn line(&self, region: &str) -> String {
        let mut parts = vec![];
        if self.endpoint_azs > 0 {
            parts.push(format!(
                "{} interface endpoint-AZs × ${:.3}",
                self.endpoint_azs, self.endpoint_az_hour
            ));
        }
        if self.resolver_enis > 0 {
            parts.push(format!(
                "{} Resolver endpoint IPs × ${:.3}",
                self.resolver_enis, self.resolver_eni_hour
            ));
        }
        let row = if self.row == region {
            format!("the {region} row")
        } else {
            format!(
                "the default row (no {region} row; endpoints cost up to ~30 % more in some regions)"
            )
        };
        format!(
            "Cost: about ${:.2}/month more: ({}) per hour × {HOURS_PER_MONTH} h. Prices: {row} of the built-in list from aws.amazon.com/privatelink/pricing and /route53/pricing, recorded {PRICES_DATE}; data processed not included.",
            self.monthly,
            parts.join(" + ")
        )
    }
}

/// When assets/prices.tsv (built in) was recorded (its header says so too).
pub const PRICES_DATE: &str = "2026-11-23";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Action, Op, Ref};

    fn create(change: Change) -> Action {
        Action {
            address: "x".into(),
            kind: "k",
            op: Op::Create,
            id: None,
            attrs: vec![],
            depends_on: vec![],
            change,
            undo: None,
        }
    }

    #[test]
    fn endpoint_azs_and_resolver_enis_by_the_hour() {
        let ep = |n: usize| {
            create(Change::CreateInterfaceEndpoint {
                vpc_id: "v".into(),
                service_name: "s".into(),
                subnet_ids: vec!["s".into(); n],
                security_group: Ref::Id("sg".into()),
                private_dns: true,
                name: "n".into(),
            })
        };
        let resolver = create(Change::CreateResolverEndpoint {
            name: "n".into(),
            direction: "INBOUND".into(),
            subnet_ids: vec!["s".into()],
            security_group: Ref::Id("sg".into()),
        });
        let plan = Plan {
            name: "p".into(),
            vpc_id: "vpc-1".into(),
            region: "us-east-1".into(),
            actions: vec![ep(3), ep(2), resolver],
            adopted: vec![],
        };
        let c = estimate(&plan, "us-east-1").unwrap();
        assert_eq!((c.endpoint_azs, c.resolver_enis), (5, 2));
        // (5 × 0.01 + 2 × 0.125) × 730 = 219.00
        assert!((c.monthly - 219.0).abs() < 1e-9, "{}", c.monthly);
        let line = c.line("us-east-1");
        assert!(
            line.starts_with(
                "Cost: about $219.00/month more: (5 interface endpoint-AZs × $0.010 + 2 Resolver endpoint IPs × $0.125) per hour × 730 h. Prices: the us-east-1 row"
            ),
            "{line}"
        );
        assert!(
            c.line("eu-west-1")
                .contains("the default row (no eu-west-1 row")
        );
        assert!(PRICES.contains(&format!("Recorded {PRICES_DATE}")));
        // Issue 26, 8: the line names the source itself, not a file of the repository
        // that an installed binary does not have.
        assert!(
            line.contains("aws.amazon.com/privatelink/pricing") && !line.contains("assets/"),
            "{line}"
        );
        assert_eq!(
            estimate(
                &Plan {
                    actions: vec![],
                    ..plan
                },
                "us-east-1"
            ),
            None
        );
    }
}
