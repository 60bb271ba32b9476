//! Rules: N5, S1, S2, S3, S4, S5, S6.
//! S rules: the node subnets (the spec's nodeSubnets, or without a spec the cluster's
//! subnets).

use super::{Context, Finding, Id, Severity, rule};
use crate::inventory::{Subnet, SubnetKind, Vpc};

/// AZ IDs where EKS cannot place a cluster (rules.md S2).
pub const UNSUPPORTED_AZ_IDS: &[&str] = &["use1-az3", "usw1-az2", "cac1-az3"];

/// Free addresses EKS needs per subnet for its network interfaces, and the recommendation.
pub const MIN_FREE_IPS: i64 = 6;
pub const RECOMMENDED_FREE_IPS: i64 = 16;

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(v) = ctx.vpc else { return };
    let chosen: Vec<(String, Option<&str>, &str)> = ctx
        .node_subnets()
        .into_iter()
        .map(|n| (n.field, n.declared_az, n.id))
        .collect();
    if chosen.is_empty() && ctx.spec.is_none() {
        return;
    }
    // S2 is about where EKS places the control plane: without a spec, the cluster's own
    // subnets, wherever its nodes run.
    if ctx.spec.is_none() {
        for n in ctx.cluster_subnets() {
            if let Some(sn) = v.subnet(n.id) {
                s2(ctx, &n.field, sn, out);
            }
        }
    }
    let found = resolve(ctx, v, &chosen, out);
    s1_azs(ctx, v, &found, out);
    for (field, sn) in &found {
        each(ctx, v, field, sn, out);
    }
}

/// The chosen subnets that exist in the VPC (S1: in the AZ they are listed under; S3: a
/// subnet of another VPC, or none).
fn resolve<'a>(
    ctx: &Context,
    v: &'a Vpc,
    chosen: &'a [(String, Option<&str>, &str)],
    out: &mut Vec<Finding>,
) -> Vec<(&'a str, &'a Subnet)> {
    let mut found: Vec<(&str, &Subnet)> = vec![];
    for (field, az, id) in chosen {
        match v.subnet(id) {
            Some(sn) => {
                if let Some(az) = az
                    && *az != sn.az
                {
                    out.push(
                        rule(Id::S1)
                            .at(field, format!("{id} is in {}, not {az}", sn.az))
                            .fix(format!("list {id} under {} (one subnet per AZ)", sn.az)),
                    );
                }
                found.push((field.as_str(), sn));
            }
            None => {
                let elsewhere = ctx
                    .inv
                    .vpcs
                    .iter()
                    .find(|o| o.subnet(id).is_some())
                    .map(|o| format!("{id} belongs to {}, not {}", o.id, v.id));
                out.push(rule(Id::S3).at(
                    field,
                    elsewhere.unwrap_or_else(|| format!("{id} does not exist in {}", v.id)),
                ).fix("choose a private subnet of the cluster's VPC (`eks-private-tui inventory --vpc VPC`)"));
            }
        }
    }
    found
}

/// S1: at least two AZs, one subnet per AZ.
fn s1_azs(ctx: &Context, v: &Vpc, found: &[(&str, &Subnet)], out: &mut Vec<Finding>) {
    let mut azs: Vec<&str> = found.iter().map(|(_, s)| s.az.as_str()).collect();
    azs.sort_unstable();
    let distinct = {
        let mut d = azs.clone();
        d.dedup();
        d
    };
    let subject = if ctx.spec.is_some() {
        "nodeSubnets".to_string()
    } else {
        v.id.clone()
    };
    if ctx.spec.is_some() && distinct.len() < 2 {
        out.push(rule(Id::S1).at(
            &subject,
            format!(
                "node subnets cover {} AZ(s); EKS needs at least 2",
                distinct.len()
            ),
        ));
    }
    if ctx.spec.is_some() {
        for az in &distinct {
            let n = azs.iter().filter(|a| *a == az).count();
            if n > 1 {
                out.push(
                    rule(Id::S1).at(&subject, format!("{n} node subnets in {az}: one per AZ")),
                );
            }
        }
    }
}

