//! Rules: A1, A2, A3, A4, E3, E4.
//! A and E rules: cluster endpoint access (spec.clusterEndpoint) and the operator's path.

use super::cidr::{is_rfc1918, overlaps, parse_v4};
use super::{Context, Finding, Id, Severity, rule};
use crate::inventory::{OperatorPath, SubnetKind};
use ipnet::Ipv4Net;

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    a3(ctx, out);
    a4(ctx, out);
    let Some(spec) = ctx.spec else { return };
    let Some(ep) = &spec.cluster_endpoint else {
        return;
    };
    let Some(v) = ctx.vpc else { return };
    if spec.cluster_name.is_none() {
        out.push(
            rule(Id::A1)
                .at(
                    "clusterEndpoint",
                    "clusterEndpoint needs clusterName: there is no cluster to configure",
                )
                .fix("set clusterName, or remove clusterEndpoint"),
        );
    }
    a1(ctx, spec, ep, v, out);
    a2(ctx, spec, ep, v, out);
    e3(ctx, spec, ep, v, out);
    e4(ctx, spec, ep, v, out);
}

/// A3: hybrid nodes, with the access planned (or, without a plan, as it is).
fn a3(ctx: &Context, out: &mut Vec<Finding>) {
    if let Some(c) = ctx.cluster
        && !c.remote_node_networks.is_empty()
    {
        let planned = ctx.spec.and_then(|s| s.cluster_endpoint.as_ref());
        let (public, private) = planned
            .map(|e| (e.public_access, e.private_access))
            .unwrap_or((c.public_access, c.private_access));
        if public && private {
            out.push(rule(Id::A3).at(
                if planned.is_some() {
                    "clusterEndpoint".to_string()
                } else {
                    format!("cluster {}", c.name)
                },
                format!(
                    "cluster {} has hybrid nodes ({}) and both public and private access",
                    c.name,
                    c.remote_node_networks.join(", ")
                ),
            ));
        }
    }
}

/// A4: the control plane's egress through the VPC. AWS documents two modes: AWS_MANAGED
/// and CUSTOMER_ROUTED (one-way), where admission webhooks, OIDC discovery, aggregated
/// API servers and kubelet traffic use the cluster's network interfaces and the VPC's
/// DNS, and EKS-managed traffic stays on the AWS path. Any other mode is said as read,
/// with nothing assumed about it.
fn a4(ctx: &Context, out: &mut Vec<Finding>) {
    if let Some(c) = ctx.cluster {
        let dns = ctx.vpc.and_then(|v| v.dhcp_options.as_ref()).filter(|d| {
            !d.domain_name_servers
                .iter()
                .any(|s| s.eq_ignore_ascii_case("AmazonProvidedDNS"))
        });
        let region = ctx.inv.region.as_str();
        // An oidc-eks endpoint with private DNS answers the EKS issuer inside the VPC.
        let oidc = ctx.vpc.and_then(|v| {
            v.endpoints
                .iter()
                .find(|e| e.service == "oidc-eks" && e.private_dns && e.state.is_usable())
        });
        match c.control_plane_egress_mode.as_deref() {
            None | Some("AWS_MANAGED") => {}
            Some("CUSTOMER_ROUTED") => out.push(
                rule(Id::A4)
                    .at(
                        format!("cluster {}", c.name),
                        format!(
                            "the control plane of {} sends admission webhooks, OIDC discovery, aggregated API servers and kubelet traffic through its network interfaces in the VPC and resolves names with the VPC's DNS (CUSTOMER_ROUTED, which cannot be undone); EKS-managed traffic stays on the AWS path. {}{}",
                            c.name,
                            match oidc {
                                Some(e) => format!(
                                    "The oidc-eks endpoint {} answers oidc.eks.{region}.amazonaws.com inside the VPC; webhooks and identity providers outside it need a route out of the cluster's subnets",
                                    e.id
                                ),
                                None => format!(
                                    "OIDC discovery (oidc.eks.{region}.amazonaws.com, or an identity provider's issuer), webhooks and aggregated API servers outside the VPC need a route out of the cluster's subnets; an oidc-eks interface endpoint with private DNS answers the EKS issuer inside the VPC"
                                ),
                            },
                            match dns {
                                Some(d) => format!(
                                    ", and the DHCP options must list AmazonProvidedDNS, but use {}",
                                    d.domain_name_servers.join(", ")
                                ),
                                None => String::new(),
                            }
                        ),
                    )
                    .fix(format!(
                        "keep a route (NAT, firewall or transit gateway) from the cluster's subnets to webhooks, identity providers and aggregated API servers outside the VPC, tcp/443 out in the cluster security group and the network ACLs, AmazonProvidedDNS in the DHCP options; for the EKS issuer an oidc-eks endpoint with private DNS (com.amazonaws.{region}.oidc-eks) serves too"
                    )),
            ),
            Some(other) => out.push(
                rule(Id::A4)
                    .at(
                        format!("cluster {}", c.name),
                        format!(
                            "cluster {} reports controlPlaneEgressMode {other}, a mode the EKS User Guide does not describe (it describes AWS_MANAGED and CUSTOMER_ROUTED): nothing is assumed about where its control plane's traffic goes",
                            c.name
                        ),
                    )
                    .severity(Severity::Info)
                    .fix("check the mode in the EKS User Guide's control plane egress page before relying on webhooks or OIDC discovery"),
            ),
        }
    }
}

