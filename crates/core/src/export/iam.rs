//! `iam`: a least-privilege IAM policy for this spec's whole life: exactly the calls that
//! discovery, an apply from an account where none of it exists yet (or a resumed one), and
//! the destroy of what the spec creates and changes make, from the call list of
//! `src/calls.rs`, whatever the account holds when it is exported. Reads take
//! every resource (EC2's Describe calls support no narrower one); changes are held to the
//! spec's region; the cluster update to the spec's cluster; deletes to what carries this
//! spec's tag, rules revoked to the spec's VPC, Resolver deletes to Resolver resources of
//! the account and region.

use super::{Cannot, File, Source, plain};
use crate::calls::{self, Call};
use crate::plan::Deletable;
use crate::spec::PLAN_TAG;
use serde_json::{Value, json};
use std::collections::BTreeSet;

pub const FILE: &str = "iam-policy.json";

/// The tag of the state lock's group (`aws::lock::LOCK_TAG`; the core does not import
/// `aws`).
const LOCK_TAG: &str = "eks-private-tui:lock";

/// IAM's limit for a managed policy: characters without white space.
pub const MAX_POLICY_CHARS: usize = 6144;

/// What a plan address makes, as the plan names them: its create calls and what destroy
/// deletes it with. The test below holds it to the plan's own changes.
fn address_kind(address: &str) -> (&'static [Call], Option<Deletable>) {
    let head = address.split(['[', '.']).next().unwrap_or(address);
    match head {
        // Set by apply, set back by destroy.
        "vpc_attribute" => (calls::SET_VPC_ATTRIBUTE, None),
        "vpc_cidr" => (
            calls::ASSOCIATE_VPC_CIDR,
            Some(Deletable::VpcCidrAssociation),
        ),
        "subnet" => (calls::CREATE_SUBNET, Some(Deletable::Subnet)),
        "subnet_tag" => (&[TAG_SUBNET_CALL, UNTAG_SUBNET_CALL], None),
        "route_table_association" => (calls::ASSOCIATE_ROUTE_TABLE, None),
        "security_group" => (calls::CREATE_SECURITY_GROUP, Some(Deletable::SecurityGroup)),
        "security_group_rule" => (calls::AUTHORIZE_INGRESS, Some(Deletable::SecurityGroupRule)),
        "endpoint" => (
            // An S3 gateway adopted may get more route tables, an interface endpoint
            // adopted a subnet in a node AZ it lacks.
            &[
                Call {
                    service: calls::EC2,
                    operation: "CreateVpcEndpoint",
                },
                Call {
                    service: calls::EC2,
                    operation: "DescribeVpcEndpoints",
                },
                Call {
                    service: calls::EC2,
                    operation: "ModifyVpcEndpoint",
                },
            ],
            Some(Deletable::VpcEndpoint),
        ),
        // The access changed, recorded in a cluster tag, and put back with the record gone.
        "cluster" => (CLUSTER_CALLS, None),
        "resolver_endpoint" => (
            calls::CREATE_RESOLVER_ENDPOINT,
            Some(Deletable::ResolverEndpoint),
        ),
        "resolver_rule" => (calls::CREATE_RESOLVER_RULE, Some(Deletable::ResolverRule)),
        "resolver_rule_association" => (
            calls::ASSOCIATE_RESOLVER_RULE,
            Some(Deletable::ResolverRuleAssociation),
        ),
        _ => (&[], None),
    }
}

const TAG_SUBNET_CALL: Call = Call {
    service: calls::EC2,
    operation: "CreateTags",
};
const UNTAG_SUBNET_CALL: Call = Call {
    service: calls::EC2,
    operation: "DeleteTags",
};
const CLUSTER_CALLS: &[Call] = &[
    Call {
        service: calls::EKS,
        operation: "UpdateClusterConfig",
    },
    Call {
        service: calls::EKS,
        operation: "DescribeUpdate",
    },
    Call {
        service: calls::EKS,
        operation: "DescribeCluster",
    },
    Call {
        service: calls::EKS,
        operation: "TagResource",
    },
    Call {
        service: calls::EKS,
        operation: "UntagResource",
    },
];