/// One node subnet: N5, S1 (free addresses), S6, S2, S3, S4, S5.
fn each(ctx: &Context, v: &Vpc, field: &&str, sn: &&Subnet, out: &mut Vec<Finding>) {
    // N5: node groups use node subnets, never pod subnets.
    if let Some(spec) = ctx.spec
        && let Some(sec) = super::cidr::in_secondary_cidr(spec, &sn.cidr)
    {
        out.push(
            rule(Id::N5)
                .at(
                    *field,
                    format!(
                        "{} ({}) lies in the secondary CIDR {sec}: it is for pods, not nodes",
                        sn.id, sn.cidr
                    ),
                )
                .severity(Severity::Error)
                .area(super::Area::NodeSubnets)
                .fix("choose a node subnet in the VPC's primary CIDR (nodes need routable addresses)"),
        );
    }
    if sn.available_ips < MIN_FREE_IPS {
        out.push(rule(Id::S1).at(
            *field,
            format!(
                "{} has {} free IPs; EKS needs at least {MIN_FREE_IPS}",
                sn.id, sn.available_ips
            ),
        ));
    } else if sn.available_ips < RECOMMENDED_FREE_IPS {
        out.push(
            rule(Id::S1)
                .at(
                    *field,
                    format!(
                        "{} has {} free IPs; {RECOMMENDED_FREE_IPS} are recommended",
                        sn.id, sn.available_ips
                    ),
                )
                .severity(Severity::Warn),
        );
    }
    // S6: shared (RAM) subnets.
    if !sn.owner_id.is_empty() && !ctx.inv.account.is_empty() && sn.owner_id != ctx.inv.account {
        out.push(rule(Id::S6).at(
            *field,
            format!(
                "{} is shared from account {} (RAM): this account creates the cluster and its security groups, and AZ names differ between the accounts",
                sn.id, sn.owner_id
            ),
        ));
    }
    // S2: a spec's node subnets are the cluster's subnets too.
    if ctx.spec.is_some() {
        s2(ctx, field, sn, out);
    }
    // S3
    if sn.kind == SubnetKind::Public {
        out.push(rule(Id::S3).at(
            *field,
            format!(
                "{} is public: its route table sends 0.0.0.0/0 to an internet gateway",
                sn.id
            ),
        ));
    }
    // S4
    if sn.main_route_table {
        out.push(rule(Id::S4).at(*field, format!("{} uses the VPC's main route table", sn.id)));
    }
    // S5: the Load Balancer Controller takes `1` or an empty value. Only when some
    // subnet of the VPC carries the tag are the others passed over; with none tagged,
    // 2.12.1 and later choose private subnets by their route tables.
    if !has_internal_elb_tag(sn) {
        let fix = format!(
            "aws ec2 create-tags --resources {} --tags Key={INTERNAL_ELB_TAG},Value=1",
            sn.id
        );
        let tagged: Vec<&str> = v
            .subnets
            .iter()
            .filter(|x| has_internal_elb_tag(x))
            .map(|x| x.id.as_str())
            .collect();
        let remedy = super::Remedy::SubnetTag {
            subnet: sn.id.clone(),
            key: INTERNAL_ELB_TAG.into(),
        };
        out.push(if tagged.is_empty() {
            rule(Id::S5)
                .at(
                    *field,
                    format!(
                        "{} lacks {INTERNAL_ELB_TAG}, as does every subnet of {}: the Load Balancer Controller 2.12.1 or later then places internal load balancers in private subnets by their route tables; older versions find none",
                        sn.id, v.id
                    ),
                )
                .severity(Severity::Info)
                .fix(fix)
                .remedy(remedy)
        } else {
            rule(Id::S5)
                .at(
                    *field,
                    format!(
                        "{} lacks {INTERNAL_ELB_TAG} while {} carries it: the Load Balancer Controller then places internal load balancers only in the tagged subnets",
                        sn.id,
                        tagged.join(", ")
                    ),
                )
                .fix(fix)
                .remedy(remedy)
        });
    }
}

/// The tag that marks a subnet for internal load balancers (S5).
pub const INTERNAL_ELB_TAG: &str = "kubernetes.io/role/internal-elb";

/// Whether a subnet carries the internal load balancer role tag, as the Load Balancer
/// Controller reads it: the value `1` or empty.
pub fn has_internal_elb_tag(s: &Subnet) -> bool {
    s.tags
        .get(INTERNAL_ELB_TAG)
        .is_some_and(|v| v.is_empty() || v == "1")
}

