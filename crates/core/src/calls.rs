//! Every AWS call the tool makes, as data: what discovery reads, and what each plan
//! [`Change`](crate::plan::Change) calls (its one mutating call and the reads it makes to
//! look first and to wait). docs/permissions.md and the IAM export read this; the moto
//! tests record every call the code actually makes and check it is listed here.

use std::collections::BTreeSet;

/// One call, as IAM names it: `ec2:DescribeVpcs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Call {
    /// The IAM service prefix (`ec2`, `eks`, `sts`, `route53resolver`).
    pub service: &'static str,
    pub operation: &'static str,
}

impl std::fmt::Display for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.service, self.operation)
    }
}

const fn c(service: &'static str, operation: &'static str) -> Call {
    Call { service, operation }
}

pub const EC2: &str = "ec2";
pub const EKS: &str = "eks";
pub const STS: &str = "sts";
pub const RESOLVER: &str = "route53resolver";
pub const ROUTE53: &str = "route53";
pub const PROFILES: &str = "route53profiles";

/// What reading the account calls (inventory, check, plan, the wizard, apply's re-read).
pub const DISCOVERY: &[Call] = &[
    c(STS, "GetCallerIdentity"),
    c(EC2, "DescribeRegions"),
    c(EC2, "DescribeAvailabilityZones"),
    c(EC2, "DescribeVpcs"),
    c(EC2, "DescribeVpcAttribute"),
    c(EC2, "DescribeDhcpOptions"),
    c(EC2, "DescribeSubnets"),
    c(EC2, "DescribeRouteTables"),
    c(EC2, "DescribeInternetGateways"),
    c(EC2, "DescribeNatGateways"),
    c(EC2, "DescribeVpcEndpoints"),
    c(EC2, "DescribeVpcEndpointServices"),
    c(EC2, "DescribeSecurityGroups"),
    // The rules this tool tagged, with their IDs (the exports import them by ID).
    c(EC2, "DescribeSecurityGroupRules"),
    c(EC2, "DescribeNetworkAcls"),
    c(EC2, "DescribeVpcPeeringConnections"),
    c(EKS, "ListClusters"),
    c(EKS, "DescribeCluster"),
    // Optional reads: without them the inventory stands and the rules say what they
    // could not check (P9, V5, P11).
    c(EKS, "ListAddons"),
    c(EKS, "ListNodegroups"),
    c(EKS, "DescribeNodegroup"),
    c(EC2, "DescribeInstances"),
    c(EC2, "DescribeInstanceTypes"),
    c(EC2, "GetManagedPrefixListEntries"),
    c(EC2, "DescribeVpcBlockPublicAccessOptions"),
    c(EC2, "DescribeVpcBlockPublicAccessExclusions"),
    c(ROUTE53, "ListHostedZonesByVPC"),
    c(PROFILES, "ListProfileAssociations"),
    c(RESOLVER, "ListResolverEndpoints"),
    c(RESOLVER, "ListResolverEndpointIpAddresses"),
    c(RESOLVER, "ListResolverRules"),
    c(RESOLVER, "ListResolverRuleAssociations"),
];

/// What destroy reads to find what carries the spec's tag.
pub const FIND_CREATED: &[Call] = &[
    c(EC2, "DescribeVpcEndpoints"),
    c(EC2, "DescribeSubnets"),
    c(EC2, "DescribeSecurityGroups"),
    c(EC2, "DescribeSecurityGroupRules"),
    c(RESOLVER, "ListResolverEndpoints"),
    c(RESOLVER, "ListResolverRules"),
    c(RESOLVER, "ListResolverRuleAssociations"),
    c(RESOLVER, "ListTagsForResource"),
];

pub const SET_VPC_ATTRIBUTE: &[Call] = &[c(EC2, "ModifyVpcAttribute")];
pub const TAG_SUBNET: &[Call] = &[c(EC2, "CreateTags")];
pub const UNTAG_SUBNET: &[Call] = &[c(EC2, "DeleteTags")];
/// The cluster's access before apply changes it, as a tag; removed by destroy.
pub const TAG_CLUSTER: &[Call] = &[c(EKS, "TagResource")];
pub const UNTAG_CLUSTER: &[Call] = &[c(EKS, "UntagResource")];
/// A lost answer is recovered by the group's name.
pub const CREATE_SECURITY_GROUP: &[Call] = &[
    c(EC2, "CreateSecurityGroup"),
    c(EC2, "DescribeSecurityGroups"),
];
pub const AUTHORIZE_INGRESS: &[Call] = &[c(EC2, "AuthorizeSecurityGroupIngress")];
/// No token: look first, then wait for `associated`.
pub const ASSOCIATE_VPC_CIDR: &[Call] = &[c(EC2, "AssociateVpcCidrBlock"), c(EC2, "DescribeVpcs")];
/// Adopt one created by a lost try (by tag), then wait for `available`.
pub const CREATE_SUBNET: &[Call] = &[c(EC2, "CreateSubnet"), c(EC2, "DescribeSubnets")];
/// Look first: a new association, or replace the one in place.
pub const ASSOCIATE_ROUTE_TABLE: &[Call] = &[
    c(EC2, "AssociateRouteTable"),
    c(EC2, "ReplaceRouteTableAssociation"),
    c(EC2, "DescribeRouteTables"),
];
/// Then wait for `available`.
pub const CREATE_ENDPOINT: &[Call] = &[c(EC2, "CreateVpcEndpoint"), c(EC2, "DescribeVpcEndpoints")];
pub const ADD_GATEWAY_ROUTE_TABLES: &[Call] =
    &[c(EC2, "ModifyVpcEndpoint"), c(EC2, "DescribeVpcEndpoints")];
