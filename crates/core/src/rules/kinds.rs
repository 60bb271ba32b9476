//! Rules: K1, K2.
//! K1, K2: the kind of cluster, as DescribeCluster says it. EKS Auto Mode (K1) runs the
//! nodes' networking itself, so the VPC CNI's custom networking does not apply; hybrid
//! nodes (K2) bring remote node and pod networks the VPC must route to and the cluster
//! security group must let in.

use super::cidr::{overlaps, parse_v4};
use super::{Context, Finding, Id, Severity, rule};
use crate::inventory::Sender;

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(c) = ctx.cluster else { return };
    if c.auto_mode {
        auto_mode(ctx, c, out);
    }
    if !c.remote_node_networks.is_empty() || !c.remote_pod_networks.is_empty() {
        hybrid(ctx, c, out);
    }
}

/// K1: what an Auto Mode cluster does instead of ENIConfigs and aws-node settings.
fn auto_mode(ctx: &Context, c: &crate::inventory::Cluster, out: &mut Vec<Finding>) {
    let Some(spec) = ctx.spec else {
        out.push(
            rule(Id::K1)
                .at(
                    format!("cluster {}", c.name),
                    format!(
                        "cluster {} runs EKS Auto Mode: EKS runs its nodes and their networking (pods at most 110 per node); pods go to other subnets through a NodeClass's podSubnetSelectorTerms and podSecurityGroupSelectorTerms, not ENIConfigs",
                        c.name
                    ),
                )
                .severity(Severity::Info),
        );
        return;
    };
    if spec.custom_networking.is_some() {
        out.push(
            rule(Id::K1).at(
                "customNetworking",
                format!(
                    "cluster {} runs EKS Auto Mode: the VPC CNI's custom networking (ENIConfigs, aws-node settings) does not apply to its nodes",
                    c.name
                ),
            ),
        );
    } else if spec.secondary_cidr.is_some() {
        out.push(
            rule(Id::K1)
                .at(
                    "secondaryCidr",
                    format!(
                        "cluster {} runs EKS Auto Mode: its pods use the pod subnets once a NodeClass selects them (podSubnetSelectorTerms, podSecurityGroupSelectorTerms; the nodeclass export writes one)",
                        c.name
                    ),
                )
                .severity(Severity::Info),
        );
    }
}

