//! Rules: G5.
//! G5: network ACLs of the node and pod subnets let endpoint (443), DNS (53, between pods
//! and the CoreDNS pods) and return traffic through, for every VPC CIDR. Traffic to the
//! Amazon DNS server (VPC+2) is never filtered by network ACLs, so it is never blamed.

use super::cidr::parse_v4;
use super::{Context, Finding, Id, rule};
use crate::inventory::{NaclEntry, NetworkAcl, Vpc};
use ipnet::Ipv4Net;

/// Whether the ACL lets `proto` (6 tcp, 17 udp) traffic on `port` to (egress) or from
/// (ingress) all of `peer` through: the lowest-numbered matching entry decides, no match
/// denies (the `*` rule).
pub fn nacl_allows(
    entries: &[NaclEntry],
    egress: bool,
    proto: u8,
    port: u16,
    peer: &Ipv4Net,
) -> bool {
    let mut es: Vec<&NaclEntry> = entries
        .iter()
        .filter(|e| e.egress == egress && !e.cidr.is_empty())
        .collect();
    es.sort_by_key(|e| e.rule_number);
    for e in es {
        if e.protocol != "-1" {
            if e.protocol != proto.to_string() {
                continue;
            }
            let (from, to) = (e.from_port.unwrap_or(0), e.to_port.unwrap_or(65535));
            if i32::from(port) < from || i32::from(port) > to {
                continue;
            }
        }
        let Ok(c) = parse_v4(&e.cidr) else { continue };
        if !c.contains(peer) {
            continue;
        }
        return e.action.eq_ignore_ascii_case("allow");
    }
    false
}

/// The ACL in effect for a subnet: its explicit association, else the VPC's default.
pub fn acl_of<'a>(v: &'a Vpc, subnet: &str) -> Option<&'a NetworkAcl> {
    v.network_acls
        .iter()
        .find(|a| a.subnet_ids.iter().any(|s| s == subnet))
        .or_else(|| v.network_acls.iter().find(|a| a.is_default))
}

