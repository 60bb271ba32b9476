//! Rules: G3, N1, N2, N3, N4, N5, N6, N7, N8.
//! N rules: VPC CNI custom networking (spec.customNetworking).

use super::{Context, Finding, Id, rule};
use crate::inventory::{InstanceType, Inventory};
use crate::spec::{LABEL_ZONE, LABEL_ZONE_ID};

/// The offline table of instance types (assets/instance-types.tsv: EC2's figures as moto
/// records them), for when DescribeInstanceTypes cannot be asked.
pub fn offline_types() -> &'static [InstanceType] {
    static TYPES: std::sync::OnceLock<Vec<InstanceType>> = std::sync::OnceLock::new();
    TYPES.get_or_init(|| {
        include_str!("../../../../assets/instance-types.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut it = l.split('\t');
                Some(InstanceType {
                    name: it.next()?.to_string(),
                    default_vcpus: it.next()?.parse().ok()?,
                    max_interfaces: it.next()?.parse().ok()?,
                    ipv4_per_interface: it.next()?.parse().ok()?,
                    nitro: it.next()? == "1",
                })
            })
            .collect()
    })
}

/// Where an instance type's figures came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeSource {
    /// DescribeInstanceTypes in this region.
    Ec2,
    /// assets/instance-types.tsv.
    Offline,
}

/// The figures of instance type `name`: as EC2 answered in this region, else the offline
/// table's; None for a type neither knows.
pub fn instance_type(inv: &Inventory, name: &str) -> Option<(InstanceType, TypeSource)> {
    let name = name.trim();
    if let Some(t) = inv.instance_types.iter().find(|t| t.name == name) {
        return Some((t.clone(), TypeSource::Ec2));
    }
    offline_types()
        .iter()
        .find(|t| t.name == name)
        .map(|t| (t.clone(), TypeSource::Offline))
}

/// Pods a node can hold, as AWS's max-pods calculator computes it before its cap
/// (`--show-max-allowed`): the default network card's interfaces, one fewer with custom
/// networking (the primary interface carries no pods); each interface's IPv4 slots but
/// the first, each one address, or a /28 (16) with prefix delegation on a Nitro instance;
/// plus 2 (the host-network pods).
pub fn max_pods_allowed(t: &InstanceType, custom_networking: bool, prefixes: bool) -> u32 {
    let interfaces = t
        .max_interfaces
        .saturating_sub(u32::from(custom_networking));
    let per_slot = if prefixes && t.nitro { 16 } else { 1 };
    interfaces * t.ipv4_per_interface.saturating_sub(1) * per_slot + 2
}

/// The calculator's ceiling: 110 pods for 30 vCPUs or fewer, else 250 (N6).
pub fn pod_ceiling(t: &InstanceType) -> u32 {
    if t.default_vcpus > 30 {
        EKS_CAP_LARGE
    } else {
        EKS_CAP_SMALL
    }
}

/// Max pods as AWS's calculator recommends it, in every mode: the allowed figure under
/// the ceiling for the type's vCPUs.
pub fn max_pods(t: &InstanceType, custom_networking: bool, prefixes: bool) -> u32 {
    max_pods_allowed(t, custom_networking, prefixes).min(pod_ceiling(t))
}

/// What AWS's calculator says of one instance type, in each networking mode (the
/// `max-pods` command's row).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodsRow {
    pub instance_type: String,
    pub vcpus: u32,
    /// Of the default network card.
    pub interfaces: u32,
    pub ipv4_per_interface: u32,
    pub nitro: bool,
    /// Secondary IPs (the VPC CNI's default).
    pub max_pods: u32,
    pub custom_networking: u32,
    pub prefix_delegation: u32,
    pub custom_networking_with_prefixes: u32,
    /// The calculator's ceiling for this type (110 or 250).
    pub ceiling: u32,
    /// Before the ceiling, secondary IPs (AWS's eni-max-pods.txt figure).
    pub allowed: u32,
}

