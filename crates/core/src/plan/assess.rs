//! The spec's findings judged against its own plan. The rules look at the account as it
//! is; a finding about something the plan changes (a group rule it adds, a route table it
//! puts on the S3 gateway, a subnet tag it sets) would otherwise claim missing what the
//! same plan makes. Such a finding stays, as information saying the plan makes it.

use super::{Change, Plan, Ref};
use crate::inventory::Inventory;
use crate::rules::{self, Finding, Remedy, Severity};
use crate::spec::Spec;

/// The spec's findings, reconciled with its plan, and the plan. What the wizard's checks,
/// `check --spec`, `plan`, `apply` and the exports show.
pub fn assess(spec: &Spec, inv: &Inventory) -> (Vec<Finding>, Plan) {
    let findings = rules::evaluate(inv, Some(spec), None, None);
    let plan = super::plan(spec, inv);
    (reconcile(findings, &plan), plan)
}

/// A warning or error whose every remedy `plan` makes becomes information naming the
/// actions that make it; the others are unchanged.
pub fn reconcile(findings: Vec<Finding>, plan: &Plan) -> Vec<Finding> {
    findings
        .into_iter()
        .map(|mut f| {
            if f.severity == Severity::Info || f.remedies.is_empty() {
                return f;
            }
            let by: Option<Vec<&str>> = f.remedies.iter().map(|r| plan.makes(r)).collect();
            if let Some(mut by) = by {
                by.dedup();
                f.severity = Severity::Info;
                f.message = format!("{} (as the account is; this plan makes it)", f.message);
                f.fix = format!("nothing: the plan does it ({})", by.join(", "));
            }
            f
        })
        .collect()
}

impl Plan {
    /// The address of the action that makes `r`, if one does.
    pub fn makes(&self, r: &Remedy) -> Option<&str> {
        self.actions
            .iter()
            .find(|a| change_makes(&a.change, r))
            .map(|a| a.address.as_str())
    }
}

fn change_makes(c: &Change, r: &Remedy) -> bool {
    match (r, c) {
        (
            Remedy::Ingress {
                groups,
                protocol,
                port,
                cidr,
            },
            Change::AuthorizeIngress {
                group: Ref::Id(g),
                protocols,
                port: p,
                cidrs,
                ..
            },
        ) => {
            groups.contains(g)
                && protocols.iter().any(|x| x == protocol || x == "-1")
                && p == port
                && covered(cidrs, cidr)
        }
        (
            Remedy::GatewayRoute { table },
            Change::AddGatewayRouteTables {
                route_table_ids, ..
            }
            | Change::CreateGatewayEndpoint {
                route_table_ids, ..
            },
        ) => route_table_ids.contains(table),
        (
            Remedy::SubnetTag { subnet, key },
            Change::TagSubnet {
                subnet_id, key: k, ..
            },
        ) => subnet_id == subnet && k == key,
        (
            Remedy::EndpointSubnet { endpoint, subnet },
            Change::AddEndpointSubnets {
                endpoint_id,
                subnet_ids,
            },
        ) => endpoint_id == endpoint && subnet_ids.contains(subnet),
        _ => false,
    }
}

/// Whether one of `cidrs` holds all of `cidr`.
fn covered(cidrs: &[String], cidr: &str) -> bool {
    let Ok(net) = cidr.parse::<ipnet::Ipv4Net>() else {
        return cidrs.iter().any(|c| c == cidr);
    };
    cidrs
        .iter()
        .any(|c| c.parse::<ipnet::Ipv4Net>().is_ok_and(|c| c.contains(&net)))
}