/// S2: a subnet in an AZ where EKS cannot place a cluster, or in a Local or Wavelength Zone.
fn s2(ctx: &Context, field: &str, sn: &Subnet, out: &mut Vec<Finding>) {
    if UNSUPPORTED_AZ_IDS.contains(&sn.az_id.as_str()) {
        out.push(rule(Id::S2).at(
            field,
            format!(
                "{} is in {} ({}), where EKS cannot run",
                sn.id, sn.az, sn.az_id
            ),
        ));
    }
    let zone_type = ctx
        .inv
        .availability_zones
        .iter()
        .find(|z| z.name == sn.az)
        .map(|z| z.zone_type.as_str())
        .unwrap_or("availability-zone");
    if zone_type != "availability-zone" {
        out.push(rule(Id::S2).at(
            field,
            format!(
                "{} is in {} ({zone_type}); the cluster's subnets must be in a regular AZ",
                sn.id, sn.az
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{Severity, evaluate};
    use crate::inventory::SubnetKind;

    fn with(f: impl FnOnce(&mut crate::spec::Spec)) -> crate::spec::Spec {
        let mut s = spec();
        f(&mut s);
        s
    }

    #[test]
    fn s1_two_azs_one_per_az_free_ips() {
        let inv = inventory();
        let one_az = with(|s| {
            s.node_subnets.remove("eu-west-1b");
        });
        assert!(ids(&inv, Some(&one_az)).contains(&"S1"));
        let wrong_az = with(|s| {
            s.node_subnets
                .insert("eu-west-1c".into(), "subnet-data-a".into());
        });
        let f = evaluate(&inv, Some(&wrong_az), None, None);
        assert!(
            f.iter()
                .any(|f| f.id == "S1" && f.message.contains("is in eu-west-1a, not eu-west-1c"))
        );
        assert!(
            f.iter()
                .any(|f| f.id == "S1" && f.message.contains("2 node subnets in eu-west-1a"))
        );
        let mut low = inventory();
        vpc_mut(&mut low).subnets[2].available_ips = 4;
        vpc_mut(&mut low).subnets[3].available_ips = 10;
        let f = evaluate(&low, Some(&spec()), None, None);
        let s1: Vec<_> = f.iter().filter(|f| f.id == "S1").collect();
        assert_eq!(s1.len(), 2, "{s1:#?}");
        assert_eq!(
            s1.iter().filter(|f| f.severity == Severity::Error).count(),
            1
        );
    }

    #[test]
    fn n5_a_pod_subnet_is_never_a_node_subnet() {
        let mut inv = inventory();
        let pods = subnet(
            "subnet-pods-a",
            "eu-west-1a",
            "euw1-az3",
            "100.64.0.0/19",
            SubnetKind::Private,
            "rtb-priv-a",
        );
        vpc_mut(&mut inv).subnets.push(pods);
        let mut s = with(|s| {
            s.node_subnets
                .insert("eu-west-1a".into(), "subnet-pods-a".into());
        });
        // Without a secondary CIDR in the spec, 100.64.0.0/19 is just another subnet.
        assert!(!ids(&inv, Some(&s)).contains(&"N5"));
        s.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: Default::default(),
        });
        let f = evaluate(&inv, Some(&s), None, None);
        let n5: Vec<_> = f.iter().filter(|f| f.id == "N5").collect();
        assert_eq!(n5.len(), 1, "{n5:#?}");
        assert_eq!(n5[0].severity, Severity::Error);
        assert_eq!(n5[0].area, super::super::Area::NodeSubnets);
        assert_eq!(n5[0].subject, "nodeSubnets.eu-west-1a");
        assert!(
            n5[0]
                .message
                .contains("lies in the secondary CIDR 100.64.0.0/16")
        );
    }

    #[test]
    fn s2_unsupported_zones() {
        let mut inv = inventory();
        vpc_mut(&mut inv).subnets[2].az_id = "use1-az3".into();
        assert!(ids(&inv, Some(&spec())).contains(&"S2"));
        let mut inv = inventory();
        inv.availability_zones[1].zone_type = "local-zone".into();
        assert!(ids(&inv, Some(&spec())).contains(&"S2"));
    }

    #[test]
    fn s3_public_foreign_and_unknown_subnets() {
        let inv = inventory();
        let public = with(|s| {
            s.node_subnets
                .insert("eu-west-1a".into(), "subnet-pub-a".into());
        });
        assert!(ids(&inv, Some(&public)).contains(&"S3"));
        let mut inv2 = inventory();
        let mut other = inv2.vpcs[0].clone();
        other.id = "vpc-other".into();
        other.subnets = vec![subnet(
            "subnet-x",
            "eu-west-1c",
            "euw1-az2",
            "10.5.0.0/24",
            SubnetKind::Private,
            "rtb-x",
        )];
        inv2.vpcs.push(other);
        let foreign = with(|s| {
            s.node_subnets
                .insert("eu-west-1c".into(), "subnet-x".into());
        });
        let f = evaluate(&inv2, Some(&foreign), None, None);
        assert!(
            f.iter()
                .any(|f| f.id == "S3" && f.message.contains("belongs to vpc-other"))
        );
        let unknown = with(|s| {
            s.node_subnets
                .insert("eu-west-1c".into(), "subnet-nope".into());
        });
        let f = evaluate(&inv, Some(&unknown), None, None);
        assert!(
            f.iter()
                .any(|f| f.id == "S3" && f.subject == "nodeSubnets.eu-west-1c")
        );
    }

    #[test]
    fn s6_shared_subnets() {
        let mut inv = inventory();
        assert!(!ids(&inv, Some(&spec())).contains(&"S6"));
        vpc_mut(&mut inv).subnets[3].owner_id = "999999999999".into();
        let f = evaluate(&inv, Some(&spec()), None, None);
        assert!(f.iter().any(|f| f.id == "S6"
            && f.severity == Severity::Warn
            && f.message.contains("999999999999")));
    }

    #[test]
    fn s4_main_route_table_and_s5_tag() {
        let inv = inventory();
        let main = with(|s| {
            s.node_subnets
                .insert("eu-west-1a".into(), "subnet-data-a".into());
        });
        assert!(ids(&inv, Some(&main)).contains(&"S4"));
        let mut untagged = inventory();
        vpc_mut(&mut untagged).subnets[2].tags.clear();
        let f = evaluate(&untagged, Some(&spec()), None, None);
        let s5 = f.iter().find(|f| f.id == "S5").unwrap();
        assert!(s5.fix.contains("create-tags --resources subnet-priv-a"));
    }

    #[test]
    fn without_a_spec_the_cluster_subnets_are_audited() {
        let mut inv = inventory();
        inv.clusters[0].subnet_ids = vec!["subnet-pub-a".into(), "subnet-priv-b".into()];
        let f = evaluate(&inv, None, None, None);
        assert!(
            f.iter()
                .any(|f| f.id == "S3" && f.subject.contains("cluster prod"))
        );
    }

    /// Issue 25 (S5): the Load Balancer Controller reads the role tag with the value `1` or
    /// empty, and passes untagged subnets over only when some subnet has the tag; with none
    /// tagged, 2.12.1 and later choose private subnets by reachability (info).
    #[test]
    fn s5_the_role_tag_as_the_load_balancer_controller_reads_it() {
        let s5 = |inv: &crate::inventory::Inventory| -> Vec<super::Finding> {
            evaluate(inv, Some(&spec()), None, None)
                .into_iter()
                .filter(|f| f.id == "S5")
                .collect()
        };
        let mut inv = inventory();
        for sn in &mut vpc_mut(&mut inv).subnets {
            sn.tags.remove(super::INTERNAL_ELB_TAG);
        }
        let f = s5(&inv);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert!(
            f.iter()
                .all(|x| x.severity == Severity::Info && x.message.contains("2.12.1 or later"))
        );
        // An empty value is the tag: private-a passes, and private-b is now passed over.
        vpc_mut(&mut inv).subnets[2]
            .tags
            .insert(super::INTERNAL_ELB_TAG.into(), String::new());
        let f = s5(&inv);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Warn);
        assert!(
            f[0].message.contains("subnet-priv-b lacks")
                && f[0].message.contains("while subnet-priv-a carries it")
        );
        // The plan tags only private-b.
        let plan = crate::plan::plan(&spec(), &inv);
        let tags: Vec<&str> = plan
            .actions
            .iter()
            .map(|a| a.address.as_str())
            .filter(|a| a.starts_with("subnet_tag.node"))
            .collect();
        assert_eq!(tags, ["subnet_tag.node[\"eu-west-1b\"]"]);
    }
}
