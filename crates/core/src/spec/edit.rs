//! Editing a draft spec against the account: every choice the wizard offers as an
//! [`Edit`], applied by [`Spec::apply`], a pure function of the draft, the edit and the
//! inventory. What the operator should know about an edit (a choice refused, a choice
//! that took another with it) comes back as a [`Note`]; the wizard shows it.

use super::{
    ClusterEndpoint, CreateSecurityGroup, CustomNetworking, Dns, Endpoints, ForwardRule,
    InboundEndpoint, OutboundEndpoint, SecondaryCidr, Spec, starter,
};
use crate::inventory::{Inventory, SubnetKind, Vpc};

/// Which of the cluster endpoint's accesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessFlag {
    Private,
    Public,
}

/// Which CIDR list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CidrList {
    /// clusterEndpoint.publicAccessCidrs
    Public,
    /// clusterEndpoint.allowHttpsFromCidrs
    Https,
    /// dns.inboundEndpoint.allowFromCidrs
    DnsClients,
}

/// Which Resolver endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DnsSide {
    Inbound,
    Outbound,
}

/// A change to the draft, as the wizard's steps offer them.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// A node subnet in or out (one per AZ: another in its AZ is replaced).
    ToggleSubnet(String),
    /// The cluster of the VPC: the next one, or none after the last.
    CycleCluster,
    /// Endpoints: a feature of the catalogue (by ID), a service, private DNS, an extra
    /// route table for the S3 gateway.
    ToggleFeature(String),
    ToggleService(String),
    TogglePrivateDns,
    ToggleRouteTable(String),
    /// The endpoints' group: an existing one (its ID), or a new one (None).
    UseGroup(Option<String>),
    /// The new group's name (checked already).
    RenameGroup(String),
    /// The secondary CIDR (checked already; pod subnets split evenly), or none.
    SetSecondaryCidr(Option<String>),
    /// One AZ's pod subnet (checked already).
    SetPodSubnet(String, String),
    /// Custom networking on (ENIConfigs) or off (subnet discovery).
    SetCustomNetworking(bool),
    /// The node label that selects ENIConfigs.
    SetEniLabel(String),
    /// A security group for the pods' ENIs, added or removed.
    TogglePodGroup(String),
    /// The node group's instance type (max pods, N6).
    SetInstanceType(String),
    /// Endpoint access: private or public on or off (started from the cluster as it is
    /// when the spec has none).
    ToggleAccess(AccessFlag),
    /// A CIDR (checked already) added to, or removed from, a list.
    AddCidr(CidrList, String),
    RemoveCidr(CidrList, String),
    /// DNS: a Resolver set up from the account's suggestion, or dns removed.
    ToggleDns,
    /// A subnet of an endpoint's, in or out.
    ToggleDnsSubnet(DnsSide, String),
    /// The outbound endpoint's client VPC: the next one, or none after the last.
    CycleOutboundVpc,
    /// The forward rule's domain (checked already; `auto` for the API hostname).
    SetForwardDomain(String),
    /// A client VPC the forward rule is associated with, in or out.
    ToggleAssociation(String),
}

/// What the operator should know about an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    Info(String),
    Warn(String),
}

impl Spec {
    /// Apply `edit` to this draft against `inv`. Returns what to tell the operator, if
    /// anything; an edit the account refuses leaves the draft as it was and says why.
    pub fn apply(&mut self, edit: Edit, inv: &Inventory) -> Option<Note> {
        match edit {
            Edit::ToggleSubnet(id) => self.toggle_subnet(&id, inv),
            Edit::CycleCluster => self.cycle_cluster(inv),
            Edit::ToggleFeature(_)
            | Edit::ToggleService(_)
            | Edit::TogglePrivateDns
            | Edit::ToggleRouteTable(_)
            | Edit::UseGroup(_)
            | Edit::RenameGroup(_) => self.apply_endpoints(edit, inv),
            Edit::SetSecondaryCidr(_)
            | Edit::SetPodSubnet(..)
            | Edit::SetCustomNetworking(_)
            | Edit::SetEniLabel(_)
            | Edit::TogglePodGroup(_)
            | Edit::SetInstanceType(_) => self.apply_pods(edit, inv),
            Edit::ToggleAccess(_) | Edit::AddCidr(..) | Edit::RemoveCidr(..) => {
                self.apply_access(edit, inv)
            }
            Edit::ToggleDns
            | Edit::ToggleDnsSubnet(..)
            | Edit::CycleOutboundVpc
            | Edit::SetForwardDomain(_)
            | Edit::ToggleAssociation(_) => self.apply_dns(edit, inv),
        }
    }

