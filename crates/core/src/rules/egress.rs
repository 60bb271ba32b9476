//! Rules: E1, E2, X4, X5, X6, X7, X9.
//! E1, E2 and X4–X7: what nodes and workloads without an internet path still need.

use super::{Context, Finding, Id, Severity, rule};
use crate::inventory::{EndpointState, SubnetKind};

/// Whether the setup ends with no internet path: isolated node subnets, or the public
/// endpoint turned off.
fn goes_private(ctx: &Context) -> bool {
    let (Some(v), Some(spec)) = (ctx.vpc, ctx.spec) else {
        return false;
    };
    let isolated = spec
        .node_subnets
        .values()
        .any(|id| v.subnet(id).is_some_and(|s| s.kind == SubnetKind::Isolated));
    isolated
        || spec
            .cluster_endpoint
            .as_ref()
            .is_some_and(|e| !e.public_access)
}

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let (Some(v), Some(spec)) = (ctx.vpc, ctx.spec) else {
        return;
    };
    let no_egress: Vec<&str> = spec
        .node_subnets
        .values()
        .filter(|id| v.subnet(id).is_some_and(|s| s.kind == SubnetKind::Isolated))
        .map(String::as_str)
        .collect();
    let planned = |svc: &str| {
        spec.endpoints
            .as_ref()
            .is_some_and(|e| e.services.iter().any(|s| s == svc))
            || v.endpoints
                .iter()
                .any(|e| e.service == svc && e.state == EndpointState::Available)
    };
    if !no_egress.is_empty() {
        // E1
        if !planned("sts") {
            out.push(rule(Id::E1).at(
                "endpoints.services",
                format!("node subnets {} have no internet path and no sts endpoint is planned or present", no_egress.join(", ")),
            ));
        }
        // E2
        if !ctx.inv.offers("eks") {
            out.push(rule(Id::E2).at(
                "endpoints.services",
                format!("EKS API PrivateLink is not offered in {}: self-managed nodes cannot call DescribeCluster from the VPC (managed node groups do not need it)", ctx.inv.region),
            ).severity(Severity::Info)
            .fix("use managed node groups, or give self-managed nodes apiServerEndpoint and certificateAuthority in their bootstrap configuration: they then need no EKS API"));
        } else if !planned("eks") {
            out.push(rule(Id::E2).at(
                "endpoints.services",
                "no eks endpoint: self-managed node bootstrap (when not given the API endpoint and CA) and in-VPC EKS API calls (Karpenter, eksctl) fail without an internet path",
            ));
        }
    }
    if goes_private(ctx) {
        for id in [Id::X4, Id::X5, Id::X6, Id::X7] {
            let r = rule(id);
            out.push(r.at("cluster", r.title));
        }
        // X9: pods that take credentials from the Pod Identity agent (the add-on runs, or
        // the spec names the feature) call it on the node's link-local addresses.
        let spec_names = ctx.spec.is_some_and(|s| {
            s.endpoints
                .as_ref()
                .is_some_and(|e| e.features.iter().any(|f| f == "pod-identity"))
        });
        let runs = ctx.cluster.is_some_and(|c| {
            c.addons
                .iter()
                .flatten()
                .any(|a| a == "eks-pod-identity-agent")
        });
        if spec_names || runs {
            out.push(rule(Id::X9).at(
                "cluster",
                "EKS Pod Identity: pods get credentials from the agent on 169.254.170.23 and fd00:ec2::23 of their node; behind an HTTP proxy both belong in no_proxy (the no-proxy export lists them)",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Severity;
    use super::super::testkit::*;
    use crate::inventory::EndpointService;

    fn isolated_spec() -> crate::spec::Spec {
        let mut s = spec();
        s.node_subnets
            .insert("eu-west-1a".into(), "subnet-data-a".into());
        s
    }

    #[test]
    fn e1_e2_for_nodes_without_egress() {
        let inv = inventory();
        let s = isolated_spec();
        assert!(has(&inv, &s, "E1", Severity::Error, ""));
        assert!(has(&inv, &s, "E2", Severity::Warn, ""));
        // NAT subnets have an internet path: neither applies.
        assert!(!has(&inv, &spec(), "E1", Severity::Error, ""));
        // Planned endpoints satisfy them.
        let mut s2 = s.clone();
        s2.endpoints = Some(crate::spec::Endpoints {
            services: vec!["sts".into(), "eks".into()],
            features: vec![],
            private_dns: true,
            security_group: crate::spec::SecurityGroupChoice {
                id: None,
                create: Some(crate::spec::CreateSecurityGroup { name: "ep".into() }),
            },
            extra_route_table_ids: vec![],
        });
        assert!(!has(&inv, &s2, "E1", Severity::Error, ""));
        assert!(!has(&inv, &s2, "E2", Severity::Warn, ""));
        // A region without EKS PrivateLink: said, as information.
        let mut no_eks = inventory();
        no_eks.endpoint_services = vec![EndpointService {
            service: "sts".into(),
            ..Default::default()
        }];
        assert!(has(&no_eks, &s, "E2", Severity::Info, ""));
        // Self-managed nodes given the API endpoint and CA need no EKS API: both fixes say so.
        for inv in [&inv, &no_eks] {
            let e2 = super::super::evaluate(inv, Some(&s), None, None)
                .into_iter()
                .find(|f| f.id == "E2")
                .unwrap();
            assert!(
                e2.fix
                    .contains("apiServerEndpoint and certificateAuthority"),
                "{e2:?}"
            );
        }
    }

    #[test]
    fn x4_to_x7_once_private() {
        let inv = inventory();
        for id in ["X4", "X5", "X6", "X7"] {
            assert!(has(&inv, &isolated_spec(), id, Severity::Info, ""), "{id}");
            assert!(
                !has(&inv, &spec(), id, Severity::Info, ""),
                "{id} with NAT egress and public access"
            );
        }
        // The OIDC host users copy into no_proxy is oidc.eks.<region>.amazonaws.com.
        let x7 = super::super::evaluate(&inv, Some(&isolated_spec()), None, None)
            .into_iter()
            .find(|f| f.id == "X7")
            .unwrap();
        assert!(
            x7.fix.contains("oidc.eks.<region>.amazonaws.com") && !x7.fix.contains("oidc.<region>"),
            "{x7:?}"
        );
    }

    /// Issue 25 (X9): Pod Identity's agent addresses belong in no_proxy once the cluster
    /// goes private and pods use the agent.
    #[test]
    fn x9_the_pod_identity_agent_bypasses_the_proxy() {
        let mut inv = inventory();
        let s = isolated_spec();
        assert!(!has(&inv, &s, "X9", Severity::Info, ""));
        inv.clusters[0].addons = Some(vec!["eks-pod-identity-agent".into()]);
        assert!(has(
            &inv,
            &s,
            "X9",
            Severity::Info,
            "169.254.170.23 and fd00:ec2::23"
        ));
        assert!(!has(&inv, &spec(), "X9", Severity::Info, ""), "not private");
    }
}
