//! Rules: G1, G2, P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, P13.
//! P and G rules: VPC endpoints (spec.endpoints) and their security group.

use super::cidr::parse_v4;
use super::{Context, Finding, Id, Severity, rule};
use crate::spec::services::base_services;

/// Largest endpoint policy AWS accepts (rule P6).
pub const MAX_POLICY_CHARS: usize = 20_480;

fn statements(doc: &serde_json::Value) -> Vec<serde_json::Value> {
    match &doc["Statement"] {
        serde_json::Value::Array(a) => a.clone(),
        s @ serde_json::Value::Object(_) => vec![s.clone()],
        _ => vec![],
    }
}

/// What is wrong with an endpoint policy (P6): too long, not JSON, a statement without
/// a Principal.
pub fn policy_problems(policy: &str) -> Vec<String> {
    let mut out = vec![];
    let n = policy.chars().count();
    if n > MAX_POLICY_CHARS {
        out.push(format!(
            "the policy has {n} characters; the limit is {MAX_POLICY_CHARS}"
        ));
    }
    match serde_json::from_str::<serde_json::Value>(policy) {
        Err(e) => out.push(format!("the policy is not JSON: {e}")),
        Ok(doc) => {
            let st = statements(&doc);
            if st.is_empty() {
                out.push("the policy has no Statement".into());
            }
            for (i, s) in st.iter().enumerate() {
                if s.get("Principal").is_none() && s.get("NotPrincipal").is_none() {
                    out.push(format!("statement {i} names no Principal"));
                }
            }
        }
    }
    out
}

/// Whether an S3 gateway policy lets nodes fetch ECR image layers (P5): full access, or a
/// statement naming the region's layer bucket.
pub fn s3_policy_allows_ecr_layers(policy: &str, region: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(policy) else {
        return false;
    };
    let bucket = format!("prod-{region}-starport-layer-bucket");
    let is_star = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s == "*",
        serde_json::Value::Array(a) => a.iter().any(|x| x == "*"),
        _ => false,
    };
    statements(&doc).iter().any(|s| {
        s["Effect"] == "Allow"
            && ((is_star(&s["Resource"]) && (is_star(&s["Action"]) || s["Action"] == "s3:*"))
                || s["Resource"].to_string().contains(&bucket))
    })
}

/// The node AZs, as (AZ, node subnet), where the endpoint `e` has no subnet although its
/// service is offered there (rule P2; the plan adds those subnets to an adopted one).
pub fn missing_node_azs<'a>(
    v: &crate::inventory::Vpc,
    e: &crate::inventory::Endpoint,
    service: Option<&crate::inventory::EndpointService>,
    nodes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let covered: Vec<&str> = e
        .subnet_ids
        .iter()
        .filter_map(|id| v.subnet(id))
        .map(|s| s.az.as_str())
        .collect();
    nodes
        .iter()
        .filter(|(az, _)| !covered.contains(az))
        .filter(|(az, _)| {
            service.is_none_or(|x| {
                x.availability_zones.is_empty() || x.availability_zones.iter().any(|a| a == az)
            })
        })
        .copied()
        .collect()
}

/// Where an existing interface endpoint falls short of nodes and pods: the node AZs the
/// service supports that hold no subnet of the endpoint (`(az, node subnet)`), and the
/// senders (node subnets, pod ranges) none of its groups lets in on tcp/443, by CIDR, by a
/// group they carry or by a prefix list. `None` for the senders when its groups are of
/// another VPC or were not read (nothing to judge by).
pub(super) struct Gaps<'a> {
    pub missing_azs: Vec<(&'a str, &'a str)>,
    pub shut: Option<Vec<String>>,
}

pub(super) fn endpoint_gaps<'a>(
    inv: &crate::inventory::Inventory,
    v: &crate::inventory::Vpc,
    e: &crate::inventory::Endpoint,
    service: Option<&crate::inventory::EndpointService>,
    nodes: &[(&'a str, &'a str)],
    senders: &[crate::inventory::Sender],
) -> Gaps<'a> {
    let missing_azs = missing_node_azs(v, e, service, nodes);
    let groups: Vec<&crate::inventory::SecurityGroup> = v
        .security_groups
        .iter()
        .filter(|g| e.security_group_ids.contains(&g.id))
        .collect();
    let shut = (!groups.is_empty()).then(|| {
        senders
            .iter()
            .filter(|s| {
                !groups
                    .iter()
                    .any(|g| g.admits_tcp(443, s, &inv.prefix_lists))
            })
            .map(|s| s.cidr.clone())
            .collect()
    });
    Gaps { missing_azs, shut }
}

