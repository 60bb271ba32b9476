//! The destroy plan: delete what the tool created for a spec (found by its tags, and the
//! journal for what takes no tag), in the reverse of the order apply made it.

use super::{Action, Attr, Change, Deletable, Op, Plan};

/// A resource the tool created, as discovery found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub what: Deletable,
    pub id: String,
    /// A rule's security group; a rule association's resolver rule.
    pub parent: Option<String>,
    /// The plan address it was created under (its `eks-private-tui:address` tag).
    pub address: String,
    pub name: String,
    /// Its own ID when `id` is what deleting it takes instead (a rule association is
    /// disassociated by its VPC's ID): what the preview shows.
    pub own_id: Option<String>,
}

impl Deletable {
    pub fn kind(self) -> &'static str {
        match self {
            Deletable::ResolverRuleAssociation => "route53_resolver_rule_association",
            Deletable::ResolverRule => "route53_resolver_rule",
            Deletable::ResolverEndpoint => "route53_resolver_endpoint",
            Deletable::VpcEndpoint => "vpc_endpoint",
            Deletable::SecurityGroupRule => "security_group_rule",
            Deletable::SecurityGroup => "security_group",
            Deletable::Subnet => "subnet",
            Deletable::VpcCidrAssociation => "vpc_cidr_association",
        }
    }

    /// What must be gone before this can be deleted.
    fn after(self) -> &'static [Deletable] {
        use Deletable::*;
        match self {
            ResolverRuleAssociation | VpcEndpoint | SecurityGroupRule => &[],
            ResolverRule => &[ResolverRuleAssociation],
            ResolverEndpoint => &[ResolverRule],
            SecurityGroup => &[VpcEndpoint, ResolverEndpoint, SecurityGroupRule],
            Subnet => &[VpcEndpoint, ResolverEndpoint],
            VpcCidrAssociation => &[Subnet],
        }
    }
}

/// Delete every `created` resource, dependents first.
pub fn destroy(name: &str, region: &str, created: &[Created]) -> Plan {
    let mut items: Vec<&Created> = created.iter().collect();
    items.sort_by(|a, b| (a.what as u8, &a.address).cmp(&(b.what as u8, &b.address)));
    let mut seen = std::collections::BTreeSet::new();
    let address = |c: &Created| {
        if c.address.is_empty() {
            format!("{}[{:?}]", c.what.kind(), c.id)
        } else {
            c.address.clone()
        }
    };
    let actions = items
        .iter()
        .filter(|c| seen.insert((c.what as u8, c.id.clone(), c.parent.clone())))
        .map(|c| {
            let depends_on = created
                .iter()
                .filter(|o| c.what.after().contains(&o.what))
                .map(address)
                .collect();
            let mut a = Action::new(
                address(c),
                Op::Delete,
                Some(c.id.clone()),
                Change::Delete {
                    what: c.what,
                    id: c.id.clone(),
                    parent: c.parent.clone(),
                },
            );
            if let Some(own) = &c.own_id {
                a = a
                    .with(Attr::gone("id", own))
                    .with(Attr::gone("vpc_id", &c.id));
            }
            if !c.name.is_empty() {
                a = a.with(Attr::gone("name", &c.name));
            }
            a.depends_on = depends_on;
            a
        })
        .collect();
    Plan {
        name: name.to_string(),
        // Deletes tag nothing.
        vpc_id: String::new(),
        region: region.to_string(),
        actions,
        adopted: vec![],
    }
}

/// `plan` with destroy's restores ([`super::undo::restores`]): the cluster's access comes
/// back before anything else (the operator's path first), a VPC attribute goes off once the
/// endpoints being deleted are gone.
pub fn with_restores(mut plan: Plan, restores: Vec<Action>) -> Plan {
    let access = "restore.cluster_access";
    let has_access = restores.iter().any(|a| a.address == access);
    let endpoints: Vec<String> = plan
        .actions
        .iter()
        .filter(|a| {
            matches!(
                a.change,
                Change::Delete {
                    what: Deletable::VpcEndpoint,
                    ..
                }
            )
        })
        .map(|a| a.address.clone())
        .collect();
    if has_access {
        for a in &mut plan.actions {
            a.depends_on.push(access.into());
        }
    }
    let mut restores: Vec<Action> = restores
        .into_iter()
        .map(|mut r| {
            if matches!(r.change, Change::SetVpcAttribute { .. }) {
                r.depends_on.extend(endpoints.iter().cloned());
            }
            let planned = |d: &String| d == access && has_access;
            r.depends_on.retain(|d| planned(d) || endpoints.contains(d));
            if has_access && r.address != access && !r.depends_on.iter().any(|d| d == access) {
                r.depends_on.push(access.into());
            }
            r
        })
        .collect();
    // The access first in the list too (the preview and the run's order).
    restores.sort_by_key(|r| r.address != access);
    restores.append(&mut plan.actions);
    plan.actions = restores;
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(what: Deletable, id: &str, address: &str) -> Created {
        Created {
            what,
            id: id.into(),
            parent: None,
            address: address.into(),
            name: String::new(),
            own_id: None,
        }
    }

    #[test]
    fn dependents_go_first() {
        let created = vec![
            c(
                Deletable::VpcCidrAssociation,
                "vpc-cidr-assoc-1",
                "vpc_cidr.secondary",
            ),
            c(Deletable::Subnet, "subnet-1", "subnet.pod[\"a\"]"),
            c(Deletable::SecurityGroup, "sg-1", "security_group.endpoints"),
            c(Deletable::VpcEndpoint, "vpce-1", "endpoint.sts"),
            c(
                Deletable::ResolverRule,
                "rslvr-rr-1",
                "resolver_rule.forward",
            ),
            c(Deletable::ResolverRuleAssociation, "vpc-c", ""),
        ];
        let p = destroy("prod", "eu-west-1", &created);
        assert_eq!(p.counts(), (0, 0, 6));
        let deps = |a: &str| {
            p.actions
                .iter()
                .find(|x| x.address == a)
                .unwrap()
                .depends_on
                .clone()
        };
        assert_eq!(deps("vpc_cidr.secondary"), vec!["subnet.pod[\"a\"]"]);
        assert_eq!(deps("subnet.pod[\"a\"]"), vec!["endpoint.sts"]);
        assert_eq!(deps("security_group.endpoints"), vec!["endpoint.sts"]);
        assert_eq!(
            deps("resolver_rule.forward"),
            vec!["route53_resolver_rule_association[\"vpc-c\"]"]
        );
        assert!(deps("endpoint.sts").is_empty());
    }
}
