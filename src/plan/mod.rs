//! The plan: diff(spec, inventory) → actions, each with a stable address, a resource
//! kind, before/after attributes and the addresses it depends on. Pure: what already
//! matches is adopted (no action), so a plan after a successful apply is empty.

pub mod change;
pub mod cost;
pub mod destroy;
pub mod render;

pub use change::{Change, Deletable, Ref, Targets, VpcAttribute};

use crate::inventory::{Inventory, Vpc};
use crate::spec::Spec;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    Create,
    Update,
    Delete,
    Replace,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Create => "+",
            Op::Update => "~",
            Op::Delete => "-",
            Op::Replace => "-/+",
        }
    }
}

/// One attribute: `before` is None for creations, `after` None for destructions; an
/// `after` of `None` on an update means "(known after apply)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub name: &'static str,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Attr {
    fn new(name: &'static str, after: impl Into<String>) -> Attr {
        Attr {
            name,
            before: None,
            after: Some(after.into()),
        }
    }
    fn change(name: &'static str, before: impl Into<String>, after: impl Into<String>) -> Attr {
        Attr {
            name,
            before: Some(before.into()),
            after: Some(after.into()),
        }
    }
    fn same(name: &'static str, value: impl Into<String>) -> Attr {
        let v = value.into();
        Attr {
            name,
            before: Some(v.clone()),
            after: Some(v),
        }
    }
    fn unknown(name: &'static str) -> Attr {
        Attr {
            name,
            before: None,
            after: None,
        }
    }
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// Stable: `endpoint.ecr_dkr`, `subnet.pod["eu-west-1a"]`. Used in client tokens.
    pub address: String,
    /// AWS resource kind, for the preview (`vpc_endpoint`, `subnet`, …).
    pub kind: &'static str,
    pub op: Op,
    /// The existing resource, for updates.
    pub id: Option<String>,
    pub attrs: Vec<Attr>,
    pub depends_on: Vec<String>,
    /// What apply does for it.
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub name: String,
    /// The region it applies to (prices, messages).
    pub region: String,
    pub actions: Vec<Action>,
    /// Existing resources the spec wants, used as they are: (address, id).
    pub adopted: Vec<(String, String)>,
}

impl Plan {
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |f: &dyn Fn(Op) -> bool| self.actions.iter().filter(|a| f(a.op)).count();
        (
            n(&|o| matches!(o, Op::Create | Op::Replace)),
            n(&|o| o == Op::Update),
            n(&|o| matches!(o, Op::Delete | Op::Replace)),
        )
    }
}

/// Rules whose findings the plan itself fixes (V1: it turns the DNS attributes on), so
/// they do not block planning.
pub const REMEDIES: &[&str] = &["V1"];

/// The VPC CNI's enhanced subnet discovery tag.
const CNI_TAG: &str = "kubernetes.io/role/cni";

const ENDPOINT_SG_DESCRIPTION: &str = "VPC endpoints of eks-private-tui";
const RESOLVER_SG_DESCRIPTION: &str = "Route 53 Resolver endpoint of eks-private-tui";

/// `ecr.dkr` → `ecr_dkr`: the address part of a service.
fn ident(s: &str) -> String {
    s.replace(['.', '-'], "_")
}

