//! Rules: V5.
//! V5: VPC Block Public Access. When the region's mode is `block-bidirectional` and
//! neither the VPC nor a node subnet is excluded, no traffic crosses an internet or
//! egress-only gateway: the proof that the cluster has no internet path. It also stops the
//! NAT and internet gateway routes node subnets may still rely on. `block-ingress` leaves
//! NAT egress open, so it proves nothing about egress.

use super::{Context, Finding, Id, Severity, rule};
use crate::inventory::{Unread, Vpc};

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(v) = ctx.vpc else { return };
    let Some(bpa) = &ctx.inv.block_public_access else {
        if let Some(u) = ctx.inv.unread.iter().find(|u| {
            u.what == Unread::BLOCK_PUBLIC_ACCESS
                || u.what == Unread::BLOCK_PUBLIC_ACCESS_EXCLUSIONS
        }) {
            out.push(super::unread_finding(
                Id::V5,
                &v.id,
                u,
                "VPC Block Public Access (the proof of no internet path) and its exclusions",
            ));
        }
        return;
    };
    if !bpa.is_on() {
        return;
    }
    let region = &ctx.inv.region;
    let nodes = ctx.node_subnets();
    // The node subnets that Block Public Access does not cover: the VPC's exclusion, or
    // their own.
    let excluded: Vec<(String, &str)> = std::iter::once(v.id.as_str())
        .chain(nodes.iter().map(|n| n.id))
        .filter_map(|id| {
            bpa.exclusion_for(id)
                .map(|e| (id.to_string(), e.mode.as_str()))
        })
        .collect();
    for (id, mode) in &excluded {
        out.push(
            rule(Id::V5)
                .at(
                    id,
                    format!(
                        "{id} is excluded from VPC Block Public Access ({mode}): traffic there still reaches the internet"
                    ),
                )
                .severity(Severity::Warn)
                .fix("delete the exclusion once the cluster runs without an internet path"),
        );
    }
    if bpa.mode == "block-ingress" {
        out.push(
            rule(Id::V5)
                .at(
                    &v.id,
                    format!(
                        "VPC Block Public Access in {region} is block-ingress: nothing from the internet gets in, but NAT gateways and egress-only gateways still carry traffic out, so it is no proof of \"no internet path\""
                    ),
                )
                .fix("block-bidirectional is the proof: set it once nothing relies on a NAT or internet gateway"),
        );
        return;
    }
    // block-bidirectional.
    let gateway_routed: Vec<(&str, String)> = nodes
        .iter()
        .filter(|n| !excluded.iter().any(|(id, _)| id == n.id || *id == v.id))
        .filter_map(|n| internet_route(v, n.id).map(|t| (n.id, t)))
        .collect();
    for (subnet, target) in &gateway_routed {
        out.push(
            rule(Id::V5)
                .at(
                    *subnet,
                    format!(
                        "node subnet {subnet} routes to {target}, which VPC Block Public Access (block-bidirectional) stops: everything the nodes reach must come through endpoints"
                    ),
                )
                .severity(Severity::Warn)
                .fix(
                    "make sure the endpoints the readiness findings name exist, then remove the route",
                ),
        );
    }
    if excluded.is_empty() {
        out.push(rule(Id::V5).at(
            &v.id,
            format!(
                "VPC Block Public Access in {region} is block-bidirectional and {} has no exclusion: no traffic crosses an internet or egress-only gateway, the proof the cluster has no internet path",
                v.id
            ),
        ));
    }
}

/// The internet-bound default route of a subnet: its target when that is an internet gateway, an egress-only gateway or a
/// NAT gateway (whose traffic leaves by the internet gateway).
fn internet_route(v: &Vpc, subnet: &str) -> Option<String> {
    let s = v.subnet(subnet)?;
    // `route_table_id` is the table in effect (the main one without an association).
    let table = v
        .route_tables
        .iter()
        .find(|t| Some(&t.id) == s.route_table_id.as_ref())?;
    table
        .routes
        .iter()
        .filter(|r| r.destination == "0.0.0.0/0" || r.destination == "::/0")
        .map(|r| r.target.as_str())
        .find(|t| t.starts_with("igw-") || t.starts_with("eigw-") || t.starts_with("nat-"))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::super::testkit;
    use super::super::{Severity, evaluate};
    use crate::inventory::{BlockPublicAccess, BlockPublicAccessExclusion, Unread};

    fn v5(inv: &crate::inventory::Inventory) -> Vec<super::super::Finding> {
        let spec = testkit::spec();
        evaluate(inv, Some(&spec), None, None)
            .into_iter()
            .filter(|f| f.id == "V5")
            .collect()
    }

    #[test]
    fn bidirectional_is_the_proof_and_stops_the_nat_routes() {
        let mut inv = testkit::inventory();
        assert!(v5(&inv).is_empty(), "not read: nothing said");
        inv.block_public_access = Some(BlockPublicAccess {
            mode: "off".into(),
            exclusions: vec![],
        });
        assert!(v5(&inv).is_empty(), "off: nothing said");
        inv.block_public_access.as_mut().unwrap().mode = "block-bidirectional".into();
        let f = v5(&inv);
        assert!(
            f.iter()
                .any(|x| x.severity == Severity::Info && x.message.contains("proof")),
            "{f:#?}"
        );
        // The test kit's node subnets route through a NAT: each is named.
        let nat: Vec<_> = f
            .iter()
            .filter(|x| x.message.contains("routes to nat-"))
            .collect();
        assert_eq!(nat.len(), 2, "{f:#?}");
        // An exclusion on a node subnet: no proof, and the subnet is named.
        inv.block_public_access.as_mut().unwrap().exclusions = vec![BlockPublicAccessExclusion {
            id: "vpcbpa-exclude-1".into(),
            resource_id: "subnet-priv-a".into(),
            mode: "allow-egress".into(),
        }];
        let f = v5(&inv);
        assert!(
            !f.iter().any(|x| x.message.contains("proof the cluster")),
            "{f:#?}"
        );
        assert!(
            f.iter()
                .any(|x| x.subject == "subnet-priv-a" && x.message.contains("excluded")),
            "{f:#?}"
        );
        assert_eq!(
            f.iter()
                .filter(|x| x.message.contains("routes to nat-"))
                .count(),
            1
        );
    }

    #[test]
    fn ingress_only_proves_nothing_about_egress() {
        let mut inv = testkit::inventory();
        inv.block_public_access = Some(BlockPublicAccess {
            mode: "block-ingress".into(),
            exclusions: vec![],
        });
        let f = v5(&inv);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.contains("no proof"));
    }

    #[test]
    fn not_read_names_the_permission() {
        let mut inv = testkit::inventory();
        inv.unread.push(Unread {
            call: "ec2:DescribeVpcBlockPublicAccessOptions".into(),
            what: "VPC Block Public Access".into(),
            access_denied: true,
            reason: "You are not authorized to perform this operation.".into(),
        });
        let f = v5(&inv);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Warn);
        assert!(f[0].fix.contains("ec2:DescribeVpcBlockPublicAccessOptions"));
    }
}
