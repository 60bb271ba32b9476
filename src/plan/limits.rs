//! What AWS would refuse in the names, descriptions and tags a plan sends, found before
//! the first call (a refusal half-way would leave a partial apply). The spec's own fields
//! are checked by the rules where they are written; this is the net under every value the
//! plan derives from them.

use super::{Change, Plan};
use crate::rules::names::{
    group_description, resolver_name, security_group_name, tag_key, tag_value,
};

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
            | Change::Delete { .. } => {}
        }
    }
    out
}
