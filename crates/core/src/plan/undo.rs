//! What apply changes on resources it did not create, and how destroy puts it back.
//! Each such action carries its [`Undo`]: the value before. Apply writes it to the journal
//! before the call, and where a lost journal would take it with it, into AWS as well (the
//! cluster's access in a cluster tag; a tag added to a subnet with a marker tag beside it).
//! Destroy reads both and plans the restores: public access back on before anything else,
//! the rest once what depends on it is gone; what it cannot restore is named with the
//! command that does.

use super::{Action, Attr, Change, Op, VpcAttribute};
use crate::inventory::{Endpoint, EndpointState, Inventory};
use crate::spec::Spec;
use serde::{Deserialize, Serialize};

/// The cluster tag that holds its endpoint access before the first apply changed it.
pub const ACCESS_BEFORE_TAG: &str = "eks-private-tui:access-before";
/// `eks-private-tui:added:<key>` on a subnet: apply added tag `<key>`.
pub const ADDED_TAG_PREFIX: &str = "eks-private-tui:added:";

/// What an action changed on a resource apply did not create: its value before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "what")]
pub enum Undo {
    /// The cluster's endpoint access. `public_access_cidrs` is None when it was not
    /// recorded (a tag holds at most 256 characters).
    #[serde(rename_all = "camelCase")]
    ClusterAccess {
        cluster: String,
        private_access: bool,
        public_access: bool,
        public_access_cidrs: Option<Vec<String>>,
    },
    /// A VPC attribute that was off.
    #[serde(rename_all = "camelCase")]
    VpcAttribute {
        vpc_id: String,
        attribute: VpcAttribute,
    },
    /// A tag the subnet did not have.
    #[serde(rename_all = "camelCase")]
    SubnetTag { subnet_id: String, key: String },
    /// Route tables the S3 gateway endpoint was not on.
    #[serde(rename_all = "camelCase")]
    GatewayRouteTables {
        endpoint_id: String,
        route_table_ids: Vec<String>,
    },
    /// Subnets an interface endpoint (not this spec's) did not have.
    #[serde(rename_all = "camelCase")]
    EndpointSubnets {
        endpoint_id: String,
        subnet_ids: Vec<String>,
    },
    /// The route table a subnet was explicitly associated with.
    #[serde(rename_all = "camelCase")]
    RouteTable {
        subnet_id: String,
        route_table_id: String,
    },
}

impl Undo {
    /// The address of the destroy action that restores it: one per resource and value.
    pub fn address(&self) -> String {
        match self {
            Undo::ClusterAccess { .. } => "restore.cluster_access".into(),
            Undo::VpcAttribute { attribute, .. } => format!(
                "restore.vpc_attribute.{}",
                match attribute {
                    VpcAttribute::EnableDnsSupport => "enable_dns_support",
                    VpcAttribute::EnableDnsHostnames => "enable_dns_hostnames",
                }
            ),
            Undo::SubnetTag { subnet_id, key } => {
                format!("restore.subnet_tag[{subnet_id:?}][{key:?}]")
            }
            Undo::GatewayRouteTables { endpoint_id, .. } => {
                format!("restore.gateway_route_tables[{endpoint_id:?}]")
            }
            Undo::EndpointSubnets { endpoint_id, .. } => {
                format!("restore.endpoint_subnets[{endpoint_id:?}]")
            }
            Undo::RouteTable { subnet_id, .. } => format!("restore.route_table[{subnet_id:?}]"),
        }
    }
}

/// `private=false public=true cidrs=0.0.0.0/0`: the access tag's value, without the CIDRs
/// when they would not fit in a tag.
pub fn access_tag_value(private: bool, public: bool, cidrs: &[String]) -> String {
    let with = format!(
        "private={private} public={public} cidrs={}",
        cidrs.join(",")
    );
    if with.len() <= 256 {
        with
    } else {
        format!("private={private} public={public}")
    }
}

