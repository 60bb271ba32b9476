//! Rules: A5, I1, S7.
//! S7, A5, I1: the cluster itself — where its control plane's interfaces sit, how
//! operators authenticate, and its IP family.

use super::cidr::{cgnat, parse_v4};
use super::{Context, Finding, Id, Severity, rule};

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(c) = ctx.cluster else { return };
    // S7: the control plane's interfaces, in subnets the private endpoint's clients reach.
    if let Some(v) = ctx.vpc {
        let pods = ctx
            .spec
            .and_then(|s| s.secondary_cidr.as_ref())
            .and_then(|s| parse_v4(&s.cidr).ok());
        let primary = v.active_cidrs().next().and_then(|p| parse_v4(p).ok());
        for id in &c.subnet_ids {
            let Some(sn) = v.subnet(id) else { continue };
            let Ok(net) = sn.cidr.parse::<ipnet::Ipv4Net>() else {
                continue;
            };
            let subject = format!("cluster {} subnet {id}", c.name);
            if let Some(p) = pods.filter(|p| p.contains(&net)) {
                out.push(rule(Id::S7).at(
                    subject,
                    format!(
                        "{id} ({}) of cluster {} is in the secondary CIDR {p}, the pods' range: clients of the private endpoint usually cannot route there",
                        sn.cidr, c.name
                    ),
                ));
            } else if cgnat().contains(&net) && primary.is_some_and(|p| !cgnat().contains(&p)) {
                out.push(
                    rule(Id::S7)
                        .at(
                            subject,
                            format!(
                                "{id} ({}) of cluster {} is in 100.64.0.0/10, outside the VPC's primary CIDR: peers and on-prem usually cannot route there",
                                sn.cidr, c.name
                            ),
                        )
                        .severity(Severity::Warn),
                );
            }
        }
    }
    // A5: authentication through aws-auth only.
    if c.authentication_mode.as_deref() == Some("CONFIG_MAP") {
        out.push(
            rule(Id::A5)
                .at(
                    format!("cluster {}", c.name),
                    format!(
                        "cluster {} authenticates through the aws-auth ConfigMap only (CONFIG_MAP): granting access needs kubectl through the endpoint; access entries would make it an AWS call",
                        c.name
                    ),
                )
                .fix(format!(
                    "aws eks update-cluster-config --name {n} --access-config authenticationMode=API_AND_CONFIG_MAP; then aws eks create-access-entry --cluster-name {n} --principal-arn ROLE_ARN and aws eks associate-access-policy --cluster-name {n} --principal-arn ROLE_ARN --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster",
                    n = c.name
                )),
        );
    }
    // I1: IPv6 clusters.
    if c.ip_family == "ipv6" {
        let region = &ctx.inv.region;
        out.push(rule(Id::I1).at(
            format!("cluster {}", c.name),
            format!(
                "cluster {} is IPv6: its OIDC issuer is oidc-eks.{region}.api.aws (dual-stack), which no_proxy and any self-managed DNS must cover; node subnets still need IPv4, and ::/0 → eigw- routes are egress",
                c.name
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{Severity, evaluate};

    fn find(
        inv: &crate::inventory::Inventory,
        s: Option<&crate::spec::Spec>,
        id: &str,
    ) -> Vec<super::Finding> {
        evaluate(inv, s, Some("vpc-prod"), Some("prod"))
            .into_iter()
            .filter(|f| f.id == id)
            .collect()
    }

    #[test]
    fn s7_the_control_plane_is_not_in_pod_subnets() {
        let mut inv = inventory();
        assert!(find(&inv, None, "S7").is_empty());
        let v = vpc_mut(&mut inv);
        v.cidrs.push(crate::inventory::VpcCidr {
            cidr: "100.64.0.0/16".into(),
            state: "associated".into(),
            association_id: "a-2".into(),
        });
        v.subnets.push(subnet(
            "subnet-pod-a",
            "eu-west-1a",
            "euw1-az3",
            "100.64.0.0/19",
            crate::inventory::SubnetKind::Isolated,
            "rtb-priv-a",
        ));
        inv.clusters[0].subnet_ids.push("subnet-pod-a".into());
        // Without a spec: in 100.64.0.0/10 while the VPC's primary is not.
        let f = find(&inv, None, "S7");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Warn);
        assert!(
            f[0].message.contains("subnet-pod-a (100.64.0.0/19)"),
            "{f:#?}"
        );
        // With a spec whose secondary CIDR holds it: the pods' range, an error.
        let mut s = spec();
        s.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: [("eu-west-1a".to_string(), "100.64.0.0/19".to_string())].into(),
        });
        let f = find(&inv, Some(&s), "S7");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].message.contains("the pods' range"), "{f:#?}");
    }

    #[test]
    fn a5_config_map_authentication_and_i1_ipv6() {
        let mut inv = inventory();
        assert!(find(&inv, None, "A5").is_empty());
        inv.clusters[0].authentication_mode = Some("API_AND_CONFIG_MAP".into());
        assert!(find(&inv, None, "A5").is_empty());
        inv.clusters[0].authentication_mode = Some("CONFIG_MAP".into());
        let f = find(&inv, None, "A5");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].fix.contains("authenticationMode=API_AND_CONFIG_MAP"),
            "{f:#?}"
        );
        assert!(find(&inv, None, "I1").is_empty());
        inv.clusters[0].ip_family = "ipv6".into();
        let f = find(&inv, None, "I1");
        assert!(
            f[0].message.contains("oidc-eks.eu-west-1.api.aws"),
            "{f:#?}"
        );
    }
}
