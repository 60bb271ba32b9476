//! What AWS would refuse in the names, descriptions and tags a plan sends, found before
//! the first call (a refusal half-way would leave a partial apply). The spec's own fields
//! are checked by the rules where they are written; this is the net under every value the
//! plan derives from them.

use super::{Change, Plan, Ref};
use crate::inventory::Inventory;
use crate::rules::names::{
    group_description, resolver_name, security_group_name, tag_key, tag_value,
};
use crate::spec::{MAX_PUBLIC_ACCESS_CIDRS, Quotas};

/// (address, what AWS would refuse), for every action of `plan`.
pub fn refusals(plan: &Plan) -> Vec<(String, String)> {
    let mut out = vec![];
    // Apply tags everything it makes with the plan's name and the action's address.
    if let Some(p) = tag_value(&plan.name) {
        out.push(("metadata.name".to_string(), p));
    }
    for a in &plan.actions {
        let mut say = |problem: Option<String>| {
            if let Some(p) = problem {
                out.push((a.address.clone(), p));
            }
        };
        say(tag_value(&a.address));
        match &a.change {
            Change::CreateSecurityGroup {
                name, description, ..
            } => {
                say(security_group_name(name));
                say(group_description(description));
                say(tag_value(name));
            }
            Change::AuthorizeIngress { description, .. } => say(group_description(description)),
            Change::TagSubnet { key, value, .. } => {
                say(tag_key(key));
                say(tag_value(value));
            }
            Change::CreateSubnet { name, tags, .. } => {
                say(tag_value(name));
                for (k, v) in tags {
                    say(tag_key(k));
                    say(tag_value(v));
                }
            }
            Change::CreateInterfaceEndpoint { name, .. }
            | Change::CreateGatewayEndpoint { name, .. } => say(tag_value(name)),
            Change::CreateResolverEndpoint { name, .. }
            | Change::AssociateResolverRule { name, .. } => say(resolver_name(name)),
            Change::CreateResolverRule { name, domain, .. } => {
                say(resolver_name(name));
                let n = domain.chars().count();
                if n == 0 || n > 256 {
                    say(Some(format!(
                        "the domain {domain:?} has {n} characters; a Resolver rule's has 1 to 256"
                    )));
                }
            }
            Change::SetVpcAttribute { .. }
            | Change::AssociateVpcCidr { .. }
            | Change::AssociateRouteTable { .. }
            | Change::AddGatewayRouteTables { .. }
            | Change::UpdateClusterAccess { .. }
            | Change::TagCluster { .. }
            | Change::UntagCluster { .. }
            | Change::UntagSubnet { .. }
            | Change::RemoveGatewayRouteTables { .. }
            | Change::AddEndpointSubnets { .. }
            | Change::RemoveEndpointSubnets { .. }
            | Change::Delete { .. } => {}
        }
    }
    out
}

/// (address, what AWS would refuse), for the account quotas `plan` would exceed: the
/// inbound rules of each security group (those it holds and those the plan adds, each
/// CIDR of each protocol one rule, as AWS counts them), and the public access CIDRs of
/// the cluster endpoint.
pub fn quotas(plan: &Plan, inv: &Inventory, quotas: &Quotas) -> Vec<(String, String)> {
    let mut out = vec![];
    // (group, rules added, the first action adding one)
    let mut added: Vec<(&Ref, usize, &str)> = vec![];
    for a in &plan.actions {
        match &a.change {
            Change::AuthorizeIngress {
                group,
                protocols,
                cidrs,
                ..
            } => {
                let n = protocols.len().max(1) * cidrs.len();
                match added.iter_mut().find(|(g, ..)| *g == group) {
                    Some(entry) => entry.1 += n,
                    None => added.push((group, n, &a.address)),
                }
            }
            Change::UpdateClusterAccess {
                public_access_cidrs,
                ..
            } if public_access_cidrs.len() > MAX_PUBLIC_ACCESS_CIDRS => out.push((
                a.address.clone(),
                format!(
                    "clusterEndpoint.publicAccessCidrs has {} CIDRs; an EKS cluster endpoint takes at most {MAX_PUBLIC_ACCESS_CIDRS}: summarize them into fewer, larger blocks",
                    public_access_cidrs.len()
                ),
            )),
            _ => {}
        }
    }
    let limit = quotas.security_group_rules() as usize;
    for (group, n, address) in added {
        let (name, held) = match group {
            Ref::Id(id) => {
                let held = inv
                    .vpcs
                    .iter()
                    .flat_map(|v| &v.security_groups)
                    .find(|g| &g.id == id)
                    .map(|g| {
                        g.ingress
                            .iter()
                            .map(|r| {
                                r.cidrs.len()
                                    + r.ipv6_cidrs.len()
                                    + r.group_ids.len()
                                    + r.prefix_list_ids.len()
                            })
                            .sum()
                    })
                    .unwrap_or(0);
                (id.as_str(), held)
            }
            Ref::Output(a) => (a.as_str(), 0),
        };
        if held + n > limit {
            out.push((
                address.to_string(),
                format!(
                    "{name} would hold {} inbound rules ({held} now, {n} added); a security group holds {limit}: list fewer, larger CIDRs, or set quotas.securityGroupRules if this account's quota was raised",
                    held + n
                ),
            ));
        }
    }
    out
}
