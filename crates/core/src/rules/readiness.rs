//! Rules: A1, A2, G2, P4, P7, R1.
//! R1: the readiness audit. The cluster as it is, held to the fully-private target: the
//! base endpoints (P7), the S3 gateway on every node route table (P4), the existing
//! endpoints' AZs (P2) and groups (G1, G2), private endpoint access (A1, A2). Each finding
//! says whether it breaks the cluster today or only once the egress path (NAT, internet
//! gateway) is gone.
//!
//! It runs without a spec (`check --vpc/--cluster`), and for a spec that has not yet
//! chosen its endpoints (or its endpoint access): the wizard's Checks view then never shows
//! "No findings" for a cluster that would break without its NAT.

use super::endpoints::{endpoint_gaps, g1_shut, p2_missing_azs};
use super::{Breaks, Context, Finding, Id, Severity, rule};
use crate::inventory::SubnetKind;
use std::collections::BTreeSet;

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let (Some(v), Some(c)) = (ctx.vpc, ctx.cluster) else {
        return;
    };
    let endpoints_open = ctx.spec.is_none_or(|s| s.endpoints.is_none());
    let access_open = ctx.spec.is_none_or(|s| s.cluster_endpoint.is_none());
    if !endpoints_open && !access_open {
        return;
    }
    let nodes = ctx.node_subnets();
    let node_subnets: Vec<&crate::inventory::Subnet> =
        nodes.iter().filter_map(|n| v.subnet(n.id)).collect();
    let Some(when) = egress_breaks(ctx) else {
        return;
    };
    let mut found: Vec<Finding> = vec![];
    // Where the nodes run is read (node groups, running nodes); what could not be read
    // leaves the cluster's own subnets standing in for them: said.
    if ctx.spec.is_none() {
        for what in [
            crate::inventory::Unread::node_groups_of(&c.name),
            crate::inventory::Unread::nodes_of(&c.name),
        ] {
            if let Some(u) = ctx.inv.unread.iter().find(|u| u.what == what) {
                found.push(super::unread_finding(
                    Id::R1,
                    &format!("cluster {}", c.name),
                    u,
                    "the subnets and groups of those nodes",
                ));
            }
        }
    }
    if endpoints_open {
        endpoints(ctx, v, &node_subnets, when, &mut found);
    }
    if access_open {
        access(c, when, &mut found);
    }
    if ctx.spec.is_none() {
        let today = found
            .iter()
            .filter(|f| f.breaks == Some(Breaks::Today))
            .count();
        let later = found
            .iter()
            .filter(|f| f.breaks == Some(Breaks::WithoutEgress))
            .count();
        let egress = if when == Breaks::Today {
            "its nodes have no egress path"
        } else {
            "its nodes still have a NAT or internet path"
        };
        found.push(rule(Id::R1).at(
            format!("cluster {}", c.name),
            if today + later == 0 {
                format!("cluster {} ({egress}) has what a fully-private cluster needs: nothing found that breaks without egress", c.name)
            } else {
                format!("cluster {} ({egress}) held to the fully-private target: {today} finding(s) break it today, {later} once the NAT or internet path is gone", c.name)
            },
        ));
    }
    out.extend(found);
}

/// When a gap in what the nodes reach through endpoints breaks the cluster: today when no
/// node subnet has an egress path, else once it is gone. None without node subnets.
pub(super) fn egress_breaks(ctx: &Context) -> Option<Breaks> {
    let v = ctx.vpc?;
    let nodes: Vec<&crate::inventory::Subnet> = ctx
        .node_subnets()
        .iter()
        .filter_map(|n| v.subnet(n.id))
        .collect();
    if nodes.is_empty() {
        None
    } else if nodes.iter().all(|s| s.kind == SubnetKind::Isolated) {
        Some(Breaks::Today)
    } else {
        Some(Breaks::WithoutEgress)
    }
}

