//! D rules: Route 53 Resolver for the private API endpoint (spec.dns).

use super::cidr::parse_v4;
use super::{Context, Finding, Id, Severity, rule};
use crate::inventory::Vpc;

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let (Some(v), Some(spec)) = (ctx.vpc, ctx.spec) else {
        return;
    };
    let Some(dns) = &spec.dns else { return };
    let inv = ctx.inv;
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

    // D1: say what the resolver is for, given the endpoint access it will serve.
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

    // D2: inbound endpoint in the cluster VPC, two or more AZs.
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
    }

    // D3, D4: the outbound side and the rule's associations.
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
                .any(|f| (f.id.starts_with('D') && f.id != "D1") || f.id == "G4")
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
                .any(|f| f.id.starts_with('D') && f.id != "D1"),
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