/// The addresses the spec's plans make over its life, whatever the account holds when
/// the policy is exported (issue 26, 5): those of a plan against an account where none of
/// it exists yet, so that the policy exported after apply still runs a resumed apply and
/// the destroy, and the one exported before runs both.
fn life_addresses(spec: &crate::spec::Spec) -> Vec<String> {
    let mut v: Vec<String> = vec![
        "vpc_attribute.enable_dns_support".into(),
        "vpc_attribute.enable_dns_hostnames".into(),
    ];
    if !spec.node_subnets.is_empty() {
        v.push("subnet_tag.node".into());
    }
    if let Some(ep) = &spec.endpoints {
        for s in &ep.services {
            v.push(format!("endpoint.{}", s.replace(['.', '-'], "_")));
        }
        if ep.security_group.create.is_some() {
            v.push("security_group.endpoints".into());
        }
        v.push("security_group_rule.endpoints_443".into());
    }
    if let Some(sec) = &spec.secondary_cidr {
        v.push("vpc_cidr.secondary".into());
        if !sec.pod_subnets.is_empty() {
            v.push("subnet.pod".into());
            v.push("subnet_tag.pod".into());
            v.push("route_table_association.pod".into());
        }
    }
    if let (Some(ce), Some(_)) = (&spec.cluster_endpoint, &spec.cluster_name) {
        v.push("cluster.endpoint_access".into());
        if !ce.allow_https_from_cidrs.is_empty() {
            v.push("security_group_rule.cluster_443".into());
        }
    }
    if let Some(d) = &spec.dns {
        if d.inbound_endpoint.is_some() {
            v.push("resolver_endpoint.inbound".into());
            v.push("security_group.resolver_inbound".into());
            v.push("security_group_rule.resolver_inbound_53".into());
        }
        if d.outbound_endpoint.is_some() {
            v.push("resolver_endpoint.outbound".into());
            v.push("security_group.resolver_outbound".into());
        }
        if let Some(fr) = &d.forward_rule
            && d.inbound_endpoint.is_some()
            && d.outbound_endpoint.is_some()
        {
            v.push("resolver_rule.forward".into());
            if !fr.associate_vpc_ids.is_empty() {
                v.push("resolver_rule_association".into());
            }
        }
    }
    v
}

/// Whether the rule at `address` sits on a group the spec does not make (the cluster's,
/// or an endpoint group given by ID), so that destroy revokes it.
fn on_a_group_kept(src: &Source, address: &str) -> bool {
    if address.starts_with("security_group_rule.endpoints_") {
        return src
            .spec
            .endpoints
            .as_ref()
            .is_some_and(|e| e.security_group.id.is_some());
    }
    !address.starts_with("security_group_rule.resolver_")
}

/// Every call this spec's discovery, apply and destroy make.
pub fn needed(src: &Source) -> BTreeSet<Call> {
    let mut out: BTreeSet<Call> = calls::DISCOVERY.iter().copied().collect();
    let life = life_addresses(src.spec);
    let mut addresses: Vec<&str> = life.iter().map(String::as_str).collect();
    for a in &src.plan.actions {
        out.extend(a.change.calls().iter().copied());
        addresses.push(&a.address);
    }
    addresses.extend(src.plan.adopted.iter().map(|(a, _)| a.as_str()));
    let mut deletes = BTreeSet::new();
    for a in &addresses {
        let (create, delete) = address_kind(a);
        out.extend(create.iter().copied());
        // Destroy revokes a rule only where the group stays: deleting a group deletes
        // its rules.
        if delete == Some(Deletable::SecurityGroupRule) && !on_a_group_kept(src, a) {
            continue;
        }
        deletes.extend(delete);
    }
    let changes = !addresses.is_empty();
    if changes {
        // apply and destroy take the state lock; AWS asks for CreateTags to tag a
        // resource as it is created.
        out.extend(calls::LOCK.iter().copied());
        out.insert(Call {
            service: calls::EC2,
            operation: "CreateTags",
        });
        out.extend(calls::FIND_CREATED.iter().copied());
    }
    for d in deletes {
        out.extend(d.calls().iter().copied());
    }
    out
}