fn endpoints(
    ctx: &Context,
    v: &crate::inventory::Vpc,
    nodes: &[&crate::inventory::Subnet],
    when: Breaks,
    out: &mut Vec<Finding>,
) {
    let inv = ctx.inv;
    let cat = crate::spec::services::catalogue();
    let live = |e: &&crate::inventory::Endpoint| e.state.is_usable();
    // The base set (P7), each service the region offers.
    for svc in cat.base() {
        let Some(service) = cat.service(svc) else {
            continue;
        };
        if service.gateway {
            s3_gateway(v, nodes, when, out);
            continue;
        }
        let present = v.endpoints.iter().filter(live).any(|e| e.service == svc)
            || inv.hub_zone_for(v, svc).is_some();
        if !present && inv.offers(svc) {
            out.push(
                rule(Id::P7)
                    .at(
                        &v.id,
                        format!("no {svc} interface endpoint in {}: {}", v.id, service.why),
                    )
                    .fix(format!(
                        "create the {svc} endpoint in the node subnets (a spec with endpoints plans it)"
                    ))
                    .breaks(when),
            );
        }
    }
    // The interface endpoints there are: their AZs (P2), and who their groups let in (G1,
    // G2). Pods use the VPC's other CIDRs (custom networking) as well as the nodes'.
    let by_az: Vec<(&str, &str)> = nodes
        .iter()
        .map(|s| (s.az.as_str(), s.id.as_str()))
        .collect();
    let mut senders: Vec<crate::inventory::Sender> = nodes
        .iter()
        .map(|s| super::senders::of_node_subnet(ctx.cluster, s))
        .collect();
    // Pods there: which groups the ENIConfigs give them is not known without a spec.
    senders.extend(v.active_cidrs().skip(1).map(|c| crate::inventory::Sender {
        what: format!("pods ({c})"),
        cidr: c.to_string(),
        groups: vec![],
    }));
    for e in v
        .endpoints
        .iter()
        .filter(live)
        .filter(|e| e.kind.eq_ignore_ascii_case("interface"))
    {
        let service = inv
            .endpoint_services
            .iter()
            .find(|x| x.service == e.service);
        let gaps = endpoint_gaps(inv, v, e, service, &by_az, &senders);
        if !gaps.missing_azs.is_empty() {
            out.push(p2_missing_azs(e, "the endpoint", &gaps.missing_azs));
        }
        if let Some(shut) = gaps.shut.filter(|s| !s.is_empty()) {
            // With private DNS the service's name already answers with this endpoint in the
            // VPC: the calls from these CIDRs fail now.
            let (breaks, why) = if e.private_dns {
                (
                    Breaks::Today,
                    "with private DNS on, calls to the service from there already go to it and time out",
                )
            } else {
                (when, "calls from there cannot use it")
            };
            out.push(g1_shut(e, "the endpoint", &shut, why).breaks(breaks));
        }
        let open: Vec<&str> = v
            .security_groups
            .iter()
            .filter(|g| e.security_group_ids.contains(&g.id))
            .filter(|g| g.allows_tcp_from(443, "0.0.0.0/0"))
            .map(|g| g.id.as_str())
            .collect();
        if !open.is_empty() {
            out.push(
                rule(Id::G2)
                    .at(
                        &e.id,
                        format!(
                            "the endpoint {} ({}) is open to 0.0.0.0/0 on tcp/443 through {}",
                            e.id,
                            e.service,
                            open.join(", ")
                        ),
                    )
                    .severity(Severity::Warn)
                    .fix("allow tcp/443 from the VPC's CIDRs only, and remove the 0.0.0.0/0 rule"),
            );
        }
    }
}

/// P4: image layers come from S3, through a gateway on every node route table.
fn s3_gateway(
    v: &crate::inventory::Vpc,
    nodes: &[&crate::inventory::Subnet],
    when: Breaks,
    out: &mut Vec<Finding>,
) {
    let tables: BTreeSet<&str> = nodes
        .iter()
        .filter_map(|s| s.route_table_id.as_deref())
        .collect();
    let gateway = v.endpoints.iter().find(|e| {
        e.service == "s3" && e.kind.eq_ignore_ascii_case("gateway") && !e.state.is_gone()
    });
    let missing: Vec<&str> = tables
        .iter()
        .copied()
        .filter(|t| gateway.is_none_or(|g| !g.route_table_ids.iter().any(|r| r == t)))
        .collect();
    if missing.is_empty() {
        return;
    }
    let (subject, message, fix) = match gateway {
        Some(g) => (
            g.id.clone(),
            format!(
                "the S3 gateway {} is on {} of {} node route tables: nodes behind {} pull image layers over the egress path",
                g.id,
                tables.len() - missing.len(),
                tables.len(),
                missing.join(", ")
            ),
            format!(
                "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-route-table-ids {}",
                g.id,
                missing.join(" ")
            ),
        ),
        None => (
            v.id.clone(),
            format!(
                "no S3 gateway endpoint in {}: every image layer comes from S3 over the egress path",
                v.id
            ),
            format!(
                "create an S3 gateway endpoint on {} (a spec with endpoints plans it)",
                missing.join(", ")
            ),
        ),
    };
    out.push(rule(Id::P4).at(subject, message).fix(fix).breaks(when));
}

