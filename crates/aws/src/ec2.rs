//! EC2 reads, each paginated, each turned into plain inventory data at once.

use super::{Aws, AwsError};
use aws_sdk_ec2::types::{self as t, Filter, VpcAttributeName};
use eks_private_tui_core::inventory as inv;
use std::collections::BTreeMap;

/// The largest page EC2's Describe* calls accept.
const PAGE: i32 = 1000;

fn tags(ts: &[t::Tag]) -> inv::Tags {
    ts.iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_string(),
                t.value().unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

fn s(o: Option<&str>) -> String {
    o.unwrap_or_default().to_string()
}

/// `vpc-id = <vpc>` (or another filter name) when the read is limited to one VPC.
fn scope(name: &str, vpc: Option<&str>) -> Option<Vec<Filter>> {
    vpc.map(|v| vec![Filter::builder().name(name).values(v).build()])
}

macro_rules! paged {
    ($aws:expr, $op:literal, $call:expr, $items:ident) => {{
        let _ = &$aws;
        all_pages!("ec2", $op, $call)
            .into_iter()
            .flat_map(|p| p.$items.unwrap_or_default())
            .collect::<Vec<_>>()
    }};
}

impl Aws {
    /// The regions AWS lists, asked in `in_region` (default: the configured one), each with
    /// whether the account may use it (opted in, or needing no opt-in).
    pub(super) async fn regions(
        &self,
        in_region: Option<&str>,
    ) -> Result<Vec<(String, bool)>, AwsError> {
        let mut call = self.ec2.describe_regions().all_regions(true).customize();
        if let Some(r) = in_region {
            call = call.config_override(
                aws_sdk_ec2::config::Builder::default()
                    .region(aws_config::Region::new(r.to_string())),
            );
        }
        let out = call
            .send()
            .await
            .map_err(|e| crate::error::from_sdk("ec2", "DescribeRegions", e))?;
        Ok(out
            .regions()
            .iter()
            .filter_map(|r| {
                let usable = r
                    .opt_in_status()
                    .is_none_or(|s| s == "opt-in-not-required" || s == "opted-in");
                r.region_name().map(|n| (n.to_string(), usable))
            })
            .collect())
    }

    pub(super) async fn availability_zones(&self) -> Result<Vec<inv::AvailabilityZone>, AwsError> {
        let out = self
            .ec2
            .describe_availability_zones()
            .send()
            .await
            .map_err(|e| crate::error::from_sdk("ec2", "DescribeAvailabilityZones", e))?;
        let mut azs: Vec<_> = out
            .availability_zones()
            .iter()
            .map(|z| inv::AvailabilityZone {
                name: s(z.zone_name()),
                zone_id: s(z.zone_id()),
                state: z
                    .state()
                    .map(|s| inv::ZoneState::parse(s.as_str()))
                    .unwrap_or_default(),
                zone_type: z.zone_type().unwrap_or("availability-zone").to_string(),
            })
            .collect();
        azs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(azs)
    }

    /// VPCs without their per-VPC parts (DNS attributes and children are filled later).
    pub(super) async fn vpcs(
        &self,
        vpc: Option<&str>,
    ) -> Result<Vec<(inv::Vpc, Option<String>)>, AwsError> {
        let items = paged!(
            self,
            "DescribeVpcs",
            self.ec2
                .describe_vpcs()
                .set_filters(scope("vpc-id", vpc))
                .max_results(PAGE),
            vpcs
        );
        Ok(items
            .into_iter()
            .map(|v| {
                let tags = tags(v.tags());
                let vpc = inv::Vpc {
                    id: s(v.vpc_id()),
                    name: inv::name_tag(&tags),
                    is_default: v.is_default().unwrap_or(false),
                    owner_id: s(v.owner_id()),
                    // The primary CIDR first (rule C1 picks AWS's restriction row by it).
                    cidrs: {
                        let mut set: Vec<_> = v.cidr_block_association_set().iter().collect();
                        set.sort_by_key(|a| a.cidr_block() != v.cidr_block());
                        set
                    }
                    .into_iter()
                    .map(|a| inv::VpcCidr {
                        cidr: s(a.cidr_block()),
                        state: a
                            .cidr_block_state()
                            .and_then(|st| st.state())
                            .map(|st| inv::CidrState::parse(st.as_str()))
                            .unwrap_or_default(),
                        association_id: s(a.association_id()),
                    })
                    .collect(),
                    tags,
                    ..Default::default()
                };
                (vpc, v.dhcp_options_id().map(str::to_string))
            })
            .collect())
    }

    /// enableDnsSupport and enableDnsHostnames of one VPC (two calls: EC2 has no bulk read).
    pub(super) async fn dns_attributes(&self, vpc: &str) -> Result<(bool, bool), AwsError> {
        let (support, hostnames) = tokio::try_join!(
            self.ec2
                .describe_vpc_attribute()
                .vpc_id(vpc)
                .attribute(VpcAttributeName::EnableDnsSupport)
                .send(),
            self.ec2
                .describe_vpc_attribute()
                .vpc_id(vpc)
                .attribute(VpcAttributeName::EnableDnsHostnames)
                .send(),
        )
        .map_err(|e| crate::error::from_sdk("ec2", "DescribeVpcAttribute", e))?;
        Ok((
            support
                .enable_dns_support()
                .and_then(|v| v.value())
                .unwrap_or(false),
            hostnames
                .enable_dns_hostnames()
                .and_then(|v| v.value())
                .unwrap_or(false),
        ))
    }

    pub(super) async fn dhcp_options(&self) -> Result<Vec<inv::DhcpOptions>, AwsError> {
        let items = paged!(
            self,
            "DescribeDhcpOptions",
            self.ec2.describe_dhcp_options().max_results(PAGE),
            dhcp_options
        );
        Ok(items
            .into_iter()
            .map(|d| {
                let mut o = inv::DhcpOptions {
                    id: s(d.dhcp_options_id()),
                    ..Default::default()
                };
                for c in d.dhcp_configurations() {
                    let values = c
                        .values()
                        .iter()
                        .filter_map(|v| v.value().map(str::to_string));
                    match c.key() {
                        Some("domain-name") => o.domain_name = values.into_iter().next(),
                        Some("domain-name-servers") => o.domain_name_servers = values.collect(),
                        _ => {}
                    }
                }
                o
            })
            .collect())
    }

    /// Subnets with VPC ID; route table and kind are resolved by the caller.
    pub(super) async fn subnets(
        &self,
        vpc: Option<&str>,
    ) -> Result<Vec<(String, inv::Subnet)>, AwsError> {
        let items = paged!(
            self,
            "DescribeSubnets",
            self.ec2
                .describe_subnets()
                .set_filters(scope("vpc-id", vpc))
                .max_results(PAGE),
            subnets
        );
        Ok(items
            .into_iter()
            .map(|sn| {
                let tags = tags(sn.tags());
                (
                    s(sn.vpc_id()),
                    inv::Subnet {
                        id: s(sn.subnet_id()),
                        name: inv::name_tag(&tags),
                        az: s(sn.availability_zone()),
                        az_id: s(sn.availability_zone_id()),
                        cidr: s(sn.cidr_block()),
                        available_ips: sn.available_ip_address_count().unwrap_or(0) as i64,
                        route_table_id: None,
                        main_route_table: false,
                        kind: inv::SubnetKind::Isolated,
                        map_public_ip_on_launch: sn.map_public_ip_on_launch().unwrap_or(false),
                        owner_id: s(sn.owner_id()),
                        tags,
                    },
                )
            })
            .collect())
    }

    pub(super) async fn route_tables(
        &self,
        vpc: Option<&str>,
    ) -> Result<Vec<(String, inv::RouteTable)>, AwsError> {
        let items = paged!(
            self,
            "DescribeRouteTables",
            self.ec2
                .describe_route_tables()
                .set_filters(scope("vpc-id", vpc))
                .max_results(100),
            route_tables
        );
        Ok(items
            .into_iter()
            .map(|rt| {
                let tags = tags(rt.tags());
                let assoc = rt.associations();
                (
                    s(rt.vpc_id()),
                    inv::RouteTable {
                        id: s(rt.route_table_id()),
                        name: inv::name_tag(&tags),
                        main: assoc.iter().any(|a| a.main().unwrap_or(false)),
                        subnet_ids: assoc
                            .iter()
                            .filter_map(|a| a.subnet_id().map(str::to_string))
                            .collect(),
                        routes: rt.routes().iter().map(route).collect(),
                        associations: assoc
                            .iter()
                            .filter_map(|a| {
                                Some((
                                    a.subnet_id()?.to_string(),
                                    a.route_table_association_id()?.to_string(),
                                ))
                            })
                            .collect(),
                    },
                )
            })
            .collect())
    }

    pub(super) async fn internet_gateways(
        &self,
        vpc: Option<&str>,
    ) -> Result<Vec<(String, String)>, AwsError> {
        let items = paged!(
            self,
            "DescribeInternetGateways",
            self.ec2
                .describe_internet_gateways()
                .set_filters(scope("attachment.vpc-id", vpc))
                .max_results(PAGE),
            internet_gateways
        );
        Ok(items
            .into_iter()
            .flat_map(|g| {
                let id = s(g.internet_gateway_id());
                g.attachments()
                    .iter()
                    .filter_map(|a| a.vpc_id().map(|v| (v.to_string(), id.clone())))
                    .collect::<Vec<_>>()
            })
            .collect())
    }

    pub(super) async fn nat_gateways(
        &self,
        vpc: Option<&str>,
    ) -> Result<Vec<(String, inv::NatGateway)>, AwsError> {
        let items = paged!(
            self,
            "DescribeNatGateways",
            self.ec2
                .describe_nat_gateways()
                .set_filter(scope("vpc-id", vpc))
                .max_results(PAGE),
            nat_gateways
        );
        Ok(items
            .into_iter()
            .map(|n| {
                (
                    s(n.vpc_id()),
                    inv::NatGateway {
                        id: s(n.nat_gateway_id()),
                        subnet_id: s(n.subnet_id()),
                        state: n
                            .state()
                            .map(|x| inv::NatState::parse(x.as_str()))
                            .unwrap_or_default(),
                        connectivity: n
                            .connectivity_type()
                            .map(|x| x.as_str().to_string())
                            .unwrap_or_else(|| "public".into()),
                        public_ips: n
                            .nat_gateway_addresses()
                            .iter()
                            .filter_map(|a| a.public_ip().map(str::to_string))
                            .collect(),
                    },
                )
            })
            .collect())
    }

    pub(super) async fn vpc_endpoints(
        &self,
        vpc: Option<&str>,
        region: &str,
    ) -> Result<Vec<(String, inv::Endpoint)>, AwsError> {
        let items = paged!(
            self,
            "DescribeVpcEndpoints",
            self.ec2
                .describe_vpc_endpoints()
                .set_filters(scope("vpc-id", vpc))
                .max_results(PAGE),
            vpc_endpoints
        );
        Ok(items
            .into_iter()
            .map(|e| {
                let tags = tags(e.tags());
                let service_name = s(e.service_name());
                (
                    s(e.vpc_id()),
                    inv::Endpoint {
                        id: s(e.vpc_endpoint_id()),
                        name: inv::name_tag(&tags),
                        service: inv::service_short_name(&service_name, region),
                        service_name,
                        kind: e
                            .vpc_endpoint_type()
                            .map(|x| x.as_str().to_string())
                            .unwrap_or_default(),
                        // Real AWS and moto send lowercase states the SDK maps to Unknown(..)
                        // (aws-sdk-rust#619): keep the text, lowercased.
                        state: e
                            .state()
                            .map(|x| inv::EndpointState::parse(x.as_str()))
                            .unwrap_or_default(),
                        subnet_ids: e.subnet_ids().to_vec(),
                        security_group_ids: e
                            .groups()
                            .iter()
                            .filter_map(|g| g.group_id().map(str::to_string))
                            .collect(),
                        private_dns: e.private_dns_enabled().unwrap_or(false),
                        route_table_ids: e.route_table_ids().to_vec(),
                        dns_names: e
                            .dns_entries()
                            .iter()
                            .filter_map(|d| d.dns_name().map(str::to_string))
                            .collect(),
                        policy_document: e.policy_document().map(str::to_string),
                        tags,
                    },
                )
            })
            .collect())
    }

    pub(super) async fn security_groups(
        &self,
        vpc: Option<&str>,
    ) -> Result<Vec<(String, inv::SecurityGroup)>, AwsError> {
        let items = paged!(
            self,
            "DescribeSecurityGroups",
            self.ec2
                .describe_security_groups()
                .set_filters(scope("vpc-id", vpc))
                .max_results(PAGE),
            security_groups
        );
        Ok(items
            .into_iter()
            // A state lock (aws::lock) is no group of the network.
            .filter(|g| {
                !g.tags()
                    .iter()
                    .any(|t| t.key() == Some(super::lock::LOCK_TAG))
            })
            .map(|g| {
                let tags = tags(g.tags());
                (
                    s(g.vpc_id()),
                    inv::SecurityGroup {
                        id: s(g.group_id()),
                        name: s(g.group_name()),
                        description: s(g.description()),
                        ingress: g.ip_permissions().iter().map(sg_rule).collect(),
                        egress: g.ip_permissions_egress().iter().map(sg_rule).collect(),
                        tags,
                        tagged_rules: vec![],
                    },
                )
            })
            .collect())
    }

    /// The security group rules that carry this tool's plan tag (apply tags each rule it
    /// adds), by group: their IDs are what the exports import them by. The filter is on
    /// the tag, not the VPC (the call has no VPC filter), so it runs beside the groups'.
    pub(super) async fn tagged_rules(
        &self,
    ) -> Result<BTreeMap<String, Vec<inv::TaggedRule>>, AwsError> {
        let items = paged!(
            self,
            "DescribeSecurityGroupRules",
            self.ec2
                .describe_security_group_rules()
                .filters(
                    t::Filter::builder()
                        .name("tag-key")
                        .values(eks_private_tui_core::spec::PLAN_TAG)
                        .build()
                )
                .max_results(PAGE),
            security_group_rules
        );
        let mut out: BTreeMap<String, Vec<inv::TaggedRule>> = BTreeMap::new();
        for r in items {
            out.entry(s(r.group_id()))
                .or_default()
                .push(inv::TaggedRule {
                    id: s(r.security_group_rule_id()),
                    egress: r.is_egress().unwrap_or(false),
                    protocol: s(r.ip_protocol()),
                    from_port: r.from_port(),
                    to_port: r.to_port(),
                    cidr: s(r.cidr_ipv4()),
                    description: s(r.description()),
                    tags: tags(r.tags()),
                });
        }
        Ok(out)
    }

    pub(super) async fn network_acls(
        &self,
        vpc: Option<&str>,
    ) -> Result<Vec<(String, inv::NetworkAcl)>, AwsError> {
        let items = paged!(
            self,
            "DescribeNetworkAcls",
            self.ec2
                .describe_network_acls()
                .set_filters(scope("vpc-id", vpc))
                .max_results(PAGE),
            network_acls
        );
        Ok(items
            .into_iter()
            .map(|n| {
                (
                    s(n.vpc_id()),
                    inv::NetworkAcl {
                        id: s(n.network_acl_id()),
                        is_default: n.is_default().unwrap_or(false),
                        subnet_ids: n
                            .associations()
                            .iter()
                            .filter_map(|a| a.subnet_id().map(str::to_string))
                            .collect(),
                        entries: n
                            .entries()
                            .iter()
                            .map(|e| inv::NaclEntry {
                                rule_number: e.rule_number().unwrap_or(32767),
                                egress: e.egress().unwrap_or(false),
                                protocol: s(e.protocol()),
                                action: e
                                    .rule_action()
                                    .map(|a| a.as_str().to_string())
                                    .unwrap_or_default(),
                                cidr: s(e.cidr_block()),
                                ipv6_cidr: e.ipv6_cidr_block().map(str::to_string),
                                from_port: e.port_range().and_then(|p| p.from()),
                                to_port: e.port_range().and_then(|p| p.to()),
                            })
                            .collect(),
                    },
                )
            })
            .collect())
    }

    /// All peering connections of the region (few; filtered by the caller).
    /// The running (and starting) nodes of a cluster: the instances tagged
    /// `kubernetes.io/cluster/<name>`, as managed and self-managed nodes are. An optional
    /// read: each page is tried once beyond throttling.
    pub(super) async fn cluster_nodes(
        &self,
        cluster: &str,
    ) -> Result<Vec<inv::NodeInstance>, AwsError> {
        let mut out = vec![];
        let mut token: Option<String> = None;
        let mut pages = super::pages::Pages::new("ec2", "DescribeInstances");
        loop {
            let page = self
                .ec2
                .describe_instances()
                .filters(
                    Filter::builder()
                        .name("tag-key")
                        .values(format!("kubernetes.io/cluster/{cluster}"))
                        .build(),
                )
                .filters(
                    Filter::builder()
                        .name("instance-state-name")
                        .values("pending")
                        .values("running")
                        .build(),
                )
                .max_results(PAGE)
                .set_next_token(token.take())
                .customize()
                .config_override(
                    aws_sdk_ec2::config::Builder::default().retry_config(super::optional::once()),
                )
                .send()
                .await
                .map_err(|e| crate::error::from_sdk("ec2", "DescribeInstances", e))?;
            for i in page.reservations().iter().flat_map(|r| r.instances()) {
                let tags = tags(i.tags());
                out.push(inv::NodeInstance {
                    id: s(i.instance_id()),
                    subnet_id: s(i.subnet_id()),
                    instance_type: i
                        .instance_type()
                        .map(|t| t.as_str().to_string())
                        .unwrap_or_default(),
                    security_group_ids: i
                        .security_groups()
                        .iter()
                        .filter_map(|g| g.group_id().map(str::to_string))
                        .collect(),
                    node_group: tags.get("eks:nodegroup-name").cloned(),
                });
            }
            match pages.next(page.next_token())? {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// What instance types offer pods (DescribeInstanceTypes), for the names given; all
    /// of the region's when `names` is empty. A name EC2 does not know is an error
    /// (InvalidInstanceType).
    pub async fn instance_types(
        &self,
        names: &[String],
    ) -> Result<Vec<inv::InstanceType>, AwsError> {
        let items = paged!(
            self,
            "DescribeInstanceTypes",
            self.ec2
                .describe_instance_types()
                .set_instance_types((!names.is_empty()).then(|| {
                    names
                        .iter()
                        .map(|n| t::InstanceType::from(n.as_str()))
                        .collect()
                }))
                .max_results(100),
            instance_types
        );
        let mut out: Vec<inv::InstanceType> = items.iter().map(instance_type).collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// The CIDRs of a prefix list (GetManagedPrefixListEntries, every page).
    pub(super) async fn prefix_list(&self, id: &str) -> Result<inv::PrefixList, AwsError> {
        let items = paged!(
            self,
            "GetManagedPrefixListEntries",
            self.ec2
                .get_managed_prefix_list_entries()
                .prefix_list_id(id)
                .max_results(100),
            entries
        );
        Ok(inv::PrefixList {
            id: id.to_string(),
            cidrs: items
                .iter()
                .filter_map(|e| e.cidr().map(str::to_string))
                .collect(),
        })
    }

    pub(super) async fn peerings(&self) -> Result<Vec<inv::Peering>, AwsError> {
        let items = paged!(
            self,
            "DescribeVpcPeeringConnections",
            self.ec2
                .describe_vpc_peering_connections()
                .max_results(PAGE),
            vpc_peering_connections
        );
        fn cidrs(info: Option<&t::VpcPeeringConnectionVpcInfo>) -> Vec<String> {
            let Some(i) = info else { return vec![] };
            let mut v: Vec<String> = i
                .cidr_block_set()
                .iter()
                .filter_map(|c| c.cidr_block().map(str::to_string))
                .collect();
            if v.is_empty()
                && let Some(c) = i.cidr_block()
            {
                v.push(c.to_string());
            }
            v
        }
        Ok(items
            .into_iter()
            .map(|p| {
                let tags = tags(p.tags());
                inv::Peering {
                    id: s(p.vpc_peering_connection_id()),
                    name: inv::name_tag(&tags),
                    status: p
                        .status()
                        .and_then(|st| st.code())
                        .map(|c| inv::PeeringStatus::parse(c.as_str()))
                        .unwrap_or_default(),
                    requester_vpc_id: s(p.requester_vpc_info().and_then(|i| i.vpc_id())),
                    requester_cidrs: cidrs(p.requester_vpc_info()),
                    accepter_vpc_id: s(p.accepter_vpc_info().and_then(|i| i.vpc_id())),
                    accepter_cidrs: cidrs(p.accepter_vpc_info()),
                }
            })
            .collect())
    }

    /// The region's endpoint services (not paginated by the SDK: follow NextToken by hand).
    pub(super) async fn endpoint_services(
        &self,
        region: &str,
    ) -> Result<Vec<inv::EndpointService>, AwsError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = super::pages::Pages::new("ec2", "DescribeVpcEndpointServices");
        loop {
            let page = self
                .ec2
                .describe_vpc_endpoint_services()
                .set_next_token(token.take())
                .max_results(PAGE)
                .send()
                .await
                .map_err(|e| crate::error::from_sdk("ec2", "DescribeVpcEndpointServices", e))?;
            for d in page.service_details() {
                let name = s(d.service_name());
                out.push(inv::EndpointService {
                    service: inv::service_short_name(&name, region),
                    service_name: name,
                    types: d
                        .service_type()
                        .iter()
                        .filter_map(|t| t.service_type().map(|x| x.as_str().to_string()))
                        .collect(),
                    availability_zones: d.availability_zones().to_vec(),
                    private_dns_name: d.private_dns_name().map(str::to_string),
                    owner: s(d.owner()),
                });
            }
            match pages.next(page.next_token())? {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        out.sort_by(|a, b| a.service_name.cmp(&b.service_name));
        Ok(out)
    }
}

fn route(r: &t::Route) -> inv::Route {
    let destination = r
        .destination_cidr_block()
        .or(r.destination_ipv6_cidr_block())
        .or(r.destination_prefix_list_id())
        .unwrap_or_default()
        .to_string();
    let target = r
        .gateway_id()
        .or(r.nat_gateway_id())
        .or(r.transit_gateway_id())
        .or(r.vpc_peering_connection_id())
        .or(r.egress_only_internet_gateway_id())
        .or(r.local_gateway_id())
        .or(r.carrier_gateway_id())
        .or(r.core_network_arn())
        .or(r.instance_id())
        .or(r.network_interface_id())
        .unwrap_or_default()
        .to_string();
    inv::Route {
        destination,
        target,
        state: r
            .state()
            .map(|x| inv::RouteState::parse(x.as_str()))
            .unwrap_or(inv::RouteState::Active),
    }
}

fn sg_rule(p: &t::IpPermission) -> inv::SgRule {
    inv::SgRule {
        protocol: s(p.ip_protocol()),
        from_port: p.from_port(),
        to_port: p.to_port(),
        cidrs: p
            .ip_ranges()
            .iter()
            .filter_map(|r| r.cidr_ip().map(str::to_string))
            .collect(),
        ipv6_cidrs: p
            .ipv6_ranges()
            .iter()
            .filter_map(|r| r.cidr_ipv6().map(str::to_string))
            .collect(),
        group_ids: p
            .user_id_group_pairs()
            .iter()
            .filter_map(|g| g.group_id().map(str::to_string))
            .collect(),
        prefix_list_ids: p
            .prefix_list_ids()
            .iter()
            .filter_map(|g| g.prefix_list_id().map(str::to_string))
            .collect(),
    }
}

/// The figures max pods is computed from (AWS's max-pods calculator): the default network
/// card's interfaces (the VPC CNI uses that card only), IPv4 addresses per interface,
/// default vCPUs, and whether it is a Nitro instance.
fn instance_type(i: &t::InstanceTypeInfo) -> inv::InstanceType {
    let net = i.network_info();
    let card = net.and_then(|n| {
        let default = n.default_network_card_index().unwrap_or(0);
        n.network_cards()
            .iter()
            .find(|c| c.network_card_index() == Some(default))
    });
    let u = |x: Option<i32>| x.unwrap_or(0).max(0) as u32;
    inv::InstanceType {
        name: i
            .instance_type()
            .map(|t| t.as_str().to_string())
            .unwrap_or_default(),
        default_vcpus: u(i.v_cpu_info().and_then(|v| v.default_v_cpus())),
        max_interfaces: u(card
            .and_then(|c| c.maximum_network_interfaces())
            .or(net.and_then(|n| n.maximum_network_interfaces()))),
        ipv4_per_interface: u(net.and_then(|n| n.ipv4_addresses_per_interface())),
        nitro: i.hypervisor() == Some(&t::InstanceTypeHypervisor::Nitro),
    }
}
