//! Who sends to the VPC endpoints: the nodes of each node subnet and the pods of the pod
//! range, each with the security groups they carry, so that a group rule naming one of
//! those groups (rule G1) counts as much as a CIDR rule. The rules and the plan ask the
//! same questions here, so a finding never says missing what the plan leaves out as
//! already admitted.

use crate::inventory::{Cluster, Inventory, SecurityGroup, Sender, Subnet, Vpc};
use crate::spec::Spec;

/// The groups every node in `subnet` carries:
/// - the running nodes there (DescribeInstances), when any: the groups they all share;
/// - else the managed node groups placed there: the cluster security group, which EKS puts
///   on their nodes unless a launch template names groups (then nothing is known);
/// - else (no node yet) the cluster security group a new managed node group gets.
pub fn node_security_groups(c: Option<&Cluster>, subnet: &str) -> Vec<String> {
    let Some(c) = c else { return vec![] };
    let cluster_sg = || c.cluster_security_group_id.iter().cloned().collect();
    let running: Vec<&Vec<String>> = c
        .nodes
        .iter()
        .flatten()
        .filter(|n| n.subnet_id == subnet)
        .map(|n| &n.security_group_ids)
        .collect();
    if let Some((first, rest)) = running.split_first() {
        return first
            .iter()
            .filter(|g| rest.iter().all(|r| r.contains(g)))
            .cloned()
            .collect();
    }
    let placed: Vec<_> = c
        .node_groups
        .iter()
        .flatten()
        .filter(|g| g.subnet_ids.iter().any(|s| s == subnet))
        .collect();
    if placed.is_empty() || placed.iter().all(|g| g.launch_template.is_none()) {
        cluster_sg()
    } else {
        vec![]
    }
}

/// The groups the pods carry: the ENIConfigs' (customNetworking.securityGroupIds), else
/// the node's own (the VPC CNI gives pods the primary interface's groups), shared by every
/// node subnet. Without a spec nothing is known of the ENIConfigs: no group.
pub fn pod_security_groups(spec: Option<&Spec>, v: &Vpc, c: Option<&Cluster>) -> Vec<String> {
    let Some(spec) = spec else { return vec![] };
    if let Some(cn) = &spec.custom_networking
        && !cn.security_group_ids.is_empty()
    {
        return cn.security_group_ids.clone();
    }
    let per_subnet: Vec<Vec<String>> = spec
        .node_subnets
        .values()
        .filter(|id| v.subnet(id).is_some())
        .map(|id| node_security_groups(c, id))
        .collect();
    match per_subnet.split_first() {
        Some((first, rest)) => first
            .iter()
            .filter(|g| rest.iter().all(|r| r.contains(g)))
            .cloned()
            .collect(),
        None => vec![],
    }
}

/// The nodes of one subnet, with the groups they all carry.
pub fn of_node_subnet(c: Option<&Cluster>, s: &Subnet) -> Sender {
    Sender {
        what: format!("node subnet {} ({})", s.id, s.cidr),
        cidr: s.cidr.clone(),
        groups: node_security_groups(c, &s.id),
    }
}

/// The senders of the spec's cluster: each node subnet, then each planned pod subnet (or
/// the whole secondary CIDR when no pod subnet is named).
pub fn of_spec(spec: &Spec, v: &Vpc, c: Option<&Cluster>) -> Vec<Sender> {
    let mut out: Vec<Sender> = spec
        .node_subnets
        .values()
        .filter_map(|id| v.subnet(id))
        .map(|s| of_node_subnet(c, s))
        .collect();
    if let Some(sec) = &spec.secondary_cidr {
        let groups = pod_security_groups(Some(spec), v, c);
        let mut pods: Vec<&String> = sec.pod_subnets.values().collect();
        if pods.is_empty() {
            pods.push(&sec.cidr);
        }
        out.extend(pods.into_iter().map(|cidr| Sender {
            what: format!("pods ({cidr})"),
            cidr: cidr.clone(),
            groups: groups.clone(),
        }));
    }
    out
}

/// Rule G1's question for a spec, as the plan and the wizard's group step ask it: whether
/// `g` lets tcp/443 in from all of `cidr`, counting the spec's nodes and pods inside it.
pub fn spec_admits(inv: &Inventory, spec: &Spec, v: &Vpc, g: &SecurityGroup, cidr: &str) -> bool {
    let cluster = spec
        .cluster_name
        .as_deref()
        .and_then(|n| inv.clusters.iter().find(|c| c.name == n));
    admits_range(inv, g, 443, cidr, &of_spec(spec, v, cluster))
}

