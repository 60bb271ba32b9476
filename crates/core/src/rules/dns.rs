//! Rules: D1, D2, D3, D4, D5, G4.
//! D rules: Route 53 Resolver for the private API endpoint (spec.dns).

use super::cidr::parse_v4;
use super::{Context, Finding, Id, Severity, rule};
use crate::inventory::Vpc;

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let (Some(v), Some(spec)) = (ctx.vpc, ctx.spec) else {
        return;
    };
    let Some(dns) = &spec.dns else { return };
    if spec.cluster_name.is_none() {
        out.push(
            rule(Id::D5)
                .at(
                    "dns",
                    "dns needs clusterName: the rule forwards the cluster's API hostname",
                )
                .severity(Severity::Error)
                .fix("set clusterName, or remove dns"),
        );
    }
    d1(ctx, v, spec, dns, out);
    d2(ctx, v, spec, dns, out);
    d3_d4(ctx, v, spec, dns, out);
}

/// D1: say what the resolver is for, given the endpoint access it will serve.
fn d1(
    ctx: &Context,
    _v: &crate::inventory::Vpc,
    spec: &crate::spec::Spec,
    _dns: &crate::spec::Dns,
    out: &mut Vec<Finding>,
) {
    let access = spec
        .cluster_endpoint
        .as_ref()
        .map(|e| (e.public_access, e.private_access))
        .or(ctx.cluster.map(|c| (c.public_access, c.private_access)));
    match access {
        Some((false, true)) => out.push(rule(Id::D1).at(
            "dns",
            "with a private-only endpoint the API name already resolves to private IPs in public DNS: the Resolver is needed only for clients that cannot use public DNS",
        )),
        Some((true, true)) => out.push(rule(Id::D1).at(
            "dns",
            "with public and private access, resolvers outside the VPC get the public IPs: clients in other VPCs or on-prem need the forward rule to reach the private endpoint",
        )),
        Some((true, false)) => out.push(
            rule(Id::D1)
                .at("dns", "public access only: there is no private endpoint for the Resolver to point at")
                .severity(Severity::Warn)
                .fix("turn on clusterEndpoint.privateAccess, or remove dns"),
        ),
        _ => {}
    }
}

/// D2: inbound endpoint in the cluster VPC, two or more AZs.
fn d2(
    ctx: &Context,
    v: &crate::inventory::Vpc,
    spec: &crate::spec::Spec,
    dns: &crate::spec::Dns,
    out: &mut Vec<Finding>,
) {
    if let Some(inb) = &dns.inbound_endpoint {
        let azs = subnet_azs(
            v,
            &inb.subnet_ids,
            "dns.inboundEndpoint.subnetIds",
            Id::D2,
            "the cluster VPC",
            out,
        );
        ip_count_and_azs(
            "inbound",
            "dns.inboundEndpoint.subnetIds",
            inb.subnet_ids.len(),
            azs,
            out,
        );
        // G4: who may query it.
        for (i, c) in inb.allow_from_cidrs.iter().enumerate() {
            if let Err(e) = parse_v4(c) {
                out.push(rule(Id::G4).at(format!("dns.inboundEndpoint.allowFromCidrs[{i}]"), e));
            }
        }
        if inb.allow_from_cidrs.is_empty() {
            out.push(
                rule(Id::G4)
                    .at(
                        "dns.inboundEndpoint.allowFromCidrs",
                        "no client CIDR may query the inbound endpoint (tcp+udp 53)",
                    )
                    .severity(Severity::Warn),
            );
        }
        inbound_answers(ctx, spec, v, dns, inb, out);
    }
}

