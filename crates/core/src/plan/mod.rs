//! The plan: diff(spec, inventory) → actions, each with a stable address, a resource
//! kind, before/after attributes and the addresses it depends on. Pure: what already
//! matches is adopted (no action), so a plan after a successful apply is empty.

mod assess;
pub mod change;
pub mod cost;
pub mod destroy;
pub mod limits;
pub mod render;
pub mod undo;

pub use assess::{assess, reconcile};
use change::list;
pub use change::{Change, Deletable, Ref, Targets, VpcAttribute};

use crate::inventory::{AssociationStatus, CidrState, EndpointState, Inventory, Vpc};
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
    pub name: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Attr {
    pub fn new(name: impl Into<String>, after: impl Into<String>) -> Attr {
        Attr {
            name: name.into(),
            before: None,
            after: Some(after.into()),
        }
    }
    pub fn change(
        name: impl Into<String>,
        before: impl Into<String>,
        after: impl Into<String>,
    ) -> Attr {
        Attr {
            name: name.into(),
            before: Some(before.into()),
            after: Some(after.into()),
        }
    }
    pub fn same(name: impl Into<String>, value: impl Into<String>) -> Attr {
        let v = value.into();
        Attr {
            name: name.into(),
            before: Some(v.clone()),
            after: Some(v),
        }
    }
    pub fn unknown(name: impl Into<String>) -> Attr {
        Attr {
            name: name.into(),
            before: None,
            after: None,
        }
    }
    /// What a deletion removes.
    pub fn gone(name: impl Into<String>, before: impl Into<String>) -> Attr {
        Attr {
            name: name.into(),
            before: Some(before.into()),
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
    /// For a change to something apply did not create: the value before, which the
    /// journal keeps and destroy restores.
    pub undo: Option<undo::Undo>,
}

impl Action {
    /// An action whose kind and attributes come from its change, and whose dependencies
    /// are the actions whose outputs the change needs.
    pub fn new(address: impl Into<String>, op: Op, id: Option<String>, change: Change) -> Action {
        Action {
            address: address.into(),
            kind: change.kind(),
            op,
            id,
            attrs: change.attrs(),
            depends_on: change.refs().into_iter().map(str::to_string).collect(),
            change,
            undo: None,
        }
    }

    /// The value before, for destroy to restore.
    pub fn undo(mut self, u: undo::Undo) -> Action {
        self.undo = Some(u);
        self
    }

    /// An ordering the change's references do not imply (a pod subnet waits for the CIDR
    /// association that makes its range valid).
    pub fn after(mut self, address: impl Into<String>) -> Action {
        let address = address.into();
        if !self.depends_on.contains(&address) {
            self.depends_on.push(address);
        }
        self
    }

    /// The value an update replaces (the change holds only the new one).
    pub fn was(mut self, name: &str, before: impl Into<String>) -> Action {
        if let Some(a) = self.attrs.iter_mut().find(|a| a.name == name) {
            a.before = Some(before.into());
        }
        self
    }

    /// An attribute shown in place of the change's own of that name, or one the change
    /// does not hold (before the values known after apply).
    pub fn with(mut self, attr: Attr) -> Action {
        if let Some(a) = self.attrs.iter_mut().find(|a| a.name == attr.name) {
            *a = attr;
        } else {
            let at = self
                .attrs
                .iter()
                .position(|a| a.before.is_none() && a.after.is_none())
                .unwrap_or(self.attrs.len());
            self.attrs.insert(at, attr);
        }
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub name: String,
    /// The spec's VPC: everything apply creates is tagged with it, so that destroy tells
    /// this spec's resources from those of a spec of the same name in another VPC.
    pub vpc_id: String,
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
pub const REMEDIES: &[crate::rules::Id] = &[crate::rules::Id::V1];

/// The VPC CNI's enhanced subnet discovery tag.
const CNI_TAG: &str = "kubernetes.io/role/cni";

const ENDPOINT_SG_DESCRIPTION: &str = "VPC endpoints of eks-private-tui";
pub const RESOLVER_SG_DESCRIPTION: &str = "Route 53 Resolver endpoint of eks-private-tui";

/// `ecr.dkr` → `ecr_dkr`: the address part of a service.
fn ident(s: &str) -> String {
    s.replace(['.', '-'], "_")
}

/// The plan address of the interface endpoint for `service` (`endpoint.ecr_dkr`).
pub fn endpoint_address(service: &str) -> String {
    format!("endpoint.{}", ident(service))
}

/// The plan for `spec` against `inv`. The spec is assumed to have passed the rules
/// (error findings block planning upstream); unknown references are skipped here.
pub fn plan(spec: &Spec, inv: &Inventory) -> Plan {
    let mut actions = vec![];
    let mut adopted = vec![];
    let Some(v) = inv.vpc(&spec.vpc_id) else {
        return Plan {
            name: spec.metadata.name.clone(),
            vpc_id: spec.vpc_id.clone(),
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
        .filter(|a| a.address != CLUSTER_ACCESS)
        .map(|a| a.address.clone())
        .collect();
    if let Some(a) = actions.iter_mut().find(|a| a.address == CLUSTER_ACCESS) {
        a.depends_on = others;
    }
    // An ordering on something adopted (the CIDR association already there) is no
    // ordering: only actions of this plan are waited for.
    let planned: BTreeSet<String> = actions.iter().map(|a| a.address.clone()).collect();
    for a in &mut actions {
        a.depends_on.retain(|d| planned.contains(d));
    }
    Plan {
        name: spec.metadata.name.clone(),
        vpc_id: spec.vpc_id.clone(),
        region: spec.region.clone(),
        actions,
        adopted,
    }
}

const CLUSTER_ACCESS: &str = "cluster.endpoint_access";
/// The tag that records the access before (before [`CLUSTER_ACCESS`]).
const CLUSTER_ACCESS_RECORD: &str = "cluster.access_before";
const CIDR_ASSOCIATION: &str = "vpc_cidr.secondary";

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
            let change = Change::SetVpcAttribute {
                vpc_id: v.id.clone(),
                attribute,
                value: true,
            };
            out.push(
                Action::new(
                    format!("vpc_attribute.{name}"),
                    Op::Update,
                    Some(v.id.clone()),
                    change,
                )
                .was("value", "false")
                .undo(undo::Undo::VpcAttribute {
                    vpc_id: v.id.clone(),
                    attribute,
                }),
            );
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
    let existing = v
        .cidrs
        .iter()
        .find(|c| c.cidr == sec.cidr && c.state != CidrState::Disassociated);
    match existing {
        Some(c) => adopted.push((CIDR_ASSOCIATION.into(), c.association_id.clone())),
        None => out.push(Action::new(
            CIDR_ASSOCIATION,
            Op::Create,
            None,
            Change::AssociateVpcCidr {
                vpc_id: v.id.clone(),
                cidr: sec.cidr.clone(),
            },
        )),
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
                    out.push(tag_subnet(
                        format!("subnet_tag.pod[{az:?}]"),
                        &s.id,
                        CNI_TAG,
                    ));
                }
                if let Some(rt) = &node_rt
                    && s.route_table_id.as_ref() != Some(rt)
                {
                    out.push(rt_association(
                        az,
                        rt,
                        Ref::Id(s.id.clone()),
                        s.route_table_id.as_deref(),
                    ));
                }
            }
            None => {
                out.push(
                    Action::new(
                        address.clone(),
                        Op::Create,
                        None,
                        Change::CreateSubnet {
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
                    )
                    .after(CIDR_ASSOCIATION),
                );
                if let Some(rt) = &node_rt {
                    out.push(rt_association(az, rt, Ref::Output(address), None));
                }
            }
        }
    }
    Some(sec.cidr.clone())
}

/// `key = "1"` on an existing subnet.
fn tag_subnet(address: String, subnet_id: &str, key: &str) -> Action {
    Action::new(
        address,
        Op::Update,
        Some(subnet_id.to_string()),
        Change::TagSubnet {
            subnet_id: subnet_id.to_string(),
            key: key.into(),
            value: "1".into(),
        },
    )
    .undo(undo::Undo::SubnetTag {
        subnet_id: subnet_id.to_string(),
        key: key.into(),
    })
}

/// The pod subnet of `az` on its node subnet's route table; `before` is the table it is
/// explicitly associated with now.
fn rt_association(az: &str, rt: &str, subnet: Ref, before: Option<&str>) -> Action {
    let id = match &subnet {
        Ref::Id(s) => Some(s.clone()),
        Ref::Output(_) => None,
    };
    let a = Action::new(
        format!("route_table_association.pod[{az:?}]"),
        if before.is_some() {
            Op::Update
        } else {
            Op::Create
        },
        id,
        Change::AssociateRouteTable {
            route_table_id: rt.to_string(),
            subnet,
        },
    );
    match (before, &a.id) {
        (Some(b), Some(subnet_id)) => {
            let u = undo::Undo::RouteTable {
                subnet_id: subnet_id.clone(),
                route_table_id: b.to_string(),
            };
            a.was("route_table_id", b).undo(u)
        }
        (Some(b), None) => a.was("route_table_id", b),
        (None, _) => a,
    }
}

/// kubernetes.io/role/internal-elb=1 on node subnets that lack it (S5; an empty value
/// counts as the tag, as the Load Balancer Controller reads it).
fn node_subnet_tags(spec: &Spec, v: &Vpc, out: &mut Vec<Action>) {
    use crate::rules::subnets::{INTERNAL_ELB_TAG, has_internal_elb_tag};
    for (az, id) in &spec.node_subnets {
        let Some(s) = v.subnet(id) else { continue };
        if !has_internal_elb_tag(s) {
            out.push(tag_subnet(
                format!("subnet_tag.node[{az:?}]"),
                id,
                INTERNAL_ELB_TAG,
            ));
        }
    }
}

/// An adopted interface endpoint without a subnet in a node AZ the service supports: the
/// update that adds the spec's node subnets there (rule P2), with the value before for
/// destroy. None when it lacks none.
fn add_node_subnets(
    spec: &Spec,
    inv: &Inventory,
    v: &Vpc,
    svc: &str,
    e: &crate::inventory::Endpoint,
) -> Option<Action> {
    let service = inv.endpoint_services.iter().find(|x| x.service == svc);
    let nodes: Vec<(&str, &str)> = spec
        .node_subnets
        .iter()
        .filter(|(_, id)| v.subnet(id).is_some())
        .map(|(az, id)| (az.as_str(), id.as_str()))
        .collect();
    let add: Vec<String> = crate::rules::missing_node_azs(v, e, service, &nodes)
        .into_iter()
        .map(|(_, id)| id.to_string())
        .collect();
    if add.is_empty() || !e.kind.eq_ignore_ascii_case("interface") || !e.state.is_usable() {
        return None;
    }
    let after: Vec<String> = e.subnet_ids.iter().chain(&add).cloned().collect();
    Some(
        Action::new(
            endpoint_address(svc),
            Op::Update,
            Some(e.id.clone()),
            Change::AddEndpointSubnets {
                endpoint_id: e.id.clone(),
                subnet_ids: add.clone(),
            },
        )
        .with(Attr::change(
            "subnet_ids",
            list(&e.subnet_ids),
            list(&after),
        ))
        .undo(undo::Undo::EndpointSubnets {
            endpoint_id: e.id.clone(),
            subnet_ids: add,
        }),
    )
}

/// A resource's ID when it exists, else the output of the action that creates it.
fn known_or(id: Option<&String>, address: &str) -> Ref {
    match id {
        Some(id) => Ref::Id(id.clone()),
        None => Ref::Output(address.to_string()),
    }
}

/// tcp/443 from one CIDR.
fn https_from(address: String, group: Ref, cidr: &str, description: &str) -> Action {
    Action::new(
        address,
        Op::Create,
        None,
        Change::AuthorizeIngress {
            group,
            protocols: vec!["tcp".into()],
            port: 443,
            cidrs: vec![cidr.to_string()],
            description: description.into(),
        },
    )
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
    let Some(sg) = endpoint_group(spec, inv, v, ep, secondary, out, adopted) else {
        return;
    };
    interface_endpoints(spec, inv, v, ep, &sg, out, adopted);
    if ep.services.iter().any(|s| s == "s3") {
        s3_gateway(spec, inv, v, ep, out, adopted);
    }
}

/// The endpoints' security group (adopted, or to create), and tcp/443 from every VPC CIDR
/// (the planned secondary one too) it does not let in already. None: the spec names no
/// group.
fn endpoint_group(
    spec: &Spec,
    inv: &Inventory,
    v: &Vpc,
    ep: &crate::spec::Endpoints,
    secondary: Option<&str>,
    out: &mut Vec<Action>,
    adopted: &mut Vec<(String, String)>,
) -> Option<Ref> {
    // The security group, and tcp/443 from every VPC CIDR (the planned secondary one too).
    let sg_address = "security_group.endpoints".to_string();
    // The group's ID, or None while it is still to be created (known after apply).
    let (sg_id, existing_sg): (Option<String>, _) =
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
                    out.push(Action::new(
                        sg_address.clone(),
                        Op::Create,
                        None,
                        Change::CreateSecurityGroup {
                            vpc_id: v.id.clone(),
                            name: c.name.clone(),
                            description: ENDPOINT_SG_DESCRIPTION.into(),
                        },
                    ));
                    (None, None)
                }
            },
            (None, None) => return None,
        };
    let sg = known_or(sg_id.as_ref(), &sg_address);
    let mut cidrs: Vec<String> = v.active_cidrs().map(str::to_string).collect();
    if let Some(s) = secondary
        && !cidrs.iter().any(|c| c == s)
    {
        cidrs.push(s.to_string());
    }
    // The same question rule G1 asks: a group rule naming what the nodes and pods inside
    // the CIDR carry lets them in as well as a CIDR rule.
    for cidr in cidrs {
        if existing_sg.is_some_and(|g| crate::rules::senders::spec_admits(inv, spec, v, g, &cidr)) {
            continue;
        }
        let rule = https_from(
            format!("security_group_rule.endpoints_443[{cidr:?}]"),
            sg.clone(),
            &cidr,
            "HTTPS to the VPC endpoints",
        );
        out.push(if Some(cidr.as_str()) == secondary {
            rule.after(CIDR_ASSOCIATION)
        } else {
            rule
        });
    }
    Some(sg)
}

