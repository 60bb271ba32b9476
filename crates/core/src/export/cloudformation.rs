//! `cloudformation`: a template that creates what the plan creates, one resource per
//! planned creation (the endpoint group and its rules, the endpoints, the secondary CIDR,
//! the pod subnets and their route table associations, the Resolver endpoints, rule and
//! associations), wired with `Ref`/`Fn::GetAtt` where the plan waits for another action's
//! output. The VPCs are parameters. What CloudFormation cannot do to resources it did not
//! create (VPC DNS attributes, tags on existing subnets, an existing endpoint's route
//! tables, the cluster's endpoint access) is named in the header, left to `apply`.
//!
//! The resources carry this spec's tags, so that `plan` adopts them as the spec's, and
//! the owner tag (`eks-private-tui:owner: cloudformation`): the stack owns them, so that
//! `destroy` leaves them to `aws cloudformation delete-stack` and says so.

use super::held::{Held, Import};
use super::{Cannot, File, Source, map, plain, provenance};
use crate::plan::{Action, Change, Ref, Targets};
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;

/// `subnet.pod["eu-west-1a"]` → `SubnetPodEuWest1a`: a CloudFormation logical ID
/// (letters and digits).
fn logical_id(address: &str) -> String {
    address
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut cs = p.chars();
            match cs.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// The tags of what the stack makes for `a`: those apply would put on (so that `plan`
/// knows it as the spec's), its extra ones, and the owner tag (so that `destroy` leaves
/// it to the stack).
fn tags(src: &Source, a: &Action, extra: &[(String, String)]) -> Value {
    Value::Sequence(
        crate::apply::resource_tags(src.plan, a)
            .into_iter()
            .chain(extra.iter().cloned())
            .chain([(crate::spec::OWNER_TAG.into(), "cloudformation".into())])
            .map(|(k, v)| map([("Key", k.into()), ("Value", v.into())]))
            .collect(),
    )
}

/// The policy of what the template imports: `Retain` (an IMPORT change set needs a
/// DeletionPolicy on each, and deleting the stack leaves what apply made).
fn retain() -> Value {
    "Retain".into()
}

/// One entry of the resources-to-import file (`--resources-to-import`).
fn import_entry(kind: &str, logical: &str, identifier: &[(&str, String)]) -> serde_json::Value {
    serde_json::json!({
        "ResourceType": kind,
        "LogicalResourceId": logical,
        "ResourceIdentifier": identifier
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
            .collect::<serde_json::Map<_, _>>(),
    })
}

fn seq(items: impl IntoIterator<Item = Value>) -> Value {
    Value::Sequence(items.into_iter().collect())
}

struct Template<'a> {
    /// Plan address → logical ID, for the resources the template makes.
    ids: BTreeMap<&'a str, String>,
    /// VPC ID → parameter name.
    vpcs: BTreeMap<String, String>,
    /// Parameters for the inbound endpoint's fixed IPs, when a rule targets them.
    inbound_ips: Vec<(String, String)>,
}

impl Template<'_> {
    fn vpc(&self, id: &str) -> Value {
        map([("Ref", self.vpcs[id].as_str().into())])
    }

    /// An ID: the literal, or the output of a resource of this template.
    fn id(&self, r: &Ref, attribute: Option<&str>) -> Value {
        match r {
            Ref::Id(id) => id.as_str().into(),
            Ref::Output(a) => {
                let logical = self.ids[a.as_str()].clone();
                match attribute {
                    Some(att) => map([("Fn::GetAtt", seq([logical.into(), att.into()]))]),
                    None => map([("Ref", logical.into())]),
                }
            }
        }
    }
}

/// What a planned action the template cannot make says instead.
fn left_out(a: &Action) -> Option<String> {
    match &a.change {
        Change::SetVpcAttribute {
            attribute, vpc_id, ..
        } => Some(format!("{attribute:?} on {vpc_id} (an existing VPC)")),
        Change::TagSubnet {
            subnet_id,
            key,
            value,
        } => Some(format!(
            "the tag {key}={value} on {subnet_id} (an existing subnet)"
        )),
        Change::AddGatewayRouteTables {
            endpoint_id,
            route_table_ids,
        } => Some(format!(
            "route tables {} on {endpoint_id} (an existing endpoint)",
            route_table_ids.join(", ")
        )),
        Change::UpdateClusterAccess { cluster, .. } => Some(format!(
            "endpoint access of cluster {cluster} (a cluster outside this stack)"
        )),
        Change::Delete { .. } => Some(format!("{} (a deletion)", a.address)),
        _ => super::not_a_resource(a),
    }
}