/// D3, D4: the outbound side and the rule's associations.
fn d3_d4(
    ctx: &Context,
    v: &crate::inventory::Vpc,
    spec: &crate::spec::Spec,
    dns: &crate::spec::Dns,
    out: &mut Vec<Finding>,
) {
    let inv = ctx.inv;
    if let Some(rule_spec) = &dns.forward_rule {
        for (part, field) in [
            (dns.inbound_endpoint.is_none(), "dns.inboundEndpoint"),
            (dns.outbound_endpoint.is_none(), "dns.outboundEndpoint"),
        ] {
            if part {
                out.push(
                    rule(Id::D4)
                        .at(
                            field,
                            "a FORWARD rule needs both Resolver endpoints: it sends from the outbound one to the inbound one's IPs",
                        )
                        .fix(format!("add {field} to the spec, or remove dns.forwardRule")),
                );
            }
        }
        for (i, id) in rule_spec.associate_vpc_ids.iter().enumerate() {
            let field = format!("dns.forwardRule.associateVpcIds[{i}]");
            if id == &v.id {
                out.push(rule(Id::D3).at(
                    field,
                    format!(
                        "{id} is the cluster VPC: forwarding its own API name out and back in loops"
                    ),
                ));
            } else if !inv.vpcs.is_empty() && inv.vpc(id).is_none() && inv.vpc_filter.is_none() {
                out.push(rule(Id::D4).at(field, format!("{id} is not a VPC of {}", inv.region)));
            }
        }
        if rule_spec.domain == "auto"
            && let Some(name) = &spec.cluster_name
            && ctx.cluster.is_none_or(|c| c.api_host().is_empty())
        {
            // The plan has no hostname to forward: say so rather than plan no rule.
            out.push(
                rule(Id::D5)
                    .at(
                        "dns.forwardRule.domain",
                        match ctx.cluster {
                            None => format!(
                                "domain auto is the API hostname of cluster {name}, which is not in {}: no forward rule is planned",
                                v.id
                            ),
                            Some(_) => format!(
                                "domain auto is the API hostname of cluster {name}, which EKS has not given yet: no forward rule is planned"
                            ),
                        },
                    )
                    .severity(Severity::Error)
                    .fix("run the plan once the cluster exists and has its endpoint, or set domain to the API hostname"),
            );
        }
        if rule_spec.domain != "auto" {
            let host = ctx.cluster.map(|c| c.api_host());
            let domain = rule_spec.domain.trim_end_matches('.').to_lowercase();
            if let Some(h) = host.filter(|h| !h.is_empty())
                && domain != h
            {
                out.push(
                    rule(Id::D5)
                        .at(
                            "dns.forwardRule.domain",
                            format!("{domain} is not the cluster's API hostname {h}"),
                        )
                        .fix("use domain: auto"),
                );
            }
        }
    }
    if let Some(outb) = &dns.outbound_endpoint {
        if outb.vpc_id == v.id {
            out.push(rule(Id::D4).at(
                "dns.outboundEndpoint.vpcId",
                "the outbound endpoint belongs in the client VPCs, not the cluster VPC",
            ));
        } else if let Some(client) = inv.vpc(&outb.vpc_id) {
            let azs = subnet_azs(
                client,
                &outb.subnet_ids,
                "dns.outboundEndpoint.subnetIds",
                Id::D4,
                &client.id,
                out,
            );
            ip_count_and_azs(
                "outbound",
                "dns.outboundEndpoint.subnetIds",
                outb.subnet_ids.len(),
                azs,
                out,
            );
            let peered = v.peers().any(|p| p.vpc_id == client.id);
            if !peered {
                out.push(rule(Id::D4).at(
                    "dns.outboundEndpoint.vpcId",
                    format!("{} has no active peering with {}: check its transit gateway route to the cluster VPC", client.id, v.id),
                ).severity(Severity::Warn));
            }
        }
    }
}

/// G4: DNS that answers. The forward rule's queries leave from the outbound endpoint's
/// own addresses, so its subnets must be among the clients let in; an inbound endpoint
/// that exists is used with its own groups, which must let every client in on tcp and udp
/// 53 (the plan adds the rules to a group this spec made; any other group is the
/// operator's to change); an outbound endpoint that exists must let its queries out.
fn inbound_answers(
    ctx: &Context,
    spec: &crate::spec::Spec,
    v: &Vpc,
    dns: &crate::spec::Dns,
    inb: &crate::spec::InboundEndpoint,
    out: &mut Vec<Finding>,
) {
    let inv = ctx.inv;
    let allowed: Vec<ipnet::Ipv4Net> = inb
        .allow_from_cidrs
        .iter()
        .filter_map(|c| parse_v4(c).ok())
        .collect();
    forwarded_queries_let_in(inv, dns, &allowed, out);
    existing_inbound_lets_in(inv, spec, v, inb, out);
    existing_outbound_lets_out(inv, v, dns, inb, out);
}

