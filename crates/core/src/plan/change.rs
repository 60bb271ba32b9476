//! What an action does, as data the apply engine executes: one mutating AWS call per
//! action (waits are reads), so "mutating calls == planned actions" can be measured.
//! IDs not known before apply are [`Ref::Output`]s naming the action that produces them.

use super::Attr;
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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

impl Deletable {
    /// The calls its delete makes (its one mutating call, and the reads that wait).
    pub fn calls(self) -> &'static [Call] {
        use crate::calls as k;
        match self {
            Deletable::ResolverRuleAssociation => k::DELETE_RESOLVER_RULE_ASSOCIATION,
            Deletable::ResolverRule => k::DELETE_RESOLVER_RULE,
            Deletable::ResolverEndpoint => k::DELETE_RESOLVER_ENDPOINT,
            Deletable::VpcEndpoint => k::DELETE_VPC_ENDPOINT,
            Deletable::SecurityGroupRule => k::REVOKE_INGRESS,
            Deletable::SecurityGroup => k::DELETE_SECURITY_GROUP,
            Deletable::Subnet => k::DELETE_SUBNET,
            Deletable::VpcCidrAssociation => k::DISASSOCIATE_VPC_CIDR,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "call")]
pub enum Change {
    /// ModifyVpcAttribute (one attribute per call, as the API wants): on for apply, off
    /// again for destroy.
    SetVpcAttribute {
        vpc_id: String,
        attribute: VpcAttribute,
        value: bool,
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
    /// Destroy: DeleteTags on an existing subnet (the tags apply added, and their marker).
    UntagSubnet {
        subnet_id: String,
        keys: Vec<String>,
    },
    /// ModifyVpcEndpoint AddSubnetIds: an adopted interface endpoint gets a subnet in each
    /// node AZ it lacks (rule P2).
    AddEndpointSubnets {
        endpoint_id: String,
        subnet_ids: Vec<String>,
    },
    /// Destroy: ModifyVpcEndpoint RemoveSubnetIds (the subnets apply added).
    RemoveEndpointSubnets {
        endpoint_id: String,
        subnet_ids: Vec<String>,
    },
    /// Destroy: ModifyVpcEndpoint RemoveRouteTableIds (the tables apply added).
    RemoveGatewayRouteTables {
        endpoint_id: String,
        route_table_ids: Vec<String>,
    },
    /// TagResource on the cluster: apply records its endpoint access before changing it,
    /// where a lost journal cannot take it with it.
    TagCluster {
        cluster: String,
        arn: String,
        key: String,
        value: String,
    },
    /// Destroy: UntagResource on the cluster, once its access is back.
    UntagCluster {
        cluster: String,
        arn: String,
        key: String,
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
            Change::AddGatewayRouteTables { .. }
            | Change::RemoveGatewayRouteTables { .. }
            | Change::AddEndpointSubnets { .. }
            | Change::RemoveEndpointSubnets { .. } => k::ADD_GATEWAY_ROUTE_TABLES,
            Change::UntagSubnet { .. } => k::UNTAG_SUBNET,
            Change::TagCluster { .. } => k::TAG_CLUSTER,
            Change::UntagCluster { .. } => k::UNTAG_CLUSTER,
            Change::UpdateClusterAccess { .. } => k::UPDATE_CLUSTER_ACCESS,
            Change::CreateResolverEndpoint { .. } => k::CREATE_RESOLVER_ENDPOINT,
            Change::CreateResolverRule { .. } => k::CREATE_RESOLVER_RULE,
            Change::AssociateResolverRule { .. } => k::ASSOCIATE_RESOLVER_RULE,
            Change::Delete { what, .. } => what.calls(),
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

    /// The resource kind the preview names (`vpc_endpoint`, `subnet`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Change::SetVpcAttribute { .. } => "vpc_attribute",
            Change::TagSubnet { .. } | Change::UntagSubnet { .. } => "subnet_tag",
            Change::CreateSecurityGroup { .. } => "security_group",
            Change::AuthorizeIngress { .. } => "security_group_rule",
            Change::AssociateVpcCidr { .. } => "vpc_cidr_association",
            Change::CreateSubnet { .. } => "subnet",
            Change::AssociateRouteTable { .. } => "route_table_association",
            Change::CreateInterfaceEndpoint { .. }
            | Change::CreateGatewayEndpoint { .. }
            | Change::AddGatewayRouteTables { .. }
            | Change::RemoveGatewayRouteTables { .. }
            | Change::AddEndpointSubnets { .. }
            | Change::RemoveEndpointSubnets { .. } => "vpc_endpoint",
            Change::UpdateClusterAccess { .. } => "eks_cluster_config",
            Change::TagCluster { .. } | Change::UntagCluster { .. } => "eks_cluster_tag",
            Change::CreateResolverEndpoint { .. } => "route53_resolver_endpoint",
            Change::CreateResolverRule { .. } => "route53_resolver_rule",
            Change::AssociateResolverRule { .. } => "route53_resolver_rule_association",
            Change::Delete { what, .. } => what.kind(),
        }
    }

