//! Bad input, table-driven: a complete, sound spec, broken one way per row; each row names
//! the rule and the field the finding must carry. Nothing here calls AWS.

use super::testkit::{client_vpc, inventory, spec, vpc_mut};
use super::{Severity, evaluate};
use crate::inventory::{EndpointService, Inventory};
use crate::spec::*;

/// The test inventory plus a peered client VPC and the region's endpoint services.
fn inv() -> Inventory {
    let mut inv = inventory();
    let client = client_vpc(&inv);
    inv.vpcs.push(client);
    vpc_mut(&mut inv)
        .security_groups
        .push(crate::inventory::SecurityGroup {
            id: "sg-nodes".into(),
            name: "nodes".into(),
            ..Default::default()
        });
    inv.clusters[0].endpoint = "https://abc.gr7.eu-west-1.eks.amazonaws.com".into();
    inv.endpoint_services = ["ec2", "ecr.api", "ecr.dkr", "sts", "eks", "logs", "s3"]
        .iter()
        .map(|s| EndpointService {
            service: s.to_string(),
            service_name: format!("com.amazonaws.eu-west-1.{s}"),
            types: vec![if *s == "s3" { "Gateway" } else { "Interface" }.into()],
            availability_zones: vec![
                "eu-west-1a".into(),
                "eu-west-1b".into(),
                "eu-west-1c".into(),
            ],
            ..Default::default()
        })
        .collect();
    inv
}

/// Every section filled in, soundly.
fn good() -> Spec {
    let mut s = spec();
    s.endpoints = Some(Endpoints {
        services: ["ec2", "ecr.api", "ecr.dkr", "s3", "sts", "eks", "logs"]
            .map(String::from)
            .to_vec(),
        features: vec![],
        private_dns: true,
        security_group: SecurityGroupChoice {
            id: None,
            create: Some(CreateSecurityGroup {
                name: "prod-private-endpoints".into(),
            }),
        },
        extra_route_table_ids: vec![],
    });
    s.secondary_cidr = Some(SecondaryCidr {
        cidr: "100.64.0.0/16".into(),
        pod_subnets: [
            ("eu-west-1a", "100.64.0.0/19"),
            ("eu-west-1b", "100.64.32.0/19"),
        ]
        .map(|(a, c)| (a.to_string(), c.to_string()))
        .into(),
    });
    s.custom_networking = Some(CustomNetworking {
        eni_config_label: LABEL_ZONE.into(),
        security_group_ids: vec!["sg-nodes".into()],
        prefix_delegation: false,
    });
    s.cluster_endpoint = Some(ClusterEndpoint {
        private_access: true,
        public_access: true,
        public_access_cidrs: vec!["54.1.2.0/24".into()],
        allow_https_from_cidrs: vec!["10.99.0.0/16".into()],
    });
    s.dns = Some(Dns {
        inbound_endpoint: Some(InboundEndpoint {
            subnet_ids: vec!["subnet-priv-a".into(), "subnet-priv-b".into()],
            allow_from_cidrs: vec!["10.99.0.0/16".into(), "192.168.0.0/16".into()],
        }),
        outbound_endpoint: Some(OutboundEndpoint {
            vpc_id: "vpc-client".into(),
            subnet_ids: vec!["subnet-c1".into(), "subnet-c2".into()],
        }),
        forward_rule: Some(ForwardRule {
            domain: "auto".into(),
            associate_vpc_ids: vec!["vpc-client".into()],
        }),
    });
    s
}

fn ep(s: &mut Spec) -> &mut Endpoints {
    s.endpoints.as_mut().unwrap()
}
fn sec(s: &mut Spec) -> &mut SecondaryCidr {
    s.secondary_cidr.as_mut().unwrap()
}
fn access(s: &mut Spec) -> &mut ClusterEndpoint {
    s.cluster_endpoint.as_mut().unwrap()
}
fn dns(s: &mut Spec) -> &mut Dns {
    s.dns.as_mut().unwrap()
}
fn pods(s: &mut Spec, a: &str, c: &str) {
    sec(s).pod_subnets.insert(a.into(), c.into());
}

