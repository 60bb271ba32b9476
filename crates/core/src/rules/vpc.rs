//! Rules: V1, V2, V3, V4, V6, X8.
//! V rules: the VPC's DNS attributes, DHCP options and the cluster's service CIDR.

use super::cidr::{is_rfc1918, overlaps, parse_v4};
use super::{Context, Finding, Id, rule};

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(v) = ctx.vpc else { return };
    v6(ctx, v, out);
    x8(ctx, v, out);
    v1(ctx, v, out);
    v2_v3(ctx, v, out);
    v4(ctx, v, out);
}

/// V6: the spec's cluster exists, in the spec's VPC.
fn v6(ctx: &Context, v: &crate::inventory::Vpc, out: &mut Vec<Finding>) {
    if let Some(name) = ctx.spec.and_then(|s| s.cluster_name.as_deref()) {
        match ctx.cluster {
            None => {
                let known: Vec<&str> = ctx
                    .inv
                    .clusters_in(&v.id)
                    .map(|c| c.name.as_str())
                    .collect();
                out.push(rule(Id::V6).at(
                    "clusterName",
                    format!(
                        "no cluster named {name:?} in {}{}",
                        ctx.inv.region,
                        if known.is_empty() {
                            format!(" (none in {})", v.id)
                        } else {
                            format!(" ({} has {})", v.id, known.join(", "))
                        }
                    ),
                ));
                // What acts on the cluster is not planned: said where the spec asks for it.
                if ctx.spec.is_some_and(|s| s.cluster_endpoint.is_some()) {
                    out.push(rule(Id::V6).at(
                        "clusterEndpoint",
                        format!(
                            "endpoint access and its allow-list are not planned: there is no cluster {name:?} in {} to apply them to",
                            v.id
                        ),
                    ));
                }
            }
            // A cluster whose VPC the API did not say is taken at its word.
            Some(c) if c.vpc_id.as_deref().is_some_and(|o| o != v.id) => out.push(rule(Id::V6).at(
                "clusterName",
                format!(
                    "cluster {name} is in {}, not in the spec's VPC {}",
                    c.vpc_id.as_deref().unwrap_or_default(),
                    v.id
                ),
            )),
            Some(_) => {}
        }
    }
}

/// X8: the spec's name names and tags everything apply creates.
fn x8(ctx: &Context, _v: &crate::inventory::Vpc, out: &mut Vec<Finding>) {
    if let Some(problem) = ctx
        .spec
        .and_then(|s| super::names::spec_name(&s.metadata.name))
    {
        out.push(rule(Id::X8).at("metadata.name", problem));
    }
}

