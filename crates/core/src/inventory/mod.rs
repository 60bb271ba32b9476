//! The Inventory: what exists in one region, as plain serde data.
//!
//! Produced by `aws::discover`, read by the wizard, the rules and the plan. No SDK type
//! appears here; the JSON form (camelCase) is a documented machine interface
//! (docs/inventory.md), so renaming a field is a breaking change.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod state;
pub use state::{
    AssociationStatus, CidrState, ClusterStatus, EndpointState, NatState, PeeringStatus,
    ResolverEndpointStatus, ResolverIpStatus, ResolverRuleStatus, RouteState, ZoneState,
};

pub type Tags = BTreeMap<String, String>;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Inventory {
    pub region: String,
    /// Account ID of the caller (STS GetCallerIdentity).
    pub account: String,
    pub caller_arn: String,
    /// The `--vpc` the per-VPC reads were limited to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_filter: Option<String>,
    pub availability_zones: Vec<AvailabilityZone>,
    pub vpcs: Vec<Vpc>,
    pub clusters: Vec<Cluster>,
    pub resolver: Resolver,
    /// The region's VPC endpoint services (DescribeVpcEndpointServices).
    pub endpoint_services: Vec<EndpointService>,
    /// The regions the account may use (DescribeRegions: opted in, or needing no opt-in),
    /// sorted; empty when that call is not allowed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// The account's VPC Block Public Access in this region (rule V5); absent when it
    /// could not be read (see `unread`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_public_access: Option<BlockPublicAccess>,
    /// Optional reads that did not answer (not allowed, or not offered here): what the
    /// rules could not check, and why. The rest of the inventory stands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<Unread>,
    /// Instance types read for max pods (N6): the spec's node group's, and any the wizard
    /// was asked about; each read once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instance_types: Vec<InstanceType>,
    /// The prefix lists the VPCs' security group rules let traffic in from, with their
    /// entries (GetManagedPrefixListEntries); one that could not be read is left out and
    /// said in `unread`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefix_lists: Vec<PrefixList>,
    /// Where this tool runs, from the EC2 instance metadata (lock-out guard E4); absent
    /// when the metadata was not asked (AWS_EC2_METADATA_DISABLED, or an inventory file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<Operator>,
    /// Set only on a partial inventory (the wizard shows discovery as it arrives): what
    /// is not read yet. No rule is evaluated on a partial inventory.
    #[serde(skip)]
    pub pending: Option<Pending>,
}

/// Where this tool runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operator {
    /// The EC2 instance, when the instance metadata (IMDSv2) answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<OperatorInstance>,
    /// Why no instance is known (not on EC2, IMDS off or refused), else empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The instance this tool runs on, as its metadata says.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperatorInstance {
    pub instance_id: String,
    pub account: String,
    pub region: String,
    /// The VPC of the primary network interface.
    pub vpc_id: String,
    pub private_ip: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
    /// The VPC's IPv4 CIDRs as the metadata lists them.
    #[serde(default)]
    pub vpc_cidrs: Vec<String>,
}

impl Operator {
    /// One line: the instance and its VPC, or why none is known.
    pub fn describe(&self) -> String {
        match &self.instance {
            Some(i) => format!(
                "instance {} in {} ({}), account {}, {}",
                i.instance_id,
                i.vpc_id,
                if i.private_ip.is_empty() {
                    "no private IP"
                } else {
                    &i.private_ip
                },
                i.account,
                i.region
            ),
            None => format!("not on EC2 as far as can be told: {}", self.note),
        }
    }
}

/// Where the operator stands towards a cluster's VPC (rule E4).
#[derive(Debug, Clone, PartialEq)]
pub enum OperatorPath<'a> {
    /// Not asked: nothing can be said.
    Unknown,
    /// No instance metadata answered: not on EC2 (or IMDS is off for this instance).
    NotEc2(&'a str),
    /// An instance in the cluster's VPC.
    InVpc(&'a OperatorInstance),
    /// An instance in a VPC peered with the cluster's (the peering's ID).
    Peered(&'a OperatorInstance, &'a str),
    /// An instance in another VPC, account or region.
    Outside(&'a OperatorInstance),
}

impl Inventory {
    /// Where this tool runs, seen from VPC `vpc_id` of this inventory.
    pub fn operator_path(&self, vpc_id: &str) -> OperatorPath<'_> {
        let Some(op) = &self.operator else {
            return OperatorPath::Unknown;
        };
        let Some(i) = &op.instance else {
            return OperatorPath::NotEc2(&op.note);
        };
        if i.account == self.account && i.region == self.region && i.vpc_id == vpc_id {
            return OperatorPath::InVpc(i);
        }
        match self
            .vpc(vpc_id)
            .and_then(|v| v.peers().find(|p| p.vpc_id == i.vpc_id))
        {
            Some(p) => OperatorPath::Peered(i, p.id),
            None => OperatorPath::Outside(i),
        }
    }
}

/// What a partial inventory lacks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pending {
    /// The per-VPC lists (subnets, route tables, gateways, endpoints, security groups,
    /// network ACLs, peerings) and the clusters are not read yet.
    pub lists: bool,
    /// VPCs whose DNS attributes are not read yet (their `dns_*` fields are false).
    pub dns: std::collections::BTreeSet<String>,
    /// Calls still out (for the progress line).
    pub what: String,
}

