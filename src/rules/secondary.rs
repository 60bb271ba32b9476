//! C rules: the secondary CIDR and its pod subnets (spec.secondaryCidr).

use super::cidr::{overlaps, parse_v4, secondary_cidr_problems};
use super::{Context, Finding, Id, rule};
use crate::inventory::PeeringStatus;
use ipnet::Ipv4Net;

/// IPv4 CIDR blocks a VPC holds by default (quota L-83CA0A9D).
pub const DEFAULT_CIDR_QUOTA: usize = 5;

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let (Some(v), Some(spec)) = (ctx.vpc, ctx.spec) else {
        return;
    };
    let Some(sec) = &spec.secondary_cidr else {
        return;
    };
    let parse_all = |it: &mut dyn Iterator<Item = &str>| -> Vec<Ipv4Net> {
        it.filter_map(|c| parse_v4(c).ok()).collect()
    };
    let existing = parse_all(&mut v.active_cidrs());
    let new = match parse_v4(&sec.cidr) {
        Ok(n) => n,
        Err(e) => {
            out.push(rule(Id::C1).at("secondaryCidr.cidr", e));
            return;
        }
    };
    let already = existing.contains(&new);
    if !already {
        // C1: against the VPC's CIDRs, routes and active peers.
        let routes: Vec<Ipv4Net> = v
            .route_tables
            .iter()
            .flat_map(|t| &t.routes)
            .filter(|r| r.target != "local")
            .filter_map(|r| parse_v4(&r.destination).ok())
            .collect();
        let peers: Vec<Ipv4Net> = v
            .peerings
            .iter()
            .filter(|p| p.status == PeeringStatus::Active)
            .flat_map(|p| {
                if p.requester_vpc_id == v.id {
                    &p.accepter_cidrs
                } else {
                    &p.requester_cidrs
                }
            })
            .filter_map(|c| parse_v4(c).ok())
            .collect();
        for p in secondary_cidr_problems(&new, &existing, &routes, &peers) {
            out.push(rule(Id::C1).at("secondaryCidr.cidr", p));
        }
        // Pods on addresses that are also Service IPs would be unreachable.
        if let Some(svc) = ctx
            .cluster
            .and_then(|c| c.service_cidr.as_deref())
            .and_then(|s| parse_v4(s).ok())
            && overlaps(&new, &svc)
        {
            out.push(rule(Id::C1).at(
                "secondaryCidr.cidr",
                format!("{new} overlaps the cluster's service CIDR {svc}"),
            ));
        }
        // C2
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
            format!("{new} will be new to the cluster's VPC"),
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
        match parse_v4(text) {
            Err(e) => out.push(rule(Id::C4).at(field, e)),
            Ok(p) => {
                if !new.contains(&p) {
                    out.push(
                        rule(Id::C4).at(&field, format!("{p} is outside the secondary CIDR {new}")),
                    );
                }
                if !(16..=28).contains(&p.prefix_len()) {
                    out.push(rule(Id::C4).at(
                        &field,
                        format!("{p} is a /{}: a subnet must be /16 to /28", p.prefix_len()),
                    ));
                }
                if !spec.node_subnets.contains_key(az) {
                    out.push(
                        rule(Id::C4)
                            .at(&field, format!("{az} has a pod subnet but no node subnet"))
                            .fix("remove it, or add a node subnet in that AZ"),
                    );
                }
                for (other_az, o) in &pods {
                    if overlaps(&p, o) {
                        out.push(rule(Id::C4).at(
                            &field,
                            format!("{p} overlaps the pod subnet of {other_az} ({o})"),
                        ));
                    }
                }
                // An existing subnet of the VPC in the same range would collide at create;
                // one with exactly this CIDR in this AZ is the pod subnet itself (adopted).
                if let Some(s) = v.subnets.iter().find(|s| {
                    parse_v4(&s.cidr).is_ok_and(|c| overlaps(&c, &p))
                        && !(s.cidr == p.to_string() && &s.az == az)
                }) {
                    out.push(rule(Id::C4).at(
                        &field,
                        format!("{p} overlaps the existing subnet {} ({})", s.id, s.cidr),
                    ));
                }
                pods.push((az.clone(), p));
            }
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
            });
        }
        s
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
            .map(|f| (f.id, f.subject, f.message))
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
        assert!(ids(&inventory(), Some(&s)).contains(&"C5"));
    }

    #[test]
    fn c1_restricted_overlapping_and_malformed() {
        for (cidr, needle) in [
            ("172.16.0.0/16", "AWS refuses here"),
            ("10.0.128.0/17", "overlaps the VPC's CIDR"),
            ("10.99.0.0/16", "overlaps the route destination"),
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
}