/// A1: private access for nodes without internet egress; never both off.
fn a1(
    _ctx: &Context,
    spec: &crate::spec::Spec,
    ep: &crate::spec::ClusterEndpoint,
    v: &crate::inventory::Vpc,
    out: &mut Vec<Finding>,
) {
    if !ep.private_access && !ep.public_access {
        out.push(rule(Id::A1).at(
            "clusterEndpoint",
            "private and public access are both off: nothing could reach the API",
        ));
    }
    let isolated_nodes: Vec<&str> = spec
        .node_subnets
        .values()
        .filter(|id| v.subnet(id).is_some_and(|s| s.kind == SubnetKind::Isolated))
        .map(String::as_str)
        .collect();
    if !ep.private_access && !isolated_nodes.is_empty() {
        out.push(rule(Id::A1).at(
            "clusterEndpoint.privateAccess",
            format!(
                "private access is off but node subnets {} have no internet egress: nodes could not join",
                isolated_nodes.join(", ")
            ),
        ));
    }
}

/// A2: the public allow-list. An IPv6 cluster's dual-stack endpoint (api.aws) takes
/// IPv6 CIDRs too.
fn a2(
    ctx: &Context,
    _spec: &crate::spec::Spec,
    ep: &crate::spec::ClusterEndpoint,
    v: &crate::inventory::Vpc,
    out: &mut Vec<Finding>,
) {
    let dual_stack = ctx.cluster.is_some_and(|c| c.dual_stack_endpoint());
    for (i, c) in ep.public_access_cidrs.iter().enumerate() {
        let field = format!("clusterEndpoint.publicAccessCidrs[{i}]");
        if let Ok(n) = c.trim().parse::<ipnet::Ipv6Net>() {
            if !dual_stack {
                out.push(
                    rule(Id::A2)
                        .at(
                            field,
                            format!("{n} is IPv6: only an IPv6 cluster's dual-stack endpoint (eks-cluster.<region>.api.aws, clusters made since October 2024) takes IPv6 CIDRs"),
                        )
                        .fix("list IPv4 CIDRs for this cluster"),
                );
            } else if n.prefix_len() == 0 && ep.public_access {
                out.push(
                    rule(Id::A2)
                        .at(
                            field,
                            "public access is open to the whole IPv6 internet (::/0)",
                        )
                        .severity(Severity::Warn)
                        .fix("list the operators' and CI's public CIDRs instead of ::/0"),
                );
            }
            continue;
        }
        match parse_v4(c) {
            Err(e) => out.push(rule(Id::A2).at(field, e)),
            Ok(n) if is_rfc1918(&n) => out.push(rule(Id::A2).at(
                field,
                format!("{n} is a private range: EKS accepts only public CIDRs here (private clients use private access)"),
            )),
            Ok(n) if n.prefix_len() == 0 && ep.public_access => out.push(
                rule(Id::A2)
                    .at(field, "public access is open to the whole internet (0.0.0.0/0)")
                    .severity(Severity::Warn)
                    .fix("list the operators' and CI's public CIDRs instead of 0.0.0.0/0"),
            ),
            Ok(_) => {}
        }
    }
    let distinct = |l: &[String]| super::cidr::distinct(l).len();
    let n = distinct(&ep.public_access_cidrs);
    if ep.public_access && n > crate::spec::MAX_PUBLIC_ACCESS_CIDRS {
        out.push(
            rule(Id::A2)
                .at(
                    "clusterEndpoint.publicAccessCidrs",
                    format!(
                        "{n} CIDRs; an EKS cluster endpoint takes at most {}",
                        crate::spec::MAX_PUBLIC_ACCESS_CIDRS
                    ),
                )
                .severity(Severity::Error)
                .fix("summarize them into fewer, larger blocks"),
        );
    }
    if ep.public_access && ep.public_access_cidrs.is_empty() {
        out.push(
            rule(Id::A2)
                .at(
                    "clusterEndpoint.publicAccessCidrs",
                    "public access with no allow-list means 0.0.0.0/0",
                )
                .severity(Severity::Warn)
                .fix("list the operators' and CI's public CIDRs"),
        );
    }
    if ep.public_access && !ep.private_access && !ep.public_access_cidrs.is_empty() {
        // Nodes reach a public-only endpoint through NAT: its egress IPs must be allowed.
        let nat_ips: Vec<&str> = v
            .nat_gateways
            .iter()
            .flat_map(|n| n.public_ips.iter().map(String::as_str))
            .collect();
        for ip in nat_ips {
            if !covers(&ep.public_access_cidrs, ip) {
                out.push(rule(Id::A2).at(
                    "clusterEndpoint.publicAccessCidrs",
                    format!("private access is off and the NAT egress IP {ip} is not allowed: nodes could not reach the API"),
                ));
            }
        }
    }
}