/// K2: the remote networks of hybrid nodes, against the VPC.
fn hybrid(ctx: &Context, c: &crate::inventory::Cluster, out: &mut Vec<Finding>) {
    let subject = format!("cluster {}", c.name);
    if c.ip_family == "ipv6" {
        out.push(rule(Id::K2).at(
            &subject,
            format!(
                "cluster {} is IPv6: hybrid nodes work with IPv4 clusters only",
                c.name
            ),
        ));
    }
    let Some(v) = ctx.vpc else { return };
    let remote: Vec<(&str, &String)> = c
        .remote_node_networks
        .iter()
        .map(|n| ("node", n))
        .chain(c.remote_pod_networks.iter().map(|n| ("pod", n)))
        .collect();
    // Never the VPC's own ranges (the planned secondary CIDR too) or the service CIDR.
    let mut ours: Vec<(String, &str)> = v
        .active_cidrs()
        .map(|x| (x.to_string(), "the VPC's CIDR"))
        .collect();
    if let Some(sec) = ctx.spec.and_then(|s| s.secondary_cidr.as_ref()) {
        ours.push((sec.cidr.clone(), "the planned secondary CIDR"));
    }
    if let Some(svc) = &c.service_cidr {
        ours.push((svc.clone(), "the service CIDR"));
    }
    for (kind, net) in &remote {
        let Ok(n) = parse_v4(net) else { continue };
        for (cidr, what) in &ours {
            if parse_v4(cidr).is_ok_and(|o| overlaps(&n, &o)) {
                out.push(
                    rule(Id::K2)
                        .at(
                            &subject,
                            format!(
                                "the remote {kind} network {n} of cluster {} overlaps {what} {cidr}",
                                c.name
                            ),
                        )
                        .fix("choose remote networks that overlap no VPC, secondary or service CIDR"),
                );
            }
        }
    }
    // The control plane's interfaces sit in the cluster's subnets: their route tables need
    // a route to each remote network (through the VPN or Direct Connect gateway, or a
    // transit gateway).
    let mut tables: Vec<&str> = c
        .subnet_ids
        .iter()
        .filter_map(|id| v.subnet(id))
        .filter_map(|s| s.route_table_id.as_deref())
        .collect();
    tables.sort_unstable();
    tables.dedup();
    for t in tables {
        let Some(rt) = v.route_tables.iter().find(|r| r.id == t) else {
            continue;
        };
        for (kind, net) in &remote {
            let Ok(n) = parse_v4(net) else { continue };
            // A NAT or internet gateway never leads on-premises: only a transit or virtual
            // private gateway, a peering, an instance or an interface does.
            let routed = rt.routes.iter().any(|r| {
                r.state != crate::inventory::RouteState::Blackhole
                    && ["tgw-", "vgw-", "pcx-", "eni-", "i-"]
                        .iter()
                        .any(|p| r.target.starts_with(p))
                    && parse_v4(&r.destination).is_ok_and(|d| d.contains(&n))
            });
            if !routed {
                out.push(
                    rule(Id::K2)
                        .at(
                            t,
                            format!(
                                "route table {t} of cluster {}'s subnets has no route to the remote {kind} network {n}: the control plane cannot reach the hybrid nodes there",
                                c.name
                            ),
                        )
                        .severity(Severity::Warn)
                        .fix(format!(
                            "aws ec2 create-route --route-table-id {t} --destination-cidr-block {n} --transit-gateway-id TGW (or --gateway-id VGW)"
                        )),
                );
            }
        }
    }
    // The cluster security group lets tcp/443 in from the remote networks (kubelets, and
    // pods whose CNI does not NAT).
    let Some(sg) = c
        .cluster_security_group_id
        .as_deref()
        .and_then(|id| v.security_groups.iter().find(|g| g.id == id))
    else {
        return;
    };
    for (kind, net) in &remote {
        let from = Sender {
            what: format!("remote {kind} network"),
            cidr: net.to_string(),
            groups: vec![],
        };
        if !sg.admits_tcp(443, &from, &ctx.inv.prefix_lists) {
            out.push(
                rule(Id::K2)
                    .at(
                        &sg.id,
                        format!(
                            "the cluster security group {} does not let tcp/443 in from the remote {kind} network {net}: {}",
                            sg.id,
                            if *kind == "node" {
                                "kubelets on hybrid nodes cannot reach the API server"
                            } else {
                                "pods on hybrid nodes cannot reach the API server unless their CNI NATs them"
                            }
                        ),
                    )
                    .severity(Severity::Warn)
                    .fix(format!(
                        "aws ec2 authorize-security-group-ingress --group-id {} --protocol tcp --port 443 --cidr {net}",
                        sg.id
                    )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{Severity, evaluate};

    fn k(
        inv: &crate::inventory::Inventory,
        s: Option<&crate::spec::Spec>,
        id: &str,
    ) -> Vec<super::Finding> {
        evaluate(inv, s, None, Some("prod"))
            .into_iter()
            .filter(|f| f.id == id)
            .collect()
    }

    /// Issue 25 (K1): an Auto Mode cluster (DescribeCluster's computeConfig) refuses
    /// custom networking and says what takes its place.
    #[test]
    fn k1_auto_mode_has_no_eniconfigs() {
        let mut inv = inventory();
        let mut s = spec();
        s.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: Default::default(),
        });
        s.custom_networking = Some(crate::spec::CustomNetworking {
            eni_config_label: crate::spec::LABEL_ZONE.into(),
            security_group_ids: vec![],
            prefix_delegation: false,
        });
        assert!(k(&inv, Some(&s), "K1").is_empty(), "a classic cluster");
        inv.clusters[0].auto_mode = true;
        let f = k(&inv, Some(&s), "K1");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].subject, "customNetworking");
        s.custom_networking = None;
        let f = k(&inv, Some(&s), "K1");
        assert!(f[0].message.contains("podSubnetSelectorTerms") && f[0].severity == Severity::Info);
        assert!(k(&inv, None, "K1")[0].message.contains("110 per node"));
    }

    /// Issue 25 (K2): hybrid nodes' remote networks: no overlap, a route from the cluster's
    /// subnets, and the cluster security group lets them in on tcp/443.
    #[test]
    fn k2_hybrid_networks_are_routed_and_let_in() {
        let mut inv = inventory();
        inv.clusters[0].remote_node_networks = vec!["192.168.100.0/24".into()];
        inv.clusters[0].remote_pod_networks = vec!["10.0.250.0/24".into()];
        vpc_mut(&mut inv)
            .security_groups
            .push(crate::inventory::SecurityGroup {
                id: "sg-cluster".into(),
                ..Default::default()
            });
        let f = k(&inv, None, "K2");
        let has = |needle: &str| f.iter().any(|x| x.message.contains(needle));
        assert!(
            has(
                "remote pod network 10.0.250.0/24 of cluster prod overlaps the VPC's CIDR 10.0.0.0/16"
            ),
            "{f:#?}"
        );
        assert!(
            has(
                "route table rtb-priv-a of cluster prod's subnets has no route to the remote node network 192.168.100.0/24"
            ),
            "{f:#?}"
        );
        assert!(
            has("does not let tcp/443 in from the remote node network 192.168.100.0/24"),
            "{f:#?}"
        );
        // Routed through a transit gateway and let in: only the overlap stays.
        for rt in &mut vpc_mut(&mut inv).route_tables {
            rt.routes.push(route("192.168.0.0/16", "tgw-1"));
        }
        inv.clusters[0].remote_pod_networks = vec!["192.168.200.0/24".into()];
        let sg = vpc_mut(&mut inv).security_groups.last_mut().unwrap();
        sg.ingress.push(crate::inventory::SgRule {
            protocol: "tcp".into(),
            from_port: Some(443),
            to_port: Some(443),
            cidrs: vec!["192.168.0.0/16".into()],
            ..Default::default()
        });
        assert!(k(&inv, None, "K2").is_empty(), "{:#?}", k(&inv, None, "K2"));
        inv.clusters[0].ip_family = "ipv6".into();
        assert!(
            k(&inv, None, "K2")[0]
                .message
                .contains("IPv4 clusters only")
        );
    }
}