/// V1
fn v1(_ctx: &Context, v: &crate::inventory::Vpc, out: &mut Vec<Finding>) {
    let off: Vec<&str> = [
        (!v.dns_support).then_some("enableDnsSupport"),
        (!v.dns_hostnames).then_some("enableDnsHostnames"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !off.is_empty() {
        out.push(
            rule(Id::V1)
                .at(&v.id, format!("{} off in {}", off.join(" and "), v.id))
                .fix(format!(
                    "aws ec2 modify-vpc-attribute --vpc-id {} {}",
                    v.id,
                    off.iter()
                        .map(|a| format!(
                            "--{} '{{\"Value\":true}}'",
                            if *a == "enableDnsSupport" {
                                "enable-dns-support"
                            } else {
                                "enable-dns-hostnames"
                            }
                        ))
                        .collect::<Vec<_>>()
                        .join(" (then) ")
                )),
        );
    }
}

/// V2, V3
fn v2_v3(ctx: &Context, v: &crate::inventory::Vpc, out: &mut Vec<Finding>) {
    if let Some(d) = &v.dhcp_options {
        let amazon = d
            .domain_name_servers
            .iter()
            .any(|s| s.eq_ignore_ascii_case("AmazonProvidedDNS"));
        if !amazon {
            out.push(rule(Id::V2).at(
                &d.id,
                format!(
                    "DHCP options {} of {} use {} instead of AmazonProvidedDNS",
                    d.id,
                    v.id,
                    if d.domain_name_servers.is_empty() {
                        "no name servers".to_string()
                    } else {
                        d.domain_name_servers.join(", ")
                    }
                ),
            ));
        }
        if let Some(domain) = &d.domain_name
            && !is_default_domain(domain, &ctx.inv.region)
        {
            let has_ec2 = ctx
                .spec
                .and_then(|s| s.endpoints.as_ref())
                .is_some_and(|e| e.services.iter().any(|s| s == "ec2"));
            if !has_ec2 {
                out.push(rule(Id::V3).at(
                    &d.id,
                    format!(
                        "DHCP domain-name {domain:?} is custom and the spec plans no ec2 endpoint"
                    ),
                ));
            }
        }
    }
}

/// V4
fn v4(ctx: &Context, v: &crate::inventory::Vpc, out: &mut Vec<Finding>) {
    if let Some(c) = ctx.cluster
        && let Some(text) = &c.service_cidr
        && c.ip_family != "ipv6"
    {
        let subject = format!("cluster {}", c.name);
        match parse_v4(text) {
            Err(e) => out.push(rule(Id::V4).at(subject, e)),
            Ok(svc) => {
                if !is_rfc1918(&svc) {
                    out.push(
                        rule(Id::V4).at(&subject, format!("service CIDR {svc} is not RFC 1918")),
                    );
                }
                if !(12..=24).contains(&svc.prefix_len()) {
                    out.push(rule(Id::V4).at(
                        &subject,
                        format!(
                            "service CIDR {svc} is a /{}: it must be /12 to /24",
                            svc.prefix_len()
                        ),
                    ));
                }
                let vpc_cidrs = v.active_cidrs().map(str::to_string);
                let peer_cidrs = v.peerings.iter().flat_map(|p| {
                    let other = if p.requester_vpc_id == v.id {
                        &p.accepter_cidrs
                    } else {
                        &p.requester_cidrs
                    };
                    other.iter().cloned()
                });
                for other in vpc_cidrs.chain(peer_cidrs) {
                    if let Ok(o) = parse_v4(&other)
                        && overlaps(&svc, &o)
                    {
                        out.push(rule(Id::V4).at(
                            &subject,
                            format!("service CIDR {svc} overlaps {o} (VPC or peered network)"),
                        ));
                    }
                }
            }
        }
    }
}

/// The domain names AWS sets by default: ec2.internal in us-east-1, else
/// <region>.compute.internal.
fn is_default_domain(domain: &str, region: &str) -> bool {
    let d = domain.trim_end_matches('.');
    d == "ec2.internal" || d == format!("{region}.compute.internal")
}

#[cfg(test)]
mod tests {
    use super::super::Severity;
    use super::super::testkit::*;

    #[test]
    fn v6_the_cluster_exists_in_the_vpc_and_x8_the_name() {
        let inv = inventory();
        let mut s = spec();
        s.cluster_name = Some("nope".into());
        assert!(has(
            &inv,
            &s,
            "V6",
            Severity::Error,
            "no cluster named \"nope\""
        ));
        assert!(has(&inv, &s, "V6", Severity::Error, "vpc-prod has prod"));
        let mut other = inventory();
        other.clusters[0].vpc_id = Some("vpc-other".into());
        let s = spec();
        assert!(has(&other, &s, "V6", Severity::Error, "is in vpc-other"));
        assert!(!ids(&inv, Some(&s)).contains(&"V6"));
        let mut s = spec();
        s.metadata.name = "a b".into();
        assert!(has(
            &inv,
            &s,
            "X8",
            Severity::Error,
            "cannot be in metadata.name"
        ));
        assert!(!ids(&inv, Some(&spec())).contains(&"X8"));
    }

    #[test]
    fn v1_dns_attributes() {
        let mut inv = inventory();
        vpc_mut(&mut inv).dns_hostnames = false;
        let f = super::super::evaluate(&inv, Some(&spec()), None, None);
        let v1: Vec<_> = f.iter().filter(|f| f.id == "V1").collect();
        assert_eq!(v1.len(), 1);
        assert!(v1[0].message.contains("enableDnsHostnames off"));
        assert!(v1[0].fix.contains("--enable-dns-hostnames"));
        assert!(!v1[0].fix.contains("--enable-dns-support"));
    }

    #[test]
    fn v2_v3_dhcp_options() {
        let mut inv = inventory();
        let d = vpc_mut(&mut inv).dhcp_options.as_mut().unwrap();
        d.domain_name_servers = vec!["10.0.0.53".into()];
        d.domain_name = Some("corp.example".into());
        let found = ids(&inv, Some(&spec()));
        assert!(found.contains(&"V2") && found.contains(&"V3"), "{found:?}");
        // With the ec2 endpoint planned, V3 is satisfied.
        let mut s = spec();
        s.endpoints = Some(crate::spec::Endpoints {
            services: vec!["ec2".into()],
            features: vec![],
            private_dns: true,
            security_group: crate::spec::SecurityGroupChoice {
                id: Some("sg-1".into()),
                create: None,
            },
            extra_route_table_ids: vec![],
        });
        assert!(!ids_of(&inv, &s).contains(&"V3"));
        // The region's default domain is not custom.
        let mut inv = inventory();
        vpc_mut(&mut inv).dhcp_options.as_mut().unwrap().domain_name = Some("ec2.internal".into());
        assert!(!ids(&inv, Some(&spec())).contains(&"V3"));
    }

    fn ids_of(inv: &crate::inventory::Inventory, s: &crate::spec::Spec) -> Vec<&'static str> {
        ids(inv, Some(s))
    }

    #[test]
    fn v4_service_cidr() {
        for (cidr, bad) in [
            ("172.20.0.0/16", false),
            ("10.100.0.0/16", false),
            ("10.0.0.0/16", true),   // overlaps the VPC
            ("10.99.0.0/20", true),  // overlaps the peer
            ("100.64.0.0/16", true), // not RFC 1918
            ("172.20.0.0/25", true), // too small
            ("172.16.0.0/11", true), // too big (and not inside 172.16/12)
            ("not-a-cidr", true),
        ] {
            let mut inv = inventory();
            inv.clusters[0].service_cidr = Some(cidr.into());
            assert_eq!(ids(&inv, Some(&spec())).contains(&"V4"), bad, "{cidr}");
        }
    }
}