/// P2 for an endpoint that lacks subnets in node AZs: `what` names it.
pub(super) fn p2_missing_azs(
    e: &crate::inventory::Endpoint,
    what: &str,
    missing: &[(&str, &str)],
) -> Finding {
    rule(Id::P2)
        .at(
            &e.id,
            format!(
                "{what} {} ({}) has no subnet in {}: nodes there cross AZs to reach it, and lose it with its AZ",
                e.id,
                e.service,
                missing.iter().map(|(az, _)| *az).collect::<Vec<_>>().join(", ")
            ),
        )
        .severity(Severity::Warn)
        .fix(format!(
            "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-subnet-ids {}",
            e.id,
            missing.iter().map(|(_, s)| *s).collect::<Vec<_>>().join(" ")
        ))
}

/// G1 for an endpoint whose groups shut out `shut`: `what` names it, `why` says what
/// follows.
pub(super) fn g1_shut(
    e: &crate::inventory::Endpoint,
    what: &str,
    shut: &[String],
    why: &str,
) -> Finding {
    rule(Id::G1)
        .at(
            &e.id,
            format!(
                "{what} {} ({}) does not let tcp/443 in from {}: {why}",
                e.id,
                e.service,
                shut.join(", "),
            ),
        )
        .remedies(shut.iter().map(|c| super::Remedy::Ingress {
            groups: e.security_group_ids.clone(),
            protocol: "tcp",
            port: 443,
            cidr: c.clone(),
        }))
        .fix(format!(
            "aws ec2 authorize-security-group-ingress --group-id {} --protocol tcp --port 443 --cidr {} (and each other CIDR)",
            e.security_group_ids.first().map(String::as_str).unwrap_or("<group>"),
            shut[0]
        ))
}

/// An adopted interface endpoint is used as it is (the plan does not change it): say where
/// it falls short of what the spec's nodes and pods need. P2: a node AZ the service
/// supports without a subnet of the endpoint; G1: a node or pod subnet CIDR none of its
/// groups lets in on tcp/443.
fn check_adopted(
    ctx: &Context,
    spec: &crate::spec::Spec,
    e: &crate::inventory::Endpoint,
    service: Option<&crate::inventory::EndpointService>,
    out: &mut Vec<Finding>,
) {
    let Some(v) = ctx.vpc else { return };
    let nodes: Vec<(&str, &str)> = spec
        .node_subnets
        .iter()
        .map(|(az, id)| (az.as_str(), id.as_str()))
        .collect();
    let senders = super::senders::of_spec(spec, v, ctx.cluster);
    let gaps = endpoint_gaps(ctx.inv, v, e, service, &nodes, &senders);
    if !gaps.missing_azs.is_empty() {
        // The plan adds the node subnets (ModifyVpcEndpoint): said as the account is.
        out.push(
            p2_missing_azs(e, "the adopted", &gaps.missing_azs).remedies(
                gaps.missing_azs
                    .iter()
                    .map(|(_, subnet)| super::Remedy::EndpointSubnet {
                        endpoint: e.id.clone(),
                        subnet: subnet.to_string(),
                    }),
            ),
        );
    }
    if let Some(shut) = gaps.shut.filter(|s| !s.is_empty()) {
        out.push(g1_shut(
            e,
            "the adopted",
            &shut,
            &format!(
                "its groups {} are not changed by the plan",
                e.security_group_ids.join(", ")
            ),
        ));
    }
}