/// Interface endpoints: one subnet per node AZ the service supports; an existing one is
/// adopted or gets the node subnets it lacks.
fn interface_endpoints(
    spec: &Spec,
    inv: &Inventory,
    v: &Vpc,
    ep: &crate::spec::Endpoints,
    sg: &Ref,
    out: &mut Vec<Action>,
    adopted: &mut Vec<(String, String)>,
) {
    for svc in ep.services.iter().filter(|s| *s != "s3") {
        let address = endpoint_address(svc);
        if let Some(e) = v
            .endpoints
            .iter()
            .find(|e| &e.service == svc && !e.state.is_gone())
        {
            match add_node_subnets(spec, inv, v, svc, e) {
                Some(update) => out.push(update),
                None => adopted.push((address, e.id.clone())),
            }
            continue;
        }
        // A hub's zone already answers the name: a local endpoint with private DNS would
        // conflict with it (rule P11 says so).
        if ep.private_dns && inv.hub_zone_for(v, svc).is_some() {
            continue;
        }
        let service = inv.endpoint_services.iter().find(|e| &e.service == svc);
        let service_name = service
            .map(|e| e.service_name.clone())
            .unwrap_or_else(|| crate::spec::services::default_service_name(svc, &inv.region));
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
        out.push(Action::new(
            address,
            Op::Create,
            None,
            Change::CreateInterfaceEndpoint {
                vpc_id: v.id.clone(),
                service_name,
                subnet_ids: subnets,
                security_group: sg.clone(),
                private_dns: ep.private_dns,
                name: format!("{}-{svc}", spec.metadata.name),
            },
        ));
    }
}