/// Whether `g` lets tcp `port` in from all of `cidr`: a rule for the whole range, or, for
/// every sender inside it (at least one), a rule that admits that sender.
pub fn admits_range(
    inv: &Inventory,
    g: &SecurityGroup,
    port: i32,
    cidr: &str,
    senders: &[Sender],
) -> bool {
    let whole = Sender {
        cidr: cidr.to_string(),
        ..Default::default()
    };
    if g.admits_tcp(port, &whole, &inv.prefix_lists) {
        return true;
    }
    let Ok(range) = cidr.parse::<ipnet::Ipv4Net>() else {
        return false;
    };
    let inside: Vec<&Sender> = senders
        .iter()
        .filter(|s| {
            s.cidr
                .parse::<ipnet::Ipv4Net>()
                .is_ok_and(|n| range.contains(&n))
        })
        .collect();
    !inside.is_empty()
        && inside
            .iter()
            .all(|s| g.admits_tcp(port, s, &inv.prefix_lists))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{NodeGroup, NodeInstance, PrefixList, SgRule};

    fn cluster() -> Cluster {
        Cluster {
            name: "prod".into(),
            cluster_security_group_id: Some("sg-cluster".into()),
            ..Default::default()
        }
    }

    fn group(rule: SgRule) -> SecurityGroup {
        SecurityGroup {
            id: "sg-ep".into(),
            ingress: vec![rule],
            ..Default::default()
        }
    }

    fn https() -> SgRule {
        SgRule {
            protocol: "tcp".into(),
            from_port: Some(443),
            to_port: Some(443),
            ..Default::default()
        }
    }

    #[test]
    fn nodes_carry_the_cluster_group_unless_told_otherwise() {
        let mut c = cluster();
        // No node yet: a new managed node group gets the cluster security group.
        assert_eq!(
            node_security_groups(Some(&c), "subnet-a"),
            vec!["sg-cluster"]
        );
        c.node_groups = Some(vec![NodeGroup {
            name: "ng".into(),
            subnet_ids: vec!["subnet-a".into()],
            launch_template: Some("lt-1".into()),
            ..Default::default()
        }]);
        assert!(
            node_security_groups(Some(&c), "subnet-a").is_empty(),
            "a launch template may name other groups"
        );
        c.nodes = Some(vec![
            NodeInstance {
                id: "i-1".into(),
                subnet_id: "subnet-a".into(),
                security_group_ids: vec!["sg-cluster".into(), "sg-x".into()],
                ..Default::default()
            },
            NodeInstance {
                id: "i-2".into(),
                subnet_id: "subnet-a".into(),
                security_group_ids: vec!["sg-x".into()],
                ..Default::default()
            },
        ]);
        assert_eq!(
            node_security_groups(Some(&c), "subnet-a"),
            vec!["sg-x"],
            "what every running node shares"
        );
        assert!(node_security_groups(None, "subnet-a").is_empty());
    }

    #[test]
    fn a_group_or_prefix_list_rule_admits_its_senders() {
        let inv = Inventory {
            prefix_lists: vec![PrefixList {
                id: "pl-1".into(),
                cidrs: vec!["10.0.0.0/16".into()],
            }],
            ..Default::default()
        };
        let nodes = Sender {
            what: "nodes".into(),
            cidr: "10.0.1.0/24".into(),
            groups: vec!["sg-cluster".into()],
        };
        let by_group = group(SgRule {
            group_ids: vec!["sg-cluster".into()],
            ..https()
        });
        assert!(by_group.admits_tcp(443, &nodes, &[]));
        assert!(
            !by_group.allows_tcp_from(443, "10.0.1.0/24"),
            "CIDR rules only"
        );
        assert!(!by_group.admits_tcp(
            443,
            &Sender {
                groups: vec![],
                ..nodes.clone()
            },
            &[]
        ));
        let by_list = group(SgRule {
            prefix_list_ids: vec!["pl-1".into()],
            ..https()
        });
        assert!(by_list.admits_tcp(443, &nodes, &inv.prefix_lists));
        assert!(!by_list.admits_tcp(443, &nodes, &[]), "a list not read");
        // A VPC CIDR whose only senders are admitted by group needs no CIDR rule; one with
        // a sender shut out does.
        assert!(admits_range(
            &inv,
            &by_group,
            443,
            "10.0.0.0/16",
            std::slice::from_ref(&nodes)
        ));
        let other = Sender {
            what: "other".into(),
            cidr: "10.0.2.0/24".into(),
            groups: vec![],
        };
        assert!(!admits_range(
            &inv,
            &by_group,
            443,
            "10.0.0.0/16",
            &[nodes.clone(), other]
        ));
        assert!(
            !admits_range(&inv, &by_group, 443, "100.64.0.0/16", &[nodes]),
            "no sender inside"
        );
    }
}
