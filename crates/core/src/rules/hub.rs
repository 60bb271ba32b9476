//! Rules: P11.
//! P11: centralised endpoints (hub and spoke). A private hosted zone associated with the
//! VPC that answers a service's hostname (shared from a hub that runs the endpoints), or a
//! Route 53 Profile associated with it, already resolves those names in the VPC: a local
//! endpoint with private DNS would conflict. Say which services the hub covers and which
//! it misses; the plan does not create local endpoints for the covered ones.

use super::{Context, Finding, Id, Severity, rule};
use crate::inventory::Unread;

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(v) = ctx.vpc else { return };
    let inv = ctx.inv;
    for u in inv.unread.iter().filter(|u| {
        u.what == Unread::hosted_zones_of(&v.id) || u.what == Unread::profiles_of(&v.id)
    }) {
        out.push(super::unread_finding(
            Id::P11,
            &v.id,
            u,
            "the endpoints a hub may already answer for this VPC",
        ));
    }
    for p in v.route53_profiles.iter().flatten() {
        out.push(rule(Id::P11).at(
            &v.id,
            format!(
                "Route 53 Profile {} ({}, owner {}) is associated with {}: the hosted zones it carries answer here, and a local endpoint with private DNS for a service they cover conflicts",
                p.name, p.profile_id, p.owner_id, v.id
            ),
        ).fix("ask the Profile's owner which endpoint names it carries, and leave those services out of endpoints.services"));
    }
    let cat = crate::spec::services::catalogue();
    let interface: Vec<&str> = cat
        .services
        .iter()
        .filter(|s| !s.gateway)
        .map(|s| s.name.as_str())
        .collect();
    let covered: Vec<(&str, &crate::inventory::HostedZone)> = interface
        .iter()
        .filter_map(|s| inv.hub_zone_for(v, s).map(|z| (*s, z)))
        .collect();
    if covered.is_empty() {
        return;
    }
    let chosen = ctx.spec.and_then(|s| s.endpoints.as_ref());
    // What the cluster needs: the spec's services, else the base set.
    let needed: Vec<&str> = match chosen {
        Some(ep) => ep
            .services
            .iter()
            .map(String::as_str)
            .filter(|s| *s != "s3")
            .collect(),
        None => crate::spec::services::base_services()
            .iter()
            .copied()
            .filter(|s| *s != "s3")
            .collect(),
    };
    let names = |l: &[&str]| l.join(", ");
    let hub: Vec<&str> = covered.iter().map(|(s, _)| *s).collect();
    let missed: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|s| !hub.contains(s))
        .collect();
    out.push(rule(Id::P11).at(
        &v.id,
        format!(
            "private hosted zones associated with {} answer {} (a hub's endpoints){}",
            v.id,
            names(&hub),
            if missed.is_empty() {
                String::new()
            } else {
                format!("; not {}, which still need endpoints here", names(&missed))
            }
        ),
    ));
    let Some(ep) = chosen else { return };
    for (i, svc) in ep.services.iter().enumerate() {
        let Some((_, z)) = covered.iter().find(|(s, _)| s == svc) else {
            continue;
        };
        let local = v
            .endpoints
            .iter()
            .any(|e| &e.service == svc && !e.state.is_gone());
        let host = inv.service_host(svc);
        let message = if local {
            format!(
                "{host} is answered in {} by the private hosted zone {} ({}, owner {}) and a local {svc} endpoint exists too: which one clients reach depends on the zone, not on the endpoint",
                v.id, z.name, z.id, z.owner
            )
        } else if ep.private_dns {
            format!(
                "{host} is answered in {} by the private hosted zone {} ({}, owner {}): the plan creates no local {svc} endpoint, whose private DNS would conflict with it",
                v.id, z.name, z.id, z.owner
            )
        } else {
            format!(
                "{host} is answered in {} by the private hosted zone {} ({}, owner {}): a local {svc} endpoint without private DNS is reached only by its own names",
                v.id, z.name, z.id, z.owner
            )
        };
        out.push(
            rule(Id::P11)
                .at(format!("endpoints.services[{i}]"), message)
                .severity(if local {
                    Severity::Warn
                } else {
                    Severity::Info
                })
                .fix(format!(
                    "leave {svc} out of endpoints.services: the hub covers it"
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Severity, evaluate, testkit};
    use crate::inventory::{HostedZone, ProfileAssociation, Unread};

    fn hub(inv: &mut crate::inventory::Inventory, zones: &[&str]) {
        inv.vpcs[0].hosted_zones = Some(
            zones
                .iter()
                .map(|n| HostedZone {
                    id: format!("Z{}", n.len()),
                    name: n.to_string(),
                    owner: "999999999999".into(),
                })
                .collect(),
        );
    }

    #[test]
    fn a_hub_zone_covers_its_services_and_the_plan_leaves_them_out() {
        let mut inv = testkit::inventory();
        hub(
            &mut inv,
            &["sts.eu-west-1.amazonaws.com", "ecr.eu-west-1.amazonaws.com"],
        );
        let spec = testkit::with_access(testkit::with_endpoints(testkit::spec()));
        let f = evaluate(&inv, Some(&spec), None, None);
        let p11: Vec<_> = f.iter().filter(|x| x.id == "P11").collect();
        let summary = p11
            .iter()
            .find(|x| x.subject == "vpc-prod")
            .unwrap_or_else(|| panic!("{f:#?}"));
        assert!(
            summary.message.contains("answer ecr.api, ecr.dkr, sts")
                && summary.message.contains("not ec2"),
            "{summary:#?}"
        );
        assert_eq!(
            p11.iter()
                .filter(|x| x.subject.starts_with("endpoints.services["))
                .count(),
            3,
            "{p11:#?}"
        );
        let plan = crate::plan::plan(&spec, &inv);
        let created: Vec<&str> = plan
            .actions
            .iter()
            .map(|a| a.address.as_str())
            .filter(|a| a.starts_with("endpoint."))
            .collect();
        assert!(created.contains(&"endpoint.ec2"), "{created:?}");
        for covered in ["endpoint.sts", "endpoint.ecr_api", "endpoint.ecr_dkr"] {
            assert!(!created.contains(&covered), "{created:?}");
        }
        // The readiness audit does not ask for what the hub covers.
        let f = evaluate(&inv, None, None, Some("prod"));
        let p7: Vec<&str> = f
            .iter()
            .filter(|x| x.id == "P7")
            .map(|x| x.message.as_str())
            .collect();
        assert!(p7.iter().any(|m| m.contains("no ec2")), "{p7:?}");
        assert!(!p7.iter().any(|m| m.contains("no sts")), "{p7:?}");
        // Without the hub: nothing said, everything planned.
        let clean = testkit::inventory();
        assert!(
            !evaluate(&clean, Some(&spec), None, None)
                .iter()
                .any(|x| x.id == "P11")
        );
        assert!(
            crate::plan::plan(&spec, &clean)
                .actions
                .iter()
                .any(|a| a.address == "endpoint.sts")
        );
    }

    #[test]
    fn a_profile_is_said_and_unread_dns_names_the_permission() {
        let mut inv = testkit::inventory();
        inv.vpcs[0].route53_profiles = Some(vec![ProfileAssociation {
            id: "rpassoc-1".into(),
            profile_id: "rp-hub".into(),
            name: "hub-endpoints".into(),
            owner_id: "999999999999".into(),
            status: "COMPLETE".into(),
        }]);
        inv.unread.push(Unread {
            call: "route53:ListHostedZonesByVPC".into(),
            what: "the private hosted zones of vpc-prod".into(),
            access_denied: true,
            reason: "User is not authorized to perform: route53:ListHostedZonesByVPC".into(),
        });
        let f = evaluate(&inv, None, None, Some("prod"));
        let p11: Vec<_> = f.iter().filter(|x| x.id == "P11").collect();
        assert!(p11.iter().any(|x| x.message.contains("rp-hub")), "{p11:#?}");
        assert!(
            p11.iter()
                .any(|x| x.severity == Severity::Warn
                    && x.fix.contains("route53:ListHostedZonesByVPC")),
            "{p11:#?}"
        );
    }
}