/// The forward rule's queries leave from the outbound endpoint's subnets: they must be
/// among the clients the inbound endpoint lets in.
fn forwarded_queries_let_in(
    inv: &crate::inventory::Inventory,
    dns: &crate::spec::Dns,
    allowed: &[ipnet::Ipv4Net],
    out: &mut Vec<Finding>,
) {
    if dns.forward_rule.is_some()
        && let Some(outb) = &dns.outbound_endpoint
        && let Some(client) = inv.vpc(&outb.vpc_id)
    {
        let subnets: Vec<&str> = match inv.resolver.endpoint("OUTBOUND", &outb.vpc_id) {
            Some(e) => e.ips.iter().map(|i| i.subnet_id.as_str()).collect(),
            None => outb.subnet_ids.iter().map(String::as_str).collect(),
        };
        for id in subnets {
            let Some(sn) = client.subnet(id) else {
                continue;
            };
            let Ok(net) = parse_v4(&sn.cidr) else {
                continue;
            };
            if !allowed.iter().any(|a| a.contains(&net)) {
                out.push(
                    rule(Id::G4)
                        .at(
                            "dns.inboundEndpoint.allowFromCidrs",
                            format!(
                                "the outbound endpoint's subnet {id} ({net}) in {} is not listed: the queries the forward rule sends from it would be dropped",
                                client.id
                            ),
                        )
                        .fix(format!(
                            "add {net} (or {}'s CIDR) to dns.inboundEndpoint.allowFromCidrs",
                            client.id
                        )),
                );
            }
        }
    }
}

/// An inbound endpoint that exists answers only what its own groups let in.
fn existing_inbound_lets_in(
    inv: &crate::inventory::Inventory,
    spec: &crate::spec::Spec,
    v: &Vpc,
    inb: &crate::spec::InboundEndpoint,
    out: &mut Vec<Finding>,
) {
    if let Some(e) = inv.resolver.endpoint("INBOUND", &v.id) {
        let missing = inbound_gaps(inv, v, e, &inb.allow_from_cidrs);
        let unread: Vec<&str> = e
            .security_group_ids
            .iter()
            .filter(|id| !v.security_groups.iter().any(|g| &g.id == *id))
            .map(String::as_str)
            .collect();
        if !unread.is_empty() {
            out.push(
                rule(Id::G4)
                    .at(
                        &e.id,
                        format!(
                            "the inbound endpoint {}'s group {} was not read: who may query it is not checked",
                            e.id,
                            unread.join(", ")
                        ),
                    )
                    .severity(Severity::Warn)
                    .fix("grant ec2:DescribeSecurityGroups and run check again"),
            );
        }
        if !missing.is_empty() {
            let owned = owned_group(spec, v, e);
            let list: Vec<String> = missing
                .iter()
                .map(|(c, p)| format!("{p} 53 from {c}"))
                .collect();
            let group = owned
                .map(str::to_string)
                .unwrap_or_else(|| e.security_group_ids.first().cloned().unwrap_or_default());
            let mut cidrs: Vec<&str> = missing.iter().map(|(c, _)| c.as_str()).collect();
            cidrs.dedup();
            let ranges = cidrs
                .iter()
                .map(|c| format!("{{CidrIp={c}}}"))
                .collect::<Vec<_>>()
                .join(",");
            out.push(
                rule(Id::G4)
                    .at(
                        &e.id,
                        format!(
                            "the existing inbound endpoint {} answers only what its groups ({}) let in, and they do not let in {}: queries forwarded to it get no answer",
                            e.id,
                            e.security_group_ids.join(", "),
                            list.join(", ")
                        ),
                    )
                    .severity(Severity::Error)
                    .fix(format!(
                        "aws ec2 authorize-security-group-ingress --group-id {group} --ip-permissions 'IpProtocol=tcp,FromPort=53,ToPort=53,IpRanges=[{ranges}]' 'IpProtocol=udp,FromPort=53,ToPort=53,IpRanges=[{ranges}]' (a Resolver endpoint's groups cannot be replaced; their rules can change)"
                    ))
                    .remedies(missing.iter().map(|(c, p)| super::Remedy::Ingress {
                        groups: match owned {
                            Some(g) => vec![g.to_string()],
                            None => e.security_group_ids.clone(),
                        },
                        protocol: p,
                        port: 53,
                        cidr: c.clone(),
                    })),
            );
        }
    }
}