fn list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|i| format!("{i:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The plan for `spec` against `inv`. The spec is assumed to have passed the rules
/// (error findings block planning upstream); unknown references are skipped here.
pub fn plan(spec: &Spec, inv: &Inventory) -> Plan {
    let mut actions = vec![];
    let mut adopted = vec![];
    let Some(v) = inv.vpc(&spec.vpc_id) else {
        return Plan {
            name: spec.metadata.name.clone(),
            region: spec.region.clone(),
            actions,
            adopted,
        };
    };
    vpc_dns(v, &mut actions);
    let secondary = secondary_cidr(spec, v, &mut actions, &mut adopted);
    node_subnet_tags(spec, v, &mut actions);
    if let Some(ep) = &spec.endpoints {
        endpoints(
            spec,
            inv,
            v,
            ep,
            secondary.as_deref(),
            &mut actions,
            &mut adopted,
        );
    }
    resolver(spec, inv, v, &mut actions, &mut adopted);
    cluster_access(spec, inv, &mut actions);
    // Public access goes off last: the private path (endpoints, routes, DNS) is in place
    // before the public endpoint disappears, so an apply cut half-way never leaves the
    // operator with neither.
    let others: Vec<String> = actions
        .iter()
        .filter(|a| a.address != "cluster.endpoint_access")
        .map(|a| a.address.clone())
        .collect();
    if let Some(a) = actions
        .iter_mut()
        .find(|a| a.address == "cluster.endpoint_access")
    {
        a.depends_on = others;
    }
    Plan {
        name: spec.metadata.name.clone(),
        region: spec.region.clone(),
        actions,
        adopted,
    }
}

fn vpc_dns(v: &Vpc, out: &mut Vec<Action>) {
    for (name, on, attribute) in [
        (
            "enable_dns_support",
            v.dns_support,
            VpcAttribute::EnableDnsSupport,
        ),
        (
            "enable_dns_hostnames",
            v.dns_hostnames,
            VpcAttribute::EnableDnsHostnames,
        ),
    ] {
        if !on {
            out.push(Action {
                address: format!("vpc_attribute.{name}"),
                kind: "vpc_attribute",
                op: Op::Update,
                id: Some(v.id.clone()),
                attrs: vec![
                    Attr::same("vpc_id", &v.id),
                    Attr::change("value", "false", "true"),
                ],
                depends_on: vec![],
                change: Change::SetVpcAttribute {
                    vpc_id: v.id.clone(),
                    attribute,
                },
            });
        }
    }
}

/// The secondary CIDR association, pod subnets and their route table associations.
/// Returns the secondary CIDR when one is planned or present.
fn secondary_cidr(
    spec: &Spec,
    v: &Vpc,
    out: &mut Vec<Action>,
    adopted: &mut Vec<(String, String)>,
) -> Option<String> {
    let sec = spec.secondary_cidr.as_ref()?;
    let assoc = "vpc_cidr.secondary".to_string();
    let existing = v
        .cidrs
        .iter()
        .find(|c| c.cidr == sec.cidr && c.state != "disassociated");
    match existing {
        Some(c) => adopted.push((assoc.clone(), c.association_id.clone())),
        None => out.push(Action {
            address: assoc.clone(),
            kind: "vpc_cidr_association",
            op: Op::Create,
            id: None,
            attrs: vec![
                Attr::new("vpc_id", &v.id),
                Attr::new("cidr_block", &sec.cidr),
                Attr::unknown("association_id"),
            ],
            depends_on: vec![],
            change: Change::AssociateVpcCidr {
                vpc_id: v.id.clone(),
                cidr: sec.cidr.clone(),
            },
        }),
    }
    // Without custom networking the VPC CNI finds pod subnets by this tag (enhanced subnet
    // discovery, VPC CNI 1.18+); with it the ENIConfigs decide and the tag would only
    // confuse (N8).
    let cni_tag = spec.custom_networking.is_none();
    for (az, cidr) in &sec.pod_subnets {
        let address = format!("subnet.pod[{az:?}]");
        let node_rt = spec
            .node_subnets
            .get(az)
            .and_then(|id| v.subnet(id))
            .and_then(|s| s.route_table_id.clone());
        match v.subnets.iter().find(|s| &s.cidr == cidr) {
            Some(s) => {
                adopted.push((address.clone(), s.id.clone()));
                if cni_tag && s.tags.get(CNI_TAG).map(String::as_str) != Some("1") {
                    out.push(Action {
                        address: format!("subnet_tag.pod[{az:?}]"),
                        kind: "subnet_tag",
                        op: Op::Update,
                        id: Some(s.id.clone()),
                        attrs: vec![
                            Attr::same("subnet_id", &s.id),
                            Attr {
                                name: CNI_TAG,
                                before: None,
                                after: Some("\"1\"".into()),
                            },
                        ],
                        depends_on: vec![],
                        change: Change::TagSubnet {
                            subnet_id: s.id.clone(),
                            key: CNI_TAG.into(),
                            value: "1".into(),
                        },
                    });
                }
                if let Some(rt) = &node_rt
                    && s.route_table_id.as_ref() != Some(rt)
                {
                    out.push(rt_association(
                        az,
                        rt,
                        Some(&s.id),
                        &address,
                        s.route_table_id.as_deref(),
                    ));
                }
            }
            None => {
                out.push(Action {
                    address: address.clone(),
                    kind: "subnet",
                    op: Op::Create,
                    id: None,
                    attrs: vec![
                        Attr::new("vpc_id", &v.id),
                        Attr::new("availability_zone", az),
                        Attr::new("cidr_block", cidr),
                        Attr::new(
                            "tags",
                            if cni_tag {
                                format!(
                                    "{{Name = \"{}-pods-{az}\", \"{CNI_TAG}\" = \"1\"}}",
                                    spec.metadata.name
                                )
                            } else {
                                format!("{{Name = \"{}-pods-{az}\"}}", spec.metadata.name)
                            },
                        ),
                        Attr::unknown("id"),
                    ],
                    depends_on: vec![assoc.clone()],
                    change: Change::CreateSubnet {
                        vpc_id: v.id.clone(),
                        az: az.clone(),
                        cidr: cidr.clone(),
                        name: format!("{}-pods-{az}", spec.metadata.name),
                        tags: if cni_tag {
                            vec![(CNI_TAG.into(), "1".into())]
                        } else {
                            vec![]
                        },
                    },
                });
                if let Some(rt) = &node_rt {
                    out.push(rt_association(az, rt, None, &address, None));
                }
            }
        }
    }
    Some(sec.cidr.clone())
}

fn rt_association(
    az: &str,
    rt: &str,
    subnet: Option<&str>,
    subnet_address: &str,
    before: Option<&str>,
) -> Action {
    let mut attrs = vec![Attr::new("route_table_id", rt)];
    attrs.push(match subnet {
        Some(s) => Attr::same("subnet_id", s),
        None => Attr::unknown("subnet_id"),
    });
    if let Some(b) = before {
        attrs[0] = Attr::change("route_table_id", b, rt);
    }
    Action {
        address: format!("route_table_association.pod[{az:?}]"),
        kind: "route_table_association",
        op: if before.is_some() {
            Op::Update
        } else {
            Op::Create
        },
        id: subnet.map(str::to_string),
        attrs,
        depends_on: if subnet.is_some() {
            vec![]
        } else {
            vec![subnet_address.to_string()]
        },
        change: Change::AssociateRouteTable {
            route_table_id: rt.to_string(),
            subnet: match subnet {
                Some(s) => Ref::Id(s.to_string()),
                None => Ref::Output(subnet_address.to_string()),
            },
        },
    }
}

/// kubernetes.io/role/internal-elb=1 on node subnets that lack it (S5).
fn node_subnet_tags(spec: &Spec, v: &Vpc, out: &mut Vec<Action>) {
    for (az, id) in &spec.node_subnets {
        let Some(s) = v.subnet(id) else { continue };
        if s.tags
            .get("kubernetes.io/role/internal-elb")
            .map(String::as_str)
            != Some("1")
        {
            out.push(Action {
                address: format!("subnet_tag.node[{az:?}]"),
                kind: "subnet_tag",
                op: Op::Update,
                id: Some(id.clone()),
                attrs: vec![
                    Attr::same("subnet_id", id),
                    Attr {
                        name: "kubernetes.io/role/internal-elb",
                        before: None,
                        after: Some("\"1\"".into()),
                    },
                ],
                depends_on: vec![],
                change: Change::TagSubnet {
                    subnet_id: id.clone(),
                    key: "kubernetes.io/role/internal-elb".into(),
                    value: "1".into(),
                },
            });
        }
    }
}

fn endpoints(
    spec: &Spec,
    inv: &Inventory,
    v: &Vpc,
    ep: &crate::spec::Endpoints,
    secondary: Option<&str>,
    out: &mut Vec<Action>,
    adopted: &mut Vec<(String, String)>,
) {
    // The security group, and tcp/443 from every VPC CIDR (the planned secondary one too).
    let sg_address = "security_group.endpoints".to_string();
    // The group's ID, or None while it is still to be created (known after apply).
    let (sg_ref, existing_sg): (Option<String>, _) =
        match (&ep.security_group.id, &ep.security_group.create) {
            (Some(id), _) => {
                adopted.push((sg_address.clone(), id.clone()));
                (
                    Some(id.clone()),
                    v.security_groups.iter().find(|g| &g.id == id),
                )
            }
            (None, Some(c)) => match v.security_groups.iter().find(|g| g.name == c.name) {
                Some(g) => {
                    adopted.push((sg_address.clone(), g.id.clone()));
                    (Some(g.id.clone()), Some(g))
                }
                None => {
                    out.push(Action {
                        address: sg_address.clone(),
                        kind: "security_group",
                        op: Op::Create,
                        id: None,
                        attrs: vec![
                            Attr::new("name", &c.name),
                            Attr::new("vpc_id", &v.id),
                            Attr::new("description", ENDPOINT_SG_DESCRIPTION),
                            Attr::unknown("id"),
                        ],
                        depends_on: vec![],
                        change: Change::CreateSecurityGroup {
                            vpc_id: v.id.clone(),
                            name: c.name.clone(),
                            description: ENDPOINT_SG_DESCRIPTION.into(),
                        },
                    });
                    (None, None)
                }
            },
            (None, None) => return,
        };
    let mut cidrs: Vec<String> = v.active_cidrs().map(str::to_string).collect();
    if let Some(s) = secondary
        && !cidrs.iter().any(|c| c == s)
    {
        cidrs.push(s.to_string());
    }
    for cidr in cidrs {
        let covered = existing_sg.is_some_and(|g| g.allows_tcp_from(443, &cidr));
        if !covered {
            let mut deps = vec![];
            if existing_sg.is_none() {
                deps.push(sg_address.clone());
            }
            if Some(cidr.as_str()) == secondary {
                deps.push("vpc_cidr.secondary".into());
            }
            out.push(Action {
                address: format!("security_group_rule.endpoints_443[{cidr:?}]"),
                kind: "security_group_rule",
                op: Op::Create,
                id: None,
                attrs: vec![
                    match &sg_ref {
                        Some(id) => Attr::new("security_group_id", id),
                        None => Attr::unknown("security_group_id"),
                    },
                    Attr::new("type", "ingress"),
                    Attr::new("protocol", "tcp"),
                    Attr::new("port", "443"),
                    Attr::new("cidr", &cidr),
                ],
                depends_on: deps,
                change: Change::AuthorizeIngress {
                    group: match &sg_ref {
                        Some(id) => Ref::Id(id.clone()),
                        None => Ref::Output(sg_address.clone()),
                    },
                    protocols: vec!["tcp".into()],
                    port: 443,
                    cidrs: vec![cidr.clone()],
                    description: "HTTPS to the VPC endpoints".into(),
                },
            });
        }
    }

    // Interface endpoints: one subnet per node AZ the service supports.
    for svc in ep.services.iter().filter(|s| *s != "s3") {
        let address = format!("endpoint.{}", ident(svc));
        if let Some(e) = v
            .endpoints
            .iter()
            .find(|e| &e.service == svc && e.state != "deleted" && e.state != "deleting")
        {
            adopted.push((address, e.id.clone()));
            continue;
        }
        let service = inv.endpoint_services.iter().find(|e| &e.service == svc);
        let service_name = service
            .map(|e| e.service_name.clone())
            .unwrap_or_else(|| format!("com.amazonaws.{}.{svc}", inv.region));
        let subnets: Vec<String> = spec
            .node_subnets
            .iter()
            .filter(|(az, _)| {
                service.is_none_or(|e| {
                    e.availability_zones.is_empty() || e.availability_zones.contains(az)
                })
            })
            .map(|(_, id)| id.clone())
            .collect();
        let mut deps = vec![];
        if existing_sg.is_none() {
            deps.push(sg_address.clone());
        }
        out.push(Action {
            address,
            kind: "vpc_endpoint",
            op: Op::Create,
            id: None,
            attrs: vec![
                Attr::new("service_name", &service_name),
                Attr::new("type", "Interface"),
                Attr::new("subnet_ids", list(&subnets)),
                match &sg_ref {
                    Some(id) => Attr::new("security_group_ids", format!("[{id:?}]")),
                    None => Attr::unknown("security_group_ids"),
                },
                Attr::new("private_dns_enabled", ep.private_dns.to_string()),
                Attr::unknown("id"),
            ],
            depends_on: deps,
            change: Change::CreateInterfaceEndpoint {
                vpc_id: v.id.clone(),
                service_name: service_name.clone(),
                subnet_ids: subnets.clone(),
                security_group: match &sg_ref {
                    Some(id) => Ref::Id(id.clone()),
                    None => Ref::Output(sg_address.clone()),
                },
                private_dns: ep.private_dns,
                name: format!("{}-{svc}", spec.metadata.name),
            },
        });
    }

    // The S3 gateway on every node and pod subnet's route table (and the extra ones).
    if ep.services.iter().any(|s| s == "s3") {
        let mut tables: BTreeSet<String> = spec
            .node_subnets
            .values()
            .filter_map(|id| v.subnet(id))
            .filter_map(|s| s.route_table_id.clone())
            .collect();
        tables.extend(ep.extra_route_table_ids.iter().cloned());
        let address = "endpoint.s3".to_string();
        let existing = v.endpoints.iter().find(|e| {
            e.service == "s3" && e.kind.eq_ignore_ascii_case("gateway") && e.state != "deleted"
        });
        match existing {
            Some(e) => {
                let have: BTreeSet<String> = e.route_table_ids.iter().cloned().collect();
                if tables.is_subset(&have) {
                    adopted.push((address, e.id.clone()));
                } else {
                    let after: Vec<String> = have.union(&tables).cloned().collect();
                    out.push(Action {
                        address,
                        kind: "vpc_endpoint",
                        op: Op::Update,
                        id: Some(e.id.clone()),
                        attrs: vec![
                            Attr::same("service_name", &e.service_name),
                            Attr::change("route_table_ids", list(&e.route_table_ids), list(&after)),
                        ],
                        depends_on: vec![],
                        change: Change::AddGatewayRouteTables {
                            endpoint_id: e.id.clone(),
                            route_table_ids: tables.difference(&have).cloned().collect(),
                        },
                    });
                }
            }
            None => {
                let tables: Vec<String> = tables.into_iter().collect();
                let service_name = format!("com.amazonaws.{}.s3", inv.region);
                out.push(Action {
                    address,
                    kind: "vpc_endpoint",
                    op: Op::Create,
                    id: None,
                    attrs: vec![
                        Attr::new("service_name", &service_name),
                        Attr::new("type", "Gateway"),
                        Attr::new("route_table_ids", list(&tables)),
                        Attr::unknown("id"),
                    ],
                    depends_on: vec![],
                    change: Change::CreateGatewayEndpoint {
                        vpc_id: v.id.clone(),
                        service_name,
                        route_table_ids: tables,
                        name: format!("{}-s3", spec.metadata.name),
                    },
                })
            }
        }
    }
}

/// UpdateClusterConfig for endpoint access, and tcp/443 on the cluster security group.
fn cluster_access(spec: &Spec, inv: &Inventory, out: &mut Vec<Action>) {
    let (Some(ep), Some(name)) = (&spec.cluster_endpoint, &spec.cluster_name) else {
        return;
    };
    let Some(c) = inv.clusters.iter().find(|c| &c.name == name) else {
        return;
    };
    let want_cidrs: Vec<String> = if ep.public_access && ep.public_access_cidrs.is_empty() {
        vec!["0.0.0.0/0".into()]
    } else if ep.public_access {
        ep.public_access_cidrs.clone()
    } else {
        c.public_access_cidrs.clone()
    };
    let mut attrs = vec![];
    let b = |x: bool| x.to_string();
    attrs.push(if c.private_access != ep.private_access {
        Attr::change(
            "endpoint_private_access",
            b(c.private_access),
            b(ep.private_access),
        )
    } else {
        Attr::same("endpoint_private_access", b(c.private_access))
    });
    attrs.push(if c.public_access != ep.public_access {
        Attr::change(
            "endpoint_public_access",
            b(c.public_access),
            b(ep.public_access),
        )
    } else {
        Attr::same("endpoint_public_access", b(c.public_access))
    });
    let (have, want) = (list(&c.public_access_cidrs), list(&want_cidrs));
    attrs.push(if ep.public_access && have != want {
        Attr::change("public_access_cidrs", have, want)
    } else {
        Attr::same("public_access_cidrs", have)
    });
    if attrs.iter().any(Attr::changed) {
        out.push(Action {
            address: "cluster.endpoint_access".into(),
            kind: "eks_cluster_config",
            op: Op::Update,
            id: Some(c.name.clone()),
            attrs,
            depends_on: vec![],
            change: Change::UpdateClusterAccess {
                cluster: c.name.clone(),
                private_access: ep.private_access,
                public_access: ep.public_access,
                public_access_cidrs: if ep.public_access {
                    want_cidrs.clone()
                } else {
                    vec![]
                },
            },
        });
    }
    let Some(sg_id) = &c.cluster_security_group_id else {
        return;
    };
    let sg = inv
        .vpcs
        .iter()
        .flat_map(|v| &v.security_groups)
        .find(|g| &g.id == sg_id);
    for cidr in &ep.allow_https_from_cidrs {
        let covered = sg.is_some_and(|g| g.allows_tcp_from(443, cidr));
        if !covered {
            out.push(Action {
                address: format!("security_group_rule.cluster_443[{cidr:?}]"),
                kind: "security_group_rule",
                op: Op::Create,
                id: None,
                attrs: vec![
                    Attr::new("security_group_id", sg_id),
                    Attr::new("type", "ingress"),
                    Attr::new("protocol", "tcp"),
                    Attr::new("port", "443"),
                    Attr::new("cidr", cidr),
                ],
                depends_on: vec![],
                change: Change::AuthorizeIngress {
                    group: Ref::Id(sg_id.clone()),
                    protocols: vec!["tcp".into()],
                    port: 443,
                    cidrs: vec![cidr.clone()],
                    description: "HTTPS to the cluster API".into(),
                },
            });
        }
    }
}

/// `security_group.resolver_<side>`: the group of a Resolver endpoint. A new group allows
/// all egress, which the outbound endpoint needs to reach the inbound one's IPs.
fn resolver_group(name: &str, side: &str, vpc_id: &str) -> Action {
    Action {
        address: format!("security_group.resolver_{side}"),
        kind: "security_group",
        op: Op::Create,
        id: None,
        attrs: vec![
            Attr::new("name", format!("{name}-dns-{side}")),
            Attr::new("vpc_id", vpc_id),
            Attr::new("description", RESOLVER_SG_DESCRIPTION),
            Attr::new("egress", "all (the default)"),
            Attr::unknown("id"),
        ],
        depends_on: vec![],
        change: Change::CreateSecurityGroup {
            vpc_id: vpc_id.to_string(),
            name: format!("{name}-dns-{side}"),
            description: RESOLVER_SG_DESCRIPTION.into(),
        },
    }
}

/// `resolver_endpoint.<inbound|outbound>` in its group.
fn resolver_endpoint(name: &str, direction: &str, subnet_ids: &[String]) -> Action {
    let side = direction.to_lowercase();
    let sg = format!("security_group.resolver_{side}");
    Action {
        address: format!("resolver_endpoint.{side}"),
        kind: "route53_resolver_endpoint",
        op: Op::Create,
        id: None,
        attrs: vec![
            Attr::new("name", format!("{name}-{side}")),
            Attr::new("direction", direction),
            Attr::new("subnet_ids", list(subnet_ids)),
            Attr::unknown("security_group_ids"),
            Attr::unknown("ip_addresses"),
            Attr::unknown("id"),
        ],
        depends_on: vec![sg.clone()],
        change: Change::CreateResolverEndpoint {
            name: format!("{name}-{side}"),
            direction: direction.into(),
            subnet_ids: subnet_ids.to_vec(),
            security_group: Ref::Output(sg),
        },
    }
}

/// Route 53 Resolver: the inbound endpoint in the cluster VPC, the outbound endpoint in a
/// client VPC, the FORWARD rule for the API hostname and its associations.
fn resolver(
    spec: &Spec,
    inv: &Inventory,
    v: &Vpc,
    out: &mut Vec<Action>,
    adopted: &mut Vec<(String, String)>,
) {
    let Some(dns) = &spec.dns else { return };
    let r = &inv.resolver;
    let name = &spec.metadata.name;
    let endpoint = |direction: &str, vpc: &str| {
        r.endpoints
            .iter()
            .find(|e| e.direction == direction && e.vpc_id == vpc && e.status != "DELETING")
    };
    let mut inbound_ips: Option<Vec<String>> = None;
    if let Some(inb) = &dns.inbound_endpoint {
        match endpoint("INBOUND", &v.id) {
            Some(e) => {
                adopted.push(("resolver_endpoint.inbound".into(), e.id.clone()));
                inbound_ips = Some(e.ips.iter().map(|i| format!("{}:53", i.ip)).collect());
            }
            None => {
                let sg = "security_group.resolver_inbound".to_string();
                out.push(resolver_group(name, "inbound", &v.id));
                out.push(Action {
                    address: "security_group_rule.resolver_inbound_53".into(),
                    kind: "security_group_rule",
                    op: Op::Create,
                    id: None,
                    attrs: vec![
                        Attr::unknown("security_group_id"),
                        Attr::new("type", "ingress"),
                        Attr::new("protocol", "[\"tcp\", \"udp\"]"),
                        Attr::new("port", "53"),
                        Attr::new("cidrs", list(&inb.allow_from_cidrs)),
                    ],
                    depends_on: vec![sg.clone()],
                    change: Change::AuthorizeIngress {
                        group: Ref::Output(sg),
                        protocols: vec!["tcp".into(), "udp".into()],
                        port: 53,
                        cidrs: inb.allow_from_cidrs.clone(),
                        description: "DNS to the Resolver inbound endpoint".into(),
                    },
                });
                out.push(resolver_endpoint(name, "INBOUND", &inb.subnet_ids));
            }
        }
    }
    let mut outbound_id: Option<String> = None;
    if let Some(outb) = &dns.outbound_endpoint {
        match endpoint("OUTBOUND", &outb.vpc_id) {
            Some(e) => {
                adopted.push(("resolver_endpoint.outbound".into(), e.id.clone()));
                outbound_id = Some(e.id.clone());
            }
            None => {
                out.push(resolver_group(name, "outbound", &outb.vpc_id));
                out.push(resolver_endpoint(name, "OUTBOUND", &outb.subnet_ids));
            }
        }
    }
    let Some(fr) = &dns.forward_rule else { return };
    if dns.inbound_endpoint.is_none() || dns.outbound_endpoint.is_none() {
        return; // a FORWARD rule needs both ends; the rules say so
    }
    let domain = if fr.domain == "auto" {
        match spec
            .cluster_name
            .as_ref()
            .and_then(|n| inv.clusters.iter().find(|c| &c.name == n))
            .map(|c| c.api_host())
            .filter(|h| !h.is_empty())
        {
            Some(h) => h,
            None => return, // no cluster to forward for: the rules say so (D5)
        }
    } else {
        fr.domain.trim_end_matches('.').to_lowercase()
    };
    let rule_address = "resolver_rule.forward".to_string();
    let existing = r.rules.iter().find(|x| {
        x.rule_type == "FORWARD"
            && x.domain_name
                .trim_end_matches('.')
                .eq_ignore_ascii_case(&domain)
    });
    let rule_id = match existing {
        Some(x) => {
            adopted.push((rule_address.clone(), x.id.clone()));
            Some(x.id.clone())
        }
        None => {
            let mut deps = vec![];
            if inbound_ips.is_none() && dns.inbound_endpoint.is_some() {
                deps.push("resolver_endpoint.inbound".into());
            }
            if outbound_id.is_none() && dns.outbound_endpoint.is_some() {
                deps.push("resolver_endpoint.outbound".into());
            }
            out.push(Action {
                address: rule_address.clone(),
                kind: "route53_resolver_rule",
                op: Op::Create,
                id: None,
                attrs: vec![
                    Attr::new("name", format!("{name}-api")),
                    Attr::new("rule_type", "FORWARD"),
                    Attr::new("domain_name", &domain),
                    match &inbound_ips {
                        Some(ips) => Attr::new("target_ips", list(ips)),
                        None => Attr::unknown("target_ips"),
                    },
                    match &outbound_id {
                        Some(id) => Attr::new("resolver_endpoint_id", id),
                        None => Attr::unknown("resolver_endpoint_id"),
                    },
                ],
                depends_on: deps,
                change: Change::CreateResolverRule {
                    name: format!("{name}-api"),
                    domain: domain.clone(),
                    targets: match &inbound_ips {
                        Some(ips) => Targets::Ips(ips.clone()),
                        None => {
                            Targets::EndpointIps(Ref::Output("resolver_endpoint.inbound".into()))
                        }
                    },
                    endpoint: match &outbound_id {
                        Some(id) => Ref::Id(id.clone()),
                        None => Ref::Output("resolver_endpoint.outbound".into()),
                    },
                },
            });
            None
        }
    };
    for vpc in &fr.associate_vpc_ids {
        let address = format!("resolver_rule_association[{vpc:?}]");
        let associated = rule_id.as_ref().and_then(|id| {
            r.rule_associations
                .iter()
                .find(|a| &a.rule_id == id && &a.vpc_id == vpc && a.status != "DELETING")
        });
        match associated {
            Some(a) => adopted.push((address, a.id.clone())),
            None => out.push(Action {
                address,
                kind: "route53_resolver_rule_association",
                op: Op::Create,
                id: None,
                attrs: vec![
                    match &rule_id {
                        Some(id) => Attr::new("resolver_rule_id", id),
                        None => Attr::unknown("resolver_rule_id"),
                    },
                    Attr::new("vpc_id", vpc),
                    Attr::unknown("id"),
                ],
                depends_on: if rule_id.is_none() {
                    vec![rule_address.clone()]
                } else {
                    vec![]
                },
                change: Change::AssociateResolverRule {
                    rule: match &rule_id {
                        Some(id) => Ref::Id(id.clone()),
                        None => Ref::Output(rule_address.clone()),
                    },
                    vpc_id: vpc.clone(),
                    name: format!("{name}-api-{vpc}"),
                },
            }),
        }
    }
}

#[cfg(test)]
mod tests;
