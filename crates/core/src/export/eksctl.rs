//! `eksctl`: a `ClusterConfig` (`eksctl.io/v1alpha5`) for the spec's cluster in its VPC:
//! the node subnets by AZ, the endpoint access (a fully private cluster as
//! `privateCluster`, whose endpoints this plan makes, so eksctl skips its own), the service
//! CIDR as read, the VPC CNI add-on with the custom-networking values, and a managed node
//! group on private networking. Valid against eksctl's schema (tests/schemas/) and its
//! runtime rules: `privateCluster` with no `clusterEndpoints`, no
//! `additionalEndpointServices` beside `skipEndpointCreation`, `privateNetworking` on every
//! node group.

use super::{Cannot, File, Format, Source, map, plain, yaml};
use crate::rules::cni::{instance_type, max_pods};
use crate::spec::NodeGroup;
use serde_yaml::Value;

/// Whether the plan's endpoints stand in for eksctl's: then `skipEndpointCreation`.
fn endpoints_ours(src: &Source) -> bool {
    src.spec.endpoints.is_some()
}

/// Max pods for the node group: the spec's, or from the instance type as AWS's calculator
/// gives it with custom networking (and prefix delegation when the spec turns it on),
/// capped at 110 or 250 by vCPUs (rule N6). None when the VPC CNI's default is right (no
/// custom networking).
fn node_max_pods(src: &Source, ng: &NodeGroup) -> Result<Option<u32>, Cannot> {
    if let Some(n) = ng.max_pods {
        return Ok(Some(n));
    }
    let Some(cn) = &src.spec.custom_networking else {
        return Ok(None);
    };
    let t = ng.instance_type.trim();
    let (it, _) = instance_type(src.inv, t).ok_or_else(|| {
        Cannot::Spec(format!(
            "{t:?} is not an instance type EC2 lists in {}: set nodeGroup.instanceType to one it does (or nodeGroup.maxPods)",
            src.inv.region
        ))
    })?;
    Ok(Some(max_pods(&it, true, cn.prefix_delegation)))
}