pub fn render(src: &Source) -> Result<Vec<File>, Cannot> {
    let spec = src.spec;
    let creates: Vec<&Action> = src
        .plan
        .actions
        .iter()
        .filter(|a| left_out(a).is_none())
        .collect();
    // What exists and the spec manages, for a template that imports it: only once the
    // plan creates nothing (an IMPORT change set creates nothing), only what CloudFormation
    // can import, and not what Terraform holds.
    let all_held = super::held::held(src);
    let mut held: Vec<&Held> = all_held
        .iter()
        .filter(|h| h.owner.as_deref().is_none_or(|o| o == "cloudformation"))
        .filter(|h| match &h.import {
            Import::One { cloudformation, .. } => cloudformation.is_some(),
            Import::Rules(_) => true,
        })
        .collect();
    // Each must find what it refers to in the template.
    loop {
        let here: Vec<&str> = held.iter().map(|h| h.action.address.as_str()).collect();
        let before = held.len();
        held.retain(|h| h.action.change.refs().iter().all(|r| here.contains(r)));
        if held.len() == before {
            break;
        }
    }
    if creates.is_empty() && held.is_empty() {
        return Err(Cannot::Spec(
            "the plan creates nothing and nothing of this spec exists that CloudFormation can import: there is no template to write".into(),
        ));
    }
    let importing = creates.is_empty();
    let items: Vec<(&Action, Option<&Held>)> = if importing {
        held.iter().map(|h| (&h.action, Some(*h))).collect()
    } else {
        creates.iter().map(|a| (*a, None)).collect()
    };
    let mut to_import: Vec<serde_json::Value> = vec![];
    let mut t = Template {
        ids: BTreeMap::new(),
        vpcs: BTreeMap::new(),
        inbound_ips: vec![],
    };
    for (a, _) in &items {
        let mut id = logical_id(&a.address);
        while t.ids.values().any(|v| v == &id) {
            id.push('X');
        }
        t.ids.insert(a.address.as_str(), id);
    }
    let mut vpc_ids: Vec<&str> = vec![];
    for (a, _) in &items {
        match &a.change {
            Change::CreateSecurityGroup { vpc_id, .. }
            | Change::AssociateVpcCidr { vpc_id, .. }
            | Change::CreateSubnet { vpc_id, .. }
            | Change::CreateInterfaceEndpoint { vpc_id, .. }
            | Change::CreateGatewayEndpoint { vpc_id, .. }
            | Change::AssociateResolverRule { vpc_id, .. } => vpc_ids.push(vpc_id),
            _ => {}
        }
    }
    vpc_ids.sort();
    vpc_ids.dedup();
    for v in &vpc_ids {
        plain("vpcId", v)?;
        let name = if *v == spec.vpc_id {
            "VpcId".to_string()
        } else {
            format!("Vpc{}", logical_id(v.trim_start_matches("vpc-")))
        };
        t.vpcs.insert(v.to_string(), name);
    }
    // A rule forwarding to an inbound endpoint made here needs its IPs fixed in advance:
    // CloudFormation does not hand an endpoint's addresses to another resource.
    let inbound_for_rule: Option<&str> = items.iter().find_map(|(a, _)| match &a.change {
        Change::CreateResolverRule {
            targets: Targets::EndpointIps(Ref::Output(e)),
            ..
        } => Some(e.as_str()),
        _ => None,
    });
    let mut resources = Mapping::new();
    for (a, h) in &items {
        let (a, h) = (*a, *h);
        // What exists keeps its tags as read, and the stack becomes its owner.
        let tags = |extra: &[(String, String)]| match h.and_then(|h| h.tags.as_ref()) {
            Some(read) => Value::Sequence(
                read.iter()
                    .cloned()
                    .chain([(crate::spec::OWNER_TAG.into(), "cloudformation".into())])
                    .map(|(k, v)| map([("Key", k.into()), ("Value", v.into())]))
                    .collect(),
            ),
            None => tags(src, a, extra),
        };
        let (kind, props): (&str, Vec<(&str, Value)>) = match &a.change {
            Change::CreateSecurityGroup {
                vpc_id,
                name,
                description,
            } => (
                "AWS::EC2::SecurityGroup",
                vec![
                    ("GroupName", name.as_str().into()),
                    ("GroupDescription", description.as_str().into()),
                    ("VpcId", t.vpc(vpc_id)),
                    ("Tags", tags(&[])),
                ],
            ),
            Change::AuthorizeIngress {
                group,
                protocols,
                port,
                cidrs,
                description,
            } => {
                // One resource per protocol and CIDR, as AWS keeps them.
                let base = &t.ids[a.address.as_str()];
                let many = protocols.len() * cidrs.len() > 1;
                for (i, (p, c)) in protocols
                    .iter()
                    .flat_map(|p| cidrs.iter().map(move |c| (p, c)))
                    .enumerate()
                {
                    plain("a CIDR", c)?;
                    let id = if many {
                        format!("{base}{}", i + 1)
                    } else {
                        base.clone()
                    };
                    let rule_id = match h.map(|h| &h.import) {
                        Some(Import::Rules(ids)) => ids.get(&(p.clone(), c.clone())),
                        _ => None,
                    };
                    if let Some(rule_id) = rule_id {
                        to_import.push(import_entry(
                            "AWS::EC2::SecurityGroupIngress",
                            &id,
                            &[("Id", rule_id.clone())],
                        ));
                    }
                    let mut rule = map([
                        ("Type", "AWS::EC2::SecurityGroupIngress".into()),
                        (
                            "Properties",
                            map([
                                ("GroupId", t.id(group, Some("GroupId"))),
                                ("IpProtocol", p.as_str().into()),
                                ("FromPort", (*port).into()),
                                ("ToPort", (*port).into()),
                                ("CidrIp", c.as_str().into()),
                                ("Description", description.as_str().into()),
                            ]),
                        ),
                    ]);
                    if let (Some(_), Value::Mapping(m)) = (h, &mut rule) {
                        m.insert("DeletionPolicy".into(), retain());
                        m.insert("UpdateReplacePolicy".into(), retain());
                    }
                    resources.insert(id.into(), rule);
                }
                continue;
            }
            Change::AssociateVpcCidr { vpc_id, cidr } => (
                "AWS::EC2::VPCCidrBlock",
                vec![
                    ("VpcId", t.vpc(vpc_id)),
                    ("CidrBlock", cidr.as_str().into()),
                ],
            ),
            Change::CreateSubnet {
                vpc_id,
                az,
                cidr,
                tags: extra,
                ..
            } => {
                let tag_list = tags(extra);
                (
                    "AWS::EC2::Subnet",
                    vec![
                        ("VpcId", t.vpc(vpc_id)),
                        ("AvailabilityZone", az.as_str().into()),
                        ("CidrBlock", cidr.as_str().into()),
                        ("Tags", tag_list),
                    ],
                )
            }
            Change::AssociateRouteTable {
                route_table_id,
                subnet,
            } => (
                "AWS::EC2::SubnetRouteTableAssociation",
                vec![
                    ("RouteTableId", route_table_id.as_str().into()),
                    ("SubnetId", t.id(subnet, None)),
                ],
            ),
            Change::CreateInterfaceEndpoint {
                vpc_id,
                service_name,
                subnet_ids,
                security_group,
                private_dns,
                ..
            } => (
                "AWS::EC2::VPCEndpoint",
                vec![
                    ("VpcId", t.vpc(vpc_id)),
                    ("ServiceName", service_name.as_str().into()),
                    ("VpcEndpointType", "Interface".into()),
                    (
                        "SubnetIds",
                        seq(subnet_ids.iter().map(|s| s.as_str().into())),
                    ),
                    (
                        "SecurityGroupIds",
                        seq([t.id(security_group, Some("GroupId"))]),
                    ),
                    ("PrivateDnsEnabled", (*private_dns).into()),
                    ("Tags", tags(&[])),
                ],
            ),
            Change::CreateGatewayEndpoint {
                vpc_id,
                service_name,
                route_table_ids,
                ..
            } => (
                "AWS::EC2::VPCEndpoint",
                vec![
                    ("VpcId", t.vpc(vpc_id)),
                    ("ServiceName", service_name.as_str().into()),
                    ("VpcEndpointType", "Gateway".into()),
                    (
                        "RouteTableIds",
                        seq(route_table_ids.iter().map(|s| s.as_str().into())),
                    ),
                    ("Tags", tags(&[])),
                ],
            ),
            Change::CreateResolverEndpoint {
                name,
                direction,
                subnet_ids,
                security_group,
            } => {
                let fixed = inbound_for_rule == Some(a.address.as_str());
                let read = h.map(|h| h.ips.as_slice()).unwrap_or_default();
                let ips: Vec<Value> = if !read.is_empty() {
                    // Imported: its addresses as they are.
                    read.iter()
                        .map(|(s, ip)| {
                            map([("SubnetId", s.as_str().into()), ("Ip", ip.as_str().into())])
                        })
                        .collect()
                } else {
                    subnet_ids
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            if fixed {
                                let param = format!("InboundIp{}", i + 1);
                                t.inbound_ips.push((param.clone(), s.clone()));
                                map([
                                    ("SubnetId", s.as_str().into()),
                                    ("Ip", map([("Ref", param.into())])),
                                ])
                            } else {
                                map([("SubnetId", s.as_str().into())])
                            }
                        })
                        .collect()
                };
                (
                    "AWS::Route53Resolver::ResolverEndpoint",
                    vec![
                        ("Name", name.as_str().into()),
                        ("Direction", direction.as_str().into()),
                        ("IpAddresses", Value::Sequence(ips)),
                        (
                            "SecurityGroupIds",
                            seq([t.id(security_group, Some("GroupId"))]),
                        ),
                    ],
                )
            }
            Change::CreateResolverRule {
                name,
                domain,
                targets,
                endpoint,
            } => {
                let target_ips: Vec<Value> = match targets {
                    Targets::Ips(ips) => ips
                        .iter()
                        .map(|t| {
                            let (ip, port) = t.rsplit_once(':').unwrap_or((t, "53"));
                            map([("Ip", ip.into()), ("Port", port.into())])
                        })
                        .collect(),
                    Targets::EndpointIps(_) => t
                        .inbound_ips
                        .iter()
                        .map(|(p, _)| {
                            map([
                                ("Ip", map([("Ref", p.as_str().into())])),
                                ("Port", "53".into()),
                            ])
                        })
                        .collect(),
                };
                (
                    "AWS::Route53Resolver::ResolverRule",
                    vec![
                        ("Name", name.as_str().into()),
                        ("DomainName", domain.as_str().into()),
                        ("RuleType", "FORWARD".into()),
                        (
                            "ResolverEndpointId",
                            t.id(endpoint, Some("ResolverEndpointId")),
                        ),
                        ("TargetIps", Value::Sequence(target_ips)),
                        ("Tags", tags(&[])),
                    ],
                )
            }
            Change::AssociateResolverRule { rule, vpc_id, name } => (
                "AWS::Route53Resolver::ResolverRuleAssociation",
                vec![
                    ("Name", name.as_str().into()),
                    ("ResolverRuleId", t.id(rule, Some("ResolverRuleId"))),
                    ("VPCId", t.vpc(vpc_id)),
                ],
            ),
            _ => unreachable!("left_out covers the rest"),
        };
        let mut res = Mapping::new();
        res.insert("Type".into(), kind.into());
        if let Some(Held {
            import:
                Import::One {
                    cloudformation: Some(identifier),
                    ..
                },
            ..
        }) = h
        {
            to_import.push(import_entry(kind, &t.ids[a.address.as_str()], identifier));
            res.insert("DeletionPolicy".into(), retain());
            res.insert("UpdateReplacePolicy".into(), retain());
        }
        if kind == "AWS::EC2::Subnet" {
            // A pod subnet sits in its node subnets' AZ: named, not chosen (the header says
            // why cfn-lint's W3010 is off for it).
            res.insert(
                "Metadata".into(),
                map([(
                    "cfn-lint",
                    map([("config", map([("ignore_checks", seq(["W3010".into()]))]))]),
                )]),
            );
        }
        // Orderings the plan keeps that no Ref expresses (a pod subnet after its CIDR).
        let referenced: Vec<&str> = a.change.refs();
        let after: Vec<Value> = a
            .depends_on
            .iter()
            .filter(|d| !referenced.contains(&d.as_str()))
            .filter_map(|d| t.ids.get(d.as_str()))
            .map(|id| id.as_str().into())
            .collect();
        if !after.is_empty() {
            res.insert("DependsOn".into(), Value::Sequence(after));
        }
        res.insert("Properties".into(), map(props));
        resources.insert(
            t.ids[a.address.as_str()].as_str().into(),
            Value::Mapping(res),
        );
    }
    let mut params = Mapping::new();
    for (id, name) in &t.vpcs {
        params.insert(
            name.as_str().into(),
            map([
                ("Type", "AWS::EC2::VPC::Id".into()),
                ("Default", id.as_str().into()),
                ("Description", format!("The VPC {id} of the spec").into()),
            ]),
        );
    }
    for (p, subnet) in &t.inbound_ips {
        params.insert(
            p.as_str().into(),
            map([
                ("Type", "String".into()),
                (
                    "Description",
                    format!("A free IPv4 address in {subnet} for the Resolver inbound endpoint (the forward rule targets it)").into(),
                ),
                ("AllowedPattern", r"^(\d{1,3}\.){3}\d{1,3}$".into()),
            ]),
        );
    }
    let cluster = spec.cluster_name.as_deref().unwrap_or("(no cluster named)");
    let doc = map([
        ("AWSTemplateFormatVersion", "2010-09-09".into()),
        (
            "Description",
            format!(
                "Private networking for EKS cluster {cluster} in {} (eks-private-tui spec {})",
                spec.vpc_id, spec.metadata.name
            )
            .into(),
        ),
        ("Parameters", Value::Mapping(params)),
        ("Resources", Value::Mapping(resources)),
    ]);
    let slug = crate::spec::slug(&spec.metadata.name);
    let mut text = format!("# {}\n", provenance(spec));
    let rest: Vec<String> = src.plan.actions.iter().filter_map(left_out).collect();
    if !rest.is_empty() {
        text.push_str(
            "# CloudFormation cannot change what it did not create; `eks-private-tui apply` does:\n",
        );
        for r in &rest {
            text.push_str(&format!("#   {r}\n"));
        }
    }
    if importing {
        text.push_str(&format!(
            "# These resources exist (an apply of this spec made them): the template imports them.\n#   aws cloudformation create-change-set --change-set-type IMPORT --stack-name <name> \\\n#     --template-body file://{slug}-cloudformation.yaml --resources-to-import file://{slug}-cloudformation-import.json\n# DeletionPolicy Retain: deleting the stack leaves them; the stack owns them once imported\n# (tag eks-private-tui:owner = cloudformation), so `eks-private-tui destroy` leaves them too.\n"
        ));
    } else {
        if !held.is_empty() {
            text.push_str(&format!(
                "# {} resource(s) of this spec exist already: once apply has made the rest, export again for a template that imports them.\n",
                held.len()
            ));
        }
        text.push_str("# The stack owns these resources: delete the stack to remove them.\n");
    }
    text.push_str("# Pod subnets name their AZ (each sits in its node subnets' AZ): cfn-lint's W3010 is off for them.\n");
    text.push_str(&serde_yaml::to_string(&doc).expect("a YAML value always serializes"));
    let mut files = vec![File::new(format!("{slug}-cloudformation.yaml"), text)];
    if importing {
        files.push(File::new(
            format!("{slug}-cloudformation-import.json"),
            serde_json::to_string_pretty(&to_import).expect("JSON values serialize") + "\n",
        ));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;

    #[test]
    fn every_created_resource_is_in_the_template_and_the_rest_is_named() {
        let inv = testkit::inventory();
        let mut s = testkit::spec();
        s.endpoints = Some(crate::spec::starter::base_endpoints(&inv, &s.metadata.name));
        s.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: [("eu-west-1a".to_string(), "100.64.0.0/19".to_string())].into(),
        });
        s.cluster_endpoint = Some(crate::spec::ClusterEndpoint {
            private_access: true,
            public_access: false,
            public_access_cidrs: vec![],
            allow_https_from_cidrs: vec![],
        });
        let plan = crate::plan::plan(&s, &inv);
        let files = render(&Source {
            spec: &s,
            inv: &inv,
            plan: &plan,
        })
        .unwrap();
        let text = &files[0].text;
        let v: Value = serde_yaml::from_str(text).unwrap();
        let res = v["Resources"].as_mapping().unwrap();
        for a in plan
            .actions
            .iter()
            .filter(|a| a.op == crate::plan::Op::Create && left_out(a).is_none())
        {
            let id = logical_id(&a.address);
            assert!(
                res.keys().any(|k| k.as_str().unwrap().starts_with(&id)),
                "{} as {id}: {text}",
                a.address
            );
        }
        assert_eq!(
            res["SubnetPodEuWest1a"]["DependsOn"],
            seq(["VpcCidrSecondary".into()])
        );
        assert_eq!(res["EndpointSts"]["Properties"]["VpcId"]["Ref"], "VpcId");
        assert_eq!(
            res["EndpointSts"]["Properties"]["SecurityGroupIds"][0]["Fn::GetAtt"],
            seq(["SecurityGroupEndpoints".into(), "GroupId".into()])
        );
        assert_eq!(v["Parameters"]["VpcId"]["Default"], "vpc-prod");
        // The cluster's access (public in the test account) is not CloudFormation's.
        assert!(
            text.contains("#   endpoint access of cluster prod"),
            "{text}"
        );
        assert_eq!(
            logical_id("subnet.pod[\"eu-west-1a\"]"),
            "SubnetPodEuWest1a"
        );
    }
}