/// An outbound endpoint that exists must let its queries out to the inbound endpoint's
/// addresses.
fn existing_outbound_lets_out(
    inv: &crate::inventory::Inventory,
    v: &Vpc,
    dns: &crate::spec::Dns,
    inb: &crate::spec::InboundEndpoint,
    out: &mut Vec<Finding>,
) {
    // The outbound endpoint that exists sends to the inbound endpoint's addresses.
    if dns.forward_rule.is_some()
        && let Some(outb) = &dns.outbound_endpoint
        && let Some(client) = inv.vpc(&outb.vpc_id)
        && let Some(o) = inv.resolver.endpoint("OUTBOUND", &outb.vpc_id)
    {
        let groups: Vec<&crate::inventory::SecurityGroup> = o
            .security_group_ids
            .iter()
            .filter_map(|id| client.security_groups.iter().find(|g| &g.id == id))
            .collect();
        if groups.len() == o.security_group_ids.len() {
            let targets: Vec<String> = match inv.resolver.endpoint("INBOUND", &v.id) {
                Some(e) => e.ips.iter().map(|i| format!("{}/32", i.ip)).collect(),
                None => inb
                    .subnet_ids
                    .iter()
                    .filter_map(|id| v.subnet(id))
                    .map(|s| s.cidr.clone())
                    .collect(),
            };
            let shut: Vec<String> = targets
                .iter()
                .flat_map(|t| ["tcp", "udp"].map(|p| (t, p)))
                .filter(|(t, p)| !groups.iter().any(|g| g.sends(p, 53, t)))
                .map(|(t, p)| format!("{p} 53 to {t}"))
                .collect();
            if !shut.is_empty() {
                out.push(
                    rule(Id::G4)
                        .at(
                            &o.id,
                            format!(
                                "the existing outbound endpoint {}'s groups ({}) do not let out {}: the forward rule's queries never reach the inbound endpoint",
                                o.id,
                                o.security_group_ids.join(", "),
                                shut.join(", ")
                            ),
                        )
                        .severity(Severity::Error)
                        .fix(format!(
                            "aws ec2 authorize-security-group-egress --group-id {} --ip-permissions 'IpProtocol=tcp,FromPort=53,ToPort=53,IpRanges=[{{CidrIp={}}}]' 'IpProtocol=udp,FromPort=53,ToPort=53,IpRanges=[{{CidrIp={}}}]' (and each other address)",
                            o.security_group_ids.first().map(String::as_str).unwrap_or("<group>"),
                            targets[0],
                            targets[0]
                        )),
                );
            }
        }
    }
}

/// The (client CIDR, protocol) pairs that an existing inbound endpoint `e`'s groups do not
/// let in on port 53, for the valid CIDRs of `clients`.
pub fn inbound_gaps(
    inv: &crate::inventory::Inventory,
    v: &Vpc,
    e: &crate::inventory::ResolverEndpoint,
    clients: &[String],
) -> Vec<(String, &'static str)> {
    let groups: Vec<&crate::inventory::SecurityGroup> = e
        .security_group_ids
        .iter()
        .filter_map(|id| v.security_groups.iter().find(|g| &g.id == id))
        .collect();
    let mut out = vec![];
    for c in super::cidr::distinct(clients) {
        let Ok(net) = parse_v4(&c) else { continue };
        let from = crate::inventory::Sender {
            what: String::new(),
            cidr: net.to_string(),
            groups: vec![],
        };
        for p in ["tcp", "udp"] {
            if !groups
                .iter()
                .any(|g| g.admits(p, 53, &from, &inv.prefix_lists))
            {
                out.push((net.to_string(), p));
            }
        }
    }
    out
}

/// The group of the existing endpoint `e` that an apply of `spec` made, which the plan
/// may add rules to.
pub fn owned_group<'a>(
    spec: &crate::spec::Spec,
    v: &Vpc,
    e: &'a crate::inventory::ResolverEndpoint,
) -> Option<&'a str> {
    e.security_group_ids
        .iter()
        .find(|id| {
            v.security_groups
                .iter()
                .any(|g| &g.id == *id && spec.owns(&g.tags))
        })
        .map(String::as_str)
}

/// How many AZs the subnets `ids` of `vpc` span; an ID that is not a subnet of `vpc`
/// becomes a finding of `rule_id` at `field[i]`.
fn subnet_azs(
    vpc: &Vpc,
    ids: &[String],
    field: &str,
    rule_id: Id,
    vpc_label: &str,
    out: &mut Vec<Finding>,
) -> usize {
    let mut azs = vec![];
    for (i, id) in ids.iter().enumerate() {
        match vpc.subnet(id) {
            Some(s) => azs.push(s.az.as_str()),
            None => out.push(rule(rule_id).at(
                format!("{field}[{i}]"),
                format!("{id} is not a subnet of {vpc_label}"),
            )),
        }
    }
    azs.sort_unstable();
    azs.dedup();
    azs.len()
}