/// P8, P9, P10: the features the spec names need their services, and what no endpoint
/// provides is said.
fn features(
    ep: &crate::spec::Endpoints,
    inv: &crate::inventory::Inventory,
    out: &mut Vec<Finding>,
) {
    let cat = crate::spec::services::catalogue();
    for (i, id) in ep.features.iter().enumerate() {
        let field = format!("endpoints.features[{i}]");
        let Some(f) = cat.feature(id) else {
            out.push(
                rule(Id::P9)
                    .at(
                        &field,
                        format!("{id:?} is not a feature this version knows"),
                    )
                    .severity(Severity::Error)
                    .fix(format!("use one of: {}", cat.feature_ids().join(", "))),
            );
            continue;
        };
        let lacking: Vec<&str> = f
            .services
            .iter()
            .filter(|s| !ep.services.contains(s))
            .map(String::as_str)
            .collect();
        if !lacking.is_empty() {
            out.push(
                rule(Id::P9)
                    .at(
                        &field,
                        format!("{} needs {} endpoints", f.title, lacking.join(", ")),
                    )
                    .fix(format!("add {} to endpoints.services", lacking.join(", "))),
            );
        } else if f.id == "ecr-pull-through" {
            out.push(rule(Id::P10).at(&field, f.note.clone()));
        } else if f.id == "karpenter" {
            out.push(rule(Id::P13).at(&field, format!("{}: {}", f.title, f.note)));
        } else if !f.note.is_empty() {
            out.push(
                rule(Id::P9)
                    .at(&field, format!("{}: {}", f.title, f.note))
                    .severity(Severity::Info),
            );
        }
        // Karpenter with an EC2NodeClass `role` creates instance profiles through the IAM
        // API: whether the region offers an iam endpoint is read, not assumed.
        if f.id == "karpenter" && !inv.endpoint_services.is_empty() {
            let message = if inv.offers("iam") {
                format!(
                    "Karpenter: {} lists an iam endpoint service; an EC2NodeClass with `role` needs it (add iam to endpoints.services), one with `instanceProfile` does not",
                    inv.region
                )
            } else {
                format!(
                    "Karpenter: {} offers no iam endpoint (AWS makes com.amazonaws.iam in us-east-1 only; other regions reach it through a Transit Gateway to a us-east-1 VPC), so an EC2NodeClass with `role` cannot create its instance profile: give it `instanceProfile`",
                    inv.region
                )
            };
            out.push(rule(Id::P13).at(&field, message));
        }
        if f.id == "pod-identity" && !ep.private_dns {
            out.push(rule(Id::P8).at(
                &field,
                "Pod Identity with self-managed DNS: the eks-auth name is under api.aws, not amazonaws.com",
            ));
        }
    }
}

/// P5, P6 on the endpoints that exist (with or without a spec: they are adopted as is).
fn check_existing(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(v) = ctx.vpc else { return };
    for e in &v.endpoints {
        let Some(policy) = &e.policy_document else {
            continue;
        };
        for p in policy_problems(policy) {
            out.push(rule(Id::P6).at(&e.id, format!("{} ({}): {p}", e.id, e.service)));
        }
        if e.service == "s3"
            && e.kind.eq_ignore_ascii_case("gateway")
            && !s3_policy_allows_ecr_layers(policy, &ctx.inv.region)
        {
            out.push(rule(Id::P5).at(
                &e.id,
                format!(
                    "the S3 gateway endpoint {} restricts access without allowing arn:aws:s3:::prod-{}-starport-layer-bucket/*",
                    e.id, ctx.inv.region
                ),
            ));
        }
    }
}

pub(super) fn check(ctx: &Context, out: &mut Vec<Finding>) {
    check_existing(ctx, out);
    // A group rule naming a prefix list whose entries could not be read admits nothing.
    if ctx.vpc.is_some() {
        for u in ctx
            .inv
            .unread
            .iter()
            .filter(|u| u.call == "ec2:GetManagedPrefixListEntries")
        {
            out.push(super::unread_finding(
                Id::G1,
                &u.what,
                u,
                "the senders the rules naming it let in",
            ));
        }
    }
    let (Some(v), Some(spec)) = (ctx.vpc, ctx.spec) else {
        return;
    };
    let Some(ep) = &spec.endpoints else { return };
    p7(ctx, v, spec, ep, out);
    p4(ctx, v, spec, ep, out);
    g2(ctx, v, spec, ep, out);
}