/// E3: who may call the private endpoint.
fn e3(
    ctx: &Context,
    _spec: &crate::spec::Spec,
    ep: &crate::spec::ClusterEndpoint,
    _v: &crate::inventory::Vpc,
    out: &mut Vec<Finding>,
) {
    for (i, c) in ep.allow_https_from_cidrs.iter().enumerate() {
        let field = format!("clusterEndpoint.allowHttpsFromCidrs[{i}]");
        match parse_v4(c) {
            Err(e) => out.push(rule(Id::E3).at(field, e).severity(Severity::Error)),
            Ok(n) if n.prefix_len() == 0 => out.push(
                rule(Id::E3)
                    .at(
                        field,
                        "0.0.0.0/0 opens the control plane's security group to everything",
                    )
                    .severity(Severity::Error)
                    .fix("list the bastion, peer and on-prem CIDRs that run kubectl"),
            ),
            Ok(_) => {}
        }
    }
    // Where the rules go: the cluster security group, else an additional group; with
    // neither, nothing could take them, and the spec must not lose them silently.
    if let Some(c) = ctx.cluster
        && !ep.allow_https_from_cidrs.is_empty()
    {
        match (c.cluster_security_group_id.as_deref(), c.api_rule_group()) {
            (Some(_), _) => {}
            (None, Some(g)) => out.push(
                rule(Id::E3)
                    .at(
                        "clusterEndpoint.allowHttpsFromCidrs",
                        format!("cluster {} has no cluster security group as read: the tcp/443 rules go on its additional security group {g}", c.name),
                    )
                    .severity(Severity::Info),
            ),
            (None, None) => out.push(
                rule(Id::E3)
                    .at(
                        "clusterEndpoint.allowHttpsFromCidrs",
                        format!("cluster {} has no security group as read (neither the cluster security group nor an additional one): there is nowhere to allow tcp/443 from these CIDRs", c.name),
                    )
                    .severity(Severity::Error)
                    .fix("read the account again (the cluster's groups may not have been visible), add the rules to the group on the control plane's network interfaces by hand, or remove allowHttpsFromCidrs"),
            ),
        }
    }
    // Each CIDR is one inbound rule on the cluster security group, whichever group takes
    // them: past the quota, apply would stop half-way.
    let quota = ctx
        .spec
        .map(|s| s.quotas.security_group_rules())
        .unwrap_or(crate::spec::DEFAULT_SECURITY_GROUP_RULES) as usize;
    let n = super::cidr::distinct(&ep.allow_https_from_cidrs).len();
    if n > quota {
        out.push(
            rule(Id::E3)
                .at(
                    "clusterEndpoint.allowHttpsFromCidrs",
                    format!("{n} CIDRs, each an inbound rule; a security group holds {quota}"),
                )
                .severity(Severity::Error)
                .fix("list fewer, larger CIDRs, or set quotas.securityGroupRules if this account's quota was raised"),
        );
    }
    if ep.private_access && !ep.public_access && ep.allow_https_from_cidrs.is_empty() {
        out.push(rule(Id::E3).at(
            "clusterEndpoint.allowHttpsFromCidrs",
            "a private-only endpoint and no CIDR allowed on tcp/443: kubectl works only from inside the cluster's security group",
        ));
    }
}