type Case = (&'static str, fn(&mut Spec), &'static str, &'static str);

/// (what is wrong, how to break the good spec, rule ID, field path the finding names)
const CASES: &[Case] = &[
    // secondary CIDR (C1)
    (
        "invalid CIDR text",
        |s| sec(s).cidr = "100.64.0/16".into(),
        "C1",
        "secondaryCidr.cidr",
    ),
    (
        "host bits set",
        |s| sec(s).cidr = "100.64.0.1/16".into(),
        "C1",
        "secondaryCidr.cidr",
    ),
    (
        "IPv6 CIDR",
        |s| sec(s).cidr = "fd00::/16".into(),
        "C1",
        "secondaryCidr.cidr",
    ),
    (
        "larger than /16",
        |s| sec(s).cidr = "100.64.0.0/15".into(),
        "C1",
        "secondaryCidr.cidr",
    ),
    (
        "smaller than /28",
        |s| sec(s).cidr = "100.64.0.0/29".into(),
        "C1",
        "secondaryCidr.cidr",
    ),
    (
        "172.16/12 on a 10/8 VPC",
        |s| sec(s).cidr = "172.20.0.0/16".into(),
        "C1",
        "secondaryCidr.cidr",
    ),
    (
        "192.168/16 on a 10/8 VPC",
        |s| sec(s).cidr = "192.168.0.0/16".into(),
        "C1",
        "secondaryCidr.cidr",
    ),
    (
        "198.19/16 on a 10/8 VPC",
        |s| sec(s).cidr = "198.19.0.0/16".into(),
        "C1",
        "secondaryCidr.cidr",
    ),
    (
        "two prefix lengths",
        |s| sec(s).cidr = "100.64.0.0/16/1".into(),
        "C1",
        "secondaryCidr.cidr",
    ),
    (
        "link-local",
        |s| sec(s).cidr = "169.254.0.0/16".into(),
        "C1",
        "secondaryCidr.cidr",
    ),
    (
        "overlaps the VPC",
        |s| sec(s).cidr = "10.0.64.0/18".into(),
        "C1",
        "secondaryCidr.cidr",
    ),
    (
        "overlaps a peered VPC",
        |s| sec(s).cidr = "10.99.0.0/16".into(),
        "C1",
        "secondaryCidr.cidr",
    ),
    (
        "overlaps a routed network",
        |s| sec(s).cidr = "10.99.128.0/17".into(),
        "C1",
        "secondaryCidr.cidr",
    ),
    (
        "overlaps the service CIDR",
        |s| sec(s).cidr = "172.20.0.0/16".into(),
        "C1",
        "secondaryCidr.cidr",
    ),
    // pod subnets (C4)
    (
        "pod subnet outside the CIDR",
        |s| pods(s, "eu-west-1a", "100.65.0.0/19"),
        "C4",
        "secondaryCidr.podSubnets.eu-west-1a",
    ),
    (
        "pod subnets overlap",
        |s| pods(s, "eu-west-1b", "100.64.16.0/20"),
        "C4",
        "secondaryCidr.podSubnets.eu-west-1b",
    ),
    (
        "pod subnet in an AZ without nodes",
        |s| pods(s, "eu-west-1c", "100.64.64.0/19"),
        "C4",
        "secondaryCidr.podSubnets.eu-west-1c",
    ),
    (
        "pod subnet invalid text",
        |s| pods(s, "eu-west-1a", "100.64.0.0/33"),
        "C4",
        "secondaryCidr.podSubnets.eu-west-1a",
    ),
    (
        "pod subnet too small",
        |s| pods(s, "eu-west-1a", "100.64.0.0/29"),
        "C4",
        "secondaryCidr.podSubnets.eu-west-1a",
    ),
    (
        "node AZ without pod subnet",
        |s| {
            sec(s).pod_subnets.remove("eu-west-1b");
        },
        "C4",
        "secondaryCidr.podSubnets",
    ),
    // node subnets (S1–S4)
    (
        "one AZ only",
        |s| {
            s.node_subnets.remove("eu-west-1b");
        },
        "S1",
        "nodeSubnets",
    ),
    (
        "no node subnet",
        |s| s.node_subnets.clear(),
        "S1",
        "nodeSubnets",
    ),
    (
        "two node subnets in one AZ",
        |s| {
            s.node_subnets
                .insert("eu-west-1c".into(), "subnet-data-a".into());
        },
        "S1",
        "nodeSubnets",
    ),
    (
        "subnet listed under the wrong AZ",
        |s| {
            s.node_subnets
                .insert("eu-west-1a".into(), "subnet-priv-b".into());
        },
        "S1",
        "nodeSubnets.eu-west-1a",
    ),
    (
        "public node subnet",
        |s| {
            s.node_subnets
                .insert("eu-west-1a".into(), "subnet-pub-a".into());
        },
        "S3",
        "nodeSubnets.eu-west-1a",
    ),
    (
        "subnet of another VPC",
        |s| {
            s.node_subnets
                .insert("eu-west-1a".into(), "subnet-c1".into());
        },
        "S3",
        "nodeSubnets.eu-west-1a",
    ),
    (
        "unknown subnet",
        |s| {
            s.node_subnets
                .insert("eu-west-1a".into(), "subnet-nope".into());
        },
        "S3",
        "nodeSubnets.eu-west-1a",
    ),
    (
        "VPC that does not exist",
        |s| s.vpc_id = "vpc-nope".into(),
        "S3",
        "vpcId",
    ),
    // endpoints (P, G)
    (
        "unknown endpoint service",
        |s| ep(s).services.push("ecr".into()),
        "P1",
        "endpoints.services[7]",
    ),
    (
        "service the region does not offer",
        |s| ep(s).services.push("xray".into()),
        "P1",
        "endpoints.services[7]",
    ),
    (
        "service listed twice",
        |s| ep(s).services.push("sts".into()),
        "P1",
        "endpoints.services[7]",
    ),
    (
        "no s3 gateway",
        |s| ep(s).services.retain(|x| x != "s3"),
        "P4",
        "endpoints.services",
    ),
    (
        "unknown extra route table",
        |s| ep(s).extra_route_table_ids.push("rtb-nope".into()),
        "P4",
        "endpoints.extraRouteTableIds[0]",
    ),
    (
        "base set incomplete",
        |s| ep(s).services.retain(|x| x != "ecr.dkr"),
        "P7",
        "endpoints.services",
    ),
    (
        "both id and create",
        |s| ep(s).security_group.id = Some("sg-nodes".into()),
        "G2",
        "endpoints.securityGroup",
    ),
    (
        "neither id nor create",
        |s| ep(s).security_group.create = None,
        "G2",
        "endpoints.securityGroup",
    ),
    (
        "group id of no group",
        |s| {
            ep(s).security_group = SecurityGroupChoice {
                id: Some("sg-nope".into()),
                create: None,
            };
        },
        "G2",
        "endpoints.securityGroup.id",
    ),
    (
        "group name taken",
        |s| {
            ep(s).security_group.create = Some(CreateSecurityGroup {
                name: "nodes".into(),
            })
        },
        "G2",
        "endpoints.securityGroup.create.name",
    ),
    (
        "empty group name",
        |s| ep(s).security_group.create = Some(CreateSecurityGroup { name: "".into() }),
        "G2",
        "endpoints.securityGroup.create.name",
    ),
    (
        "existing group misses 443 from the VPC",
        |s| {
            ep(s).security_group = SecurityGroupChoice {
                id: Some("sg-nodes".into()),
                create: None,
            };
        },
        "G1",
        "endpoints.securityGroup.id",
    ),
    // endpoint access (A, E)
    (
        "private and public access both off",
        |s| {
            access(s).private_access = false;
            access(s).public_access = false;
        },
        "A1",
        "clusterEndpoint",
    ),
    (
        "clusterEndpoint without clusterName",
        |s| {
            s.cluster_name = None;
            s.dns = None;
        },
        "A1",
        "clusterEndpoint",
    ),
    (
        "public access open to 0.0.0.0/0",
        |s| access(s).public_access_cidrs = vec!["0.0.0.0/0".into()],
        "A2",
        "clusterEndpoint.publicAccessCidrs[0]",
    ),
    (
        "private range in the public allow-list",
        |s| access(s).public_access_cidrs = vec!["10.0.0.0/8".into()],
        "A2",
        "clusterEndpoint.publicAccessCidrs[0]",
    ),
    (
        "invalid public CIDR",
        |s| access(s).public_access_cidrs = vec!["54.1.2/24".into()],
        "A2",
        "clusterEndpoint.publicAccessCidrs[0]",
    ),
    (
        "public access without allow-list",
        |s| access(s).public_access_cidrs.clear(),
        "A2",
        "clusterEndpoint.publicAccessCidrs",
    ),
    (
        "invalid kubectl CIDR",
        |s| access(s).allow_https_from_cidrs = vec!["10.99.0.0/8".into()],
        "E3",
        "clusterEndpoint.allowHttpsFromCidrs[0]",
    ),
    (
        "kubectl from everywhere",
        |s| access(s).allow_https_from_cidrs = vec!["0.0.0.0/0".into()],
        "E3",
        "clusterEndpoint.allowHttpsFromCidrs[0]",
    ),
    (
        "more kubectl CIDRs than a security group holds",
        |s| {
            access(s).allow_https_from_cidrs =
                (0..61).map(|i| format!("10.{}.0.0/16", 100 + i)).collect()
        },
        "E3",
        "clusterEndpoint.allowHttpsFromCidrs",
    ),
    (
        "more public CIDRs than EKS takes",
        |s| access(s).public_access_cidrs = (0..41).map(|i| format!("52.{i}.0.0/16")).collect(),
        "A2",
        "clusterEndpoint.publicAccessCidrs",
    ),
    (
        "public off with private off",
        |s| {
            access(s).public_access = false;
            access(s).private_access = false;
        },
        "E4",
        "clusterEndpoint.publicAccess",
    ),
    // DNS (D, G4)
    (
        "forward rule on the cluster VPC",
        |s| {
            dns(s)
                .forward_rule
                .as_mut()
                .unwrap()
                .associate_vpc_ids
                .push("vpc-prod".into())
        },
        "D3",
        "dns.forwardRule.associateVpcIds[1]",
    ),
    (
        "forward rule on an unknown VPC",
        |s| {
            dns(s)
                .forward_rule
                .as_mut()
                .unwrap()
                .associate_vpc_ids
                .push("vpc-nope".into())
        },
        "D4",
        "dns.forwardRule.associateVpcIds[1]",
    ),
    (
        "forwarding another domain",
        |s| dns(s).forward_rule.as_mut().unwrap().domain = "amazonaws.com".into(),
        "D5",
        "dns.forwardRule.domain",
    ),
    (
        "dns without clusterName",
        |s| {
            s.cluster_name = None;
            s.cluster_endpoint = None;
        },
        "D5",
        "dns",
    ),
    (
        "inbound endpoint in one AZ",
        |s| {
            dns(s).inbound_endpoint.as_mut().unwrap().subnet_ids =
                vec!["subnet-priv-a".into(), "subnet-data-a".into()]
        },
        "D2",
        "dns.inboundEndpoint.subnetIds",
    ),
    (
        "inbound endpoint in another VPC",
        |s| {
            dns(s)
                .inbound_endpoint
                .as_mut()
                .unwrap()
                .subnet_ids
                .push("subnet-c1".into())
        },
        "D2",
        "dns.inboundEndpoint.subnetIds[2]",
    ),
    (
        "invalid client CIDR",
        |s| {
            dns(s)
                .inbound_endpoint
                .as_mut()
                .unwrap()
                .allow_from_cidrs
                .push("10.0.0.0/33".into())
        },
        "G4",
        "dns.inboundEndpoint.allowFromCidrs[2]",
    ),
    (
        "outbound endpoint in the cluster VPC",
        |s| dns(s).outbound_endpoint.as_mut().unwrap().vpc_id = "vpc-prod".into(),
        "D4",
        "dns.outboundEndpoint.vpcId",
    ),
    (
        "outbound subnet of another VPC",
        |s| dns(s).outbound_endpoint.as_mut().unwrap().subnet_ids[1] = "subnet-priv-a".into(),
        "D4",
        "dns.outboundEndpoint.subnetIds[1]",
    ),
    (
        "outbound endpoint in one AZ",
        |s| {
            dns(s).outbound_endpoint.as_mut().unwrap().subnet_ids.pop();
        },
        "D2",
        "dns.outboundEndpoint.subnetIds",
    ),
    // custom networking (N)
    (
        "custom networking without secondary CIDR",
        |s| s.secondary_cidr = None,
        "N2",
        "customNetworking",
    ),
    (
        "unknown ENIConfig label",
        |s| s.custom_networking.as_mut().unwrap().eni_config_label = "zone".into(),
        "N4",
        "customNetworking.eniConfigLabel",
    ),
    (
        "ENIConfig group of no group",
        |s| s.custom_networking.as_mut().unwrap().security_group_ids = vec!["sg-nope".into()],
        "N2",
        "customNetworking.securityGroupIds[0]",
    ),
    // no egress (E1, E2)
    (
        "isolated nodes without sts",
        |s| {
            s.node_subnets
                .insert("eu-west-1a".into(), "subnet-data-a".into());
            ep(s).services.retain(|x| x != "sts");
        },
        "E1",
        "endpoints.services",
    ),
    (
        "isolated nodes without eks",
        |s| {
            s.node_subnets
                .insert("eu-west-1a".into(), "subnet-data-a".into());
            ep(s).services.retain(|x| x != "eks");
        },
        "E2",
        "endpoints.services",
    ),
    (
        "isolated nodes and private access off",
        |s| {
            s.node_subnets
                .insert("eu-west-1a".into(), "subnet-data-a".into());
            access(s).private_access = false;
        },
        "A1",
        "clusterEndpoint.privateAccess",
    ),
];

#[test]
fn the_good_spec_has_no_errors() {
    let errors: Vec<_> = evaluate(&inv(), Some(&good()), None, None)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn each_bad_input_is_named_with_rule_and_field() {
    assert!(CASES.len() >= 60, "{} cases", CASES.len());
    let inv = inv();
    let mut failed = vec![];
    for (what, break_it, id, field) in CASES {
        let mut s = good();
        break_it(&mut s);
        let findings = evaluate(&inv, Some(&s), None, None);
        let hit = findings
            .iter()
            .any(|f| f.id == *id && f.subject == *field && f.severity != Severity::Info);
        if !hit {
            let got: Vec<String> = findings
                .iter()
                .filter(|f| f.severity != Severity::Info)
                .map(|f| format!("{} {}: {}", f.id, f.subject, f.message))
                .collect();
            failed.push(format!("{what}: expected {id} at {field}; got {got:#?}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