impl Inventory {
    /// Still being read: show it, but judge nothing by it.
    pub fn is_partial(&self) -> bool {
        self.pending.is_some()
    }

    /// The VPC's DNS attributes are known.
    pub fn dns_known(&self, vpc: &str) -> bool {
        self.pending.as_ref().is_none_or(|p| !p.dns.contains(vpc))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityZone {
    pub name: String,
    pub zone_id: String,
    pub state: ZoneState,
    /// availability-zone, local-zone or wavelength-zone.
    pub zone_type: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vpc {
    pub id: String,
    pub name: String,
    pub is_default: bool,
    pub owner_id: String,
    pub cidrs: Vec<VpcCidr>,
    pub dns_support: bool,
    pub dns_hostnames: bool,
    pub dhcp_options: Option<DhcpOptions>,
    pub subnets: Vec<Subnet>,
    pub route_tables: Vec<RouteTable>,
    pub internet_gateways: Vec<String>,
    pub nat_gateways: Vec<NatGateway>,
    pub endpoints: Vec<Endpoint>,
    pub security_groups: Vec<SecurityGroup>,
    pub peerings: Vec<Peering>,
    /// Network ACLs with their entries; a subnet without an explicit one uses the default.
    #[serde(default)]
    pub network_acls: Vec<NetworkAcl>,
    pub tags: Tags,
    /// Private hosted zones associated with the VPC (ListHostedZonesByVPC; rule P11): read
    /// for the VPC under audit (`--vpc`, or the VPCs that hold a cluster); absent when not
    /// read (see `Inventory::unread`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosted_zones: Option<Vec<HostedZone>>,
    /// Route 53 Profiles associated with the VPC (ListProfileAssociations; rule P11), read
    /// as `hosted_zones` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route53_profiles: Option<Vec<ProfileAssociation>>,
}

/// A private hosted zone that answers in a VPC.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostedZone {
    pub id: String,
    /// Lowercase, without the trailing dot: `sts.eu-west-1.amazonaws.com`.
    pub name: String,
    /// The owning account, or the owning service (a VPC endpoint's own zone says
    /// `vpce.amazonaws.com`).
    pub owner: String,
}

/// A Route 53 Profile associated with a VPC (shared from a hub, typically through RAM).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileAssociation {
    pub id: String,
    pub profile_id: String,
    pub name: String,
    pub owner_id: String,
    /// `COMPLETE`, `CREATING`, … as Route 53 sends it.
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkAcl {
    pub id: String,
    pub is_default: bool,
    pub subnet_ids: Vec<String>,
    pub entries: Vec<NaclEntry>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NaclEntry {
    pub rule_number: i32,
    pub egress: bool,
    /// -1 (all), 6 (tcp), 17 (udp), 1 (icmp) as AWS sends it.
    pub protocol: String,
    /// allow or deny.
    pub action: String,
    /// IPv4 CIDR (IPv6 entries are kept with `cidr` empty and `ipv6Cidr` set).
    pub cidr: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr: Option<String>,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VpcCidr {
    pub cidr: String,
    /// associating, associated, disassociating, disassociated, failing, failed.
    pub state: CidrState,
    pub association_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DhcpOptions {
    pub id: String,
    pub domain_name: Option<String>,
    pub domain_name_servers: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubnetKind {
    /// A default route to an internet gateway.
    Public,
    /// A default route through NAT, an instance, a transit gateway or a peering; no IGW.
    Private,
    /// No default route at all.
    Isolated,
}

impl SubnetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubnetKind::Public => "public",
            SubnetKind::Private => "private",
            SubnetKind::Isolated => "isolated",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subnet {
    pub id: String,
    pub name: String,
    pub az: String,
    pub az_id: String,
    pub cidr: String,
    pub available_ips: i64,
    /// The route table in effect: the explicit association, else the VPC's main table.
    pub route_table_id: Option<String>,
    /// True when no explicit association exists and the main route table applies.
    pub main_route_table: bool,
    pub kind: SubnetKind,
    pub map_public_ip_on_launch: bool,
    pub owner_id: String,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteTable {
    pub id: String,
    pub name: String,
    pub main: bool,
    /// Subnets explicitly associated with this table.
    pub subnet_ids: Vec<String>,
    pub routes: Vec<Route>,
    /// Subnet → the ID of its explicit association (`rtbassoc-…`): what CloudFormation
    /// imports an association by.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub associations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Route {
    /// An IPv4/IPv6 CIDR or a prefix list ID (`pl-…`, e.g. the S3 gateway endpoint route).
    pub destination: String,
    /// `local`, `igw-…`, `nat-…`, `pcx-…`, `tgw-…`, `vpce-…`, `eni-…`, `i-…`, `vgw-…`, `eigw-…`.
    pub target: String,
    /// active or blackhole.
    pub state: RouteState,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NatGateway {
    pub id: String,
    pub subnet_id: String,
    pub state: NatState,
    /// public or private.
    pub connectivity: String,
    pub public_ips: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub id: String,
    pub name: String,
    /// The short service name: `sts`, `ecr.dkr`, `s3` (see [`service_short_name`]).
    pub service: String,
    pub service_name: String,
    /// Interface, Gateway, GatewayLoadBalancer.
    #[serde(rename = "type")]
    pub kind: String,
    /// Lowercase, as AWS sends it: pending, available, deleting, failed, …
    pub state: EndpointState,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
    pub private_dns: bool,
    pub route_table_ids: Vec<String>,
    pub dns_names: Vec<String>,
    /// The endpoint policy (JSON text), as AWS returns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_document: Option<String>,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub description: String,
    pub ingress: Vec<SgRule>,
    pub egress: Vec<SgRule>,
    pub tags: Tags,
    /// The group's rules that carry this tool's plan tag (apply tags each rule it adds),
    /// one per protocol and CIDR, with their IDs: what an export imports them by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tagged_rules: Vec<TaggedRule>,
}

/// A security group rule as DescribeSecurityGroupRules gives it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaggedRule {
    /// `sgr-…`.
    pub id: String,
    pub egress: bool,
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    /// Empty for a rule on a group or prefix list.
    pub cidr: String,
    pub description: String,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SgRule {
    /// tcp, udp, icmp or -1 (all).
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub cidrs: Vec<String>,
    pub ipv6_cidrs: Vec<String>,
    pub group_ids: Vec<String>,
    pub prefix_list_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Peering {
    pub id: String,
    pub name: String,
    /// active, pending-acceptance, deleted, …
    pub status: PeeringStatus,
    pub requester_vpc_id: String,
    pub requester_cidrs: Vec<String>,
    pub accepter_vpc_id: String,
    pub accepter_cidrs: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cluster {
    pub name: String,
    pub arn: String,
    /// From DescribeCluster, or derived from the cluster's subnets when absent.
    pub vpc_id: Option<String>,
    pub version: String,
    pub status: ClusterStatus,
    pub endpoint: String,
    pub public_access: bool,
    pub private_access: bool,
    pub public_access_cidrs: Vec<String>,
    pub cluster_security_group_id: Option<String>,
    pub security_group_ids: Vec<String>,
    pub subnet_ids: Vec<String>,
    pub service_cidr: Option<String>,
    /// ipv4 or ipv6.
    pub ip_family: String,
    /// Enabled control-plane log types.
    pub logging: Vec<String>,
    /// Hybrid nodes: the remote node networks' CIDRs (empty without hybrid nodes).
    #[serde(default)]
    pub remote_node_networks: Vec<String>,
    /// `AWS_MANAGED`, `CUSTOMER_ROUTED` or `CUSTOMER_ISOLATED`; absent when EKS does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_plane_egress_mode: Option<String>,
    /// The cluster's tags (DescribeCluster): apply's record of its access before.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: Tags,
    /// The cluster's IAM role (the Terraform export names it to import the cluster).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// `CONFIG_MAP`, `API_AND_CONFIG_MAP` or `API` (rule A5); absent when EKS does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_mode: Option<String>,
    /// The cluster's EKS add-ons by name (ListAddons; rules P8, P9); absent when they
    /// could not be read (see `Inventory::unread`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addons: Option<Vec<String>>,
    /// EKS Auto Mode (DescribeCluster's `computeConfig.enabled`): EKS runs the nodes and
    /// their networking, so ENIConfigs and aws-node settings do not apply.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub auto_mode: bool,
    /// Auto Mode's node role (`computeConfig.nodeRoleArn`), which a NodeClass names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_mode_node_role: Option<String>,
    /// Hybrid nodes: the remote pod networks' CIDRs (empty without hybrid nodes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remote_pod_networks: Vec<String>,
    /// The managed node groups (ListNodegroups, DescribeNodegroup); absent when they could
    /// not be read (see `Inventory::unread`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_groups: Option<Vec<NodeGroup>>,
    /// The cluster's running EC2 nodes, managed and self-managed: the instances tagged
    /// `kubernetes.io/cluster/<name>` (DescribeInstances); absent when not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nodes: Option<Vec<NodeInstance>>,
}

/// A managed node group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeGroup {
    pub name: String,
    /// ACTIVE, CREATING, DEGRADED, … as EKS sends it.
    pub status: String,
    pub subnet_ids: Vec<String>,
    /// AL2023_x86_64_STANDARD, BOTTLEROCKET_ARM_64, CUSTOM, …
    pub ami_type: String,
    pub instance_types: Vec<String>,
    /// ON_DEMAND, SPOT or CAPACITY_BLOCK.
    pub capacity_type: String,
    /// The launch template's ID or name, when the group has one: its security groups, if it
    /// names any, replace the cluster security group on the nodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_template: Option<String>,
    /// The group EKS made for SSH access, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_access_security_group: Option<String>,
}

impl NodeGroup {
    /// Bottlerocket nodes (their AMI type says so).
    pub fn is_bottlerocket(&self) -> bool {
        self.ami_type.starts_with("BOTTLEROCKET")
    }
}

/// A running EC2 instance that is a node of a cluster.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInstance {
    pub id: String,
    pub subnet_id: String,
    pub instance_type: String,
    /// The primary network interface's groups.
    pub security_group_ids: Vec<String>,
    /// The managed node group it belongs to (its `eks:nodegroup-name` tag); None for a
    /// self-managed node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_group: Option<String>,
}

/// What an instance type offers pods (DescribeInstanceTypes): the input of max pods (N6).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceType {
    pub name: String,
    pub default_vcpus: u32,
    /// Network interfaces of the default network card (the VPC CNI uses that card only).
    pub max_interfaces: u32,
    pub ipv4_per_interface: u32,
    /// A Nitro instance (prefix delegation needs one).
    pub nitro: bool,
}

/// A customer-managed prefix list that a security group rule refers to, with its entries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrefixList {
    pub id: String,
    pub cidrs: Vec<String>,
}

/// VPC Block Public Access (DescribeVpcBlockPublicAccessOptions and ...Exclusions).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockPublicAccess {
    /// `off`, `block-bidirectional` (no internet traffic either way through internet
    /// gateways and egress-only gateways) or `block-ingress` (NAT egress still allowed).
    pub mode: String,
    /// The exclusions in force (deleted and failed ones left out).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<BlockPublicAccessExclusion>,
}

impl BlockPublicAccess {
    pub fn is_on(&self) -> bool {
        self.mode.starts_with("block-")
    }

    /// The exclusion that lets `resource` (a VPC or subnet ID) past the block, if any.
    pub fn exclusion_for(&self, resource: &str) -> Option<&BlockPublicAccessExclusion> {
        self.exclusions.iter().find(|e| e.resource_id == resource)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockPublicAccessExclusion {
    pub id: String,
    /// The VPC or subnet excluded (from the exclusion's resource ARN).
    pub resource_id: String,
    /// `allow-bidirectional` or `allow-egress`.
    pub mode: String,
}

impl Unread {
    /// `what` for a cluster's add-ons.
    pub fn addons_of(cluster: &str) -> String {
        format!("the add-ons of cluster {cluster}")
    }
    /// `what` for a cluster's managed node groups.
    pub fn node_groups_of(cluster: &str) -> String {
        format!("the managed node groups of cluster {cluster}")
    }
    /// `what` for a cluster's running nodes.
    pub fn nodes_of(cluster: &str) -> String {
        format!("the running nodes of cluster {cluster}")
    }
    /// Whether this is one of the reads made for cluster `name`.
    pub fn is_of_cluster(&self, name: &str) -> bool {
        [
            Self::addons_of(name),
            Self::node_groups_of(name),
            Self::nodes_of(name),
        ]
        .contains(&self.what)
    }
    /// `what` for the entries of a prefix list.
    pub fn prefix_list(id: &str) -> String {
        format!("the entries of prefix list {id}")
    }
    /// `what` for an instance type.
    pub fn instance_type(name: &str) -> String {
        format!("instance type {name}")
    }
    /// `what` for a VPC's private hosted zones.
    pub fn hosted_zones_of(vpc: &str) -> String {
        format!("the private hosted zones of {vpc}")
    }
    /// `what` for a VPC's Route 53 Profiles.
    pub fn profiles_of(vpc: &str) -> String {
        format!("the Route 53 Profiles of {vpc}")
    }
    pub const BLOCK_PUBLIC_ACCESS: &'static str = "VPC Block Public Access";
    pub const BLOCK_PUBLIC_ACCESS_EXCLUSIONS: &'static str =
        "the VPC Block Public Access exclusions";
}

/// An optional read that did not answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Unread {
    /// As IAM names it: `eks:ListAddons`.
    pub call: String,
    /// What was not read: "the add-ons of cluster prod".
    pub what: String,
    /// The permission was refused (the fix is to grant `call`), rather than the service
    /// not answering (not offered in the region, or an emulator without it).
    pub access_denied: bool,
    /// AWS's message, escaped when shown.
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resolver {
    pub endpoints: Vec<ResolverEndpoint>,
    pub rules: Vec<ResolverRule>,
    pub rule_associations: Vec<ResolverRuleAssociation>,
}

impl Resolver {
    /// The endpoint of `direction` (INBOUND, OUTBOUND) in `vpc_id` that is not being
    /// deleted: the one a plan adopts.
    pub fn endpoint(&self, direction: &str, vpc_id: &str) -> Option<&ResolverEndpoint> {
        self.endpoints.iter().find(|e| {
            e.direction == direction
                && e.vpc_id == vpc_id
                && e.status != ResolverEndpointStatus::Deleting
        })
    }

    /// The FORWARD rule for exactly `domain` (a trailing dot and case aside).
    pub fn forward_rule(&self, domain: &str) -> Option<&ResolverRule> {
        self.rules.iter().find(|x| {
            x.rule_type == "FORWARD"
                && x.domain_name
                    .trim_end_matches('.')
                    .eq_ignore_ascii_case(domain)
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolverEndpoint {
    pub id: String,
    pub name: String,
    /// INBOUND or OUTBOUND.
    pub direction: String,
    pub vpc_id: String,
    pub status: ResolverEndpointStatus,
    pub security_group_ids: Vec<String>,
    pub ips: Vec<ResolverIp>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolverIp {
    pub ip: String,
    pub subnet_id: String,
    pub status: ResolverIpStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolverRule {
    pub id: String,
    pub name: String,
    pub domain_name: String,
    /// FORWARD, SYSTEM or RECURSIVE.
    pub rule_type: String,
    pub status: ResolverRuleStatus,
    pub resolver_endpoint_id: Option<String>,
    /// `ip:port`.
    pub target_ips: Vec<String>,
    pub owner_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolverRuleAssociation {
    pub id: String,
    pub name: String,
    pub rule_id: String,
    pub vpc_id: String,
    pub status: AssociationStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointService {
    pub service_name: String,
    /// See [`service_short_name`].
    pub service: String,
    /// Interface, Gateway, GatewayLoadBalancer (a service can offer several).
    pub types: Vec<String>,
    pub availability_zones: Vec<String>,
    pub private_dns_name: Option<String>,
    pub owner: String,
}

/// The short name of an endpoint service: what follows `.<region>.` in the full name
/// (`com.amazonaws.eu-west-1.ecr.dkr` → `ecr.dkr`, `cn.com.amazonaws.cn-north-1.s3` → `s3`).
/// Prefixes differ by partition (rule P1), so the region is the anchor, not the prefix.
/// A service whose name carries no region (`com.amazonaws.iam`, `com.amazonaws.route53`:
/// rule P12) is named by what follows `amazonaws.`; another region's service keeps its full
/// name.
pub fn service_short_name(service_name: &str, region: &str) -> String {
    let anchor = format!(".{region}.");
    if let Some(i) = service_name.find(&anchor) {
        return service_name[i + anchor.len()..].to_string();
    }
    match service_name.split_once("amazonaws.") {
        Some((_, rest)) if !rest.split('.').next().is_some_and(looks_like_region) => {
            rest.to_string()
        }
        _ => service_name.to_string(),
    }
}

/// `eu-west-1`, `us-gov-east-1`, `cn-north-1`: letters, dashes, a final number.
fn looks_like_region(label: &str) -> bool {
    let mut parts = label.split('-');
    let first = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    first.len() == 2
        && first.chars().all(|c| c.is_ascii_lowercase())
        && rest.len() >= 2
        && rest
            .last()
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Classify a subnet from the routes of the route table in effect for it (rule S3).
/// Public: a default route (0.0.0.0/0 or ::/0) to an internet gateway. Private: an active
/// default route through anything else (NAT, instance, ENI, TGW, peering, VGW, egress-only
/// IGW). Isolated: no usable default route.
pub fn classify_routes(routes: &[Route]) -> SubnetKind {
    let defaults = routes
        .iter()
        .filter(|r| r.destination == "0.0.0.0/0" || r.destination == "::/0")
        .filter(|r| r.state != RouteState::Blackhole);
    let mut kind = SubnetKind::Isolated;
    for r in defaults {
        if r.target.starts_with("igw-") {
            return SubnetKind::Public;
        }
        kind = SubnetKind::Private;
    }
    kind
}

/// The value of the `Name` tag, or "".
/// The hostname of an AWS service's regional API in `region`, in its usual form:
/// `sts.<region>.amazonaws.com`, `api.ecr.…`, `dkr.ecr.…` (and the names under it),
/// `eks-auth.<region>.api.aws`.
pub fn usual_service_host(service: &str, region: &str) -> String {
    match service {
        "ecr.api" => format!("api.ecr.{region}.amazonaws.com"),
        "ecr.dkr" => format!("dkr.ecr.{region}.amazonaws.com"),
        "eks-auth" => format!("eks-auth.{region}.api.aws"),
        // The cluster OIDC issuer of IPv4 clusters; IPv6 ones use oidc-eks.<region>.api.aws.
        "oidc-eks" => format!("oidc.eks.{region}.amazonaws.com"),
        "eks-proxy" => format!("eks-proxy.{region}.api.aws"),
        "iam" => "iam.amazonaws.com".into(),
        "route53" => "route53.amazonaws.com".into(),
        s => format!("{s}.{region}.amazonaws.com"),
    }
}

/// Every DNS name an endpoint of `service` answers with private DNS on, the usual one
/// first: the EKS services answer a dual-stack name under `api.aws` too (EKS User Guide,
/// vpc-interface-endpoints).
pub fn service_hosts(service: &str, region: &str) -> Vec<String> {
    let usual = usual_service_host(service, region);
    let mut out = vec![usual];
    match service {
        "eks" => out.push(format!("eks.{region}.api.aws")),
        "oidc-eks" => out.push(format!("oidc-eks.{region}.api.aws")),
        "eks-proxy" => out.push(format!("eks-proxy.eks.{region}.amazonaws.com")),
        _ => {}
    }
    out
}

pub fn name_tag(tags: &Tags) -> String {
    tags.get("Name").cloned().unwrap_or_default()
}

/// Who sends from one address range: the range, and the security groups every sender in
/// it carries (empty when not known: only a CIDR or prefix-list rule admits them then).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sender {
    /// What they are, for findings: "node subnet subnet-1 (10.0.1.0/24)".
    pub what: String,
    pub cidr: String,
    pub groups: Vec<String>,
}

impl SgRule {
    fn opens_tcp(&self, port: i32) -> bool {
        self.opens("tcp", port)
    }

    /// Whether the rule opens `protocol` (tcp, udp) on `port`: a rule for all protocols
    /// does.
    fn opens(&self, protocol: &str, port: i32) -> bool {
        self.protocol == "-1"
            || (self.protocol == protocol
                && self.from_port.unwrap_or(0) <= port
                && self.to_port.unwrap_or(65535) >= port)
    }
}

/// Whether one of `cidrs` holds all of `net`.
fn covers(cidrs: &[String], net: &ipnet::Ipv4Net) -> bool {
    cidrs
        .iter()
        .any(|x| x.parse::<ipnet::Ipv4Net>().is_ok_and(|x| x.contains(net)))
}

impl SecurityGroup {
    /// Whether an ingress rule lets tcp `port` in from all of `cidr`: a rule for all
    /// protocols counts, and so does a wider CIDR. An unparsable `cidr` is not covered.
    /// Rules naming groups or prefix lists are not read here: see [`Self::admits_tcp`].
    pub fn allows_tcp_from(&self, port: i32, cidr: &str) -> bool {
        let Ok(net) = cidr.parse::<ipnet::Ipv4Net>() else {
            return false;
        };
        self.ingress
            .iter()
            .any(|r| r.opens_tcp(port) && covers(&r.cidrs, &net))
    }

    /// Whether an ingress rule lets tcp `port` in from every sender of `from`: a CIDR
    /// covering its range, a rule naming a group they all carry (the cluster security
    /// group on managed nodes, a node group's own), or a prefix list whose entries cover
    /// the range (a list not read admits nothing).
    pub fn admits_tcp(&self, port: i32, from: &Sender, prefix_lists: &[PrefixList]) -> bool {
        self.admits("tcp", port, from, prefix_lists)
    }

    /// [`Self::admits_tcp`] for `protocol` (tcp or udp).
    pub fn admits(
        &self,
        protocol: &str,
        port: i32,
        from: &Sender,
        prefix_lists: &[PrefixList],
    ) -> bool {
        let Ok(net) = from.cidr.parse::<ipnet::Ipv4Net>() else {
            return false;
        };
        self.ingress
            .iter()
            .filter(|r| r.opens(protocol, port))
            .any(|r| {
                covers(&r.cidrs, &net)
                    || r.group_ids.iter().any(|g| from.groups.contains(g))
                    || r.prefix_list_ids.iter().any(|id| {
                        prefix_lists
                            .iter()
                            .any(|p| &p.id == id && covers(&p.cidrs, &net))
                    })
            })
    }
}

impl SecurityGroup {
    /// Whether an egress rule lets `protocol` out to `port` on all of `cidr` (a rule for
    /// all protocols, or a wider CIDR, counts). Rules naming groups or prefix lists are
    /// not counted: the judgement errs towards "not let out".
    pub fn sends(&self, protocol: &str, port: i32, cidr: &str) -> bool {
        let Ok(net) = cidr.parse::<ipnet::Ipv4Net>() else {
            return false;
        };
        self.egress
            .iter()
            .any(|r| r.opens(protocol, port) && covers(&r.cidrs, &net))
    }
}

impl Cluster {
    /// Where the cluster's nodes run: each managed node group's subnets, then the running
    /// nodes' that no node group names (self-managed nodes), as `(who, subnet)` in that
    /// order, each subnet once. Empty when nothing was read or no node exists.
    pub fn node_subnets(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = vec![];
        for g in self.node_groups.iter().flatten() {
            for s in &g.subnet_ids {
                if !out.iter().any(|(_, x)| x == s) {
                    out.push((format!("node group {}", g.name), s));
                }
            }
        }
        for n in self.nodes.iter().flatten() {
            if !n.subnet_id.is_empty() && !out.iter().any(|(_, x)| *x == n.subnet_id) {
                out.push((format!("node {}", n.id), &n.subnet_id));
            }
        }
        out
    }

    /// The group that takes the rules letting clients reach the private endpoint (E3):
    /// the cluster security group, else the first of its additional groups (both are on
    /// the control plane's network interfaces); None when it has neither.
    pub fn api_rule_group(&self) -> Option<&str> {
        self.cluster_security_group_id
            .as_deref()
            .or(self.security_group_ids.first().map(String::as_str))
    }

    /// An IPv6 cluster's dual-stack endpoint (`eks-cluster.<region>.api.aws`, clusters
    /// made since October 2024): it takes IPv6 CIDRs on its public allow-list (A2).
    pub fn dual_stack_endpoint(&self) -> bool {
        self.ip_family == "ipv6" && self.api_host().ends_with(".api.aws")
    }

    /// The API hostname (`https://X.gr7.eu-west-1.eks.amazonaws.com/` → the host, lowercase):
    /// what the Resolver FORWARD rule forwards (D5).
    pub fn api_host(&self) -> String {
        self.endpoint
            .trim_start_matches("https://")
            .trim_end_matches('/')
            .to_lowercase()
    }
}

impl Inventory {
    pub fn vpc(&self, id: &str) -> Option<&Vpc> {
        self.vpcs.iter().find(|v| v.id == id)
    }

    /// Clusters whose VPC is `vpc_id`.
    pub fn clusters_in<'a>(&'a self, vpc_id: &'a str) -> impl Iterator<Item = &'a Cluster> + 'a {
        self.clusters
            .iter()
            .filter(move |c| c.vpc_id.as_deref() == Some(vpc_id))
    }

    /// Whether the region offers an endpoint service (by short name). An inventory that
    /// did not read the services (empty list) is taken to offer everything.
    /// The hostname clients use for an endpoint service (its private DNS name, without a
    /// leading `*.`), else the usual form: `sts.<region>.amazonaws.com`,
    /// `api.ecr.<region>.amazonaws.com`.
    pub fn service_host(&self, service: &str) -> String {
        if let Some(n) = self
            .endpoint_services
            .iter()
            .find(|e| e.service == service)
            .and_then(|e| e.private_dns_name.as_deref())
        {
            return n
                .trim_start_matches("*.")
                .trim_end_matches('.')
                .to_lowercase();
        }
        usual_service_host(service, &self.region)
    }

    /// Rule P11: the private hosted zone in `vpc` that already answers `service`'s
    /// hostname (a hub's centralised endpoint), if any: a zone of that name, or of a
    /// parent under the region (`ecr.eu-west-1.amazonaws.com` answers both ECR names).
    pub fn hub_zone_for<'a>(&self, vpc: &'a Vpc, service: &str) -> Option<&'a HostedZone> {
        let host = self.service_host(service);
        vpc.hosted_zones.as_ref()?.iter().find(|z| {
            z.name == host
                || (host.ends_with(&format!(".{}", z.name)) && z.name.contains(&self.region))
        })
    }

    pub fn offers(&self, service: &str) -> bool {
        self.endpoint_services.is_empty()
            || self.endpoint_services.iter().any(|e| e.service == service)
    }

    /// The zone ID of an AZ name, if known.
    pub fn zone_id(&self, az: &str) -> Option<&str> {
        self.availability_zones
            .iter()
            .find(|z| z.name == az)
            .map(|z| z.zone_id.as_str())
    }
}

/// The other side of an active peering, seen from one VPC.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Peer<'a> {
    /// The peering connection.
    pub id: &'a str,
    pub vpc_id: &'a str,
    pub cidrs: &'a [String],
}

impl Vpc {
    /// The VPCs this one has an active peering with, and their CIDRs, in peering order.
    pub fn peers(&self) -> impl Iterator<Item = Peer<'_>> {
        self.peerings
            .iter()
            .filter(|p| p.status == PeeringStatus::Active)
            .map(move |p| {
                let (vpc_id, cidrs) = if p.requester_vpc_id == self.id {
                    (&p.accepter_vpc_id, &p.accepter_cidrs)
                } else {
                    (&p.requester_vpc_id, &p.requester_cidrs)
                };
                Peer {
                    id: &p.id,
                    vpc_id,
                    cidrs,
                }
            })
    }

    pub fn subnet(&self, id: &str) -> Option<&Subnet> {
        self.subnets.iter().find(|s| s.id == id)
    }

    /// Associated (or associating) IPv4 CIDRs.
    pub fn active_cidrs(&self) -> impl Iterator<Item = &str> {
        self.cidrs
            .iter()
            .filter(|c| c.state.is_live())
            .map(|c| c.cidr.as_str())
    }

    pub fn count_kind(&self, kind: SubnetKind) -> usize {
        self.subnets.iter().filter(|s| s.kind == kind).count()
    }

    /// AZ names that hold at least one subnet, sorted.
    pub fn azs(&self) -> Vec<&str> {
        let mut azs: Vec<&str> = self.subnets.iter().map(|s| s.az.as_str()).collect();
        azs.sort_unstable();
        azs.dedup();
        azs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(dest: &str, target: &str) -> Route {
        Route {
            destination: dest.into(),
            target: target.into(),
            state: "active".into(),
        }
    }

    #[test]
    fn classify_public_private_isolated() {
        let local = route("10.0.0.0/16", "local");
        assert_eq!(
            classify_routes(&[local.clone(), route("0.0.0.0/0", "igw-1")]),
            SubnetKind::Public
        );
        // I1: an egress-only internet gateway on ::/0 is egress too.
        assert_eq!(
            classify_routes(&[local.clone(), route("::/0", "eigw-1")]),
            SubnetKind::Private
        );
        for target in ["nat-1", "i-1", "eni-1", "tgw-1", "pcx-1", "vgw-1", "eigw-1"] {
            assert_eq!(
                classify_routes(&[local.clone(), route("0.0.0.0/0", target)]),
                SubnetKind::Private,
                "{target}"
            );
        }
        assert_eq!(
            classify_routes(std::slice::from_ref(&local)),
            SubnetKind::Isolated
        );
        // A prefix-list route (S3 gateway) is not a default route.
        assert_eq!(
            classify_routes(&[local.clone(), route("pl-6da54004", "vpce-1")]),
            SubnetKind::Isolated
        );
        // An IPv6 default route to an IGW makes the subnet reachable from the internet.
        assert_eq!(
            classify_routes(&[route("0.0.0.0/0", "nat-1"), route("::/0", "igw-1")]),
            SubnetKind::Public
        );
        // A blackholed default route carries nothing.
        let mut dead = route("0.0.0.0/0", "nat-gone");
        dead.state = "blackhole".into();
        assert_eq!(classify_routes(&[local, dead]), SubnetKind::Isolated);
    }

    #[test]
    fn security_group_coverage() {
        let rule = |proto: &str, from: i32, to: i32, cidr: &str| SgRule {
            protocol: proto.into(),
            from_port: Some(from),
            to_port: Some(to),
            cidrs: vec![cidr.into()],
            ..Default::default()
        };
        let g = SecurityGroup {
            ingress: vec![
                rule("tcp", 443, 443, "10.0.0.0/16"),
                rule("-1", -1, -1, "100.64.0.0/10"),
            ],
            ..Default::default()
        };
        assert!(g.allows_tcp_from(443, "10.0.0.0/16"));
        assert!(g.allows_tcp_from(443, "10.0.5.0/24"), "a wider rule covers");
        assert!(
            !g.allows_tcp_from(443, "10.0.0.0/8"),
            "a narrower rule does not"
        );
        assert!(!g.allows_tcp_from(22, "10.0.0.0/16"));
        assert!(g.allows_tcp_from(22, "100.64.0.0/16"), "all protocols");
        assert!(!g.allows_tcp_from(443, "nonsense"));
    }

    #[test]
    fn short_names_follow_the_region_not_the_prefix() {
        assert_eq!(
            service_short_name("com.amazonaws.eu-west-1.ecr.dkr", "eu-west-1"),
            "ecr.dkr"
        );
        assert_eq!(
            service_short_name("cn.com.amazonaws.cn-north-1.s3", "cn-north-1"),
            "s3"
        );
        assert_eq!(
            service_short_name("com.amazonaws.us-east-1.sts", "eu-west-1"),
            "com.amazonaws.us-east-1.sts"
        );
        // Issue 25 (P9, P12): services whose names carry no region.
        assert_eq!(service_short_name("com.amazonaws.iam", "us-east-1"), "iam");
        assert_eq!(
            service_short_name("com.amazonaws.route53", "us-east-1"),
            "route53"
        );
        assert_eq!(
            service_short_name("com.amazonaws.us-gov-west-1.sts", "us-east-1"),
            "com.amazonaws.us-gov-west-1.sts"
        );
    }
}
