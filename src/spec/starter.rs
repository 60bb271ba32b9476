//! `spec new`: a commented starter spec filled from the inventory. It is the spec the
//! wizard would make, written by [`super::commented::render`] like every save.

use super::Spec;
use crate::inventory::{Inventory, Subnet, SubnetKind};

pub use super::services::base_services;

/// The starter spec for `vpc_id` (and `cluster`, or the VPC's only cluster).
pub fn starter(inv: &Inventory, vpc_id: &str, cluster: Option<&str>) -> Result<String, String> {
    Ok(super::commented::render(
        &starter_spec(inv, vpc_id, cluster)?,
        Some(inv),
    ))
}

/// The starter as data: the VPC's cluster (or the named one), one subnet per AZ and the
/// base endpoint set the region offers.
pub fn starter_spec(inv: &Inventory, vpc_id: &str, cluster: Option<&str>) -> Result<Spec, String> {
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
    let mut spec = Spec::new(&format!("{name}-private"), &inv.region, &vpc.id);
    spec.cluster_name = cluster.map(|c| c.name.clone());
    for az in vpc.azs() {
        if let Some(best) = vpc
            .subnets
            .iter()
            .filter(|s| s.az == az && s.kind != SubnetKind::Public)
            .min_by_key(|s| rank(s))
        {
            spec.node_subnets.insert(az.to_string(), best.id.clone());
        }
    }
    spec.endpoints = Some(base_endpoints(inv, &spec.metadata.name));
    Ok(spec)
}

/// The base endpoint set the region offers, with a group to create named after the spec.
pub fn base_endpoints(inv: &Inventory, spec_name: &str) -> super::Endpoints {
    super::Endpoints {
        services: base_services()
            .iter()
            .filter(|s| inv.offers(s))
            .map(|s| s.to_string())
            .collect(),
        features: vec![],
        private_dns: true,
        security_group: super::SecurityGroupChoice {
            id: None,
            create: Some(super::CreateSecurityGroup {
                name: format!("{spec_name}-endpoints"),
            }),
        },
        extra_route_table_ids: vec![],
    }
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