    /// The endpoints' services, features, private DNS, route tables and group.
    fn apply_endpoints(&mut self, edit: Edit, inv: &Inventory) -> Option<Note> {
        match edit {
            Edit::ToggleFeature(id) => self.toggle_feature(&id, inv),
            Edit::ToggleService(svc) => self.toggle_service(&svc, inv),
            Edit::TogglePrivateDns => {
                self.endpoints_mut(inv).private_dns ^= true;
                None
            }
            Edit::ToggleRouteTable(id) => self.toggle_route_table(&id, inv),
            Edit::UseGroup(id) => {
                let default = format!("{}-endpoints", self.metadata.name);
                let sg = &mut self.endpoints_mut(inv).security_group;
                match id {
                    Some(id) => (sg.id, sg.create) = (Some(id), None),
                    None => {
                        sg.id = None;
                        sg.create
                            .get_or_insert(CreateSecurityGroup { name: default });
                    }
                }
                None
            }
            Edit::RenameGroup(name) => {
                let sg = &mut self.endpoints_mut(inv).security_group;
                sg.id = None;
                sg.create = Some(CreateSecurityGroup { name });
                None
            }
            _ => None,
        }
    }

    /// The secondary CIDR, its pod subnets, custom networking and the node group.
    fn apply_pods(&mut self, edit: Edit, inv: &Inventory) -> Option<Note> {
        match edit {
            Edit::SetSecondaryCidr(None) => {
                let had_custom = self.custom_networking.is_some();
                self.secondary_cidr = None;
                self.custom_networking = None;
                had_custom.then(|| {
                    Note::Info(
                        "no secondary CIDR: custom networking is off too (it needs pod subnets)"
                            .into(),
                    )
                })
            }
            Edit::SetSecondaryCidr(Some(cidr)) => {
                if self.secondary_cidr.as_ref().is_some_and(|s| s.cidr == cidr) {
                    return None;
                }
                let (Some(vpc), Ok(net)) =
                    (inv.vpc(&self.vpc_id), crate::rules::cidr::parse_v4(&cidr))
                else {
                    return None;
                };
                let azs: Vec<String> = self.node_subnets.keys().cloned().collect();
                let pods = crate::rules::secondary::split_pod_subnets(vpc, &net, &azs);
                self.secondary_cidr = Some(SecondaryCidr {
                    cidr: net.to_string(),
                    pod_subnets: pods,
                });
                None
            }
            Edit::SetPodSubnet(az, cidr) => {
                if let Some(s) = &mut self.secondary_cidr {
                    s.pod_subnets.insert(az, cidr);
                }
                None
            }
            Edit::SetCustomNetworking(on) => {
                match (on, &self.custom_networking) {
                    (true, None) => {
                        self.custom_networking = Some(CustomNetworking {
                            eni_config_label: super::LABEL_ZONE.into(),
                            security_group_ids: vec![],
                            prefix_delegation: false,
                        })
                    }
                    (false, _) => self.custom_networking = None,
                    (true, Some(_)) => {}
                }
                None
            }
            Edit::SetEniLabel(label) => {
                if let Some(cn) = &mut self.custom_networking {
                    cn.eni_config_label = label;
                }
                None
            }
            Edit::TogglePodGroup(id) => {
                if let Some(cn) = &mut self.custom_networking {
                    toggle_in(&mut cn.security_group_ids, id);
                }
                None
            }
            Edit::SetInstanceType(name) => {
                self.node_group
                    .get_or_insert_with(Default::default)
                    .instance_type = name;
                None
            }
            _ => None,
        }
    }

