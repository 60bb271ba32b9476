//! `nodeclass`: for an EKS Auto Mode cluster (rule K1), what takes the place of ENIConfigs:
//! a NodeClass (`eks.amazonaws.com/v1`) that puts the nodes in the spec's node subnets and
//! the pods in its pod subnets (podSubnetSelectorTerms, podSecurityGroupSelectorTerms), all
//! selected by ID, with the cluster's Auto Mode node role. A NodePool names it to use it.

use super::{Cannot, File, Source, map, plain, provenance};
use serde_yaml::Value;

pub const FILE: &str = "nodeclass.yaml";

/// `[{id: X}, …]`: selector terms by ID.
fn by_id<'a>(ids: impl IntoIterator<Item = &'a str>) -> Value {
    Value::Sequence(ids.into_iter().map(|id| map([("id", id.into())])).collect())
}

pub fn render(src: &Source) -> Result<Vec<File>, Cannot> {
    let spec = src.spec;
    let name = src.cluster_name(super::Format::Nodeclass)?;
    let c = src
        .cluster()
        .filter(|c| c.auto_mode)
        .ok_or_else(|| {
            Cannot::Spec(format!(
                "a NodeClass is for an EKS Auto Mode cluster, and cluster {name} as read is not one: use the eniconfig export for custom networking"
            ))
        })?;
    let Some(sec) = &spec.secondary_cidr else {
        return Err(Cannot::Spec(
            "the NodeClass puts pods in the pod subnets: add secondaryCidr with a pod subnet per node AZ to the spec".into(),
        ));
    };
    if spec.node_subnets.is_empty() {
        return Err(Cannot::Spec(
            "the NodeClass puts the nodes in the node subnets: add nodeSubnets to the spec".into(),
        ));
    }
    let role = c
        .auto_mode_node_role
        .as_deref()
        .map(|arn| arn.rsplit('/').next().unwrap_or(arn))
        .ok_or_else(|| {
            Cannot::Spec(format!(
                "cluster {name} did not say its Auto Mode node role (computeConfig.nodeRoleArn)"
            ))
        })?;
    plain("the Auto Mode node role", role)?;
    let groups: Vec<&str> = c.cluster_security_group_id.as_deref().into_iter().collect();
    if groups.is_empty() {
        return Err(Cannot::Spec(format!(
            "cluster {name} has no cluster security group as read: the NodeClass selects it for nodes and pods"
        )));
    }
    let mut nodes = vec![];
    let mut pods = vec![];
    let mut unknown = vec![];
    for (az, id) in &spec.node_subnets {
        plain(&format!("nodeSubnets.{az}"), id)?;
        nodes.push(id.trim());
        if !sec.pod_subnets.contains_key(az) {
            return Err(Cannot::Spec(format!(
                "node AZ {az} has no pod subnet: add secondaryCidr.podSubnets.{az} to the spec"
            )));
        }
        match src.adopted(&format!("subnet.pod[{az:?}]")) {
            Some(p) => pods.push(p),
            None => unknown.push(format!("the pod subnet of {az}")),
        }
    }
    if !unknown.is_empty() {
        return Err(Cannot::Unknown(unknown));
    }
    let doc = map([
        ("apiVersion", "eks.amazonaws.com/v1".into()),
        ("kind", "NodeClass".into()),
        (
            "metadata",
            map([(
                "name",
                format!("{}-pods", crate::spec::slug(&spec.metadata.name)).into(),
            )]),
        ),
        (
            "spec",
            map([
                ("role", role.into()),
                ("subnetSelectorTerms", by_id(nodes)),
                ("securityGroupSelectorTerms", by_id(groups.iter().copied())),
                ("podSubnetSelectorTerms", by_id(pods)),
                ("podSecurityGroupSelectorTerms", by_id(groups)),
            ]),
        ),
    ]);
    let text = format!(
        "# {}\n# EKS Auto Mode (rule K1): nodes in the node subnets, pods in the pod subnets, at most\n# 110 pods a node. kubectl apply -f {FILE}, then name it in a NodePool (spec.template.spec.nodeClassRef).\n---\n{}",
        provenance(spec),
        serde_yaml::to_string(&doc).expect("a YAML value always serializes")
    );
    Ok(vec![File::new(FILE, text)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;

    /// Issue 25 (K1): an Auto Mode cluster's pods go to the pod subnets through a NodeClass,
    /// selected by ID; a classic cluster is refused.
    #[test]
    fn an_auto_mode_cluster_gets_a_node_class() {
        let mut inv = testkit::inventory();
        let mut s = testkit::spec();
        s.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: [
                ("eu-west-1a".to_string(), "100.64.0.0/18".to_string()),
                ("eu-west-1b".to_string(), "100.64.64.0/18".to_string()),
            ]
            .into(),
        });
        let e = super::super::with_plan(&s, &inv, render)
            .unwrap_err()
            .to_string();
        assert!(e.contains("is not one"), "{e}");
        inv.clusters[0].auto_mode = true;
        // The VPC CNI's files are refused for it.
        s.custom_networking = Some(crate::spec::CustomNetworking {
            eni_config_label: crate::spec::LABEL_ZONE.into(),
            security_group_ids: vec![],
            prefix_delegation: false,
        });
        for r in [
            super::super::eniconfig::render,
            super::super::aws_node::render,
        ] {
            let e = super::super::with_plan(&s, &inv, r)
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("runs EKS Auto Mode") && e.contains("nodeclass export"),
                "{e}"
            );
        }
        s.custom_networking = None;
        inv.clusters[0].auto_mode_node_role =
            Some("arn:aws:iam::123456789012:role/AmazonEKSAutoNodeRole".into());
        // Before apply the pod subnets do not exist.
        let e = super::super::with_plan(&s, &inv, render)
            .unwrap_err()
            .to_string();
        assert!(e.contains("the pod subnet of eu-west-1a"), "{e}");
        for (az, cidr, id) in [
            ("eu-west-1a", "100.64.0.0/18", "subnet-pods-a"),
            ("eu-west-1b", "100.64.64.0/18", "subnet-pods-b"),
        ] {
            testkit::vpc_mut(&mut inv)
                .cidrs
                .push(crate::inventory::VpcCidr {
                    cidr: "100.64.0.0/16".into(),
                    state: "associated".into(),
                    association_id: "a2".into(),
                });
            let mut sn = testkit::subnet(
                id,
                az,
                "x",
                cidr,
                crate::inventory::SubnetKind::Private,
                "rtb-priv-a",
            );
            sn.tags
                .insert(crate::spec::PLAN_TAG.into(), s.metadata.name.clone());
            testkit::vpc_mut(&mut inv).subnets.push(sn);
        }
        let files = super::super::with_plan(&s, &inv, render).unwrap();
        let v: Value = serde_yaml::from_str(files[0].text.split("---\n").nth(1).unwrap()).unwrap();
        assert_eq!(v["kind"], "NodeClass");
        assert_eq!(v["spec"]["role"], "AmazonEKSAutoNodeRole");
        assert_eq!(v["spec"]["subnetSelectorTerms"][0]["id"], "subnet-priv-a");
        assert_eq!(
            v["spec"]["podSubnetSelectorTerms"][1]["id"],
            "subnet-pods-b"
        );
        assert_eq!(
            v["spec"]["podSecurityGroupSelectorTerms"][0]["id"],
            "sg-cluster"
        );
    }
}