/// The S3 gateway on every node and pod subnet's route table (and the extra ones).
fn s3_gateway(
    spec: &Spec,
    inv: &Inventory,
    v: &Vpc,
    ep: &crate::spec::Endpoints,
    out: &mut Vec<Action>,
    adopted: &mut Vec<(String, String)>,
) {
    let mut tables: BTreeSet<String> = spec
        .node_subnets
        .values()
        .filter_map(|id| v.subnet(id))
        .filter_map(|s| s.route_table_id.clone())
        .collect();
    tables.extend(ep.extra_route_table_ids.iter().cloned());
    let address = "endpoint.s3".to_string();
    let existing = v.endpoints.iter().find(|e| {
        e.service == "s3"
            && e.kind.eq_ignore_ascii_case("gateway")
            && e.state != EndpointState::Deleted
    });
    match existing {
        Some(e) => {
            let have: BTreeSet<String> = e.route_table_ids.iter().cloned().collect();
            if tables.is_subset(&have) {
                adopted.push((address, e.id.clone()));
            } else {
                let after: Vec<String> = have.union(&tables).cloned().collect();
                out.push(
                    Action::new(
                        address,
                        Op::Update,
                        Some(e.id.clone()),
                        Change::AddGatewayRouteTables {
                            endpoint_id: e.id.clone(),
                            route_table_ids: tables.difference(&have).cloned().collect(),
                        },
                    )
                    .undo(undo::Undo::GatewayRouteTables {
                        endpoint_id: e.id.clone(),
                        route_table_ids: tables.difference(&have).cloned().collect(),
                    })
                    // The preview shows the whole set, before and after.
                    .with(Attr::change(
                        "route_table_ids",
                        list(&e.route_table_ids),
                        list(&after),
                    ))
                    .with(Attr::same("service_name", &e.service_name)),
                );
            }
        }
        None => out.push(Action::new(
            address,
            Op::Create,
            None,
            Change::CreateGatewayEndpoint {
                vpc_id: v.id.clone(),
                service_name: format!("com.amazonaws.{}.s3", inv.region),
                route_table_ids: tables.into_iter().collect(),
                name: format!("{}-s3", spec.metadata.name),
            },
        )),
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
        crate::rules::cidr::distinct(&ep.public_access_cidrs)
    } else {
        c.public_access_cidrs.clone()
    };
    let b = |x: bool| x.to_string();
    let have = list(&c.public_access_cidrs);
    let update = Action::new(
        CLUSTER_ACCESS,
        Op::Update,
        Some(c.name.clone()),
        Change::UpdateClusterAccess {
            cluster: c.name.clone(),
            private_access: ep.private_access,
            public_access: ep.public_access,
            public_access_cidrs: if ep.public_access { want_cidrs } else { vec![] },
        },
    )
    .was("endpoint_private_access", b(c.private_access))
    .was("endpoint_public_access", b(c.public_access));
    // With public access off the CIDRs are not sent: AWS keeps them as they are.
    let update = if ep.public_access {
        update.was("public_access_cidrs", have)
    } else {
        update.with(Attr::same("public_access_cidrs", have))
    };
    if update.attrs.iter().any(Attr::changed) {
        let before =
            undo::access_tag_value(c.private_access, c.public_access, &c.public_access_cidrs);
        let recorded = undo::parse_access_tag(&before).and_then(|(_, _, cidrs)| cidrs);
        out.push(update.undo(undo::Undo::ClusterAccess {
            cluster: c.name.clone(),
            private_access: c.private_access,
            public_access: c.public_access,
            public_access_cidrs: recorded.or_else(|| Some(c.public_access_cidrs.clone())),
        }));
        // The access before, in the account as well: the first apply's record stays.
        if !c.tags.contains_key(undo::ACCESS_BEFORE_TAG) && !c.arn.is_empty() {
            out.push(Action::new(
                CLUSTER_ACCESS_RECORD,
                Op::Update,
                Some(c.name.clone()),
                Change::TagCluster {
                    cluster: c.name.clone(),
                    arn: c.arn.clone(),
                    key: undo::ACCESS_BEFORE_TAG.into(),
                    value: before,
                },
            ));
        }
    }
    // No group to take them: the rules say so (E3), nothing is planned.
    let Some(sg_id) = c.api_rule_group() else {
        return;
    };
    let sg_id = sg_id.to_string();
    let sg = inv
        .vpcs
        .iter()
        .flat_map(|v| &v.security_groups)
        .find(|g| g.id == sg_id);
    for cidr in &crate::rules::cidr::distinct(&ep.allow_https_from_cidrs) {
        if !sg.is_some_and(|g| g.allows_tcp_from(443, cidr)) {
            out.push(https_from(
                format!("security_group_rule.cluster_443[{cidr:?}]"),
                Ref::Id(sg_id.clone()),
                cidr,
                "HTTPS to the cluster API",
            ));
        }
    }
}