/// The access a tag value records: (private, public, CIDRs when recorded).
pub fn parse_access_tag(value: &str) -> Option<(bool, bool, Option<Vec<String>>)> {
    let mut private = None;
    let mut public = None;
    let mut cidrs = None;
    for part in value.split_whitespace() {
        let (k, v) = part.split_once('=')?;
        match k {
            "private" => private = v.parse().ok(),
            "public" => public = v.parse().ok(),
            "cidrs" => {
                cidrs = Some(
                    v.split(',')
                        .filter(|c| !c.is_empty())
                        .map(str::to_string)
                        .collect(),
                )
            }
            _ => return None,
        }
    }
    Some((private?, public?, cidrs))
}

/// Destroy's restores for `spec`: from the journal's undos (the first recorded for each
/// address wins: the value before the first apply) and the markers in the account. Each
/// is planned only where the account still differs from the value before. Returns the
/// actions and, in words, what is left as it is and why; `destroy::with_restores` orders
/// them (public access first).
pub fn restores(spec: &Spec, inv: &Inventory, recorded: &[Undo]) -> (Vec<Action>, Vec<String>) {
    let mut undos: Vec<Undo> = vec![];
    let push = |u: Undo, undos: &mut Vec<Undo>| {
        if !undos.iter().any(|x| x.address() == u.address()) {
            undos.push(u);
        }
    };
    for u in recorded {
        push(u.clone(), &mut undos);
    }
    // What the account itself records.
    // Only this spec's VPC's cluster: a spec of the same name for another VPC leaves it.
    let cluster = spec
        .cluster_name
        .as_ref()
        .and_then(|n| inv.clusters.iter().find(|c| &c.name == n))
        .filter(|c| c.vpc_id.as_deref() == Some(spec.vpc_id.as_str()));
    if let Some(c) = cluster
        && let Some((private, public, cidrs)) = c
            .tags
            .get(ACCESS_BEFORE_TAG)
            .and_then(|v| parse_access_tag(v))
    {
        push(
            Undo::ClusterAccess {
                cluster: c.name.clone(),
                private_access: private,
                public_access: public,
                public_access_cidrs: cidrs,
            },
            &mut undos,
        );
    }
    let v = inv.vpc(&spec.vpc_id);
    for s in v.iter().flat_map(|v| &v.subnets) {
        for k in s.tags.keys() {
            if let Some(key) = k.strip_prefix(ADDED_TAG_PREFIX) {
                push(
                    Undo::SubnetTag {
                        subnet_id: s.id.clone(),
                        key: key.to_string(),
                    },
                    &mut undos,
                );
            }
        }
    }

    let mut r = Restores {
        spec,
        inv,
        vpc: inv.vpc(&spec.vpc_id),
        out: vec![],
        left: vec![],
    };
    for u in undos {
        let address = u.address();
        match &u {
            Undo::ClusterAccess {
                cluster,
                private_access,
                public_access,
                public_access_cidrs,
            } => r.access(
                address,
                cluster,
                *private_access,
                *public_access,
                public_access_cidrs.as_deref(),
            ),
            Undo::VpcAttribute { vpc_id, attribute } => r.attribute(address, vpc_id, *attribute),
            Undo::SubnetTag { subnet_id, key } => r.subnet_tag(address, subnet_id, key),
            Undo::GatewayRouteTables {
                endpoint_id,
                route_table_ids,
            } => r.gateway_tables(address, endpoint_id, route_table_ids),
            Undo::EndpointSubnets {
                endpoint_id,
                subnet_ids,
            } => r.endpoint_subnets(address, endpoint_id, subnet_ids),
            Undo::RouteTable {
                subnet_id,
                route_table_id,
            } => r.route_table(subnet_id, route_table_id),
        }
    }
    (r.out, r.left)
}

/// Destroy's restores being planned, and what is left as it is, in words.
struct Restores<'a> {
    spec: &'a Spec,
    inv: &'a Inventory,
    vpc: Option<&'a crate::inventory::Vpc>,
    out: Vec<Action>,
    left: Vec<String>,
}