pub fn render(src: &Source) -> Result<Vec<File>, Cannot> {
    let spec = src.spec;
    let name = src.cluster_name(Format::Eksctl)?;
    plain("clusterName", name)?;
    plain("vpcId", &spec.vpc_id)?;
    if spec.node_subnets.is_empty() {
        return Err(Cannot::Spec(
            "eksctl needs the node subnets: add nodeSubnets (AZ: subnet ID) to the spec".into(),
        ));
    }
    let mut private = serde_yaml::Mapping::new();
    for (az, id) in &spec.node_subnets {
        plain("nodeSubnets", az)?;
        plain(&format!("nodeSubnets.{az}"), id)?;
        private.insert(az.as_str().into(), map([("id", id.trim().into())]));
    }
    let cluster = src.cluster();
    // Endpoint access: the spec's, else the cluster's as read, else fully private (what
    // this tool makes).
    let (private_access, public_access, cidrs) = match (&spec.cluster_endpoint, cluster) {
        (Some(e), _) => (
            e.private_access,
            e.public_access,
            e.public_access_cidrs.clone(),
        ),
        (None, Some(c)) => (
            c.private_access,
            c.public_access,
            c.public_access_cidrs.clone(),
        ),
        (None, None) => (true, false, vec![]),
    };
    if !private_access && !public_access {
        return Err(Cannot::Spec(
            "clusterEndpoint turns both private and public access off: eksctl (and EKS) need one"
                .into(),
        ));
    }
    let fully_private = private_access && !public_access;
    // S4: for a fully private cluster eksctl imports each private subnet's own route table
    // (for its endpoints' routes) and refuses one on the VPC's main route table.
    if fully_private {
        let v = src.vpc()?;
        let on_main: Vec<&str> = spec
            .node_subnets
            .values()
            .filter_map(|id| v.subnet(id.trim()))
            .filter(|s| s.main_route_table)
            .map(|s| s.id.as_str())
            .collect();
        if !on_main.is_empty() {
            return Err(Cannot::Spec(format!(
                "eksctl refuses a fully private cluster whose private subnets use the VPC's main route table (S4): {}; associate each with a route table of its own, then export again",
                on_main.join(", ")
            )));
        }
    }
    let mut vpc = vec![
        ("id", Value::from(spec.vpc_id.trim())),
        ("subnets", map([("private", Value::Mapping(private))])),
    ];
    if !fully_private {
        vpc.push((
            "clusterEndpoints",
            map([
                ("privateAccess", private_access.into()),
                ("publicAccess", public_access.into()),
            ]),
        ));
        // 0.0.0.0/0 is EKS's default: listed only when narrower.
        let cidrs: Vec<String> = crate::rules::cidr::distinct(&cidrs)
            .into_iter()
            .filter(|c| c != "0.0.0.0/0")
            .collect();
        if public_access && !cidrs.is_empty() {
            for c in &cidrs {
                plain("clusterEndpoint.publicAccessCidrs", c)?;
            }
            vpc.push((
                "publicAccessCIDRs",
                Value::Sequence(cidrs.into_iter().map(Value::from).collect()),
            ));
        }
    }
    let private_cluster = fully_private.then(|| {
        // eksctl refuses additionalEndpointServices beside skipEndpointCreation; without
        // the spec's endpoints it makes its own set, which needs none of them here.
        map([
            ("enabled", true.into()),
            ("skipEndpointCreation", endpoints_ours(src).into()),
        ])
    });
    let network = cluster
        .and_then(|c| c.service_cidr.as_deref())
        .map(|cidr| map([("serviceIPv4CIDR", cidr.into())]));
    let addons = super::aws_node::configuration_values(spec).map(|values| {
        Value::Sequence(vec![map([
            ("name", "vpc-cni".into()),
            ("configurationValues", values.into()),
        ])])
    });
    let ng = spec.node_group.clone().unwrap_or_default();
    let ng_name = ng
        .name
        .clone()
        .unwrap_or_else(|| format!("{}-nodes", crate::spec::slug(&spec.metadata.name)));
    plain("nodeGroup.name", &ng_name)?;
    plain("nodeGroup.instanceType", &ng.instance_type)?;
    let mut group = vec![
        ("name", Value::from(ng_name)),
        ("instanceType", ng.instance_type.trim().into()),
        ("desiredCapacity", ng.desired_capacity.into()),
        ("privateNetworking", true.into()),
    ];
    if let Some(n) = node_max_pods(src, &ng)? {
        group.push(("maxPodsPerNode", n.into()));
    }
    let version = cluster.map(|c| c.version.clone()).filter(|v| !v.is_empty());
    let doc = map([
        ("apiVersion", "eksctl.io/v1alpha5".into()),
        ("kind", "ClusterConfig".into()),
        (
            "metadata",
            map([
                ("name", name.trim().into()),
                ("region", spec.region.as_str().into()),
                ("version", version.map(Value::from).unwrap_or(Value::Null)),
            ]),
        ),
        ("privateCluster", private_cluster.unwrap_or(Value::Null)),
        ("vpc", map(vpc)),
        ("kubernetesNetworkConfig", network.unwrap_or(Value::Null)),
        ("addons", addons.unwrap_or(Value::Null)),
        ("managedNodeGroups", Value::Sequence(vec![map(group)])),
    ]);
    let mut text = yaml(spec, &doc);
    let mut notes = vec![];
    if spec.node_group.is_none() {
        notes.push(format!(
            "The node group is a default ({} x{}): set nodeGroup in the spec to choose.",
            crate::spec::DEFAULT_INSTANCE_TYPE,
            crate::spec::DEFAULT_DESIRED_CAPACITY
        ));
    }
    if fully_private && !endpoints_ours(src) {
        notes.push("The spec lists no endpoints: eksctl creates its own set.".into());
    }
    if cluster.is_some() {
        notes.push(format!(
            "Cluster {name} exists: use this file with eksctl create nodegroup and eksctl utils, not create cluster."
        ));
    } else if spec.custom_networking.is_some() {
        // Nodes read their ENIConfig when they start: it must exist before the node group.
        notes.push(format!(
            "Custom networking: the ENIConfigs must exist before the node group's nodes start. Run eksctl create cluster -f {0}-eksctl.yaml --without-nodegroup, kubectl apply the ENIConfigs (the eniconfig export), then eksctl create nodegroup -f {0}-eksctl.yaml.",
            crate::spec::slug(name)
        ));
    }
    if !notes.is_empty() {
        let head_end = text.find('\n').map(|i| i + 1).unwrap_or(0);
        let block: String = notes.iter().map(|n| format!("# {n}\n")).collect();
        text.insert_str(head_end, &block);
    }
    Ok(vec![File::new(
        format!("{}-eksctl.yaml", crate::spec::slug(name)),
        text,
    )])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;
    use crate::spec::ClusterEndpoint;

    fn doc(s: &crate::spec::Spec) -> (String, Value) {
        let inv = testkit::inventory();
        let files = super::super::with_plan(s, &inv, render).unwrap();
        assert_eq!(files.len(), 1);
        let text = files[0].text.clone();
        (text.clone(), serde_yaml::from_str(&text).unwrap())
    }

    #[test]
    fn a_fully_private_cluster_skips_eksctl_endpoints_and_has_no_cluster_endpoints() {
        let inv = testkit::inventory();
        let mut s = testkit::spec();
        s.cluster_name = Some("prod".into());
        s.endpoints = Some(crate::spec::starter::base_endpoints(&inv, &s.metadata.name));
        s.cluster_endpoint = Some(ClusterEndpoint {
            private_access: true,
            public_access: false,
            public_access_cidrs: vec![],
            allow_https_from_cidrs: vec![],
        });
        let (text, v) = doc(&s);
        assert!(text.starts_with("# Written by eks-private-tui "), "{text}");
        assert_eq!(v["apiVersion"], "eksctl.io/v1alpha5");
        assert_eq!(v["privateCluster"]["enabled"], true);
        assert_eq!(v["privateCluster"]["skipEndpointCreation"], true);
        assert!(
            v["privateCluster"]
                .get("additionalEndpointServices")
                .is_none()
        );
        assert!(v["vpc"].get("clusterEndpoints").is_none(), "{text}");
        for (az, id) in &s.node_subnets {
            assert_eq!(
                v["vpc"]["subnets"]["private"][az.as_str()]["id"],
                id.as_str()
            );
        }
        let ng = &v["managedNodeGroups"][0];
        assert_eq!(ng["privateNetworking"], true);
        assert!(
            ng.get("maxPodsPerNode").is_none(),
            "no custom networking: {text}"
        );
        assert!(v.get("addons").is_none());
    }

    #[test]
    fn public_access_and_custom_networking_show_in_the_config() {
        let mut s = testkit::spec();
        s.cluster_name = Some("prod".into());
        s.cluster_endpoint = Some(ClusterEndpoint {
            private_access: true,
            public_access: true,
            public_access_cidrs: vec!["203.0.113.0/24".into(), "203.0.113.0/24".into()],
            allow_https_from_cidrs: vec![],
        });
        s.custom_networking = Some(crate::spec::CustomNetworking {
            eni_config_label: crate::spec::LABEL_ZONE.into(),
            security_group_ids: vec![],
            prefix_delegation: false,
        });
        let (text, v) = doc(&s);
        assert!(v.get("privateCluster").is_none(), "{text}");
        assert_eq!(v["vpc"]["clusterEndpoints"]["publicAccess"], true);
        assert_eq!(
            v["vpc"]["publicAccessCIDRs"],
            Value::Sequence(vec!["203.0.113.0/24".into()])
        );
        let values: serde_json::Value =
            serde_json::from_str(v["addons"][0]["configurationValues"].as_str().unwrap()).unwrap();
        assert_eq!(values["env"]["AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"], "true");
        // m5.large with custom networking: (3 - 1) x (10 - 1) + 2.
        assert_eq!(v["managedNodeGroups"][0]["maxPodsPerNode"], 20);
        assert!(text.contains("set nodeGroup in the spec"), "{text}");
        // Prefix delegation: capped at EKS's 110.
        s.custom_networking.as_mut().unwrap().prefix_delegation = true;
        let (_, v) = doc(&s);
        assert_eq!(v["managedNodeGroups"][0]["maxPodsPerNode"], 110);
        // A type over 30 vCPUs: the calculator's 250 in both modes (not 688, not 110).
        s.node_group = Some(NodeGroup {
            instance_type: "m5.16xlarge".into(),
            ..NodeGroup::default()
        });
        let (_, v) = doc(&s);
        assert_eq!(v["managedNodeGroups"][0]["maxPodsPerNode"], 250);
        s.custom_networking.as_mut().unwrap().prefix_delegation = false;
        let (_, v) = doc(&s);
        assert_eq!(v["managedNodeGroups"][0]["maxPodsPerNode"], 250);
    }

    #[test]
    fn what_the_spec_lacks_is_named() {
        let inv = testkit::inventory();
        let mut s = testkit::spec();
        s.cluster_name = None;
        let e = super::super::with_plan(&s, &inv, render)
            .unwrap_err()
            .to_string();
        assert!(e.contains("add clusterName"), "{e}");
        let mut s = testkit::spec();
        s.cluster_name = Some("prod".into());
        s.custom_networking = Some(crate::spec::CustomNetworking {
            eni_config_label: crate::spec::LABEL_ZONE.into(),
            security_group_ids: vec![],
            prefix_delegation: false,
        });
        s.node_group = Some(NodeGroup {
            instance_type: "x9.huge".into(),
            ..NodeGroup::default()
        });
        let e = super::super::with_plan(&s, &inv, render)
            .unwrap_err()
            .to_string();
        assert!(e.contains("nodeGroup.maxPods"), "{e}");
    }

    /// Issue 25 (S4, eksctl's vpc_existing.go): a fully private cluster on a node subnet
    /// that uses the main route table is refused, naming the subnet; a new cluster with
    /// custom networking is told to make the ENIConfigs before the node group.
    #[test]
    fn eksctl_would_refuse_it_so_the_export_does() {
        let mut inv = testkit::inventory();
        let mut s = testkit::spec();
        s.cluster_endpoint = Some(ClusterEndpoint {
            private_access: true,
            public_access: false,
            public_access_cidrs: vec![],
            allow_https_from_cidrs: vec![],
        });
        testkit::vpc_mut(&mut inv).subnets[3].main_route_table = true;
        let e = super::super::with_plan(&s, &inv, render)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("(S4): subnet-priv-b") && e.contains("main route table"),
            "{e}"
        );
        // With public access kept eksctl imports no route tables: written.
        s.cluster_endpoint.as_mut().unwrap().public_access = true;
        assert!(super::super::with_plan(&s, &inv, render).is_ok());
        // A cluster still to be made, with custom networking: the order is said.
        let mut inv = testkit::inventory();
        inv.clusters.clear();
        s.custom_networking = Some(crate::spec::CustomNetworking {
            eni_config_label: crate::spec::LABEL_ZONE.into(),
            security_group_ids: vec![],
            prefix_delegation: false,
        });
        let text = &super::super::with_plan(&s, &inv, render).unwrap()[0].text;
        assert!(
            text.contains("--without-nodegroup, kubectl apply the ENIConfigs"),
            "{text}"
        );
        let steps: Vec<String> = super::super::next_steps(&s, &inv)
            .into_iter()
            .map(|x| x.what)
            .collect();
        let at = |needle: &str| {
            steps
                .iter()
                .position(|x| x.contains(needle))
                .unwrap_or_else(|| panic!("{needle}: {steps:#?}"))
        };
        assert!(at("--without-nodegroup") < at("ENIConfigs"));
        assert!(at("ENIConfigs") < at("eksctl create nodegroup"));
        assert!(
            !steps.iter().any(|x| x.contains("roll the nodes")),
            "no node to roll yet"
        );
    }
}