/// `security_group.resolver_<side>`: the group of a Resolver endpoint. A new group allows
/// all egress, which the outbound endpoint needs to reach the inbound one's IPs.
fn resolver_group(name: &str, side: &str, vpc_id: &str) -> Action {
    Action::new(
        format!("security_group.resolver_{side}"),
        Op::Create,
        None,
        Change::CreateSecurityGroup {
            vpc_id: vpc_id.to_string(),
            name: format!("{name}-dns-{side}"),
            description: RESOLVER_SG_DESCRIPTION.into(),
        },
    )
    .with(Attr::new("egress", "all (the default)"))
}

/// `resolver_endpoint.<inbound|outbound>` in its group.
fn resolver_endpoint(name: &str, direction: &str, subnet_ids: &[String]) -> Action {
    let side = direction.to_lowercase();
    Action::new(
        format!("resolver_endpoint.{side}"),
        Op::Create,
        None,
        Change::CreateResolverEndpoint {
            name: format!("{name}-{side}"),
            direction: direction.into(),
            subnet_ids: subnet_ids.to_vec(),
            security_group: Ref::Output(format!("security_group.resolver_{side}")),
        },
    )
}

/// The name the spec's forward rule forwards: `auto` is the cluster's API hostname (None
/// while the cluster or its endpoint is not there), else the domain as written, without
/// a trailing dot, lowercase. None without a forward rule.
pub fn forward_domain(spec: &Spec, inv: &Inventory) -> Option<String> {
    let fr = spec.dns.as_ref()?.forward_rule.as_ref()?;
    if fr.domain == "auto" {
        spec.cluster_name
            .as_ref()
            .and_then(|n| inv.clusters.iter().find(|c| &c.name == n))
            .map(|c| c.api_host())
            .filter(|h| !h.is_empty())
    } else {
        Some(fr.domain.trim_end_matches('.').to_lowercase())
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
    let endpoint = |direction: &str, vpc: &str| r.endpoint(direction, vpc);
    let mut inbound_ips: Option<Vec<String>> = None;
    if let Some(inb) = &dns.inbound_endpoint {
        match endpoint("INBOUND", &v.id) {
            Some(e) => {
                adopted.push(("resolver_endpoint.inbound".into(), e.id.clone()));
                inbound_ips = Some(e.ips.iter().map(|i| format!("{}:53", i.ip)).collect());
                // Clients its groups do not let in: the rules go on the group an apply
                // of this spec made (G4 says what to do with anyone else's).
                let gaps = crate::rules::dns::inbound_gaps(inv, v, e, &inb.allow_from_cidrs);
                if let Some(g) = crate::rules::dns::owned_group(spec, v, e)
                    && !gaps.is_empty()
                {
                    let mut cidrs: Vec<String> = gaps.into_iter().map(|(c, _)| c).collect();
                    cidrs.dedup();
                    out.push(Action::new(
                        "security_group_rule.resolver_inbound_53",
                        Op::Create,
                        None,
                        Change::AuthorizeIngress {
                            group: Ref::Id(g.to_string()),
                            protocols: vec!["tcp".into(), "udp".into()],
                            port: 53,
                            cidrs,
                            description: "DNS to the Resolver inbound endpoint".into(),
                        },
                    ));
                }
            }
            None => {
                out.push(resolver_group(name, "inbound", &v.id));
                out.push(Action::new(
                    "security_group_rule.resolver_inbound_53",
                    Op::Create,
                    None,
                    Change::AuthorizeIngress {
                        group: Ref::Output("security_group.resolver_inbound".into()),
                        protocols: vec!["tcp".into(), "udp".into()],
                        port: 53,
                        cidrs: crate::rules::cidr::distinct(&inb.allow_from_cidrs),
                        description: "DNS to the Resolver inbound endpoint".into(),
                    },
                ));
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
    // No cluster to forward for: the rules say so (D5).
    let Some(domain) = forward_domain(spec, inv) else {
        return;
    };
    let rule_address = "resolver_rule.forward".to_string();
    let existing = r.forward_rule(&domain);
    let rule_id = match existing {
        Some(x) => {
            adopted.push((rule_address.clone(), x.id.clone()));
            Some(x.id.clone())
        }
        None => {
            out.push(Action::new(
                rule_address.clone(),
                Op::Create,
                None,
                Change::CreateResolverRule {
                    name: format!("{name}-api"),
                    domain,
                    targets: match inbound_ips {
                        Some(ips) => Targets::Ips(ips),
                        None => {
                            Targets::EndpointIps(Ref::Output("resolver_endpoint.inbound".into()))
                        }
                    },
                    endpoint: match outbound_id {
                        Some(id) => Ref::Id(id),
                        None => Ref::Output("resolver_endpoint.outbound".into()),
                    },
                },
            ));
            None
        }
    };
    for vpc in &fr.associate_vpc_ids {
        let address = format!("resolver_rule_association[{vpc:?}]");
        let associated = rule_id.as_ref().and_then(|id| {
            r.rule_associations.iter().find(|a| {
                &a.rule_id == id && &a.vpc_id == vpc && a.status != AssociationStatus::Deleting
            })
        });
        match associated {
            Some(a) => adopted.push((address, a.id.clone())),
            None => out.push(Action::new(
                address,
                Op::Create,
                None,
                Change::AssociateResolverRule {
                    rule: known_or(rule_id.as_ref(), &rule_address),
                    vpc_id: vpc.clone(),
                    name: format!("{name}-api-{vpc}"),
                },
            )),
        }
    }
}

#[cfg(test)]
mod drops;
#[cfg(test)]
mod tests;