/// E4: turning public access off, and where this tool runs.
fn e4(
    ctx: &Context,
    _spec: &crate::spec::Spec,
    ep: &crate::spec::ClusterEndpoint,
    v: &crate::inventory::Vpc,
    out: &mut Vec<Finding>,
) {
    if let Some(c) = ctx.cluster
        && c.public_access
        && !ep.public_access
    {
        if !c.private_access && !ep.private_access {
            out.push(
                rule(Id::E4)
                    .at(
                        "clusterEndpoint.publicAccess",
                        "public access would go off with private access off: a lock-out",
                    )
                    .severity(Severity::Error),
            );
        } else {
            out.push(operator_guard(ctx, c, v, ep));
        }
    }
    // A bastion in (or peered with) the VPC reaches a private endpoint only through the
    // cluster security group: its address must be let in on tcp/443.
    if let Some(c) = ctx.cluster
        && ep.private_access
    {
        let ip = match ctx.inv.operator_path(&v.id) {
            OperatorPath::InVpc(i) | OperatorPath::Peered(i, _) => Some(i.private_ip.as_str()),
            _ => None,
        };
        if let Some(ip) = ip.filter(|ip| !ip.is_empty())
            && !covers(&ep.allow_https_from_cidrs, ip)
            && !sg_allows(ctx, c, ip)
        {
            out.push(
                rule(Id::E3)
                    .at(
                        "clusterEndpoint.allowHttpsFromCidrs",
                        format!(
                            "this tool runs at {ip}, which the cluster security group does not let in on tcp/443: kubectl from here cannot reach the private endpoint"
                        ),
                    )
                    .fix(format!("add {ip}/32 (or its subnet's CIDR) to clusterEndpoint.allowHttpsFromCidrs")),
            );
        }
    }
    // Public access kept, but narrowed: this instance's public address must stay in.
    if ep.public_access
        && !ep.public_access_cidrs.is_empty()
        && let OperatorPath::Outside(i) = ctx.inv.operator_path(&v.id)
        && let Some(ip) = &i.public_ip
        && !covers(&ep.public_access_cidrs, ip)
    {
        out.push(
            rule(Id::E4)
                .at(
                    "clusterEndpoint.publicAccessCidrs",
                    format!(
                        "this tool runs on {} in {} (outside {}), whose public address {ip} is not in publicAccessCidrs: kubectl from here would be cut off",
                        i.instance_id, i.vpc_id, v.id
                    ),
                )
                .severity(Severity::Error)
                .fix(format!("add {ip}/32 to clusterEndpoint.publicAccessCidrs, or run from inside {}", v.id)),
        );
    }
}

/// Whether an address is inside one of these CIDRs.
fn covers(cidrs: &[String], ip: &str) -> bool {
    let Ok(a) = ip.parse::<std::net::Ipv4Addr>() else {
        return false;
    };
    cidrs
        .iter()
        .any(|c| parse_v4(c).is_ok_and(|n| n.contains(&a)))
}

/// Whether the cluster's security group (or its API group) lets `ip` in on tcp/443 now.
fn sg_allows(ctx: &Context, c: &crate::inventory::Cluster, ip: &str) -> bool {
    let Some(v) = ctx.vpc else { return false };
    let host = format!("{ip}/32");
    [c.cluster_security_group_id.as_deref(), c.api_rule_group()]
        .into_iter()
        .flatten()
        .filter_map(|id| v.security_groups.iter().find(|g| g.id == id))
        .any(|g| g.allows_tcp_from(443, &host))
}