    /// The cluster endpoint's access and its CIDR lists.
    fn apply_access(&mut self, edit: Edit, inv: &Inventory) -> Option<Note> {
        match edit {
            Edit::ToggleAccess(flag) => {
                let ep = self.access_mut(inv);
                match flag {
                    AccessFlag::Private => ep.private_access ^= true,
                    AccessFlag::Public => ep.public_access ^= true,
                }
                None
            }
            Edit::AddCidr(list, cidr) => {
                if let Some(l) = self.cidrs_mut(list, inv)
                    && !l.contains(&cidr)
                {
                    l.push(cidr);
                }
                None
            }
            Edit::RemoveCidr(list, cidr) => {
                if let Some(l) = self.cidrs_mut(list, inv) {
                    l.retain(|c| *c != cidr);
                }
                None
            }
            _ => None,
        }
    }

    /// The Route 53 Resolver endpoints and the forward rule.
    fn apply_dns(&mut self, edit: Edit, inv: &Inventory) -> Option<Note> {
        match edit {
            Edit::ToggleDns => {
                if self.dns.is_some() {
                    self.dns = None;
                    return Some(Note::Info("no Resolver: dns is out of the spec".into()));
                }
                self.dns = Some(starter::dns_start(inv, self));
                None
            }
            Edit::ToggleDnsSubnet(side, id) => {
                let Some(d) = &mut self.dns else { return None };
                let list = match side {
                    DnsSide::Inbound => d.inbound_endpoint.as_mut().map(|e| &mut e.subnet_ids),
                    DnsSide::Outbound => d.outbound_endpoint.as_mut().map(|e| &mut e.subnet_ids),
                };
                if let Some(l) = list {
                    toggle_in(l, id);
                } else if side == DnsSide::Inbound {
                    d.inbound_endpoint = Some(InboundEndpoint {
                        subnet_ids: vec![id],
                        allow_from_cidrs: vec![],
                    });
                }
                None
            }
            Edit::CycleOutboundVpc => {
                self.cycle_outbound_vpc(inv);
                None
            }
            Edit::SetForwardDomain(domain) => {
                if let Some(fr) = self.dns.as_mut().and_then(|d| d.forward_rule.as_mut()) {
                    fr.domain = domain;
                }
                None
            }
            Edit::ToggleAssociation(id) => {
                if let Some(fr) = self.dns.as_mut().and_then(|d| d.forward_rule.as_mut()) {
                    toggle_in(&mut fr.associate_vpc_ids, id);
                }
                None
            }
            _ => None,
        }
    }

    /// One node subnet per AZ: a private or isolated subnet outside the secondary CIDR.
    /// Unchoosing is always allowed, even a subnet that could not be chosen now.
    fn toggle_subnet(&mut self, subnet_id: &str, inv: &Inventory) -> Option<Note> {
        let sn = inv.vpc(&self.vpc_id)?.subnet(subnet_id)?;
        let az = sn.az.clone();
        let current = self.node_subnets.get(&az).cloned();
        if current.as_deref() == Some(subnet_id) {
            self.node_subnets.remove(&az);
            return None;
        }
        let name = if sn.name.is_empty() { &sn.id } else { &sn.name };
        if sn.kind == SubnetKind::Public {
            return Some(Note::Warn(format!(
                "{name} is public (0.0.0.0/0 → internet gateway): nodes of a private cluster need a private or isolated subnet (S3)"
            )));
        }
        if let Some(sec) = crate::rules::cidr::in_secondary_cidr(self, &sn.cidr) {
            return Some(Note::Warn(format!(
                "{name} lies in the secondary CIDR {sec}: it is a pod subnet, and nodes never use pod subnets (N5)"
            )));
        }
        self.node_subnets.insert(az.clone(), subnet_id.to_string());
        current.map(|old| Note::Info(format!("one node subnet per AZ: replaced {old} in {az}")))
    }

    /// Through the VPC's clusters, then none.
    fn cycle_cluster(&mut self, inv: &Inventory) -> Option<Note> {
        let names: Vec<String> = inv
            .clusters_in(&self.vpc_id)
            .map(|c| c.name.clone())
            .collect();
        if names.is_empty() {
            return Some(Note::Info(
                "no EKS cluster in this VPC yet: the spec is saved without clusterName".into(),
            ));
        }
        let pos = self
            .cluster_name
            .as_ref()
            .and_then(|c| names.iter().position(|n| n == c));
        self.cluster_name = match pos {
            None => Some(names[0].clone()),
            Some(i) if i + 1 < names.len() => Some(names[i + 1].clone()),
            Some(_) => None,
        };
        None
    }

