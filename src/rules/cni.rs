//! N rules: VPC CNI custom networking (spec.customNetworking).

use super::{Context, Finding, Id, rule};
use crate::spec::{LABEL_ZONE, LABEL_ZONE_ID};

/// ENIs and IPv4 addresses per ENI for the instance types of assets/eni-limits.tsv.
pub fn eni_limits() -> Vec<(&'static str, u32, u32)> {
    include_str!("../../assets/eni-limits.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut it = l.split('\t');
            Some((
                it.next()?,
                it.next()?.parse().ok()?,
                it.next()?.parse().ok()?,
            ))
        })
        .collect()
}

/// Pods a node of `instance_type` holds with the VPC CNI in secondary-IP mode:
/// ENIs × (IPv4 per ENI − 1) + 2; with custom networking the primary ENI carries no pods:
/// (ENIs − 1) × (IPv4 per ENI − 1) + 2 (rule N6).
pub fn max_pods(instance_type: &str, custom_networking: bool) -> Option<u32> {
    let (_, enis, ips) = eni_limits()
        .into_iter()
        .find(|(t, _, _)| *t == instance_type)?;
    let usable = if custom_networking { enis - 1 } else { enis };
    Some(usable * (ips - 1) + 2)
}

/// Pods a node holds with prefix delegation: every address slot of an ENI carries a /28
/// (16 addresses) instead of one (N6), before EKS's recommended cap.
pub fn max_pods_prefix(instance_type: &str, custom_networking: bool) -> Option<u32> {
    let (_, enis, ips) = eni_limits()
        .into_iter()
        .find(|(t, _, _)| *t == instance_type)?;
    let usable = if custom_networking { enis - 1 } else { enis };
    Some(usable * (ips - 1) * 16 + 2)
}

/// EKS's max-pods calculator never recommends more than this for instances under 30 vCPUs,
/// nor more than [`EKS_CAP_LARGE`] for larger ones (N6).
pub const EKS_CAP_SMALL: u32 = 110;
pub const EKS_CAP_LARGE: u32 = 250;

/// The aws-node variable that turns custom networking on, and the one naming the node
/// label that selects a node's ENIConfig (N4).
pub const CUSTOM_NETWORK_ENV: &str = "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG";
pub const LABEL_ENV: &str = "ENI_CONFIG_LABEL_DEF";

/// The aws-node environment custom networking needs, as it is set (N4).
pub fn aws_node_env(cn: &crate::spec::CustomNetworking) -> Vec<(&'static str, String)> {
    vec![
        (CUSTOM_NETWORK_ENV, "true".into()),
        (LABEL_ENV, cn.eni_config_label.clone()),
    ]
}

/// The ENIConfig for `az` is named after what the label carries: the AZ name, or its zone
/// ID (N2, N7).
pub fn eni_config_name(inv: &crate::inventory::Inventory, az: &str, label: &str) -> String {
    if label == LABEL_ZONE_ID {
        inv.zone_id(az).unwrap_or(az).to_string()
    } else {
        az.to_string()
    }
}

/// Whether a Kubernetes version ("1.31", "1.29-eks-…") is at least `major.minor`; an
/// unreadable one is not.
pub fn version_at_least(version: &str, major: u32, minor: u32) -> bool {
    let mut it = version
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse::<u32>().unwrap_or(0));
    match (it.next(), it.next()) {
        (Some(a), Some(b)) => (a, b) >= (major, minor),
        _ => false,
    }
}

/// Nodes carry `topology.k8s.aws/zone-id` from this Kubernetes version on (N4).
pub const ZONE_ID_LABEL_SINCE: (u32, u32) = (1, 30);

