//! IPv4 CIDR maths for the rules: parsing with a clear message, overlap, and AWS's
//! restrictions on which CIDR may be added to a VPC (rule C1, ../shared/rules.md).

use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// Parse `a.b.c.d/n`; the address must be the network address (no host bits).
pub fn parse_v4(text: &str) -> Result<Ipv4Net, String> {
    let net: Ipv4Net = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not an IPv4 CIDR (write it as a.b.c.d/n)"))?;
    if net.network() != net.addr() {
        return Err(format!(
            "{text:?} has host bits set: the network is {}",
            net.trunc()
        ));
    }
    Ok(net)
}

/// A CIDR list as written, each CIDR once (trimmed, first place kept): AWS counts, and
/// refuses to add twice (InvalidPermission.Duplicate), one rule per distinct CIDR.
pub fn distinct(cidrs: &[String]) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for c in cidrs {
        let c = c.trim();
        if !out.iter().any(|o| o == c) {
            out.push(c.to_string());
        }
    }
    out
}

pub fn overlaps(a: &Ipv4Net, b: &Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

/// The spec's secondary CIDR when `subnet_cidr` lies in it: a pod subnet, which nodes must
/// never use (N5).
pub fn in_secondary_cidr<'a>(spec: &'a crate::spec::Spec, subnet_cidr: &str) -> Option<&'a str> {
    let sec = spec.secondary_cidr.as_ref()?;
    let (Ok(outer), Ok(inner)) = (parse_v4(&sec.cidr), subnet_cidr.parse::<Ipv4Net>()) else {
        return None;
    };
    overlaps(&outer, &inner).then_some(sec.cidr.as_str())
}

fn net(a: [u8; 4], len: u8) -> Ipv4Net {
    Ipv4Net::new(Ipv4Addr::from(a), len).expect("valid constant")
}

pub fn rfc1918() -> [Ipv4Net; 3] {
    [
        net([10, 0, 0, 0], 8),
        net([172, 16, 0, 0], 12),
        net([192, 168, 0, 0], 16),
    ]
}

pub fn cgnat() -> Ipv4Net {
    net([100, 64, 0, 0], 10)
}

pub fn link_local() -> Ipv4Net {
    net([169, 254, 0, 0], 16)
}

fn benchmark_range() -> Ipv4Net {
    net([198, 19, 0, 0], 16)
}

pub fn is_rfc1918(n: &Ipv4Net) -> bool {
    rfc1918().iter().any(|r| r.contains(n))
}

/// The ranges AWS refuses as an additional VPC CIDR (the restriction table of rule C1),
/// each with the reason. The row is the one of the VPC's primary CIDR (`existing[0]`); the
/// 10.0.0.0/16 restriction looks at every CIDR of the VPC.
pub fn restricted_ranges(existing: &[Ipv4Net]) -> Vec<(Ipv4Net, String)> {
    let [ten, one72, one92] = rfc1918();
    let bench = benchmark_range();
    let Some(primary) = existing.first() else {
        return vec![];
    };
    let because = |what: &str| format!("the VPC's primary CIDR is {primary} ({what})");
    let ten_slash_15 = net([10, 0, 0, 0], 15);
    let (ranges, why): (Vec<Ipv4Net>, String) = if ten.contains(primary) {
        let mut r = vec![one72, one92, bench];
        if existing.iter().any(|x| ten_slash_15.contains(x)) {
            r.push(net([10, 0, 0, 0], 16));
        }
        (r, because("in 10.0.0.0/8"))
    } else if one72.contains(primary) {
        (
            vec![ten, one92, bench, net([172, 31, 0, 0], 16)],
            because("in 172.16.0.0/12"),
        )
    } else if one92.contains(primary) {
        (vec![ten, one72, bench], because("in 192.168.0.0/16"))
    } else if bench.contains(primary) {
        (rfc1918().to_vec(), because("in 198.19.0.0/16"))
    } else {
        // Public ranges and 100.64.0.0/10.
        (
            vec![ten, one72, one92, bench],
            because("public or in 100.64.0.0/10"),
        )
    };
    ranges.into_iter().map(|r| (r, why.clone())).collect()
}

