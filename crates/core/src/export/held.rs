//! What the spec manages that exists already: what an apply of it made (its tags say so)
//! and the plan adopts, with the pieces that take no tag of their own (the secondary
//! CIDR holding its subnets, their route table associations, the rule associations of
//! its forward rule). Each is given as the action that would make it, with the values as
//! read, and the IDs an import takes. The Terraform and CloudFormation exports render
//! these beside what the plan still creates, so that a file written after apply carries
//! the whole result (issue 26, 6).

use super::Source;
use crate::inventory::{
    AssociationStatus, CidrState, ResolverEndpoint, Subnet, TaggedRule, Tags, Vpc,
};
use crate::plan::undo::ADDED_TAG_PREFIX;
use crate::plan::{Action, Change, Op, Ref, Targets};
use crate::spec::{ADDRESS_TAG, OWNER_TAG};
use std::collections::{BTreeMap, BTreeSet};

/// One resource (or, for rules, one group's rules of one address) that exists.
#[derive(Debug, Clone)]
pub struct Held {
    /// The action that would make it, with the values as read.
    pub action: Action,
    pub import: Import,
    /// Its tags as read (without AWS's own `aws:` ones or an owner tag), where the
    /// account gives them; None: the tags apply puts on.
    pub tags: Option<Vec<(String, String)>>,
    /// Who holds it now (the owner tag): `terraform`, `cloudformation`; None: the tool.
    pub owner: Option<String>,
    /// A Resolver endpoint's addresses, (subnet, IP).
    pub ips: Vec<(String, String)>,
}

/// What an import takes.
#[derive(Debug, Clone)]
pub enum Import {
    /// One resource: Terraform's import ID, and CloudFormation's resource identifier
    /// (None: CloudFormation cannot import it, or the account as read lacks its ID).
    One {
        terraform: String,
        cloudformation: Option<Vec<(&'static str, String)>>,
    },
    /// Security group rules: (protocol, CIDR) → the rule's ID (`sgr-…`), which both tools
    /// import a rule by.
    Rules(BTreeMap<(String, String), String>),
}

impl Held {
    fn new(action: Action, terraform: impl Into<String>) -> Held {
        Held {
            action,
            import: Import::One {
                terraform: terraform.into(),
                cloudformation: None,
            },
            tags: None,
            owner: None,
            ips: vec![],
        }
    }

    fn cfn(mut self, identifier: Vec<(&'static str, String)>) -> Held {
        if let Import::One { cloudformation, .. } = &mut self.import {
            *cloudformation = Some(identifier);
        }
        self
    }

    fn read_tags(mut self, tags: &Tags) -> Held {
        self.owner = tags.get(OWNER_TAG).cloned();
        self.tags = Some(
            tags.iter()
                .filter(|(k, _)| !k.starts_with("aws:") && k.as_str() != OWNER_TAG)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        );
        self
    }
}

fn create(address: &str, change: Change) -> Action {
    Action::new(address, Op::Create, None, change)
}

/// The resources the spec manages that exist, in the order the plan would make them.
pub fn held(src: &Source) -> Vec<Held> {
    let Some(mut f) = Finder::new(src) else {
        return vec![];
    };
    f.resolver_endpoints();
    f.groups();
    f.rules();
    f.pod_subnets();
    f.subnet_tags();
    f.endpoints();
    f.resolver();
    f.out
}

/// A Resolver endpoint of the spec that an apply of it made: its address, direction, the
/// endpoint as read and its group's ID.
type OurEndpoint<'a> = (&'static str, &'static str, &'a ResolverEndpoint, String);

/// What [`held`] has found so far, and what it looks in.
struct Finder<'a> {
    spec: &'a crate::spec::Spec,
    inv: &'a crate::inventory::Inventory,
    /// The spec's VPC.
    v: &'a Vpc,
    /// The spec's VPC and the outbound endpoint's, where the read covered it.
    vpcs: Vec<&'a Vpc>,
    /// The plan's adopted resources: address → ID.
    adopted: BTreeMap<&'a str, &'a str>,
    /// The plan's addresses (what the plan still makes is not held).
    planned: BTreeSet<&'a str>,
    resolver_endpoints: Vec<OurEndpoint<'a>>,
    /// Groups apply made whose VPC the read did not cover, given as apply made them.
    unread_groups: Vec<Held>,
    /// Held group ID → its address.
    groups: BTreeMap<String, String>,
    out: Vec<Held>,
}