    /// A feature on: it is listed and the services it needs that the region offers are
    /// checked. Off: it is unlisted, and its services go unless the base set or another
    /// listed feature needs them.
    fn toggle_feature(&mut self, id: &str, inv: &Inventory) -> Option<Note> {
        let cat = super::services::catalogue();
        let feature = cat.feature(id)?;
        let on = self
            .endpoints
            .as_ref()
            .is_some_and(|e| e.features.iter().any(|f| f == id));
        if on {
            let base: Vec<&str> = cat.base().collect();
            let ep = self.endpoints_mut(inv);
            ep.features.retain(|f| f != id);
            let kept = cat.needed_by(&ep.features);
            ep.services.retain(|s| {
                !feature.services.contains(s)
                    || base.contains(&s.as_str())
                    || kept.contains(&s.as_str())
            });
            return None;
        }
        let unoffered: Vec<&str> = feature
            .services
            .iter()
            .filter(|s| !inv.offers(s))
            .map(String::as_str)
            .collect();
        let ep = self.endpoints_mut(inv);
        ep.features.push(id.to_string());
        for s in &feature.services {
            if inv.offers(s) && !ep.services.contains(s) {
                ep.services.push(s.clone());
            }
        }
        (!unoffered.is_empty()).then(|| {
            Note::Warn(format!(
                "{} needs {}, which {} does not offer as an endpoint (P1)",
                feature.title,
                unoffered.join(", "),
                inv.region
            ))
        })
    }

    /// A service in or out; out says which base set or feature still needs it.
    fn toggle_service(&mut self, svc: &str, inv: &Inventory) -> Option<Note> {
        let listed = self
            .endpoints
            .as_ref()
            .is_some_and(|e| e.services.iter().any(|s| s == svc));
        if listed {
            let cat = super::services::catalogue();
            let features = self
                .endpoints
                .as_ref()
                .map(|e| e.features.clone())
                .unwrap_or_default();
            let users: Vec<String> = features
                .iter()
                .filter_map(|f| cat.feature(f))
                .filter(|f| f.services.iter().any(|s| s == svc))
                .map(|f| f.title.clone())
                .collect();
            let base = cat.service(svc).is_some_and(|s| s.base);
            self.endpoints_mut(inv).services.retain(|s| s != svc);
            return match (base, users.is_empty()) {
                (true, _) => Some(Note::Warn(format!(
                    "{svc} is in the base set: every private cluster needs it (P7)"
                ))),
                (false, false) => {
                    Some(Note::Warn(format!("{} needs {svc} (P9)", users.join(", "))))
                }
                _ => None,
            };
        }
        if !inv.offers(svc) {
            return Some(Note::Warn(format!(
                "{} offers no {svc} endpoint (P1)",
                inv.region
            )));
        }
        self.endpoints_mut(inv).services.push(svc.to_string());
        None
    }

    /// An extra route table for the S3 gateway; the node subnets' own are always on it.
    fn toggle_route_table(&mut self, id: &str, inv: &Inventory) -> Option<Note> {
        let vpc = inv.vpc(&self.vpc_id)?;
        if let Some((_, azs)) = automatic_tables(vpc, self)
            .into_iter()
            .find(|(r, _)| r == id)
        {
            return Some(Note::Info(format!(
                "{id} is the node subnets' route table in {azs}: always covered (P4)"
            )));
        }
        toggle_in(
            &mut self.endpoints_mut(inv).extra_route_table_ids,
            id.to_string(),
        );
        None
    }

