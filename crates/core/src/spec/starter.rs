//! `spec new`: a commented starter spec filled from the inventory. It is the spec the
//! wizard would make, written by [`super::commented::render`] like every save.

use super::Spec;
use crate::inventory::{Inventory, Subnet, SubnetKind};

pub use super::services::base_services;

/// The starter spec for `vpc_id` (and `cluster`, or the VPC's only cluster).
pub fn starter(inv: &Inventory, vpc_id: &str, cluster: Option<&str>) -> Result<String, String> {
    starter_with(inv, vpc_id, cluster, &Extras::default())
}

/// Which endpoint access `spec new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Private only.
    Private,
    /// Private on, public as the cluster has it ([`access_start`]).
    Both,
}

/// What `spec new` adds to the starter: the sections of the wizard's steps 7 and 8.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extras {
    pub access: Option<Access>,
    pub allow_https: Vec<String>,
    pub dns: bool,
}

/// [`starter`] with the extras.
pub fn starter_with(
    inv: &Inventory,
    vpc_id: &str,
    cluster: Option<&str>,
    extra: &Extras,
) -> Result<String, String> {
    let mut spec = starter_spec(inv, vpc_id, cluster)?;
    if let Some(a) = extra.access {
        let mut ep = access_start(inv, &spec);
        if a == Access::Private {
            ep.public_access = false;
            ep.public_access_cidrs.clear();
        }
        for c in &extra.allow_https {
            let c = crate::rules::cidr::parse_v4(c)?.to_string();
            if !ep.allow_https_from_cidrs.contains(&c) {
                ep.allow_https_from_cidrs.push(c);
            }
        }
        spec.cluster_endpoint = Some(ep);
    }
    if extra.dns {
        spec.dns = Some(dns_start(inv, &spec));
    }
    Ok(super::commented::render(&spec, Some(inv)))
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

/// The endpoint access to start from (the wizard's step 7, `spec new --endpoint-access`):
/// the cluster as it is with private access on (public access goes off last, N5; its
/// allow-list kept, 0.0.0.0/0 dropped), or private only for a cluster not made yet.
pub fn access_start(inv: &Inventory, spec: &Spec) -> super::ClusterEndpoint {
    let cluster = spec
        .cluster_name
        .as_deref()
        .and_then(|n| inv.clusters.iter().find(|c| c.name == n));
    match cluster {
        Some(c) => super::ClusterEndpoint {
            private_access: true,
            public_access: c.public_access,
            public_access_cidrs: c
                .public_access_cidrs
                .iter()
                .filter(|c| c.as_str() != "0.0.0.0/0")
                .cloned()
                .collect(),
            allow_https_from_cidrs: vec![],
        },
        None => super::ClusterEndpoint {
            private_access: true,
            public_access: false,
            public_access_cidrs: vec![],
            allow_https_from_cidrs: vec![],
        },
    }
}

/// A Resolver setup to start from (the wizard's DNS step): the inbound endpoint in the
/// node subnets of the first two AZs, queried from the peered VPCs' CIDRs; the outbound
/// endpoint in the first peered VPC (one subnet in each of two AZs); the forward rule for
/// the cluster's API hostname, associated with that VPC. Without a peered VPC there is no
/// outbound side (on-prem forwards to the inbound IPs itself).
pub fn dns_start(inv: &Inventory, spec: &Spec) -> super::Dns {
    let vpc = inv.vpc(&spec.vpc_id);
    let inbound: Vec<String> = spec.node_subnets.values().take(2).cloned().collect();
    let peers: Vec<crate::inventory::Peer> = vpc.map(|v| v.peers().collect()).unwrap_or_default();
    let allow: Vec<String> = crate::rules::cidr::distinct(
        &peers
            .iter()
            .flat_map(|p| p.cidrs.iter().cloned())
            .collect::<Vec<_>>(),
    );
    let outbound =
        peers
            .first()
            .and_then(|p| inv.vpc(p.vpc_id))
            .map(|client| super::OutboundEndpoint {
                vpc_id: client.id.clone(),
                subnet_ids: two_azs(client),
            });
    let forward_rule = outbound.as_ref().map(|o| super::ForwardRule {
        domain: "auto".into(),
        associate_vpc_ids: vec![o.vpc_id.clone()],
    });
    super::Dns {
        inbound_endpoint: Some(super::InboundEndpoint {
            subnet_ids: inbound,
            allow_from_cidrs: allow,
        }),
        outbound_endpoint: outbound,
        forward_rule,
    }
}

/// One subnet in each of the first two AZs of `vpc` (private before public).
pub fn two_azs(vpc: &crate::inventory::Vpc) -> Vec<String> {
    let mut out = vec![];
    for az in vpc.azs().into_iter().take(2) {
        if let Some(s) = vpc
            .subnets
            .iter()
            .filter(|s| s.az == az)
            .min_by_key(|s| (s.kind == SubnetKind::Public, -s.available_ips))
        {
            out.push(s.id.clone());
        }
    }
    out
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
    fn starter_extras_write_the_sections_of_steps_7_and_8() {
        let mut inv = testkit::inventory();
        let client = testkit::client_vpc(&inv);
        inv.vpcs.push(client);
        let extra = Extras {
            access: Some(Access::Both),
            allow_https: vec!["10.99.0.0/16".into(), "192.168.1.0/24".into()],
            dns: true,
        };
        let text = starter_with(&inv, "vpc-prod", None, &extra).unwrap();
        let spec = Spec::parse(&text, "starter").unwrap();
        let ep = spec.cluster_endpoint.unwrap();
        assert!(ep.private_access && ep.public_access);
        assert_eq!(
            ep.allow_https_from_cidrs,
            ["10.99.0.0/16", "192.168.1.0/24"]
        );
        let dns = spec.dns.unwrap();
        assert_eq!(
            dns.inbound_endpoint.unwrap().subnet_ids,
            ["subnet-priv-a", "subnet-priv-b"]
        );
        assert_eq!(dns.outbound_endpoint.unwrap().vpc_id, "vpc-client");
        let private = Extras {
            access: Some(Access::Private),
            ..Default::default()
        };
        let spec = Spec::parse(
            &starter_with(&inv, "vpc-prod", None, &private).unwrap(),
            "s",
        )
        .unwrap();
        let ep = spec.cluster_endpoint.unwrap();
        assert!(ep.private_access && !ep.public_access);
        assert!(spec.dns.is_none());
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