impl<'a> Finder<'a> {
    fn new(src: &Source<'a>) -> Option<Self> {
        let spec = src.spec;
        let v = src.inv.vpc(&spec.vpc_id)?;
        let outbound_vpc = spec
            .dns
            .as_ref()
            .and_then(|d| d.outbound_endpoint.as_ref())
            .map(|o| o.vpc_id.as_str());
        let vpcs = std::iter::once(v)
            .chain(
                outbound_vpc
                    .filter(|o| *o != v.id)
                    .and_then(|o| src.inv.vpc(o)),
            )
            .collect();
        Some(Finder {
            spec,
            inv: src.inv,
            v,
            vpcs,
            adopted: src
                .plan
                .adopted
                .iter()
                .map(|(a, id)| (a.as_str(), id.as_str()))
                .collect(),
            planned: src
                .plan
                .actions
                .iter()
                .map(|a| a.address.as_str())
                .collect(),
            resolver_endpoints: vec![],
            unread_groups: vec![],
            groups: BTreeMap::new(),
            out: vec![],
        })
    }

    /// A group by reference: the held one's address, else its ID.
    fn group_ref(&self, id: &str) -> Ref {
        match self.groups.get(id) {
            Some(a) => Ref::Output(a.clone()),
            None => Ref::Id(id.to_string()),
        }
    }

    /// The Resolver endpoints the spec uses that an apply of it made: in a group it made,
    /// or, where the read did not cover the group's VPC (the outbound endpoint's, when it
    /// is another), by the names apply gives the endpoint and its group (Resolver's tags
    /// are not read). Their groups are then given as apply made them.
    fn resolver_endpoints(&mut self) {
        let (spec, inv) = (self.spec, self.inv);
        for (address, direction) in [
            ("resolver_endpoint.inbound", "INBOUND"),
            ("resolver_endpoint.outbound", "OUTBOUND"),
        ] {
            let Some(id) = self.adopted.get(address) else {
                continue;
            };
            let Some(e) = inv.resolver.endpoints.iter().find(|e| &e.id == id) else {
                continue;
            };
            let side = direction.to_lowercase();
            if inv.vpc(&e.vpc_id).is_some() {
                let group = self.vpcs.iter().find_map(|x| {
                    x.security_groups
                        .iter()
                        .find(|g| e.security_group_ids.contains(&g.id) && spec.made(&g.tags))
                });
                if let Some(g) = group {
                    self.resolver_endpoints
                        .push((address, direction, e, g.id.clone()));
                }
            } else if let [group] = e.security_group_ids.as_slice()
                && e.name == format!("{}-{side}", spec.metadata.name)
            {
                let group_address = format!("security_group.resolver_{side}");
                if !self.planned.contains(group_address.as_str()) {
                    self.unread_groups.push(
                        Held::new(
                            create(
                                &group_address,
                                Change::CreateSecurityGroup {
                                    vpc_id: e.vpc_id.clone(),
                                    name: format!("{}-dns-{side}", spec.metadata.name),
                                    description: crate::plan::RESOLVER_SG_DESCRIPTION.into(),
                                },
                            ),
                            group,
                        )
                        .cfn(vec![("Id", group.clone())]),
                    );
                }
                self.resolver_endpoints
                    .push((address, direction, e, group.clone()));
            }
        }
    }

    /// Security groups: the endpoints' group the plan adopts, and the Resolver endpoints'.
    fn groups(&mut self) {
        for x in self.vpcs.clone() {
            for g in &x.security_groups {
                let Some(address) = g.tags.get(ADDRESS_TAG) else {
                    continue;
                };
                let used = self.adopted.get(address.as_str()) == Some(&g.id.as_str())
                    || self.resolver_endpoints.iter().any(|(.., rg)| *rg == g.id);
                if !self.spec.made(&g.tags) || !used || self.planned.contains(address.as_str()) {
                    continue;
                }
                self.groups.insert(g.id.clone(), address.clone());
                self.out.push(
                    Held::new(
                        create(
                            address,
                            Change::CreateSecurityGroup {
                                vpc_id: x.id.clone(),
                                name: g.name.clone(),
                                description: g.description.clone(),
                            },
                        ),
                        &g.id,
                    )
                    .cfn(vec![("Id", g.id.clone())])
                    .read_tags(&g.tags),
                );
            }
        }
        for h in std::mem::take(&mut self.unread_groups) {
            if let Import::One { terraform, .. } = &h.import {
                self.groups
                    .insert(terraform.clone(), h.action.address.clone());
            }
            self.out.push(h);
        }
    }

