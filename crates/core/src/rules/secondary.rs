//! Rules: C1, C2, C3, C4, C5, C6, N1.
//! C rules: the secondary CIDR and its pod subnets (spec.secondaryCidr).

use super::cidr::{overlaps, parse_v4, secondary_cidr_problems};
use super::{Context, Finding, Id, rule};
use crate::inventory::{Cluster, Vpc};
use ipnet::Ipv4Net;

/// IPv4 CIDR blocks a VPC holds by default (quota L-83CA0A9D).
pub const DEFAULT_CIDR_QUOTA: usize = 5;

/// Why `new` cannot be the VPC's secondary CIDR (C1): the restriction table against its
/// CIDRs, its routes (but local ones), its active peers, the cluster's service CIDR.
/// Empty when AWS would accept it.
pub fn cidr_problems(v: &Vpc, cluster: Option<&Cluster>, new: &Ipv4Net) -> Vec<String> {
    let existing: Vec<Ipv4Net> = v.active_cidrs().filter_map(|c| parse_v4(c).ok()).collect();
    let routes: Vec<Ipv4Net> = v
        .route_tables
        .iter()
        .flat_map(|t| &t.routes)
        .filter(|r| r.target != "local")
        .filter_map(|r| parse_v4(&r.destination).ok())
        .collect();
    let peers: Vec<Ipv4Net> = v
        .peers()
        .flat_map(|p| p.cidrs)
        .filter_map(|c| parse_v4(c).ok())
        .collect();
    let mut out = secondary_cidr_problems(new, &existing, &routes, &peers);
    // Pods on addresses that are also Service IPs would be unreachable.
    if let Some(svc) = cluster
        .and_then(|c| c.service_cidr.as_deref())
        .and_then(|s| parse_v4(s).ok())
        && overlaps(new, &svc)
    {
        out.push(format!("{new} overlaps the cluster's service CIDR {svc}"));
    }
    out
}

/// C2: what a peering still `pending-acceptance` does to a new CIDR `new` of `v`. Asked by
/// this VPC, it makes AWS refuse any new CIDR until it is accepted or deleted; offered to
/// this VPC, a CIDR overlapping the requester's is added, but the peering can then never be
/// accepted. Each as (problem, fix).
pub fn pending_peering_problems(v: &Vpc, new: &Ipv4Net) -> Vec<(String, String)> {
    let mut out = vec![];
    for p in v
        .peerings
        .iter()
        .filter(|p| p.status == crate::inventory::PeeringStatus::PendingAcceptance)
    {
        if p.requester_vpc_id == v.id {
            out.push((
                format!(
                    "{} asked for the peering {} with {}, still pending-acceptance: AWS refuses any new CIDR of {} until it is accepted or deleted",
                    v.id, p.id, p.accepter_vpc_id, v.id
                ),
                format!(
                    "have {} accepted (aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id {}) or delete it, then plan again",
                    p.accepter_vpc_id, p.id
                ),
            ));
        } else if p.accepter_vpc_id == v.id
            && let Some(c) = p
                .requester_cidrs
                .iter()
                .filter_map(|c| parse_v4(c).ok())
                .find(|c| overlaps(new, c))
        {
            out.push((
                format!(
                    "{new} overlaps {c} of {}, whose peering {} with {} is pending-acceptance: AWS adds the CIDR, but the peering can then never be accepted",
                    p.requester_vpc_id, p.id, v.id
                ),
                format!(
                    "choose a secondary CIDR that does not overlap {c}, or settle the peering {} first",
                    p.id
                ),
            ));
        }
    }
    out
}

