//! What an action does, as data the apply engine executes: one mutating AWS call per
//! action (waits are reads), so "mutating calls == planned actions" can be measured.
//! IDs not known before apply are [`Ref::Output`]s naming the action that produces them.

use crate::calls::Call;
use serde::Serialize;

/// An ID: known now, or the output of another action of the same plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Ref {
    Id(String),
    Output(String),
}

impl Ref {
    pub fn output_of(&self) -> Option<&str> {
        match self {
            Ref::Output(a) => Some(a),
            Ref::Id(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum VpcAttribute {
    EnableDnsSupport,
    EnableDnsHostnames,
}

/// Where a FORWARD rule sends queries: fixed `ip:port`s, or the IPs of an inbound
/// endpoint created in the same apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Targets {
    Ips(Vec<String>),
    EndpointIps(Ref),
}

/// A resource the tool created, to delete (destroy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Deletable {
    ResolverRuleAssociation,
    ResolverRule,
    ResolverEndpoint,
    VpcEndpoint,
    SecurityGroupRule,
    SecurityGroup,
    Subnet,
    VpcCidrAssociation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "call")]
pub enum Change {
    /// ModifyVpcAttribute (one attribute per call, as the API wants).
    SetVpcAttribute {
        vpc_id: String,
        attribute: VpcAttribute,
    },
    /// CreateTags on an existing subnet.
    TagSubnet {
        subnet_id: String,
        key: String,
        value: String,
    },
    CreateSecurityGroup {
        vpc_id: String,
        name: String,
        description: String,
    },
    /// AuthorizeSecurityGroupIngress: each protocol on `port` from each CIDR, one call.
    AuthorizeIngress {
        group: Ref,
        protocols: Vec<String>,
        port: i32,
        cidrs: Vec<String>,
        description: String,
    },
    AssociateVpcCidr {
        vpc_id: String,
        cidr: String,
    },
    CreateSubnet {
        vpc_id: String,
        az: String,
        cidr: String,
        name: String,
        /// Tags besides the plan's (the pod subnets' `kubernetes.io/role/cni`).
        tags: Vec<(String, String)>,
    },
    /// AssociateRouteTable, or ReplaceRouteTableAssociation when the subnet already has
    /// an explicit association with another table.
    AssociateRouteTable {
        route_table_id: String,
        subnet: Ref,
    },
    CreateInterfaceEndpoint {
        vpc_id: String,
        service_name: String,
        subnet_ids: Vec<String>,
        security_group: Ref,
        private_dns: bool,
        name: String,
    },
    CreateGatewayEndpoint {
        vpc_id: String,
        service_name: String,
        route_table_ids: Vec<String>,
        name: String,
    },
    /// ModifyVpcEndpoint AddRouteTableIds on an existing gateway endpoint.
    AddGatewayRouteTables {
        endpoint_id: String,
        route_table_ids: Vec<String>,
    },
    /// UpdateClusterConfig resourcesVpcConfig.
    UpdateClusterAccess {
        cluster: String,
        private_access: bool,
        public_access: bool,
        public_access_cidrs: Vec<String>,
    },
    CreateResolverEndpoint {
        name: String,
        direction: String,
        subnet_ids: Vec<String>,
        security_group: Ref,
    },
    CreateResolverRule {
        name: String,
        domain: String,
        targets: Targets,
        endpoint: Ref,
    },
    AssociateResolverRule {
        rule: Ref,
        vpc_id: String,
        name: String,
    },
    /// Destroy: delete a resource the tool created. `parent` is the security group of a
    /// rule, the VPC of a CIDR association.
    Delete {
        what: Deletable,
        id: String,
        parent: Option<String>,
    },
}

impl Change {
    /// The AWS calls this change makes: its mutating call, and the reads it makes to look
    /// first and to wait (docs/permissions.md, the IAM export).
    pub fn calls(&self) -> &'static [Call] {
        use crate::calls as k;
        match self {
            Change::SetVpcAttribute { .. } => k::SET_VPC_ATTRIBUTE,
            Change::TagSubnet { .. } => k::TAG_SUBNET,
            Change::CreateSecurityGroup { .. } => k::CREATE_SECURITY_GROUP,
            Change::AuthorizeIngress { .. } => k::AUTHORIZE_INGRESS,
            Change::AssociateVpcCidr { .. } => k::ASSOCIATE_VPC_CIDR,
            Change::CreateSubnet { .. } => k::CREATE_SUBNET,
            Change::AssociateRouteTable { .. } => k::ASSOCIATE_ROUTE_TABLE,
            Change::CreateInterfaceEndpoint { .. } | Change::CreateGatewayEndpoint { .. } => {
                k::CREATE_ENDPOINT
            }
            Change::AddGatewayRouteTables { .. } => k::ADD_GATEWAY_ROUTE_TABLES,
            Change::UpdateClusterAccess { .. } => k::UPDATE_CLUSTER_ACCESS,
            Change::CreateResolverEndpoint { .. } => k::CREATE_RESOLVER_ENDPOINT,
            Change::CreateResolverRule { .. } => k::CREATE_RESOLVER_RULE,
            Change::AssociateResolverRule { .. } => k::ASSOCIATE_RESOLVER_RULE,
            Change::Delete { what, .. } => match what {
                Deletable::ResolverRuleAssociation => k::DELETE_RESOLVER_RULE_ASSOCIATION,
                Deletable::ResolverRule => k::DELETE_RESOLVER_RULE,
                Deletable::ResolverEndpoint => k::DELETE_RESOLVER_ENDPOINT,
                Deletable::VpcEndpoint => k::DELETE_VPC_ENDPOINT,
                Deletable::SecurityGroupRule => k::REVOKE_INGRESS,
                Deletable::SecurityGroup => k::DELETE_SECURITY_GROUP,
                Deletable::Subnet => k::DELETE_SUBNET,
                Deletable::VpcCidrAssociation => k::DISASSOCIATE_VPC_CIDR,
            },
        }
    }