/// A1, A2: the cluster's endpoint access as it is.
fn access(c: &crate::inventory::Cluster, when: Breaks, out: &mut Vec<Finding>) {
    if !c.private_access {
        out.push(
            rule(Id::A1)
                .at(
                    format!("cluster {}", c.name),
                    format!(
                        "private endpoint access of {} is off: nodes reach the API through the public endpoint, over the egress path",
                        c.name
                    ),
                )
                .fix(format!(
                    "aws eks update-cluster-config --name {} --resources-vpc-config endpointPrivateAccess=true (or clusterEndpoint.privateAccess: true in a spec)",
                    c.name
                ))
                .breaks(when),
        );
    }
    if c.public_access
        && (c.public_access_cidrs.is_empty()
            || c.public_access_cidrs
                .iter()
                .any(|x| x == "0.0.0.0/0" || x == "::/0"))
    {
        out.push(
            rule(Id::A2)
                .at(
                    format!("cluster {}", c.name),
                    format!("the public endpoint of {} is open to 0.0.0.0/0", c.name),
                )
                .severity(Severity::Warn)
                .fix("limit publicAccessCidrs to the operators' networks, or turn public access off once private access works"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{Breaks, Severity, evaluate};
    use crate::inventory::{Endpoint, EndpointState, SecurityGroup, SgRule, SubnetKind};

    fn audit(inv: &crate::inventory::Inventory) -> Vec<super::Finding> {
        evaluate(inv, None, Some("vpc-prod"), Some("prod"))
    }

    fn find<'a>(f: &'a [super::Finding], id: &str, needle: &str) -> Option<&'a super::Finding> {
        f.iter().find(|f| f.id == id && f.message.contains(needle))
    }

    /// The account of the issue: a public-only cluster open to 0.0.0.0/0, an S3 gateway on
    /// one of the node route tables, an sts endpoint in two of the node AZs whose group
    /// admits 0.0.0.0/0 but not the third node subnet.
    #[test]
    fn the_cluster_as_it_is_is_held_to_the_private_target() {
        let mut inv = inventory();
        inv.clusters[0].subnet_ids = vec![
            "subnet-priv-a".into(),
            "subnet-priv-b".into(),
            "subnet-priv-c".into(),
        ];
        inv.clusters[0].public_access_cidrs = vec!["0.0.0.0/0".into()];
        let v = vpc_mut(&mut inv);
        v.security_groups.push(SecurityGroup {
            id: "sg-open".into(),
            name: "open".into(),
            ingress: vec![SgRule {
                protocol: "tcp".into(),
                from_port: Some(443),
                to_port: Some(443),
                cidrs: vec!["0.0.0.0/0".into()],
                ..Default::default()
            }],
            ..Default::default()
        });
        v.endpoints = vec![
            Endpoint {
                id: "vpce-s3".into(),
                service: "s3".into(),
                kind: "Gateway".into(),
                state: EndpointState::Available,
                route_table_ids: vec!["rtb-priv-a".into()],
                ..Default::default()
            },
            Endpoint {
                id: "vpce-sts".into(),
                service: "sts".into(),
                kind: "Interface".into(),
                state: EndpointState::Available,
                subnet_ids: vec!["subnet-priv-a".into(), "subnet-priv-b".into()],
                security_group_ids: vec!["sg-open".into()],
                private_dns: true,
                ..Default::default()
            },
        ];
        let f = audit(&inv);
        // Egress is there (NAT): these break once it is gone.
        for (id, needle) in [
            ("P7", "no ec2 interface endpoint"),
            ("P7", "no ecr.api interface endpoint"),
            ("P7", "no ecr.dkr interface endpoint"),
            ("P4", "is on 1 of 3 node route tables"),
            ("A1", "private endpoint access of prod is off"),
        ] {
            let x = find(&f, id, needle).unwrap_or_else(|| panic!("{id} {needle}: {f:#?}"));
            assert_eq!(x.breaks, Some(Breaks::WithoutEgress), "{x:?}");
            assert_eq!(x.severity, Severity::Warn);
            assert!(x.message.starts_with("breaks once the NAT"), "{x:?}");
        }
        assert!(find(&f, "P7", "no sts").is_none(), "sts exists: {f:#?}");
        assert!(
            find(&f, "P2", "has no subnet in eu-west-1c").is_some(),
            "{f:#?}"
        );
        assert!(find(&f, "G2", "open to 0.0.0.0/0 on tcp/443 through sg-open").is_some());
        assert!(find(&f, "A2", "open to 0.0.0.0/0").is_some(), "{f:#?}");
        let r1 = find(&f, "R1", "held to the fully-private target").expect("R1");
        assert!(
            r1.message.contains("0 finding(s) break it today, 5 once"),
            "{r1:?}"
        );
        // A group that shuts out a node subnet of a private-DNS endpoint breaks it today.
        let g = vpc_mut(&mut inv)
            .security_groups
            .iter_mut()
            .find(|g| g.id == "sg-open")
            .unwrap();
        g.ingress[0].cidrs = vec!["10.0.1.0/24".into()];
        let f = audit(&inv);
        let g1 = find(&f, "G1", "vpce-sts").expect("G1");
        assert_eq!(g1.breaks, Some(Breaks::Today));
        assert_eq!(g1.severity, Severity::Error);
        // Isolated nodes: everything missing breaks today.
        for s in &mut vpc_mut(&mut inv).subnets {
            s.kind = SubnetKind::Isolated;
        }
        let f = audit(&inv);
        assert_eq!(
            find(&f, "P7", "no ec2 interface endpoint").unwrap().breaks,
            Some(Breaks::Today)
        );
    }

    /// Issue 25 (G1): an endpoint whose group lets tcp/443 in from the cluster security
    /// group, which managed nodes carry, admits them: it works, nothing breaks. So does a
    /// prefix list holding the nodes' range. A launch template that may name other groups
    /// leaves only what a CIDR or list rule admits.
    #[test]
    fn g1_a_group_or_prefix_list_rule_admits_the_nodes() {
        let mut inv = inventory();
        inv.clusters[0].node_groups = Some(vec![crate::inventory::NodeGroup {
            name: "ng".into(),
            subnet_ids: vec!["subnet-priv-a".into(), "subnet-priv-b".into()],
            ..Default::default()
        }]);
        let v = vpc_mut(&mut inv);
        v.security_groups.push(SecurityGroup {
            id: "sg-ep".into(),
            name: "endpoints".into(),
            ingress: vec![SgRule {
                protocol: "tcp".into(),
                from_port: Some(443),
                to_port: Some(443),
                group_ids: vec!["sg-cluster".into()],
                ..Default::default()
            }],
            ..Default::default()
        });
        v.endpoints = vec![Endpoint {
            id: "vpce-dkr".into(),
            service: "ecr.dkr".into(),
            kind: "Interface".into(),
            state: EndpointState::Available,
            subnet_ids: vec!["subnet-priv-a".into(), "subnet-priv-b".into()],
            security_group_ids: vec!["sg-ep".into()],
            private_dns: true,
            ..Default::default()
        }];
        let f = audit(&inv);
        assert!(find(&f, "G1", "vpce-dkr").is_none(), "{f:#?}");
        // Behind a launch template the nodes' groups are not known: shut out.
        inv.clusters[0].node_groups.as_mut().unwrap()[0].launch_template = Some("lt-1".into());
        let g1 = find(&audit(&inv), "G1", "vpce-dkr").cloned().expect("G1");
        assert_eq!(g1.breaks, Some(Breaks::Today));
        // A prefix list with the VPC's range admits them, once its entries are read.
        let g = vpc_mut(&mut inv)
            .security_groups
            .iter_mut()
            .find(|g| g.id == "sg-ep")
            .unwrap();
        g.ingress[0].group_ids.clear();
        g.ingress[0].prefix_list_ids = vec!["pl-corp".into()];
        assert!(find(&audit(&inv), "G1", "vpce-dkr").is_some());
        inv.prefix_lists = vec![crate::inventory::PrefixList {
            id: "pl-corp".into(),
            cidrs: vec!["10.0.0.0/16".into()],
        }];
        assert!(find(&audit(&inv), "G1", "vpce-dkr").is_none());
    }

    /// Issue 25 (R1): without a spec the nodes are where the node groups and the running
    /// nodes are, not the cluster's own (control-plane) subnets; S2 keeps those.
    #[test]
    fn r1_judges_the_node_groups_subnets() {
        let mut inv = inventory();
        // Control plane in private-a/b; nodes in private-c (its route table lacks the S3
        // gateway) and a self-managed node in data-a.
        inv.clusters[0].node_groups = Some(vec![crate::inventory::NodeGroup {
            name: "workers".into(),
            subnet_ids: vec!["subnet-priv-c".into()],
            ..Default::default()
        }]);
        inv.clusters[0].nodes = Some(vec![crate::inventory::NodeInstance {
            id: "i-self".into(),
            subnet_id: "subnet-data-a".into(),
            ..Default::default()
        }]);
        vpc_mut(&mut inv).endpoints = vec![Endpoint {
            id: "vpce-s3".into(),
            service: "s3".into(),
            kind: "Gateway".into(),
            state: EndpointState::Available,
            route_table_ids: vec!["rtb-priv-a".into(), "rtb-priv-b".into()],
            ..Default::default()
        }];
        let f = audit(&inv);
        let p4 = find(&f, "P4", "vpce-s3").expect("P4");
        assert!(
            p4.message.contains("is on 0 of 2 node route tables")
                && p4.message.contains("rtb-main, rtb-priv-c"),
            "{p4:?}"
        );
        // S4 (main route table) names the self-managed node's subnet by its node.
        assert!(
            f.iter()
                .any(|x| x.id == "S4" && x.subject == "node i-self subnet subnet-data-a"),
            "{f:#?}"
        );
        // S2 on the control plane's subnets, not the nodes'.
        vpc_mut(&mut inv).subnets[2].az_id = "use1-az3".into();
        let f = audit(&inv);
        assert!(
            f.iter()
                .any(|x| x.id == "S2" && x.subject == "cluster prod subnet subnet-priv-a"),
            "{f:#?}"
        );
        // Nothing read of the nodes: the cluster's subnets stand in, as before.
        inv.clusters[0].node_groups = None;
        inv.clusters[0].nodes = None;
        assert!(
            find(&audit(&inv), "P4", "is on 2 of 2").is_none()
                && find(&audit(&inv), "P4", "vpce-s3").is_none()
        );
    }

    /// A spec that has chosen its endpoints and access gets the spec's rules, not the
    /// audit; one that has not gets the audit for what it has not chosen.
    #[test]
    fn a_spec_without_endpoints_is_audited_for_them() {
        let inv = inventory();
        let s = spec();
        assert!(s.endpoints.is_none());
        let f = evaluate(&inv, Some(&s), None, None);
        assert!(
            find(&f, "P7", "no ec2 interface endpoint").is_some(),
            "{f:#?}"
        );
        assert!(
            find(&f, "R1", "").is_none(),
            "the summary is the audit's: {f:#?}"
        );
        let mut chosen = s.clone();
        chosen.endpoints = Some(crate::spec::starter::base_endpoints(&inv, "prod-private"));
        chosen.cluster_endpoint = Some(crate::spec::ClusterEndpoint {
            private_access: true,
            public_access: true,
            public_access_cidrs: vec!["203.0.113.0/24".into()],
            allow_https_from_cidrs: vec![],
        });
        let f = evaluate(&inv, Some(&chosen), None, None);
        assert!(f.iter().all(|f| f.breaks.is_none()), "{f:#?}");
    }
}