/// What is wrong with `text` as the pod subnet of `az` inside the secondary CIDR `outer`,
/// given the pod subnets before it (C4): (problem, fix).
pub fn pod_subnet_problems(
    v: &Vpc,
    outer: &Ipv4Net,
    az: &str,
    text: &str,
    others: &[(String, Ipv4Net)],
) -> Vec<(String, Option<String>)> {
    let p = match parse_v4(text) {
        Ok(p) => p,
        Err(e) => return vec![(e, None)],
    };
    let mut out = vec![];
    if !outer.contains(&p) {
        out.push((format!("{p} is outside the secondary CIDR {outer}"), None));
    }
    if !(16..=28).contains(&p.prefix_len()) {
        out.push((
            format!("{p} is a /{}: a subnet must be /16 to /28", p.prefix_len()),
            None,
        ));
    }
    for (other_az, o) in others {
        if other_az != az && overlaps(&p, o) {
            out.push((
                format!("{p} overlaps the pod subnet of {other_az} ({o})"),
                None,
            ));
        }
    }
    // An existing subnet of the VPC in the same range would collide at create; one with
    // exactly this CIDR in this AZ is the pod subnet itself (adopted).
    if let Some(s) = v.subnets.iter().find(|s| {
        parse_v4(&s.cidr).is_ok_and(|c| overlaps(&c, &p))
            && !(s.cidr == p.to_string() && s.az == az)
    }) {
        out.push((
            format!("{p} overlaps the existing subnet {} ({})", s.id, s.cidr),
            None,
        ));
    }
    out
}

/// Ranges to offer as the secondary CIDR, best first: what the VPC holds already beyond its
/// primary CIDR (adopted), then the /16s of 100.64.0.0/10 from 100.64.0.0/16 on, then
/// 198.19.0.0/16; only those AWS would accept (C1). At most `n`.
pub fn suggested_cidrs(v: &Vpc, cluster: Option<&Cluster>, n: usize) -> Vec<Ipv4Net> {
    let mut out: Vec<Ipv4Net> = v
        .active_cidrs()
        .skip(1)
        .filter_map(|c| parse_v4(c).ok())
        .collect();
    let candidates = (64..128u8)
        .map(|b| Ipv4Net::new(std::net::Ipv4Addr::new(100, b, 0, 0), 16).expect("valid"))
        .chain([Ipv4Net::new(std::net::Ipv4Addr::new(198, 19, 0, 0), 16).expect("valid")]);
    for c in candidates {
        if out.len() >= n {
            break;
        }
        if !out.contains(&c) && cidr_problems(v, cluster, &c).is_empty() {
            out.push(c);
        }
    }
    out.truncate(n);
    out
}

/// One pod subnet per AZ in `outer`: an existing subnet of the VPC in that AZ inside it
/// (adopted), else an even split (the smallest power of two of equal blocks that gives
/// every AZ one, at most /28), in AZ order.
pub fn split_pod_subnets(
    v: &Vpc,
    outer: &Ipv4Net,
    azs: &[String],
) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    if azs.is_empty() {
        return out;
    }
    let mut bits = 0u8;
    while (1usize << bits) < azs.len() {
        bits += 1;
    }
    let len = (outer.prefix_len() + bits).min(28);
    let mut blocks = outer.subnets(len).into_iter().flatten();
    let taken: Vec<Ipv4Net> = v
        .subnets
        .iter()
        .filter_map(|s| parse_v4(&s.cidr).ok())
        .filter(|c| outer.contains(c))
        .collect();
    for az in azs {
        if let Some(s) = v
            .subnets
            .iter()
            .find(|s| &s.az == az && parse_v4(&s.cidr).is_ok_and(|c| outer.contains(&c)))
        {
            out.insert(az.clone(), s.cidr.clone());
            continue;
        }
        if let Some(b) = blocks
            .by_ref()
            .find(|b| !taken.iter().any(|t| overlaps(t, b)))
        {
            out.insert(az.clone(), b.to_string());
        }
    }
    out
}

