//! `eniconfig`: one ENIConfig (`crd.k8s.amazonaws.com/v1alpha1`) per node AZ (rule N2),
//! named after the AZ, or its AZ ID under the zone-id label (N7); the subnet is the AZ's
//! pod subnet as it exists in the account, the security groups the spec's, else the
//! cluster security group. Valid against the CRD's schema (tests/schemas/).

use super::{Cannot, File, Source, map, plain, provenance};
use crate::rules::cni::eni_config_name;
use crate::spec::LABEL_ZONE_ID;
use serde_yaml::Value;

pub const FILE: &str = "eniconfig.yaml";

pub fn render(src: &Source) -> Result<Vec<File>, Cannot> {
    src.not_auto_mode("ENIConfigs")?;
    let spec = src.spec;
    let Some(cn) = &spec.custom_networking else {
        return Err(Cannot::Spec(
            "ENIConfigs are for custom networking: add customNetworking (and secondaryCidr with a pod subnet per node AZ) to the spec".into(),
        ));
    };
    let Some(sec) = &spec.secondary_cidr else {
        return Err(Cannot::Spec(
            "ENIConfigs name the pod subnets: add secondaryCidr with a pod subnet per node AZ to the spec".into(),
        ));
    };
    if spec.node_subnets.is_empty() {
        return Err(Cannot::Spec(
            "an ENIConfig is made per node AZ: add nodeSubnets to the spec".into(),
        ));
    }
    let groups: Vec<String> = if cn.security_group_ids.is_empty() {
        src.cluster()
            .and_then(|c| c.cluster_security_group_id.clone())
            .into_iter()
            .collect()
    } else {
        cn.security_group_ids
            .iter()
            .map(|g| g.trim().to_string())
            .collect()
    };
    for g in &groups {
        plain("customNetworking.securityGroupIds", g)?;
    }
    let mut unknown = vec![];
    let mut docs = vec![];
    for az in spec.node_subnets.keys() {
        if !sec.pod_subnets.contains_key(az) {
            return Err(Cannot::Spec(format!(
                "node AZ {az} has no pod subnet: add secondaryCidr.podSubnets.{az} to the spec"
            )));
        }
        let name = eni_config_name(src.inv, az, &cn.eni_config_label);
        if cn.eni_config_label == LABEL_ZONE_ID && src.inv.zone_id(az).is_none() {
            return Err(Cannot::Spec(format!(
                "the AZ ID of {az} is not in the account as read: check the spec's AZ names"
            )));
        }
        plain("nodeSubnets", &name)?;
        let address = format!("subnet.pod[{az:?}]");
        let Some(subnet) = src.adopted(&address) else {
            unknown.push(format!("the pod subnet of {az}"));
            continue;
        };
        let mut body = vec![("subnet", Value::from(subnet))];
        if !groups.is_empty() {
            body.push((
                "securityGroups",
                Value::Sequence(groups.iter().map(|g| g.as_str().into()).collect()),
            ));
        }
        docs.push(map([
            ("apiVersion", "crd.k8s.amazonaws.com/v1alpha1".into()),
            ("kind", "ENIConfig".into()),
            ("metadata", map([("name", name.into())])),
            ("spec", map(body)),
        ]));
    }
    if !unknown.is_empty() {
        return Err(Cannot::Unknown(unknown));
    }
    let mut text = format!(
        "# {}\n# Apply before aws-node turns custom networking on (rule N5): kubectl apply -f {FILE}\n",
        provenance(spec)
    );
    if groups.is_empty() {
        text.push_str("# No securityGroups: pods get the node's primary ENI groups.\n");
    }
    for d in docs {
        text.push_str("---\n");
        text.push_str(&serde_yaml::to_string(&d).expect("a YAML value always serializes"));
    }
    Ok(vec![File::new(FILE, text)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;

    fn custom(label: &str) -> crate::spec::Spec {
        let mut s = testkit::spec();
        s.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: [
                ("eu-west-1a".to_string(), "100.64.0.0/19".to_string()),
                ("eu-west-1b".to_string(), "100.64.32.0/19".to_string()),
            ]
            .into(),
        });
        s.custom_networking = Some(crate::spec::CustomNetworking {
            eni_config_label: label.into(),
            security_group_ids: vec![],
            prefix_delegation: false,
        });
        s
    }

    fn run(s: &crate::spec::Spec, adopt: bool) -> Result<Vec<File>, Cannot> {
        let inv = testkit::inventory();
        let mut plan = crate::plan::plan(s, &inv);
        if adopt {
            // As after apply: the pod subnets exist.
            for az in ["eu-west-1a", "eu-west-1b"] {
                plan.adopted
                    .push((format!("subnet.pod[{az:?}]"), format!("subnet-pod-{az}")));
            }
        }
        render(&Source {
            spec: s,
            inv: &inv,
            plan: &plan,
        })
    }

    #[test]
    fn one_eniconfig_per_node_az_after_apply_and_unknown_before() {
        let s = custom(crate::spec::LABEL_ZONE);
        let e = run(&s, false).unwrap_err();
        assert_eq!(
            e,
            Cannot::Unknown(vec![
                "the pod subnet of eu-west-1a".into(),
                "the pod subnet of eu-west-1b".into()
            ])
        );
        let f = run(&s, true).unwrap();
        let docs: Vec<Value> = serde_yaml::Deserializer::from_str(&f[0].text)
            .map(|d| serde::Deserialize::deserialize(d).unwrap())
            .collect();
        assert_eq!(docs.len(), 2, "{}", f[0].text);
        assert_eq!(docs[0]["metadata"]["name"], "eu-west-1a");
        assert_eq!(docs[0]["spec"]["subnet"], "subnet-pod-eu-west-1a");
        let cluster_sg = testkit::inventory().clusters[0]
            .cluster_security_group_id
            .clone();
        match cluster_sg {
            Some(g) => assert_eq!(docs[1]["spec"]["securityGroups"][0], g.as_str()),
            None => assert!(f[0].text.contains("primary ENI groups")),
        }
        // Under the zone-id label: named by AZ ID.
        let f = run(&custom(LABEL_ZONE_ID), true).unwrap();
        assert!(f[0].text.contains("name: euw1-az3"), "{}", f[0].text);
    }

    #[test]
    fn what_the_spec_lacks_is_named() {
        let mut s = custom(crate::spec::LABEL_ZONE);
        s.secondary_cidr = None;
        assert!(
            run(&s, true)
                .unwrap_err()
                .to_string()
                .contains("add secondaryCidr")
        );
        let mut s = custom(crate::spec::LABEL_ZONE);
        s.secondary_cidr
            .as_mut()
            .unwrap()
            .pod_subnets
            .remove("eu-west-1b");
        let e = run(&s, true).unwrap_err().to_string();
        assert!(e.contains("secondaryCidr.podSubnets.eu-west-1b"), "{e}");
        let mut s = custom(crate::spec::LABEL_ZONE);
        s.custom_networking = None;
        assert!(
            run(&s, true)
                .unwrap_err()
                .to_string()
                .contains("add customNetworking")
        );
    }
}