    /// The ingress rules an apply of the spec added, to its groups or to others (the
    /// cluster's), one action per address as the plan had it.
    fn rules(&mut self) {
        for x in self.vpcs.clone() {
            for g in &x.security_groups {
                let mut by_address: BTreeMap<&str, Vec<&TaggedRule>> = BTreeMap::new();
                for rule in &g.tagged_rules {
                    if rule.egress || rule.cidr.is_empty() || !self.spec.made(&rule.tags) {
                        continue;
                    }
                    if let Some(a) = rule.tags.get(ADDRESS_TAG)
                        && !self.planned.contains(a.as_str())
                    {
                        by_address.entry(a).or_default().push(rule);
                    }
                }
                for (address, rules) in by_address {
                    let mut protocols: Vec<String> =
                        rules.iter().map(|r| r.protocol.clone()).collect();
                    protocols.sort();
                    protocols.dedup();
                    let mut cidrs: Vec<String> = vec![];
                    for r in &rules {
                        if !cidrs.contains(&r.cidr) {
                            cidrs.push(r.cidr.clone());
                        }
                    }
                    let first = rules[0];
                    let mut h = Held::new(
                        create(
                            address,
                            Change::AuthorizeIngress {
                                group: self.group_ref(&g.id),
                                protocols,
                                port: first.from_port.unwrap_or(-1),
                                cidrs,
                                description: first.description.clone(),
                            },
                        ),
                        "",
                    )
                    .read_tags(&first.tags);
                    h.import = Import::Rules(
                        rules
                            .iter()
                            .map(|r| ((r.protocol.clone(), r.cidr.clone()), r.id.clone()))
                            .collect(),
                    );
                    self.out.push(h);
                }
            }
        }
    }

    /// The pod subnets an apply made, the secondary CIDR that holds them, and their
    /// explicit associations with their node subnets' tables.
    fn pod_subnets(&mut self) {
        let (spec, v) = (self.spec, self.v);
        let pod_subnets: Vec<(&String, &Subnet)> = spec
            .secondary_cidr
            .iter()
            .flat_map(|s| s.pod_subnets.keys())
            .filter_map(|az| {
                let id = self.adopted.get(format!("subnet.pod[{az:?}]").as_str())?;
                let s = v.subnet(id)?;
                spec.made(&s.tags).then_some((az, s))
            })
            .collect();
        let cidr_address = "vpc_cidr.secondary";
        if let (Some(sec), Some(id)) = (&spec.secondary_cidr, self.adopted.get(cidr_address))
            && let Some(c) = v.cidrs.iter().find(|c| {
                &c.association_id == id && c.state != CidrState::Disassociated && c.cidr == sec.cidr
            })
            && let Ok(net) = c.cidr.parse::<ipnet::Ipv4Net>()
            && pod_subnets.iter().any(|(_, s)| {
                s.cidr
                    .parse::<ipnet::Ipv4Net>()
                    .is_ok_and(|n| net.contains(&n))
            })
        {
            self.out.push(
                Held::new(
                    create(
                        cidr_address,
                        Change::AssociateVpcCidr {
                            vpc_id: v.id.clone(),
                            cidr: c.cidr.clone(),
                        },
                    ),
                    &c.association_id,
                )
                .cfn(vec![
                    ("Id", c.association_id.clone()),
                    ("VpcId", v.id.clone()),
                ]),
            );
        }
        let cidr_held = self.out.iter().any(|h| h.action.address == cidr_address);
        for (az, s) in &pod_subnets {
            let address = format!("subnet.pod[{az:?}]");
            let mut a = create(
                &address,
                Change::CreateSubnet {
                    vpc_id: v.id.clone(),
                    az: s.az.clone(),
                    cidr: s.cidr.clone(),
                    name: s.name.clone(),
                    tags: vec![],
                },
            );
            if cidr_held {
                a = a.after(cidr_address);
            }
            self.out.push(
                Held::new(a, &s.id)
                    .cfn(vec![("SubnetId", s.id.clone())])
                    .read_tags(&s.tags),
            );
            let node_rt = spec
                .node_subnets
                .get(*az)
                .and_then(|id| v.subnet(id))
                .and_then(|n| n.route_table_id.as_ref());
            if let (Some(rt), false) = (&s.route_table_id, s.main_route_table)
                && Some(rt) == node_rt
            {
                let association = v
                    .route_tables
                    .iter()
                    .find(|t| &t.id == rt)
                    .and_then(|t| t.associations.get(&s.id));
                let mut h = Held::new(
                    create(
                        &format!("route_table_association.pod[{az:?}]"),
                        Change::AssociateRouteTable {
                            route_table_id: rt.clone(),
                            subnet: Ref::Output(address.clone()),
                        },
                    ),
                    format!("{}/{rt}", s.id),
                );
                if let Some(id) = association {
                    h = h.cfn(vec![("Id", id.clone())]);
                }
                self.out.push(h);
            }
        }
    }

