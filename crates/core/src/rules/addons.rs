//! Rules: P8, P9.
//! P8, P9 from what the cluster runs: an EKS add-on the endpoint catalogue knows
//! (`addons` in assets/endpoints.toml) needs its feature's services whatever the spec
//! names. Against the spec's endpoints when it has chosen them (with the VPC's live ones),
//! else against the VPC as it is, as the readiness audit (R1) does. Add-ons that could not
//! be read say so (P9), naming the missing permission.

use super::readiness::egress_breaks;
use super::{Context, Finding, Id, rule};

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let (Some(v), Some(c)) = (ctx.vpc, ctx.cluster) else {
        return;
    };
    let subject = format!("cluster {} add-ons", c.name);
    if c.addons.is_none()
        && let Some(u) = ctx
            .inv
            .unread
            .iter()
            .find(|u| u.what == crate::inventory::Unread::addons_of(&c.name))
    {
        out.push(super::unread_finding(
            Id::P9,
            &subject,
            u,
            "the endpoints its add-ons need",
        ));
    }
    let cat = crate::spec::services::catalogue();
    // What the cluster runs: its EKS add-ons, and Bottlerocket node groups (their AMI type
    // says so, so the spec need not name the feature).
    let mut runs: Vec<(String, &crate::spec::services::Feature)> = c
        .addons
        .iter()
        .flatten()
        .filter_map(|a| Some((format!("the {a} add-on"), cat.feature_of_addon(a)?)))
        .collect();
    if let Some(f) = cat.feature("bottlerocket") {
        runs.extend(
            c.node_groups
                .iter()
                .flatten()
                .filter(|g| g.is_bottlerocket())
                .map(|g| (format!("the Bottlerocket node group {}", g.name), f)),
        );
    }
    if runs.is_empty() {
        return;
    }
    let live: Vec<&crate::inventory::Endpoint> =
        v.endpoints.iter().filter(|e| e.state.is_usable()).collect();
    let chosen = ctx.spec.and_then(|s| s.endpoints.as_ref());
    let has = |svc: &str| {
        live.iter().any(|e| e.service == svc)
            || chosen.is_some_and(|ep| ep.services.iter().any(|s| s == svc))
    };
    // Without chosen endpoints this is the readiness audit: when does the gap break it.
    let when = if chosen.is_none() {
        egress_breaks(ctx)
    } else {
        None
    };
    for (what, f) in runs {
        let lacking: Vec<&str> = f
            .services
            .iter()
            .map(String::as_str)
            .filter(|s| !has(s))
            .collect();
        if !lacking.is_empty() {
            let unoffered: Vec<&str> = lacking
                .iter()
                .copied()
                .filter(|s| !ctx.inv.offers(s))
                .collect();
            let mut message = format!(
                "cluster {} runs {what} ({}), which needs {} endpoints",
                c.name,
                f.title,
                lacking.join(", ")
            );
            if !unoffered.is_empty() {
                message.push_str(&format!(
                    "; {} not offered as endpoints in {}",
                    unoffered.join(", "),
                    ctx.inv.region
                ));
            }
            let fix = match chosen {
                Some(_) => format!(
                    "add {} to endpoints.services (or \"{}\" to endpoints.features)",
                    lacking.join(", "),
                    f.id
                ),
                None => format!(
                    "create the {} endpoints in the node subnets (a spec with endpoints.features [\"{}\"] plans them)",
                    lacking.join(", "),
                    f.id
                ),
            };
            let mut finding = rule(Id::P9).at(&subject, message).fix(fix);
            if let Some(when) = when {
                finding = finding.breaks(when);
            }
            out.push(finding);
        }
        if f.id == "pod-identity" {
            let private_dns = match chosen {
                Some(ep) if ep.services.iter().any(|s| s == "eks-auth") => ep.private_dns,
                _ => live
                    .iter()
                    .find(|e| e.service == "eks-auth")
                    .is_none_or(|e| e.private_dns),
            };
            if !private_dns {
                out.push(rule(Id::P8).at(
                    &subject,
                    format!(
                        "cluster {} runs {what} and the eks-auth endpoint has no private DNS: the agent's name is under api.aws, which a self-managed DNS must answer",
                        c.name
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit;
    use super::super::{Severity, evaluate};
    use crate::inventory::Unread;

    fn with_addons(addons: Option<Vec<&str>>) -> crate::inventory::Inventory {
        let mut inv = testkit::inventory();
        inv.clusters[0].addons = addons.map(|a| a.into_iter().map(str::to_string).collect());
        inv
    }

    #[test]
    fn a_running_pod_identity_agent_needs_eks_auth() {
        let inv = with_addons(Some(vec!["vpc-cni", "eks-pod-identity-agent"]));
        // The readiness audit (no spec): nothing in the VPC serves eks-auth.
        let f = evaluate(&inv, None, None, Some("prod"));
        let p9: Vec<_> = f.iter().filter(|x| x.id == "P9").collect();
        assert_eq!(p9.len(), 1, "{f:#?}");
        assert!(
            p9[0].message.contains("eks-pod-identity-agent") && p9[0].message.contains("eks-auth")
        );
        assert!(p9[0].breaks.is_some());
        // A spec with endpoints that lack it: the fix names the spec fields.
        let spec = testkit::with_access(testkit::with_endpoints(testkit::spec()));
        let f = evaluate(&inv, Some(&spec), None, None);
        let p9 = f
            .iter()
            .find(|x| x.id == "P9" && x.subject.ends_with("add-ons"))
            .unwrap_or_else(|| panic!("{f:#?}"));
        assert!(
            p9.fix.contains("endpoints.services") && p9.breaks.is_none(),
            "{p9:#?}"
        );
        // Not without the add-on.
        let inv = with_addons(Some(vec!["vpc-cni", "coredns"]));
        assert!(
            !evaluate(&inv, Some(&spec), None, None)
                .iter()
                .any(|x| x.subject.ends_with("add-ons"))
        );
    }

    #[test]
    fn the_spec_or_the_vpc_covering_it_is_clean() {
        let inv = with_addons(Some(vec!["eks-pod-identity-agent"]));
        let mut spec = testkit::with_access(testkit::with_endpoints(testkit::spec()));
        let ep = spec.endpoints.as_mut().unwrap();
        ep.services.push("eks-auth".into());
        let f = evaluate(&inv, Some(&spec), None, None);
        assert!(!f.iter().any(|x| x.subject.ends_with("add-ons")), "{f:#?}");
        // Self-managed DNS: P8.
        spec.endpoints.as_mut().unwrap().private_dns = false;
        let f = evaluate(&inv, Some(&spec), None, None);
        assert!(
            f.iter()
                .any(|x| x.id == "P8" && x.subject.ends_with("add-ons")),
            "{f:#?}"
        );
    }

    #[test]
    fn add_ons_that_could_not_be_read_say_which_permission() {
        let mut inv = with_addons(None);
        inv.unread.push(Unread {
            call: "eks:ListAddons".into(),
            what: "the add-ons of cluster prod".into(),
            access_denied: true,
            reason: "User: arn:aws:iam::1:user/x is not authorized to perform: eks:ListAddons"
                .into(),
        });
        let f = evaluate(&inv, None, None, Some("prod"));
        let p9 = f
            .iter()
            .find(|x| x.id == "P9")
            .unwrap_or_else(|| panic!("{f:#?}"));
        assert_eq!(p9.severity, Severity::Warn);
        assert!(
            p9.message.contains("eks:ListAddons") && p9.fix.contains("eks:ListAddons"),
            "{p9:#?}"
        );
        // Not offered (an emulator, or a region without the API): info, no permission asked.
        inv.unread[0].access_denied = false;
        let f = evaluate(&inv, None, None, Some("prod"));
        let p9 = f.iter().find(|x| x.id == "P9").unwrap();
        assert_eq!(p9.severity, Severity::Info);
        assert!(!p9.fix.contains("grant"), "{p9:#?}");
    }

    /// Issue 25 (R1, P9): Bottlerocket nodes are known from their node group's AMI type,
    /// and need the feature's endpoints whether or not the spec names it.
    #[test]
    fn bottlerocket_is_known_from_the_node_group_s_ami_type() {
        let mut inv = testkit::inventory();
        inv.clusters[0].addons = Some(vec![]);
        inv.clusters[0].node_groups = Some(vec![crate::inventory::NodeGroup {
            name: "br".into(),
            ami_type: "BOTTLEROCKET_x86_64".into(),
            subnet_ids: vec!["subnet-priv-a".into()],
            ..Default::default()
        }]);
        let f = evaluate(&inv, None, None, Some("prod"));
        let p9 = f
            .iter()
            .find(|x| x.id == "P9" && x.message.contains("the Bottlerocket node group br"))
            .unwrap_or_else(|| panic!("{f:#?}"));
        assert!(p9.message.contains("ecr.api, ecr.dkr"), "{p9:?}");
        assert_eq!(p9.severity, Severity::Warn, "breaks once the NAT is gone");
        inv.clusters[0].node_groups.as_mut().unwrap()[0].ami_type = "AL2023_x86_64_STANDARD".into();
        assert!(
            !evaluate(&inv, None, None, Some("prod"))
                .iter()
                .any(|x| x.message.contains("Bottlerocket"))
        );
    }
}