/// Then follow the update, and wait for the cluster to be ACTIVE again.
pub const UPDATE_CLUSTER_ACCESS: &[Call] = &[
    c(EKS, "UpdateClusterConfig"),
    c(EKS, "DescribeUpdate"),
    c(EKS, "DescribeCluster"),
];
pub const CREATE_RESOLVER_ENDPOINT: &[Call] = &[
    c(RESOLVER, "CreateResolverEndpoint"),
    c(RESOLVER, "GetResolverEndpoint"),
];
pub const CREATE_RESOLVER_RULE: &[Call] = &[
    c(RESOLVER, "CreateResolverRule"),
    c(RESOLVER, "GetResolverRule"),
];
pub const ASSOCIATE_RESOLVER_RULE: &[Call] = &[
    c(RESOLVER, "AssociateResolverRule"),
    c(RESOLVER, "ListResolverRuleAssociations"),
];
pub const DELETE_RESOLVER_RULE_ASSOCIATION: &[Call] = &[
    c(RESOLVER, "DisassociateResolverRule"),
    c(RESOLVER, "ListResolverRuleAssociations"),
];
pub const DELETE_RESOLVER_RULE: &[Call] = &[c(RESOLVER, "DeleteResolverRule")];
pub const DELETE_RESOLVER_ENDPOINT: &[Call] = &[
    c(RESOLVER, "DeleteResolverEndpoint"),
    c(RESOLVER, "GetResolverEndpoint"),
];
pub const DELETE_VPC_ENDPOINT: &[Call] =
    &[c(EC2, "DeleteVpcEndpoints"), c(EC2, "DescribeVpcEndpoints")];
pub const REVOKE_INGRESS: &[Call] = &[c(EC2, "RevokeSecurityGroupIngress")];
/// On a group or subnet still in use: which network interfaces hold it.
pub const DELETE_SECURITY_GROUP: &[Call] = &[
    c(EC2, "DeleteSecurityGroup"),
    c(EC2, "DescribeNetworkInterfaces"),
];
pub const DELETE_SUBNET: &[Call] = &[c(EC2, "DeleteSubnet"), c(EC2, "DescribeNetworkInterfaces")];
pub const DISASSOCIATE_VPC_CIDR: &[Call] = &[c(EC2, "DisassociateVpcCidrBlock")];

/// The state lock apply and destroy hold (`aws::lock`): a security group created to take
/// it, its lease renewed by a tag, deleted to release it, read to say who holds it.
pub const LOCK: &[Call] = &[
    c(EC2, "CreateSecurityGroup"),
    c(EC2, "CreateTags"),
    c(EC2, "DescribeSecurityGroups"),
    c(EC2, "DeleteSecurityGroup"),
];

/// What `apply` may call: the re-read, the lock, then any change but a delete.
pub fn apply() -> BTreeSet<Call> {
    let mut s: BTreeSet<Call> = DISCOVERY.iter().copied().collect();
    for set in [
        LOCK,
        SET_VPC_ATTRIBUTE,
        TAG_SUBNET,
        CREATE_SECURITY_GROUP,
        AUTHORIZE_INGRESS,
        ASSOCIATE_VPC_CIDR,
        CREATE_SUBNET,
        ASSOCIATE_ROUTE_TABLE,
        CREATE_ENDPOINT,
        ADD_GATEWAY_ROUTE_TABLES,
        TAG_CLUSTER,
        UPDATE_CLUSTER_ACCESS,
        CREATE_RESOLVER_ENDPOINT,
        CREATE_RESOLVER_RULE,
        ASSOCIATE_RESOLVER_RULE,
    ] {
        s.extend(set.iter().copied());
    }
    s
}

/// What `destroy` may call: the re-read, the lock, finding what carries the tag, putting
/// back what apply changed, the deletes.
pub fn destroy() -> BTreeSet<Call> {
    let mut s: BTreeSet<Call> = DISCOVERY.iter().chain(FIND_CREATED).copied().collect();
    for set in [
        LOCK,
        UPDATE_CLUSTER_ACCESS,
        UNTAG_CLUSTER,
        SET_VPC_ATTRIBUTE,
        UNTAG_SUBNET,
        ADD_GATEWAY_ROUTE_TABLES,
        DELETE_RESOLVER_RULE_ASSOCIATION,
        DELETE_RESOLVER_RULE,
        DELETE_RESOLVER_ENDPOINT,
        DELETE_VPC_ENDPOINT,
        REVOKE_INGRESS,
        DELETE_SECURITY_GROUP,
        DELETE_SUBNET,
        DISASSOCIATE_VPC_CIDR,
    ] {
        s.extend(set.iter().copied());
    }
    s
}

/// Every call the tool makes.
pub fn all() -> BTreeSet<Call> {
    let mut s = apply();
    s.extend(destroy());
    s
}