/// Addresses a subnet of this size gives pods: all but the 5 AWS keeps.
pub fn usable_ips(net: &Ipv4Net) -> u64 {
    (1u64 << (32 - net.prefix_len())).saturating_sub(5)
}

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let (Some(v), Some(spec)) = (ctx.vpc, ctx.spec) else {
        return;
    };
    let Some(sec) = &spec.secondary_cidr else {
        return;
    };
    // N1: an IPv6 cluster's pods take IPv6 addresses from the node's subnet.
    if let Some(c) = ctx.cluster
        && c.ip_family == "ipv6"
    {
        out.push(
            rule(Id::N1)
                .at(
                    "secondaryCidr",
                    format!(
                        "cluster {} is IPv6: its pods take IPv6 addresses from the node's subnet, so an IPv4 secondary CIDR for pods does not apply",
                        c.name
                    ),
                )
                .area(super::Area::SecondaryCidr)
                .fix("remove secondaryCidr for an IPv6 cluster"),
        );
    }
    let existing: Vec<Ipv4Net> = v.active_cidrs().filter_map(|c| parse_v4(c).ok()).collect();
    let new = match parse_v4(&sec.cidr) {
        Ok(n) => n,
        Err(e) => {
            out.push(rule(Id::C1).at("secondaryCidr.cidr", e));
            return;
        }
    };
    let already = existing.contains(&new);
    if !already {
        // C1: against the VPC's CIDRs, routes, active peers and the cluster's services.
        for p in cidr_problems(v, ctx.cluster, &new) {
            out.push(rule(Id::C1).at("secondaryCidr.cidr", p));
        }
        // C2: peerings still waiting to be accepted, then the quota.
        for (problem, fix) in pending_peering_problems(v, &new) {
            out.push(
                rule(Id::C2)
                    .at("secondaryCidr.cidr", problem)
                    .severity(super::Severity::Error)
                    .fix(fix),
            );
        }
        if existing.len() >= DEFAULT_CIDR_QUOTA {
            out.push(rule(Id::C2).at(
                "secondaryCidr.cidr",
                format!(
                    "{} already holds {} IPv4 CIDRs, the default quota",
                    v.id,
                    existing.len()
                ),
            ));
        }
        out.push(rule(Id::C5).at(
            "secondaryCidr.cidr",
            format!("{new} will be new to the cluster's VPC: EKS can take up to one hour to recognise it (exec, logs and webhooks to pods in it fail meanwhile)"),
        ));
    }

    if !sec.pod_subnets.is_empty() {
        if !already {
            out.push(rule(Id::C3).at(
                "secondaryCidr.podSubnets",
                format!(
                    "the pod subnets are created once {new} is associated (the plan waits for it)"
                ),
            ));
        }
        out.push(rule(Id::C6).at(
            "secondaryCidr.podSubnets",
            "with prefix delegation pods take /28 blocks: reserve them with subnet CIDR reservations to avoid fragmentation",
        ));
    }

    // C4: pod subnets inside the CIDR, one per node AZ, not overlapping, sized /16–/28.
    let mut pods: Vec<(String, Ipv4Net)> = vec![];
    for (az, text) in &sec.pod_subnets {
        let field = format!("secondaryCidr.podSubnets.{az}");
        for (p, fix) in pod_subnet_problems(v, &new, az, text, &pods) {
            let f = rule(Id::C4).at(&field, p);
            out.push(match fix {
                Some(fix) => f.fix(fix),
                None => f,
            });
        }
        if !spec.node_subnets.contains_key(az) {
            out.push(
                rule(Id::C4)
                    .at(&field, format!("{az} has a pod subnet but no node subnet"))
                    .fix("remove it, or add a node subnet in that AZ"),
            );
        }
        if let Ok(p) = parse_v4(text) {
            pods.push((az.clone(), p));
        }
    }
    if spec.custom_networking.is_some() {
        for az in spec.node_subnets.keys() {
            if !sec.pod_subnets.contains_key(az) {
                out.push(rule(Id::C4).at(
                    "secondaryCidr.podSubnets",
                    format!("{az} has nodes but no pod subnet"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{Severity, evaluate};
    use crate::spec::{CustomNetworking, SecondaryCidr};

    fn spec_with(cidr: &str, pods: &[(&str, &str)], custom: bool) -> crate::spec::Spec {
        let mut s = spec();
        s.secondary_cidr = Some(SecondaryCidr {
            cidr: cidr.into(),
            pod_subnets: pods
                .iter()
                .map(|(a, c)| (a.to_string(), c.to_string()))
                .collect(),
        });
        if custom {
            s.custom_networking = Some(CustomNetworking {
                eni_config_label: crate::spec::LABEL_ZONE.into(),
                security_group_ids: vec![],
                prefix_delegation: false,
            });
        }
        s
    }

    #[test]
    fn suggestions_and_the_even_split() {
        let mut inv = inventory();
        let n = |s: &str| super::parse_v4(s).unwrap();
        let v = vpc_mut(&mut inv).clone();
        assert_eq!(
            super::suggested_cidrs(&v, None, 3),
            [n("100.64.0.0/16"), n("100.65.0.0/16"), n("100.66.0.0/16")]
        );
        // A route to 100.64.0.0/16 (a peer, a VPN) rules it out; what the VPC holds
        // already comes first.
        let mut v2 = v.clone();
        v2.route_tables[0].routes.push(crate::inventory::Route {
            destination: "100.64.0.0/16".into(),
            target: "pcx-1".into(),
            ..Default::default()
        });
        assert_eq!(super::suggested_cidrs(&v2, None, 1), [n("100.65.0.0/16")]);
        v2.cidrs.push(crate::inventory::VpcCidr {
            cidr: "100.70.0.0/16".into(),
            association_id: "a".into(),
            state: "associated".into(),
        });
        assert_eq!(super::suggested_cidrs(&v2, None, 1), [n("100.70.0.0/16")]);
        // A VPC in 172.16.0.0/12 may not take 198.19.0.0/16: never offered.
        let mut v3 = v.clone();
        v3.cidrs[0].cidr = "172.20.0.0/16".into();
        assert!(!super::suggested_cidrs(&v3, None, 100).contains(&n("198.19.0.0/16")));
        assert_eq!(super::suggested_cidrs(&v3, None, 100).len(), 64);
        // Three AZs: /18s (four blocks, three used); two: /17s; an existing pod subnet in
        // the range is kept for its AZ and the others go around it.
        let azs = |k: usize| {
            ["eu-west-1a", "eu-west-1b", "eu-west-1c"][..k]
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
        };
        let split = super::split_pod_subnets(&v, &n("100.64.0.0/16"), &azs(3));
        assert_eq!(
            split.values().cloned().collect::<Vec<_>>(),
            ["100.64.0.0/18", "100.64.64.0/18", "100.64.128.0/18"]
        );
        let split = super::split_pod_subnets(&v, &n("100.64.0.0/16"), &azs(2));
        assert_eq!(split["eu-west-1b"], "100.64.128.0/17");
        let mut v4 = v.clone();
        v4.subnets.push(subnet(
            "subnet-pod-b",
            "eu-west-1b",
            "euw1-az1",
            "100.64.0.0/19",
            crate::inventory::SubnetKind::Private,
            "rtb-priv-b",
        ));
        let split = super::split_pod_subnets(&v4, &n("100.64.0.0/16"), &azs(3));
        assert_eq!(split["eu-west-1b"], "100.64.0.0/19");
        assert_eq!(split["eu-west-1a"], "100.64.64.0/18");
        assert_eq!(split["eu-west-1c"], "100.64.128.0/18");
        assert_eq!(super::usable_ips(&n("100.64.0.0/18")), 16_379);
    }

    #[test]
    fn c4_an_existing_pod_subnet_is_adopted_not_an_overlap() {
        let s = spec_with("100.64.0.0/16", GOOD, false);
        let with_subnet = |az: &str| {
            let mut inv = inventory();
            let v = vpc_mut(&mut inv);
            v.cidrs.push(crate::inventory::VpcCidr {
                cidr: "100.64.0.0/16".into(),
                association_id: "vpc-cidr-assoc-2".into(),
                state: "associated".into(),
            });
            v.subnets.push(subnet(
                "subnet-pod-a",
                az,
                "euw1-az1",
                "100.64.0.0/19",
                crate::inventory::SubnetKind::Private,
                "rtb-priv-a",
            ));
            evaluate(&inv, Some(&s), None, None)
                .into_iter()
                .filter(|f| f.id == "C4")
                .map(|f| f.message)
                .collect::<Vec<_>>()
        };
        // The one apply made (same CIDR, same AZ): adopted.
        assert_eq!(with_subnet("eu-west-1a"), Vec::<String>::new());
        // Same CIDR in another AZ: it would collide.
        let e = with_subnet("eu-west-1b");
        assert!(
            e.iter().any(|m| m.contains("overlaps the existing subnet")),
            "{e:?}"
        );
    }

    fn errors(s: &crate::spec::Spec) -> Vec<(&'static str, String, String)> {
        evaluate(&inventory(), Some(s), None, None)
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| (f.id.as_str(), f.subject, f.message))
            .collect()
    }

    const GOOD: &[(&str, &str)] = &[
        ("eu-west-1a", "100.64.0.0/19"),
        ("eu-west-1b", "100.64.32.0/19"),
    ];

    #[test]
    fn a_good_secondary_cidr_passes_with_c5_info() {
        let s = spec_with("100.64.0.0/16", GOOD, true);
        assert!(errors(&s).is_empty(), "{:?}", errors(&s));
        let f = super::super::evaluate(&inventory(), Some(&s), None, None);
        let c5 = f.iter().find(|f| f.id == "C5").expect("C5");
        assert!(c5.message.contains("up to one hour"), "{c5:?}");
    }

    #[test]
    fn c1_restricted_overlapping_and_malformed() {
        for (cidr, needle) in [
            ("172.16.0.0/16", "AWS refuses here"),
            ("10.0.128.0/17", "overlaps the VPC's CIDR"),
            ("10.99.0.0/16", "the route destination 10.99.0.0/16"),
            ("169.254.0.0/16", "169.254.0.0/16"),
            ("100.64.0.0/12", "between /16 and /28"),
            ("100.64.0.1/16", "host bits"),
            ("banana", "not an IPv4 CIDR"),
        ] {
            let e = errors(&spec_with(cidr, &[], false));
            assert!(
                e.iter().any(|(id, subject, m)| *id == "C1"
                    && subject == "secondaryCidr.cidr"
                    && m.contains(needle)),
                "{cidr}: {e:?}"
            );
        }
    }

    #[test]
    fn c1_peers_count_only_when_active() {
        let mut inv = inventory();
        vpc_mut(&mut inv)
            .route_tables
            .iter_mut()
            .for_each(|t| t.routes.retain(|r| r.target != "pcx-1"));
        let s = spec_with("10.99.0.0/16", &[], false);
        let f = evaluate(&inv, Some(&s), None, None);
        assert!(
            f.iter()
                .any(|f| f.id == "C1" && f.message.contains("peered network"))
        );
        vpc_mut(&mut inv).peerings[0].status = "pending-acceptance".into();
        let f = evaluate(&inv, Some(&s), None, None);
        assert!(!f.iter().any(|f| f.id == "C1"), "{f:#?}");
    }

    /// Issue 25 (C2): a peering still pending-acceptance. Offered to this VPC (it is the
    /// accepter), a CIDR overlapping the requester's would make it unacceptable; asked by
    /// this VPC, AWS refuses any new CIDR. Both errors, before any call.
    #[test]
    fn c2_a_pending_peering_refuses_or_is_spoilt_by_a_new_cidr() {
        let mut inv = inventory();
        vpc_mut(&mut inv).peerings[0].status = "pending-acceptance".into();
        let c2 = |inv: &crate::inventory::Inventory, cidr: &str| -> Vec<super::Finding> {
            evaluate(inv, Some(&spec_with(cidr, &[], false)), None, None)
                .into_iter()
                .filter(|f| f.id == "C2")
                .collect()
        };
        // The testkit's peering: vpc-client (10.99.0.0/16) asked vpc-prod.
        let f = c2(&inv, "10.99.0.0/16");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, super::super::Severity::Error);
        assert!(f[0].message.contains("can then never be accepted"), "{f:?}");
        assert!(
            c2(&inv, "100.64.0.0/16").is_empty(),
            "no overlap, no finding"
        );
        // This VPC asked: no new CIDR at all.
        let p = &mut vpc_mut(&mut inv).peerings[0];
        std::mem::swap(&mut p.requester_vpc_id, &mut p.accepter_vpc_id);
        std::mem::swap(&mut p.requester_cidrs, &mut p.accepter_cidrs);
        let f = c2(&inv, "100.64.0.0/16");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, super::super::Severity::Error);
        assert!(
            f[0].message
                .contains("AWS refuses any new CIDR of vpc-prod"),
            "{f:?}"
        );
        // Accepted: nothing.
        vpc_mut(&mut inv).peerings[0].status = "active".into();
        assert!(c2(&inv, "100.64.0.0/16").is_empty());
    }

    #[test]
    fn c2_quota() {
        let mut inv = inventory();
        for i in 1..5 {
            vpc_mut(&mut inv).cidrs.push(crate::inventory::VpcCidr {
                cidr: format!("10.{i}.0.0/16"),
                state: "associated".into(),
                association_id: format!("a{i}"),
            });
        }
        let s = spec_with("100.64.0.0/16", GOOD, false);
        assert!(ids(&inv, Some(&s)).contains(&"C2"));
        assert!(!ids(&inventory(), Some(&s)).contains(&"C2"));
    }

    #[test]
    fn c4_pod_subnets() {
        /// (pod subnets by AZ, custom networking on, expected message)
        type Case<'a> = (&'a [(&'a str, &'a str)], bool, &'a str);
        let cases: &[Case] = &[
            (
                &[
                    ("eu-west-1a", "100.65.0.0/19"),
                    ("eu-west-1b", "100.64.32.0/19"),
                ],
                false,
                "outside the secondary CIDR",
            ),
            (
                &[
                    ("eu-west-1a", "100.64.0.0/19"),
                    ("eu-west-1b", "100.64.16.0/20"),
                ],
                false,
                "overlaps the pod subnet",
            ),
            (
                &[
                    ("eu-west-1a", "100.64.0.0/19"),
                    ("eu-west-1b", "100.64.32.0/19"),
                    ("eu-west-1c", "100.64.64.0/19"),
                ],
                false,
                "no node subnet",
            ),
            (
                &[("eu-west-1a", "100.64.0.0/19")],
                true,
                "eu-west-1b has nodes but no pod subnet",
            ),
            (
                &[
                    ("eu-west-1a", "100.64.0.0/29"),
                    ("eu-west-1b", "100.64.32.0/19"),
                ],
                false,
                "/16 to /28",
            ),
            (
                &[
                    ("eu-west-1a", "100.64.0.0/19"),
                    ("eu-west-1b", "100.64.32.7/19"),
                ],
                false,
                "host bits",
            ),
        ];
        for (pods, custom, needle) in cases {
            let e = errors(&spec_with("100.64.0.0/16", pods, *custom));
            assert!(
                e.iter().any(|(id, _, m)| *id == "C4" && m.contains(needle)),
                "{pods:?}: {e:?}"
            );
        }
        // Without custom networking a missing pod subnet is no error.
        let e = errors(&spec_with(
            "100.64.0.0/16",
            &[("eu-west-1a", "100.64.0.0/19")],
            false,
        ));
        assert!(e.is_empty(), "{e:?}");
    }

    #[test]
    fn an_already_associated_cidr_is_not_rechecked() {
        let mut inv = inventory();
        vpc_mut(&mut inv).cidrs.push(crate::inventory::VpcCidr {
            cidr: "100.64.0.0/16".into(),
            state: "associated".into(),
            association_id: "a2".into(),
        });
        let s = spec_with("100.64.0.0/16", GOOD, true);
        let f = evaluate(&inv, Some(&s), None, None);
        assert!(!f.iter().any(|f| f.id == "C1" || f.id == "C5"), "{f:#?}");
    }

    /// Issue 25 (N1): an IPv6 cluster takes no IPv4 secondary CIDR for pods.
    #[test]
    fn n1_an_ipv6_cluster_takes_no_secondary_cidr() {
        let mut inv = inventory();
        let s = spec_with("100.64.0.0/16", GOOD, false);
        assert!(!ids(&inv, Some(&s)).contains(&"N1"));
        inv.clusters[0].ip_family = "ipv6".into();
        let f = evaluate(&inv, Some(&s), None, None);
        assert!(
            f.iter().any(|x| x.id == "N1"
                && x.subject == "secondaryCidr"
                && x.message.contains("is IPv6")),
            "{f:#?}"
        );
    }
}