impl PodsRow {
    pub fn of(t: &InstanceType) -> PodsRow {
        PodsRow {
            instance_type: t.name.clone(),
            vcpus: t.default_vcpus,
            interfaces: t.max_interfaces,
            ipv4_per_interface: t.ipv4_per_interface,
            nitro: t.nitro,
            max_pods: max_pods(t, false, false),
            custom_networking: max_pods(t, true, false),
            prefix_delegation: max_pods(t, false, true),
            custom_networking_with_prefixes: max_pods(t, true, true),
            ceiling: pod_ceiling(t),
            allowed: max_pods_allowed(t, false, false),
        }
    }
}

/// EKS's max-pods calculator never recommends more than this for instances of 30 vCPUs or
/// fewer, nor more than [`EKS_CAP_LARGE`] for larger ones (N6).
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
    if ctx.cluster.is_some_and(|c| c.auto_mode) {
        // K1 says custom networking does not apply; EKS caps Auto Mode nodes at 110 pods.
        out.push(rule(Id::N6).at(
            "customNetworking",
            "EKS Auto Mode caps every node at 110 pods, after the max-pods calculation",
        ));
    } else {
        out.push(n6(ctx.inv, spec, cn));
    }
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

/// N6: what custom networking does to max pods, for the spec's node group's instance type
/// (or a few usual ones), as the calculator says.
fn n6(inv: &Inventory, spec: &crate::spec::Spec, cn: &crate::spec::CustomNetworking) -> Finding {
    let prefixes = cn.prefix_delegation;
    let said = |t: &InstanceType| {
        format!(
            "{} {} → {}{}",
            t.name,
            max_pods(t, false, prefixes),
            max_pods(t, true, prefixes),
            if prefixes { " (prefix delegation)" } else { "" }
        )
    };
    if let Some(ng) = &spec.node_group {
        let name = ng.instance_type.trim();
        return match instance_type(inv, name) {
            Some((t, source)) => rule(Id::N6).at(
                "nodeGroup.instanceType",
                format!(
                    "max pods per node with custom networking: {}, as AWS's calculator caps it ({}{})",
                    said(&t),
                    if t.default_vcpus > 30 { "250 above 30 vCPUs" } else { "110 at 30 vCPUs or fewer" },
                    match source {
                        TypeSource::Ec2 => "; figures from DescribeInstanceTypes",
                        TypeSource::Offline => "; figures from the offline table, DescribeInstanceTypes did not answer",
                    }
                ),
            ),
            None => rule(Id::N6)
                .at(
                    "nodeGroup.instanceType",
                    format!("{name:?} is not an instance type EC2 lists in {}", inv.region),
                )
                .severity(super::Severity::Error)
                .fix("name an instance type the region offers (aws ec2 describe-instance-types --instance-types TYPE)"),
        };
    }
    let examples: Vec<String> = ["t3.large", "m6i.large", "m7i.xlarge", "m7g.4xlarge"]
        .iter()
        .filter_map(|n| instance_type(inv, n))
        .map(|(t, _)| said(&t))
        .collect();
    rule(Id::N6).at(
        "customNetworking",
        format!("max pods per node drop: {}", examples.join(", ")),
    )
}

#[cfg(test)]
mod tests {
    use super::super::Severity;
    use super::super::testkit::*;
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

    /// AWS's published max pods (secondary-IP mode, before the calculator's cap):
    /// misc/eni-max-pods.txt of aws/amazon-vpc-cni-k8s v1.23.1 (commit b521883, 2026-08-20,
    /// Apache-2.0), generated there from DescribeInstanceTypes.
    const PUBLISHED: &[(&str, u32)] = &[
        ("c6gn.16xlarge", 737),
        ("c7g.16xlarge", 737),
        ("c7g.large", 29),
        ("c7i.2xlarge", 58),
        ("g5.xlarge", 58),
        ("g6.xlarge", 58),
        ("hpc7g.16xlarge", 198),
        ("inf2.xlarge", 58),
        ("m5.16xlarge", 737),
        ("m6i.32xlarge", 737),
        ("m6i.large", 29),
        ("m6i.xlarge", 58),
        ("m7g.4xlarge", 234),
        ("m7i.48xlarge", 737),
        ("m7i.large", 29),
        ("m8g.48xlarge", 737),
        ("m8g.large", 29),
        ("p4d.24xlarge", 737),
        ("p5.48xlarge", 100),
        ("r7i.large", 29),
        ("r8g.24xlarge", 737),
        ("r8g.large", 29),
        ("t3.medium", 17),
        ("t4g.medium", 17),
        ("t4g.nano", 4),
        ("trn1.2xlarge", 58),
        ("trn1.32xlarge", 247),
        ("x2idn.32xlarge", 737),
    ];