/// P7: the base set.
fn p7(
    ctx: &Context,
    v: &crate::inventory::Vpc,
    spec: &crate::spec::Spec,
    ep: &crate::spec::Endpoints,
    out: &mut Vec<Finding>,
) {
    let inv = ctx.inv;
    let missing: Vec<&str> = base_services()
        .iter()
        .copied()
        .filter(|b| !ep.services.iter().any(|s| s == b))
        // A hub that answers the name covers it (P11 says which).
        .filter(|b| *b == "s3" || ctx.vpc.is_none_or(|v| inv.hub_zone_for(v, b).is_none()))
        .collect();
    if !missing.is_empty() {
        out.push(
            rule(Id::P7)
                .at(
                    "endpoints.services",
                    format!("the base set lacks {}", missing.join(", ")),
                )
                .fix(format!("add {} to endpoints.services", missing.join(", "))),
        );
    }

    let mut seen = std::collections::HashSet::new();
    for (i, svc) in ep.services.iter().enumerate() {
        let field = format!("endpoints.services[{i}]");
        if !seen.insert(svc.as_str()) {
            out.push(
                rule(Id::P1)
                    .at(&field, format!("{svc} is listed twice"))
                    .fix("list each service once"),
            );
            continue;
        }
        // P1: the region's service list is the truth (prefixes differ by partition).
        let offered: Vec<_> = inv
            .endpoint_services
            .iter()
            .filter(|e| &e.service == svc)
            .collect();
        if !inv.endpoint_services.is_empty() && offered.is_empty() {
            let close: Vec<&str> = inv
                .endpoint_services
                .iter()
                .map(|e| e.service.as_str())
                .filter(|s| s.contains(svc.as_str()) || svc.contains(*s))
                .take(4)
                .collect();
            out.push(rule(Id::P1).at(
                &field,
                format!(
                    "{svc} is not an endpoint service of {}{}",
                    inv.region,
                    if close.is_empty() {
                        String::new()
                    } else {
                        format!(" (did you mean {}?)", close.join(", "))
                    }
                ),
            ));
            continue;
        }
        let interface = offered
            .iter()
            .find(|e| e.types.iter().any(|t| t == "Interface"));
        // P2: only AZs the service supports.
        if svc != "s3"
            && let Some(e) = interface
            && !e.availability_zones.is_empty()
        {
            let uncovered: Vec<&str> = spec
                .node_subnets
                .keys()
                .filter(|az| !e.availability_zones.contains(az))
                .map(String::as_str)
                .collect();
            if !uncovered.is_empty() {
                out.push(rule(Id::P2).at(
                    &field,
                    format!(
                        "{svc} is not offered in {}: its endpoint skips them",
                        uncovered.join(", ")
                    ),
                ));
            }
        }
        // P3: adopt what exists.
        let existing: Vec<_> = v
            .endpoints
            .iter()
            .filter(|e| &e.service == svc && e.state.is_usable())
            .collect();
        if existing.len() > 1 && svc != "s3" {
            out.push(rule(Id::P3).at(
                &field,
                format!(
                    "{} endpoints for {svc} already exist ({}): a second with private DNS fails",
                    existing.len(),
                    existing.iter().map(|e| e.id.as_str()).collect::<Vec<_>>().join(", ")
                ),
            ).severity(Severity::Warn).fix("delete the extra endpoints, keeping one"));
        } else if let Some(e) = existing.first() {
            out.push(rule(Id::P3).at(
                &field,
                format!(
                    "{svc} is served by the existing {} (adopted, not created again)",
                    e.id
                ),
            ));
            if svc != "s3" {
                check_adopted(ctx, spec, e, interface.copied(), out);
            }
        }
    }

    features(ep, inv, out);
}

/// P4: S3 as a gateway endpoint.
fn p4(
    _ctx: &Context,
    v: &crate::inventory::Vpc,
    _spec: &crate::spec::Spec,
    ep: &crate::spec::Endpoints,
    out: &mut Vec<Finding>,
) {
    if !ep.services.iter().any(|s| s == "s3") {
        out.push(rule(Id::P4).at(
            "endpoints.services",
            "no s3 gateway endpoint: nodes cannot pull image layers from ECR's S3 bucket",
        ));
    }
    for (i, rt) in ep.extra_route_table_ids.iter().enumerate() {
        if !v.route_tables.iter().any(|t| &t.id == rt) {
            out.push(rule(Id::P4).at(
                format!("endpoints.extraRouteTableIds[{i}]"),
                format!("{rt} is not a route table of {}", v.id),
            ));
        }
    }
}