/// The order that moves a running cluster to custom networking (N5).
pub const ROLLOUT: &[&str] = &[
    "apply one ENIConfig per AZ (subnet = the AZ's pod subnet, security groups as chosen)",
    "set the aws-node environment through the vpc-cni add-on's configuration values",
    "wait for the aws-node pods to restart with it (kubectl -n kube-system rollout status ds/aws-node)",
    "cordon, drain and replace each existing node (new nodes take their ENIConfig at start)",
    "check that new pods get addresses in the pod subnets (kubectl get pods -o wide)",
];

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let (Some(v), Some(spec)) = (ctx.vpc, ctx.spec) else {
        return;
    };
    let Some(cn) = &spec.custom_networking else {
        return;
    };
    // N1
    if let Some(c) = ctx.cluster
        && c.ip_family == "ipv6"
    {
        out.push(rule(Id::N1).at(
            "customNetworking",
            format!(
                "cluster {} is IPv6: custom networking is for IPv4 clusters",
                c.name
            ),
        ));
    }
    // N2: ENIConfigs come from the pod subnets.
    if spec.secondary_cidr.is_none() {
        out.push(rule(Id::N2).at(
            "customNetworking",
            "custom networking needs secondaryCidr: the ENIConfigs point at its pod subnets",
        ));
    }
    // N4, N7: the label that selects ENIConfigs.
    if cn.eni_config_label != LABEL_ZONE && cn.eni_config_label != LABEL_ZONE_ID {
        out.push(rule(Id::N4).at(
            "customNetworking.eniConfigLabel",
            format!(
                "{:?} is not a label the nodes carry: use {LABEL_ZONE} or {LABEL_ZONE_ID}",
                cn.eni_config_label
            ),
        ));
    }
    if cn.eni_config_label == LABEL_ZONE_ID
        && let Some(c) = ctx.cluster
        && !version_at_least(&c.version, ZONE_ID_LABEL_SINCE.0, ZONE_ID_LABEL_SINCE.1)
    {
        out.push(
            rule(Id::N4)
                .at(
                    "customNetworking.eniConfigLabel",
                    format!(
                        "cluster {} runs Kubernetes {}: nodes carry {LABEL_ZONE_ID} only from 1.30 on, so they would fall back to an ENIConfig named default",
                        c.name, c.version
                    ),
                )
                .fix(format!("upgrade the cluster to 1.30 or later, or use {LABEL_ZONE}")),
        );
    }
    let shared = spec
        .node_subnets
        .values()
        .filter_map(|id| v.subnet(id))
        .any(|s| !s.owner_id.is_empty() && s.owner_id != ctx.inv.account);
    if shared && cn.eni_config_label == LABEL_ZONE {
        // Nodes carry the zone-id label only from 1.30 on (N4): before, the label must
        // be one the node groups set themselves.
        let old = ctx.cluster.filter(|c| {
            !version_at_least(&c.version, ZONE_ID_LABEL_SINCE.0, ZONE_ID_LABEL_SINCE.1)
        });
        let fix = match old {
            Some(c) => format!(
                "cluster {} runs Kubernetes {}, whose nodes do not carry {LABEL_ZONE_ID}: upgrade to 1.30 and set eniConfigLabel: {LABEL_ZONE_ID}, or give each node group a label with its AZ ID (in its launch template) and name ENIConfigs after AZ IDs",
                c.name, c.version
            ),
            None => format!(
                "set eniConfigLabel: {LABEL_ZONE_ID} (ENIConfigs are then named after AZ IDs)"
            ),
        };
        out.push(rule(Id::N7).at(
            "customNetworking.eniConfigLabel",
            "the node subnets are shared from another account, where AZ names differ: select ENIConfigs by zone ID",
        ).fix(fix));
    }
    // ENIConfig security groups exist in the VPC.
    for (i, sg) in cn.security_group_ids.iter().enumerate() {
        if !v.security_groups.iter().any(|g| &g.id == sg) {
            out.push(rule(Id::N2).at(
                format!("customNetworking.securityGroupIds[{i}]"),
                format!("{sg} is not a security group of {}", v.id),
            ));
        }
    }
    // G3: the ENIConfig groups carry pod traffic.
    for (i, id) in cn.security_group_ids.iter().enumerate() {
        let Some(g) = v.security_groups.iter().find(|g| &g.id == id) else {
            continue;
        };
        let vpc_cidrs: Vec<&str> = v.active_cidrs().collect();
        let open_inside = g.ingress.iter().any(|r| {
            r.protocol == "-1"
                && (r.group_ids.iter().any(|x| x == &g.id)
                    || r.cidrs.iter().any(|c| vpc_cidrs.contains(&c.as_str())))
        });
        if !open_inside {
            out.push(rule(Id::G3).at(
                format!("customNetworking.securityGroupIds[{i}]"),
                format!("{id} does not allow all traffic from itself or the VPC: pod-to-node, webhooks and DNS may be blocked"),
            ));
        }
    }
    // N3, N5, N6, N8: what the operator must know.
    out.push(rule(Id::N3).at(
        "customNetworking",
        "a node picks its ENIConfig by label vpc.amazonaws.com/externalEniConfig, then the annotation k8s.amazonaws.com/eniConfig, then the label, then an ENIConfig named default",
    ));
    if ctx.cluster.is_some() {
        out.push(rule(Id::N5).at(
            "customNetworking",
            "existing nodes keep their pod addresses: after aws-node and the ENIConfigs, cordon, drain and replace them",
        ));
    }
    let examples: Vec<String> = ["t3.large", "m5.large", "m5.xlarge", "m5.4xlarge"]
        .iter()
        .filter_map(|t| {
            Some(format!(
                "{t} {} → {}",
                max_pods(t, false)?,
                max_pods(t, true)?
            ))
        })
        .collect();
    out.push(rule(Id::N6).at(
        "customNetworking",
        format!("max pods per node drop: {}", examples.join(", ")),
    ));
    let cni_tagged = v
        .subnets
        .iter()
        .any(|s| s.tags.get("kubernetes.io/role/cni").map(String::as_str) == Some("1"));
    if cni_tagged {
        out.push(rule(Id::N8).at(
            "customNetworking",
            "subnets tagged kubernetes.io/role/cni=1 exist: custom networking wins over enhanced subnet discovery",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::Severity;
    use super::super::testkit::*;
    use super::max_pods;
    use crate::spec::{CustomNetworking, SecondaryCidr};

    fn with(label: &str, sgs: &[&str], secondary: bool) -> crate::spec::Spec {
        let mut s = spec();
        s.custom_networking = Some(CustomNetworking {
            eni_config_label: label.into(),
            security_group_ids: sgs.iter().map(|s| s.to_string()).collect(),
            prefix_delegation: false,
        });
        if secondary {
            s.secondary_cidr = Some(SecondaryCidr {
                cidr: "100.64.0.0/16".into(),
                pod_subnets: [
                    ("eu-west-1a".to_string(), "100.64.0.0/19".to_string()),
                    ("eu-west-1b".to_string(), "100.64.32.0/19".to_string()),
                ]
                .into(),
            });
        }
        s
    }

    #[test]
    fn n6_max_pods_formula_and_table() {
        // The published values (ENIs x (IPv4 - 1) + 2) and the custom-networking ones.
        for (t, plain, custom) in [
            ("t3.medium", 17, 12),
            ("t3.large", 35, 24),
            ("m5.large", 29, 20),
            ("m5.xlarge", 58, 44),
            ("m5.4xlarge", 234, 205),
            ("m5.16xlarge", 737, 688),
            ("c5.large", 29, 20),
        ] {
            assert_eq!(max_pods(t, false), Some(plain), "{t}");
            assert_eq!(max_pods(t, true), Some(custom), "{t}");
        }
        assert_eq!(max_pods("x9.huge", false), None);
        assert!(has(
            &inventory(),
            &with(crate::spec::LABEL_ZONE, &[], true),
            "N6",
            Severity::Info,
            "m5.large 29 → 20"
        ));
    }

    #[test]
    fn n4_the_zone_id_label_needs_kubernetes_1_30_and_prefix_delegation() {
        let mut inv = inventory();
        inv.clusters[0].version = "1.29".into();
        let s = with(crate::spec::LABEL_ZONE_ID, &[], true);
        assert!(has(&inv, &s, "N4", Severity::Error, "only from 1.30 on"));
        inv.clusters[0].version = "1.30".into();
        let f = super::super::evaluate(&inv, Some(&s), None, None);
        assert!(
            !f.iter().any(|x| x.message.contains("only from 1.30")),
            "{f:#?}"
        );
        assert!(super::version_at_least("1.31-eks-abc", 1, 30));
        assert!(!super::version_at_least("1.9", 1, 30));
        assert!(!super::version_at_least("", 1, 30));
        // m5.large: 3 ENIs x (10 - 1) slots of 16, plus 2; one ENI fewer with custom
        // networking.
        assert_eq!(super::max_pods_prefix("m5.large", false), Some(434));
        assert_eq!(super::max_pods_prefix("m5.large", true), Some(290));
        assert_eq!(super::max_pods_prefix("x9.huge", true), None);
        assert_eq!(
            super::eni_config_name(&inv, "eu-west-1a", crate::spec::LABEL_ZONE_ID),
            "euw1-az3"
        );
        assert_eq!(
            super::eni_config_name(&inv, "eu-west-1a", crate::spec::LABEL_ZONE),
            "eu-west-1a"
        );
    }

    #[test]
    fn n1_n2_n4_n7_configuration() {
        let inv = inventory();
        assert!(has(
            &inv,
            &with(crate::spec::LABEL_ZONE, &[], false),
            "N2",
            Severity::Error,
            "needs secondaryCidr"
        ));
        assert!(has(
            &inv,
            &with("zone", &[], true),
            "N4",
            Severity::Error,
            "not a label"
        ));
        assert!(has(
            &inv,
            &with(crate::spec::LABEL_ZONE, &["sg-nope"], true),
            "N2",
            Severity::Error,
            "not a security group"
        ));
        let mut v6 = inventory();
        v6.clusters[0].ip_family = "ipv6".into();
        assert!(has(
            &v6,
            &with(crate::spec::LABEL_ZONE, &[], true),
            "N1",
            Severity::Error,
            "IPv6"
        ));
        let mut shared = inventory();
        vpc_mut(&mut shared).subnets[2].owner_id = "999999999999".into();
        assert!(has(
            &shared,
            &with(crate::spec::LABEL_ZONE, &[], true),
            "N7",
            Severity::Warn,
            "zone ID"
        ));
        assert!(!has(
            &shared,
            &with(crate::spec::LABEL_ZONE_ID, &[], true),
            "N7",
            Severity::Warn,
            "zone ID"
        ));
        // Before 1.30 the zone-id label is not on the nodes: N7 does not send users to it
        // alone.
        let fix = |inv: &crate::inventory::Inventory| {
            crate::rules::evaluate(
                inv,
                Some(&with(crate::spec::LABEL_ZONE, &[], true)),
                None,
                None,
            )
            .into_iter()
            .find(|f| f.id == "N7")
            .map(|f| f.fix)
            .unwrap()
        };
        shared.clusters[0].version = "1.30".into();
        assert!(
            fix(&shared).starts_with("set eniConfigLabel"),
            "{}",
            fix(&shared)
        );
        shared.clusters[0].version = "1.29".into();
        let f = fix(&shared);
        assert!(
            f.contains("runs Kubernetes 1.29") && f.contains("label with its AZ ID"),
            "{f}"
        );
    }

    #[test]
    fn g3_eniconfig_groups() {
        let mut inv = inventory();
        vpc_mut(&mut inv)
            .security_groups
            .push(crate::inventory::SecurityGroup {
                id: "sg-pods".into(),
                name: "pods".into(),
                ..Default::default()
            });
        let s = with(crate::spec::LABEL_ZONE, &["sg-pods"], true);
        assert!(has(
            &inv,
            &s,
            "G3",
            Severity::Warn,
            "does not allow all traffic"
        ));
        vpc_mut(&mut inv)
            .security_groups
            .last_mut()
            .unwrap()
            .ingress
            .push(crate::inventory::SgRule {
                protocol: "-1".into(),
                group_ids: vec!["sg-pods".into()],
                ..Default::default()
            });
        assert!(!has(&inv, &s, "G3", Severity::Warn, ""));
    }

    #[test]
    fn n3_n5_n8_explanations() {
        let mut inv = inventory();
        let s = with(crate::spec::LABEL_ZONE, &[], true);
        assert!(has(&inv, &s, "N3", Severity::Info, "externalEniConfig"));
        assert!(has(&inv, &s, "N5", Severity::Info, "drain and replace"));
        assert!(!has(
            &inv,
            &s,
            "N8",
            Severity::Info,
            "enhanced subnet discovery"
        ));
        vpc_mut(&mut inv).subnets[4]
            .tags
            .insert("kubernetes.io/role/cni".into(), "1".into());
        assert!(has(
            &inv,
            &s,
            "N8",
            Severity::Info,
            "enhanced subnet discovery"
        ));
    }
}