/// E4 when public access goes off: who keeps a path, judged by where this tool runs.
fn operator_guard(
    ctx: &Context,
    c: &crate::inventory::Cluster,
    v: &crate::inventory::Vpc,
    ep: &crate::spec::ClusterEndpoint,
) -> super::Finding {
    let field = "clusterEndpoint.publicAccess";
    let general = format!(
        "public access of {} goes off: only clients with a path into {} (in-VPC, peered, VPN/DX) keep kubectl",
        c.name, v.id
    );
    // CIDRs that are neither the VPC's nor a peer's: on-prem, over VPN or Direct Connect.
    let known: Vec<Ipv4Net> = v
        .cidrs
        .iter()
        .map(|c| c.cidr.as_str())
        .chain(v.peers().flat_map(|p| p.cidrs.iter().map(String::as_str)))
        .filter_map(|c| parse_v4(c).ok())
        .collect();
    let on_prem: Vec<&String> = ep
        .allow_https_from_cidrs
        .iter()
        .filter(|c| parse_v4(c).is_ok_and(|n| !known.iter().any(|m| overlaps(&n, m))))
        .collect();
    match ctx.inv.operator_path(&v.id) {
        OperatorPath::Unknown => rule(Id::E4).at(field, general),
        OperatorPath::InVpc(i) => rule(Id::E4)
            .at(
                field,
                format!(
                    "public access of {} goes off; this tool runs on {} in {}, the cluster's VPC, and keeps its path (other clients need one into {}: peered, VPN/DX)",
                    c.name, i.instance_id, v.id, v.id
                ),
            )
            .severity(Severity::Info),
        OperatorPath::Peered(i, pcx) => rule(Id::E4)
            .at(
                field,
                format!(
                    "public access of {} goes off; this tool runs on {} in {}, peered with {} through {pcx}: it keeps kubectl if the peering routes {} both ways",
                    c.name, i.instance_id, i.vpc_id, v.id, i.private_ip
                ),
            )
            .severity(Severity::Info),
        OperatorPath::Outside(i) => rule(Id::E4)
            .at(
                field,
                format!(
                    "public access of {} goes off, and this tool runs on {} in {} ({}, account {}), which is neither {} nor peered with it: this session and kubectl from here would be cut off from the API",
                    c.name, i.instance_id, i.vpc_id, i.region, i.account, v.id
                ),
            )
            .severity(Severity::Error)
            .fix(format!(
                "run from a bastion in {} or a VPC peered with it, or keep public access on (with this host's address in publicAccessCidrs)",
                v.id
            )),
        OperatorPath::NotEc2(why) if on_prem.is_empty() => rule(Id::E4)
            .at(
                field,
                format!(
                    "public access of {} goes off, and this tool does not run on EC2 ({why}) while no on-prem CIDR is allowed on tcp/443: nothing here would reach the API",
                    c.name
                ),
            )
            .severity(Severity::Error)
            .fix(format!(
                "run from a bastion in {}, or list the VPN/Direct Connect CIDR this machine comes from in clusterEndpoint.allowHttpsFromCidrs",
                v.id
            )),
        OperatorPath::NotEc2(_) => rule(Id::E4).at(
            field,
            format!(
                "public access of {} goes off; this tool does not run on EC2, so it keeps kubectl only through the VPN/Direct Connect path of {}",
                c.name,
                on_prem
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{Severity, evaluate};
    use crate::spec::ClusterEndpoint;

    fn with(ep: ClusterEndpoint) -> crate::spec::Spec {
        let mut s = spec();
        s.cluster_endpoint = Some(ep);
        s
    }

    fn ep(private: bool, public: bool, cidrs: &[&str], https: &[&str]) -> ClusterEndpoint {
        ClusterEndpoint {
            private_access: private,
            public_access: public,
            public_access_cidrs: cidrs.iter().map(|s| s.to_string()).collect(),
            allow_https_from_cidrs: https.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn found(s: &crate::spec::Spec) -> Vec<(&'static str, Severity, String)> {
        evaluate(&inventory(), Some(s), None, None)
            .into_iter()
            .map(|f| (f.id.as_str(), f.severity, f.message))
            .collect()
    }

    fn has(s: &crate::spec::Spec, id: &str, sev: Severity, needle: &str) -> bool {
        super::super::testkit::has(&inventory(), s, id, sev, needle)
    }

    #[test]
    fn a1_private_access() {
        assert!(has(
            &with(ep(false, false, &[], &[])),
            "A1",
            Severity::Error,
            "both off"
        ));
        let mut s = with(ep(false, true, &["54.1.2.0/24"], &[]));
        s.node_subnets
            .insert("eu-west-1a".into(), "subnet-data-a".into());
        assert!(has(&s, "A1", Severity::Error, "no internet egress"));
        let mut no_cluster = with(ep(true, false, &[], &["10.99.0.0/16"]));
        no_cluster.cluster_name = None;
        assert!(has(&no_cluster, "A1", Severity::Error, "needs clusterName"));
    }

    #[test]
    fn a2_public_allow_list() {
        assert!(has(
            &with(ep(true, true, &["0.0.0.0/0"], &[])),
            "A2",
            Severity::Warn,
            "whole internet"
        ));
        assert!(has(
            &with(ep(true, true, &[], &[])),
            "A2",
            Severity::Warn,
            "no allow-list"
        ));
        assert!(has(
            &with(ep(true, true, &["10.0.0.0/8"], &[])),
            "A2",
            Severity::Error,
            "private range"
        ));
        assert!(has(
            &with(ep(true, true, &["54.1.2.3/24"], &[])),
            "A2",
            Severity::Error,
            "host bits"
        ));
        let mut inv = inventory();
        vpc_mut(&mut inv)
            .nat_gateways
            .push(crate::inventory::NatGateway {
                id: "nat-1".into(),
                public_ips: vec!["52.1.1.1".into()],
                ..Default::default()
            });
        let s = with(ep(false, true, &["54.1.2.0/24"], &[]));
        let f = evaluate(&inv, Some(&s), None, None);
        assert!(
            f.iter()
                .any(|f| f.id == "A2" && f.message.contains("52.1.1.1")),
            "{f:#?}"
        );
        let s = with(ep(false, true, &["52.1.1.0/24"], &[]));
        assert!(
            !evaluate(&inv, Some(&s), None, None)
                .iter()
                .any(|f| f.id == "A2")
        );
    }

    #[test]
    fn a3_hybrid_nodes() {
        let mut inv = inventory();
        inv.clusters[0].remote_node_networks = vec!["192.168.100.0/24".into()];
        let both = with(ep(true, true, &["54.1.2.0/24"], &["10.99.0.0/16"]));
        let f = evaluate(&inv, Some(&both), None, None);
        assert!(
            f.iter()
                .any(|f| f.id == "A3" && f.subject == "clusterEndpoint"),
            "{f:#?}"
        );
        let private = with(ep(true, false, &[], &["10.99.0.0/16"]));
        assert!(
            !evaluate(&inv, Some(&private), None, None)
                .iter()
                .any(|f| f.id == "A3")
        );
        // Without a spec: the cluster as it is.
        inv.clusters[0].private_access = true;
        let f = evaluate(&inv, None, None, None);
        assert!(
            f.iter()
                .any(|f| f.id == "A3" && f.subject == "cluster prod"),
            "{f:#?}"
        );
    }

    #[test]
    fn a4_customer_routed_egress() {
        let mut inv = inventory();
        assert!(
            !evaluate(&inv, None, None, None)
                .iter()
                .any(|f| f.id == "A4")
        );
        inv.clusters[0].control_plane_egress_mode = Some("AWS_MANAGED".into());
        assert!(
            !evaluate(&inv, None, None, None)
                .iter()
                .any(|f| f.id == "A4")
        );
        inv.clusters[0].control_plane_egress_mode = Some("CUSTOMER_ROUTED".into());
        let f = evaluate(&inv, None, None, None);
        let a4 = f.iter().find(|f| f.id == "A4").expect("A4");
        assert_eq!(a4.severity, Severity::Warn);
        assert!(a4.message.contains("cannot be undone"), "{a4:?}");
        assert!(!a4.message.contains("DHCP"), "{a4:?}");
        // AWS's page: only some traffic uses the VPC, through its DNS; the oidc-eks endpoint
        // answers the EKS issuer inside the VPC (issue 25).
        assert!(
            a4.message.contains("oidc.eks.eu-west-1.amazonaws.com")
                && a4
                    .message
                    .contains("an oidc-eks interface endpoint with private DNS")
                && a4
                    .message
                    .contains("EKS-managed traffic stays on the AWS path"),
            "{a4:?}"
        );
        vpc_mut(&mut inv)
            .endpoints
            .push(crate::inventory::Endpoint {
                id: "vpce-oidc".into(),
                service: "oidc-eks".into(),
                kind: "Interface".into(),
                state: crate::inventory::EndpointState::Available,
                private_dns: true,
                ..Default::default()
            });
        let f = evaluate(&inv, None, None, None);
        assert!(
            f.iter().any(|f| f.id == "A4"
                && f.message
                    .contains("The oidc-eks endpoint vpce-oidc answers")),
            "{f:#?}"
        );
        vpc_mut(&mut inv)
            .dhcp_options
            .as_mut()
            .unwrap()
            .domain_name_servers = vec!["10.0.0.2".into()];
        let f = evaluate(&inv, None, None, None);
        assert!(
            f.iter().any(|f| f.id == "A4"
                && f.message
                    .contains("must list AmazonProvidedDNS, but use 10.0.0.2")),
            "{f:#?}"
        );
        // A mode AWS does not describe is said, with nothing claimed about it.
        inv.clusters[0].control_plane_egress_mode = Some("CUSTOMER_ISOLATED".into());
        let f = evaluate(&inv, None, None, None);
        let a4 = f.iter().find(|f| f.id == "A4").expect("A4");
        assert_eq!(a4.severity, Severity::Info);
        assert!(
            a4.message
                .contains("CUSTOMER_ISOLATED, a mode the EKS User Guide does not describe"),
            "{a4:?}"
        );
    }

    /// allowHttpsFromCidrs never disappears: without a cluster security group the rules
    /// go on an additional group; with no group at all, an error says so.
    #[test]
    fn e3_allow_list_lands_somewhere_or_is_refused() {
        let mut inv = inventory();
        let s = with(ep(true, false, &[], &["10.99.0.0/16"]));
        let rule_on = |inv: &crate::inventory::Inventory| -> Option<String> {
            crate::plan::plan(&s, inv)
                .actions
                .iter()
                .find_map(|a| match &a.change {
                    crate::plan::Change::AuthorizeIngress {
                        group: crate::plan::Ref::Id(g),
                        port: 443,
                        ..
                    } if a.address.starts_with("security_group_rule.cluster_443") => {
                        Some(g.clone())
                    }
                    _ => None,
                })
        };
        inv.clusters[0].cluster_security_group_id = Some("sg-cluster".into());
        assert_eq!(rule_on(&inv).as_deref(), Some("sg-cluster"));
        inv.clusters[0].cluster_security_group_id = None;
        inv.clusters[0].security_group_ids = vec!["sg-extra".into()];
        assert_eq!(rule_on(&inv).as_deref(), Some("sg-extra"));
        assert!(super::super::testkit::has(
            &inv,
            &s,
            "E3",
            Severity::Info,
            "additional security group sg-extra"
        ));
        inv.clusters[0].security_group_ids.clear();
        assert_eq!(rule_on(&inv), None);
        assert!(super::super::testkit::has(
            &inv,
            &s,
            "E3",
            Severity::Error,
            "nowhere to allow tcp/443"
        ));
    }

    #[test]
    fn e3_e4_operator_path() {
        assert!(has(
            &with(ep(true, false, &[], &[])),
            "E3",
            Severity::Warn,
            "kubectl works only"
        ));
        assert!(has(
            &with(ep(true, false, &[], &["0.0.0.0/0"])),
            "E3",
            Severity::Error,
            "opens"
        ));
        assert!(has(
            &with(ep(true, false, &[], &["10.99.0.0/33"])),
            "E3",
            Severity::Error,
            "not an IPv4 CIDR"
        ));
        // The demo cluster is public-only: going private-only is the E4 warning.
        assert!(has(
            &with(ep(true, false, &[], &["10.99.0.0/16"])),
            "E4",
            Severity::Warn,
            "goes off"
        ));
        assert!(has(
            &with(ep(false, false, &[], &[])),
            "E4",
            Severity::Error,
            "lock-out"
        ));
        assert!(
            !found(&with(ep(true, true, &["54.1.2.0/24"], &["10.99.0.0/16"])))
                .iter()
                .any(|(i, _, _)| *i == "E4")
        );
    }

    fn at(vpc: &str, account: &str) -> crate::inventory::Operator {
        crate::inventory::Operator {
            instance: Some(crate::inventory::OperatorInstance {
                instance_id: "i-0bastion".into(),
                account: account.into(),
                region: "eu-west-1".into(),
                vpc_id: vpc.into(),
                private_ip: "10.99.3.4".into(),
                public_ip: Some("198.51.100.7".into()),
                vpc_cidrs: vec![],
            }),
            note: String::new(),
        }
    }

    fn e4(op: Option<crate::inventory::Operator>, e: ClusterEndpoint) -> Vec<(Severity, String)> {
        let mut inv = inventory();
        inv.operator = op;
        evaluate(&inv, Some(&with(e)), None, None)
            .into_iter()
            .filter(|f| f.id == "E4" || f.id == "E3")
            .map(|f| (f.severity, format!("{}: {}", f.id, f.message)))
            .collect()
    }

    #[test]
    fn e4_lock_out_guard_by_where_the_tool_runs() {
        let private = || ep(true, false, &[], &["10.99.0.0/16"]);
        let sev = |found: &[(Severity, String)], needle: &str| {
            found
                .iter()
                .find(|(_, m)| m.starts_with("E4") && m.contains(needle))
                .map(|(s, _)| *s)
        };
        // In the cluster VPC: the path stays (info), and the bastion's address must be let in.
        let mut inside = at("vpc-prod", "123456789012");
        inside.instance.as_mut().unwrap().private_ip = "10.0.1.9".into();
        let found = e4(Some(inside.clone()), private());
        assert_eq!(
            sev(&found, "the cluster's VPC"),
            Some(Severity::Info),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(s, m)| *s == Severity::Warn && m.contains("10.0.1.9")),
            "{found:?}"
        );
        let found = e4(Some(inside), ep(true, false, &[], &["10.0.1.0/24"]));
        assert!(
            !found.iter().any(|(_, m)| m.contains("does not let in")),
            "{found:?}"
        );
        // In the peered VPC (pcx-1): info, its address covered by 10.99.0.0/16.
        let found = e4(Some(at("vpc-client", "123456789012")), private());
        assert_eq!(sev(&found, "pcx-1"), Some(Severity::Info), "{found:?}");
        assert!(
            !found.iter().any(|(_, m)| m.contains("does not let in")),
            "{found:?}"
        );
        // Peered, but its address not allowed on tcp/443.
        let found = e4(
            Some(at("vpc-client", "123456789012")),
            ep(true, false, &[], &["10.0.0.0/16"]),
        );
        assert!(
            found
                .iter()
                .any(|(s, m)| *s == Severity::Warn && m.contains("10.99.3.4")),
            "{found:?}"
        );
        // Another VPC, or the same ID in another account: cut off, an error.
        for op in [
            at("vpc-other", "123456789012"),
            at("vpc-prod", "999999999999"),
        ] {
            let found = e4(Some(op), private());
            assert_eq!(
                sev(&found, "would be cut off"),
                Some(Severity::Error),
                "{found:?}"
            );
        }
        // Not on EC2: an error unless an on-prem CIDR (neither the VPC's nor a peer's) is let in.
        let not_ec2 = crate::inventory::Operator {
            instance: None,
            note: "no IMDSv2 token".into(),
        };
        let found = e4(Some(not_ec2.clone()), private());
        assert_eq!(
            sev(&found, "does not run on EC2"),
            Some(Severity::Error),
            "{found:?}"
        );
        let found = e4(Some(not_ec2), ep(true, false, &[], &["192.168.0.0/16"]));
        assert_eq!(
            sev(&found, "192.168.0.0/16"),
            Some(Severity::Warn),
            "{found:?}"
        );
        // Not asked (metadata off): the general warning, as before.
        let found = e4(None, private());
        assert_eq!(sev(&found, "goes off"), Some(Severity::Warn), "{found:?}");
        // Public access kept but narrowed past this instance's public address.
        let found = e4(
            Some(at("vpc-other", "123456789012")),
            ep(true, true, &["203.0.113.0/24"], &[]),
        );
        assert_eq!(
            sev(&found, "198.51.100.7"),
            Some(Severity::Error),
            "{found:?}"
        );
        let found = e4(
            Some(at("vpc-other", "123456789012")),
            ep(true, true, &["198.51.100.0/24"], &[]),
        );
        assert_eq!(sev(&found, "198.51.100.7"), None, "{found:?}");
    }

    /// Issue 25 (A2): IPv6 CIDRs on the public allow-list are for an IPv6 cluster's
    /// dual-stack endpoint only (api.aws, made since October 2024).
    #[test]
    fn a2_ipv6_cidrs_only_on_a_dual_stack_endpoint() {
        let mut inv = inventory();
        let mut s = spec();
        s.cluster_endpoint = Some(crate::spec::ClusterEndpoint {
            private_access: true,
            public_access: true,
            public_access_cidrs: vec!["203.0.113.0/24".into(), "2001:db8::/32".into()],
            allow_https_from_cidrs: vec![],
        });
        let a2 = |inv: &crate::inventory::Inventory, s: &crate::spec::Spec| -> Vec<String> {
            evaluate(inv, Some(s), None, None)
                .into_iter()
                .filter(|f| f.id == "A2")
                .map(|f| f.message)
                .collect()
        };
        let f = a2(&inv, &s);
        assert!(
            f.iter().any(|m| m.contains("2001:db8::/32 is IPv6")),
            "{f:?}"
        );
        inv.clusters[0].ip_family = "ipv6".into();
        inv.clusters[0].endpoint =
            "https://0123456789ABCDEF.gr7.eu-west-1.eks-cluster.eu-west-1.api.aws".into();
        assert!(a2(&inv, &s).is_empty(), "{:?}", a2(&inv, &s));
        s.cluster_endpoint.as_mut().unwrap().public_access_cidrs = vec!["::/0".into()];
        assert!(a2(&inv, &s).iter().any(|m| m.contains("(::/0)")));
    }
}