impl<'a> Restores<'a> {
    /// Whether a stack or Terraform made from this spec's export holds `what` (the owner
    /// tag on it): then it is theirs, not destroy's, to put back, and this says so.
    fn held(&mut self, tags: &crate::inventory::Tags, what: &str) -> bool {
        let Some(owner) = tags.get(crate::spec::OWNER_TAG) else {
            return false;
        };
        let who = match owner.as_str() {
            "terraform" => {
                "Terraform holds it (made from this spec's export): terraform destroy, or change it there"
            }
            "cloudformation" => {
                "a CloudFormation stack holds it (made from this spec's export): change it in the stack"
            }
            _ => "another tool holds it (its owner tag)",
        };
        self.left.push(format!("{what} stays as it is: {who}"));
        true
    }

    /// The cluster's endpoint access as it was, then its record gone.
    fn access(
        &mut self,
        address: String,
        cluster: &str,
        private_access: bool,
        public_access: bool,
        public_access_cidrs: Option<&[String]>,
    ) {
        let Some(c) = self.inv.clusters.iter().find(|c| c.name == cluster) else {
            return;
        };
        if self.held(&c.tags, &format!("cluster {cluster}'s endpoint access")) {
            return;
        }
        let cidrs = public_access_cidrs
            .map(<[String]>::to_vec)
            .unwrap_or_else(|| c.public_access_cidrs.clone());
        let same = c.private_access == private_access
            && c.public_access == public_access
            && (!public_access || same_set(&c.public_access_cidrs, &cidrs));
        if !same {
            let b = |x: bool| x.to_string();
            self.out.push(
                Action::new(
                    address,
                    Op::Update,
                    Some(c.name.clone()),
                    Change::UpdateClusterAccess {
                        cluster: c.name.clone(),
                        private_access,
                        public_access,
                        public_access_cidrs: if public_access { cidrs } else { vec![] },
                    },
                )
                .was("endpoint_private_access", b(c.private_access))
                .was("endpoint_public_access", b(c.public_access))
                .was(
                    "public_access_cidrs",
                    super::change::list(&c.public_access_cidrs),
                ),
            );
            if public_access_cidrs.is_none() && public_access {
                self.left.push(format!(
                        "cluster {cluster}'s public access CIDRs before apply were not recorded (too many for a tag, and no journal): public access comes back with the ones it has now ({})",
                        c.public_access_cidrs.join(", ")
                    ));
            }
        }
        if c.tags.contains_key(ACCESS_BEFORE_TAG) {
            self.out.push(
                Action::new(
                    "restore.cluster_access_record",
                    Op::Update,
                    Some(c.name.clone()),
                    Change::UntagCluster {
                        cluster: c.name.clone(),
                        arn: c.arn.clone(),
                        key: ACCESS_BEFORE_TAG.into(),
                    },
                )
                .after("restore.cluster_access"),
            );
        }
    }

    /// A VPC attribute back off, unless endpoints that stay need it.
    fn attribute(&mut self, address: String, vpc_id: &str, attribute: VpcAttribute) {
        let Some(v) = self.inv.vpc(vpc_id) else {
            return;
        };
        let on = match attribute {
            VpcAttribute::EnableDnsSupport => v.dns_support,
            VpcAttribute::EnableDnsHostnames => v.dns_hostnames,
        };
        if !on {
            return;
        }
        // Endpoints with private DNS that stay (not this spec's: destroy deletes
        // those first) need it on.
        let staying: Vec<&str> = v
            .endpoints
            .iter()
            .filter(|e| e.kind.eq_ignore_ascii_case("interface"))
            .filter(|e| e.private_dns && e.state != EndpointState::Deleted)
            .filter(|e| !self.spec.owns(&e.tags))
            .map(|e| e.id.as_str())
            .collect();
        let flag = match attribute {
            VpcAttribute::EnableDnsSupport => "--no-enable-dns-support",
            VpcAttribute::EnableDnsHostnames => "--no-enable-dns-hostnames",
        };
        if staying.is_empty() {
            self.out.push(
                Action::new(
                    address,
                    Op::Update,
                    Some(v.id.clone()),
                    Change::SetVpcAttribute {
                        vpc_id: v.id.clone(),
                        attribute,
                        value: false,
                    },
                )
                .was("value", "true"),
            );
        } else {
            self.left.push(format!(
                    "{attribute:?} stays on in {vpc_id}, as apply turned it on: the interface endpoints {} (which destroy leaves) resolve by private DNS, which needs it. When they no longer do: aws ec2 modify-vpc-attribute --vpc-id {vpc_id} {flag}",
                    staying.join(", ")
                ));
        }
    }