/// (what, egress, protocol, port) each node and pod subnet's ACL must let through, to and
/// from every VPC CIDR: endpoints on 443, DNS to and from the CoreDNS pods (which run on
/// any node, so in any VPC CIDR) on 53, and the replies on the ephemeral ports (Linux
/// uses 32768–60999).
const NEEDED: &[(&str, bool, u8, u16)] = &[
    ("tcp/443 out to the endpoints", true, 6, 443),
    ("tcp/443 in (endpoint ENIs in these subnets)", false, 6, 443),
    ("replies on ephemeral tcp ports in", false, 6, 32768),
    ("udp/53 out to the CoreDNS pods", true, 17, 53),
    ("udp/53 in to CoreDNS pods here", false, 17, 53),
    ("replies on ephemeral udp ports in", false, 17, 32768),
];

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(v) = ctx.vpc else { return };
    if v.network_acls.is_empty() {
        return; // not read (older inventory): nothing to say
    }
    // Every VPC CIDR, the spec's planned secondary one too (pods call from it).
    let mut cidrs: Vec<Ipv4Net> = v.active_cidrs().filter_map(|c| parse_v4(c).ok()).collect();
    if let Some(sec) = ctx
        .spec
        .and_then(|s| s.secondary_cidr.as_ref())
        .and_then(|s| parse_v4(&s.cidr).ok())
        && !cidrs.contains(&sec)
    {
        cidrs.push(sec);
    }
    if cidrs.is_empty() {
        return;
    }
    // The node subnets, and the spec's pod subnets that exist already.
    let mut subnets: Vec<(String, &str)> = ctx
        .node_subnets()
        .into_iter()
        .map(|n| (n.field, n.id))
        .collect();
    if let Some(sec) = ctx.spec.and_then(|s| s.secondary_cidr.as_ref()) {
        for (az, cidr) in &sec.pod_subnets {
            if let Some(sn) = v.subnets.iter().find(|sn| &sn.cidr == cidr) {
                subnets.push((format!("secondaryCidr.podSubnets.{az}"), sn.id.as_str()));
            }
        }
    }
    for (field, id) in subnets {
        let Some(acl) = acl_of(v, id) else { continue };
        let mut blocked: Vec<String> = vec![];
        for cidr in &cidrs {
            let what: Vec<&str> = NEEDED
                .iter()
                .filter(|(_, egress, proto, port)| {
                    !nacl_allows(&acl.entries, *egress, *proto, *port, cidr)
                })
                .map(|(what, ..)| *what)
                .collect();
            if !what.is_empty() {
                blocked.push(format!("{} for {cidr}", what.join(", ")));
            }
        }
        if !blocked.is_empty() {
            out.push(rule(Id::G5).at(
                field,
                format!("{} of {id} blocks {}", acl.id, blocked.join("; ")),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Severity;
    use super::super::testkit::*;
    use super::*;

    fn entry(
        n: i32,
        egress: bool,
        proto: &str,
        action: &str,
        cidr: &str,
        ports: Option<(i32, i32)>,
    ) -> NaclEntry {
        NaclEntry {
            rule_number: n,
            egress,
            protocol: proto.into(),
            action: action.into(),
            cidr: cidr.into(),
            ipv6_cidr: None,
            from_port: ports.map(|p| p.0),
            to_port: ports.map(|p| p.1),
        }
    }

    fn default_acl() -> NetworkAcl {
        NetworkAcl {
            id: "acl-default".into(),
            is_default: true,
            subnet_ids: vec![],
            entries: vec![
                entry(100, false, "-1", "allow", "0.0.0.0/0", None),
                entry(100, true, "-1", "allow", "0.0.0.0/0", None),
                entry(32767, false, "-1", "deny", "0.0.0.0/0", None),
                entry(32767, true, "-1", "deny", "0.0.0.0/0", None),
            ],
        }
    }

    #[test]
    fn evaluation_follows_rule_order() {
        let vpc: Ipv4Net = "10.0.0.0/16".parse().unwrap();
        let acl = default_acl();
        assert!(nacl_allows(&acl.entries, true, 6, 443, &vpc));
        let mut strict = acl.entries.clone();
        strict.insert(
            0,
            entry(50, true, "6", "deny", "10.0.0.0/8", Some((443, 443))),
        );
        assert!(
            !nacl_allows(&strict, true, 6, 443, &vpc),
            "a lower-numbered deny wins"
        );
        assert!(
            nacl_allows(&strict, true, 6, 80, &vpc),
            "other ports still pass"
        );
        assert!(
            nacl_allows(&strict, true, 17, 443, &vpc),
            "other protocols still pass"
        );
        assert!(!nacl_allows(&[], true, 6, 443, &vpc), "no entry denies");
    }

    #[test]
    fn g5_blocked_node_subnet() {
        let mut inv = inventory();
        vpc_mut(&mut inv).network_acls = vec![default_acl()];
        assert!(!ids(&inv, Some(&spec())).contains(&"G5"));
        let mut tight = default_acl();
        tight.id = "acl-tight".into();
        tight.is_default = false;
        tight.subnet_ids = vec!["subnet-priv-b".into()];
        tight.entries.insert(
            0,
            entry(10, false, "6", "allow", "10.0.0.0/16", Some((443, 443))),
        );
        tight.entries.retain(|e| e.rule_number != 100 || e.egress);
        vpc_mut(&mut inv).network_acls.push(tight);
        let f = super::super::evaluate(&inv, Some(&spec()), None, None);
        let g5: Vec<_> = f.iter().filter(|f| f.id == "G5").collect();
        assert_eq!(g5.len(), 1, "{g5:#?}");
        assert_eq!(g5[0].subject, "nodeSubnets.eu-west-1b");
        assert_eq!(g5[0].severity, Severity::Error);
        assert!(
            g5[0].message.contains("replies on ephemeral tcp ports in"),
            "{}",
            g5[0].message
        );
        assert!(!g5[0].message.contains("tcp/443 in"), "{}", g5[0].message);
        // Never the VPC resolver: ACLs cannot filter it.
        assert!(!g5[0].message.contains("resolver"), "{}", g5[0].message);
        assert!(
            g5[0].message.contains("for 10.0.0.0/16"),
            "{}",
            g5[0].message
        );
    }

    /// The secondary CIDR counts: an ACL that passes only the primary CIDR blocks pods.
    #[test]
    fn g5_checks_every_vpc_cidr_and_the_pod_subnets() {
        let mut inv = inventory();
        let mut primary_only = default_acl();
        primary_only.entries = vec![
            entry(100, false, "-1", "allow", "10.0.0.0/16", None),
            entry(100, true, "-1", "allow", "10.0.0.0/16", None),
        ];
        vpc_mut(&mut inv).network_acls = vec![primary_only];
        assert!(!ids(&inv, Some(&spec())).contains(&"G5"));
        let mut s = spec();
        s.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: [("eu-west-1a".to_string(), "100.64.0.0/19".to_string())].into(),
        });
        vpc_mut(&mut inv).subnets.push(subnet(
            "subnet-pod-a",
            "eu-west-1a",
            "euw1-az1",
            "100.64.0.0/19",
            crate::inventory::SubnetKind::Isolated,
            "rtb-priv-a",
        ));
        let f = super::super::evaluate(&inv, Some(&s), None, None);
        let g5: Vec<_> = f.iter().filter(|f| f.id == "G5").collect();
        assert!(
            g5.iter()
                .any(|f| f.subject == "secondaryCidr.podSubnets.eu-west-1a"),
            "{g5:#?}"
        );
        assert!(
            g5.iter().all(|f| f.message.contains("for 100.64.0.0/16")
                && !f.message.contains("for 10.0.0.0/16")),
            "{g5:#?}"
        );
    }
}