    /// The outbound endpoint's client VPC: the next candidate, or none (on-prem only: no
    /// outbound side, and no rule without one, D4) after the last.
    fn cycle_outbound_vpc(&mut self, inv: &Inventory) {
        let Some(vpc) = inv.vpc(&self.vpc_id) else {
            return;
        };
        let clients: Vec<String> = client_vpcs(inv, vpc, self.dns.as_ref())
            .iter()
            .map(|v| v.id.clone())
            .collect();
        let Some(d) = &mut self.dns else { return };
        let now = d.outbound_endpoint.as_ref().map(|o| o.vpc_id.clone());
        let next = match now.and_then(|n| clients.iter().position(|c| *c == n)) {
            Some(i) => clients.get(i + 1).cloned(),
            None => clients.first().cloned(),
        };
        match next.as_ref().and_then(|id| inv.vpc(id)) {
            Some(client) => {
                d.outbound_endpoint = Some(OutboundEndpoint {
                    vpc_id: client.id.clone(),
                    subnet_ids: starter::two_azs(client),
                });
                let fr = d.forward_rule.get_or_insert(ForwardRule {
                    domain: "auto".into(),
                    associate_vpc_ids: vec![],
                });
                if fr.associate_vpc_ids.is_empty() {
                    fr.associate_vpc_ids.push(client.id.clone());
                }
            }
            None => {
                d.outbound_endpoint = None;
                d.forward_rule = None;
            }
        }
    }

    /// The draft's endpoints, started (the base set's group to create, no services) when
    /// the spec has none.
    fn endpoints_mut(&mut self, inv: &Inventory) -> &mut Endpoints {
        let name = self.metadata.name.clone();
        self.endpoints.get_or_insert_with(|| {
            let mut ep = starter::base_endpoints(inv, &name);
            ep.services.clear();
            ep
        })
    }

    /// The draft's endpoint access, started from the cluster as it is when it has none.
    fn access_mut(&mut self, inv: &Inventory) -> &mut ClusterEndpoint {
        if self.cluster_endpoint.is_none() {
            self.cluster_endpoint = Some(planned_access(inv, self));
        }
        self.cluster_endpoint.as_mut().expect("set above")
    }

    /// One CIDR list: the endpoint access's two, or the inbound endpoint's clients (none
    /// without an inbound endpoint).
    fn cidrs_mut(&mut self, list: CidrList, inv: &Inventory) -> Option<&mut Vec<String>> {
        match list {
            CidrList::Public => Some(&mut self.access_mut(inv).public_access_cidrs),
            CidrList::Https => Some(&mut self.access_mut(inv).allow_https_from_cidrs),
            CidrList::DnsClients => self
                .dns
                .as_mut()
                .and_then(|d| d.inbound_endpoint.as_mut())
                .map(|i| &mut i.allow_from_cidrs),
        }
    }
}

/// The access the draft asks for, or where it would start
/// ([`starter::access_start`]: the cluster as it is).
pub fn planned_access(inv: &Inventory, draft: &Spec) -> ClusterEndpoint {
    match &draft.cluster_endpoint {
        Some(ep) => ep.clone(),
        None => starter::access_start(inv, draft),
    }
}

/// The VPCs that may be DNS clients: peered with the cluster VPC first, then those the
/// spec names; never the cluster VPC.
pub fn client_vpcs<'a>(inv: &'a Inventory, vpc: &Vpc, dns: Option<&Dns>) -> Vec<&'a Vpc> {
    let mut ids: Vec<String> = vpc.peers().map(|p| p.vpc_id.to_string()).collect();
    if let Some(d) = dns {
        ids.extend(d.outbound_endpoint.iter().map(|o| o.vpc_id.clone()));
        ids.extend(
            d.forward_rule
                .iter()
                .flat_map(|r| r.associate_vpc_ids.clone()),
        );
    }
    let mut out: Vec<&Vpc> = vec![];
    for id in ids {
        if id != vpc.id
            && !out.iter().any(|v| v.id == id)
            && let Some(v) = inv.vpc(&id)
        {
            out.push(v);
        }
    }
    out
}

/// The route tables of the node subnets, with their AZs (the S3 gateway goes on them
/// without asking).
pub fn automatic_tables(vpc: &Vpc, draft: &Spec) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![];
    for (az, id) in &draft.node_subnets {
        if let Some(rt) = vpc.subnet(id).and_then(|s| s.route_table_id.clone()) {
            match out.iter_mut().find(|(r, _)| *r == rt) {
                Some((_, azs)) => azs.push_str(&format!(", {az}")),
                None => out.push((rt, az.clone())),
            }
        }
    }
    out
}