    /// The actions whose outputs this change needs.
    pub fn refs(&self) -> Vec<&str> {
        let r: Vec<&Ref> = match self {
            Change::AuthorizeIngress { group, .. } => vec![group],
            Change::AssociateRouteTable { subnet, .. } => vec![subnet],
            Change::CreateInterfaceEndpoint { security_group, .. }
            | Change::CreateResolverEndpoint { security_group, .. } => vec![security_group],
            Change::CreateResolverRule {
                targets, endpoint, ..
            } => match targets {
                Targets::EndpointIps(t) => vec![t, endpoint],
                Targets::Ips(_) => vec![endpoint],
            },
            Change::AssociateResolverRule { rule, .. } => vec![rule],
            _ => vec![],
        };
        r.into_iter().filter_map(Ref::output_of).collect()
    }

    /// The AWS operation this change calls (for messages and the permissions page).
    pub fn operation(&self) -> &'static str {
        match self {
            Change::SetVpcAttribute { .. } => "ModifyVpcAttribute",
            Change::TagSubnet { .. } => "CreateTags",
            Change::CreateSecurityGroup { .. } => "CreateSecurityGroup",
            Change::AuthorizeIngress { .. } => "AuthorizeSecurityGroupIngress",
            Change::AssociateVpcCidr { .. } => "AssociateVpcCidrBlock",
            Change::CreateSubnet { .. } => "CreateSubnet",
            Change::AssociateRouteTable { .. } => "AssociateRouteTable",
            Change::CreateInterfaceEndpoint { .. } | Change::CreateGatewayEndpoint { .. } => {
                "CreateVpcEndpoint"
            }
            Change::AddGatewayRouteTables { .. } => "ModifyVpcEndpoint",
            Change::UpdateClusterAccess { .. } => "UpdateClusterConfig",
            Change::CreateResolverEndpoint { .. } => "CreateResolverEndpoint",
            Change::CreateResolverRule { .. } => "CreateResolverRule",
            Change::AssociateResolverRule { .. } => "AssociateResolverRule",
            Change::Delete { what, .. } => match what {
                Deletable::ResolverRuleAssociation => "DisassociateResolverRule",
                Deletable::ResolverRule => "DeleteResolverRule",
                Deletable::ResolverEndpoint => "DeleteResolverEndpoint",
                Deletable::VpcEndpoint => "DeleteVpcEndpoints",
                Deletable::SecurityGroupRule => "RevokeSecurityGroupIngress",
                Deletable::SecurityGroup => "DeleteSecurityGroup",
                Deletable::Subnet => "DeleteSubnet",
                Deletable::VpcCidrAssociation => "DisassociateVpcCidrBlock",
            },
        }
    }
}