/// G2: exactly one of id / create; an existing group must be in the VPC.
fn g2(
    ctx: &Context,
    v: &crate::inventory::Vpc,
    spec: &crate::spec::Spec,
    ep: &crate::spec::Endpoints,
    out: &mut Vec<Finding>,
) {
    let sg = &ep.security_group;
    match (&sg.id, &sg.create) {
        (Some(_), Some(_)) | (None, None) => out.push(rule(Id::G2).at(
            "endpoints.securityGroup",
            "give exactly one of id (an existing group) or create (a new one)",
        )),
        (None, Some(c)) if super::names::security_group_name(&c.name).is_some() => {
            let problem = super::names::security_group_name(&c.name).unwrap_or_default();
            out.push(
                rule(Id::G2)
                    .at("endpoints.securityGroup.create.name", problem)
                    .fix("name the group with letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* (at most 255)"),
            )
        }
        (None, Some(c)) => {
            // One this tool created for this spec is adopted; anyone else's is not.
            if v.security_groups.iter().any(|g| {
                g.name == c.name && g.tags.get(crate::spec::PLAN_TAG) != Some(&spec.metadata.name)
            }) {
                out.push(
                    rule(Id::G2)
                        .at(
                            "endpoints.securityGroup.create.name",
                            format!("{} already has a group named {:?}", v.id, c.name),
                        )
                        .fix("use its id instead, or choose another name"),
                );
            }
        }
        (Some(id), None) => match v.security_groups.iter().find(|g| &g.id == id) {
            None => out.push(rule(Id::G2).at(
                "endpoints.securityGroup.id",
                format!("{id} is not a security group of {}", v.id),
            )),
            Some(g) => {
                if g.ingress
                    .iter()
                    .any(|r| r.cidrs.iter().any(|c| c == "0.0.0.0/0"))
                {
                    out.push(
                        rule(Id::G2)
                            .at(
                                "endpoints.securityGroup.id",
                                format!("{id} accepts 0.0.0.0/0"),
                            )
                            .fix("remove the 0.0.0.0/0 rule; allow the VPC CIDRs on tcp/443"),
                    );
                }
                // G1: 443 from every VPC CIDR, the planned secondary one included.
                let mut cidrs: Vec<String> = v.active_cidrs().map(str::to_string).collect();
                if let Some(sec) = &spec.secondary_cidr {
                    cidrs.push(sec.cidr.clone());
                }
                // A rule naming a group every node (or pod) inside the CIDR carries lets
                // them in as well as a CIDR rule: the plan's question.
                for c in cidrs {
                    let Ok(net) = parse_v4(&c) else { continue };
                    if !super::senders::spec_admits(ctx.inv, spec, v, g, &net.to_string()) {
                        out.push(rule(Id::G1).at(
                            "endpoints.securityGroup.id",
                            format!("{id} does not allow tcp/443 from {net}"),
                        ).fix(format!(
                            "aws ec2 authorize-security-group-ingress --group-id {id} --protocol tcp --port 443 --cidr {net}"
                        )).remedy(super::Remedy::Ingress {
                            groups: vec![id.clone()],
                            protocol: "tcp",
                            port: 443,
                            cidr: net.to_string(),
                        }));
                    }
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{Severity, evaluate};
    use crate::inventory::{Endpoint, EndpointService, SecurityGroup, SgRule};
    use crate::spec::{CreateSecurityGroup, Endpoints, SecurityGroupChoice};

    fn inv() -> crate::inventory::Inventory {
        let mut inv = inventory();
        inv.endpoint_services = ["ec2", "ecr.api", "ecr.dkr", "sts", "eks", "logs"]
            .iter()
            .map(|s| EndpointService {
                service: s.to_string(),
                service_name: format!("com.amazonaws.eu-west-1.{s}"),
                types: vec!["Interface".into()],
                availability_zones: if *s == "eks" {
                    vec!["eu-west-1a".into()]
                } else {
                    vec![
                        "eu-west-1a".into(),
                        "eu-west-1b".into(),
                        "eu-west-1c".into(),
                    ]
                },
                ..Default::default()
            })
            .chain([EndpointService {
                service: "s3".into(),
                types: vec!["Gateway".into(), "Interface".into()],
                ..Default::default()
            }])
            .collect();
        vpc_mut(&mut inv).security_groups.push(SecurityGroup {
            id: "sg-ep".into(),
            name: "endpoints".into(),
            ingress: vec![SgRule {
                protocol: "tcp".into(),
                from_port: Some(443),
                to_port: Some(443),
                cidrs: vec!["10.0.0.0/16".into()],
                ..Default::default()
            }],
            ..Default::default()
        });
        inv
    }

    fn with(services: &[&str], id: Option<&str>, create: Option<&str>) -> crate::spec::Spec {
        let mut s = spec();
        s.endpoints = Some(Endpoints {
            services: services.iter().map(|s| s.to_string()).collect(),
            features: vec![],
            private_dns: true,
            security_group: SecurityGroupChoice {
                id: id.map(str::to_string),
                create: create.map(|n| CreateSecurityGroup { name: n.into() }),
            },
            extra_route_table_ids: vec![],
        });
        s
    }

    const BASE: &[&str] = &["ec2", "ecr.api", "ecr.dkr", "s3", "sts"];

    fn found(
        inv: &crate::inventory::Inventory,
        s: &crate::spec::Spec,
    ) -> Vec<(&'static str, Severity, String, String)> {
        evaluate(inv, Some(s), None, None)
            .into_iter()
            .map(|f| (f.id.as_str(), f.severity, f.subject, f.message))
            .collect()
    }

    fn has(s: &crate::spec::Spec, id: &str, needle: &str) -> bool {
        found(&inv(), s)
            .iter()
            .any(|(i, _, _, m)| *i == id && m.contains(needle))
    }

    #[test]
    fn a_good_endpoint_set_is_clean() {
        let s = with_access(with(BASE, Some("sg-ep"), None));
        let f: Vec<_> = found(&inv(), &s)
            .into_iter()
            .filter(|f| f.1 != Severity::Info)
            .collect();
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn p1_p7_p4_service_names() {
        assert!(has(
            &with(
                &["ec2", "ecr.api", "ecr.dkr", "s3", "sts", "ecr"],
                Some("sg-ep"),
                None
            ),
            "P1",
            "did you mean ecr.api, ecr.dkr"
        ));
        assert!(has(
            &with(
                &["ec2", "ec2", "ecr.api", "ecr.dkr", "s3", "sts"],
                Some("sg-ep"),
                None
            ),
            "P1",
            "listed twice"
        ));
        assert!(has(
            &with(
                &["ec2", "ecr.api", "ecr.dkr", "s3", "sts", "xray"],
                Some("sg-ep"),
                None
            ),
            "P1",
            "not an endpoint service"
        ));
        assert!(has(
            &with(&["ec2", "ecr.api", "s3"], Some("sg-ep"), None),
            "P7",
            "lacks ecr.dkr, sts"
        ));
        assert!(has(
            &with(&["ec2", "ecr.api", "ecr.dkr", "sts"], Some("sg-ep"), None),
            "P4",
            "no s3 gateway"
        ));
        let mut s = with(BASE, Some("sg-ep"), None);
        s.endpoints.as_mut().unwrap().extra_route_table_ids = vec!["rtb-nope".into()];
        assert!(has(&s, "P4", "not a route table"));
    }

    #[test]
    fn p2_unsupported_azs_and_p3_adoption() {
        let mut svc = BASE.to_vec();
        svc.push("eks");
        assert!(has(
            &with(&svc, Some("sg-ep"), None),
            "P2",
            "not offered in eu-west-1b"
        ));
        let mut inventory = inv();
        for id in ["vpce-1", "vpce-2"] {
            vpc_mut(&mut inventory).endpoints.push(Endpoint {
                id: id.into(),
                service: "sts".into(),
                state: "available".into(),
                ..Default::default()
            });
        }
        let f = found(&inventory, &with(BASE, Some("sg-ep"), None));
        assert!(
            f.iter().any(|(i, sev, _, m)| *i == "P3"
                && *sev == Severity::Warn
                && m.contains("2 endpoints for sts")),
            "{f:#?}"
        );
        vpc_mut(&mut inventory).endpoints.pop();
        let f = found(&inventory, &with(BASE, Some("sg-ep"), None));
        assert!(
            f.iter().any(|(i, sev, _, m)| *i == "P3"
                && *sev == Severity::Info
                && m.contains("adopted")),
            "{f:#?}"
        );
    }

    #[test]
    fn an_adopted_endpoint_short_of_the_node_azs_or_cidrs_is_said() {
        let mut inventory = inv();
        vpc_mut(&mut inventory).security_groups.push(SecurityGroup {
            id: "sg-narrow".into(),
            ingress: vec![SgRule {
                protocol: "tcp".into(),
                from_port: Some(443),
                to_port: Some(443),
                cidrs: vec!["10.0.64.0/19".into()],
                ..Default::default()
            }],
            ..Default::default()
        });
        vpc_mut(&mut inventory).endpoints.push(Endpoint {
            id: "vpce-sts".into(),
            service: "sts".into(),
            state: "available".into(),
            subnet_ids: vec!["subnet-priv-a".into()],
            security_group_ids: vec!["sg-narrow".into()],
            ..Default::default()
        });
        let f = found(&inventory, &with(BASE, Some("sg-ep"), None));
        let about: Vec<_> = f.iter().filter(|x| x.2 == "vpce-sts").collect();
        assert!(
            about.iter().any(|(i, sev, _, m)| *i == "P2"
                && *sev == Severity::Warn
                && m.contains("no subnet in eu-west-1b")),
            "{about:#?}"
        );
        assert!(
            about
                .iter()
                .any(|(i, _, _, m)| *i == "G1" && m.contains("from 10.0.96.0/19:")),
            "{about:#?}"
        );
        // One that covers both node AZs and lets both CIDRs in is adopted in silence.
        let e = vpc_mut(&mut inventory).endpoints.last_mut().unwrap();
        e.subnet_ids.push("subnet-priv-b".into());
        e.security_group_ids = vec!["sg-ep".into()];
        let f = found(&inventory, &with(BASE, Some("sg-ep"), None));
        assert!(!f.iter().any(|x| x.2 == "vpce-sts"), "{f:#?}");
    }

    #[test]
    fn p8_p9_p10_features() {
        let feat = |services: &[&str], features: &[&str], private_dns: bool| {
            let mut s = with(services, Some("sg-ep"), None);
            let ep = s.endpoints.as_mut().unwrap();
            ep.features = features.iter().map(|f| f.to_string()).collect();
            ep.private_dns = private_dns;
            found(&inv(), &s)
        };
        let f = feat(BASE, &["karpenter"], true);
        assert!(
            f.iter().any(|(i, sev, subj, m)| *i == "P9"
                && *sev == Severity::Warn
                && subj == "endpoints.features[0]"
                && m == "Karpenter needs eks, ssm endpoints"),
            "{f:#?}"
        );
        // Whether an EC2NodeClass `role` can work is read from the region's services.
        assert!(
            f.iter()
                .any(|(i, _, _, m)| *i == "P13" && m.contains("offers no iam endpoint")),
            "{f:#?}"
        );
        let mut with_iam = inv();
        let mut iam = with_iam.endpoint_services[0].clone();
        // Named as AWS names it (no region): the short name is still `iam`.
        iam.service_name = "com.amazonaws.iam".into();
        iam.service = crate::inventory::service_short_name(&iam.service_name, "us-east-1");
        assert_eq!(iam.service, "iam");
        with_iam.endpoint_services.push(iam);
        let mut s = with(BASE, Some("sg-ep"), None);
        s.endpoints.as_mut().unwrap().features = vec!["karpenter".into()];
        assert!(
            found(&with_iam, &s)
                .iter()
                .any(|(i, _, _, m)| *i == "P13" && m.contains("lists an iam endpoint service")),
        );
        let f = feat(BASE, &["karpenter-ng"], true);
        assert!(
            f.iter().any(|(i, sev, _, m)| *i == "P9"
                && *sev == Severity::Error
                && m.contains("not a feature")),
            "{f:#?}"
        );
        // All there: the note, as info.
        let mut svc = BASE.to_vec();
        svc.push("logs");
        let f = feat(&svc, &["logs"], true);
        assert!(
            f.iter()
                .any(|(i, sev, _, _)| *i == "P9" && *sev == Severity::Info),
            "{f:#?}"
        );
        let f = feat(BASE, &["ecr-pull-through"], true);
        assert!(
            f.iter()
                .any(|(i, _, _, m)| *i == "P10" && m.contains("first pull")),
            "{f:#?}"
        );
        let f = feat(BASE, &["pod-identity"], false);
        assert!(f.iter().any(|(i, _, _, _)| *i == "P8"), "{f:#?}");
        assert!(
            !feat(BASE, &["pod-identity"], true)
                .iter()
                .any(|x| x.0 == "P8")
        );
    }

    #[test]
    fn p5_p6_existing_policies() {
        use super::{policy_problems, s3_policy_allows_ecr_layers};
        let full = r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;
        assert!(policy_problems(full).is_empty());
        assert!(s3_policy_allows_ecr_layers(full, "eu-west-1"));
        let restricted = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"}]}"#;
        assert!(!s3_policy_allows_ecr_layers(restricted, "eu-west-1"));
        let with_layers = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":["arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*"]}]}"#;
        assert!(s3_policy_allows_ecr_layers(with_layers, "eu-west-1"));
        assert!(
            policy_problems(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)[0]
                .contains("no Principal")
        );
        assert!(policy_problems("{nope")[0].contains("not JSON"));
        let long = format!(
            r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Sid":"{}"}}]}}"#,
            "x".repeat(20_500)
        );
        assert!(policy_problems(&long)[0].contains("20480"));

        let mut inventory = inv();
        vpc_mut(&mut inventory).endpoints.push(Endpoint {
            id: "vpce-s3".into(),
            service: "s3".into(),
            kind: "Gateway".into(),
            state: "available".into(),
            policy_document: Some(restricted.into()),
            ..Default::default()
        });
        let f = evaluate(&inventory, None, Some("vpc-prod"), None);
        assert!(
            f.iter().any(|f| f.id == "P5" && f.subject == "vpce-s3"),
            "{f:#?}"
        );
        vpc_mut(&mut inventory).endpoints[0].policy_document =
            Some(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#.into());
        let f = evaluate(&inventory, None, Some("vpc-prod"), None);
        assert!(
            f.iter()
                .any(|f| f.id == "P6" && f.message.contains("no Principal")),
            "{f:#?}"
        );
    }

    #[test]
    fn g2_adopts_the_group_this_tool_created_for_the_spec() {
        let s = with(BASE, None, Some("endpoints"));
        let mut inventory = inv();
        let g = vpc_mut(&mut inventory)
            .security_groups
            .iter_mut()
            .find(|g| g.name == "endpoints")
            .unwrap();
        g.tags
            .insert(crate::spec::PLAN_TAG.into(), s.metadata.name.clone());
        assert!(
            !found(&inventory, &s).iter().any(|(i, _, _, _)| *i == "G2"),
            "ours: adopted"
        );
        g_other_plan(&s);
    }

    /// Another spec's group of that name is not adopted.
    fn g_other_plan(s: &crate::spec::Spec) {
        let mut inventory = inv();
        vpc_mut(&mut inventory)
            .security_groups
            .iter_mut()
            .find(|g| g.name == "endpoints")
            .unwrap()
            .tags
            .insert(crate::spec::PLAN_TAG.into(), "someone-else".into());
        assert!(
            found(&inventory, s)
                .iter()
                .any(|(i, _, _, m)| *i == "G2" && m.contains("already has a group"))
        );
    }

    #[test]
    fn g1_g2_security_group() {
        assert!(has(
            &with(BASE, Some("sg-ep"), Some("x")),
            "G2",
            "exactly one"
        ));
        assert!(has(&with(BASE, None, None), "G2", "exactly one"));
        assert!(has(
            &with(BASE, Some("sg-nope"), None),
            "G2",
            "not a security group"
        ));
        assert!(has(
            &with(BASE, None, Some("endpoints")),
            "G2",
            "already has a group"
        ));
        assert!(has(&with(BASE, None, Some(" ")), "G2", "needs a name"));
        assert!(has(
            &with(BASE, None, Some("sg-mine")),
            "G2",
            "may not start with sg-"
        ));
        assert!(has(
            &with(BASE, None, Some("a|b")),
            "G2",
            "cannot be in a group name"
        ));
        // G1: the planned secondary CIDR needs 443 too.
        let mut s = with(BASE, Some("sg-ep"), None);
        s.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: Default::default(),
        });
        assert!(has(&s, "G1", "does not allow tcp/443 from 100.64.0.0/16"));
        let mut open = inv();
        vpc_mut(&mut open)
            .security_groups
            .last_mut()
            .unwrap()
            .ingress[0]
            .cidrs
            .push("0.0.0.0/0".into());
        let f = found(&open, &with(BASE, Some("sg-ep"), None));
        assert!(
            f.iter()
                .any(|(i, _, _, m)| *i == "G2" && m.contains("0.0.0.0/0")),
            "{f:#?}"
        );
    }

    /// Issue 25 (G1): an existing group that lets tcp/443 in from the cluster security
    /// group admits the managed nodes and the pods that carry it: no finding for the VPC
    /// CIDR holding them, and no CIDR rule in the plan. The pods of a secondary CIDR with
    /// ENIConfig groups of their own are not admitted by it.
    #[test]
    fn g1_a_rule_naming_the_nodes_group_needs_no_cidr_rule() {
        let mut inv = inv();
        let g = vpc_mut(&mut inv).security_groups.last_mut().unwrap();
        g.ingress[0].cidrs.clear();
        g.ingress[0].group_ids = vec!["sg-cluster".into()];
        let mut s = with(BASE, Some("sg-ep"), None);
        let f = found(&inv, &s);
        assert!(!f.iter().any(|(i, ..)| *i == "G1"), "{f:#?}");
        let plan = crate::plan::plan(&s, &inv);
        assert!(
            !plan
                .actions
                .iter()
                .any(|a| a.address.starts_with("security_group_rule.endpoints_443")),
            "{plan:#?}"
        );
        // Pods with their own groups (custom networking) are not let in by it.
        vpc_mut(&mut inv)
            .security_groups
            .push(crate::inventory::SecurityGroup {
                id: "sg-pods".into(),
                ..Default::default()
            });
        s.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: Default::default(),
        });
        s.custom_networking = Some(crate::spec::CustomNetworking {
            eni_config_label: crate::spec::LABEL_ZONE.into(),
            security_group_ids: vec!["sg-pods".into()],
            prefix_delegation: false,
        });
        let f = found(&inv, &s);
        assert!(
            f.iter()
                .any(|(i, _, _, m)| *i == "G1" && m.contains("100.64.0.0/16")),
            "{f:#?}"
        );
        assert!(
            !f.iter()
                .any(|(i, _, _, m)| *i == "G1" && m.contains("10.0.0.0/16"))
        );
        let plan = crate::plan::plan(&s, &inv);
        let rules: Vec<&str> = plan
            .actions
            .iter()
            .map(|a| a.address.as_str())
            .filter(|a| a.starts_with("security_group_rule.endpoints_443"))
            .collect();
        assert_eq!(
            rules,
            ["security_group_rule.endpoints_443[\"100.64.0.0/16\"]"]
        );
        // The same pods carrying the cluster group (no ENIConfig groups) are let in.
        s.custom_networking
            .as_mut()
            .unwrap()
            .security_group_ids
            .clear();
        assert!(!found(&inv, &s).iter().any(|(i, ..)| *i == "G1"));
    }
}