fn is_read(c: &Call) -> bool {
    ["Describe", "List", "Get"]
        .iter()
        .any(|p| c.operation.starts_with(p))
}

fn names<'a>(calls: impl Iterator<Item = &'a Call>) -> Value {
    Value::Array(calls.map(|c| c.to_string().into()).collect())
}

/// The partition of the account (`aws`, `aws-cn`, `aws-us-gov`): from the caller's ARN,
/// else the region.
fn partition(src: &Source) -> String {
    match src.inv.caller_arn.split(':').nth(1) {
        Some(p) if !p.is_empty() => p.to_string(),
        _ if src.spec.region.starts_with("cn-") => "aws-cn".into(),
        _ if src.spec.region.starts_with("us-gov-") => "aws-us-gov".into(),
        _ => "aws".into(),
    }
}

pub fn render(src: &Source) -> Result<Vec<File>, Cannot> {
    let spec = src.spec;
    let name = spec.metadata.name.as_str();
    plain("metadata.name", name)?;
    plain("region", &spec.region)?;
    plain("vpcId", &spec.vpc_id)?;
    let account = src.inv.account.as_str();
    if account.is_empty() {
        return Err(Cannot::Spec(
            "the account ID is unknown (GetCallerIdentity gave none): check the credentials".into(),
        ));
    }
    let vpc = src.vpc()?;
    let owner = if vpc.owner_id.is_empty() {
        account
    } else {
        vpc.owner_id.as_str()
    };
    let p = partition(src);
    let region = &spec.region;
    let vpc_arn = format!("arn:{p}:ec2:{region}:{owner}:vpc/{}", spec.vpc_id);
    let need = needed(src);
    let has = |service: &str, op: &str| {
        need.iter()
            .any(|c| c.service == service && c.operation == op)
    };
    let mut statements = vec![json!({
        "Sid": "Read",
        "Effect": "Allow",
        "Action": names(need.iter().filter(|c| is_read(c) && c.operation != "DescribeUpdate")),
        "Resource": "*"
    })];
    let deletes: BTreeSet<&str> = [
        "DeleteVpcEndpoints",
        "DeleteSubnet",
        "DeleteSecurityGroup",
        "RevokeSecurityGroupIngress",
        "DisassociateVpcCidrBlock",
        "DeleteResolverEndpoint",
        "DeleteResolverRule",
        "DisassociateResolverRule",
    ]
    .into();
    let cluster_ops = [
        "UpdateClusterConfig",
        "DescribeUpdate",
        "TagResource",
        "UntagResource",
    ];
    let change: Vec<&Call> = need
        .iter()
        .filter(|c| !is_read(c) && !deletes.contains(c.operation))
        .filter(|c| c.service != calls::EKS)
        .collect();
    if !change.is_empty() {
        statements.push(json!({
            "Sid": "ChangeInRegion",
            "Effect": "Allow",
            "Action": names(change.into_iter()),
            "Resource": "*",
            "Condition": { "StringEquals": { "aws:RequestedRegion": region } }
        }));
    }
    let cluster: Vec<&Call> = need
        .iter()
        .filter(|c| c.service == calls::EKS && cluster_ops.contains(&c.operation))
        .collect();
    if !cluster.is_empty() {
        let cluster_name = src.cluster_name(super::Format::Iam)?;
        plain("clusterName", cluster_name)?;
        statements.push(json!({
            "Sid": "ClusterAccess",
            "Effect": "Allow",
            "Action": names(cluster.into_iter()),
            "Resource": format!("arn:{p}:eks:{region}:{account}:cluster/{cluster_name}")
        }));
    }
    // The lock's group is deleted too, under its own tag (below): the spec's groups only
    // when it makes any.
    let makes_groups = life_addresses(spec)
        .iter()
        .map(String::as_str)
        .chain(src.plan.actions.iter().map(|a| a.address.as_str()))
        .chain(src.plan.adopted.iter().map(|(a, _)| a.as_str()))
        .any(|a| address_kind(a).1 == Some(Deletable::SecurityGroup));
    let tagged: Vec<&Call> = need
        .iter()
        .filter(|c| c.service == calls::EC2)
        .filter(|c| {
            ["DeleteVpcEndpoints", "DeleteSubnet"].contains(&c.operation)
                || (c.operation == "DeleteSecurityGroup" && makes_groups)
        })
        .collect();
    if !tagged.is_empty() {
        statements.push(json!({
            "Sid": "DeleteWhatThisSpecCreated",
            "Effect": "Allow",
            "Action": names(tagged.into_iter()),
            "Resource": "*",
            "Condition": { "StringEquals": { format!("aws:ResourceTag/{PLAN_TAG}"): name } }
        }));
    }
    if has(calls::EC2, "DeleteSecurityGroup") {
        statements.push(json!({
            "Sid": "ReleaseTheStateLock",
            "Effect": "Allow",
            // The lease renewed on the lock's group, and the group deleted to release it.
            "Action": ["ec2:CreateTags", "ec2:DeleteSecurityGroup"],
            "Resource": "*",
            "Condition": { "StringEquals": { format!("aws:ResourceTag/{LOCK_TAG}"): name } }
        }));
    }
    if has(calls::EC2, "RevokeSecurityGroupIngress") {
        // The rules it added may sit on groups it did not make (the cluster's).
        statements.push(json!({
            "Sid": "RevokeRulesInTheVpc",
            "Effect": "Allow",
            "Action": ["ec2:RevokeSecurityGroupIngress"],
            "Resource": "*",
            "Condition": { "ArnEquals": { "ec2:Vpc": vpc_arn } }
        }));
    }
    if has(calls::EC2, "DisassociateVpcCidrBlock") {
        statements.push(json!({
            "Sid": "RemoveTheSecondaryCidr",
            "Effect": "Allow",
            "Action": ["ec2:DisassociateVpcCidrBlock"],
            "Resource": vpc_arn
        }));
    }
    let resolver: Vec<&Call> = need
        .iter()
        .filter(|c| c.service == calls::RESOLVER && deletes.contains(c.operation))
        .collect();
    if !resolver.is_empty() {
        statements.push(json!({
            "Sid": "DeleteResolverResources",
            "Effect": "Allow",
            "Action": names(resolver.into_iter()),
            "Resource": [
                format!("arn:{p}:route53resolver:{region}:{account}:resolver-endpoint/*"),
                format!("arn:{p}:route53resolver:{region}:{account}:resolver-rule/*"),
            ]
        }));
    }
    let policy = json!({ "Version": "2012-10-17", "Statement": statements });
    let text = serde_json::to_string_pretty(&policy).expect("a JSON value always serializes");
    let size = text.chars().filter(|c| !c.is_whitespace()).count();
    if size > MAX_POLICY_CHARS {
        return Err(Cannot::Spec(format!(
            "the policy has {size} characters, over IAM's {MAX_POLICY_CHARS} for a managed policy: split the spec"
        )));
    }
    Ok(vec![File::new(FILE, text + "\n")])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;

    fn full() -> (crate::spec::Spec, crate::inventory::Inventory) {
        let inv = testkit::inventory();
        let mut s = testkit::spec();
        s.endpoints = Some(crate::spec::starter::base_endpoints(&inv, &s.metadata.name));
        s.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: [
                ("eu-west-1a".to_string(), "100.64.0.0/19".to_string()),
                ("eu-west-1b".to_string(), "100.64.32.0/19".to_string()),
            ]
            .into(),
        });
        s.cluster_endpoint = Some(crate::spec::ClusterEndpoint {
            private_access: true,
            public_access: false,
            public_access_cidrs: vec![],
            allow_https_from_cidrs: vec![],
        });
        (s, inv)
    }

    #[test]
    fn every_planned_address_maps_to_its_changes_calls() {
        let (s, inv) = full();
        let plan = crate::plan::plan(&s, &inv);
        assert!(plan.actions.len() > 10, "{:#?}", plan.actions);
        for a in &plan.actions {
            let (create, _) = address_kind(&a.address);
            for c in a.change.calls() {
                assert!(create.contains(c), "{}: {c} not in {create:?}", a.address);
            }
        }
    }

    #[test]
    fn the_policy_holds_exactly_the_calls_and_scopes_the_deletes() {
        let (s, mut inv) = full();
        inv.account = "123456789012".into();
        inv.caller_arn = "arn:aws:iam::123456789012:user/ops".into();
        let plan = crate::plan::plan(&s, &inv);
        let src = Source {
            spec: &s,
            inv: &inv,
            plan: &plan,
        };
        let files = render(&src).unwrap();
        let v: Value = serde_json::from_str(&files[0].text).unwrap();
        let mut listed = BTreeSet::new();
        for st in v["Statement"].as_array().unwrap() {
            for a in st["Action"].as_array().unwrap() {
                listed.insert(a.as_str().unwrap().to_string());
            }
        }
        let want: BTreeSet<String> = needed(&src).iter().map(|c| c.to_string()).collect();
        assert_eq!(listed, want);
        assert!(want.contains("ec2:CreateVpcEndpoint") && want.contains("ec2:DeleteSubnet"));
        assert!(want.contains("eks:UpdateClusterConfig"));
        // Nothing for DNS in a spec without it.
        assert!(
            !want.iter().any(|c| c.starts_with("route53resolver:Create")),
            "{want:?}"
        );
        let by_sid = |sid: &str| {
            v["Statement"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["Sid"] == sid)
                .cloned()
                .unwrap_or_else(|| panic!("{sid}: {v:#}"))
        };
        assert_eq!(
            by_sid("DeleteWhatThisSpecCreated")["Condition"]["StringEquals"]["aws:ResourceTag/eks-private-tui:plan"],
            "prod-private"
        );
        assert_eq!(
            by_sid("ClusterAccess")["Resource"],
            "arn:aws:eks:eu-west-1:123456789012:cluster/prod"
        );
        assert_eq!(
            by_sid("ChangeInRegion")["Condition"]["StringEquals"]["aws:RequestedRegion"],
            "eu-west-1"
        );
        assert!(
            by_sid("Read")["Action"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| !a.as_str().unwrap().contains(":Delete"))
        );
        // After apply the plan has nothing to make (issue 26, 5: the policy exported then
        // could not run destroy): the policy is the spec's whole life all the same.
        let whole = needed(&Source {
            spec: &s,
            inv: &inv,
            plan: &plan,
        });
        let empty = crate::plan::Plan {
            actions: vec![],
            adopted: vec![],
            ..plan.clone()
        };
        let src = Source {
            spec: &s,
            inv: &inv,
            plan: &empty,
        };
        assert_eq!(needed(&src), whole);
        for op in ["DeleteTags", "ModifyVpcAttribute", "DeleteVpcEndpoints"] {
            assert!(whole.iter().any(|c| c.operation == op), "{op}");
        }
        for op in ["UpdateClusterConfig", "TagResource", "UntagResource"] {
            assert!(
                whole
                    .iter()
                    .any(|c| c.service == calls::EKS && c.operation == op),
                "{op}"
            );
        }
    }
}