    /// A tag apply added to a subnet, and its marker, removed.
    fn subnet_tag(&mut self, address: String, subnet_id: &str, key: &str) {
        let Some(s) = self.vpc.and_then(|v| v.subnet(subnet_id)) else {
            return;
        };
        let marker = format!("{ADDED_TAG_PREFIX}{key}");
        // The marker's value names who holds the tag now: 1 is apply; Terraform's export
        // sets its own name when it takes the tag over.
        if let Some(owner) = s.tags.get(&marker).filter(|v| v.as_str() != "1") {
            let held: crate::inventory::Tags =
                [(crate::spec::OWNER_TAG.to_string(), owner.clone())].into();
            self.held(&held, &format!("the tag {key} on {subnet_id}"));
            return;
        }
        let keys: Vec<String> = [key.to_string(), marker]
            .into_iter()
            .filter(|k| s.tags.contains_key(k))
            .collect();
        if !keys.is_empty() {
            self.out.push(Action::new(
                address,
                Op::Update,
                Some(s.id.clone()),
                Change::UntagSubnet {
                    subnet_id: s.id.clone(),
                    keys,
                },
            ));
        }
    }

    /// The endpoint `id` (one `present`) whose `what` destroy is to put back: not one it
    /// deletes (this spec's), nor one a stack or Terraform holds (said so).
    fn restorable_endpoint(
        &mut self,
        id: &str,
        present: impl Fn(&Endpoint) -> bool,
        what: &str,
    ) -> Option<&'a Endpoint> {
        let e = self
            .vpc?
            .endpoints
            .iter()
            .find(|e| e.id == id && present(e))?;
        if self.spec.owns(&e.tags) || self.held(&e.tags, &format!("the {what} of {}", e.id)) {
            return None;
        }
        Some(e)
    }

    /// The route tables apply added to an S3 gateway it did not make, removed.
    fn gateway_tables(&mut self, address: String, endpoint_id: &str, route_table_ids: &[String]) {
        let Some(e) = self.restorable_endpoint(
            endpoint_id,
            |e| e.state != EndpointState::Deleted,
            "route tables",
        ) else {
            return;
        };
        let on: Vec<String> = route_table_ids
            .iter()
            .filter(|t| e.route_table_ids.contains(t))
            .cloned()
            .collect();
        if !on.is_empty() {
            self.out.push(
                Action::new(
                    address,
                    Op::Update,
                    Some(e.id.clone()),
                    Change::RemoveGatewayRouteTables {
                        endpoint_id: e.id.clone(),
                        route_table_ids: on.clone(),
                    },
                )
                .with(Attr::change(
                    "route_table_ids",
                    super::change::list(&e.route_table_ids),
                    super::change::list(
                        &e.route_table_ids
                            .iter()
                            .filter(|t| !on.contains(t))
                            .cloned()
                            .collect::<Vec<_>>(),
                    ),
                )),
            );
        }
    }

    /// The subnets apply added to an interface endpoint it did not make, removed.
    fn endpoint_subnets(&mut self, address: String, endpoint_id: &str, subnet_ids: &[String]) {
        let Some(e) = self.restorable_endpoint(endpoint_id, |e| e.state.is_usable(), "subnets")
        else {
            return;
        };
        let on: Vec<String> = subnet_ids
            .iter()
            .filter(|s| e.subnet_ids.contains(s))
            .cloned()
            .collect();
        if !on.is_empty() {
            self.out.push(Action::new(
                address,
                Op::Update,
                Some(e.id.clone()),
                Change::RemoveEndpointSubnets {
                    endpoint_id: e.id.clone(),
                    subnet_ids: on,
                },
            ));
        }
    }

    /// A subnet apply moved to another route table: named, with the command.
    fn route_table(&mut self, subnet_id: &str, route_table_id: &str) {
        let now = self
            .vpc
            .and_then(|v| v.subnet(subnet_id))
            .and_then(|s| s.route_table_id.clone());
        if now.as_deref() != Some(route_table_id) {
            self.left.push(format!(
                    "{subnet_id} stays on route table {} (apply moved it from {route_table_id}): aws ec2 replace-route-table-association --association-id <its association, from aws ec2 describe-route-tables --filters Name=association.subnet-id,Values={subnet_id}> --route-table-id {route_table_id}",
                    now.unwrap_or_else(|| "(none read)".into())
                ));
        }
    }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    a.dedup();
    b.sort();
    b.dedup();
    a == b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::destroy::{Created, destroy, with_restores};
    use crate::plan::{Deletable, plan};
    use crate::rules::testkit::{inventory, spec, vpc_mut};

    /// The account after the apply of `s`: private only, DNS hostnames on, the node
    /// subnets' tags and the markers of what apply changed.
    fn applied(
        inv: &crate::inventory::Inventory,
        s: &crate::spec::Spec,
    ) -> crate::inventory::Inventory {
        let mut after = inv.clone();
        vpc_mut(&mut after).dns_hostnames = true;
        let c = &mut after.clusters[0];
        c.public_access = false;
        c.private_access = true;
        c.tags.insert(
            ACCESS_BEFORE_TAG.into(),
            "private=false public=true cidrs=0.0.0.0/0".into(),
        );
        for sn in &mut vpc_mut(&mut after).subnets {
            if s.node_subnets.values().any(|id| id == &sn.id) {
                sn.tags
                    .insert(crate::rules::subnets::INTERNAL_ELB_TAG.into(), "1".into());
                sn.tags.insert(
                    format!(
                        "{ADDED_TAG_PREFIX}{}",
                        crate::rules::subnets::INTERNAL_ELB_TAG
                    ),
                    "1".into(),
                );
            }
        }
        after
    }

    /// Issue 26, 4: destroy puts back what apply changed. The values before come from the
    /// plan's actions (the journal keeps them), and from the account's markers when the
    /// journal is gone; public access comes back before anything is deleted.
    #[test]
    fn destroy_puts_back_what_apply_changed_public_access_first() {
        let mut inv = inventory();
        vpc_mut(&mut inv).dns_hostnames = false;
        for sn in &mut vpc_mut(&mut inv).subnets {
            sn.tags.remove(crate::rules::subnets::INTERNAL_ELB_TAG);
        }
        inv.clusters[0].public_access = true;
        inv.clusters[0].private_access = false;
        inv.clusters[0].public_access_cidrs = vec!["0.0.0.0/0".into()];
        inv.clusters[0].arn = "arn:aws:eks:eu-west-1:123456789012:cluster/prod".into();
        let mut s = spec();
        s.cluster_endpoint = Some(crate::spec::ClusterEndpoint {
            private_access: true,
            public_access: false,
            public_access_cidrs: vec![],
            allow_https_from_cidrs: vec![],
        });
        let p = plan(&s, &inv);
        let undos: Vec<Undo> = p.actions.iter().filter_map(|a| a.undo.clone()).collect();
        assert!(undos.contains(&Undo::VpcAttribute {
            vpc_id: "vpc-prod".into(),
            attribute: VpcAttribute::EnableDnsHostnames
        }));
        assert!(undos.iter().any(|u| matches!(u, Undo::SubnetTag { key, .. } if key == crate::rules::subnets::INTERNAL_ELB_TAG)));
        assert!(undos.contains(&Undo::ClusterAccess {
            cluster: "prod".into(),
            private_access: false,
            public_access: true,
            public_access_cidrs: Some(vec!["0.0.0.0/0".into()]),
        }));
        // The account's own record, made before the access changes.
        let record = p
            .actions
            .iter()
            .position(|a| matches!(a.change, Change::TagCluster { .. }))
            .expect("the access is recorded in a cluster tag");
        let access = p
            .actions
            .iter()
            .find(|a| a.address == "cluster.endpoint_access")
            .unwrap();
        assert!(access.depends_on.contains(&p.actions[record].address));

        let mut after = applied(&inv, &s);
        let created = vec![Created {
            what: Deletable::VpcEndpoint,
            id: "vpce-1".into(),
            parent: None,
            address: "endpoint.sts".into(),
            name: String::new(),
            own_id: None,
        }];
        for (journal, what) in [
            (undos.clone(), "the journal"),
            (vec![], "the markers alone"),
        ] {
            let (restores, left) = restores(&s, &after, &journal);
            let d = with_restores(destroy("prod-private", "eu-west-1", &created), restores);
            let find = |a: &str| {
                d.actions
                    .iter()
                    .find(|x| x.address == a)
                    .unwrap_or_else(|| panic!("{a} from {what}: {:#?}", d.actions))
            };
            let access = find("restore.cluster_access");
            assert_eq!(
                access.change,
                Change::UpdateClusterAccess {
                    cluster: "prod".into(),
                    private_access: false,
                    public_access: true,
                    public_access_cidrs: vec!["0.0.0.0/0".into()],
                }
            );
            assert_eq!(d.actions[0].address, "restore.cluster_access", "first");
            assert!(
                find("endpoint.sts")
                    .depends_on
                    .contains(&"restore.cluster_access".into())
            );
            assert!(
                find("restore.cluster_access_record")
                    .depends_on
                    .contains(&"restore.cluster_access".into())
            );
            let tags = d
                .actions
                .iter()
                .filter(|a| matches!(a.change, Change::UntagSubnet { .. }))
                .count();
            assert_eq!(tags, 2, "{what}");
            // The attribute: only from the journal (the account keeps no record of it),
            // off once the endpoint being deleted is gone.
            if what == "the journal" {
                let dns = find("restore.vpc_attribute.enable_dns_hostnames");
                assert!(dns.depends_on.contains(&"endpoint.sts".into()));
                assert!(matches!(
                    dns.change,
                    Change::SetVpcAttribute { value: false, .. }
                ));
            }
            assert!(left.is_empty(), "{left:?}");
        }

        // An endpoint of someone else's with private DNS stays: DNS hostnames stay on, said.
        vpc_mut(&mut after)
            .endpoints
            .push(crate::inventory::Endpoint {
                id: "vpce-theirs".into(),
                service: "ssm".into(),
                kind: "Interface".into(),
                private_dns: true,
                ..Default::default()
            });
        let (r, left) = restores(&s, &after, &undos);
        assert!(!r.iter().any(|a| a.address.contains("vpc_attribute")));
        assert!(
            left.iter()
                .any(|l| l.contains("vpce-theirs") && l.contains("--no-enable-dns-hostnames")),
            "{left:?}"
        );
        // Once restored, nothing is planned again.
        let (r, _) = restores(&s, &inv, &undos);
        assert!(
            r.iter()
                .all(|a| !a.address.starts_with("restore.cluster_access")),
            "{r:#?}"
        );
    }

    #[test]
    fn the_access_tag_round_trips_and_drops_cidrs_that_do_not_fit() {
        let v = access_tag_value(false, true, &["1.2.3.0/24".into(), "5.6.7.0/24".into()]);
        assert_eq!(
            parse_access_tag(&v),
            Some((
                false,
                true,
                Some(vec!["1.2.3.0/24".into(), "5.6.7.0/24".into()])
            ))
        );
        let many: Vec<String> = (0..40).map(|i| format!("52.{i}.0.0/16")).collect();
        let v = access_tag_value(true, true, &many);
        assert!(v.len() <= 256);
        assert_eq!(parse_access_tag(&v), Some((true, true, None)));
        assert_eq!(parse_access_tag("nonsense"), None);
    }
}