    /// What the preview shows of this change: the values it sets (an output of another
    /// action is "known after apply"), and for a deletion the resource it deletes. The
    /// values an update replaces are not in the change: the plan adds them
    /// ([`super::Action::was`]).
    pub fn attrs(&self) -> Vec<Attr> {
        match self {
            Change::SetVpcAttribute { vpc_id, value, .. } => {
                vec![
                    Attr::same("vpc_id", vpc_id),
                    Attr::new("value", value.to_string()),
                ]
            }
            Change::AddEndpointSubnets {
                endpoint_id,
                subnet_ids,
            } => vec![
                Attr::same("id", endpoint_id),
                Attr::new("subnet_ids (added)", list(subnet_ids)),
            ],
            Change::RemoveEndpointSubnets {
                endpoint_id,
                subnet_ids,
            } => vec![
                Attr::same("id", endpoint_id),
                Attr::change("subnet_ids (removed)", list(subnet_ids), "[]"),
            ],
            Change::UntagSubnet { subnet_id, keys } => {
                let mut v = vec![Attr::same("subnet_id", subnet_id)];
                v.extend(
                    keys.iter()
                        .map(|k| Attr::change(k, "(added by apply)", "(removed)")),
                );
                v
            }
            Change::RemoveGatewayRouteTables {
                endpoint_id,
                route_table_ids,
            } => vec![
                Attr::same("id", endpoint_id),
                Attr::gone("route_table_ids", list(route_table_ids)),
            ],
            Change::TagCluster {
                cluster,
                key,
                value,
                ..
            } => vec![Attr::same("cluster", cluster), Attr::new(key, value)],
            Change::UntagCluster { cluster, key, .. } => vec![
                Attr::same("cluster", cluster),
                Attr::change(key, "(apply's record)", "(removed)"),
            ],
            Change::TagSubnet {
                subnet_id,
                key,
                value,
            } => vec![
                Attr::same("subnet_id", subnet_id),
                Attr::new(key, format!("{value:?}")),
            ],
            Change::CreateSecurityGroup {
                vpc_id,
                name,
                description,
            } => vec![
                Attr::new("name", name),
                Attr::new("vpc_id", vpc_id),
                Attr::new("description", description),
                Attr::unknown("id"),
            ],
            Change::AuthorizeIngress {
                group,
                protocols,
                port,
                cidrs,
                ..
            } => ingress_attrs(group, protocols, *port, cidrs),
            Change::AssociateVpcCidr { vpc_id, cidr } => vec![
                Attr::new("vpc_id", vpc_id),
                Attr::new("cidr_block", cidr),
                Attr::unknown("association_id"),
            ],
            Change::CreateSubnet {
                vpc_id,
                az,
                cidr,
                name,
                tags,
            } => vec![
                Attr::new("vpc_id", vpc_id),
                Attr::new("availability_zone", az),
                Attr::new("cidr_block", cidr),
                Attr::new("tags", tag_map(name, tags)),
                Attr::unknown("id"),
            ],
            Change::AssociateRouteTable {
                route_table_id,
                subnet,
            } => vec![
                Attr::new("route_table_id", route_table_id),
                match subnet {
                    Ref::Id(s) => Attr::same("subnet_id", s),
                    Ref::Output(_) => Attr::unknown("subnet_id"),
                },
            ],
            Change::CreateInterfaceEndpoint {
                service_name,
                subnet_ids,
                security_group,
                private_dns,
                ..
            } => interface_endpoint_attrs(service_name, subnet_ids, security_group, *private_dns),
            Change::CreateGatewayEndpoint {
                service_name,
                route_table_ids,
                ..
            } => vec![
                Attr::new("service_name", service_name),
                Attr::new("type", "Gateway"),
                Attr::new("route_table_ids", list(route_table_ids)),
                Attr::unknown("id"),
            ],
            Change::AddGatewayRouteTables {
                route_table_ids, ..
            } => vec![Attr::new("route_table_ids", list(route_table_ids))],
            Change::UpdateClusterAccess {
                private_access,
                public_access,
                public_access_cidrs,
                ..
            } => vec![
                Attr::new("endpoint_private_access", private_access.to_string()),
                Attr::new("endpoint_public_access", public_access.to_string()),
                Attr::new("public_access_cidrs", list(public_access_cidrs)),
            ],
            Change::CreateResolverEndpoint {
                name,
                direction,
                subnet_ids,
                security_group,
            } => resolver_endpoint_attrs(name, direction, subnet_ids, security_group),
            Change::CreateResolverRule {
                name,
                domain,
                targets,
                endpoint,
            } => resolver_rule_attrs(name, domain, targets, endpoint),
            Change::AssociateResolverRule { rule, vpc_id, .. } => vec![
                id_or_output(rule, "resolver_rule_id"),
                Attr::new("vpc_id", vpc_id),
                Attr::unknown("id"),
            ],
            Change::Delete { id, .. } => vec![Attr::gone("id", id)],
        }
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
            Change::AddGatewayRouteTables { .. }
            | Change::RemoveGatewayRouteTables { .. }
            | Change::AddEndpointSubnets { .. }
            | Change::RemoveEndpointSubnets { .. } => "ModifyVpcEndpoint",
            Change::UntagSubnet { .. } => "DeleteTags",
            Change::TagCluster { .. } => "TagResource",
            Change::UntagCluster { .. } => "UntagResource",
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

/// `["a", "b"]`: a list attribute.
pub(super) fn list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|i| format!("{i:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn ingress_attrs(group: &Ref, protocols: &[String], port: i32, cidrs: &[String]) -> Vec<Attr> {
    vec![
        id_or_output(group, "security_group_id"),
        Attr::new("type", "ingress"),
        one_or_many("protocol", "protocol", protocols),
        Attr::new("port", port.to_string()),
        one_or_many("cidr", "cidrs", cidrs),
    ]
}

/// `name` = the ID, or known after apply.
fn id_or_output(r: &Ref, name: &str) -> Attr {
    match r {
        Ref::Id(id) => Attr::new(name, id),
        Ref::Output(_) => Attr::unknown(name),
    }
}

fn interface_endpoint_attrs(
    service_name: &str,
    subnet_ids: &[String],
    security_group: &Ref,
    private_dns: bool,
) -> Vec<Attr> {
    vec![
        Attr::new("service_name", service_name),
        Attr::new("type", "Interface"),
        Attr::new("subnet_ids", list(subnet_ids)),
        group_ids(security_group),
        Attr::new("private_dns_enabled", private_dns.to_string()),
        Attr::unknown("id"),
    ]
}

fn resolver_endpoint_attrs(
    name: &str,
    direction: &str,
    subnet_ids: &[String],
    security_group: &Ref,
) -> Vec<Attr> {
    vec![
        Attr::new("name", name),
        Attr::new("direction", direction),
        Attr::new("subnet_ids", list(subnet_ids)),
        group_ids(security_group),
        Attr::unknown("ip_addresses"),
        Attr::unknown("id"),
    ]
}

fn resolver_rule_attrs(name: &str, domain: &str, targets: &Targets, endpoint: &Ref) -> Vec<Attr> {
    let id = id_or_output;
    vec![
        Attr::new("name", name),
        Attr::new("rule_type", "FORWARD"),
        Attr::new("domain_name", domain),
        match targets {
            Targets::Ips(ips) => Attr::new("target_ips", list(ips)),
            Targets::EndpointIps(_) => Attr::unknown("target_ips"),
        },
        id(endpoint, "resolver_endpoint_id"),
    ]
}

/// `name_one = "x"` for one value, `name_many = ["x", "y"]` for several.
fn one_or_many(name_one: &str, name_many: &str, values: &[String]) -> Attr {
    match values {
        [one] => Attr::new(name_one, one),
        _ => Attr::new(name_many, list(values)),
    }
}

/// A resource's security groups: the one given, or known after apply.
fn group_ids(group: &Ref) -> Attr {
    match group {
        Ref::Id(id) => Attr::new("security_group_ids", format!("[{id:?}]")),
        Ref::Output(_) => Attr::unknown("security_group_ids"),
    }
}

/// A new subnet's tags as the preview shows them: `{Name = "x", "k" = "v"}`.
fn tag_map(name: &str, tags: &[(String, String)]) -> String {
    let tags: String = tags
        .iter()
        .map(|(k, v)| format!(", \"{k}\" = \"{v}\""))
        .collect();
    format!("{{Name = \"{name}\"{tags}}}")
}