/// `item` out of `list` if it is there, else in.
fn toggle_in(list: &mut Vec<String>, item: String) {
    if list.contains(&item) {
        list.retain(|x| *x != item);
    } else {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;

    fn draft() -> (Spec, Inventory) {
        (testkit::spec(), testkit::inventory())
    }

    #[test]
    fn a_public_subnet_is_refused_and_the_draft_stays() {
        let (mut d, inv) = draft();
        let vpc = inv.vpc(&d.vpc_id).unwrap();
        let public = vpc
            .subnets
            .iter()
            .find(|s| s.kind == SubnetKind::Public)
            .expect("the test VPC has a public subnet");
        let before = d.clone();
        let note = d.apply(Edit::ToggleSubnet(public.id.clone()), &inv);
        assert!(
            matches!(&note, Some(Note::Warn(w)) if w.contains("(S3)")),
            "{note:?}"
        );
        assert_eq!(d, before);
    }

    #[test]
    fn a_subnet_replaces_the_one_of_its_az_and_toggles_out() {
        let (mut d, inv) = draft();
        let vpc = inv.vpc(&d.vpc_id).unwrap();
        let (az, chosen) = d
            .node_subnets
            .iter()
            .next()
            .map(|(a, s)| (a.clone(), s.clone()))
            .unwrap();
        let other = vpc
            .subnets
            .iter()
            .find(|s| s.az == az && s.id != chosen && s.kind != SubnetKind::Public);
        if let Some(other) = other {
            let note = d.apply(Edit::ToggleSubnet(other.id.clone()), &inv);
            assert!(
                matches!(&note, Some(Note::Info(i)) if i.contains(&chosen)),
                "{note:?}"
            );
            assert_eq!(d.node_subnets[&az], other.id);
        }
        let now = d.node_subnets[&az].clone();
        assert_eq!(d.apply(Edit::ToggleSubnet(now), &inv), None);
        assert!(!d.node_subnets.contains_key(&az));
    }

    #[test]
    fn no_secondary_cidr_turns_custom_networking_off_and_says_so() {
        let (mut d, inv) = draft();
        d.apply(Edit::SetSecondaryCidr(Some("100.64.0.0/16".into())), &inv);
        assert!(d.secondary_cidr.is_some());
        d.apply(Edit::SetCustomNetworking(true), &inv);
        let note = d.apply(Edit::SetSecondaryCidr(None), &inv);
        assert!(matches!(&note, Some(Note::Info(_))));
        assert!(d.secondary_cidr.is_none() && d.custom_networking.is_none());
    }

    #[test]
    fn access_starts_from_the_cluster_as_it_is() {
        let (mut d, inv) = draft();
        d.cluster_endpoint = None;
        let start = planned_access(&inv, &d);
        d.apply(Edit::ToggleAccess(AccessFlag::Public), &inv);
        let ep = d.cluster_endpoint.as_ref().unwrap();
        assert_eq!(ep.public_access, !start.public_access);
        assert_eq!(ep.private_access, start.private_access);
        d.apply(Edit::AddCidr(CidrList::Https, "10.9.0.0/16".into()), &inv);
        d.apply(Edit::AddCidr(CidrList::Https, "10.9.0.0/16".into()), &inv);
        let https = &d.cluster_endpoint.as_ref().unwrap().allow_https_from_cidrs;
        assert_eq!(https.iter().filter(|c| *c == "10.9.0.0/16").count(), 1);
        d.apply(
            Edit::RemoveCidr(CidrList::Https, "10.9.0.0/16".into()),
            &inv,
        );
        assert!(
            !d.cluster_endpoint
                .unwrap()
                .allow_https_from_cidrs
                .contains(&"10.9.0.0/16".to_string())
        );
    }

    #[test]
    fn a_service_the_region_does_not_offer_is_refused() {
        let (mut d, mut inv) = draft();
        // The region lists what it offers (an empty list means "not read": all offered).
        inv.endpoint_services = vec![crate::inventory::EndpointService {
            service: "sts".into(),
            ..Default::default()
        }];
        let before = d.clone();
        let note = d.apply(Edit::ToggleService("no-such-service".into()), &inv);
        assert!(
            matches!(&note, Some(Note::Warn(w)) if w.contains("(P1)")),
            "{note:?}"
        );
        assert_eq!(d, before);
    }
}