    /// Tags an apply added to the spec's existing subnets (a marker beside each says so).
    fn subnet_tags(&mut self) {
        let spec = self.spec;
        let tagged: Vec<(String, &str)> = spec
            .node_subnets
            .iter()
            .map(|(az, id)| (format!("subnet_tag.node[{az:?}]"), id.as_str()))
            .chain(
                spec.secondary_cidr
                    .iter()
                    .flat_map(|s| s.pod_subnets.keys())
                    .filter_map(|az| {
                        let id = *self.adopted.get(format!("subnet.pod[{az:?}]").as_str())?;
                        Some((format!("subnet_tag.pod[{az:?}]"), id))
                    }),
            )
            .collect();
        for (address, id) in tagged {
            let Some(s) = self.v.subnet(id) else { continue };
            if spec.made(&s.tags) || self.planned.contains(address.as_str()) {
                continue; // a subnet it made carries its tags itself
            }
            for (k, marker) in &s.tags {
                let Some(key) = k.strip_prefix(ADDED_TAG_PREFIX) else {
                    continue;
                };
                let Some(value) = s.tags.get(key) else {
                    continue;
                };
                let mut h = Held::new(
                    create(
                        &address,
                        Change::TagSubnet {
                            subnet_id: s.id.clone(),
                            key: key.to_string(),
                            value: value.clone(),
                        },
                    ),
                    format!("{},{key}", s.id),
                );
                h.owner = (marker != "1").then(|| marker.clone());
                self.out.push(h);
            }
        }
    }

    /// Endpoints an apply made, as read.
    fn endpoints(&mut self) {
        let v = self.v;
        for e in &v.endpoints {
            let Some(address) = e.tags.get(ADDRESS_TAG) else {
                continue;
            };
            if !self.spec.made(&e.tags)
                || self.adopted.get(address.as_str()) != Some(&e.id.as_str())
            {
                continue;
            }
            let change = if e.kind.eq_ignore_ascii_case("interface") {
                let [group] = e.security_group_ids.as_slice() else {
                    continue;
                };
                Change::CreateInterfaceEndpoint {
                    vpc_id: v.id.clone(),
                    service_name: e.service_name.clone(),
                    subnet_ids: e.subnet_ids.clone(),
                    security_group: self.group_ref(group),
                    private_dns: e.private_dns,
                    name: e.name.clone(),
                }
            } else {
                Change::CreateGatewayEndpoint {
                    vpc_id: v.id.clone(),
                    service_name: e.service_name.clone(),
                    route_table_ids: e.route_table_ids.clone(),
                    name: e.name.clone(),
                }
            };
            self.out.push(
                Held::new(create(address, change), &e.id)
                    .cfn(vec![("Id", e.id.clone())])
                    .read_tags(&e.tags),
            );
        }
    }

    /// The Resolver endpoints, the forward rule through the outbound one, and the rule's
    /// associations.
    fn resolver(&mut self) {
        for (address, direction, e, g) in &self.resolver_endpoints {
            let mut h = Held::new(
                create(
                    address,
                    Change::CreateResolverEndpoint {
                        name: e.name.clone(),
                        direction: direction.to_string(),
                        subnet_ids: e.ips.iter().map(|i| i.subnet_id.clone()).collect(),
                        security_group: self.group_ref(g),
                    },
                ),
                &e.id,
            )
            .cfn(vec![("ResolverEndpointId", e.id.clone())]);
            h.ips = e
                .ips
                .iter()
                .map(|i| (i.subnet_id.clone(), i.ip.clone()))
                .collect();
            self.out.push(h);
        }
        let r = &self.inv.resolver;
        let outbound = self
            .resolver_endpoints
            .iter()
            .find(|(a, ..)| *a == "resolver_endpoint.outbound");
        let rule_address = "resolver_rule.forward";
        let Some(x) = self
            .adopted
            .get(rule_address)
            .and_then(|id| r.rules.iter().find(|x| &x.id == id))
            .filter(|x| {
                outbound.is_some_and(|(.., e, _)| x.resolver_endpoint_id.as_ref() == Some(&e.id))
            })
        else {
            return;
        };
        self.out.push(
            Held::new(
                create(
                    rule_address,
                    Change::CreateResolverRule {
                        name: x.name.clone(),
                        domain: x.domain_name.trim_end_matches('.').to_string(),
                        targets: Targets::Ips(x.target_ips.clone()),
                        endpoint: Ref::Output("resolver_endpoint.outbound".into()),
                    },
                ),
                &x.id,
            )
            .cfn(vec![("ResolverRuleId", x.id.clone())]),
        );
        for a in &r.rule_associations {
            let address = format!("resolver_rule_association[{:?}]", a.vpc_id);
            if a.rule_id != x.id
                || a.status == AssociationStatus::Deleting
                || self.adopted.get(address.as_str()) != Some(&a.id.as_str())
            {
                continue;
            }
            self.out.push(
                Held::new(
                    create(
                        &address,
                        Change::AssociateResolverRule {
                            rule: Ref::Output(rule_address.into()),
                            vpc_id: a.vpc_id.clone(),
                            name: a.name.clone(),
                        },
                    ),
                    &a.id,
                )
                .cfn(vec![("ResolverRuleAssociationId", a.id.clone())]),
            );
        }
    }
}