/// Why `new` cannot be added to a VPC whose CIDRs are `existing` (the primary first), whose route tables send
/// `routes` somewhere, and which is peered with `peers`; empty when it can.
pub fn secondary_cidr_problems(
    new: &Ipv4Net,
    existing: &[Ipv4Net],
    routes: &[Ipv4Net],
    peers: &[Ipv4Net],
) -> Vec<String> {
    let mut out = vec![];
    if !(16..=28).contains(&new.prefix_len()) {
        out.push(format!(
            "{new} is a /{}: a VPC CIDR must be between /16 and /28",
            new.prefix_len()
        ));
    }
    if overlaps(new, &link_local()) {
        out.push(format!(
            "{new} overlaps 169.254.0.0/16, which can never be a VPC CIDR"
        ));
    }
    for e in existing {
        if overlaps(new, e) {
            out.push(format!("{new} overlaps the VPC's CIDR {e}"));
        }
    }
    for r in routes {
        // AWS refuses a CIDR the same as or larger than a route destination; one inside a
        // destination is allowed (10.50.0.0/16 with 10.0.0.0/8 → TGW). 0.0.0.0/0 does not
        // count.
        if r.prefix_len() > 0
            && new.prefix_len() <= r.prefix_len()
            && new.contains(&r.network())
            && !existing.iter().any(|e| e == r)
        {
            out.push(format!(
                "{new} is the same as or larger than the route destination {r}: AWS refuses it (a CIDR inside {r} would be allowed)"
            ));
        }
    }
    for p in peers {
        if overlaps(new, p) {
            out.push(format!("{new} overlaps the peered network {p}"));
        }
    }
    for (r, why) in restricted_ranges(existing) {
        if overlaps(new, &r) {
            out.push(format!("{new} is in {r}, which AWS refuses here: {why}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Ipv4Net {
        parse_v4(s).unwrap()
    }

    fn problems(new: &str, existing: &[&str]) -> Vec<String> {
        let e: Vec<Ipv4Net> = existing.iter().map(|s| n(s)).collect();
        secondary_cidr_problems(&n(new), &e, &[], &[])
    }

    /// The restriction table of rules.md, row by row, with its edges.
    #[test]
    fn restriction_table() {
        let cases: &[(&str, &[&str], bool)] = &[
            // in the VPC: 10.0.0.0/8
            ("100.64.0.0/16", &["10.0.0.0/16"], true),
            ("10.1.0.0/16", &["10.0.0.0/16"], true), // other 10/8 is permitted
            ("10.200.0.0/16", &["10.0.0.0/16"], true),
            ("172.16.0.0/16", &["10.0.0.0/16"], false),
            ("192.168.0.0/16", &["10.0.0.0/16"], false),
            ("198.19.0.0/16", &["10.0.0.0/16"], false),
            ("54.10.0.0/16", &["10.0.0.0/16"], true), // public
            ("10.0.0.0/16", &["10.1.0.0/16"], false), // edge: a CIDR in 10.0.0.0/15
            ("10.0.0.0/16", &["10.2.0.0/16"], true),  // 10.2/16 is outside 10.0.0.0/15
            // in the VPC: 172.16.0.0/12
            ("100.64.0.0/16", &["172.20.0.0/16"], true),
            ("172.17.0.0/16", &["172.20.0.0/16"], true),
            ("172.31.0.0/16", &["172.20.0.0/16"], false), // edge: 172.31.0.0/16
            ("10.0.0.0/16", &["172.20.0.0/16"], false),
            ("192.168.0.0/20", &["172.20.0.0/16"], false),
            ("198.19.0.0/16", &["172.20.0.0/16"], false),
            // in the VPC: 192.168.0.0/16
            ("192.168.0.0/20", &["192.168.16.0/20"], true),
            ("10.0.0.0/16", &["192.168.0.0/20"], false),
            ("172.16.0.0/16", &["192.168.0.0/20"], false),
            ("100.64.0.0/16", &["192.168.0.0/20"], true),
            // in the VPC: 198.19.0.0/16
            ("10.0.0.0/16", &["198.19.0.0/16"], false),
            ("100.64.0.0/16", &["198.19.0.0/16"], true),
            ("54.10.0.0/16", &["198.19.0.0/16"], true),
            // in the VPC: public or 100.64.0.0/10
            ("10.0.0.0/16", &["54.10.0.0/16"], false),
            ("198.19.0.0/16", &["100.64.0.0/16"], false),
            ("100.65.0.0/16", &["100.64.0.0/16"], true),
            ("54.20.0.0/16", &["100.64.0.0/16"], true),
            // 169.254.0.0/16 never
            ("169.254.0.0/16", &["10.0.0.0/16"], false),
            ("169.254.10.0/24", &["54.10.0.0/16"], false),
            // size /16–/28
            ("100.64.0.0/15", &["10.0.0.0/16"], false),
            ("100.64.0.0/28", &["10.0.0.0/16"], true),
            ("100.64.0.0/29", &["10.0.0.0/16"], false),
            // overlap with the VPC itself
            ("10.0.128.0/17", &["10.0.0.0/16"], false),
            // the row is the primary CIDR's: 100.64.0.0/16 as a secondary does not bring
            // the row of 100.64.0.0/10 (which would refuse 10/8)
            ("10.1.0.0/16", &["10.0.0.0/16", "100.64.0.0/16"], true),
            ("192.168.0.0/20", &["10.0.0.0/16", "100.64.0.0/16"], false),
            ("10.1.0.0/16", &["100.64.0.0/16", "10.2.0.0/16"], false),
        ];
        for (new, existing, ok) in cases {
            let p = problems(new, existing);
            assert_eq!(p.is_empty(), *ok, "{new} with {existing:?}: {p:?}");
        }
    }

    #[test]
    fn routes_and_peers_block_overlaps() {
        let vpc = [n("10.0.0.0/16")];
        let p = secondary_cidr_problems(&n("100.64.0.0/16"), &vpc, &[n("100.64.5.0/24")], &[]);
        assert!(p[0].contains("route destination 100.64.5.0/24"), "{p:?}");
        // Inside a route destination is allowed: 10.50.0.0/16 with 10.0.0.0/8 → TGW.
        let tgw = [n("10.0.0.0/8")];
        assert!(secondary_cidr_problems(&n("10.50.0.0/16"), &vpc, &tgw, &[]).is_empty());
        // The same as a destination is not.
        let p = secondary_cidr_problems(&n("10.50.0.0/16"), &vpc, &[n("10.50.0.0/16")], &[]);
        assert!(p[0].contains("same as or larger"), "{p:?}");
        let p = secondary_cidr_problems(
            &n("100.64.0.0/16"),
            &vpc,
            &[n("0.0.0.0/0")],
            &[n("100.64.0.0/20")],
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("peered network"), "{p:?}");
    }

    #[test]
    fn parsing_says_what_is_wrong() {
        assert!(parse_v4("100.64.0.0/16").is_ok());
        assert!(parse_v4("100.64.0.1/16").unwrap_err().contains("host bits"));
        assert!(
            parse_v4("100.64.0.0")
                .unwrap_err()
                .contains("not an IPv4 CIDR")
        );
        assert!(
            parse_v4("fd00::/8")
                .unwrap_err()
                .contains("not an IPv4 CIDR")
        );
        assert!(parse_v4("300.1.0.0/16").is_err());
    }
}