/// D2: a Resolver endpoint needs at least two IP addresses (AWS refuses fewer; apply asks
/// for one per listed subnet), and should have them in two AZs (recommended, for
/// redundancy: a warning).
fn ip_count_and_azs(side: &str, field: &str, ips: usize, azs: usize, out: &mut Vec<Finding>) {
    if ips < 2 {
        out.push(
            rule(Id::D2)
                .at(
                    field,
                    format!("the {side} endpoint would get {ips} IP address(es); Route 53 Resolver requires at least 2 (one per listed subnet)"),
                )
                .fix(format!("list two subnets in {field}, in two AZs")),
        );
    } else if azs < 2 {
        out.push(
            rule(Id::D2)
                .at(
                    field,
                    format!("the {side} endpoint's IPs are all in {azs} AZ: AWS recommends two AZs, so that one AZ's outage does not stop DNS"),
                )
                .severity(Severity::Warn)
                .fix(format!("list subnets of two AZs in {field}")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{Severity, evaluate};
    use crate::spec::{Dns, ForwardRule, InboundEndpoint, OutboundEndpoint};

    fn with(dns: Dns) -> crate::spec::Spec {
        let mut s = spec();
        s.dns = Some(dns);
        s
    }

    fn inbound(subnets: &[&str], allow: &[&str]) -> Option<InboundEndpoint> {
        Some(InboundEndpoint {
            subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
            allow_from_cidrs: allow.iter().map(|s| s.to_string()).collect(),
        })
    }

    fn client_inventory() -> crate::inventory::Inventory {
        let mut inv = inventory();
        let client = client_vpc(&inv);
        inv.vpcs.push(client);
        inv
    }

    /// An inbound endpoint that exists, in the cluster VPC, in group `sg-dns`; the group
    /// lets `rules` in.
    fn existing_inbound(
        inv: &mut crate::inventory::Inventory,
        rules: Vec<crate::inventory::SgRule>,
    ) {
        use crate::inventory::{
            ResolverEndpoint, ResolverEndpointStatus, ResolverIp, SecurityGroup,
        };
        vpc_mut(inv).security_groups.push(SecurityGroup {
            id: "sg-dns".into(),
            name: "dns-in".into(),
            ingress: rules,
            ..Default::default()
        });
        inv.resolver.endpoints.push(ResolverEndpoint {
            id: "rslvr-in-1".into(),
            name: "in".into(),
            direction: "INBOUND".into(),
            vpc_id: "vpc-prod".into(),
            status: ResolverEndpointStatus::Operational,
            security_group_ids: vec!["sg-dns".into()],
            ips: vec![
                ResolverIp {
                    ip: "10.0.1.10".into(),
                    subnet_id: "subnet-priv-a".into(),
                    ..Default::default()
                },
                ResolverIp {
                    ip: "10.0.2.10".into(),
                    subnet_id: "subnet-priv-b".into(),
                    ..Default::default()
                },
            ],
        });
    }

    fn dns_53(protocol: &str, cidr: &str) -> crate::inventory::SgRule {
        crate::inventory::SgRule {
            protocol: protocol.into(),
            from_port: Some(53),
            to_port: Some(53),
            cidrs: vec![cidr.into()],
            ..Default::default()
        }
    }

    /// Issue 26, 1: the demo's adopted inbound endpoint sat in a group that let nothing in,
    /// and nothing said so. Its groups are now read: a group of someone else's is an error
    /// naming it and the rules to add; a group an apply of this spec made gets the rules
    /// from the plan, and the finding says so.
    #[test]
    fn g4_an_existing_inbound_endpoint_answers_only_what_its_groups_let_in() {
        use crate::plan::{Change, Ref, assess};
        let mut inv = client_inventory();
        existing_inbound(&mut inv, vec![dns_53("tcp", "10.99.0.0/16")]);
        let s = with(Dns {
            inbound_endpoint: inbound(&["subnet-priv-a", "subnet-priv-b"], &["10.99.0.0/16"]),
            outbound_endpoint: None,
            forward_rule: None,
        });
        let (f, plan) = assess(&s, &inv);
        let g4: Vec<_> = f.iter().filter(|f| f.id == "G4").collect();
        assert_eq!(g4.len(), 1, "{g4:#?}");
        assert_eq!(g4[0].severity, Severity::Error);
        assert!(g4[0].message.contains("(sg-dns)"), "{}", g4[0].message);
        assert!(
            g4[0].message.contains("udp 53 from 10.99.0.0/16"),
            "{}",
            g4[0].message
        );
        assert!(
            !g4[0].message.contains("tcp 53"),
            "tcp is let in: {}",
            g4[0].message
        );
        assert!(g4[0].fix.contains("--group-id sg-dns"), "{}", g4[0].fix);
        assert!(
            !plan
                .actions
                .iter()
                .any(|a| a.address.starts_with("security_group_rule.resolver")),
            "the plan changes no group it did not make"
        );
        // Blocked: nothing points lookups at an endpoint that drops them.
        assert!(crate::report::blocking(&f).iter().any(|x| x.id == "G4"));

        // The group an earlier apply of this spec made: the plan adds the rules.
        let g = vpc_mut(&mut inv)
            .security_groups
            .iter_mut()
            .find(|g| g.id == "sg-dns")
            .unwrap();
        g.tags
            .insert(crate::spec::PLAN_TAG.into(), "prod-private".into());
        g.tags
            .insert(crate::spec::VPC_TAG.into(), "vpc-prod".into());
        let (f, plan) = assess(&s, &inv);
        let rule = plan
            .actions
            .iter()
            .find(|a| a.address == "security_group_rule.resolver_inbound_53")
            .expect("the plan adds the rules");
        match &rule.change {
            Change::AuthorizeIngress {
                group, port, cidrs, ..
            } => {
                assert_eq!(group, &Ref::Id("sg-dns".into()));
                assert_eq!(
                    (*port, cidrs.as_slice()),
                    (53, &["10.99.0.0/16".to_string()][..])
                );
            }
            c => panic!("{c:?}"),
        }
        let g4 = f.iter().find(|f| f.id == "G4").unwrap();
        assert_eq!(g4.severity, Severity::Info, "{g4:#?}");
        assert!(g4.message.contains("this plan makes it"), "{}", g4.message);
        assert!(!crate::report::blocking(&f).iter().any(|x| x.id == "G4"));

        // Both protocols let in: nothing to say, nothing to add.
        let mut inv = client_inventory();
        existing_inbound(
            &mut inv,
            vec![dns_53("tcp", "10.99.0.0/16"), dns_53("udp", "10.0.0.0/8")],
        );
        let (f, plan) = assess(&s, &inv);
        assert!(!f.iter().any(|f| f.id == "G4"), "{f:#?}");
        assert!(!plan.actions.iter().any(|a| a.address.contains("resolver")));
    }

    /// The forward rule's queries leave from the outbound endpoint's subnets: a client list
    /// without them drops every forwarded query; an outbound endpoint that exists must let
    /// its queries out.
    #[test]
    fn g4_the_forward_rule_s_queries_are_let_in_and_out() {
        use crate::inventory::{
            ResolverEndpoint, ResolverEndpointStatus, ResolverIp, SecurityGroup,
        };
        let mut inv = client_inventory();
        let mut s = with(Dns {
            inbound_endpoint: inbound(&["subnet-priv-a", "subnet-priv-b"], &["10.99.1.0/24"]),
            outbound_endpoint: Some(OutboundEndpoint {
                vpc_id: "vpc-client".into(),
                subnet_ids: vec!["subnet-c1".into(), "subnet-c2".into()],
            }),
            forward_rule: Some(ForwardRule {
                domain: "auto".into(),
                associate_vpc_ids: vec!["vpc-client".into()],
            }),
        });
        let f = evaluate(&inv, Some(&s), None, None);
        let g4: Vec<_> = f.iter().filter(|f| f.id == "G4").collect();
        assert_eq!(g4.len(), 1, "{g4:#?}");
        assert!(
            g4[0].message.contains("subnet-c1 (10.99.0.0/24)"),
            "{}",
            g4[0].message
        );
        assert_eq!(g4[0].severity, Severity::Error);
        s.dns.as_mut().unwrap().inbound_endpoint =
            inbound(&["subnet-priv-a", "subnet-priv-b"], &["10.99.0.0/16"]);
        assert!(
            !evaluate(&inv, Some(&s), None, None)
                .iter()
                .any(|f| f.id == "G4")
        );

        // An outbound endpoint that exists, in a group with no egress rule.
        let client = inv.vpcs.iter_mut().find(|v| v.id == "vpc-client").unwrap();
        client.security_groups.push(SecurityGroup {
            id: "sg-out".into(),
            ..Default::default()
        });
        inv.resolver.endpoints.push(ResolverEndpoint {
            id: "rslvr-out-1".into(),
            direction: "OUTBOUND".into(),
            vpc_id: "vpc-client".into(),
            status: ResolverEndpointStatus::Operational,
            security_group_ids: vec!["sg-out".into()],
            ips: vec![ResolverIp {
                ip: "10.99.0.5".into(),
                subnet_id: "subnet-c1".into(),
                ..Default::default()
            }],
            ..Default::default()
        });
        let f = evaluate(&inv, Some(&s), None, None);
        let g4: Vec<_> = f.iter().filter(|f| f.id == "G4").collect();
        assert_eq!(g4.len(), 1, "{g4:#?}");
        assert!(
            g4[0].message.contains("rslvr-out-1")
                && g4[0].message.contains("udp 53 to 10.0.64.0/19"),
            "{}",
            g4[0].message
        );
        // Egress to everywhere (a new group's default) lets them out.
        let client = inv.vpcs.iter_mut().find(|v| v.id == "vpc-client").unwrap();
        client.security_groups[0].egress = vec![crate::inventory::SgRule {
            protocol: "-1".into(),
            cidrs: vec!["0.0.0.0/0".into()],
            ..Default::default()
        }];
        assert!(
            !evaluate(&inv, Some(&s), None, None)
                .iter()
                .any(|f| f.id == "G4")
        );
    }

    #[test]
    fn d1_explains_what_the_resolver_is_for() {
        let inv = inventory();
        let mut s = with(Dns {
            inbound_endpoint: None,
            outbound_endpoint: None,
            forward_rule: None,
        });
        // The demo cluster is public-only.
        assert!(has(&inv, &s, "D1", Severity::Warn, "no private endpoint"));
        for (public, private, needle) in [
            (false, true, "already resolves"),
            (true, true, "get the public IPs"),
        ] {
            s.cluster_endpoint = Some(crate::spec::ClusterEndpoint {
                private_access: private,
                public_access: public,
                public_access_cidrs: vec!["54.1.2.0/24".into()],
                allow_https_from_cidrs: vec!["10.99.0.0/16".into()],
            });
            assert!(has(&inv, &s, "D1", Severity::Info, needle), "{needle}");
        }
    }

    #[test]
    fn d2_g4_inbound_endpoint() {
        let inv = inventory();
        let ok = with(Dns {
            inbound_endpoint: inbound(&["subnet-priv-a", "subnet-priv-b"], &["10.99.0.0/16"]),
            outbound_endpoint: None,
            forward_rule: None,
        });
        assert!(
            !evaluate(&inv, Some(&ok), None, None)
                .iter()
                .any(|f| (f.id.as_str().starts_with('D') && f.id != "D1") || f.id == "G4")
        );
        let one_az = with(Dns {
            inbound_endpoint: inbound(&["subnet-priv-a", "subnet-data-a"], &["10.99.0.0/16"]),
            outbound_endpoint: None,
            forward_rule: None,
        });
        // Two IPs in one AZ: AWS takes them; two AZs are a recommendation.
        assert!(has(
            &inv,
            &one_az,
            "D2",
            Severity::Warn,
            "recommends two AZs"
        ));
        assert!(
            !evaluate(&inv, Some(&one_az), None, None)
                .iter()
                .any(|f| f.id == "D2" && f.severity == Severity::Error)
        );
        // One IP: AWS refuses it.
        let one_ip = with(Dns {
            inbound_endpoint: inbound(&["subnet-priv-a"], &["10.99.0.0/16"]),
            outbound_endpoint: None,
            forward_rule: None,
        });
        assert!(has(
            &inv,
            &one_ip,
            "D2",
            Severity::Error,
            "requires at least 2"
        ));
        let foreign = with(Dns {
            inbound_endpoint: inbound(&["subnet-priv-a", "subnet-x"], &["10.99.0.0/16"]),
            outbound_endpoint: None,
            forward_rule: None,
        });
        assert!(has(
            &inv,
            &foreign,
            "D2",
            Severity::Error,
            "not a subnet of the cluster VPC"
        ));
        let bad_cidr = with(Dns {
            inbound_endpoint: inbound(&["subnet-priv-a", "subnet-priv-b"], &["10.99.0.0/8"]),
            outbound_endpoint: None,
            forward_rule: None,
        });
        assert!(has(&inv, &bad_cidr, "G4", Severity::Error, "host bits"));
        let nobody = with(Dns {
            inbound_endpoint: inbound(&["subnet-priv-a", "subnet-priv-b"], &[]),
            outbound_endpoint: None,
            forward_rule: None,
        });
        assert!(has(&inv, &nobody, "G4", Severity::Warn, "no client CIDR"));
    }

    #[test]
    fn d3_d4_d5_forwarding() {
        let inv = client_inventory();
        let rule = |vpcs: &[&str], domain: &str| ForwardRule {
            domain: domain.into(),
            associate_vpc_ids: vpcs.iter().map(|s| s.to_string()).collect(),
        };
        let loop_ = with(Dns {
            inbound_endpoint: None,
            outbound_endpoint: None,
            forward_rule: Some(rule(&["vpc-prod"], "auto")),
        });
        assert!(has(&inv, &loop_, "D3", Severity::Error, "loops"));
        let unknown = with(Dns {
            inbound_endpoint: None,
            outbound_endpoint: None,
            forward_rule: Some(rule(&["vpc-gone"], "auto")),
        });
        assert!(has(&inv, &unknown, "D4", Severity::Error, "is not a VPC"));
        // A rule without both endpoints cannot be made.
        assert!(has(
            &inv,
            &loop_,
            "D4",
            Severity::Error,
            "needs both Resolver endpoints"
        ));
        let mut inv2 = inv.clone();
        inv2.clusters[0].endpoint = "https://ABC.gr7.eu-west-1.eks.amazonaws.com".into();
        let wrong = with(Dns {
            inbound_endpoint: None,
            outbound_endpoint: None,
            forward_rule: Some(rule(&["vpc-client"], "eks.amazonaws.com")),
        });
        assert!(has(
            &inv2,
            &wrong,
            "D5",
            Severity::Error,
            "is not the cluster's API hostname"
        ));
        let right = with(Dns {
            inbound_endpoint: None,
            outbound_endpoint: None,
            forward_rule: Some(rule(
                &["vpc-client"],
                "abc.gr7.eu-west-1.eks.amazonaws.com.",
            )),
        });
        assert!(
            !evaluate(&inv2, Some(&right), None, None)
                .iter()
                .any(|f| f.id == "D5")
        );
        let mut no_cluster = right.clone();
        no_cluster.cluster_name = None;
        assert!(has(
            &inv2,
            &no_cluster,
            "D5",
            Severity::Error,
            "needs clusterName"
        ));
    }

    #[test]
    fn d4_outbound_endpoint() {
        let inv = client_inventory();
        let out = |vpc: &str, subnets: &[&str]| {
            Some(OutboundEndpoint {
                vpc_id: vpc.into(),
                subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
            })
        };
        let ok = with(Dns {
            inbound_endpoint: None,
            outbound_endpoint: out("vpc-client", &["subnet-c1", "subnet-c2"]),
            forward_rule: None,
        });
        assert!(
            !evaluate(&inv, Some(&ok), None, None)
                .iter()
                .any(|f| f.id.as_str().starts_with('D') && f.id != "D1"),
            "peered through pcx-1"
        );
        let in_cluster = with(Dns {
            inbound_endpoint: None,
            outbound_endpoint: out("vpc-prod", &["subnet-priv-a", "subnet-priv-b"]),
            forward_rule: None,
        });
        assert!(has(&inv, &in_cluster, "D4", Severity::Error, "client VPCs"));
        let wrong_subnet = with(Dns {
            inbound_endpoint: None,
            outbound_endpoint: out("vpc-client", &["subnet-c1", "subnet-priv-a"]),
            forward_rule: None,
        });
        assert!(has(
            &inv,
            &wrong_subnet,
            "D4",
            Severity::Error,
            "not a subnet of vpc-client"
        ));
        let mut unpeered = inv.clone();
        unpeered.vpcs[0].peerings.clear();
        assert!(has(
            &unpeered,
            &ok,
            "D4",
            Severity::Warn,
            "no active peering"
        ));
    }
}
