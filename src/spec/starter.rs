//! `spec new`: a commented starter spec filled from the inventory.

use crate::inventory::{Inventory, Subnet, SubnetKind};
use std::fmt::Write;

/// The endpoint set every private cluster needs (rule P7): `s3` is the gateway endpoint.
pub const BASE_SERVICES: &[&str] = &["ec2", "ecr.api", "ecr.dkr", "s3", "sts"];

/// The starter spec for `vpc_id` (and `cluster`, or the VPC's only cluster).
pub fn starter(inv: &Inventory, vpc_id: &str, cluster: Option<&str>) -> Result<String, String> {
    let vpc = inv.vpc(vpc_id).ok_or_else(|| {
        format!(
            "VPC {vpc_id} is not in {}: `eks-private-tui inventory` lists the VPCs",
            inv.region
        )
    })?;
    let clusters: Vec<_> = inv.clusters_in(vpc_id).collect();
    let cluster = match cluster {
        Some(name) => Some(
            inv.clusters
                .iter()
                .find(|c| c.name == name)
                .ok_or_else(|| format!("no cluster {name:?} in {}", inv.region))?,
        ),
        None if clusters.len() == 1 => Some(clusters[0]),
        None => None,
    };
    let name = crate::spec::slug(
        cluster
            .map(|c| c.name.as_str())
            .filter(|n| !n.is_empty())
            .unwrap_or(if vpc.name.is_empty() {
                &vpc.id
            } else {
                &vpc.name
            }),
    );

    // One subnet per AZ: the cluster's own first, then private before isolated, an
    // explicit route table before the main one, then the most free addresses.
    let rank = |s: &Subnet| {
        (
            !cluster.is_some_and(|c| c.subnet_ids.contains(&s.id)),
            s.kind != SubnetKind::Private,
            s.main_route_table,
            -s.available_ips,
        )
    };
    let mut chosen: Vec<&Subnet> = vec![];
    for az in vpc.azs() {
        if let Some(best) = vpc
            .subnets
            .iter()
            .filter(|s| s.az == az && s.kind != SubnetKind::Public)
            .min_by_key(|s| rank(s))
        {
            chosen.push(best);
        }
    }
    let services: Vec<&str> = BASE_SERVICES
        .iter()
        .copied()
        .filter(|s| inv.offers(s))
        .collect();
    let missing: Vec<&str> = BASE_SERVICES
        .iter()
        .copied()
        .filter(|s| !inv.offers(s))
        .collect();

    let mut o = String::new();
    let _ = writeln!(
        o,
        "# eks-private-tui spec (docs/spec.md describes every field)."
    );
    let _ = writeln!(o, "# Check it with: eks-private-tui check --spec FILE");
    let _ = writeln!(o, "apiVersion: {}", super::API_VERSION);
    let _ = writeln!(o, "kind: {}", super::KIND);
    let _ = writeln!(o, "metadata:");
    let _ = writeln!(
        o,
        "  name: {name}-private   # used in tags, client tokens and resource names"
    );
    let _ = writeln!(o, "region: {}", inv.region);
    let _ = writeln!(
        o,
        "vpcId: {}   # {}",
        vpc.id,
        if vpc.name.is_empty() {
            "(no Name tag)"
        } else {
            &vpc.name
        }
    );
    match cluster {
        Some(c) => {
            let _ = writeln!(
                o,
                "clusterName: {}   # cluster access, DNS and the eksctl export need it",
                c.name
            );
        }
        None if clusters.is_empty() => {
            let _ = writeln!(o, "# clusterName: NAME   # no EKS cluster in this VPC yet");
        }
        None => {
            let names: Vec<&str> = clusters.iter().map(|c| c.name.as_str()).collect();
            let _ = writeln!(o, "# clusterName: NAME   # one of: {}", names.join(", "));
        }
    }
    if chosen.is_empty() {
        let _ = writeln!(
            o,
            "nodeSubnets: {{}}   # no private or isolated subnet in this VPC: create them first"
        );
    } else {
        let _ = writeln!(
            o,
            "nodeSubnets:   # one private or isolated subnet per AZ (S1, S3)"
        );
        for s in &chosen {
            let _ = writeln!(
                o,
                "  {}: {}   # {}{}, {} free IPs{}",
                s.az,
                s.id,
                if s.name.is_empty() {
                    String::new()
                } else {
                    format!("{}, ", s.name)
                },
                s.kind.as_str(),
                s.available_ips,
                if s.main_route_table {
                    ", main route table (S4)"
                } else {
                    ""
                }
            );
        }
    }
    let _ = writeln!(o, "endpoints:");
    let _ = writeln!(
        o,
        "  # The base set (P7); add eks, eks-auth, logs, elasticloadbalancing, autoscaling, ssm... as features need."
    );
    if !missing.is_empty() {
        let _ = writeln!(
            o,
            "  # Not offered in {}: {}",
            inv.region,
            missing.join(", ")
        );
    }
    let _ = writeln!(o, "  services: [{}]", services.join(", "));
    let _ = writeln!(
        o,
        "  privateDns: true   # false: self-managed DNS, CNAME records get exported"
    );
    let _ = writeln!(o, "  securityGroup:");
    let _ = writeln!(
        o,
        "    create: {{ name: {name}-private-endpoints }}   # or  id: sg-..."
    );
    let _ = writeln!(
        o,
        "# secondaryCidr:        # pods on their own range (C1-C5), e.g."
    );
    let _ = writeln!(o, "#   cidr: 100.64.0.0/16");
    let _ = writeln!(
        o,
        "#   podSubnets: {{ {}: 100.64.0.0/19 }}",
        chosen.first().map_or("AZ", |s| s.az.as_str())
    );
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;
    use crate::spec::Spec;

    #[test]
    fn starter_loads_and_picks_private_subnets() {
        let mut inv = testkit::inventory();
        inv.endpoint_services = ["ec2", "ecr.api", "ecr.dkr", "s3", "eks"]
            .iter()
            .map(|s| crate::inventory::EndpointService {
                service: s.to_string(),
                service_name: format!("com.amazonaws.eu-west-1.{s}"),
                ..Default::default()
            })
            .collect();
        let text = starter(&inv, "vpc-prod", None).unwrap();
        let spec = Spec::parse(&text, "starter").unwrap();
        assert_eq!(spec.cluster_name.as_deref(), Some("prod"));
        assert_eq!(spec.metadata.name, "prod-private");
        assert_eq!(spec.node_subnets["eu-west-1a"], "subnet-priv-a");
        assert_eq!(spec.node_subnets["eu-west-1b"], "subnet-priv-b");
        assert_eq!(spec.node_subnets["eu-west-1c"], "subnet-priv-c");
        // sts is not offered in this inventory: left out and said.
        assert_eq!(
            spec.endpoints.unwrap().services,
            ["ec2", "ecr.api", "ecr.dkr", "s3"]
        );
        assert!(text.contains("# Not offered in eu-west-1: sts"));
        // The starter passes the rules.
        let inv = testkit::inventory();
        let spec = Spec::parse(&starter(&inv, "vpc-prod", Some("prod")).unwrap(), "s").unwrap();
        let errors: Vec<_> = crate::rules::evaluate(&inv, Some(&spec), None, None)
            .into_iter()
            .filter(|f| f.severity == crate::rules::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn starter_errors() {
        let inv = testkit::inventory();
        assert!(
            starter(&inv, "vpc-nope", None)
                .unwrap_err()
                .contains("is not in eu-west-1")
        );
        assert!(
            starter(&inv, "vpc-prod", Some("other"))
                .unwrap_err()
                .contains("no cluster")
        );
    }
}