    fn offline(name: &str) -> crate::inventory::InstanceType {
        super::offline_types()
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("{name} not in the offline table"))
            .clone()
    }

    #[test]
    fn n6_max_pods_match_aws_s_published_figures() {
        for (name, published) in PUBLISHED {
            let t = offline(name);
            assert_eq!(
                super::max_pods_allowed(&t, false, false),
                *published,
                "{name}"
            );
        }
        // Multi-card types count the default card only.
        assert_eq!(offline("p5.48xlarge").max_interfaces, 2);
        assert!(super::offline_types().len() > 1000);
    }

    #[test]
    fn n6_the_calculator_caps_every_mode() {
        use super::{max_pods, max_pods_allowed};
        let m5 = offline("m5.16xlarge");
        // Custom networking without prefixes: 14 x 49 + 2 = 688 allowed, 250 above 30 vCPUs.
        assert_eq!(max_pods_allowed(&m5, true, false), 688);
        assert_eq!(max_pods(&m5, true, false), 250);
        // With prefixes: 250 too for a large type (not 110).
        assert_eq!(max_pods(&m5, true, true), 250);
        let t3 = offline("t3.large");
        assert_eq!(max_pods(&t3, false, false), 35);
        assert_eq!(max_pods(&t3, true, false), 24);
        assert_eq!(max_pods_allowed(&t3, true, true), 354);
        assert_eq!(max_pods(&t3, true, true), 110);
        let m5l = offline("m5.large");
        assert_eq!(max_pods_allowed(&m5l, false, true), 434);
        assert_eq!(max_pods_allowed(&m5l, true, true), 290);
        // Prefix delegation needs a Nitro instance.
        let xen = super::offline_types()
            .iter()
            .find(|t| !t.nitro && t.max_interfaces > 1)
            .expect("a Xen type");
        assert_eq!(
            max_pods_allowed(xen, false, true),
            max_pods_allowed(xen, false, false)
        );
    }

    #[test]
    fn n6_names_the_spec_s_type_and_where_its_figures_came_from() {
        let mut s = with(crate::spec::LABEL_ZONE, &[], true);
        assert!(has(
            &inventory(),
            &s,
            "N6",
            Severity::Info,
            "m6i.large 29 → 20"
        ));
        s.node_group = Some(crate::spec::NodeGroup {
            instance_type: "m7i.48xlarge".into(),
            ..Default::default()
        });
        assert!(has(
            &inventory(),
            &s,
            "N6",
            Severity::Info,
            "m7i.48xlarge 250 → 250, as AWS's calculator caps it (250 above 30 vCPUs; figures from the offline table"
        ));
        let mut inv = inventory();
        inv.instance_types.push(crate::inventory::InstanceType {
            name: "m7i.48xlarge".into(),
            default_vcpus: 192,
            max_interfaces: 2,
            ipv4_per_interface: 10,
            nitro: true,
        });
        assert!(has(&inv, &s, "N6", Severity::Info, "m7i.48xlarge 20 → 11"));
        assert!(has(
            &inv,
            &s,
            "N6",
            Severity::Info,
            "figures from DescribeInstanceTypes"
        ));
        s.node_group.as_mut().unwrap().instance_type = "x9.huge".into();
        assert!(has(
            &inventory(),
            &s,
            "N6",
            Severity::Error,
            "\"x9.huge\" is not an instance type EC2 lists"
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
